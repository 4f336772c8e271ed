//! The minutes as a record reads them, computed once for every writer (Markdown now, a
//! Word document later): the minutes as numbered paragraphs under each agenda item
//! ("3.1", "3.2": the item's number, then the line's), attendance as one table, and how
//! an amendment is introduced (the meeting at which it was made, with that meeting's
//! date, and the day it was recorded, separately).

use chrono::NaiveDate;

use crate::domain::document::Lead;
use crate::domain::model::{
    Agency, AgendaItem, Amendment, Attendance, AttendanceStatus, Minute, MinuteKind,
};

/// One paragraph of the minutes: its number and its text.
#[derive(Debug, Clone, PartialEq)]
pub struct Paragraph<'a> {
    /// "3.1": the agenda item's number, a dot, the paragraph's place under it.
    pub number: String,
    /// The line it comes from (its time, its kind).
    pub minute: &'a Minute,
    /// What the paragraph says: the line's text, led by its kind when it is not a note
    /// ("DECISION: …").
    pub text: String,
    /// The paragraph's bold lead-in in a document: its kind when it is not a note.
    pub lead: Option<Lead>,
    /// The line's own text, without the lead-in.
    pub body: &'a str,
}

/// An agenda item with its numbered paragraphs.
#[derive(Debug, Clone, PartialEq)]
pub struct NumberedItem<'a> {
    /// The item's number on the agenda.
    pub number: i64,
    pub title: &'a str,
    pub paragraphs: Vec<Paragraph<'a>>,
}

/// The minutes of a meeting as numbered paragraphs.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NumberedMinutes<'a> {
    pub items: Vec<NumberedItem<'a>>,
    /// Lines under an item no longer on the agenda, numbered as one more item after the
    /// last (`orphan_number`).
    pub orphans: Vec<Paragraph<'a>>,
    pub orphan_number: i64,
}

/// Whether a line of the minutes is a paragraph of the record. Attendance lines are not:
/// attendance is shown once, as a table.
pub fn is_paragraph(minute: &Minute) -> bool {
    minute.kind != MinuteKind::Attendance
}

/// What a line says as a paragraph: its text, led by its kind when it is not a note.
pub fn paragraph_text(minute: &Minute) -> String {
    match minute.kind {
        MinuteKind::Note => minute.text.clone(),
        kind => format!("{}: {}", kind.label(), minute.text),
    }
}

/// The lead-in of a line's paragraph in a document: its kind, when it is not a note.
pub fn paragraph_lead(minute: &Minute) -> Option<Lead> {
    match minute.kind {
        MinuteKind::Note | MinuteKind::Attendance => None,
        MinuteKind::Decision => Some(Lead::Decision),
        MinuteKind::Action => Some(Lead::Action),
        MinuteKind::Challenge => Some(Lead::Challenge),
        MinuteKind::Declaration => Some(Lead::Declaration),
    }
}

/// Numbers the minutes (in their order) under the agenda items (in theirs): the n-th
/// paragraph under item p is "p.n". Attendance lines are left out (see [`is_paragraph`]).
pub fn numbered_minutes<'a>(
    agenda: &'a [AgendaItem],
    minutes: &'a [Minute],
) -> NumberedMinutes<'a> {
    let number = |item: i64, lines: &mut Vec<Paragraph<'a>>, m: &'a Minute| {
        let n = lines.len() + 1;
        lines.push(Paragraph {
            number: format!("{item}.{n}"),
            minute: m,
            text: paragraph_text(m),
            lead: paragraph_lead(m),
            body: &m.text,
        });
    };
    let items = agenda
        .iter()
        .map(|item| {
            let mut paragraphs = Vec::new();
            for m in minutes
                .iter()
                .filter(|m| m.agenda_item_id == item.id && is_paragraph(m))
            {
                number(item.position, &mut paragraphs, m);
            }
            NumberedItem {
                number: item.position,
                title: &item.title,
                paragraphs,
            }
        })
        .collect();
    let orphan_number = agenda.iter().map(|i| i.position).max().unwrap_or(0) + 1;
    let mut orphans = Vec::new();
    for m in minutes
        .iter()
        .filter(|m| !agenda.iter().any(|i| i.id == m.agenda_item_id) && is_paragraph(m))
    {
        number(orphan_number, &mut orphans, m);
    }
    NumberedMinutes {
        items,
        orphans,
        orphan_number,
    }
}

/// One row of the attendance table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttendanceRow {
    pub name: String,
    /// The agency, or "Independent" for a person of no agency of the case.
    pub organisation: String,
    /// Their role, "(guest)" after it for a guest.
    pub role: String,
    pub status: AttendanceStatus,
}

