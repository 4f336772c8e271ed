//! Committing a line of the minutes: parsed by the minuting grammar, its names resolved
//! against the case, written in one transaction with the record it creates (or, for
//! `/undo` and `s/old/new/`, withdraws or corrects); then only what the line can change is
//! read again.

use crate::app::App;
use crate::domain::minuting::{MinuteLine, check_line_allowed, parse_minute, people_named};
use crate::domain::model::{Attendance, Meeting, MeetingStatus};
use crate::domain::text::one_line;
use crate::seat::{Seat, WaitingLine};
use crate::store::StoreError;
use crate::store::minute_lines::{LineNames, LinePlace, MeetingPlan};

use super::{draft_place, new_input};

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
            | MinuteLine::Left { .. }
            | MinuteLine::NextMeeting { .. }
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

/// "“Hart” could be Simon Hart or Jo Hart: write the name in full".
fn ambiguous(typed: &str, many: &[&str]) -> String {
    format!(
        "\"{}\" could be {}: write the name in full",
        typed.trim(),
        match many {
            [rest @ .., last] if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
            _ => many.join(", "),
        }
    )
}

/// One of the case's own people, as attendance may name them.
struct CasePerson {
    name: String,
    agency_id: Option<i64>,
    role: String,
}

/// The people the case knows beyond a meeting's list: its panel members, its chair and
/// overview author (and coordinator), who need no agency to be named.
fn case_people(app: &App) -> Vec<CasePerson> {
    let Some(ws) = app.workspace.as_ref() else {
        return Vec::new();
    };
    let mut people: Vec<CasePerson> = ws
        .agencies
        .all
        .iter()
        .flat_map(|a| a.members.iter())
        .map(|m| CasePerson {
            name: m.name.clone(),
            agency_id: Some(m.agency_id),
            role: m.role.clone(),
        })
        .collect();
    let own = [
        (&ws.case.chair, "Independent chair"),
        (&ws.case.overview_author, "Overview author"),
        (&ws.case.coordinator, "Review coordinator"),
    ];
    for (name, role) in own {
        if !name.trim().is_empty() {
            people.push(CasePerson {
                name: name.trim().to_string(),
                agency_id: None,
                role: role.to_string(),
            });
        }
    }
    people
}

/// Words Tab completes after a command: the people on the meeting's list and the case's
/// own people, then the agencies' names and codes.
pub(super) fn completion_words(app: &App, attendance: &[Attendance]) -> Vec<String> {
    let mut words: Vec<String> = attendance.iter().map(|a| a.person.clone()).collect();
    for p in case_people(app) {
        if !words.contains(&p.name) {
            words.push(p.name);
        }
    }
    if let Some(ws) = app.workspace.as_ref() {
        for a in &ws.agencies.all {
            for w in [&a.agency.name, &a.agency.code] {
                if !w.is_empty() && !words.contains(w) {
                    words.push(w.clone());
                }
            }
        }
    }
    words
}

/// A person the case knows (an attendee of this meeting or a panel member), by name.
fn known_person(app: &App, attendance: &[Attendance], name: &str) -> Option<(String, Option<i64>)> {
    let name = name.trim();
    // Named as attendance names people: any letter case, with or without a title or
    // rank; only a name that fits one person is taken as that person.
    let on_list =
        crate::domain::minuting::people_named(name, attendance.iter().map(|a| a.person.as_str()));
    if let [one] = on_list.as_slice()
        && let Some(a) = attendance.iter().find(|a| a.person == *one)
    {
        return Some((a.person.clone(), a.agency_id));
    }
    let ws = app.workspace.as_ref()?;
    let members: Vec<&crate::domain::model::PanelMember> = ws
        .agencies
        .all
        .iter()
        .flat_map(|a| a.members.iter())
        .collect();
    let named =
        crate::domain::minuting::people_named(name, members.iter().map(|m| m.name.as_str()));
    match named.as_slice() {
        [one] => members
            .iter()
            .find(|m| m.name == *one)
            .map(|m| (m.name.clone(), Some(m.agency_id))),
        _ => None,
    }
}

/// How long a line waits for another user's write when Enter is pressed, before it is
/// shown as waiting (a line of another seat takes a few milliseconds; an import holds the
/// database longer).
const LINE_WAIT: std::time::Duration = std::time::Duration::from_millis(200);

/// How long the timer's retry waits: barely, so keys typed meanwhile are not held up.
const RETRY_WAIT: std::time::Duration = std::time::Duration::from_millis(20);

