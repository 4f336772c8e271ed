//! The review's process in the case view (issue 17): the decision record (`v`), the Home
//! Office QA rounds with the points their letters raise (`h`) and the publication
//! checklist (`u`). Their forms save through typed store operations whose rules hold in
//! the write (`store::decision`, `store::qa`, `store::checklist`); a form that edits a
//! record names it (`ProcessForm::stale_record`) so another seat's change is caught.
//!
//! The view's copy of these records (`ProcessFacts`) is read when the view opens and
//! after each save; drawing (`ui/panes/case_process.rs`) only reads it.

use chrono::NaiveDate;

use super::{CaseChoice, CaseField, CaseForm};
use crate::app::App;
use crate::app::form::{Field, Form};
use crate::app::panes::fields::exact_day;
use crate::app::panes::{ChooseTarget, FieldId, FormTarget};
use crate::domain::model::{QaOutcome, Stage};
use crate::domain::review::{
    DecisionOutcome, PublicationItem, PublicationRecord, QaPoint, QaPointStatus, QaRound,
    ReviewDecision,
};
use crate::store::Store;
use crate::store::qa::{PointInput, RoundInput};
use crate::store::stale::Record;

/// The process records of the open case, as the case view shows them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProcessFacts {
    pub decision: Option<ReviewDecision>,
    /// First round first.
    pub rounds: Vec<QaRound>,
    /// Every round's points, by round then number.
    pub points: Vec<QaPoint>,
    /// The recorded items of the checklist, in checklist order.
    pub publication: Vec<PublicationRecord>,
}

impl ProcessFacts {
    /// Reads the case's decision, QA rounds and points, and publication checklist.
    pub fn read(store: &Store, case_id: i64) -> crate::store::Result<ProcessFacts> {
        Ok(ProcessFacts {
            decision: store.decision(case_id)?,
            rounds: store.qa_rounds(case_id)?,
            points: store.qa_points(case_id)?,
            publication: store.publication_items(case_id)?,
        })
    }

    /// The points of `round`, in order.
    pub fn points_of(&self, round: i64) -> impl Iterator<Item = &QaPoint> {
        self.points.iter().filter(move |p| p.round_id == round)
    }

    /// The recorded checklist item, if any.
    pub fn item(&self, item: PublicationItem) -> Option<&PublicationRecord> {
        self.publication.iter().find(|p| p.item == item)
    }
}

/// What a process form saves to, carrying the record it edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProcessForm {
    /// The case's decision: the live one, or (`None`) the first.
    Decision { decision: Option<i64> },
    /// A new submission to the Home Office (a new round).
    NewRound,
    /// This round.
    Round { round: i64 },
    /// A new point of this round's letter.
    NewPoint { round: i64 },
    /// This point.
    Point { point: i64 },
    /// An item of the checklist: its live record, or (`None`) none yet.
    Publication {
        item: PublicationItem,
        record: Option<i64>,
    },
}

impl ProcessForm {
    /// The record keying the form's draft (with its title).
    pub fn record(&self) -> i64 {
        match *self {
            ProcessForm::Decision { decision } => decision.unwrap_or(0),
            ProcessForm::NewRound => 0,
            ProcessForm::Round { round } | ProcessForm::NewPoint { round } => round,
            ProcessForm::Point { point } => point,
            ProcessForm::Publication { record, .. } => record.unwrap_or(0),
        }
    }

    /// The existing record the form edits, whose version its save expects.
    pub fn stale_record(&self) -> Option<Record> {
        match *self {
            ProcessForm::Decision { decision } => decision.map(Record::ReviewDecision),
            ProcessForm::Round { round } => Some(Record::QaRound(round)),
            ProcessForm::Point { point } => Some(Record::QaPoint(point)),
            ProcessForm::Publication { record, .. } => record.map(Record::PublicationItem),
            ProcessForm::NewRound | ProcessForm::NewPoint { .. } => None,
        }
    }
}

/// The fields of the process forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProcessField {
    Outcome,
    Criteria,
    Reasons,
    DecidedBy,
    DecidedOn,
    Notified,
    Reply,
    Submitted,
    Version,
    QaOutcome,
    Letter,
    Notes,
    Point,
    Response,
    Status,
    Done,
    Detail,
}

impl From<ProcessField> for FieldId {
    fn from(f: ProcessField) -> FieldId {
        FieldId::Case(CaseField::Process(f))
    }
}

use ProcessField as P;

