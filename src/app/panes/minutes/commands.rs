//! Committing a line of the minutes: parsed by the minuting grammar, its names resolved
//! against the case, written in one transaction with the record it creates (or, for
//! `/undo` and `s/old/new/`, withdraws or corrects); then only what the line can change is
//! read again.

use crate::app::App;
use crate::domain::minuting::{MinuteLine, check_line_allowed, parse_minute};
use crate::domain::model::Attendance;
use crate::store::StoreError;
use crate::store::minute_lines::{LineNames, LinePlace};

use super::{draft_place, new_input};

/// What committing a line changed, for the confirmation under the input.
struct Committed {
    message: String,
    /// The agenda item to move to (for /item and /next, which write nothing).
    go_to: Option<usize>,
}

/// What a line can change beyond the meeting's minutes, attendance and status (and the
/// meetings list's counts), so that only those lists are read again after it.
#[derive(Debug, Clone, Copy, Default)]
struct Changes {
    /// The line writes to the database at all (`/item` and `/next` do not).
    written: bool,
    decisions: bool,
    actions: bool,
    /// The challenges, and so the agencies' counts of open challenges.
    challenges: bool,
}

impl Changes {
    fn of(line: &MinuteLine) -> Changes {
        let minutes = Changes {
            written: true,
            ..Changes::default()
        };
        match line {
            MinuteLine::Item(_) | MinuteLine::Next => Changes::default(),
            MinuteLine::Note(_)
            | MinuteLine::Present { .. }
            | MinuteLine::Apologies { .. }
            | MinuteLine::Declare { .. }
            | MinuteLine::Amend { .. } => minutes,
            // An approval also records the panel's decision.
            MinuteLine::Decision(_) | MinuteLine::Approve(_) => Changes {
                decisions: true,
                ..minutes
            },
            MinuteLine::Action { .. } => Changes {
                actions: true,
                ..minutes
            },
            MinuteLine::Challenge { .. } => Changes {
                challenges: true,
                ..minutes
            },
            // The last line may have created any record: withdrawn or corrected with it.
            MinuteLine::Undo | MinuteLine::Correct { .. } => Changes {
                written: true,
                decisions: true,
                actions: true,
                challenges: true,
            },
        }
    }
}

/// Finds an agency of the case by short code or name (any letter case).
fn agency_by_word(app: &App, word: &str) -> Result<i64, String> {
    let ws = app.workspace.as_ref().ok_or("no case is open")?;
    let word = word.trim();
    crate::domain::model::agency_by_word(ws.agencies.all.iter().map(|a| &a.agency), word)
        .map(|a| a.id)
        .ok_or_else(|| {
            let codes: Vec<&str> = ws
                .agencies
                .all
                .iter()
                .map(|a| a.agency.code.as_str())
                .collect();
            format!(
                "no agency \"{word}\" in this case: use a name or one of {}",
                codes.join(", ")
            )
        })
}

fn agency_code(app: &App, id: Option<i64>) -> String {
    app.workspace
        .as_ref()
        .and_then(|ws| ws.agencies.all.iter().find(|a| Some(a.agency.id) == id))
        .map(|a| a.agency.code.clone())
        .unwrap_or_default()
}

/// A person the case knows (an attendee of this meeting or a panel member), by name.
fn known_person(app: &App, attendance: &[Attendance], name: &str) -> Option<(String, Option<i64>)> {
    let name = name.trim();
    if let Some(a) = attendance
        .iter()
        .find(|a| a.person.eq_ignore_ascii_case(name))
    {
        return Some((a.person.clone(), a.agency_id));
    }
    let ws = app.workspace.as_ref()?;
    ws.agencies
        .all
        .iter()
        .flat_map(|a| a.members.iter())
        .find(|m| m.name.eq_ignore_ascii_case(name))
        .map(|m| (m.name.clone(), Some(m.agency_id)))
}

impl App {
    /// Commits the input: parsed, resolved and written in one transaction with any record
    /// it creates; on any error the line stays in the input and nothing is saved.
    pub(super) fn commit_input(&mut self) {
        let Some(m) = self.minuting() else { return };
        let text = m.input_text();
        if self.options.read_only {
            self.refuse_in_reading_seat();
            return;
        }
        let (result, changes) = match parse_minute(&text, self.today) {
            Ok(line) => {
                let changes = Changes::of(&line);
                (self.apply_line(line), changes)
            }
            Err(e) => (Err(e.to_string()), Changes::default()),
        };
        let now = self
            .clock
            .to_local(self.clock.now_utc())
            .format("%H:%M:%S")
            .to_string();
        match result {
            Ok(done) => {
                // The draft went in the same transaction as the line.
                self.reload_after_line(changes);
                if let Some(m) = self.minuting_mut() {
                    m.input = new_input("");
                    m.draft_dirty = false;
                    m.saved_at = Some(now);
                    m.selected = None;
                    if let Some(item) = done.go_to {
                        m.item = item.min(m.agenda.len().saturating_sub(1));
                    }
                    m.message = if done.message.is_empty() {
                        None
                    } else {
                        Some((done.message, false))
                    };
                }
            }
            Err(message) => {
                if let Some(m) = self.minuting_mut() {
                    m.message = Some((message, true));
                }
            }
        }
    }

