//! The shape of `demo_case.json`, the fictional demo case DEMO-1 as data (DEMO-2 reuses
//! its parts: `second.rs`).
//!
//! Dates in the past of the story are fixed (YYYY-MM-DD, or as written in an agency
//! chronology); fields ending in `_days` are days relative to today (negative = before
//! today), which the code turns into dates so that the demo reads the same on any day.
//! References between records are by agency code, subject pseudonym, meeting number,
//! term-of-reference number and agenda item number (1-based); a test checks they resolve.

use serde::Deserialize;

/// The demo case's content, embedded in the binary.
pub const DEMO_CASE_JSON: &str = include_str!("demo_case.json");

/// Reads the embedded demo case.
pub fn load() -> Result<DemoCase, String> {
    serde_json::from_str(DEMO_CASE_JSON).map_err(|e| format!("demo_case.json: {e}"))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoCase {
    /// Notes for whoever edits the file; not read.
    #[serde(rename = "about", default)]
    pub _about: Vec<String>,
    pub case: CaseData,
    /// The decision whether to review, dated by `case.decision_on` and
    /// `case.home_office_notified_on`.
    pub decision: DecisionData,
    pub subjects: Vec<SubjectData>,
    /// The places of the pseudonym register (schools, employers, addresses).
    #[serde(default)]
    pub places: Vec<PlaceData>,
    pub agencies: Vec<AgencyData>,
    pub terms_of_reference: Vec<TermData>,
    pub chronology: Vec<EntryData>,
    pub meetings: Vec<MeetingData>,
    pub recommendations: Vec<RecommendationData>,
    /// The case characteristics and the action plan's sending and closure.
    #[serde(default)]
    pub plan_and_characteristics: PlanAndCharacteristics,
    /// The events of the synthetic entries `dhr demo --rows N` adds, in turn.
    pub synthetic_events: Vec<String>,
    /// The parallel proceedings, the pause's proceeding and the people approached.
    pub family_and_proceedings: FamilyData,
}

/// The decision record: outcome (review, no_review), the criteria considered, the
/// reasons, who decided and the Home Office's reply.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionData {
    pub outcome: String,
    pub criteria: String,
    pub reasons: String,
    pub decided_by: String,
    #[serde(default)]
    pub home_office_reply: String,
}