/// An option of a round's chooser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoundEntry {
    Point(i64),
    NewPoint,
    Edit,
}

/// What the process choosers' options mean, in option order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProcessChoice {
    /// The rounds (by id), then (`None`) a new submission.
    Rounds { rounds: Vec<Option<i64>> },
    /// Within a round: its points, a new point, editing the round.
    Round {
        round: i64,
        entries: Vec<RoundEntry>,
    },
    /// The checklist's items with their live records.
    Publication {
        items: Vec<(PublicationItem, Option<i64>)>,
    },
}

fn day_text(d: Option<NaiveDate>) -> String {
    d.map(|d| d.format("%d/%m/%Y").to_string())
        .unwrap_or_default()
}

fn day(d: Option<NaiveDate>) -> String {
    d.map_or_else(
        || "no date".to_string(),
        |d| d.format("%d %b %Y").to_string(),
    )
}

/// "content to publish" or "publish": the outcome typed, by code or label.
fn outcome_of(text: &str) -> Option<QaOutcome> {
    let t = text.trim().to_lowercase();
    QaOutcome::ALL
        .iter()
        .copied()
        .find(|o| o.code() == t || o.label() == t)
}

/// The case's process records, read now (an error is said and nothing is offered).
fn facts(app: &mut App) -> Option<(i64, ProcessFacts)> {
    let case_id = app.workspace.as_ref()?.case.id;
    match ProcessFacts::read(&app.store, case_id) {
        Ok(f) => Some((case_id, f)),
        Err(e) => {
            app.error(format!("Cannot read the review's process records: {e}"));
            app.open_case_view();
            None
        }
    }
}

fn open(app: &mut App, form: Form, target: ProcessForm) {
    app.open_form(form, FormTarget::Case(CaseForm::Process(target)));
}

fn back(app: &mut App, form: Form, target: ProcessForm, message: impl Into<String>) {
    app.form_back(
        form,
        FormTarget::Case(CaseForm::Process(target)),
        message.into(),
    );
}

/// `v`: the decision form, on the live decision or a new one.
pub(super) fn open_decision(app: &mut App) {
    let Some((_, facts)) = facts(app) else { return };
    let d = facts.decision.as_ref();
    let text = |f: fn(&ReviewDecision) -> &str| d.map(f).unwrap_or("").to_string();
    let form = Form::new(
        "The decision whether to hold a review",
        vec![
            Field::with_id(
                P::Outcome,
                "Outcome (review / no review)",
                "the partnership's decision; the Home Office is told either way",
                false,
                d.map_or("review", |d| d.outcome.label()),
            ),
            Field::with_id(
                P::Criteria,
                "Criteria considered",
                "section 9 of the 2004 Act and the statutory guidance: what was weighed",
                true,
                &text(|d| &d.criteria),
            ),
            Field::with_id(P::Reasons, "Reasons", "", true, &text(|d| &d.reasons)),
            Field::with_id(
                P::DecidedBy,
                "Decided by",
                "who decided, e.g. the chair of the Community Safety Partnership",
                false,
                &text(|d| &d.decided_by),
            ),
            Field::with_id(
                P::DecidedOn,
                "Date decided",
                "dd/mm/yyyy; a review's report is due six months after",
                false,
                &day_text(d.and_then(|d| d.decided_on)),
            ),
            Field::with_id(
                P::Notified,
                "Date the Home Office was notified",
                "empty = not yet (the case view prompts until it is recorded)",
                false,
                &day_text(d.and_then(|d| d.home_office_notified_on)),
            ),
            Field::with_id(
                P::Reply,
                "The Home Office's reply",
                "",
                true,
                &text(|d| &d.home_office_reply),
            ),
        ],
    );
    open(
        app,
        form,
        ProcessForm::Decision {
            decision: d.map(|d| d.id),
        },
    );
}

/// `h`: the chooser of the QA rounds, then a new submission.
pub(super) fn open_rounds(app: &mut App) {
    let Some((_, facts)) = facts(app) else { return };
    let mut options: Vec<String> = Vec::new();
    let mut rounds: Vec<Option<i64>> = Vec::new();
    for r in &facts.rounds {
        let outcome = r
            .outcome
            .map_or_else(|| "no outcome yet".to_string(), |o| o.label().to_string());
        options.push(format!(
            "Round {}: submitted {} · {outcome} · {} point{}",
            r.number,
            day(r.submitted_on),
            facts.points_of(r.id).count(),
            if facts.points_of(r.id).count() == 1 {
                ""
            } else {
                "s"
            }
        ));
        rounds.push(Some(r.id));
    }
    options.push(if facts.rounds.is_empty() {
        "New submission to the Home Office (round 1)".to_string()
    } else {
        format!(
            "New submission (resubmission, round {})",
            facts.rounds.len() + 1
        )
    });
    rounds.push(None);
    app.open_chooser(
        "Home Office QA rounds",
        options,
        ChooseTarget::Case(CaseChoice::Process(ProcessChoice::Rounds { rounds })),
    );
}

