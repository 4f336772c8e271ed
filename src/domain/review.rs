//! The review from notification to conclusion, as records: the decision, the pauses and
//! the parallel proceedings they wait for, the family's involvement, the Home Office QA
//! rounds, the publication checklist and the case characteristics (migration 10).
//!
//! Plain types and their vocabularies; the rules over them live beside the code that
//! needs them (`clock`, `stage`, `family`), the SQL in `store::review`.

use chrono::NaiveDate;

use super::model::{QaOutcome, vocabulary};

/// The tables of a case's process records, with the words its history shows before a
/// change to one of them.
pub const CASE_RECORDS: &[(&str, &str)] = &[
    ("review_decisions", "decision"),
    ("pauses", "pause"),
    ("proceedings", "proceeding"),
    ("disclosure_requests", "disclosure request"),
    ("family_people", "person approached"),
    ("family_contacts", "family contact"),
    ("qa_rounds", "QA round"),
    ("qa_points", "QA point"),
    ("publication_items", "publication"),
    ("case_characteristics", "characteristic"),
];

vocabulary!(
    /// What the partnership decided.
    DecisionOutcome {
        Review => ("review", "review"),
        NoReview => ("no_review", "no review"),
    }
);

/// The decision whether to hold a review (one live record per case).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewDecision {
    pub id: i64,
    pub case_id: i64,
    pub outcome: DecisionOutcome,
    /// The criteria considered (section 9 of the 2004 Act, the statutory guidance).
    pub criteria: String,
    pub reasons: String,
    pub decided_by: String,
    pub decided_on: Option<NaiveDate>,
    /// When the Home Office was told of the decision (it is told either way).
    pub home_office_notified_on: Option<NaiveDate>,
    pub home_office_reply: String,
}

vocabulary!(
    /// A process running beside the review.
    ProceedingKind {
        Trial => ("trial", "criminal trial"),
        Inquest => ("inquest", "inquest"),
        Iopc => ("iopc", "IOPC investigation"),
        Sar => ("sar", "Safeguarding Adults Review"),
        Cspr => ("cspr", "Child Safeguarding Practice Review"),
        Mhhr => ("mhhr", "mental health homicide review"),
        Other => ("other", "other"),
    }
);

impl ProceedingKind {
    /// The short word of `dhr cases`: "paused (trial) 45d".
    pub fn short(self) -> &'static str {
        match self {
            ProceedingKind::Trial => "trial",
            ProceedingKind::Inquest => "inquest",
            ProceedingKind::Iopc => "IOPC",
            ProceedingKind::Sar => "SAR",
            ProceedingKind::Cspr => "CSPR",
            ProceedingKind::Mhhr => "MHHR",
            ProceedingKind::Other => "other",
        }
    }
}

/// A parallel proceeding with its key dates and contact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proceeding {
    pub id: i64,
    pub case_id: i64,
    pub kind: ProceedingKind,
    /// What it is, in the panel's words ("R v [perpetrator], Crown Court").
    pub title: String,
    /// The contact (senior investigating officer, coroner's officer) and their role.
    pub contact: String,
    pub contact_role: String,
    pub charged_on: Option<NaiveDate>,
    pub trial_on: Option<NaiveDate>,
    pub verdict_on: Option<NaiveDate>,
    pub sentenced_on: Option<NaiveDate>,
    /// Opened (an inquest, an investigation, a review), resumed, concluded.
    pub opened_on: Option<NaiveDate>,
    pub resumed_on: Option<NaiveDate>,
    pub concluded_on: Option<NaiveDate>,
    pub notes: String,
}

/// A disclosure request to a proceeding and its answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisclosureRequest {
    pub id: i64,
    pub case_id: i64,
    pub proceeding_id: i64,
    pub asked_on: Option<NaiveDate>,
    pub asked_by: String,
    pub request: String,
    pub answered_on: Option<NaiveDate>,
    pub answer: String,
}

/// A pause of the review: open until `resumed_on` is recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pause {
    pub id: i64,
    pub case_id: i64,
    /// The proceeding the review waits for.
    pub proceeding_id: Option<i64>,
    pub since: Option<NaiveDate>,
    pub reason: String,
    pub resumed_on: Option<NaiveDate>,
    pub resume_reason: String,
}

impl Pause {
    /// Whether the review is still paused by this pause.
    pub fn is_open(&self) -> bool {
        self.resumed_on.is_none()
    }
}

vocabulary!(
    /// How a person approached for the review knew the victim.
    Connection {
        Family => ("family", "family"),
        Friend => ("friend", "friend"),
        Colleague => ("colleague", "colleague"),
        Employer => ("employer", "employer"),
        Neighbour => ("neighbour", "neighbour"),
        Perpetrator => ("perpetrator", "perpetrator"),
        Other => ("other", "other"),
    }
);