/// Why a waiting line was not written when its turn came.
enum NotWritten {
    /// The database is held: the line keeps waiting.
    Busy(String),
    /// The line itself was refused (a rule, a name not known): it will never be written
    /// as it is.
    Refused(String),
    /// Something else went wrong (a full disk): the line keeps waiting and the error shows.
    Fault(String),
}

impl Changes {
    fn and(self, other: Changes) -> Changes {
        Changes {
            written: self.written || other.written,
            decisions: self.decisions || other.decisions,
            actions: self.actions || other.actions,
            challenges: self.challenges || other.challenges,
        }
    }
}

impl App {
    /// Enter in the input. `/item` and `/next` move at once; every other line joins this
    /// seat's waiting lines (kept in its private file at once) and the waiting lines are
    /// written in order — now, if the database is free, else as soon as it is. Nothing
    /// here waits for the database more than a moment: the secretary keeps typing. A line
    /// the grammar refuses stays in the input.
    pub(super) fn commit_input(&mut self) {
        let Some(m) = self.minuting() else { return };
        let text = m.input_text();
        let meeting = m.meeting.clone();
        let item = m.current_item().cloned();
        if self.options.read_only {
            self.refuse_in_reading_seat();
            return;
        }
        let line = match parse_minute(&text, self.today) {
            Ok(line) => line,
            Err(e) => {
                self.refuse_input(e.to_string());
                return;
            }
        };
        match &line {
            MinuteLine::Item(_) | MinuteLine::Next => {
                match self.move_item(&line) {
                    Ok((message, index)) => {
                        self.clear_input();
                        if let Some(m) = self.minuting_mut() {
                            m.item = index;
                            m.current = index;
                        }
                        self.say(message, false);
                    }
                    Err(message) => self.refuse_input(message),
                }
                return;
            }
            MinuteLine::Undo if !self.seat.waiting.is_empty() => {
                let dropped = self.seat.waiting.pop();
                self.clear_input();
                if let Some(dropped) = dropped {
                    self.say(
                        format!(
                            "Removed the waiting line \"{}\": it was never written.",
                            one_line(&dropped.text)
                        ),
                        false,
                    );
                }
                self.persist_or_say();
                return;
            }
            MinuteLine::Correct { old, new, open } if !self.seat.waiting.is_empty() => {
                let last = self.seat.waiting.last_mut();
                match last {
                    Some(w) if w.text.contains(old.as_str()) => {
                        w.text = w.text.replacen(old.as_str(), new, 1);
                        let corrected = one_line(&w.text);
                        self.clear_input();
                        self.say(
                            format!("Corrected the waiting line: \"{corrected}\"."),
                            false,
                        );
                        self.persist_or_say();
                    }
                    _ if *open => self.refuse_input(format!(
                        "no \"{old}\" in your last line \u{2014} write //s/\u{2026} for a note"
                    )),
                    _ => self.refuse_input(format!(
                        "your newest waiting line does not contain \"{old}\": nothing was changed"
                    )),
                }
                return;
            }
            _ => {}
        }
        // Refused early here for a quick answer; the store checks again as it writes.
        if let Err(e) = check_line_allowed(&meeting, &line) {
            self.refuse_input(e);
            return;
        }
        let Some(item) = item else {
            self.refuse_input("this meeting has no agenda item yet: Esc, then a adds one".into());
            return;
        };
        let waiting = WaitingLine {
            key: self.seat.files.next_key(),
            meeting_id: meeting.id,
            item_id: item.id,
            text,
            typed_at: crate::time::stamp(self.clock.now_utc()),
            refused: None,
        };
        self.seat.waiting.push(waiting);
        self.seat.drafts.remove(&draft_place(meeting.id));
        self.clear_input();
        // Kept in the seat's file before anything else: a kill from here on loses nothing.
        self.persist_or_say();
        self.flush_waiting_for(LINE_WAIT);
    }

    /// Empties the input after its line was taken.
    fn clear_input(&mut self) {
        if let Some(m) = self.minuting_mut() {
            m.input = new_input("");
            m.draft_dirty = false;
            m.selected = None;
            m.refused = false;
            m.scroll_back = 0;
        }
    }

    /// Enter refused the line: it stays in the input, marked refused (a typed character
    /// replaces it, the editing keys edit it, Esc clears it), with why under it.
    fn refuse_input(&mut self, why: String) {
        if let Some(m) = self.minuting_mut() {
            m.refused = true;
        }
        self.say(why, true);
    }