/// `u`: the chooser of the checklist's items, done or not.
pub(super) fn open_checklist(app: &mut App) {
    let Some((_, facts)) = facts(app) else { return };
    let mut options = Vec::new();
    let mut items = Vec::new();
    for item in PublicationItem::ALL {
        let record = facts.item(*item);
        let done = match record.and_then(|r| r.done_on) {
            Some(d) => format!("done {}", day(Some(d))),
            None => "not yet".to_string(),
        };
        options.push(format!("{}: {done}", capitalised(item.label())));
        items.push((*item, record.map(|r| r.id)));
    }
    app.open_chooser(
        "Publication checklist: choose an item",
        options,
        ChooseTarget::Case(CaseChoice::Process(ProcessChoice::Publication { items })),
    );
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// Does what the option picked means.
pub(super) fn choose(app: &mut App, choice: ProcessChoice, index: usize) {
    match choice {
        ProcessChoice::Rounds { rounds } => match rounds.get(index) {
            Some(Some(round)) => open_round_chooser(app, *round),
            Some(None) => open_round_form(app, None),
            None => {}
        },
        ProcessChoice::Round { round, entries } => match entries.get(index) {
            Some(RoundEntry::Edit) => open_round_form(app, Some(round)),
            Some(RoundEntry::NewPoint) => open_point_form(app, round, None),
            Some(RoundEntry::Point(point)) => open_point_form(app, round, Some(*point)),
            None => {}
        },
        ProcessChoice::Publication { items } => {
            if let Some((item, record)) = items.get(index).copied() {
                open_item_form(app, item, record);
            }
        }
    }
}

fn open_round_chooser(app: &mut App, round: i64) {
    let Some((_, facts)) = facts(app) else { return };
    let Some(r) = facts.rounds.iter().find(|r| r.id == round) else {
        app.error("That QA round is no longer recorded: press h again.");
        return;
    };
    let mut options = Vec::new();
    let mut entries = Vec::new();
    for p in facts.points_of(round) {
        let mut text: String = p.point.replace('\n', " ").chars().take(60).collect();
        if p.point.chars().count() > 60 {
            text.push('…');
        }
        options.push(format!("Point {} ({}): {text}", p.number, p.status));
        entries.push(RoundEntry::Point(p.id));
    }
    options.push("New point of the letter".to_string());
    entries.push(RoundEntry::NewPoint);
    options.push("Edit this round (submission, version, outcome, letter)".to_string());
    entries.push(RoundEntry::Edit);
    app.open_chooser(
        format!("QA round {}: its points", r.number),
        options,
        ChooseTarget::Case(CaseChoice::Process(ProcessChoice::Round { round, entries })),
    );
}

fn open_round_form(app: &mut App, round: Option<i64>) {
    let Some((_, facts)) = facts(app) else { return };
    let r = round.and_then(|id| facts.rounds.iter().find(|r| r.id == id));
    let title = match r {
        Some(r) => format!("QA round {}", r.number),
        None => format!(
            "New submission to the Home Office QA panel (round {})",
            facts.rounds.len() + 1
        ),
    };
    let form = Form::new(
        title,
        vec![
            Field::with_id(
                P::Submitted,
                "Date submitted",
                "dd/mm/yyyy; empty for today",
                false,
                &day_text(r.and_then(|r| r.submitted_on)),
            ),
            Field::with_id(
                P::Version,
                "Report version",
                "e.g. v3.2 as sent",
                false,
                r.map_or("", |r| r.report_version.as_str()),
            ),
            Field::with_id(
                P::QaOutcome,
                "Outcome",
                "publish, changes or resubmit; empty: none yet",
                false,
                r.and_then(|r| r.outcome).map_or("", |o| o.code()),
            ),
            Field::with_id(
                P::Letter,
                "Date of the panel's letter",
                "dd/mm/yyyy",
                false,
                &day_text(r.and_then(|r| r.letter_on)),
            ),
            Field::with_id(
                P::Notes,
                "Notes",
                "",
                true,
                r.map_or("", |r| r.notes.as_str()),
            ),
        ],
    );
    let target = match round {
        Some(round) => ProcessForm::Round { round },
        None => ProcessForm::NewRound,
    };
    open(app, form, target);
}

fn open_point_form(app: &mut App, round: i64, point: Option<i64>) {
    let Some((_, facts)) = facts(app) else { return };
    let p = point.and_then(|id| facts.points.iter().find(|p| p.id == id));
    let number = facts
        .rounds
        .iter()
        .find(|r| r.id == round)
        .map_or(0, |r| r.number);
    let title = match p {
        Some(p) => format!("QA round {number}, point {}", p.number),
        None => format!("QA round {number}: a new point of the letter"),
    };
    let form = Form::new(
        title,
        vec![
            Field::with_id(
                P::Point,
                "The point the letter raises",
                "",
                true,
                p.map_or("", |p| p.point.as_str()),
            ),
            Field::with_id(
                P::Response,
                "The panel's response",
                "",
                true,
                p.map_or("", |p| p.response.as_str()),
            ),
            Field::with_id(
                P::Status,
                "Status (open / responded / agreed)",
                "",
                false,
                p.map_or("open", |p| p.status.code()),
            ),
        ],
    );
    let target = match point {
        Some(point) => ProcessForm::Point { point },
        None => ProcessForm::NewPoint { round },
    };
    open(app, form, target);
}

fn open_item_form(app: &mut App, item: PublicationItem, record: Option<i64>) {
    let Some((_, facts)) = facts(app) else { return };
    let r = facts.item(item);
    let hint = match item {
        PublicationItem::Published => "where: the partnership's website address",
        PublicationItem::Library => "the library's reference, if given",
        PublicationItem::FamilyTold => "who was told, and how",
        PublicationItem::Commissioner => "to whom it was sent",
        PublicationItem::HoLetter => "the letter's reference",
        PublicationItem::Summary => "the version of the executive summary",
    };
    let form = Form::new(
        capitalised(item.label()),
        vec![
            Field::with_id(
                P::Done,
                "Date done",
                "dd/mm/yyyy; empty = not yet",
                false,
                &day_text(r.and_then(|r| r.done_on)),
            ),
            Field::with_id(
                P::Detail,
                "Detail",
                hint,
                false,
                r.map_or("", |r| r.detail.as_str()),
            ),
        ],
    );
    open(app, form, ProcessForm::Publication { item, record });
}

/// Saves a process form.
pub(super) fn submit(app: &mut App, form: Form, target: ProcessForm) {
    match target {
        ProcessForm::Decision { decision } => save_decision(app, form, decision),
        ProcessForm::NewRound | ProcessForm::Round { .. } => save_round(app, form, target),
        ProcessForm::NewPoint { .. } | ProcessForm::Point { .. } => save_point(app, form, target),
        ProcessForm::Publication { item, record } => save_item(app, form, item, record),
    }
}

/// After a save: the workspace read again (the case's derived facts feed the clock),
/// the case view shown again with its records, and `done` said.
fn saved(app: &mut App, done: String) {
    app.reload_workspace();
    app.open_case_view();
    app.info(done);
}

fn save_decision(app: &mut App, mut form: Form, editing: Option<i64>) {
    form.clear_errors();
    let target = ProcessForm::Decision { decision: editing };
    let today = app.today;
    let outcome_text = form
        .text(P::Outcome)
        .trim()
        .to_lowercase()
        .replace('_', " ");
    let outcome = DecisionOutcome::ALL
        .iter()
        .copied()
        .find(|o| o.label() == outcome_text || o.code() == outcome_text);
    if outcome.is_none() {
        form.mark(P::Outcome, "write review or no review");
    }
    let decided_on = exact_day(&mut form, P::DecidedOn, today);
    if decided_on.is_none()
        && form
            .field_by(P::DecidedOn)
            .is_some_and(|f| f.error.is_none())
    {
        form.mark(P::DecidedOn, "give the date the decision was made");
    }
    let notified = exact_day(&mut form, P::Notified, today);
    let (Some(outcome), false) = (outcome, form.has_errors()) else {
        back(app, form, target, "Not saved: correct the marked fields.");
        return;
    };
    let Some(case) = app.workspace.as_ref().map(|ws| ws.case.clone()) else {
        return;
    };
    let input = ReviewDecision {
        id: editing.unwrap_or(0),
        case_id: case.id,
        outcome,
        criteria: form.text(P::Criteria),
        reasons: form.text(P::Reasons),
        decided_by: form.text(P::DecidedBy),
        decided_on,
        home_office_notified_on: notified,
        home_office_reply: form.text(P::Reply),
    };
    if let Err(e) = app.store.save_decision(&input) {
        back(app, form, target, format!("Not saved: {e}"));
        return;
    }
    let mut done = format!("Decision saved: {outcome}.");
    if outcome == DecisionOutcome::NoReview && case.stage != Stage::NotReviewed {
        done.push_str(&format!(
            " To close the case: s, then \"{}\", with a reason.",
            Stage::NotReviewed
        ));
    }
    if notified.is_none() {
        done.push_str(" Tell the Home Office and record the date here (v).");
    }
    saved(app, done);
}

fn save_round(app: &mut App, mut form: Form, target: ProcessForm) {
    form.clear_errors();
    let today = app.today;
    let submitted = exact_day(&mut form, P::Submitted, today);
    let letter = exact_day(&mut form, P::Letter, today);
    let outcome_text = form.text(P::QaOutcome);
    let outcome = if outcome_text.trim().is_empty() {
        None
    } else {
        let o = outcome_of(&outcome_text);
        if o.is_none() {
            form.mark(
                P::QaOutcome,
                "write publish, changes or resubmit, or leave it empty",
            );
        }
        o
    };
    if form.has_errors() {
        back(app, form, target, "Not saved: correct the marked fields.");
        return;
    }
    let input = RoundInput {
        submitted_on: if target == ProcessForm::NewRound {
            submitted.or(Some(today))
        } else {
            submitted
        },
        report_version: form.text(P::Version),
        outcome,
        letter_on: letter,
        notes: form.text(P::Notes),
    };
    let Some(case_id) = app.workspace.as_ref().map(|ws| ws.case.id) else {
        return;
    };
    let result = match target {
        ProcessForm::Round { round } => app
            .store
            .edit_qa_round(round, &input)
            .map(|_| "QA round saved.".to_string()),
        _ => app.store.submit_qa_round(case_id, &input).map(|n| {
            format!("Round {n} recorded: the report was submitted to the Home Office QA panel.")
        }),
    };
    match result {
        Ok(done) => saved(app, done),
        Err(e) => back(app, form, target, format!("Not saved: {e}")),
    }
}

fn save_point(app: &mut App, mut form: Form, target: ProcessForm) {
    form.clear_errors();
    let point = form.text(P::Point);
    if point.trim().is_empty() {
        form.mark(P::Point, "write what the letter raises");
    }
    let status = QaPointStatus::from_code(&form.text(P::Status).trim().to_lowercase());
    if status.is_none() {
        form.mark(P::Status, "write open, responded or agreed");
    }
    let (Some(status), false) = (status, form.has_errors()) else {
        back(app, form, target, "Not saved: correct the marked fields.");
        return;
    };
    let input = PointInput {
        point,
        response: form.text(P::Response),
        status,
    };
    let result = match target {
        ProcessForm::Point { point } => app
            .store
            .edit_qa_point(point, &input)
            .map(|_| "Point saved.".to_string()),
        ProcessForm::NewPoint { round } => app
            .store
            .add_qa_point(round, &input)
            .map(|n| format!("Point {n} recorded.")),
        _ => return,
    };
    match result {
        Ok(done) => saved(app, done),
        Err(e) => back(app, form, target, format!("Not saved: {e}")),
    }
}

fn save_item(app: &mut App, mut form: Form, item: PublicationItem, record: Option<i64>) {
    form.clear_errors();
    let target = ProcessForm::Publication { item, record };
    let done_on = exact_day(&mut form, P::Done, app.today);
    if form.has_errors() {
        back(app, form, target, "Not saved: correct the marked fields.");
        return;
    }
    let detail = form.text(P::Detail);
    let Some(case_id) = app.workspace.as_ref().map(|ws| ws.case.id) else {
        return;
    };
    match app
        .store
        .save_publication_item(case_id, item, record, done_on, &detail)
    {
        Ok(()) => saved(
            app,
            format!(
                "{}: {}.",
                capitalised(item.label()),
                match done_on {
                    Some(d) => format!("done {}", day(Some(d))),
                    None => "not yet".to_string(),
                }
            ),
        ),
        Err(e) => back(app, form, target, format!("Not saved: {e}")),
    }
}
