//! Meetings: attendance, declarations, the agenda and the minutes.

use super::values::{date, flag, id, opt_text, read_code, read_date, text};
use super::{Result, Store, Writer};
use crate::domain::model::{
    AgendaItem, Attendance, AttendanceStatus, Declaration, Meeting, MeetingStatus, Minute,
    MinuteKind,
};

pub(crate) fn read_meeting(row: &rusqlite::Row<'_>) -> rusqlite::Result<Meeting> {
    Ok(Meeting {
        id: row.get("id")?,
        case_id: row.get("case_id")?,
        number: row.get("number")?,
        date: read_date(row, "date")?.unwrap_or_default(),
        start_time: row.get("start_time")?,
        end_time: row.get("end_time")?,
        place: row.get("place")?,
        chair: row.get("chair")?,
        minute_taker: row.get("minute_taker")?,
        status: read_code(
            row,
            "status",
            MeetingStatus::from_code,
            MeetingStatus::Planned,
        )?,
        approved_at_meeting_id: row.get("approved_at_meeting_id")?,
        fingerprint: row.get("fingerprint")?,
    })
}

/// One line of the minutes as stored.
pub(crate) fn read_minute(r: &rusqlite::Row<'_>) -> rusqlite::Result<Minute> {
    let table: Option<String> = r.get("record_table")?;
    let record_id: Option<i64> = r.get("record_id")?;
    Ok(Minute {
        id: r.get("id")?,
        meeting_id: r.get("meeting_id")?,
        agenda_item_id: r.get("agenda_item_id")?,
        position: r.get("position")?,
        minuted_at: r.get("minuted_at")?,
        kind: read_code(r, "kind", MinuteKind::from_code, MinuteKind::Note)?,
        text: r.get("body")?,
        record: table.zip(record_id),
    })
}

/// One attendance row as stored.
pub(crate) fn read_attendance(r: &rusqlite::Row<'_>) -> rusqlite::Result<Attendance> {
    Ok(Attendance {
        id: r.get("id")?,
        meeting_id: r.get("meeting_id")?,
        person: r.get("person")?,
        agency_id: r.get("agency_id")?,
        role: r.get("role")?,
        status: read_code(
            r,
            "status",
            AttendanceStatus::from_code,
            AttendanceStatus::Absent,
        )?,
        guest: r.get::<_, i64>("guest")? != 0,
        organisation: r.get("organisation")?,
        left_at: r.get("left_at")?,
    })
}

impl Writer<'_> {
    pub fn insert_meeting(&mut self, m: &Meeting) -> Result<i64> {
        self.insert(
            "meetings",
            &[
                ("case_id", m.case_id.into()),
                ("number", m.number.into()),
                ("date", date(Some(m.date))),
                ("start_time", text(&m.start_time)),
                ("end_time", text(&m.end_time)),
                ("place", text(&m.place)),
                ("chair", text(&m.chair)),
                ("minute_taker", text(&m.minute_taker)),
                ("status", text(m.status.code())),
                ("approved_at_meeting_id", id(m.approved_at_meeting_id)),
                ("fingerprint", text(&m.fingerprint)),
            ],
        )
    }

    pub fn insert_attendance(&mut self, a: &Attendance) -> Result<i64> {
        self.insert(
            "attendance",
            &[
                ("meeting_id", a.meeting_id.into()),
                ("person", text(&a.person)),
                ("agency_id", id(a.agency_id)),
                ("role", text(&a.role)),
                ("status", text(a.status.code())),
                ("guest", flag(a.guest)),
                ("organisation", text(&a.organisation)),
                ("left_at", text(&a.left_at)),
            ],
        )
    }

    pub fn insert_declaration(&mut self, d: &Declaration) -> Result<i64> {
        self.insert(
            "declarations",
            &[
                ("meeting_id", d.meeting_id.into()),
                ("person", text(&d.person)),
                ("body", text(&d.text)),
            ],
        )
    }

    pub fn insert_agenda_item(&mut self, item: &AgendaItem) -> Result<i64> {
        self.insert(
            "agenda_items",
            &[
                ("meeting_id", item.meeting_id.into()),
                ("position", item.position.into()),
                ("title", text(&item.title)),
            ],
        )
    }

    pub fn insert_minute(&mut self, m: &Minute) -> Result<i64> {
        self.insert_minute_of(m, None, None)
    }

    /// A line of the minutes with the seat that wrote it and the key the seat gave it.
    pub fn insert_minute_of(
        &mut self,
        m: &Minute,
        seat: Option<&str>,
        key: Option<&str>,
    ) -> Result<i64> {
        self.insert(
            "minutes",
            &[
                ("meeting_id", m.meeting_id.into()),
                ("agenda_item_id", m.agenda_item_id.into()),
                ("position", m.position.into()),
                ("minuted_at", text(&m.minuted_at)),
                ("kind", text(m.kind.code())),
                ("body", text(&m.text)),
                (
                    "record_table",
                    opt_text(m.record.as_ref().map(|(t, _)| t.as_str())),
                ),
                ("record_id", id(m.record.as_ref().map(|(_, i)| *i))),
                ("seat", opt_text(seat)),
                ("line_key", opt_text(key)),
            ],
        )
    }
}

