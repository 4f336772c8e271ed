//! The records of a review as plain types, and the closed vocabularies they use.

use chrono::NaiveDate;

use super::date::FuzzyDate;

/// Declares a closed vocabulary stored as a short code and shown with a label.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => ($code:literal, $label:literal)),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl $name {
            /// Every value, in the order of the vocabulary.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The code stored in the database.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// The words shown to a person.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            /// The value stored under `code`, if it is one.
            pub fn from_code(code: &str) -> Option<$name> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.label())
            }
        }
    };
}
pub(crate) use vocabulary;

vocabulary!(
    /// The label a case goes by: the name changed in 2024, both are in use.
    ReviewKind {
        Dhr => ("DHR", "DHR"),
        Dardr => ("DARDR", "DARDR"),
    }
);

vocabulary!(
    /// Stages of a review, in order.
    Stage {
        Notified => ("notified", "Notified"),
        Decision => ("decision", "Decision"),
        Scoping => ("scoping", "Scoping"),
        Panel => ("panel", "Panel (IMRs)"),
        Drafting => ("drafting", "Drafting"),
        PartnershipSignOff => ("signoff", "Partnership sign-off"),
        HomeOfficeQa => ("ho_qa", "Home Office QA"),
        Published => ("published", "Published"),
        ActionPlanMonitoring => ("monitoring", "Action plan monitoring"),
        Concluded => ("concluded", "Concluded"),
        // Last in the list but not after Concluded: a final stage reached only from the
        // decision, when the recorded decision is not to review (`stage::plan_move`).
        NotReviewed => ("not_reviewed", "Not reviewed"),
    }
);

vocabulary!(
    /// The Home Office quality-assurance panel's answer.
    QaOutcome {
        ContentToPublish => ("publish", "content to publish"),
        PublishAfterChanges => ("changes", "publish after changes"),
        Resubmit => ("resubmit", "resubmit"),
    }
);

vocabulary!(
    /// A subject's place in the review.
    SubjectRole {
        Victim => ("victim", "victim"),
        Perpetrator => ("perpetrator", "perpetrator"),
        Child => ("child", "child"),
        Family => ("family", "family"),
        Friend => ("friend", "friend"),
        Other => ("other", "other"),
    }
);

vocabulary!(
    /// What an agency was asked to return.
    ReturnType {
        Imr => ("imr", "IMR"),
        ShortReport => ("short", "short report"),
        ChronologyOnly => ("chronology", "chronology only"),
        NoReturn => ("none", "none"),
    }
);

vocabulary!(
    /// Whether an agency had contact with the subjects, as found at scoping.
    ContactFound {
        Yes => ("yes", "yes"),
        No => ("no", "no"),
        Unknown => ("unknown", "unknown"),
    }
);

vocabulary!(
    /// Where an agency's return stands in its status lifecycle.
    ImrStatus {
        NotRequested => ("not_requested", "not requested"),
        Requested => ("requested", "requested"),
        Received => ("received", "received"),
        UnderReview => ("under_review", "under review"),
        Returned => ("returned", "returned for work"),
        Accepted => ("accepted", "accepted"),
        ScopedOut => ("scoped_out", "scoped out"),
    }
);

vocabulary!(
    /// Kinds of terms-of-reference item.
    TermKind {
        General => ("general", "general"),
        Kloe => ("kloe", "KLOE"),
    }
);

vocabulary!(
    /// Status of a terms-of-reference item.
    TermStatus {
        Draft => ("draft", "draft"),
        Agreed => ("agreed", "agreed"),
        Amended => ("amended", "amended"),
    }
);

vocabulary!(
    /// Where a meeting is in the minutes lifecycle; approved minutes are locked.
    MeetingStatus {
        Planned => ("planned", "planned"),
        InProgress => ("in_progress", "in progress"),
        Closed => ("closed", "closed"),
        Approved => ("approved", "approved"),
    }
);

vocabulary!(
    /// Attendance at a meeting.
    AttendanceStatus {
        Present => ("present", "present"),
        Apologies => ("apologies", "apologies"),
        Absent => ("absent", "absent"),
    }
);