/// The attendance of a meeting as one table: the present first, then apologies, then
/// the absent, each in the order recorded.
pub fn attendance_table(attendance: &[Attendance], agencies: &[Agency]) -> Vec<AttendanceRow> {
    let mut rows: Vec<(usize, AttendanceRow)> = attendance
        .iter()
        .map(|a| {
            let rank = match a.status {
                AttendanceStatus::Present => 0,
                AttendanceStatus::Apologies => 1,
                AttendanceStatus::Absent => 2,
            };
            let organisation = agencies
                .iter()
                .find(|g| Some(g.id) == a.agency_id)
                .map(|g| g.name.trim().to_string())
                .filter(|n| !n.is_empty())
                .or_else(|| Some(a.organisation.trim().to_string()).filter(|o| !o.is_empty()))
                .unwrap_or_else(|| "Independent".to_string());
            let mut role = if a.guest {
                format!("{} (guest)", a.role.trim()).trim().to_string()
            } else {
                a.role.trim().to_string()
            };
            if !a.left_at.is_empty() {
                if !role.is_empty() {
                    role.push_str("; ");
                }
                role.push_str(&format!("left at {}", a.left_at));
            }
            (
                rank,
                AttendanceRow {
                    name: a.person.trim().to_string(),
                    organisation,
                    role,
                    status: a.status,
                },
            )
        })
        .collect();
    rows.sort_by_key(|(rank, _)| *rank);
    rows.into_iter().map(|(_, row)| row).collect()
}

/// The words an attendance status takes in the table.
pub fn attendance_word(status: AttendanceStatus) -> &'static str {
    match status {
        AttendanceStatus::Present => "Present",
        AttendanceStatus::Apologies => "Apologies",
        AttendanceStatus::Absent => "Absent",
    }
}

/// How an amendment is introduced: the meeting at which it was made, with that meeting's
/// date, then the day it was recorded and who recorded it (`recorded_by`: a name, or a
/// login; `None` leaves it out). "Made at meeting 2 (13 Jan 2027); recorded 02 Dec 2026
/// by Gareth Pryce".
pub fn amendment_label(
    amendment: &Amendment,
    recorded_on: Option<NaiveDate>,
    recorded_by: Option<&str>,
) -> String {
    let mut label = match (
        amendment.made_at_meeting_number,
        amendment.made_at_meeting_date,
    ) {
        (Some(n), Some(d)) => format!("Made at meeting {n} ({})", d.format("%d %b %Y")),
        (Some(n), None) => format!("Made at meeting {n}"),
        (None, _) => "Made outside a meeting".to_string(),
    };
    if let Some(day) = recorded_on {
        label.push_str(&format!("; recorded {}", day.format("%d %b %Y")));
    }
    if let Some(by) = recorded_by.map(str::trim).filter(|b| !b.is_empty()) {
        if recorded_on.is_some() {
            label.push_str(&format!(" by {by}"));
        } else {
            label.push_str(&format!("; recorded by {by}"));
        }
    }
    label
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: i64, position: i64) -> AgendaItem {
        AgendaItem {
            id,
            meeting_id: 1,
            position,
            title: format!("Item {position}"),
        }
    }

    fn minute(id: i64, item: i64, kind: MinuteKind, text: &str) -> Minute {
        Minute {
            id,
            meeting_id: 1,
            agenda_item_id: item,
            position: id,
            minuted_at: String::new(),
            kind,
            text: text.into(),
            record: None,
        }
    }

    #[test]
    fn paragraphs_are_numbered_by_item_and_line_without_attendance() {
        let agenda = [item(10, 1), item(30, 3)];
        let minutes = [
            minute(1, 30, MinuteKind::Note, "first"),
            minute(2, 30, MinuteKind::Attendance, "Jo present"),
            minute(3, 10, MinuteKind::Note, "welcome"),
            minute(4, 30, MinuteKind::Decision, "agreed"),
            minute(5, 99, MinuteKind::Note, "stray"),
        ];
        let n = numbered_minutes(&agenda, &minutes);
        let numbers: Vec<(&str, &str)> = n
            .items
            .iter()
            .flat_map(|i| i.paragraphs.iter())
            .chain(n.orphans.iter())
            .map(|p| (p.number.as_str(), p.text.as_str()))
            .collect();
        assert_eq!(
            numbers,
            [
                ("1.1", "welcome"),
                ("3.1", "first"),
                ("3.2", "DECISION: agreed"),
                ("4.1", "stray"),
            ]
        );
    }

    #[test]
    fn an_amendment_names_its_meeting_with_that_meetings_date_and_when_it_was_recorded() {
        let a = Amendment {
            id: 1,
            meeting_id: 1,
            made_at_meeting_id: Some(2),
            made_at_meeting_number: Some(2),
            made_at_meeting_date: NaiveDate::from_ymd_opt(2027, 1, 13),
            made_by: "root".into(),
            made_at: String::new(),
            text: "x".into(),
        };
        assert_eq!(
            amendment_label(
                &a,
                NaiveDate::from_ymd_opt(2026, 12, 2),
                Some("Gareth Pryce")
            ),
            "Made at meeting 2 (13 Jan 2027); recorded 02 Dec 2026 by Gareth Pryce"
        );
        assert_eq!(
            amendment_label(&a, None, None),
            "Made at meeting 2 (13 Jan 2027)"
        );
    }
}
