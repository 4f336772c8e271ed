//! Meetings and live minuting as operations: planning, starting and closing a meeting,
//! committing a line with the record it creates, `/undo`, `s/old/new/`, approval and
//! edits of the minutes. Each is one transaction that reads the meeting as it stands in
//! that transaction and refuses what the approval lock forbids, so two seats cannot
//! slip a change past an approval made in between.

use rusqlite::OptionalExtension;

use super::values::text;
use super::values::text as text_value;
use super::{Result, Store, StoreError, Writer};
use crate::domain::minuting::{MinuteLine, approval_rationale, check_line_allowed};
use crate::domain::model::{
    Action, ActionStatus, AgendaItem, Attendance, AttendanceStatus, Challenge, ChallengeStatus,
    Decision, Declaration, Meeting, MeetingStatus, Minute, MinuteKind, PanelMember,
};
use crate::seat::{Liveness, Seat};

/// Days a challenged agency has to respond, counted from the meeting.
const RESPONSE_DAYS: u64 = 28;

/// The refusal of a change to approved minutes outside the minutes input.
const LOCKED: &str = "These minutes are approved and locked.";

/// Where a committed line goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinePlace {
    pub meeting_id: i64,
    /// The agenda item the line is minuted under.
    pub item_id: i64,
    /// When it was minuted (UTC stamp).
    pub minuted_at: String,
    /// The seat writing it (`Seat::id`): /undo and corrections act on its own lines.
    pub seat: Option<String>,
    /// The key the seat gave the line when Enter was pressed: a line with a key already
    /// in the minutes is not written again.
    pub key: Option<String>,
}

/// The names in a line, matched against the case before anything is written.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LineNames {
    /// The attendance row of a person already on the meeting's list.
    pub attendance_id: Option<i64>,
    pub agency_id: Option<i64>,
    /// The short code of `agency_id`, for the line's text.
    pub agency_code: String,
    /// The owner of an action as the case knows them.
    pub owner: String,
    /// The meeting an `/approve N` or `/amend N` names.
    pub other_meeting_id: Option<i64>,
    /// The person of an attendance line as the case knows them ("DI Sarah Mensah" for
    /// "Sarah Mensah"); empty: as typed.
    pub person: String,
    /// The role a person added to the list gets when the line gives none (a panel
    /// member's role, "Independent chair").
    pub role: String,
    /// A guest's organisation that is not an agency of the case.
    pub organisation: String,
    /// Whether a person added to the list is a guest (not a panel member or one of the
    /// case's own people).
    pub guest: bool,
    /// `/left`: the local time (HH:MM) the line was typed.
    pub left_at: String,
    /// `/next-meeting`: the meeting to plan (its number and date are checked and set in
    /// the transaction), with the standard agenda and the panel members.
    pub next_meeting: Option<MeetingPlan>,
}

/// A meeting to plan: its agenda, and the panel members whose attendance it starts with.
#[derive(Debug, Clone, PartialEq)]
pub struct MeetingPlan {
    pub meeting: Meeting,
    /// Agenda item titles, in order.
    pub agenda: Vec<String>,
    pub members: Vec<PanelMember>,
}

/// What a question about a line of the minutes showed (withdraw it, edit it), so that the
/// write can refuse a change made in between: whether it named another login as the
/// line's author, and the latest audit row of the record the line created (0: none).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LineSeen {
    pub others: bool,
    pub record_audit: i64,
}

/// A line of the minutes as a correction sees it: whose it is, whether the record it
/// created changed since it was written, and whether the minutes are locked.
#[derive(Debug, Clone, PartialEq)]
pub struct LineFacts {
    pub minute: Minute,
    /// The login that wrote it (its seat's, or its first audit row's).
    pub author: String,
    /// Whether this login wrote it.
    pub own: bool,
    /// How the record it created changed since the line was written ("the challenge it
    /// created was changed by chair at …"), if it did.
    pub record_changed: Option<String>,
    pub locked: bool,
    /// What a question built from these facts shows.
    pub seen: LineSeen,
}

/// What a person calls the record a line created.
fn record_noun(table: &str) -> &'static str {
    match table {
        "attendance" => "the attendance it recorded",
        "declarations" => "the declaration it created",
        "decisions" => "the decision it created",
        "actions" => "the action it created",
        "challenges" => "the challenge it created",
        "amendments" => "the amendment it created",
        _ => "the record it created",
    }
}