vocabulary!(
    /// What a line of the minutes is.
    MinuteKind {
        Note => ("note", "note"),
        Decision => ("decision", "DECISION"),
        Action => ("action", "ACTION"),
        Challenge => ("challenge", "CHALLENGE"),
        Attendance => ("attendance", "ATTENDANCE"),
        Declaration => ("declaration", "DECLARATION"),
    }
);

vocabulary!(
    /// Where a challenge to an agency stands.
    ChallengeStatus {
        Open => ("open", "open"),
        Answered => ("answered", "answered"),
        Closed => ("closed", "closed"),
        Escalated => ("escalated", "escalated"),
    }
);

vocabulary!(
    /// Where a meeting action stands.
    ActionStatus {
        Open => ("open", "open"),
        Done => ("done", "done"),
        CarriedForward => ("carried", "carried forward"),
    }
);

vocabulary!(
    /// How far a recommendation reaches.
    RecommendationScope {
        SingleAgency => ("single", "single agency"),
        Local => ("local", "local"),
        Regional => ("regional", "regional"),
        National => ("national", "national"),
    }
);

vocabulary!(
    /// Progress of a recommendation of the action plan.
    RecommendationStatus {
        NotStarted => ("not_started", "not started"),
        OnTrack => ("on_track", "on track"),
        AtRisk => ("at_risk", "at risk"),
        Complete => ("complete", "complete"),
        // Closed other than by completion, with the reason in `closed_reason`.
        Closed => ("closed", "closed"),
    }
);

vocabulary!(
    /// Why a recommendation was closed other than by completion.
    ClosedReason {
        Superseded => ("superseded", "superseded"),
        NotAccepted => ("not_accepted", "not accepted by its addressee"),
        Merged => ("merged", "merged into another recommendation"),
    }
);

/// One review (DHR or DARDR).
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    pub id: i64,
    pub reference: String,
    pub kind: ReviewKind,
    pub title: String,
    pub partnership: String,
    pub marking: String,
    /// The second half of a document's handling note, after the marking ("" means
    /// [`DEFAULT_HANDLING`]): see [`Case::handling_sentence`].
    pub handling: String,
    pub date_of_death: Option<NaiveDate>,
    pub notified_on: Option<NaiveDate>,
    pub decision_on: Option<NaiveDate>,
    pub home_office_notified_on: Option<NaiveDate>,
    pub chair: String,
    pub overview_author: String,
    /// Who coordinates the review for the partnership (often its business manager).
    pub coordinator: String,
    /// The logins the chair, overview author and coordinator use ("" when none), so
    /// what they record shows their name rather than their login.
    pub chair_login: String,
    pub overview_author_login: String,
    pub coordinator_login: String,
    pub period_from: Option<NaiveDate>,
    pub period_to: Option<NaiveDate>,
    pub stage: Stage,
    /// Why the case last moved stage.
    pub stage_reason: String,
    pub paused: bool,
    pub paused_reason: String,
    pub paused_on: Option<NaiveDate>,
    pub extended_to: Option<NaiveDate>,
    pub extension_reason: String,
    pub report_completed_on: Option<NaiveDate>,
    pub ho_submitted_on: Option<NaiveDate>,
    pub qa_outcome: Option<QaOutcome>,
    pub qa_outcome_on: Option<NaiveDate>,
    pub published_on: Option<NaiveDate>,
    pub commissioner_sent_on: Option<NaiveDate>,
}

impl Case {
    /// A new case with the default protective marking and nothing else known yet.
    pub fn new(reference: &str, kind: ReviewKind, title: &str) -> Case {
        Case {
            id: 0,
            reference: reference.to_string(),
            kind,
            title: title.to_string(),
            partnership: String::new(),
            marking: DEFAULT_MARKING.to_string(),
            handling: String::new(),
            date_of_death: None,
            notified_on: None,
            decision_on: None,
            home_office_notified_on: None,
            chair: String::new(),
            overview_author: String::new(),
            coordinator: String::new(),
            chair_login: String::new(),
            overview_author_login: String::new(),
            coordinator_login: String::new(),
            period_from: None,
            period_to: None,
            stage: Stage::Notified,
            stage_reason: String::new(),
            paused: false,
            paused_reason: String::new(),
            paused_on: None,
            extended_to: None,
            extension_reason: String::new(),
            report_completed_on: None,
            ho_submitted_on: None,
            qa_outcome: None,
            qa_outcome_on: None,
            published_on: None,
            commissioner_sent_on: None,
        }
    }
}