    /// A message under the input (an error stays until a key is pressed; information
    /// never replaces an error shown).
    fn say(&mut self, text: String, is_error: bool) {
        if self
            .minuting()
            .is_some_and(|m| is_error || m.message.as_ref().is_none_or(|(_, e)| !*e))
        {
            self.log_message(&text, is_error);
        }
        if let Some(m) = self.minuting_mut() {
            if !is_error && m.message.as_ref().is_some_and(|(_, e)| *e) {
                return;
            }
            m.message = if text.is_empty() {
                None
            } else {
                Some((text, is_error))
            };
        }
    }

    fn persist_or_say(&mut self) {
        if let Err(e) = self.persist_seat() {
            self.say(e, true);
        }
    }

    /// Whether lines wait for the database (the timer then ticks faster).
    pub fn lines_waiting(&self) -> bool {
        !self.seat.waiting.is_empty()
    }

    /// Writes this seat's waiting lines in order while the database takes them. A line
    /// refused when its turn comes leaves the queue for the refused list (kept in the
    /// seat's file) and comes back into the input when the input is empty. Returns whether
    /// anything changed on screen.
    pub(crate) fn flush_waiting(&mut self) -> bool {
        self.flush_waiting_for(RETRY_WAIT)
    }

    /// [`App::flush_waiting`], each write waiting at most `wait` for another's.
    fn flush_waiting_for(&mut self, wait: std::time::Duration) -> bool {
        if self.seat.waiting.is_empty() {
            return self.put_back_refused();
        }
        // Names are resolved against the open case: lines of a case that is not open wait
        // until it is (they are in the seat's file meanwhile, and leaving asks).
        let Some(ws) = self.workspace.as_ref() else {
            return false;
        };
        let first = self.seat.waiting[0].meeting_id;
        if !ws.minutes.meetings.iter().any(|m| m.meeting.id == first) {
            return false;
        }
        let usual = self.store.wait();
        let _ = self.store.set_wait(wait);
        let mut changes = Changes::default();
        let mut messages: Vec<String> = Vec::new();
        let mut moved = false;
        let mut fault = None;
        let mut refused_now: Vec<String> = Vec::new();
        while let Some(line) = self.seat.waiting.first().cloned() {
            match self.write_waiting(&line) {
                Ok((message, done)) => {
                    self.seat.waiting.remove(0);
                    changes = changes.and(done);
                    if !message.is_empty() {
                        messages.push(message);
                    }
                    moved = true;
                }
                Err(NotWritten::Busy(holder)) => {
                    self.seat.holder = Some(holder);
                    break;
                }
                Err(NotWritten::Refused(reason)) => {
                    let mut line = self.seat.waiting.remove(0);
                    refused_now.push(format!("\"{}\" ({reason})", one_line(&line.text)));
                    line.refused = Some(reason);
                    self.seat.refused.push(line);
                    moved = true;
                }
                Err(NotWritten::Fault(e)) => {
                    fault = Some(e);
                    break;
                }
            }
        }
        let _ = self.store.set_wait(usual);
        if self.seat.waiting.is_empty() {
            self.seat.holder = None;
        }
        if !moved {
            if let Some(e) = fault {
                self.say(e, true);
                return true;
            }
            return false;
        }
        self.persist_or_say();
        self.reload_after_line(changes);
        let now = self.clock_time();
        if let Some(m) = self.minuting_mut() {
            m.saved_at = Some(now);
        }
        if let Some(e) = fault {
            self.say(e, true);
        } else if let Some(last) = messages.pop() {
            self.say(last, false);
        } else if self
            .minuting()
            .is_some_and(|m| m.message.as_ref().is_some_and(|(_, error)| !error))
            && self.seat.refused.is_empty()
        {
            // A plain line says nothing beyond "saved HH:MM:SS"; an older note goes.
            self.say(String::new(), false);
        }
        // A refused line comes back into the input once it is empty; while something else
        // is being typed there, the refusal is said at once (and kept in the message log).
        if !self.put_back_refused() && !refused_now.is_empty() {
            self.say(
                format!(
                    "Not written: {}. It comes back into the input when the line you are typing is saved.",
                    refused_now.join("; ")
                ),
                true,
            );
        }
        true
    }