/// The facts of line `minute_id` for `login`, read on `conn` (inside a write's
/// transaction, or outside it for the question).
fn line_facts_on(conn: &rusqlite::Connection, minute_id: i64, login: &str) -> Result<LineFacts> {
    let found: Option<(Minute, Option<String>, String)> = conn
        .query_row(
            "SELECT m.*, m.seat AS line_seat, g.status AS meeting_status FROM minutes m
             JOIN meetings g ON g.id = m.meeting_id WHERE m.id = ?1 AND m.deleted_at IS NULL",
            [minute_id],
            |r| {
                Ok((
                    super::meetings::read_minute(r)?,
                    r.get("line_seat")?,
                    r.get("meeting_status")?,
                ))
            },
        )
        .optional()?;
    let Some((minute, seat, status)) = found else {
        return Err(rule(
            "that line is no longer in the minutes (withdrawn meanwhile?)".into(),
        ));
    };
    let author = match seat.as_deref().and_then(Seat::parse) {
        Some(seat) => seat.login,
        None => conn
            .query_row(
                "SELECT login FROM audit WHERE table_name = 'minutes' AND row_id = ?1 ORDER BY id LIMIT 1",
                [minute_id],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or_else(|| "someone".into()),
    };
    let mut record_changed = None;
    let mut record_audit = 0;
    if let Some((table, record_id)) = &minute.record {
        record_audit = conn
            .query_row(
                "SELECT ifnull(max(id), 0) FROM audit WHERE table_name = ?1 AND row_id = ?2",
                rusqlite::params![table, record_id],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or(0);
        // A change of the record after the line was written, other than the one a
        // correction of the line makes right after changing the line (`correct_line`).
        let change: Option<(String, String)> = conn
            .query_row(
                "SELECT login, at FROM audit
                 WHERE table_name = ?1 AND row_id = ?2
                   AND id > (SELECT ifnull(min(id), 0) FROM audit WHERE table_name = 'minutes' AND row_id = ?3)
                   AND NOT EXISTS (SELECT 1 FROM audit p WHERE p.id = audit.id - 1
                                   AND p.table_name = 'minutes' AND p.row_id = ?3
                                   AND p.action = 'update' AND p.at = audit.at
                                   AND p.login = audit.login)
                 ORDER BY id DESC LIMIT 1",
                rusqlite::params![table, record_id, minute_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        if let Some((who, at)) = change {
            let at = at.get(..16).unwrap_or(&at).replace('T', " ");
            record_changed = Some(format!(
                "{} was changed since, by {who} at {at} UTC",
                record_noun(table)
            ));
        }
    }
    let own = author == login;
    Ok(LineFacts {
        minute,
        own,
        author,
        record_changed,
        locked: status == MeetingStatus::Approved.code(),
        seen: LineSeen {
            others: !own,
            record_audit,
        },
    })
}

/// Refuses a correction of a line whose facts are not what the question showed: the
/// minutes approved meanwhile, another author than named, the record changed.
fn check_seen(facts: &LineFacts, seen: LineSeen, verb: &str) -> Result<()> {
    if facts.locked {
        return Err(rule(format!(
            "{LOCKED} Nothing was {verb}: record an amendment at a later meeting (/amend N: …)."
        )));
    }
    if !facts.own && !seen.others {
        return Err(rule(format!(
            "this line is {}'s, not yours: nothing was {verb}; ask again to see whose it is",
            facts.author
        )));
    }
    if facts.seen.record_audit != seen.record_audit {
        return Err(rule(format!(
            "{} changed after you were asked: nothing was {verb}; press the key again to see it as it is now",
            facts
                .minute
                .record
                .as_ref()
                .map_or("the record it created", |(t, _)| record_noun(t))
        )));
    }
    Ok(())
}

/// What a line of the minutes created (or, for attendance, changed), read from the link
/// stored with the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Created {
    Attendance(i64),
    Declaration(i64),
    Decision(i64),
    Action(i64),
    Challenge(i64),
    Amendment(i64),
    /// A meeting planned by `/next-meeting`.
    Meeting(i64),
}

impl Created {
    fn of(table: &str, record_id: i64) -> Option<Created> {
        Some(match table {
            "attendance" => Created::Attendance(record_id),
            "declarations" => Created::Declaration(record_id),
            "decisions" => Created::Decision(record_id),
            "actions" => Created::Action(record_id),
            "challenges" => Created::Challenge(record_id),
            "amendments" => Created::Amendment(record_id),
            "meetings" => Created::Meeting(record_id),
            _ => return None,
        })
    }

    fn table_and_id(self) -> (&'static str, i64) {
        match self {
            Created::Attendance(i) => ("attendance", i),
            Created::Declaration(i) => ("declarations", i),
            Created::Decision(i) => ("decisions", i),
            Created::Action(i) => ("actions", i),
            Created::Challenge(i) => ("challenges", i),
            Created::Amendment(i) => ("amendments", i),
            Created::Meeting(i) => ("meetings", i),
        }
    }

    /// The text column of the record that a correction of the line also changes.
    fn text_column(self) -> Option<&'static str> {
        match self {
            Created::Decision(_)
            | Created::Action(_)
            | Created::Declaration(_)
            | Created::Amendment(_) => Some("body"),
            Created::Challenge(_) => Some("question"),
            Created::Attendance(_) | Created::Meeting(_) => None,
        }
    }
}

fn rule(message: String) -> StoreError {
    StoreError::Rule(message)
}

/// The meeting as it stands in this transaction.
fn meeting_in(w: &Writer<'_>, meeting_id: i64) -> Result<Meeting> {
    w.meeting_now(meeting_id)?
        .ok_or_else(|| rule(format!("meeting {meeting_id} does not exist")))
}

/// Refuses a change to the minutes of an approved meeting (read in this transaction).
fn refuse_if_locked(w: &Writer<'_>, meeting_id: i64) -> Result<()> {
    if meeting_in(w, meeting_id)?.status == MeetingStatus::Approved {
        return Err(rule(LOCKED.into()));
    }
    Ok(())
}

/// The meeting a row of `table` (minutes, attendance) belongs to.
fn meeting_of(w: &Writer<'_>, table: &'static str, row_id: i64) -> Result<i64> {
    // The table comes from this module, never from input.
    let sql = format!("SELECT meeting_id FROM {table} WHERE id = ?1");
    w.tx()
        .query_row(&sql, [row_id], |r| r.get(0))
        .optional()?
        .ok_or_else(|| rule(format!("{table} row {row_id} does not exist")))
}

struct WriteContext<'a> {
    meeting: &'a Meeting,
    item_id: i64,
    minuted_at: &'a str,
    login: String,
    seat: Option<&'a str>,
    key: Option<&'a str>,
}

impl Writer<'_> {
    pub fn insert_amendment(
        &mut self,
        meeting_id: i64,
        made_at_meeting_id: i64,
        made_by: &str,
        body: &str,
    ) -> Result<i64> {
        self.insert(
            "amendments",
            &[
                ("meeting_id", meeting_id.into()),
                ("made_at_meeting_id", made_at_meeting_id.into()),
                ("made_by", text(made_by)),
                ("body", text(body)),
            ],
        )
    }

    /// What line `minute_id` did to the attendance row it links to: the audit row written
    /// for that row in the line's own transaction, just before the line itself (an insert
    /// when the line added the person, an update when it changed their status or time of
    /// leaving). `None` when the line changed nothing there.
    fn attendance_change_by_line(
        &self,
        attendance_id: i64,
        minute_id: i64,
    ) -> Result<Option<(String, String)>> {
        Ok(self
            .tx()
            .query_row(
                "SELECT action, changes FROM audit WHERE table_name = 'attendance' AND row_id = ?1
                 AND id = (SELECT min(id) FROM audit WHERE table_name = 'minutes' AND row_id = ?2) - 1",
                [attendance_id, minute_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }

    /// An attendance row as it stands in this transaction.
    fn attendance_now(&self, attendance_id: i64) -> Result<Attendance> {
        self.tx()
            .query_row(
                "SELECT * FROM attendance WHERE id = ?1 AND deleted_at IS NULL",
                [attendance_id],
                super::meetings::read_attendance,
            )
            .optional()?
            .ok_or_else(|| rule(format!("attendance row {attendance_id} does not exist")))
    }

    /// The meeting whose approval decision `decision_id` records: approved at
    /// `at_meeting_id` with the fingerprint the decision's rationale names.
    fn meeting_approved_by(&self, decision_id: i64, at_meeting_id: i64) -> Result<Option<i64>> {
        let rationale: Option<String> = self
            .tx()
            .query_row(
                "SELECT rationale FROM decisions WHERE id = ?1",
                [decision_id],
                |r| r.get(0),
            )
            .optional()?;
        let Some(rationale) = rationale else {
            return Ok(None);
        };
        let approved: Vec<(i64, String)> = self
            .tx()
            .prepare(
                "SELECT id, fingerprint FROM meetings WHERE approved_at_meeting_id = ?1 AND status = 'approved'
                 ORDER BY number DESC",
            )?
            .query_map([at_meeting_id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(approved
            .into_iter()
            .find(|(_, print)| !print.is_empty() && approval_rationale(print) == rationale)
            .map(|(id, _)| id))
    }

    /// The minute taker a meeting starting now takes when it has none: the person on the
    /// case linked to the login writing (nothing when it has one, or no one is linked).
    fn default_minute_taker(
        &self,
        meeting: &Meeting,
    ) -> Result<Option<(&'static str, rusqlite::types::Value)>> {
        if !meeting.minute_taker.trim().is_empty() {
            return Ok(None);
        }
        Ok(self
            .person_for_login(meeting.case_id, self.login())?
            .map(|name| ("minute_taker", text(&name))))
    }

    fn minute(
        &mut self,
        cx: &WriteContext<'_>,
        kind: MinuteKind,
        text: String,
        record: Option<(&str, i64)>,
    ) -> Result<i64> {
        let position = self.next_minute_position(cx.meeting.id)?;
        self.insert_minute_of(
            &Minute {
                id: 0,
                meeting_id: cx.meeting.id,
                agenda_item_id: cx.item_id,
                position,
                minuted_at: cx.minuted_at.to_string(),
                kind,
                text,
                record: record.map(|(t, id)| (t.to_string(), id)),
            },
            cx.seat,
            cx.key,
        )
    }

    /// Writes one line and the record it creates; returns the confirmation.
    fn write_line(
        &mut self,
        cx: &WriteContext<'_>,
        line: MinuteLine,
        r: LineNames,
    ) -> Result<String> {
        let date = cx.meeting.date;
        let case_id = cx.meeting.case_id;
        Ok(match line {
            MinuteLine::Note(text) => {
                self.minute(cx, MinuteKind::Note, text, None)?;
                // The status line already says "saved HH:MM:SS".
                String::new()
            }
            MinuteLine::Present { name, role, .. } => self.attendance_line(
                cx,
                &r,
                name.trim(),
                role.unwrap_or_default(),
                AttendanceStatus::Present,
            )?,
            MinuteLine::Apologies { name, .. } => self.attendance_line(
                cx,
                &r,
                name.trim(),
                String::new(),
                AttendanceStatus::Apologies,
            )?,
            MinuteLine::Declare { name, text } => {
                let id = self.insert_declaration(&Declaration {
                    id: 0,
                    meeting_id: cx.meeting.id,
                    person: name.clone(),
                    text: text.clone(),
                })?;
                self.minute(
                    cx,
                    MinuteKind::Declaration,
                    format!("{name}: {text}"),
                    Some(("declarations", id)),
                )?;
                format!("Declaration by {name} recorded.")
            }
            MinuteLine::Decision(text) => {
                let id = self.insert_decision(
                    &Decision {
                        id: 0,
                        case_id,
                        meeting_id: Some(cx.meeting.id),
                        text: text.clone(),
                        rationale: String::new(),
                        decided_by: "Panel".into(),
                        decided_on: Some(date),
                    },
                    &[],
                )?;
                self.minute(cx, MinuteKind::Decision, text, Some(("decisions", id)))?;
                "Decision recorded; it is listed under Decisions (tab 5).".into()
            }
            MinuteLine::Action { due, text, .. } => {
                let id = self.insert_action(&Action {
                    id: 0,
                    case_id,
                    text: text.clone(),
                    owner: r.owner.clone(),
                    agency_id: r.agency_id,
                    due_on: due,
                    status: ActionStatus::Open,
                    meeting_id: Some(cx.meeting.id),
                    closed_meeting_id: None,
                })?;
                let mut line = r.owner.clone();
                if !r.agency_code.is_empty() {
                    line.push_str(&format!(" ({})", r.agency_code));
                }
                if let Some(due) = due {
                    line.push_str(&format!(", due {}", due.format("%d %b %Y")));
                }
                self.minute(
                    cx,
                    MinuteKind::Action,
                    format!("{line}: {text}"),
                    Some(("actions", id)),
                )?;
                "Action recorded; it is listed under Actions (tab 6).".into()
            }
            MinuteLine::Challenge { question, .. } => {
                let id = self.insert_challenge(
                    &Challenge {
                        id: 0,
                        case_id,
                        agency_id: r.agency_id,
                        question: question.clone(),
                        meeting_id: Some(cx.meeting.id),
                        raised_by: if cx.meeting.chair.is_empty() {
                            "Panel".into()
                        } else {
                            cx.meeting.chair.clone()
                        },
                        raised_on: Some(date),
                        response_due: date.checked_add_days(chrono::Days::new(RESPONSE_DAYS)),
                        response: String::new(),
                        response_on: None,
                        status: ChallengeStatus::Open,
                    },
                    &[],
                )?;
                self.minute(
                    cx,
                    MinuteKind::Challenge,
                    format!("{}: {question}", r.agency_code),
                    Some(("challenges", id)),
                )?;
                format!(
                    "Challenge to {} recorded; it is listed under Challenges (tab 4).",
                    r.agency_code
                )
            }
            MinuteLine::Approve(n) => {
                let print = self.approve(cx.meeting, i64::from(n))?;
                let text = format!("The minutes of meeting {n} were approved as a true record.");
                let id = self.insert_decision(
                    &Decision {
                        id: 0,
                        case_id,
                        meeting_id: Some(cx.meeting.id),
                        text: text.clone(),
                        rationale: approval_rationale(&print),
                        decided_by: "Panel".into(),
                        decided_on: Some(date),
                    },
                    &[],
                )?;
                self.minute(cx, MinuteKind::Decision, text, Some(("decisions", id)))?;
                format!(
                    "Meeting {n} approved and locked (fingerprint {}).",
                    &print[..12]
                )
            }
            MinuteLine::Amend { meeting: n, text } => {
                let target = match r.other_meeting_id {
                    Some(target) => self.meeting_now(target)?,
                    None => None,
                }
                .ok_or_else(|| rule(format!("there is no meeting {n}")))?;
                if target.status != MeetingStatus::Approved {
                    return Err(rule(format!(
                        "meeting {n} is {}: its minutes can still be edited directly; amendments are for approved minutes",
                        target.status
                    )));
                }
                let id = self.insert_amendment(target.id, cx.meeting.id, &cx.login, &text)?;
                self.minute(
                    cx,
                    MinuteKind::Note,
                    format!("Amendment to the minutes of meeting {n}: {text}"),
                    Some(("amendments", id)),
                )?;
                format!("Amendment to meeting {n} recorded.")
            }
            MinuteLine::Undo => self.undo_line(cx.meeting, cx.seat, None)?,
            MinuteLine::Correct { old, new, open } => {
                self.correct_line(cx.meeting, cx.seat, &old, &new, open)?
            }
            MinuteLine::Left { name } => self.left_line(cx, &r, &name)?,
            MinuteLine::NextMeeting { .. } => self.next_meeting_line(cx, &r)?,
            MinuteLine::Item(_) | MinuteLine::Next => String::new(),
        })
    }

    fn attendance_line(
        &mut self,
        cx: &WriteContext<'_>,
        r: &LineNames,
        name: &str,
        role: String,
        status: AttendanceStatus,
    ) -> Result<String> {
        let name = if r.person.is_empty() { name } else { &r.person };
        let from = if !r.agency_code.is_empty() {
            format!(" ({})", r.agency_code)
        } else if !r.organisation.is_empty() {
            format!(" ({})", r.organisation)
        } else {
            String::new()
        };
        let text = match status {
            AttendanceStatus::Present => format!("{name}{from} present"),
            AttendanceStatus::Apologies => format!("Apologies from {name}{from}"),
            AttendanceStatus::Absent => format!("{name}{from} absent"),
        };
        let (id, message) = match r.attendance_id {
            Some(id) => {
                let before = self.attendance_now(id)?;
                let back = status == AttendanceStatus::Present && !before.left_at.is_empty();
                if before.status == status && !back {
                    // A duplicate: the line is kept (it was said), linked to nothing, so
                    // that /undo of it takes only the line.
                    self.minute(cx, MinuteKind::Attendance, text, None)?;
                    return Ok(format!(
                        "{name} is already {}: nothing changed (the line is kept; /undo removes it).",
                        match status {
                            AttendanceStatus::Present => "present",
                            AttendanceStatus::Apologies => "down as sending apologies",
                            AttendanceStatus::Absent => "absent",
                        }
                    ));
                }
                let mut fields = vec![("status", text_value(status.code()))];
                if back {
                    fields.push(("left_at", text_value("")));
                }
                self.update("attendance", id, &fields)?;
                let message = if back {
                    format!("{name} is back (had left at {}).", before.left_at)
                } else if before.status == AttendanceStatus::Apologies
                    && status == AttendanceStatus::Present
                {
                    format!("{name} arrived late: moved from apologies to present.")
                } else {
                    format!("{text}.")
                };
                (id, message)
            }
            None => {
                let role = if !role.is_empty() {
                    role
                } else if !r.role.is_empty() {
                    r.role.clone()
                } else if r.agency_id.is_none() && r.organisation.is_empty() {
                    "Independent".to_string()
                } else {
                    String::new()
                };
                let id = self.insert_attendance(&Attendance {
                    id: 0,
                    meeting_id: cx.meeting.id,
                    person: name.to_string(),
                    agency_id: r.agency_id,
                    role,
                    status,
                    guest: r.guest,
                    organisation: r.organisation.clone(),
                    left_at: String::new(),
                })?;
                let message = if r.guest {
                    format!("{text} (added as a guest).")
                } else {
                    format!("{text}.")
                };
                (id, message)
            }
        };
        self.minute(cx, MinuteKind::Attendance, text, Some(("attendance", id)))?;
        Ok(message)
    }

    /// `/left NAME`: the time an attendee left, kept with their presence.
    fn left_line(&mut self, cx: &WriteContext<'_>, r: &LineNames, typed: &str) -> Result<String> {
        let id = r
            .attendance_id
            .ok_or_else(|| rule(format!("{typed} is not on this meeting's list")))?;
        let now = self.attendance_now(id)?;
        if now.status != AttendanceStatus::Present {
            return Err(rule(format!(
                "{} is not marked present: /present {} first",
                now.person, now.person
            )));
        }
        if !now.left_at.is_empty() {
            return Err(rule(format!(
                "{} is already recorded as leaving at {}: nothing changed",
                now.person, now.left_at
            )));
        }
        self.update("attendance", id, &[("left_at", text_value(&r.left_at))])?;
        let line = format!("{} left at {}", now.person, r.left_at);
        self.minute(
            cx,
            MinuteKind::Attendance,
            line.clone(),
            Some(("attendance", id)),
        )?;
        Ok(format!(
            "{line} (still shown as present, with the time they left)."
        ))
    }

    /// `/next-meeting`: plans the meeting after this one, numbered after the last, and
    /// minutes it as a note linked to it.
    fn next_meeting_line(&mut self, cx: &WriteContext<'_>, r: &LineNames) -> Result<String> {
        let mut plan = r
            .next_meeting
            .clone()
            .ok_or_else(|| rule("no meeting to plan".into()))?;
        let date = plan.meeting.date;
        let shown = date.format("%a %d %b %Y").to_string();
        if date <= cx.meeting.date {
            return Err(rule(format!(
                "the next meeting comes after this one ({}), not on {shown}",
                cx.meeting.date.format("%d %b %Y")
            )));
        }
        let case_id = cx.meeting.case_id;
        let clash: Option<i64> = self
            .tx()
            .query_row(
                "SELECT number FROM meetings WHERE case_id = ?1 AND date = ?2 AND number > ?3 AND deleted_at IS NULL",
                rusqlite::params![case_id, date.format("%Y-%m-%d").to_string(), cx.meeting.number],
                |row| row.get(0),
            )
            .optional()?;
        if let Some(n) = clash {
            return Err(rule(format!(
                "meeting {n} is already planned on {shown}: nothing planned"
            )));
        }
        // Numbers are never reused: a withdrawn meeting keeps its number.
        let number: i64 = self.tx().query_row(
            "SELECT ifnull(max(number), 0) + 1 FROM meetings WHERE case_id = ?1",
            [case_id],
            |row| row.get(0),
        )?;
        plan.meeting.number = number;
        plan.meeting.case_id = case_id;
        let id = self.plan_in(&plan)?;
        let at = if plan.meeting.place.is_empty() {
            String::new()
        } else {
            format!(", {}", plan.meeting.place)
        };
        let text = format!(
            "Next meeting: meeting {number} on {shown} at {}{at}.",
            plan.meeting.start_time
        );
        self.minute(cx, MinuteKind::Note, text, Some(("meetings", id)))?;
        Ok(format!(
            "Planned meeting {number}: {shown} at {}{at}, with the standard agenda ({} items).",
            plan.meeting.start_time,
            plan.agenda.len()
        ))
    }

    /// Writes a planned meeting with its agenda and, absent until marked, its panel.
    fn plan_in(&mut self, plan: &MeetingPlan) -> Result<i64> {
        let m = &plan.meeting;
        let taken: Option<bool> = self
            .tx()
            .query_row(
                "SELECT deleted_at IS NOT NULL FROM meetings WHERE case_id = ?1 AND number = ?2",
                [m.case_id, m.number],
                |r| r.get(0),
            )
            .optional()?;
        match taken {
            Some(false) => {
                return Err(rule(format!("there is already a meeting {}", m.number)));
            }
            Some(true) => {
                return Err(rule(format!(
                    "meeting {} was planned and withdrawn, and numbers are not reused: give another number",
                    m.number
                )));
            }
            None => {}
        }
        let meeting_id = self.insert_meeting(m)?;
        for (i, title) in plan.agenda.iter().enumerate() {
            self.insert_agenda_item(&AgendaItem {
                id: 0,
                meeting_id,
                position: i as i64 + 1,
                title: title.clone(),
            })?;
        }
        for member in &plan.members {
            self.insert_attendance(&Attendance {
                id: 0,
                meeting_id,
                person: member.name.clone(),
                agency_id: Some(member.agency_id),
                role: member.role.clone(),
                status: AttendanceStatus::Absent,
                guest: false,
                organisation: String::new(),
                left_at: String::new(),
            })?;
        }
        Ok(meeting_id)
    }

    /// Approves closed meeting `n` at meeting `at` (in progress, or planned and being
    /// started by the line): fingerprint stored, minutes locked. Returns the fingerprint.
    fn approve(&mut self, at: &Meeting, n: i64) -> Result<String> {
        if at.status != MeetingStatus::InProgress && at.status != MeetingStatus::Planned {
            return Err(rule(format!(
                "minutes are approved at a meeting in progress; meeting {} is {}",
                at.number, at.status
            )));
        }
        let target = self
            .tx()
            .query_row(
                "SELECT * FROM meetings WHERE case_id = ?1 AND number = ?2 AND deleted_at IS NULL",
                [at.case_id, n],
                super::meetings::read_meeting,
            )
            .optional()?
            .ok_or_else(|| rule(format!("there is no meeting {n}")))?;
        if n >= at.number {
            return Err(rule(format!(
                "meeting {n}'s minutes are approved at a later meeting, not at meeting {}",
                at.number
            )));
        }
        if target.status != MeetingStatus::Closed {
            return Err(rule(format!(
                "meeting {n} is {}: only closed minutes can be approved",
                target.status
            )));
        }
        let print = self.minutes_fingerprint(&target)?;
        self.update(
            "meetings",
            target.id,
            &[
                ("status", text(MeetingStatus::Approved.code())),
                ("approved_at_meeting_id", at.id.into()),
                ("fingerprint", text(&print)),
            ],
        )?;
        Ok(print)
    }

    /// Withdraws the last line of a meeting and what it created: a guest it added goes,
    /// a status it changed goes back, and withdrawing an approval unlocks the minutes.
    /// With `chosen`, that line (withdrawn from the browse mode) instead of the last.
    fn undo_line(
        &mut self,
        meeting: &Meeting,
        seat: Option<&str>,
        chosen: Option<Minute>,
    ) -> Result<String> {
        let (last, newer) = match chosen {
            Some(line) => (line, String::new()),
            None => self.own_last_line(meeting.id, seat, "undo")?,
        };
        self.withdraw("minutes", last.id)?;
        if let Some((table, record_id)) = &last.record {
            match Created::of(table, *record_id) {
                // Exactly what the line did is undone: a person it added goes, a status or
                // time of leaving it changed goes back; a presence from before it stays.
                Some(Created::Attendance(id)) => {
                    match self.attendance_change_by_line(id, last.id)? {
                        Some((action, _)) if action == "insert" => {
                            self.withdraw("attendance", id)?;
                        }
                        Some((action, changes)) if action == "update" => {
                            let changes: serde_json::Value =
                                serde_json::from_str(&changes).unwrap_or_default();
                            let mut back = Vec::new();
                            for column in ["status", "left_at"] {
                                if let Some(old) = changes
                                    .get(column)
                                    .and_then(|c| c.get(0))
                                    .and_then(|v| v.as_str())
                                {
                                    back.push((column, text(old)));
                                }
                            }
                            self.update("attendance", id, &back)?;
                        }
                        _ => {}
                    }
                }
                Some(Created::Meeting(id)) => {
                    let planned = self.meeting_now(id)?;
                    let used: i64 = self.tx().query_row(
                        "SELECT count(*) FROM minutes WHERE meeting_id = ?1 AND deleted_at IS NULL",
                        [id],
                        |r| r.get(0),
                    )?;
                    match planned {
                        Some(m) if m.status == MeetingStatus::Planned && used == 0 => {
                            self.withdraw("meetings", id)?;
                        }
                        Some(m) => {
                            return Err(rule(format!(
                                "meeting {} is {} with minutes or has started: it cannot be undone from here",
                                m.number, m.status
                            )));
                        }
                        None => {}
                    }
                }
                Some(Created::Decision(id)) => {
                    let approved = self.meeting_approved_by(id, meeting.id)?;
                    self.withdraw("decisions", id)?;
                    // Withdrawing an approval unlocks the minutes it approved.
                    if let Some(meeting_id) = approved {
                        self.update(
                            "meetings",
                            meeting_id,
                            &[
                                ("status", text(MeetingStatus::Closed.code())),
                                ("approved_at_meeting_id", super::values::id(None)),
                                ("fingerprint", text("")),
                            ],
                        )?;
                    }
                }
                Some(created) => {
                    let (table, id) = created.table_and_id();
                    self.withdraw(table, id)?;
                }
                None => {
                    return Err(rule(format!("a line of kind {table} cannot be undone")));
                }
            }
        }
        Ok(format!(
            "Withdrawn: \"{}\" (kept in the audit trail).{newer}",
            crate::domain::text::one_line(&last.text)
        ))
    }

    /// Who wrote line `minute`: the login of its seat, or of its first audit row.
    fn author_of(&self, minute: &Minute, seat: Option<&str>) -> Result<String> {
        if let Some(seat) = seat.and_then(Seat::parse) {
            return Ok(seat.login);
        }
        Ok(self
            .tx()
            .query_row(
                "SELECT login FROM audit WHERE table_name = 'minutes' AND row_id = ?1 ORDER BY id LIMIT 1",
                [minute.id],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or_else(|| "someone".into()))
    }

    /// The last line of a meeting that is this seat's own — written by this seat, or by
    /// this login from a seat that has gone (a window closed, a connection dropped), or
    /// before seats were recorded — with a note naming whose the newer lines are. With no
    /// seat (a caller outside the workspace), the meeting's last line.
    fn own_last_line(
        &self,
        meeting_id: i64,
        seat: Option<&str>,
        verb: &str,
    ) -> Result<(Minute, String)> {
        let nothing = || rule(format!("there is no line to {verb} in this meeting"));
        let Some(seat) = seat else {
            let last = self.last_minute(meeting_id)?.ok_or_else(nothing)?;
            return Ok((last, String::new()));
        };
        let this = Seat::parse(seat);
        let login = this.as_ref().map_or(self.login(), |s| s.login.as_str());
        let lines: Vec<(Minute, Option<String>)> = self
            .tx()
            .prepare(
                "SELECT *, seat AS line_seat FROM minutes WHERE meeting_id = ?1 AND deleted_at IS NULL ORDER BY position DESC, id DESC",
            )?
            .query_map([meeting_id], |r| {
                Ok((super::meetings::read_minute(r)?, r.get("line_seat")?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut others: Vec<String> = Vec::new();
        for (minute, line_seat) in &lines {
            let own = match line_seat.as_deref() {
                Some(s) if s == seat => true,
                Some(s) => Seat::parse(s).is_some_and(|other| {
                    other.login == login && other.liveness() == Liveness::Gone
                }),
                None => self.author_of(minute, None)? == login,
            };
            if own {
                let newer = if others.is_empty() {
                    String::new()
                } else {
                    format!(
                        " The newer line{} by {} {} untouched.",
                        if others.len() == 1 { "" } else { "s" },
                        others.join(", "),
                        if others.len() == 1 { "is" } else { "are" }
                    )
                };
                return Ok((minute.clone(), newer));
            }
            let who = self.author_of(minute, line_seat.as_deref())?;
            let who = if who == login {
                "you, in another window".to_string()
            } else {
                who
            };
            if !others.contains(&who) {
                others.push(who);
            }
        }
        match others.first() {
            None => Err(nothing()),
            Some(_) => Err(rule(format!(
                "you have no line of your own to {verb} in this meeting: the last line is {}'s, and /{verb} acts only on your own",
                others.join(", ")
            ))),
        }
    }

    /// Corrects the last line of a meeting, and the text of the record it created.
    fn correct_line(
        &mut self,
        meeting: &Meeting,
        seat: Option<&str>,
        old: &str,
        new: &str,
        open: bool,
    ) -> Result<String> {
        let (last, newer) = self.own_last_line(meeting.id, seat, "correct")?;
        if !last.text.contains(old) {
            return Err(rule(if open {
                format!("no \"{old}\" in your last line \u{2014} write //s/\u{2026} for a note")
            } else {
                format!("your last line does not contain \"{old}\": nothing was changed")
            }));
        }
        let corrected = last.text.replacen(old, new, 1);
        self.update("minutes", last.id, &[("body", text(&corrected))])?;
        if let Some(created) = last
            .record
            .as_ref()
            .and_then(|(table, id)| Created::of(table, *id))
            && let Some(column) = created.text_column()
        {
            let (table, id) = created.table_and_id();
            if let Some(current) = self.record_text(table, id, column)?
                && current.contains(old)
            {
                self.update(table, id, &[(column, text(&current.replacen(old, new, 1)))])?;
            }
        }
        Ok(format!(
            "Corrected: \"{}\".{newer}",
            crate::domain::text::one_line(&corrected)
        ))
    }
}

impl Store {
    /// Commits one line of live minuting with the record it creates, in one transaction:
    /// the meeting is read again inside it and the line refused (nothing written) if the
    /// minutes are approved, or the meeting closed and the line neither `/undo` nor a
    /// correction. A planned meeting starts with its first line. Returns the confirmation.
    pub fn commit_minute_line(
        &mut self,
        place: &LinePlace,
        line: MinuteLine,
        names: LineNames,
    ) -> Result<String> {
        self.write(|w| {
            if let Some(key) = &place.key
                && let Some(body) = w.minute_with_key(key)?
            {
                return Ok(format!(
                    "Already written: \"{}\".",
                    crate::domain::text::one_line(&body)
                ));
            }
            let meeting = meeting_in(w, place.meeting_id)?;
            check_line_allowed(&meeting, &line).map_err(StoreError::Rule)?;
            if meeting.status == MeetingStatus::Planned {
                let mut fields = vec![("status", text(MeetingStatus::InProgress.code()))];
                fields.extend(w.default_minute_taker(&meeting)?);
                w.update("meetings", meeting.id, &fields)?;
            }
            let cx = WriteContext {
                meeting: &meeting,
                item_id: place.item_id,
                minuted_at: &place.minuted_at,
                login: w.login().to_string(),
                seat: place.seat.as_deref(),
                key: place.key.as_deref(),
            };
            w.write_line(&cx, line, names)
        })
    }

    /// `/undo` on its own: withdraws the last line of a meeting and what it created,
    /// refused if the minutes are approved.
    pub fn undo_minute_line(&mut self, meeting_id: i64) -> Result<String> {
        self.write(|w| {
            let meeting = meeting_in(w, meeting_id)?;
            check_line_allowed(&meeting, &MinuteLine::Undo).map_err(StoreError::Rule)?;
            w.undo_line(&meeting, None, None)
        })
    }

    /// Approves closed meeting `n` at meeting `at_meeting_id`; returns the fingerprint.
    pub fn approve_minutes(&mut self, at_meeting_id: i64, n: i64) -> Result<String> {
        self.write(|w| {
            let at = meeting_in(w, at_meeting_id)?;
            w.approve(&at, n)
        })
    }

    /// Plans a meeting with its agenda; attendance starts from the panel members, absent
    /// until marked. Returns the meeting's id.
    pub fn plan_meeting(&mut self, plan: &MeetingPlan) -> Result<i64> {
        self.write(|w| w.plan_in(plan))
    }

    /// Starts a planned meeting at `time` (local HH:MM). A planned start time is kept;
    /// `time` (the clock) is used only when none was planned. A meeting without a minute
    /// taker takes the person on the case linked to the login starting it.
    pub fn start_meeting(&mut self, meeting_id: i64, time: &str) -> Result<()> {
        self.move_meeting(
            meeting_id,
            MeetingStatus::Planned,
            MeetingStatus::InProgress,
            ("start_time", time),
            "only a planned meeting can start",
        )
    }

    /// Records who takes the minutes of a meeting, refused (inside the transaction) once
    /// its minutes are approved. Returns whether anything changed.
    pub fn set_minute_taker(&mut self, meeting_id: i64, name: &str) -> Result<bool> {
        self.write(|w| {
            let m = meeting_in(w, meeting_id)?;
            if m.status == MeetingStatus::Approved {
                let now = if m.minute_taker.trim().is_empty() {
                    "blank".to_string()
                } else {
                    m.minute_taker.trim().to_string()
                };
                return Err(rule(format!(
                    "the minutes of meeting {} are approved and locked: the minute taker stays {now}; a correction is an amendment (/amend {})",
                    m.number, m.number
                )));
            }
            w.update("meetings", meeting_id, &[("minute_taker", text(name.trim()))])
        })
    }

    /// Closes a meeting in progress at `time` (local HH:MM).
    pub fn close_meeting(&mut self, meeting_id: i64, time: &str) -> Result<()> {
        self.move_meeting(
            meeting_id,
            MeetingStatus::InProgress,
            MeetingStatus::Closed,
            ("end_time", time),
            "only a meeting in progress can close",
        )
    }

    /// Moves a meeting from one status to the next with the time it happened, refusing
    /// (inside the transaction) a meeting that is no longer in the `from` status.
    fn move_meeting(
        &mut self,
        meeting_id: i64,
        from: MeetingStatus,
        to: MeetingStatus,
        (time_column, time): (&'static str, &str),
        refusal: &str,
    ) -> Result<()> {
        self.write(|w| {
            let m = meeting_in(w, meeting_id)?;
            if m.status != from {
                return Err(rule(format!(
                    "Meeting {} is {}: {refusal}.",
                    m.number, m.status
                )));
            }
            // A planned start time stays (read in this transaction): the clock's time
            // is the start only when none was planned.
            let time = if time_column == "start_time" && !m.start_time.trim().is_empty() {
                m.start_time.clone()
            } else {
                time.to_string()
            };
            let mut fields = vec![("status", text(to.code())), (time_column, text(&time))];
            if to == MeetingStatus::InProgress {
                fields.extend(w.default_minute_taker(&m)?);
            }
            w.update("meetings", meeting_id, &fields)?;
            Ok(())
        })
    }

    /// Changes the text of a line of the minutes, refused once they are approved.
    pub fn edit_minute(&mut self, minute_id: i64, body: &str) -> Result<bool> {
        self.write(|w| {
            refuse_if_locked(w, meeting_of(w, "minutes", minute_id)?)?;
            w.update("minutes", minute_id, &[("body", text(body))])
        })
    }

    /// A line of the minutes as a correction of it by this login sees it.
    pub fn line_facts(&self, minute_id: i64) -> Result<LineFacts> {
        line_facts_on(self.conn(), minute_id, self.login())
    }

    /// Withdraws a line of the minutes (not necessarily the last) and what it created, as
    /// `/undo` does, after a question: inside the transaction the minutes must still be
    /// unlocked, the author the one the question named, and the record as it showed it.
    pub fn withdraw_minute(&mut self, minute_id: i64, seen: LineSeen) -> Result<String> {
        self.write(|w| {
            let facts = line_facts_on(w.tx(), minute_id, w.login())?;
            check_seen(&facts, seen, "withdrawn")?;
            let meeting = meeting_in(w, facts.minute.meeting_id)?;
            w.undo_line(&meeting, None, Some(facts.minute))
        })
    }

    /// Changes the text of a line after a question (or of this login's own line), with
    /// the same checks as [`Store::withdraw_minute`].
    pub fn edit_minute_seen(&mut self, minute_id: i64, body: &str, seen: LineSeen) -> Result<bool> {
        self.write(|w| {
            let facts = line_facts_on(w.tx(), minute_id, w.login())?;
            check_seen(&facts, seen, "changed")?;
            let (old, record): (String, Option<(String, i64)>) = w.tx().query_row(
                "SELECT body, record_table, record_id FROM minutes WHERE id = ?1",
                [minute_id],
                |r| {
                    let table: Option<String> = r.get(1)?;
                    let id: Option<i64> = r.get(2)?;
                    Ok((r.get(0)?, table.zip(id)))
                },
            )?;
            let changed = w.update("minutes", minute_id, &[("body", text(body))])?;
            // The record the line created follows the edit when its text stands in the
            // line unchanged around the edit (the line is "words before, the record's
            // text, words after" and only the record's text was edited), as a
            // correction with s/old/new/ does.
            if let Some(created) = record
                .as_ref()
                .and_then(|(table, id)| Created::of(table, *id))
                && let Some(column) = created.text_column()
            {
                let (table, id) = created.table_and_id();
                if let Some(current) = w.record_text(table, id, column)?
                    && let Some(followed) = crate::domain::text::follow_edit(&old, body, &current)
                    && followed != current
                {
                    w.update(table, id, &[(column, text(&followed))])?;
                }
            }
            Ok(changed)
        })
    }

    /// Moves a line of the minutes to another agenda item, refused once they are approved.
    pub fn move_minute(&mut self, minute_id: i64, item_id: i64) -> Result<bool> {
        self.write(|w| {
            refuse_if_locked(w, meeting_of(w, "minutes", minute_id)?)?;
            w.update("minutes", minute_id, &[("agenda_item_id", item_id.into())])
        })
    }

    /// Adds an agenda item after the last one, refused once the minutes are approved.
    pub fn add_agenda_item(&mut self, meeting_id: i64, title: &str) -> Result<i64> {
        self.write(|w| {
            refuse_if_locked(w, meeting_id)?;
            let position: i64 = w.tx().query_row(
                "SELECT ifnull(max(position), 0) + 1 FROM agenda_items WHERE meeting_id = ?1 AND deleted_at IS NULL",
                [meeting_id],
                |r| r.get(0),
            )?;
            w.insert_agenda_item(&AgendaItem {
                id: 0,
                meeting_id,
                position,
                title: title.to_string(),
            })
        })
    }

    /// Records a person as present, sending apologies or absent, refused once the
    /// minutes are approved.
    pub fn set_attendance(&mut self, attendance_id: i64, status: AttendanceStatus) -> Result<bool> {
        self.write(|w| {
            refuse_if_locked(w, meeting_of(w, "attendance", attendance_id)?)?;
            w.update(
                "attendance",
                attendance_id,
                &[("status", text(status.code()))],
            )
        })
    }
}