/// The marking every working document carries unless the case says otherwise.
pub const DEFAULT_MARKING: &str = "OFFICIAL-SENSITIVE";

/// How a panel document is handled, unless the case says otherwise.
pub const DEFAULT_HANDLING: &str =
    "Do not forward outside the panel; store securely and delete when no longer needed.";

impl Case {
    /// The case's handling sentence, or [`DEFAULT_HANDLING`] when it has none.
    pub fn handling_sentence(&self) -> &str {
        if self.handling.trim().is_empty() {
            DEFAULT_HANDLING
        } else {
            self.handling.trim()
        }
    }
}

/// A person the review is about, with the pseudonym used in anonymised output.
#[derive(Debug, Clone, PartialEq)]
pub struct Subject {
    pub id: i64,
    pub case_id: i64,
    pub role: SubjectRole,
    /// Real-name forms separated by `;` ("Jane Smith; Jane; Mrs Smith").
    pub real_names: String,
    pub pseudonym: String,
    pub relationship: String,
    pub notes: String,
}

impl Subject {
    /// The real-name forms, trimmed, without empty ones.
    pub fn name_forms(&self) -> Vec<&str> {
        self.real_names
            .split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect()
    }
}

vocabulary!(
    /// What a place of the register is.
    PlaceKind {
        School => ("school", "school"),
        Employer => ("employer", "employer"),
        Address => ("address", "address"),
        Other => ("other", "other place"),
    }
);

impl PlaceKind {
    /// What an anonymised document writes for a place of this kind with no replacement.
    pub fn generic(self) -> &'static str {
        match self {
            PlaceKind::School => "[a school]",
            PlaceKind::Employer => "[an employer]",
            PlaceKind::Address => "[an address]",
            PlaceKind::Other => "[a place]",
        }
    }
}

/// A place of the pseudonym register (a school, an employer, an address) that anonymised
/// output hides like a name.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    pub id: i64,
    pub case_id: i64,
    pub kind: PlaceKind,
    /// The place as written ("Northfield Primary School").
    pub text: String,
    /// What anonymised documents write instead ("a primary school"); empty for the
    /// kind's generic words.
    pub replacement: String,
}

impl Place {
    /// What anonymised documents write instead of this place.
    pub fn replaced_by(&self) -> &str {
        let r = self.replacement.trim();
        if r.is_empty() { self.kind.generic() } else { r }
    }
}

/// An organisation taking part, with its return.
#[derive(Debug, Clone, PartialEq)]
pub struct Agency {
    pub id: i64,
    pub case_id: i64,
    pub name: String,
    pub code: String,
    pub contact_found: ContactFound,
    pub return_type: ReturnType,
    pub author: String,
    pub author_independent: Option<bool>,
    pub requested_on: Option<NaiveDate>,
    pub due_on: Option<NaiveDate>,
    pub received_on: Option<NaiveDate>,
    pub status: ImrStatus,
    pub scoped_out_reason: String,
    pub notes: String,
    /// Dates a chaser was sent, oldest first.
    pub chased_on: Vec<NaiveDate>,
    /// When any field of the return last changed (UTC timestamp text).
    pub updated_at: String,
}

