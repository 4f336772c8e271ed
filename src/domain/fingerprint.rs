//! The fingerprint of approved minutes: SHA-256 over a canonical, versioned
//! plain-text form of the meeting — its fields, attendance, agenda items and minute texts
//! in order. No export time and no amendments, so later exports can prove the minutes
//! are the ones approved.

use sha2::{Digest, Sha256};

use super::model::{AgendaItem, Attendance, Meeting, Minute};

/// The version of the canonical form; a change to the form is a new version.
pub const FORM_VERSION: &str = "dhr-panel-minutes-v1";

/// Escapes a value so that no field can imitate the form's own separators.
fn field(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('\n', "\\n")
        .replace('\r', "\\r")
        .replace('\t', "\\t")
}

/// The canonical text the fingerprint is taken over. `agency_code` names an attendee's
/// agency (by its id) as it is shown.
pub fn canonical_minutes(
    meeting: &Meeting,
    attendance: &[Attendance],
    agency_code: &dyn Fn(Option<i64>) -> String,
    agenda: &[AgendaItem],
    minutes: &[Minute],
) -> String {
    let mut out = String::new();
    out.push_str(FORM_VERSION);
    out.push('\n');
    out.push_str(&format!("meeting\t{}\n", meeting.number));
    out.push_str(&format!("date\t{}\n", meeting.date.format("%Y-%m-%d")));
    out.push_str(&format!(
        "start\t{}\nend\t{}\n",
        field(&meeting.start_time),
        field(&meeting.end_time)
    ));
    out.push_str(&format!("place\t{}\n", field(&meeting.place)));
    out.push_str(&format!(
        "chair\t{}\nminute taker\t{}\n",
        field(&meeting.chair),
        field(&meeting.minute_taker)
    ));
    out.push_str("attendance\n");
    for a in attendance {
        out.push_str(&format!(
            "\t{}\t{}\t{}\t{}\n",
            field(&a.person),
            field(&agency_code(a.agency_id)),
            field(&a.role),
            a.status.code()
        ));
    }
    out.push_str("agenda\n");
    for item in agenda {
        out.push_str(&format!("\t{}\t{}\n", item.position, field(&item.title)));
        for m in minutes.iter().filter(|m| m.agenda_item_id == item.id) {
            out.push_str(&format!(
                "\t\t{}\t{}\t{}\n",
                field(&m.minuted_at),
                m.kind.code(),
                field(&m.text)
            ));
        }
    }
    out
}

/// SHA-256 of the canonical text, lower-case hex.
pub fn fingerprint(canonical: &str) -> String {
    let digest = Sha256::digest(canonical.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::{AttendanceStatus, MeetingStatus, MinuteKind};
    use chrono::NaiveDate;

    fn meeting() -> Meeting {
        Meeting {
            id: 1,
            case_id: 1,
            number: 2,
            date: NaiveDate::from_ymd_opt(2026, 9, 3).unwrap(),
            start_time: "14:00".into(),
            end_time: "16:50".into(),
            place: "Online".into(),
            chair: "Chair".into(),
            minute_taker: "Secretary".into(),
            status: MeetingStatus::Closed,
            approved_at_meeting_id: None,
            fingerprint: String::new(),
        }
    }

    fn parts() -> (Vec<Attendance>, Vec<AgendaItem>, Vec<Minute>) {
        let attendance = vec![Attendance {
            id: 1,
            meeting_id: 1,
            person: "A Person".into(),
            agency_id: Some(7),
            role: "Member".into(),
            status: AttendanceStatus::Present,
            guest: false,
        }];
        let agenda = vec![AgendaItem {
            id: 10,
            meeting_id: 1,
            position: 1,
            title: "Welcome".into(),
        }];
        let minutes = vec![Minute {
            id: 5,
            meeting_id: 1,
            agenda_item_id: 10,
            position: 1,
            minuted_at: "2026-09-03T14:01:00Z".into(),
            kind: MinuteKind::Note,
            text: "Welcome.\nApologies noted.".into(),
            record: None,
        }];
        (attendance, agenda, minutes)
    }

    fn print(m: &Meeting, a: &[Attendance], g: &[AgendaItem], n: &[Minute]) -> String {
        fingerprint(&canonical_minutes(m, a, &|_| "POLICE".into(), g, n))
    }

    #[test]
    fn the_same_minutes_give_the_same_fingerprint_and_any_change_another() {
        let (a, g, n) = parts();
        let base = print(&meeting(), &a, &g, &n);
        assert_eq!(base.len(), 64);
        assert_eq!(base, print(&meeting(), &a, &g, &n));
        let mut changed = n.clone();
        changed[0].text = "Welcome.\nApologies noted!".into();
        assert_ne!(base, print(&meeting(), &a, &g, &changed));
        let mut absent = a.clone();
        absent[0].status = AttendanceStatus::Absent;
        assert_ne!(base, print(&meeting(), &absent, &g, &n));
        let mut m = meeting();
        m.place = "Room 2".into();
        assert_ne!(base, print(&m, &a, &g, &n));
    }

    #[test]
    fn approval_status_is_not_part_of_the_fingerprint() {
        let (a, g, n) = parts();
        let mut approved = meeting();
        approved.status = MeetingStatus::Approved;
        assert_eq!(print(&meeting(), &a, &g, &n), print(&approved, &a, &g, &n));
    }

    #[test]
    fn a_line_break_in_a_text_cannot_forge_another_field() {
        let (a, g, mut n) = parts();
        n[0].text = "x\n\t\t2026\tnote\ty".into();
        let text = canonical_minutes(&meeting(), &a, &|_| String::new(), &g, &n);
        assert_eq!(
            text.lines().count(),
            13,
            "one line per field and minute:\n{text}"
        );
    }
}
