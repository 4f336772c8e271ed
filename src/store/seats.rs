//! Who has the database open, and for what: a row per running workspace (its case and
//! meeting) or import. Scratch, not records: not audited, written in one short statement
//! that never waits, so a busy database only delays it. Rows whose process is gone are
//! ignored, and removed by the next seat that registers.

use rusqlite::{OptionalExtension, params};

use super::{Result, Store};
use crate::seat::{Liveness, Seat};

/// What a seat is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeatKind {
    /// A workspace: its case and the meeting it has open.
    Workspace,
    /// `dhr import`: holds the database while it writes.
    Import,
}

impl SeatKind {
    fn code(self) -> &'static str {
        match self {
            SeatKind::Workspace => "workspace",
            SeatKind::Import => "import",
        }
    }
}

/// Another seat on the database, as the status line and the "busy" message name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtherSeat {
    pub seat: Seat,
    pub kind: String,
    pub case_id: Option<i64>,
    pub meeting_id: Option<i64>,
    pub what: String,
    /// When it registered (UTC, RFC 3339).
    pub since: String,
}

impl Store {
    /// Records this program as a seat of `kind` on the database (its case, its meeting,
    /// what it does), replacing its earlier row, and removes the rows of gone seats of
    /// this host. Never waits: a busy database returns the error and the caller tries
    /// again later. A reading seat records nothing.
    pub fn register_seat(
        &self,
        kind: SeatKind,
        case_id: Option<i64>,
        meeting_id: Option<i64>,
        what: &str,
    ) -> Result<()> {
        if self.is_read_only() {
            return Ok(());
        }
        let this = Seat::this();
        let gone: Vec<String> = self
            .rows()?
            .into_iter()
            .filter(|(seat, _)| seat.liveness() == Liveness::Gone)
            .map(|(_, row)| row)
            .collect();
        let now = crate::time::stamp(self.clock().now_utc());
        self.without_waiting(|conn| {
            let tx = conn.unchecked_transaction()?;
            for id in &gone {
                tx.execute("DELETE FROM seats WHERE seat = ?1", [id])?;
            }
            tx.execute(
                "INSERT INTO seats (seat, login, kind, case_id, meeting_id, what, since)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (seat) DO UPDATE SET kind = ?3, case_id = ?4, meeting_id = ?5, what = ?6,
                     since = CASE WHEN seats.meeting_id IS ?5 THEN seats.since ELSE ?7 END",
                params![this.id(), this.login, kind.code(), case_id, meeting_id, what, now],
            )?;
            tx.commit()
        })
    }

    /// Removes this program's seat row (leaving, or an import done). Never waits.
    pub fn unregister_seat(&self) -> Result<()> {
        if self.is_read_only() {
            return Ok(());
        }
        self.without_waiting(|conn| {
            conn.execute("DELETE FROM seats WHERE seat = ?1", [Seat::this().id()])
                .map(|_| ())
        })
    }

    /// Every seat row with its parsed seat and its key.
    fn rows(&self) -> Result<Vec<(Seat, String)>> {
        let mut stmt = self.conn().prepare_cached("SELECT seat FROM seats")?;
        let ids = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(ids
            .into_iter()
            .filter_map(|id| Seat::parse(&id).map(|s| (s, id)))
            .collect())
    }

    /// The other seats whose programs still run (or, on another host, may), oldest first.
    pub fn other_seats(&self) -> Result<Vec<OtherSeat>> {
        let this = Seat::this().id();
        let mut stmt = self.conn().prepare_cached(
            "SELECT seat, kind, case_id, meeting_id, what, since FROM seats ORDER BY since, seat",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<i64>>(2)?,
                    r.get::<_, Option<i64>>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows
            .into_iter()
            .filter(|row| row.0 != this)
            .filter_map(|(id, kind, case_id, meeting_id, what, since)| {
                let seat = Seat::parse(&id)?;
                (seat.liveness() != Liveness::Gone).then_some(OtherSeat {
                    seat,
                    kind,
                    case_id,
                    meeting_id,
                    what,
                    since,
                })
            })
            .collect())
    }

    /// What holds the database when a write had to wait, as far as it can be known: an
    /// import in progress (by whom, of which file, since when), else another seat or
    /// program, unnamed (a seat that is merely open is not blamed). In words.
    pub fn holder(&self) -> String {
        let others = self.other_seats().unwrap_or_default();
        let at = |since: &str| {
            crate::time::parse_stamp(since)
                .map(|t| self.clock().to_local(t).format("%H:%M").to_string())
                .unwrap_or_default()
        };
        if let Some(import) = others.iter().find(|o| o.kind == SeatKind::Import.code()) {
            let whose = if import.seat.login == Seat::this().login {
                "your own import".to_string()
            } else {
                format!("an import by {}", import.seat.login)
            };
            let what = if import.what.is_empty() {
                String::new()
            } else {
                format!(" of {}", import.what)
            };
            return format!("{whose}{what} (started {})", at(&import.since));
        }
        // Which seat or program holds it cannot be known from here: no idle seat is named.
        "another DHR Panel seat or program writing to the database".into()
    }

    /// The seat whose line row `minute_id` is, if it names one.
    pub fn minute_seat(&self, minute_id: i64) -> Result<Option<String>> {
        Ok(self
            .conn()
            .query_row("SELECT seat FROM minutes WHERE id = ?1", [minute_id], |r| {
                r.get::<_, Option<String>>(0)
            })
            .optional()?
            .flatten())
    }
}