impl Store {
    /// For each meeting of a case: (meeting id, people present, lines of minutes).
    pub fn meeting_counts(&self, case_id: i64) -> Result<Vec<(i64, usize, usize)>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT m.id,
                    (SELECT count(*) FROM attendance a WHERE a.meeting_id = m.id AND a.deleted_at IS NULL AND a.status = 'present'),
                    (SELECT count(*) FROM minutes n WHERE n.meeting_id = m.id AND n.deleted_at IS NULL)
             FROM meetings m WHERE m.case_id = ?1 AND m.deleted_at IS NULL",
        )?;
        let rows = stmt.query_map([case_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?.max(0) as usize,
                r.get::<_, i64>(2)?.max(0) as usize,
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The meetings of a case by number.
    pub fn meetings(&self, case_id: i64) -> Result<Vec<Meeting>> {
        let mut stmt = self.conn().prepare(
            "SELECT * FROM meetings WHERE case_id = ?1 AND deleted_at IS NULL ORDER BY number",
        )?;
        let rows = stmt.query_map([case_id], read_meeting)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The number the next planned meeting takes: after every meeting of the case, those
    /// withdrawn too (numbers are never reused).
    pub fn next_meeting_number(&self, case_id: i64) -> Result<i64> {
        Ok(self.conn().query_row(
            "SELECT ifnull(max(number), 0) + 1 FROM meetings WHERE case_id = ?1",
            [case_id],
            |r| r.get(0),
        )?)
    }

    pub fn agenda(&self, meeting_id: i64) -> Result<Vec<AgendaItem>> {
        let mut stmt = self.conn().prepare(
            "SELECT id, meeting_id, position, title FROM agenda_items
             WHERE meeting_id = ?1 AND deleted_at IS NULL ORDER BY position, id",
        )?;
        let rows = stmt.query_map([meeting_id], |r| {
            Ok(AgendaItem {
                id: r.get(0)?,
                meeting_id: r.get(1)?,
                position: r.get(2)?,
                title: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    pub fn attendance(&self, meeting_id: i64) -> Result<Vec<Attendance>> {
        let mut stmt = self.conn().prepare(
            "SELECT * FROM attendance WHERE meeting_id = ?1 AND deleted_at IS NULL ORDER BY id",
        )?;
        let rows = stmt.query_map([meeting_id], read_attendance)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    pub fn declarations(&self, meeting_id: i64) -> Result<Vec<Declaration>> {
        let mut stmt = self.conn().prepare(
            "SELECT id, meeting_id, person, body FROM declarations
             WHERE meeting_id = ?1 AND deleted_at IS NULL ORDER BY id",
        )?;
        let rows = stmt.query_map([meeting_id], |r| {
            Ok(Declaration {
                id: r.get(0)?,
                meeting_id: r.get(1)?,
                person: r.get(2)?,
                text: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The minutes of a meeting in order.
    pub fn minutes(&self, meeting_id: i64) -> Result<Vec<Minute>> {
        let mut stmt = self.conn().prepare(
            "SELECT * FROM minutes WHERE meeting_id = ?1 AND deleted_at IS NULL ORDER BY position, id",
        )?;
        let rows = stmt.query_map([meeting_id], read_minute)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}
