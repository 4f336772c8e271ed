//! Typed writes for seeding a whole case in one transaction (the demo case, `dhr demo`).
//!
//! Each operation takes domain types and writes through [`Writer`], so the rows and the
//! audit trail are exactly those of the same change made any other way.

use chrono::NaiveDate;

use super::values::{date, id, text};
use super::{Result, Store, Writer};
use crate::domain::model::{
    Action, Agency, AgendaItem, Attendance, Case, Challenge, ChronologyEntry, Decision,
    Declaration, Meeting, Minute, PanelMember, Place, Recommendation, Subject, TermOfReference,
};

/// How a paused case was resumed: the reason shown in place of the pause's, and the
/// completion date extended on resumption.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resumption {
    pub on: NaiveDate,
    pub reason: String,
    pub extended_to: NaiveDate,
    pub extension_reason: String,
}

/// The typed writes of one seeding transaction (see [`Store::seed`]).
pub struct Seeder<'s, 'a> {
    w: &'s mut Writer<'a>,
}

impl Store {
    /// Runs `seed` in one transaction ([`Store::write`]), with its audit rows.
    pub fn seed<T>(&mut self, seed: impl FnOnce(&mut Seeder<'_, '_>) -> Result<T>) -> Result<T> {
        self.write(|w| seed(&mut Seeder { w }))
    }
}

impl Seeder<'_, '_> {
    pub fn insert_case(&mut self, case: &Case) -> Result<i64> {
        self.w.insert_case(case)
    }

    /// Resumes a paused case, recording why and the extended completion date.
    pub fn resume_case(&mut self, case_id: i64, resumption: &Resumption) -> Result<bool> {
        self.w
            .close_pause(case_id, resumption.on, &resumption.reason)?;
        self.w.update(
            "cases",
            case_id,
            &[
                ("extended_to", date(Some(resumption.extended_to))),
                ("extension_reason", text(&resumption.extension_reason)),
            ],
        )
    }

    pub fn insert_subject(&mut self, subject: &Subject) -> Result<i64> {
        self.w.insert_subject(subject)
    }

    pub fn insert_place(&mut self, place: &Place) -> Result<i64> {
        self.w.insert_place(place)
    }

    pub fn insert_agency(&mut self, agency: &Agency) -> Result<i64> {
        self.w.insert_agency(agency)
    }

    pub fn insert_panel_member(&mut self, member: &PanelMember) -> Result<i64> {
        self.w.insert_panel_member(member)
    }

    pub fn insert_meeting(&mut self, meeting: &Meeting) -> Result<i64> {
        self.w.insert_meeting(meeting)
    }

    /// Records that the minutes of `meeting_id` were approved at `approved_at`.
    pub fn set_approved_at(&mut self, meeting_id: i64, approved_at: i64) -> Result<bool> {
        self.w.update(
            "meetings",
            meeting_id,
            &[("approved_at_meeting_id", id(Some(approved_at)))],
        )
    }

    /// Stores the fingerprint of a meeting's minutes as they stand (taken at approval,
    /// the hash that locks approved minutes). Does nothing for a meeting that does not exist.
    pub fn stamp_fingerprint(&mut self, meeting_id: i64) -> Result<()> {
        if let Some(stored) = self.w.meeting_now(meeting_id)? {
            let print = self.w.minutes_fingerprint(&stored)?;
            self.w
                .update("meetings", meeting_id, &[("fingerprint", text(&print))])?;
        }
        Ok(())
    }

    /// Approves the minutes of `meeting_id` at `approved_at` as approval does: status
    /// approved, the meeting that approved them, and the fingerprint of their text.
    pub fn approve(&mut self, meeting_id: i64, approved_at: i64) -> Result<()> {
        let Some(stored) = self.w.meeting_now(meeting_id)? else {
            return Ok(());
        };
        let print = self.w.minutes_fingerprint(&stored)?;
        self.w.update(
            "meetings",
            meeting_id,
            &[
                ("status", text("approved")),
                ("approved_at_meeting_id", id(Some(approved_at))),
                ("fingerprint", text(&print)),
            ],
        )?;
        Ok(())
    }

    /// An amendment to approved minutes, made at `made_at` by `made_by`.
    pub fn insert_amendment(
        &mut self,
        meeting_id: i64,
        made_at: i64,
        made_by: &str,
        body: &str,
    ) -> Result<i64> {
        self.w.insert_amendment(meeting_id, made_at, made_by, body)
    }

    pub fn insert_term(&mut self, term: &TermOfReference) -> Result<i64> {
        self.w.insert_term(term)
    }

    /// Runs `add`, which adds many chronology entries, indexing them for the timeline's
    /// filter together at the end (see [`Writer::adding_many`]).
    pub fn adding_many<T>(
        &mut self,
        add: impl FnOnce(&mut Seeder<'_, '_>) -> Result<T>,
    ) -> Result<T> {
        self.w.adding_many(|w| add(&mut Seeder { w }))
    }

