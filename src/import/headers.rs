//! Which field of a chronology entry a column holds, found from the words of its header
//! whatever their order and letter case.
//!
//! Agencies name their columns in many ways ("Date of contact", "Details of contact",
//! "Action / outcome", "Officer comment"). Each word that names a role votes; when a header
//! holds words of several roles the last one wins ("Agency comment" is a comment), and a
//! header naming both a date and a time ("Date/Time") is one date-and-time column.

/// The field of a chronology entry a column fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    Date,
    /// A date with an optional trailing time ("14/06/2018 23:10").
    DateTime,
    Time,
    Agency,
    Subjects,
    Event,
    ActionOutcome,
    Source,
    RiskDash,
    RiskMarac,
    /// The agency's own comment; never the panel's analysis, whatever the header says.
    Comment,
}

impl Role {
    /// How the import report names the role.
    pub fn label(self) -> &'static str {
        match self {
            Role::Date => "date",
            Role::DateTime => "date and time",
            Role::Time => "time",
            Role::Agency => "agency",
            Role::Subjects => "subjects",
            Role::Event => "event",
            Role::ActionOutcome => "action / outcome",
            Role::Source => "source / reference",
            Role::RiskDash => "risk (DASH)",
            Role::RiskMarac => "risk (MARAC)",
            Role::Comment => "agency comment",
        }
    }

    /// The roles a column takes for itself: a date-and-time column is both the date and
    /// the time, so it clashes with a separate column of either.
    pub fn claims(self) -> &'static [Role] {
        match self {
            Role::DateTime => &[Role::Date, Role::Time],
            Role::Date => &[Role::Date],
            Role::Time => &[Role::Time],
            Role::Agency => &[Role::Agency],
            Role::Subjects => &[Role::Subjects],
            Role::Event => &[Role::Event],
            Role::ActionOutcome => &[Role::ActionOutcome],
            Role::Source => &[Role::Source],
            Role::RiskDash => &[Role::RiskDash],
            Role::RiskMarac => &[Role::RiskMarac],
            Role::Comment => &[Role::Comment],
        }
    }
}

/// What one word of a header says about the column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Word {
    Date,
    Time,
    /// "DateTime" written as one word.
    DateTime,
    Agency,
    Subjects,
    Event,
    ActionOutcome,
    Source,
    Dash,
    Marac,
    /// "Risk" on its own: a risk column, DASH unless the header also says MARAC.
    Risk,
    Comment,
}

/// The words agencies use, lower case. Words not listed ("of", "taken", "officer",
/// "significant") say nothing, so "Details of contact" is the event and "Date of contact"
/// the date. Kept short on purpose: a word here that also appears in an unrelated header
/// would turn that column from a kept extra field into a clash the user must resolve.
fn word(w: &str) -> Option<Word> {
    Some(match w {
        "date" | "dates" | "dated" | "period" => Word::Date,
        "time" | "times" => Word::Time,
        "datetime" => Word::DateTime,
        "agency" | "agencies" | "organisation" | "organisations" | "organization"
        | "organizations" => Word::Agency,
        "subject" | "subjects" | "person" | "persons" | "people" | "individual" | "individuals" => {
            Word::Subjects
        }
        "event" | "events" | "details" | "detail" | "summary" | "description" | "narrative" => {
            Word::Event
        }
        "action" | "actions" | "outcome" | "outcomes" => Word::ActionOutcome,
        "source" | "sources" | "reference" | "references" | "ref" | "record" | "records"
        | "document" => Word::Source,
        "dash" => Word::Dash,
        "marac" => Word::Marac,
        "risk" => Word::Risk,
        "comment" | "comments" | "analysis" | "impact" | "note" | "notes" | "remarks"
        | "observations" => Word::Comment,
        _ => return None,
    })
}

/// The words of a header, lower case, split at anything that is not a letter or digit.
fn words(header: &str) -> impl Iterator<Item = String> + '_ {
    header
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

/// The role a header names, if any.
pub fn role_of(header: &str) -> Option<Role> {
    let votes: Vec<Word> = words(header).filter_map(|w| word(&w)).collect();
    let last = *votes.last()?;
    let has = |w: Word| votes.contains(&w);
    Some(match last {
        Word::DateTime => Role::DateTime,
        Word::Date | Word::Time if has(Word::Date) && has(Word::Time) => Role::DateTime,
        Word::Date => Role::Date,
        Word::Time => Role::Time,
        Word::Agency => Role::Agency,
        Word::Subjects => Role::Subjects,
        Word::Event => Role::Event,
        Word::ActionOutcome => Role::ActionOutcome,
        Word::Source => Role::Source,
        // The risk words are one family: the last of DASH / MARAC decides, and "Risk"
        // alone (a risk level) goes with DASH, which is what grades risk.
        Word::Dash | Word::Marac | Word::Risk => {
            match votes
                .iter()
                .rev()
                .find(|w| matches!(w, Word::Dash | Word::Marac))
            {
                Some(Word::Marac) => Role::RiskMarac,
                _ => Role::RiskDash,
            }
        }
        Word::Comment => Role::Comment,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_headers_of_the_spec_are_recognised() {
        let cases = [
            ("Date", Role::Date),
            ("Date of contact", Role::Date),
            ("Date / period", Role::Date),
            ("DATE", Role::Date),
            ("Time", Role::Time),
            ("Agency", Role::Agency),
            ("Subject", Role::Subjects),
            ("Person", Role::Subjects),
            ("Subjects", Role::Subjects),
            ("Event", Role::Event),
            ("Details of contact", Role::Event),
            ("Significant event", Role::Event),
            ("Summary", Role::Event),
            ("Action", Role::ActionOutcome),
            ("Action taken", Role::ActionOutcome),
            ("Action / outcome", Role::ActionOutcome),
            ("Outcome", Role::ActionOutcome),
            ("Source", Role::Source),
            ("Reference", Role::Source),
            ("Record", Role::Source),
            ("DASH", Role::RiskDash),
            ("DASH risk level", Role::RiskDash),
            ("Risk", Role::RiskDash),
            ("MARAC", Role::RiskMarac),
            ("MARAC referral", Role::RiskMarac),
            ("Comment", Role::Comment),
            ("Officer comment", Role::Comment),
            ("Analysis", Role::Comment),
            ("Panel analysis", Role::Comment),
            ("Impact", Role::Comment),
        ];
        for (header, role) in cases {
            assert_eq!(role_of(header), Some(role), "{header}");
        }
    }

    #[test]
    fn the_last_word_naming_a_role_wins() {
        assert_eq!(role_of("Agency comment"), Some(Role::Comment));
        assert_eq!(role_of("comment (agency)"), Some(Role::Agency));
        assert_eq!(role_of("Event source"), Some(Role::Source));
        assert_eq!(role_of("Date of action"), Some(Role::ActionOutcome));
    }

    #[test]
    fn a_header_naming_date_and_time_is_one_date_and_time_column() {
        for header in ["Date/Time", "date and time", "Time / date", "DateTime"] {
            assert_eq!(role_of(header), Some(Role::DateTime), "{header}");
        }
        assert_eq!(Role::DateTime.claims(), &[Role::Date, Role::Time]);
    }

    #[test]
    fn headers_without_role_words_match_nothing() {
        for header in ["", "Officer", "Location", "Staff member", "Notebook no."] {
            assert_eq!(role_of(header), None, "{header}");
        }
    }
}
