//! Rules over the family and support network's involvement and the parallel proceedings
//! (the records are in `domain::review`): whether a person approached was offered
//! specialist advocacy, what a contact shared; and the blank records the forms, the demo
//! and the tests start from.

use chrono::NaiveDate;

use super::review::{
    AdvocacyResponse, Connection, Consent, ContactMethod, FamilyContact, FamilyPerson, Proceeding,
    ProceedingKind,
};

impl Proceeding {
    /// A proceeding of `kind` titled `title`, nothing else recorded yet.
    pub fn new(case_id: i64, kind: ProceedingKind, title: &str) -> Proceeding {
        Proceeding {
            id: 0,
            case_id,
            kind,
            title: title.to_string(),
            contact: String::new(),
            contact_role: String::new(),
            charged_on: None,
            trial_on: None,
            verdict_on: None,
            sentenced_on: None,
            opened_on: None,
            resumed_on: None,
            concluded_on: None,
            notes: String::new(),
        }
    }
}

impl FamilyPerson {
    /// Subject `subject_id` as a person approached, nothing recorded of the approach yet.
    pub fn new(case_id: i64, subject_id: i64, connection: Connection) -> FamilyPerson {
        FamilyPerson {
            id: 0,
            case_id,
            subject_id,
            connection,
            approached_on: None,
            approached_by: String::new(),
            advocacy_offered_on: None,
            advocacy_offered_by: String::new(),
            advocacy_response: AdvocacyResponse::Awaited,
            advocate: String::new(),
            notes: String::new(),
        }
    }
}

impl FamilyContact {
    /// A contact with person `person_id` on `on` by `method`, nothing shared or said yet.
    pub fn new(
        case_id: i64,
        person_id: i64,
        on: Option<NaiveDate>,
        method: ContactMethod,
    ) -> FamilyContact {
        FamilyContact {
            id: 0,
            case_id,
            person_id,
            contact_on: on,
            method,
            by_whom: String::new(),
            shared_tor: false,
            shared_draft: false,
            shared_publication_date: false,
            views: String::new(),
            consent: Consent::None,
            consent_detail: String::new(),
        }
    }

    /// What the contact shared, in words: "terms of reference", "draft report",
    /// "publication date".
    pub fn shared(&self) -> Vec<&'static str> {
        [
            (self.shared_tor, "terms of reference"),
            (self.shared_draft, "draft report"),
            (self.shared_publication_date, "publication date"),
        ]
        .iter()
        .filter(|(yes, _)| *yes)
        .map(|(_, what)| *what)
        .collect()
    }
}

/// A proceeding's key dates follow one another: charge, trial, verdict, sentence; and
/// opened, resumed, concluded. Dates not recorded are skipped.
pub fn check_proceeding_dates(p: &Proceeding) -> Result<(), String> {
    let chains: [&[(&str, Option<NaiveDate>)]; 2] = [
        &[
            ("charge", p.charged_on),
            ("trial", p.trial_on),
            ("verdict", p.verdict_on),
            ("sentence", p.sentenced_on),
        ],
        &[
            ("opened", p.opened_on),
            ("resumed", p.resumed_on),
            ("concluded", p.concluded_on),
        ],
    ];
    for chain in chains {
        let dated: Vec<(&str, NaiveDate)> = chain
            .iter()
            .filter_map(|(what, on)| on.map(|on| (*what, on)))
            .collect();
        for pair in dated.windows(2) {
            let [(first, a), (then, b)] = [pair[0], pair[1]];
            if b < a {
                return Err(format!(
                    "the {then} ({}) cannot come before the {first} ({}): check the dates",
                    b.format("%d %b %Y"),
                    a.format("%d %b %Y")
                ));
            }
        }
    }
    Ok(())
}

/// What the row of a person approached with no offer of advocacy says (a word, not a
/// colour, so it reads under NO_COLOR and in ASCII).
pub const NO_ADVOCACY: &str = "no advocacy offered";

/// Whether the person was approached: a date or who approached them is recorded.
pub fn approached(p: &FamilyPerson) -> bool {
    p.approached_on.is_some() || !p.approached_by.trim().is_empty()
}

/// Whether specialist advocacy was offered: the day it was offered is recorded. An answer
/// or an advocate alone is no record of an offer (`check_advocacy` refuses them).
pub fn advocacy_offered(p: &FamilyPerson) -> bool {
    p.advocacy_offered_on.is_some()
}