/// Lower case with runs of whitespace as one space, for matching names people typed.
fn normal_word(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The agency a word names: its short code, else its name, in any letter case and
/// spacing. `None` for an empty word or one that names no agency.
pub fn agency_by_word<'a, I>(agencies: I, word: &str) -> Option<&'a Agency>
where
    I: IntoIterator<Item = &'a Agency>,
    I::IntoIter: Clone,
{
    let wanted = normal_word(word);
    if wanted.is_empty() {
        return None;
    }
    let agencies = agencies.into_iter();
    agencies
        .clone()
        .find(|a| normal_word(&a.code) == wanted)
        .or_else(|| agencies.clone().find(|a| normal_word(&a.name) == wanted))
}

impl Agency {
    /// A new agency whose return has not been requested.
    pub fn new(name: &str, code: &str) -> Agency {
        Agency {
            id: 0,
            case_id: 0,
            name: name.to_string(),
            code: code.to_string(),
            contact_found: ContactFound::Unknown,
            return_type: ReturnType::Imr,
            author: String::new(),
            author_independent: None,
            requested_on: None,
            due_on: None,
            received_on: None,
            status: ImrStatus::NotRequested,
            scoped_out_reason: String::new(),
            notes: String::new(),
            chased_on: Vec::new(),
            updated_at: String::new(),
        }
    }
}

/// An agency's representative on the panel.
#[derive(Debug, Clone, PartialEq)]
pub struct PanelMember {
    pub id: i64,
    pub agency_id: i64,
    pub name: String,
    pub role: String,
    pub deputy: String,
    /// The login they use ("" when none), so what they record shows their name.
    pub login: String,
}

/// One dated event of the combined multi-agency chronology.
#[derive(Debug, Clone, PartialEq)]
pub struct ChronologyEntry {
    pub id: i64,
    pub case_id: i64,
    pub date: FuzzyDate,
    /// "HH:MM" when known.
    pub time: Option<String>,
    pub agency_id: Option<i64>,
    pub source_ref: String,
    /// Subjects as written in the source ("Adult A; Adult B").
    pub subjects: String,
    pub event: String,
    pub action_outcome: String,
    pub risk_dash: String,
    pub risk_marac: String,
    pub agency_comment: String,
    pub panel_analysis: String,
    pub key_event: bool,
    pub missed_opportunity: bool,
    pub provenance: Option<ImportProvenance>,
    /// Columns of an imported file that matched no known role: (header, value).
    pub extra: Vec<(String, String)>,
}

impl ChronologyEntry {
    /// A new entry with only its date and event.
    pub fn new(date: FuzzyDate, event: &str) -> ChronologyEntry {
        ChronologyEntry {
            id: 0,
            case_id: 0,
            date,
            time: None,
            agency_id: None,
            source_ref: String::new(),
            subjects: String::new(),
            event: event.to_string(),
            action_outcome: String::new(),
            risk_dash: String::new(),
            risk_marac: String::new(),
            agency_comment: String::new(),
            panel_analysis: String::new(),
            key_event: false,
            missed_opportunity: false,
            provenance: None,
            extra: Vec::new(),
        }
    }
}

/// Where an imported chronology entry came from.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportProvenance {
    pub file_name: String,
    pub line: u64,
    pub imported_at: String,
    pub fingerprint: String,
}

/// One numbered item of the terms of reference; links use its id, never its number.
#[derive(Debug, Clone, PartialEq)]
pub struct TermOfReference {
    pub id: i64,
    pub case_id: i64,
    /// Display order; the number shown is derived from it.
    pub position: i64,
    pub heading: String,
    pub text: String,
    pub kind: TermKind,
    pub status: TermStatus,
    pub meeting_id: Option<i64>,
}

/// One panel meeting, numbered within its case.
#[derive(Debug, Clone, PartialEq)]
pub struct Meeting {
    pub id: i64,
    pub case_id: i64,
    pub number: i64,
    pub date: NaiveDate,
    /// "HH:MM"
    pub start_time: String,
    pub end_time: String,
    pub place: String,
    pub chair: String,
    pub minute_taker: String,
    pub status: MeetingStatus,
    pub approved_at_meeting_id: Option<i64>,
    pub fingerprint: String,
}

/// One person's attendance at a meeting.
#[derive(Debug, Clone, PartialEq)]
pub struct Attendance {
    pub id: i64,
    pub meeting_id: i64,
    pub person: String,
    pub agency_id: Option<i64>,
    pub role: String,
    pub status: AttendanceStatus,
    pub guest: bool,
    /// A guest's organisation when it is not an agency of the case; empty otherwise.
    pub organisation: String,
    /// When an early leaver left (local HH:MM, from `/left`); empty while they stay.
    pub left_at: String,
}

/// A declaration of interest made at a meeting.
#[derive(Debug, Clone, PartialEq)]
pub struct Declaration {
    pub id: i64,
    pub meeting_id: i64,
    pub person: String,
    pub text: String,
}

/// One item of a meeting's agenda.
#[derive(Debug, Clone, PartialEq)]
pub struct AgendaItem {
    pub id: i64,
    pub meeting_id: i64,
    pub position: i64,
    pub title: String,
}