    /// Reads again what a committed line changed: the meeting open for minuting and the
    /// meetings list, then the decisions, actions or challenges the line created,
    /// corrected or withdrew. The other panes' lists cannot have changed.
    fn reload_after_line(&mut self, changes: Changes) {
        if !changes.written || !self.reload_minutes() {
            return;
        }
        let store = &self.store;
        let Some(ws) = self.workspace.as_mut() else {
            return;
        };
        let case_id = ws.case.id;
        let mut result = Ok(());
        if changes.decisions {
            result = result.and_then(|()| ws.decisions.reload(store, case_id));
        }
        if changes.actions {
            result = result.and_then(|()| ws.reload_actions(store));
        }
        if changes.challenges {
            result = result.and_then(|()| ws.reload_challenges(store));
        }
        if let Err(e) = result {
            self.error(e.to_string());
        }
    }

    /// Resolves a parsed line against the case and writes it.
    fn apply_line(&mut self, line: MinuteLine) -> Result<Committed, String> {
        let m = self.minuting().ok_or("no meeting is open")?;
        let meeting = m.meeting.clone();
        let attendance = m.attendance.clone();
        let item = m.current_item().cloned();
        let item_index = m.item;
        let agenda_len = m.agenda.len();
        match &line {
            MinuteLine::Item(n) => {
                let index = m.agenda.iter().position(|i| i.position == i64::from(*n)).ok_or_else(|| {
                    format!("there is no agenda item {n}: the agenda runs 1 to {agenda_len} (a adds one, after Esc)")
                })?;
                return Ok(Committed {
                    message: format!("Now minuting item {n}."),
                    go_to: Some(index),
                });
            }
            MinuteLine::Next => {
                if item_index + 1 >= agenda_len {
                    return Err("this is the last agenda item".into());
                }
                return Ok(Committed {
                    message: format!("Now minuting item {}.", item_index + 2),
                    go_to: Some(item_index + 1),
                });
            }
            _ => {}
        }
        // Refused early here for a quick answer; the store checks again as it writes.
        check_line_allowed(&meeting, &line)?;
        let item = item.ok_or("this meeting has no agenda item yet: Esc, then a adds one")?;
        let place = draft_place(meeting.id);
        let minuted_at = crate::time::stamp(self.clock.now_utc());
        // Resolve names against the case before anything is written.
        let resolved = self.resolve(&line, &attendance)?;
        let place = LinePlace {
            meeting_id: meeting.id,
            item_id: item.id,
            minuted_at,
            draft: place,
        };
        let message = self
            .store
            .commit_minute_line(&place, line, resolved)
            .map_err(|e| match e {
                StoreError::Rule(message) => message,
                other => format!("not saved: {other}"),
            })?;
        Ok(Committed {
            message,
            go_to: None,
        })
    }

    /// Names in a line matched against the case: agencies and known people.
    fn resolve(&self, line: &MinuteLine, attendance: &[Attendance]) -> Result<LineNames, String> {
        let mut r = LineNames::default();
        match line {
            MinuteLine::Present { name, agency, .. } | MinuteLine::Apologies { name, agency } => {
                let on_list = attendance
                    .iter()
                    .find(|a| a.person.eq_ignore_ascii_case(name.trim()));
                match (on_list, agency) {
                    (Some(a), _) => r.attendance_id = Some(a.id),
                    (None, None) => {
                        return Err(format!(
                            "{} is not on this meeting's list: add their agency (/present {}, AGENCY) or independent",
                            name.trim(),
                            name.trim()
                        ));
                    }
                    (None, Some(word)) if word.trim().eq_ignore_ascii_case("independent") => {}
                    (None, Some(word)) => r.agency_id = Some(agency_by_word(self, word)?),
                }
            }
            MinuteLine::Action { owner, agency, .. } => {
                let person = known_person(self, attendance, owner);
                r.owner = person
                    .as_ref()
                    .map_or_else(|| owner.trim().to_string(), |(name, _)| name.clone());
                r.agency_id = match agency {
                    Some(word) => Some(agency_by_word(self, word)?),
                    None => person.and_then(|(_, a)| a),
                };
            }
            MinuteLine::Challenge { agency, .. } => {
                r.agency_id = Some(agency_by_word(self, agency)?)
            }
            MinuteLine::Approve(n) | MinuteLine::Amend { meeting: n, .. } => {
                let ws = self.workspace.as_ref().ok_or("no case is open")?;
                let target = ws
                    .minutes
                    .meetings
                    .iter()
                    .find(|m| m.meeting.number == i64::from(*n))
                    .ok_or_else(|| format!("there is no meeting {n} in this case"))?;
                r.other_meeting_id = Some(target.meeting.id);
            }
            _ => {}
        }
        r.agency_code = agency_code(self, r.agency_id);
        Ok(r)
    }
}