/// An answer to the offer (accepted or declined) or an advocate needs the day advocacy
/// was offered: otherwise the record would clear the flag with no offer on it.
pub fn check_advocacy(p: &FamilyPerson) -> Result<(), String> {
    let answered = p.advocacy_response != AdvocacyResponse::Awaited;
    let advocate = !p.advocate.trim().is_empty();
    let by = !p.advocacy_offered_by.trim().is_empty();
    if p.advocacy_offered_on.is_none() && (answered || advocate || by) {
        return Err(
            "record the day specialist advocacy was offered (\"Advocacy offered on\") before \
             who offered it, its answer or the advocate"
                .into(),
        );
    }
    if let (Some(offered), Some(approached)) = (p.advocacy_offered_on, p.approached_on)
        && offered < approached
    {
        return Err(format!(
            "advocacy offered on {} is before the approach on {}: check the dates",
            offered.format("%d %b %Y"),
            approached.format("%d %b %Y")
        ));
    }
    Ok(())
}

/// The rule of the Home Office guidance for chairs on support for families: anyone
/// approached is offered specialist advocacy. The perpetrator, when approached, is not
/// flagged (advocacy for the bereaved is not offered to them).
pub fn lacks_advocacy_offer(p: &FamilyPerson) -> bool {
    p.connection != Connection::Perpetrator && approached(p) && !advocacy_offered(p)
}

/// How many people approached were offered no advocacy.
pub fn advocacy_gaps(people: &[FamilyPerson]) -> usize {
    people.iter().filter(|p| lacks_advocacy_offer(p)).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(connection: Connection) -> FamilyPerson {
        FamilyPerson {
            approached_on: NaiveDate::from_ymd_opt(2026, 3, 2),
            approached_by: "the chair".into(),
            ..FamilyPerson::new(1, 1, connection)
        }
    }

    #[test]
    fn a_proceedings_key_dates_follow_one_another() {
        let d = |m| NaiveDate::from_ymd_opt(2026, m, 1);
        let trial = Proceeding {
            charged_on: d(10),
            verdict_on: d(1),
            ..Proceeding::new(1, ProceedingKind::Trial, "R v Adult B")
        };
        let e = check_proceeding_dates(&trial).unwrap_err();
        assert!(
            e.contains("verdict (01 Jan 2026) cannot come before the charge"),
            "{e}"
        );
        let fine = Proceeding {
            charged_on: d(1),
            trial_on: None,
            verdict_on: d(3),
            opened_on: d(2),
            concluded_on: d(2),
            ..trial
        };
        assert!(check_proceeding_dates(&fine).is_ok());
    }

    #[test]
    fn a_contact_says_what_it_shared() {
        let mut c = FamilyContact::new(1, 1, None, ContactMethod::Meeting);
        assert!(c.shared().is_empty());
        c.shared_tor = true;
        c.shared_publication_date = true;
        assert_eq!(c.shared(), ["terms of reference", "publication date"]);
    }

    #[test]
    fn approached_without_an_offer_is_flagged() {
        let p = person(Connection::Family);
        assert!(lacks_advocacy_offer(&p));
        assert_eq!(advocacy_gaps(&[p.clone(), p]), 2);
    }

    #[test]
    fn only_a_dated_offer_clears_the_flag_and_an_answer_needs_one() {
        let dated = FamilyPerson {
            advocacy_offered_on: NaiveDate::from_ymd_opt(2026, 3, 9),
            ..person(Connection::Friend)
        };
        assert!(!lacks_advocacy_offer(&dated));
        assert!(check_advocacy(&dated).is_ok());
        let by = FamilyPerson {
            advocacy_offered_by: "AAFDA".into(),
            ..person(Connection::Friend)
        };
        let declined = FamilyPerson {
            advocacy_response: AdvocacyResponse::Declined,
            ..person(Connection::Friend)
        };
        let advocate = FamilyPerson {
            advocate: "an AAFDA advocate".into(),
            ..person(Connection::Friend)
        };
        for p in [by, declined, advocate] {
            assert!(lacks_advocacy_offer(&p), "{p:?}");
            assert!(check_advocacy(&p).is_err(), "{p:?}");
        }
        let early = FamilyPerson {
            advocacy_offered_on: NaiveDate::from_ymd_opt(2026, 3, 1),
            ..person(Connection::Friend)
        };
        assert!(check_advocacy(&early).is_err(), "offered before approached");
    }

    #[test]
    fn not_yet_approached_and_the_perpetrator_are_not_flagged() {
        let planned = FamilyPerson {
            approached_on: None,
            approached_by: " ".into(),
            ..person(Connection::Colleague)
        };
        assert!(!lacks_advocacy_offer(&planned));
        assert!(!lacks_advocacy_offer(&person(Connection::Perpetrator)));
        assert_eq!(
            advocacy_gaps(&[planned, person(Connection::Perpetrator)]),
            0
        );
    }
}