    /// Puts the oldest refused line back into the input once the input is empty, with
    /// why it was refused; the others wait their turn (kept in the seat's file).
    pub(crate) fn put_back_refused(&mut self) -> bool {
        if self.seat.refused.is_empty() {
            return false;
        }
        let Some(m) = self.minuting() else {
            return false;
        };
        if !m.input_text().trim().is_empty() {
            return false;
        }
        let (number, open_id) = (m.meeting.number, m.meeting.id);
        let line = self.seat.refused.remove(0);
        let more = self.seat.refused.len();
        let place = draft_place(open_id);
        let what = format!("the minutes input of meeting {number}");
        let same_meeting = open_id == line.meeting_id;
        if let Some(m) = self.minuting_mut() {
            m.input = new_input(&line.text);
            m.draft_dirty = true;
            m.refused = true;
        }
        let _ = self.keep_draft(&place, &what, &line.text);
        let more = if more > 0 {
            format!(
                " ({more} more refused line{} follow)",
                if more == 1 { "" } else { "s" }
            )
        } else {
            String::new()
        };
        let elsewhere = if same_meeting {
            String::new()
        } else {
            " (it was typed in another meeting)".to_string()
        };
        self.say(
            format!(
                "Not written: {}. \"{}\" is back in the input{elsewhere}: change it and press Enter, or type over it.{more}",
                line.refused.unwrap_or_default(),
                one_line(&line.text)
            ),
            true,
        );
        true
    }