/// One line of the minutes.
#[derive(Debug, Clone, PartialEq)]
pub struct Minute {
    pub id: i64,
    pub meeting_id: i64,
    pub agenda_item_id: i64,
    pub position: i64,
    /// When it was minuted (UTC, RFC 3339).
    pub minuted_at: String,
    pub kind: MinuteKind,
    pub text: String,
    /// The record the line created: table and row id.
    pub record: Option<(String, i64)>,
}

/// A correction to approved minutes: who, when and what, listed after them.
#[derive(Debug, Clone, PartialEq)]
pub struct Amendment {
    pub id: i64,
    pub meeting_id: i64,
    pub made_at_meeting_id: Option<i64>,
    pub made_at_meeting_number: Option<i64>,
    /// The date of the meeting at which it was made.
    pub made_at_meeting_date: Option<NaiveDate>,
    /// The login that recorded it.
    pub made_by: String,
    /// When it was recorded (UTC, RFC 3339).
    pub made_at: String,
    pub text: String,
}

/// A question the panel puts to an agency, with its response and status.
#[derive(Debug, Clone, PartialEq)]
pub struct Challenge {
    pub id: i64,
    pub case_id: i64,
    pub agency_id: Option<i64>,
    pub question: String,
    pub meeting_id: Option<i64>,
    pub raised_by: String,
    pub raised_on: Option<NaiveDate>,
    pub response_due: Option<NaiveDate>,
    pub response: String,
    pub response_on: Option<NaiveDate>,
    pub status: ChallengeStatus,
}

/// A decision of the panel.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub id: i64,
    pub case_id: i64,
    pub meeting_id: Option<i64>,
    pub text: String,
    pub rationale: String,
    pub decided_by: String,
    pub decided_on: Option<NaiveDate>,
}

/// A task arising from a meeting.
#[derive(Debug, Clone, PartialEq)]
pub struct Action {
    pub id: i64,
    pub case_id: i64,
    pub text: String,
    pub owner: String,
    pub agency_id: Option<i64>,
    pub due_on: Option<NaiveDate>,
    pub status: ActionStatus,
    pub meeting_id: Option<i64>,
    pub closed_meeting_id: Option<i64>,
}

/// One item of the SMART action plan the review produces.
#[derive(Debug, Clone, PartialEq)]
pub struct Recommendation {
    pub id: i64,
    pub case_id: i64,
    pub number: i64,
    pub recommendation: String,
    pub scope: RecommendationScope,
    pub agency_id: Option<i64>,
    pub action_to_take: String,
    pub lead_officer: String,
    pub milestones: String,
    pub target_on: Option<NaiveDate>,
    pub completed_on: Option<NaiveDate>,
    pub outcome: String,
    pub status: RecommendationStatus,
    /// Why it was closed (only when the status is closed).
    pub closed_reason: Option<ClosedReason>,
    /// A national or regional recommendation: to whom it was sent, when, and the
    /// response with its date.
    pub addressee: String,
    pub sent_on: Option<NaiveDate>,
    pub response: String,
    pub response_on: Option<NaiveDate>,
}

/// A log record (challenge, decision, action, recommendation) with the names a list
/// shows beside it.
#[derive(Debug, Clone, PartialEq)]
pub struct Logged<T> {
    pub record: T,
    /// The short code of the agency, or "" when none.
    pub agency_code: String,
    /// The number of the meeting it came from, when it came from one.
    pub meeting_number: Option<i64>,
}

/// An agency as the chair's board shows it: the return plus counts derived from the logs.
#[derive(Debug, Clone, PartialEq)]
pub struct AgencyOverview {
    pub agency: Agency,
    pub members: Vec<PanelMember>,
    pub open_challenges: i64,
}

/// A chronology entry with the short code of its agency, as the timeline shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineRow {
    pub entry: ChronologyEntry,
    pub agency_code: String,
}

/// One audit row as stored: who changed which row of which table, when, and how (the
/// changes as JSON of `[old, new]` pairs per field).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRow {
    pub id: i64,
    pub at: String,
    pub login: String,
    pub table_name: String,
    pub row_id: i64,
    pub action: String,
    pub changes: String,
}