/// A place of the pseudonym register: its kind (school, employer, address, other), as
/// written, and what anonymised documents write instead ("" for the kind's words).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlaceData {
    pub kind: String,
    pub text: String,
    #[serde(default)]
    pub replacement: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseData {
    pub title: String,
    pub kind: String,
    pub partnership: String,
    pub chair: String,
    pub overview_author: String,
    /// Takes the minutes of every meeting.
    pub minute_taker: String,
    pub date_of_death: String,
    pub notified_on: String,
    pub decision_on: String,
    pub home_office_notified_on: String,
    pub period_from: String,
    pub period_to: String,
    pub stage: String,
    pub paused_on: String,
    pub paused_reason: String,
    pub resumed_days: i64,
    /// The reason shown once resumed; `{date}` is replaced by the day it resumed.
    pub resumed_reason: String,
    pub extended_to_days: i64,
    pub extension_reason: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubjectData {
    pub pseudonym: String,
    pub role: String,
    pub real_names: String,
    pub relationship: String,
    #[serde(default)]
    pub notes: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgencyData {
    pub code: String,
    pub name: String,
    pub contact_found: String,
    pub return_type: String,
    pub status: String,
    #[serde(default)]
    pub author: String,
    #[serde(default)]
    pub author_independent: Option<bool>,
    #[serde(default)]
    pub requested_days: Option<i64>,
    #[serde(default)]
    pub due_days: Option<i64>,
    #[serde(default)]
    pub received_days: Option<i64>,
    #[serde(default)]
    pub chased_days: Vec<i64>,
    #[serde(default)]
    pub scoped_out_reason: String,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub members: Vec<MemberData>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MemberData {
    pub name: String,
    pub role: String,
    #[serde(default)]
    pub deputy: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TermData {
    /// 1, 2, 3… in order: the number other records refer to.
    pub number: usize,
    pub heading: String,
    pub text: String,
    pub kind: String,
    pub status: String,
    /// The meeting number where it was agreed or amended.
    #[serde(default)]
    pub meeting: Option<i64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntryData {
    /// The date as written in the agency's chronology (any fuzzy form: a day, a month, a season, a range, c. …).
    pub date: String,
    /// "HH:MM".
    #[serde(default)]
    pub time: Option<String>,
    pub agency: String,
    #[serde(default)]
    pub source: String,
    /// Pseudonyms separated by "; ".
    #[serde(default)]
    pub subjects: String,
    pub event: String,
    #[serde(default)]
    pub action_outcome: String,
    #[serde(default)]
    pub risk_dash: String,
    #[serde(default)]
    pub risk_marac: String,
    #[serde(default)]
    pub agency_comment: String,
    #[serde(default)]
    pub panel_analysis: String,
    #[serde(default)]
    pub key_event: bool,
    #[serde(default)]
    pub missed_opportunity: bool,
    #[serde(default)]
    pub terms: Vec<usize>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeetingData {
    pub number: i64,
    pub date_days: i64,
    pub start: String,
    /// Empty while the meeting has not ended.
    #[serde(default)]
    pub end: String,
    pub place: String,
    pub status: String,
    pub agenda: Vec<String>,
    #[serde(default)]
    pub attendance: Vec<AttendanceData>,
    #[serde(default)]
    pub declarations: Vec<DeclarationData>,
    #[serde(default)]
    pub minutes: Vec<MinuteData>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttendanceData {
    pub person: String,
    /// Agency code; none for the independent members.
    #[serde(default)]
    pub agency: Option<String>,
    pub role: String,
    pub status: String,
    #[serde(default)]
    pub guest: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeclarationData {
    pub person: String,
    pub text: String,
}

/// One line of the minutes: `item` is the agenda item's number, `at_minute` the minutes
/// after the meeting's start.
#[derive(Debug, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum MinuteData {
    Note {
        item: usize,
        at_minute: i64,
        text: String,
    },
    Decision {
        item: usize,
        at_minute: i64,
        text: String,
        #[serde(default)]
        rationale: String,
        decided_by: String,
        #[serde(default)]
        terms: Vec<usize>,
    },
    Action {
        item: usize,
        at_minute: i64,
        owner: String,
        #[serde(default)]
        agency: Option<String>,
        due_days: i64,
        status: String,
        /// The meeting number where it was closed.
        #[serde(default)]
        closed_at: Option<i64>,
        text: String,
    },
    Challenge {
        item: usize,
        at_minute: i64,
        agency: String,
        question: String,
        raised_by: String,
        response_due_days: i64,
        #[serde(default)]
        response: String,
        #[serde(default)]
        response_on_days: Option<i64>,
        status: String,
        #[serde(default)]
        terms: Vec<usize>,
    },
}

impl MinuteData {
    /// The agenda item's number (1-based).
    pub fn item(&self) -> usize {
        match self {
            MinuteData::Note { item, .. }
            | MinuteData::Decision { item, .. }
            | MinuteData::Action { item, .. }
            | MinuteData::Challenge { item, .. } => *item,
        }
    }

    /// Minutes after the meeting's start.
    pub fn at_minute(&self) -> i64 {
        match self {
            MinuteData::Note { at_minute, .. }
            | MinuteData::Decision { at_minute, .. }
            | MinuteData::Action { at_minute, .. }
            | MinuteData::Challenge { at_minute, .. } => *at_minute,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecommendationData {
    /// 1, 2, 3… in order.
    pub number: i64,
    pub recommendation: String,
    pub scope: String,
    /// Agency code; none for a multi-agency recommendation.
    #[serde(default)]
    pub agency: Option<String>,
    #[serde(default)]
    pub action_to_take: String,
    #[serde(default)]
    pub lead_officer: String,
    #[serde(default)]
    pub milestones: String,
    pub target_days: i64,
    #[serde(default)]
    pub completed_days: Option<i64>,
    #[serde(default)]
    pub outcome: String,
    pub status: String,
}

/// The case characteristics (code of `review::Characteristic` → value), the national
/// or regional recommendations sent, and the recommendations closed with a reason.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanAndCharacteristics {
    /// Notes for whoever edits the file; not read.
    #[serde(rename = "about", default)]
    pub _about: String,
    #[serde(default)]
    pub characteristics: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    pub sent: Vec<SentData>,
    #[serde(default)]
    pub closed: Vec<ClosedData>,
}

/// A national or regional recommendation sent to its addressee.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SentData {
    pub number: i64,
    pub addressee: String,
    pub sent_days: i64,
    #[serde(default)]
    pub response: String,
    #[serde(default)]
    pub response_days: Option<i64>,
}

/// A recommendation closed other than by completion: its reason (a code of
/// `ClosedReason`) and what was done.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClosedData {
    pub number: i64,
    pub reason: String,
    #[serde(default)]
    pub outcome: String,
}

/// The parallel proceedings the review waited for, and the family and support network
/// approached.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FamilyData {
    #[serde(rename = "about", default)]
    pub _about: String,
    pub proceedings: Vec<ProceedingData>,
    #[serde(default)]
    pub disclosures: Vec<DisclosureData>,
    pub people: Vec<PersonData>,
}

/// A parallel proceeding: fixed dates of the story (`_on`) and dates relative to today
/// (`_days`); `paused_for` marks the one the case's pause waited for.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProceedingData {
    pub kind: String,
    pub title: String,
    #[serde(default)]
    pub contact: String,
    #[serde(default)]
    pub contact_role: String,
    #[serde(default)]
    pub charged_on: Option<String>,
    #[serde(default)]
    pub opened_on: Option<String>,
    /// Opened, in days relative to today (when `opened_on` is not given).
    #[serde(default)]
    pub opened_days: Option<i64>,
    #[serde(default)]
    pub trial_days: Option<i64>,
    #[serde(default)]
    pub verdict_days: Option<i64>,
    #[serde(default)]
    pub sentenced_days: Option<i64>,
    /// An inquest or an investigation resumed after being suspended.
    #[serde(default)]
    pub resumed_days: Option<i64>,
    #[serde(default)]
    pub concluded_days: Option<i64>,
    #[serde(default)]
    pub paused_for: bool,
    #[serde(default)]
    pub notes: String,
}

/// A disclosure request to the proceeding at index `proceeding`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DisclosureData {
    pub proceeding: usize,
    pub asked_days: i64,
    #[serde(default)]
    pub asked_by: String,
    pub request: String,
    #[serde(default)]
    pub answered_days: Option<i64>,
    #[serde(default)]
    pub answer: String,
}

/// A person approached: a subject by pseudonym, their approach, advocacy and contacts.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonData {
    pub subject: String,
    pub connection: String,
    pub approached_days: i64,
    #[serde(default)]
    pub approached_by: String,
    #[serde(default)]
    pub advocacy_offered_days: Option<i64>,
    #[serde(default)]
    pub advocacy_offered_by: String,
    #[serde(default)]
    pub advocacy_response: String,
    #[serde(default)]
    pub advocate: String,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub contacts: Vec<ContactData>,
}

/// A contact with a person approached.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactData {
    pub days: i64,
    pub method: String,
    #[serde(default)]
    pub by_whom: String,
    #[serde(default)]
    pub shared_tor: bool,
    #[serde(default)]
    pub shared_draft: bool,
    #[serde(default)]
    pub shared_publication_date: bool,
    #[serde(default)]
    pub views: String,
    #[serde(default)]
    pub consent: String,
    #[serde(default)]
    pub consent_detail: String,
}