    /// Writes one waiting line: its names resolved against the case now (after the lines
    /// before it), then one transaction that checks the meeting and writes the line with
    /// the record it creates, unless its key is in the minutes already.
    fn write_waiting(&mut self, waiting: &WaitingLine) -> Result<(String, Changes), NotWritten> {
        let mut line = parse_minute(&waiting.text, self.today)
            .map_err(|e| NotWritten::Refused(e.to_string()))?;
        let changes = Changes::of(&line);
        let attendance = match self
            .minuting()
            .filter(|m| m.meeting.id == waiting.meeting_id)
        {
            Some(m) => m.attendance.clone(),
            None => self
                .store
                .attendance(waiting.meeting_id)
                .map_err(|e| NotWritten::Fault(e.to_string()))?,
        };
        // A declaration names the person as attendance does: "Sarah Mensah" is the
        // member "DI Sarah Mensah".
        if let MinuteLine::Declare { name, .. } = &mut line
            && let Some((known, _)) = known_person(self, &attendance, name)
        {
            *name = known;
        }
        let mut names = self
            .resolve(&line, &attendance)
            .map_err(NotWritten::Refused)?;
        if matches!(line, MinuteLine::Left { .. }) {
            // The time of leaving is when the line was typed, not when it was written.
            names.left_at = crate::time::parse_stamp(&waiting.typed_at)
                .map(|at| self.clock.to_local(at).format("%H:%M").to_string())
                .unwrap_or_default();
        }
        let place = LinePlace {
            meeting_id: waiting.meeting_id,
            item_id: waiting.item_id,
            minuted_at: waiting.typed_at.clone(),
            seat: Some(Seat::this().id()),
            key: Some(waiting.key.clone()),
        };
        match self.store.commit_minute_line(&place, line, names) {
            Ok(message) => Ok((message, changes)),
            Err(StoreError::Rule(message)) => Err(NotWritten::Refused(message)),
            Err(StoreError::Busy { holder, .. }) => Err(NotWritten::Busy(holder)),
            Err(e) if e.is_busy() => Err(NotWritten::Busy(self.store.holder())),
            // A full disk or a failing file may pass: the line waits and is tried again.
            Err(
                other @ (StoreError::DiskFull { .. }
                | StoreError::Full(_)
                | StoreError::Io { .. }
                | StoreError::ReadOnlyFile { .. }),
            ) => Err(NotWritten::Fault(format!(
                "not saved yet (the line is kept and tried again): {other}"
            ))),
            // Anything else would fail the same way every time: the line is refused and
            // comes back to the input, so the lines after it are not held up.
            Err(other) => Err(NotWritten::Refused(other.to_string())),
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

    /// `/item N` and `/next`: the agenda item to minute under (nothing is written).
    fn move_item(&self, line: &MinuteLine) -> Result<(String, usize), String> {
        let m = self.minuting().ok_or("no meeting is open")?;
        let agenda_len = m.agenda.len();
        match line {
            MinuteLine::Item(n) => {
                let index = m.agenda.iter().position(|i| i.position == i64::from(*n)).ok_or_else(|| {
                    format!("there is no agenda item {n}: the agenda runs 1 to {agenda_len} (a adds one, after Esc)")
                })?;
                Ok((format!("Now minuting item {n}."), index))
            }
            _ => {
                if m.item + 1 >= agenda_len {
                    return Err("this is the last agenda item".into());
                }
                Ok((format!("Now minuting item {}.", m.item + 2), m.item + 1))
            }
        }
    }

    /// Names in a line matched against the case: agencies and known people.
    fn resolve(&self, line: &MinuteLine, attendance: &[Attendance]) -> Result<LineNames, String> {
        let mut r = LineNames::default();
        match line {
            MinuteLine::Present { name, agency, .. } | MinuteLine::Apologies { name, agency } => {
                self.resolve_attendee(name, agency.as_deref(), attendance, &mut r)?;
            }
            MinuteLine::Left { name } => {
                let found = people_named(name, attendance.iter().map(|a| a.person.as_str()));
                match found.as_slice() {
                    [one] => {
                        r.attendance_id =
                            attendance.iter().find(|a| a.person == *one).map(|a| a.id);
                    }
                    [] => {
                        return Err(format!(
                            "{} is not on this meeting's list: /left is for someone marked present",
                            name.trim()
                        ));
                    }
                    many => return Err(ambiguous(name, many)),
                }
            }
            MinuteLine::NextMeeting { date, time, place } => {
                let ws = self.workspace.as_ref().ok_or("no case is open")?;
                r.next_meeting = Some(MeetingPlan {
                    meeting: Meeting {
                        id: 0,
                        case_id: ws.case.id,
                        // Numbered after the last meeting inside the transaction.
                        number: 0,
                        date: *date,
                        start_time: time.clone().unwrap_or_else(|| "10:00".into()),
                        end_time: String::new(),
                        place: place.clone().unwrap_or_default(),
                        chair: ws.case.chair.clone(),
                        minute_taker: String::new(),
                        status: MeetingStatus::Planned,
                        approved_at_meeting_id: None,
                        fingerprint: String::new(),
                    },
                    agenda: super::meetings::standard_agenda(false)
                        .iter()
                        .map(|s| s.to_string())
                        .collect(),
                    members: ws
                        .agencies
                        .all
                        .iter()
                        .flat_map(|a| a.members.iter().cloned())
                        .collect(),
                });
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

    /// Who `/present` or `/apologies` names: someone on the meeting's list (any letter
    /// case, with or without a title or rank), else one of the case's own people (a panel
    /// member, the chair, the overview author) added to the list, else a guest — of an
    /// agency of the case, of another organisation (kept as written), or independent.
    /// Several people fitting the name are listed for the secretary to choose.
    fn resolve_attendee(
        &self,
        name: &str,
        agency: Option<&str>,
        attendance: &[Attendance],
        r: &mut LineNames,
    ) -> Result<(), String> {
        let word = agency.map(str::trim).filter(|w| !w.is_empty());
        let independent = word.is_some_and(|w| w.eq_ignore_ascii_case("independent"));
        let agency_id = match word {
            Some(w) if !independent => agency_by_word(self, w).ok(),
            _ => None,
        };
        let on_list = people_named(name, attendance.iter().map(|a| a.person.as_str()));
        let on_list: Vec<&Attendance> = attendance
            .iter()
            .filter(|a| on_list.contains(&a.person.as_str()))
            .collect();
        let narrowed: Vec<&Attendance> = match agency_id {
            Some(id) if on_list.len() > 1 => on_list
                .iter()
                .copied()
                .filter(|a| a.agency_id == Some(id))
                .collect(),
            _ => on_list.clone(),
        };
        match narrowed.as_slice() {
            [one] => {
                r.attendance_id = Some(one.id);
                r.person = one.person.clone();
                return Ok(());
            }
            [] if on_list.is_empty() => {}
            _ => {
                let names: Vec<&str> = on_list.iter().map(|a| a.person.as_str()).collect();
                return Err(ambiguous(name, &names));
            }
        }
        let people = case_people(self);
        let found = people_named(name, people.iter().map(|p| p.name.as_str()));
        let mut found: Vec<&CasePerson> = people
            .iter()
            .filter(|p| found.contains(&p.name.as_str()))
            .collect();
        if found.len() > 1
            && let Some(id) = agency_id
        {
            found.retain(|p| p.agency_id == Some(id));
        }
        match found.as_slice() {
            [one] => {
                r.person = one.name.clone();
                r.agency_id = one.agency_id.or(agency_id);
                r.role = one.role.clone();
                return Ok(());
            }
            [] => {}
            many => {
                let names: Vec<&str> = many.iter().map(|p| p.name.as_str()).collect();
                return Err(ambiguous(name, &names));
            }
        }
        r.guest = true;
        match word {
            None => Err(format!(
                "{} is not on the list or the panel: add where they are from \
                 (/present {}, ORGANISATION) or independent",
                name.trim(),
                name.trim()
            )),
            Some(_) if independent => Ok(()),
            Some(w) => {
                match agency_id {
                    Some(id) => r.agency_id = Some(id),
                    None => r.organisation = w.to_string(),
                }
                Ok(())
            }
        }
    }
}
