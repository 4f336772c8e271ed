//! Rules over the family and support network's involvement (the records are in
//! `domain::review`): whether a person approached was offered specialist advocacy.

use super::review::{AdvocacyResponse, Connection, FamilyPerson};

/// What the row of a person approached with no offer of advocacy says (a word, not a
/// colour, so it reads under NO_COLOR and in ASCII).
pub const NO_ADVOCACY: &str = "no advocacy offered";

/// Whether the person was approached: a date or who approached them is recorded.
pub fn approached(p: &FamilyPerson) -> bool {
    p.approached_on.is_some() || !p.approached_by.trim().is_empty()
}

/// Whether specialist advocacy was offered: a date, who offered it, an answer or the
/// advocate is recorded.
pub fn advocacy_offered(p: &FamilyPerson) -> bool {
    p.advocacy_offered_on.is_some()
        || !p.advocacy_offered_by.trim().is_empty()
        || p.advocacy_response != AdvocacyResponse::Awaited
        || !p.advocate.trim().is_empty()
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
    use chrono::NaiveDate;

    fn person(connection: Connection) -> FamilyPerson {
        FamilyPerson {
            id: 1,
            case_id: 1,
            subject_id: 1,
            connection,
            approached_on: NaiveDate::from_ymd_opt(2026, 3, 2),
            approached_by: "the chair".into(),
            advocacy_offered_on: None,
            advocacy_offered_by: String::new(),
            advocacy_response: AdvocacyResponse::Awaited,
            advocate: String::new(),
            notes: String::new(),
        }
    }

    #[test]
    fn approached_without_an_offer_is_flagged() {
        let p = person(Connection::Family);
        assert!(lacks_advocacy_offer(&p));
        assert_eq!(advocacy_gaps(&[p.clone(), p]), 2);
    }

    #[test]
    fn any_trace_of_an_offer_clears_the_flag() {
        let dated = FamilyPerson {
            advocacy_offered_on: NaiveDate::from_ymd_opt(2026, 3, 9),
            ..person(Connection::Friend)
        };
        let by = FamilyPerson {
            advocacy_offered_by: "AAFDA".into(),
            ..person(Connection::Friend)
        };
        let declined = FamilyPerson {
            advocacy_response: AdvocacyResponse::Declined,
            ..person(Connection::Friend)
        };
        for p in [dated, by, declined] {
            assert!(!lacks_advocacy_offer(&p), "{p:?}");
        }
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
