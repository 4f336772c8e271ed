//! The fingerprint of approved minutes: SHA-256 over a canonical, versioned
//! plain-text form of everything the approved minutes show — the meeting's fields, the
//! attendance with each attendee's agency (code and name), the declarations of interest,
//! the agenda items and the minute texts in order. No export time and no amendments, so
//! later exports can prove the minutes are the ones approved. Minutes approved under the
//! first form (which left out declarations and agency names) are still checked against it.

use sha2::{Digest, Sha256};

use super::model::{AgendaItem, Attendance, Declaration, Meeting, Minute};

/// The version of the canonical form new approvals take; a change to the form is a new
/// version.
pub const FORM_VERSION: &str = "dhr-panel-minutes-v2";

/// The first form, still accepted for minutes approved under it.
pub const FORM_VERSION_1: &str = "dhr-panel-minutes-v1";

/// What the approved minutes show of a meeting, as the fingerprint reads it.
pub struct MinutesShown<'a> {
    pub meeting: &'a Meeting,
    pub attendance: &'a [Attendance],
    /// An attendee's agency (by its id) as shown: its code and its name.
    pub agency: &'a dyn Fn(Option<i64>) -> (String, String),
    pub declarations: &'a [Declaration],
    pub agenda: &'a [AgendaItem],
    pub minutes: &'a [Minute],
}

impl MinutesShown<'_> {
    /// The canonical text of the current form.
    pub fn canonical(&self) -> String {
        let code = |id: Option<i64>| (self.agency)(id).0;
        let mut out = canonical_minutes(
            self.meeting,
            self.attendance,
            &code,
            self.agenda,
            self.minutes,
        );
        out.replace_range(..FORM_VERSION_1.len(), FORM_VERSION);
        out.push_str("agencies\n");
        let mut shown: Vec<(String, String)> = Vec::new();
        for a in self.attendance {
            let agency = (self.agency)(a.agency_id);
            if !agency.0.is_empty() && !shown.contains(&agency) {
                shown.push(agency);
            }
        }
        for (code, name) in shown {
            out.push_str(&format!("\t{}\t{}\n", field(&code), field(&name)));
        }
        out.push_str("declarations\n");
        for d in self.declarations {
            out.push_str(&format!("\t{}\t{}\n", field(&d.person), field(&d.text)));
        }
        // A guest's organisation and an early departure (added with migration 6) are part
        // of the form only where there is one, so minutes approved before keep their
        // fingerprint under this same version.
        let noted: Vec<&Attendance> = self
            .attendance
            .iter()
            .filter(|a| !a.organisation.is_empty() || !a.left_at.is_empty())
            .collect();
        if !noted.is_empty() {
            out.push_str("organisations and departures\n");
            for a in noted {
                out.push_str(&format!(
                    "\t{}\t{}\t{}\n",
                    field(&a.person),
                    field(&a.organisation),
                    field(&a.left_at)
                ));
            }
        }
        out
    }

    /// The fingerprint of the current form.
    pub fn fingerprint(&self) -> String {
        fingerprint(&self.canonical())
    }

    /// Whether `stored` is the fingerprint of these minutes in the current form, or in
    /// the first form for minutes approved before the current one.
    pub fn matches(&self, stored: &str) -> bool {
        let stored = stored.trim();
        let code = |id: Option<i64>| (self.agency)(id).0;
        stored.eq_ignore_ascii_case(&self.fingerprint())
            || stored.eq_ignore_ascii_case(&fingerprint(&canonical_minutes(
                self.meeting,
                self.attendance,
                &code,
                self.agenda,
                self.minutes,
            )))
    }
}

/// Escapes a value so that no field can imitate the form's own separators.
fn field(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('\n', "\\n")
        .replace('\r', "\\r")
        .replace('\t', "\\t")
}

/// The canonical text of the first form. `agency_code` names an attendee's agency (by
/// its id) as it is shown.
pub fn canonical_minutes(
    meeting: &Meeting,
    attendance: &[Attendance],
    agency_code: &dyn Fn(Option<i64>) -> String,
    agenda: &[AgendaItem],
    minutes: &[Minute],
) -> String {
    let mut out = String::new();
    out.push_str(FORM_VERSION_1);
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
            organisation: String::new(),
            left_at: String::new(),
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
    fn the_current_form_covers_declarations_and_agency_names_and_the_first_still_matches() {
        let (a, g, n) = parts();
        let m = meeting();
        let agency = |_: Option<i64>| ("POLICE".to_string(), "Northgate Police".to_string());
        let declarations = vec![Declaration {
            id: 1,
            meeting_id: 1,
            person: "A Person".into(),
            text: "Knew the family".into(),
        }];
        let shown = MinutesShown {
            meeting: &m,
            attendance: &a,
            agency: &agency,
            declarations: &declarations,
            agenda: &g,
            minutes: &n,
        };
        let now = shown.fingerprint();
        assert!(shown.canonical().starts_with(FORM_VERSION));
        assert!(shown.matches(&now));
        assert!(
            shown.matches(&print(&m, &a, &g, &n)),
            "approved under the first form"
        );
        let other_declaration = vec![Declaration {
            text: "Did not know the family".into(),
            ..declarations[0].clone()
        }];
        let changed = MinutesShown {
            declarations: &other_declaration,
            ..shown
        };
        assert!(!changed.matches(&now), "a changed declaration shows");
        let renamed = |_: Option<i64>| ("POLICE".to_string(), "Westgate Police".to_string());
        let renamed = MinutesShown {
            agency: &renamed,
            ..shown
        };
        assert!(!renamed.matches(&now), "a renamed agency shows");
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

    #[test]
    fn an_organisation_or_a_departure_shows_only_where_there_is_one() {
        let (a, g, n) = parts();
        let m = meeting();
        let agency = |_: Option<i64>| ("POLICE".to_string(), "Northgate Police".to_string());
        let shown = MinutesShown {
            meeting: &m,
            attendance: &a,
            agency: &agency,
            declarations: &[],
            agenda: &g,
            minutes: &n,
        };
        let before = shown.fingerprint();
        assert!(
            !shown.canonical().contains("departures"),
            "minutes approved before migration 6 keep their canonical text"
        );
        let mut left = a.clone();
        left[0].left_at = "11:20".into();
        let with_left = MinutesShown {
            attendance: &left,
            ..shown
        };
        assert!(with_left.canonical().contains("\tA Person\t\t11:20\n"));
        assert_ne!(with_left.fingerprint(), before, "a departure shows");
        let mut guest = a.clone();
        guest[0].organisation = "Northgate CSP".into();
        let with_org = MinutesShown {
            attendance: &guest,
            ..shown
        };
        assert_ne!(with_org.fingerprint(), before, "an organisation shows");
    }
}