vocabulary!(
    /// The answer to an offer of specialist advocacy.
    AdvocacyResponse {
        Awaited => ("", "awaited"),
        Accepted => ("accepted", "accepted"),
        Declined => ("declined", "declined"),
    }
);

/// A person approached for the family and support network's involvement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FamilyPerson {
    pub id: i64,
    pub case_id: i64,
    /// The person in the pseudonym register (their name is kept only there).
    pub subject_id: i64,
    pub connection: Connection,
    pub approached_on: Option<NaiveDate>,
    pub approached_by: String,
    /// Specialist advocacy (for example AAFDA): when and by whom it was offered.
    pub advocacy_offered_on: Option<NaiveDate>,
    pub advocacy_offered_by: String,
    pub advocacy_response: AdvocacyResponse,
    pub advocate: String,
    pub notes: String,
}

vocabulary!(
    /// How a contact with the family was made.
    ContactMethod {
        Letter => ("letter", "letter"),
        Phone => ("phone", "phone"),
        Meeting => ("meeting", "meeting"),
        Email => ("email", "e-mail"),
        Video => ("video", "video call"),
        Other => ("other", "other"),
    }
);

vocabulary!(
    /// What a person consented to in a contact.
    Consent {
        None => ("", "not recorded"),
        Pseudonym => ("pseudonym", "a pseudonym"),
        Tribute => ("tribute", "a tribute"),
        Both => ("both", "a pseudonym and a tribute"),
        Declined => ("declined", "declined"),
    }
);

/// One contact with a person approached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FamilyContact {
    pub id: i64,
    pub case_id: i64,
    pub person_id: i64,
    pub contact_on: Option<NaiveDate>,
    pub method: ContactMethod,
    pub by_whom: String,
    pub shared_tor: bool,
    pub shared_draft: bool,
    pub shared_publication_date: bool,
    /// Their views and wishes.
    pub views: String,
    pub consent: Consent,
    pub consent_detail: String,
}

/// One submission to the Home Office QA panel and its answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QaRound {
    pub id: i64,
    pub case_id: i64,
    /// 1 for the first submission; a resubmission is a new round.
    pub number: i64,
    pub submitted_on: Option<NaiveDate>,
    pub report_version: String,
    /// `None` until the panel's letter.
    pub outcome: Option<QaOutcome>,
    pub letter_on: Option<NaiveDate>,
    pub notes: String,
}

vocabulary!(
    /// Where a point of a QA letter stands.
    QaPointStatus {
        Open => ("open", "open"),
        Responded => ("responded", "responded"),
        Agreed => ("agreed", "agreed"),
    }
);

/// A point a QA letter raises and the panel's response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QaPoint {
    pub id: i64,
    pub case_id: i64,
    pub round_id: i64,
    pub number: i64,
    pub point: String,
    pub response: String,
    pub status: QaPointStatus,
}

vocabulary!(
    /// An item of the publication checklist.
    PublicationItem {
        Summary => ("summary", "executive summary ready"),
        HoLetter => ("ho_letter", "Home Office letter received"),
        FamilyTold => ("family_told", "family told of the publication date"),
        Published => ("published", "published"),
        Library => ("library", "sent to the Home Office DHR library"),
        Commissioner => ("commissioner", "copy sent to the Domestic Abuse Commissioner"),
    }
);

/// A dated item of the publication checklist (one live record per item and case).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicationRecord {
    pub id: i64,
    pub case_id: i64,
    pub item: PublicationItem,
    pub done_on: Option<NaiveDate>,
    /// Where it was published, who was told, the library reference.
    pub detail: String,
}

vocabulary!(
    /// A characteristic of the case, in the terms of the Home Office DHR library and its
    /// analyses. All optional.
    Characteristic {
        DeathType => ("death_type", "type of death"),
        Relationship => ("relationship", "relationship"),
        VictimAge => ("victim_age", "victim's age band"),
        PerpetratorAge => ("perpetrator_age", "perpetrator's age band"),
        VictimSex => ("victim_sex", "victim's sex"),
        PerpetratorSex => ("perpetrator_sex", "perpetrator's sex"),
        Children => ("children", "children in the household"),
        CoerciveControl => ("coercive_control", "coercive control"),
        Stalking => ("stalking", "stalking"),
        EconomicAbuse => ("economic_abuse", "economic abuse"),
        Strangulation => ("strangulation", "non-fatal strangulation"),
        Substances => ("substances", "substance use"),
        MentalHealth => ("mental_health", "mental health"),
        Disability => ("disability", "disability"),
        Ethnicity => ("ethnicity", "ethnicity (where recorded)"),
    }
);

/// One recorded characteristic of a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseCharacteristic {
    pub id: i64,
    pub case_id: i64,
    pub name: Characteristic,
    pub value: String,
}
