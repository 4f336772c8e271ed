//! The second fictional demo case, DEMO-2 ("Adult P", `demo_case_2.json`): a review of a
//! death by suicide where domestic abuse was a factor, paused for the inquest, completed,
//! through two Home Office QA rounds, published and at action plan monitoring. It holds
//! the records of the later stages DEMO-1 (at its panel stage) cannot: the QA rounds and
//! their points, the publication checklist, the report's completion, and a plan with
//! recommendations still open (so moving it to Concluded is refused). Written through
//! the same typed writes as the workspace, in DEMO-1's transaction. Every date is relative
//! to today (no date in its texts), so its order holds on any day.

use chrono::NaiveDate;
use serde::Deserialize;

use super::data::{
    AgencyData, DecisionData, FamilyData, PlanAndCharacteristics, RecommendationData, SubjectData,
};
use super::{PauseStory, code, content_error, offset};
use crate::domain::model::*;
use crate::domain::review::{PublicationItem, QaPointStatus};
use crate::store::StoreError;
use crate::store::qa::{PointInput, RoundInput};
use crate::store::seed::Seeder;

/// The reference of the second demo case.
pub const REFERENCE: &str = "DEMO-2";

/// DEMO-2's content, embedded in the binary.
pub const DEMO_CASE_2_JSON: &str = include_str!("demo_case_2.json");

/// Reads the embedded second demo case.
pub fn load() -> Result<SecondCase, String> {
    serde_json::from_str(DEMO_CASE_2_JSON).map_err(|e| format!("demo_case_2.json: {e}"))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecondCase {
    /// Notes for whoever edits the file; not read.
    #[serde(rename = "about", default)]
    pub _about: Vec<String>,
    pub case: CaseData,
    pub decision: DecisionData,
    pub subjects: Vec<SubjectData>,
    pub agencies: Vec<AgencyData>,
    pub family_and_proceedings: FamilyData,
    /// The Home Office QA rounds, in order.
    pub qa_rounds: Vec<QaRoundData>,
    /// The publication checklist's items.
    pub publication: Vec<PublicationData>,
    pub recommendations: Vec<RecommendationData>,
    pub plan_and_characteristics: PlanAndCharacteristics,
}

/// The case, every date in days relative to today (negative = before), so the story
/// holds together on any day `dhr demo` runs.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseData {
    pub title: String,
    pub kind: String,
    pub partnership: String,
    pub chair: String,
    pub overview_author: String,
    pub coordinator: String,
    /// Also the end of the review period.
    pub death_days: i64,
    pub notified_days: i64,
    pub decision_days: i64,
    pub home_office_notified_days: i64,
    pub period_from_days: i64,
    pub stage: String,
    pub paused_days: i64,
    pub paused_reason: String,
    pub resumed_days: i64,
    /// `{date}` is replaced by the day it resumed.
    pub resumed_reason: String,
    pub extended_to_days: i64,
    pub extension_reason: String,
    pub report_completed_days: i64,
}

/// A submission to the Home Office QA panel, its outcome (a code of `QaOutcome`), its
/// letter and the points the letter raised.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QaRoundData {
    pub submitted_days: i64,
    pub report_version: String,
    pub outcome: String,
    pub letter_days: i64,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub points: Vec<QaPointData>,
}

/// A point of a QA letter, the panel's response and its status (a code of
/// `QaPointStatus`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QaPointData {
    pub point: String,
    #[serde(default)]
    pub response: String,
    pub status: String,
}

/// An item of the publication checklist (a code of `PublicationItem`), its day and detail.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublicationData {
    pub item: String,
    pub done_days: i64,
    #[serde(default)]
    pub detail: String,
}

/// Adds DEMO-2 inside the seeding transaction; returns its id.
pub fn build(
    w: &mut Seeder<'_, '_>,
    demo: &SecondCase,
    today: NaiveDate,
) -> Result<i64, StoreError> {
    let c = &demo.case;
    let mut case = Case::new(
        REFERENCE,
        code("review kind", &c.kind, ReviewKind::from_code)?,
        &c.title,
    );
    case.partnership = c.partnership.clone();
    let day = |days: i64| offset(today, days);
    case.date_of_death = Some(day(c.death_days));
    case.notified_on = Some(day(c.notified_days));
    case.chair = c.chair.clone();
    case.overview_author = c.overview_author.clone();
    case.coordinator = c.coordinator.clone();
    case.period_from = Some(day(c.period_from_days));
    case.period_to = Some(day(c.death_days));
    case.stage = code("stage", &c.stage, Stage::from_code)?;
    let case_id = w.insert_case(&case)?;
    super::record_decision(
        w,
        case_id,
        &demo.decision,
        day(c.decision_days),
        day(c.home_office_notified_days),
    )?;

    for s in &demo.subjects {
        w.insert_subject(&Subject {
            id: 0,
            case_id,
            role: code("subject role", &s.role, SubjectRole::from_code)?,
            real_names: s.real_names.clone(),
            pseudonym: s.pseudonym.clone(),
            relationship: s.relationship.clone(),
            notes: s.notes.clone(),
        })?;
    }

    let mut agency_ids: Vec<(&str, i64)> = Vec::new();
    for a in &demo.agencies {
        agency_ids.push((
            &a.code,
            w.insert_agency(&super::agency_of(a, case_id, today)?)?,
        ));
    }
    let agency = |code: &str| -> Result<i64, StoreError> {
        agency_ids
            .iter()
            .find(|(c, _)| *c == code)
            .map(|(_, id)| *id)
            .ok_or_else(|| content_error(format!("DEMO-2 has no agency with code {code}")))
    };

    // Paused for the inquest, resumed after it concluded, then the new date agreed.
    let pause = PauseStory {
        paused_on: day(c.paused_days),
        paused_reason: &c.paused_reason,
        resumed_days: c.resumed_days,
        resumed_reason: &c.resumed_reason,
        extended_to_days: c.extended_to_days,
        extension_reason: &c.extension_reason,
    };
    super::family_and_proceedings(w, &pause, &demo.family_and_proceedings, case_id, today)?;
    w.set_report_completed(case_id, Some(offset(today, c.report_completed_days)))?;

    for r in &demo.qa_rounds {
        let round = RoundInput {
            submitted_on: Some(offset(today, r.submitted_days)),
            report_version: r.report_version.clone(),
            outcome: Some(code("QA outcome", &r.outcome, QaOutcome::from_code)?),
            letter_on: Some(offset(today, r.letter_days)),
            notes: r.notes.clone(),
        };
        let points = r
            .points
            .iter()
            .map(|p| {
                Ok(PointInput {
                    point: p.point.clone(),
                    response: p.response.clone(),
                    status: code("QA point status", &p.status, QaPointStatus::from_code)?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        w.record_qa_round(case_id, &round, &points)?;
    }

    for p in &demo.publication {
        w.set_publication_item(
            case_id,
            code("publication item", &p.item, PublicationItem::from_code)?,
            Some(offset(today, p.done_days)),
            &p.detail,
        )?;
    }

    let plan = super::insert_plan(w, &demo.recommendations, case_id, today, &agency)?;
    super::build_plan_and_characteristics(
        w,
        &demo.plan_and_characteristics,
        case_id,
        today,
        &plan,
    )?;
    Ok(case_id)
}