    pub fn insert_chronology_entry(
        &mut self,
        entry: &ChronologyEntry,
        term_ids: &[i64],
    ) -> Result<i64> {
        self.w.insert_chronology_entry(entry, term_ids)
    }

    pub fn insert_agenda_item(&mut self, item: &AgendaItem) -> Result<i64> {
        self.w.insert_agenda_item(item)
    }

    pub fn insert_attendance(&mut self, attendance: &Attendance) -> Result<i64> {
        self.w.insert_attendance(attendance)
    }

    pub fn insert_declaration(&mut self, declaration: &Declaration) -> Result<i64> {
        self.w.insert_declaration(declaration)
    }

    pub fn insert_minute(&mut self, minute: &Minute) -> Result<i64> {
        self.w.insert_minute(minute)
    }

    pub fn insert_decision(&mut self, decision: &Decision, term_ids: &[i64]) -> Result<i64> {
        self.w.insert_decision(decision, term_ids)
    }

    pub fn insert_action(&mut self, action: &Action) -> Result<i64> {
        self.w.insert_action(action)
    }

    pub fn insert_challenge(&mut self, challenge: &Challenge, term_ids: &[i64]) -> Result<i64> {
        self.w.insert_challenge(challenge, term_ids)
    }

    pub fn insert_recommendation(&mut self, recommendation: &Recommendation) -> Result<i64> {
        self.w.insert_recommendation(recommendation)
    }

    /// The case characteristics, each checked against its vocabulary.
    pub fn save_characteristics(
        &mut self,
        case_id: i64,
        values: &[(crate::domain::review::Characteristic, String)],
    ) -> Result<usize> {
        self.w.save_characteristics(case_id, values, &[])
    }

    /// Saves an edited recommendation with the rules of its write.
    pub fn update_recommendation(&mut self, recommendation: &Recommendation) -> Result<bool> {
        self.w.update_recommendation(recommendation)
    }

    /// Closes a recommendation with its reason and outcome.
    pub fn close_recommendation(
        &mut self,
        recommendation_id: i64,
        reason: crate::domain::model::ClosedReason,
        outcome: &str,
    ) -> Result<bool> {
        self.w
            .close_recommendation(recommendation_id, reason, outcome)
    }

    pub fn save_proceeding(&mut self, p: &crate::domain::review::Proceeding) -> Result<i64> {
        self.w.save_proceeding(p)
    }

    /// Pauses the case from `since`, waiting for `proceeding`.
    pub fn open_pause(
        &mut self,
        case_id: i64,
        proceeding: Option<i64>,
        since: Option<chrono::NaiveDate>,
        reason: &str,
    ) -> Result<i64> {
        self.w.open_pause(case_id, proceeding, since, reason)
    }

    pub fn save_disclosure(&mut self, d: &crate::domain::review::DisclosureRequest) -> Result<i64> {
        self.w.save_disclosure(d)
    }

    pub fn save_family_person(&mut self, p: &crate::domain::review::FamilyPerson) -> Result<i64> {
        self.w.save_family_person(p)
    }

    pub fn save_family_contact(&mut self, c: &crate::domain::review::FamilyContact) -> Result<i64> {
        self.w.save_family_contact(c)
    }

    /// The case's subjects as (pseudonym, id), read inside the seeding transaction.
    pub fn subject_ids(&mut self, case_id: i64) -> Result<Vec<(String, i64)>> {
        let mut stmt = self.w.tx().prepare(
            "SELECT pseudonym, id FROM subjects WHERE case_id = ?1 AND deleted_at IS NULL",
        )?;
        let rows = stmt.query_map([case_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The case's decision whether to review, whole.
    pub fn record_decision(
        &mut self,
        decision: &crate::domain::review::ReviewDecision,
    ) -> Result<i64> {
        self.w.record_review_decision(decision)
    }

    /// A Home Office QA round (the next number, refused while the round before has no
    /// outcome) with the points its letter raised; returns the round's id.
    pub fn record_qa_round(
        &mut self,
        case_id: i64,
        round: &super::qa::RoundInput,
        points: &[super::qa::PointInput],
    ) -> Result<i64> {
        let number = self.w.submit_qa_round(case_id, round)?;
        let round_id = super::review::latest_round_in(self.w.tx(), case_id)?
            .filter(|r| r.number == number)
            .map(|r| r.id)
            .ok_or_else(|| {
                super::StoreError::Rule(format!("QA round {number} was not recorded"))
            })?;
        for p in points {
            self.w.add_qa_point(round_id, p)?;
        }
        Ok(round_id)
    }

    /// An item of the publication checklist, dated, with its detail.
    pub fn set_publication_item(
        &mut self,
        case_id: i64,
        item: crate::domain::review::PublicationItem,
        done_on: Option<NaiveDate>,
        detail: &str,
    ) -> Result<()> {
        self.w
            .set_publication_item(case_id, item, done_on, Some(detail))
    }

    /// The date the overview report was completed (the case view's later dates).
    pub fn set_report_completed(&mut self, case_id: i64, on: Option<NaiveDate>) -> Result<bool> {
        self.w
            .update("cases", case_id, &[("report_completed_on", date(on))])
    }
}
