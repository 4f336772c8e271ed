//! The terminal: a guard that always restores it (quit, error, panic, signals, a terminal
//! that went away), the input and signal threads, and the loop that draws only when
//! something changed.
//!
//! Signals: every terminating signal the program can catch (SIGINT, SIGQUIT, SIGTERM,
//! SIGHUP, SIGUSR1, SIGUSR2, SIGALRM) saves what was typed, restores the terminal and
//! exits with 128 + the signal. SIGTSTP (and Ctrl+Z, which the workspace reads as a key
//! in raw mode) saves, gives the terminal back and stops; SIGCONT (`fg`) takes it again
//! and draws everything. A terminal whose reads end or fail (the pseudo-terminal closed,
//! as when an SSH connection drops under `su` or `runuser`, which do not pass the
//! hang-up on) is a hang-up too: saved, and exit 129. SIGXFSZ (a file-size limit) is
//! caught so that a write over the limit is an error the program reports, not its end.

pub mod backend;
pub mod detect;
pub mod watch;

use std::io::{self, BufWriter, Stdout, Write};
use std::os::fd::AsFd;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use crossterm::event::{
    self, DisableBracketedPaste, EnableBracketedPaste, Event, KeyCode, KeyEvent, KeyEventKind,
    KeyModifiers,
};
use crossterm::terminal::{self, EnterAlternateScreen, LeaveAlternateScreen};
use crossterm::{cursor, execute};
use ratatui::Terminal;
use signal_hook::consts::{
    SIGALRM, SIGCONT, SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGTSTP, SIGUSR1, SIGUSR2, SIGXFSZ,
};

use crate::app::{App, Colours, Effect, Msg};

/// Puts the terminal back as it was. Stateless, so the normal exit, the panic hook and
/// the signal path all call the same thing, and calling it twice is harmless.
pub fn restore() {
    let _ = terminal::disable_raw_mode();
    let mut out = io::stdout();
    let _ = execute!(
        out,
        DisableBracketedPaste,
        LeaveAlternateScreen,
        cursor::Show
    );
    let _ = out.flush();
}

/// Restores the terminal when dropped, whichever way the workspace ends.
pub struct TerminalGuard;

impl TerminalGuard {
    pub fn enter() -> io::Result<TerminalGuard> {
        terminal::enable_raw_mode()?;
        let guard = TerminalGuard;
        execute!(
            io::stdout(),
            EnterAlternateScreen,
            EnableBracketedPaste,
            cursor::Hide
        )?;
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            // Restore first, so the panic message lands on a normal screen.
            restore();
            previous(info);
        }));
        Ok(guard)
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}

/// The signals that end the workspace: each saves what was typed, restores the terminal
/// and exits with 128 + the signal.
pub const TERMINATING: [i32; 7] = [SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGUSR1, SIGUSR2, SIGALRM];

/// The largest area drawn: a bigger terminal gets the workspace in its top left corner
/// and blank beyond, so a 10000x10000 window costs no more than this.
pub const MAX_WIDTH: u16 = 1000;
pub const MAX_HEIGHT: u16 = 500;

/// A terminal size as drawn: at most [`MAX_WIDTH`] x [`MAX_HEIGHT`].
pub fn capped(width: u16, height: u16) -> (u16, u16) {
    (width.min(MAX_WIDTH), height.min(MAX_HEIGHT))
}

/// What reaches the loop: the workspace's messages, and what only the loop deals with.
enum Input {
    App(Msg),
    /// A terminating signal.
    Signal(i32),
    /// SIGTSTP: stop.
    Stop,
    /// SIGCONT: take the terminal again and draw everything.
    Continue,
    /// The terminal's reads ended or failed, or it hung up.
    HangUp,
    /// The database's files were written: another seat may have committed.
    Database,
}

/// Why the loop ended.
enum End {
    Quit,
    Signal(i32),
    HangUp,
}

/// A key as the terminal sent it, in the one form the key tables know. crossterm reads
/// the many ways terminals send a key (PuTTY's F1 as `ESC [ 11 ~`, `ESC O P` or
/// `ESC [ [ A`; Home and End as `ESC [ 1 ~` / `ESC [ 4 ~`, `ESC [ H` / `ESC [ F`,
/// `ESC O H` / `ESC O F`, `ESC [ 7 ~` / `ESC [ 8 ~`; Backspace as `^?`), all but one:
/// a terminal set to send Backspace as `^H` (PuTTY's "Control-H") arrives as Ctrl+H,
/// which is made Backspace here, so it rubs out in every input, the filter line too.
/// (Ctrl+H itself is bound to nothing, and no terminal tells the two apart.)
fn translated(key: KeyEvent) -> KeyEvent {
    if key.code == KeyCode::Char('h') && key.modifiers == KeyModifiers::CONTROL {
        return KeyEvent::new_with_kind(KeyCode::Backspace, KeyModifiers::NONE, key.kind);
    }
    key
}

fn to_msg(event: Event) -> Option<Msg> {
    match event {
        Event::Key(key) => Some(Msg::Key(translated(key))),
        Event::Paste(text) => Some(Msg::Paste(text)),
        Event::Resize(w, h) => {
            let (w, h) = capped(w, h);
            Some(Msg::Resize(w, h))
        }
        _ => None,
    }
}

/// How long after a paste a key still counts as part of it. Keys that arrive hard on the
/// heels of a paste came in the same burst of bytes: text after an end-of-paste marker
/// hidden inside the pasted text (`ESC[201~` then `\r/undo\r`), which a slow link or a
/// loaded machine may deliver with pauses. No one presses Enter within a quarter of a
/// second of a paste ending, so an Enter that commits is always a separate one.
const PASTE_TAIL: Duration = Duration::from_millis(250);

/// How often a long paste (or its tail) is handed on while it still arrives, so the
/// screen shows it growing.
const PASTE_CHUNK: Duration = Duration::from_secs(2);

/// The paste and what came with it: printable keys, Enter and Tab in the tail become
/// text of the paste (never commands); other keys in the tail are dropped; a resize is
/// passed on. The tail lasts as long as the burst does — however long the pasted text
/// takes to arrive — and is handed on in chunks every couple of seconds, each chunk still
/// paste (so a hidden end-of-paste marker never turns the rest into typed Enters).
/// Returns false when the loop has gone.
fn read_paste(mut text: String, tx: &mpsc::Sender<Input>) -> bool {
    let mut others = Vec::new();
    let mut chunk = Instant::now();
    // The first part is the paste; later parts are more of it.
    let mut first = true;
    let part = |text: String, first: &mut bool| {
        if std::mem::replace(first, false) {
            Msg::Paste(text)
        } else {
            Msg::PasteMore(text)
        }
    };
    while matches!(event::poll(PASTE_TAIL), Ok(true)) {
        match event::read() {
            Ok(Event::Key(key)) if key.kind != KeyEventKind::Release => {
                let plain = !key
                    .modifiers
                    .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
                match key.code {
                    KeyCode::Char(c) if plain => text.push(c),
                    KeyCode::Enter => text.push('\r'),
                    KeyCode::Tab => text.push('\t'),
                    _ => {}
                }
            }
            Ok(Event::Paste(more)) => text.push_str(&more),
            Ok(other) => others.extend(to_msg(other)),
            Err(_) => break,
        }
        if chunk.elapsed() >= PASTE_CHUNK && !text.is_empty() {
            if tx
                .send(Input::App(part(std::mem::take(&mut text), &mut first)))
                .is_err()
            {
                return false;
            }
            chunk = Instant::now();
        }
    }
    std::iter::once(part(text, &mut first))
        .chain(others)
        .all(|msg| tx.send(Input::App(msg)).is_ok())
}

/// Reads the terminal until its reads fail, then says it is gone.
fn read_input(tx: mpsc::Sender<Input>) {
    loop {
        let event = match event::read() {
            Ok(event) => event,
            Err(_) => {
                let _ = tx.send(Input::HangUp);
                return;
            }
        };
        let msgs: Vec<Msg> = match event {
            Event::Paste(text) => {
                if !read_paste(text, &tx) {
                    return;
                }
                Vec::new()
            }
            other => to_msg(other).into_iter().collect(),
        };
        for msg in msgs {
            if tx.send(Input::App(msg)).is_err() {
                return;
            }
        }
    }
}

/// Whether the terminal went away: standard input hung up or broken. (crossterm's reader
/// does not report it: on a closed pseudo-terminal it keeps retrying the read.)
fn terminal_gone() -> bool {
    use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
    let stdin = io::stdin();
    let mut fds = [PollFd::new(stdin.as_fd(), PollFlags::empty())];
    match poll(&mut fds, PollTimeout::ZERO) {
        Ok(_) => fds[0].revents().is_some_and(|r| {
            r.intersects(PollFlags::POLLHUP | PollFlags::POLLERR | PollFlags::POLLNVAL)
        }),
        Err(_) => false,
    }
}

/// Waits, without waking, for the terminal to hang up, then says so. `poll()` asked for
/// no event still reports a hang-up or an error (POLLHUP, POLLERR, POLLNVAL), and never
/// that input is ready, so keys do not wake this thread; a closed pseudo-terminal does
/// (crossterm's reader does not notice it: it keeps retrying the read).
fn watch_hang_up(tx: mpsc::Sender<Input>) {
    use nix::errno::Errno;
    use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
    let stdin = io::stdin();
    loop {
        let mut fds = [PollFd::new(stdin.as_fd(), PollFlags::empty())];
        match poll(&mut fds, PollTimeout::NONE) {
            Err(Errno::EINTR) => continue,
            Ok(_) => {
                if fds[0].revents().is_some_and(|r| {
                    r.intersects(PollFlags::POLLHUP | PollFlags::POLLERR | PollFlags::POLLNVAL)
                }) {
                    let _ = tx.send(Input::HangUp);
                }
                // Anything else would only repeat: the thread ends rather than spin.
                return;
            }
            Err(_) => return,
        }
    }
}

/// How long typed text waits before it is saved as a draft: a dropped connection loses at
/// most about this much typing, and typing saves at most once in this time.
const DRAFT_DELAY: Duration = Duration::from_secs(1);

/// How often the database is looked at where its files cannot be watched.
const POLL_INTERVAL: Duration = Duration::from_secs(1);

/// The timer while lines of minutes wait for a busy database: they go as soon as it is free.
const WAITING_TICK: Duration = Duration::from_millis(250);

/// When the data version is looked at again after the database's files were written.
/// A commit writes its log, syncs it (`synchronous = FULL`) and only then makes itself
/// visible in the shared index, which raises no event: a look at once may come too early.
const RECHECKS: [Duration; 2] = [Duration::from_millis(100), Duration::from_secs(1)];

/// The loop's timers. Each is set only while it has something to do, so a workspace at
/// rest sleeps until the screen is covered or the date changes.
struct Timers {
    /// Retrying lines that wait for the database.
    retry: Option<Instant>,
    /// Saving typed text as a draft.
    drafts: Option<Instant>,
    /// Looking at the database where it cannot be watched.
    poll: Option<Instant>,
    /// Looking at the database again after its files were written ([`RECHECKS`]).
    recheck: Vec<Instant>,
    /// Just after midnight.
    midnight: Instant,
    /// Whether the database is polled.
    polled: bool,
}

impl Timers {
    fn new(polled: bool, now: Instant) -> Timers {
        Timers {
            retry: None,
            drafts: None,
            poll: None,
            recheck: Vec::new(),
            midnight: now + until_midnight(),
            polled,
        }
    }

    /// Sets or clears each timer for what the workspace has to do now.
    fn arm(&mut self, app: &App, now: Instant) {
        fn set(slot: &mut Option<Instant>, wanted: bool, at: Instant) {
            if !wanted {
                *slot = None;
            } else if slot.is_none() {
                *slot = Some(at);
            }
        }
        set(&mut self.retry, app.lines_waiting(), now + WAITING_TICK);
        set(&mut self.drafts, app.draft_pending(), now + DRAFT_DELAY);
        set(&mut self.poll, self.polled, now + POLL_INTERVAL);
    }

    /// The database's files were written at `now`: look again a little later.
    fn written(&mut self, now: Instant) {
        self.recheck = RECHECKS.iter().map(|after| now + *after).collect();
    }

    /// When the next timer fires.
    fn next(&self, app: &App) -> Instant {
        [self.retry, self.drafts, self.poll, app.cover_due()]
            .into_iter()
            .flatten()
            .chain(self.recheck.iter().copied())
            .fold(self.midnight, Instant::min)
    }

    /// The messages of the timers due at `now` (each cleared; `arm` sets it again if it
    /// still has something to do).
    fn due(&mut self, app: &App, now: Instant) -> Vec<Msg> {
        fn fired(slot: &mut Option<Instant>, now: Instant) -> bool {
            let due = slot.is_some_and(|at| at <= now);
            if due {
                *slot = None;
            }
            due
        }
        let mut msgs = Vec::new();
        let rechecks = self.recheck.len();
        self.recheck.retain(|at| *at > now);
        // One look at the database, however many timers asked for it.
        if fired(&mut self.poll, now) || self.recheck.len() < rechecks {
            msgs.push(Msg::DatabaseChanged);
        }
        if fired(&mut self.retry, now) {
            msgs.push(Msg::Retry);
        }
        if fired(&mut self.drafts, now) {
            msgs.push(Msg::SaveDrafts);
        }
        if self.midnight <= now {
            self.midnight = now + until_midnight();
            msgs.push(Msg::Midnight);
        }
        if app.cover_due().is_some_and(|at| at <= now) {
            msgs.push(Msg::Idle(now));
        }
        msgs
    }
}

/// How long until just after the next local midnight, when the date shown may change.
fn until_midnight() -> Duration {
    let now = chrono::Local::now();
    let next = now
        .date_naive()
        .succ_opt()
        .and_then(|d| d.and_hms_opt(0, 0, 1))
        .map(|t| t - now.naive_local())
        .and_then(|d| d.to_std().ok());
    next.unwrap_or(Duration::from_secs(3600))
}

type Screen = Terminal<backend::LeanBackend<BufWriter<Stdout>>>;

/// What the terminal shows: its colours, and whether only ASCII.
#[derive(Debug, Clone, Copy)]
struct Shows(Colours, bool);

/// A terminal of the current (capped) size, with fresh buffers: made again after a resize
/// so that the memory of a bigger screen is given back.
fn new_screen(shows: Shows) -> io::Result<Screen> {
    // One buffered write per frame: over SSH every write is a packet of its own.
    let backend = backend::LeanBackend::new(BufWriter::with_capacity(64 * 1024, io::stdout()))
        .showing(shows.0, shows.1);
    let mut screen = Terminal::new(backend)?;
    // A known blank screen to start from, so the backend can step over blank cells (and
    // whatever lies beyond the capped area is blank).
    screen.clear()?;
    Ok(screen)
}

/// Takes the terminal again (after `fg`, or a stop from outside): raw mode, the
/// alternate screen, bracketed paste; the next frame draws everything.
fn take_terminal(shows: Shows) -> io::Result<Screen> {
    // Off then on: raw mode is set again even if the shell changed the terminal meanwhile.
    let _ = terminal::disable_raw_mode();
    terminal::enable_raw_mode()?;
    execute!(
        io::stdout(),
        EnterAlternateScreen,
        EnableBracketedPaste,
        cursor::Hide
    )?;
    new_screen(shows)
}

/// Runs the workspace until the user leaves, a signal ends it or the terminal goes away;
/// after a signal or a hang-up the process exits here with 128 + the signal.
pub fn run(app: &mut App) -> anyhow::Result<()> {
    let (tx, rx) = mpsc::channel::<Input>();
    // Signals first, so that none arriving while the terminal is set up is left to its
    // default action (which would leave the terminal raw).
    let mut signals =
        signal_hook::iterator::Signals::new(TERMINATING.iter().copied().chain([SIGTSTP, SIGCONT]))?;
    signal_hook::flag::register(SIGXFSZ, Arc::new(AtomicBool::new(false)))?;
    let signal_tx = tx.clone();
    std::thread::spawn(move || {
        for signal in signals.forever() {
            let input = match signal {
                SIGTSTP => Input::Stop,
                SIGCONT => Input::Continue,
                other => Input::Signal(other),
            };
            if signal_tx.send(input).is_err() {
                break;
            }
        }
    });
    let end = {
        let _guard = TerminalGuard::enter()?;
        let end = run_loop(app, tx, rx);
        // However it ended, what was typed is saved before the terminal goes back.
        if !matches!(end, Ok(End::Quit)) {
            app.update(Msg::Shutdown);
        }
        end
    };
    // The terminal is restored: text the database would not take is printed here, the
    // last place it can go (the file named on screen holds it too).
    if let Some(report) = app.leaving_report() {
        let mut out = io::stdout();
        let _ = writeln!(out, "{report}");
        let _ = out.flush();
    }
    let code = match end? {
        End::Quit => return Ok(()),
        End::Signal(signal) => {
            let _ = writeln!(
                io::stderr(),
                "dhr: stopped by signal {signal}; what was typed is kept as a draft"
            );
            128 + signal
        }
        End::HangUp => 128 + SIGHUP,
    };
    std::process::exit(code);
}

fn run_loop(
    app: &mut App,
    tx: mpsc::Sender<Input>,
    rx: mpsc::Receiver<Input>,
) -> anyhow::Result<End> {
    let shows = Shows(app.options.colours(), app.options.ascii);
    let mut screen = new_screen(shows)?;
    // crossterm's reader listens for SIGWINCH from here on, so a resize after the size is
    // read below is an event, and no timer needs to compare sizes.
    let _ = event::poll(Duration::ZERO);
    let size = screen.size()?;
    app.update(Msg::Resize(size.width, size.height));

    let input = tx.clone();
    std::thread::spawn(move || read_input(input));
    let hang_up = tx.clone();
    std::thread::spawn(move || watch_hang_up(hang_up));
    // Another seat's commits: the watch says the files were written (one message for a
    // burst of events: the next is sent only once the loop took this one).
    let pending = Arc::new(AtomicBool::new(false));
    let (database, waiting) = (tx.clone(), pending.clone());
    let mode = watch::start(watch::Watches::open(&app.db_path), move || {
        waiting.swap(true, Ordering::SeqCst) || database.send(Input::Database).is_ok()
    });
    // Answers from the workspace's own worker threads (the timeline's filter).
    let worker = tx.clone();
    app.set_notify(Arc::new(move |msg| {
        let _ = worker.send(Input::App(msg));
    }));
    drop(tx);
    if let watch::Mode::Polled(why) = &mode {
        app.info(format!(
            "Changes by other seats are looked for once a second here ({why})."
        ));
    }

    if let Err(e) = screen.draw(|frame| crate::ui::view(app, frame)) {
        return gone_or(e);
    }
    // Debug builds only: a way for tests to prove a panic still restores the terminal.
    #[cfg(debug_assertions)]
    if std::env::var_os("DHR_TEST_PANIC").is_some() {
        panic!("DHR_TEST_PANIC: a deliberate panic after the first frame");
    }
    // Nothing wakes the loop at rest but the cover and midnight: input, signals and the
    // database's watch arrive as messages; the other timers run only while they have
    // something to do (typed text to save, lines waiting, a database that is polled).
    let mut timers = Timers::new(matches!(mode, watch::Mode::Polled(_)), Instant::now());
    loop {
        let now = Instant::now();
        timers.arm(app, now);
        let first = match rx.recv_timeout(timers.next(app).saturating_duration_since(now)) {
            Ok(input) => Some(input),
            Err(mpsc::RecvTimeoutError::Timeout) => None,
            Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(End::HangUp),
        };
        let mut redraw = false;
        let mut stop = false;
        // Drain what is queued so a burst of keys costs one frame.
        for input in first.into_iter().chain(rx.try_iter()) {
            let msg = match input {
                Input::App(msg) => msg,
                Input::Signal(signal) => return Ok(End::Signal(signal)),
                Input::HangUp => return Ok(End::HangUp),
                Input::Stop => Msg::Suspend,
                Input::Continue => {
                    screen = take_terminal(shows)?;
                    // The window may have changed size while stopped.
                    if let Some((w, h)) = resized(app) {
                        app.update(Msg::Resize(w, h));
                    }
                    redraw = true;
                    continue;
                }
                Input::Database => {
                    // Taken: writes from here on send another message.
                    pending.store(false, Ordering::SeqCst);
                    timers.written(Instant::now());
                    Msg::DatabaseChanged
                }
            };
            if let Msg::Resize(..) = msg {
                // Fresh buffers at the new size: a shrink gives the memory back.
                drop(screen);
                screen = new_screen(shows)?;
            }
            match app.update(msg) {
                Effect::None => {}
                Effect::Redraw => redraw = true,
                Effect::Quit => return Ok(End::Quit),
                Effect::Suspend => {
                    stop = true;
                    break;
                }
            }
        }
        if stop {
            // Give the terminal back as it was, stop until `fg`, then take it again.
            restore();
            signal_hook::low_level::raise(nix::sys::signal::Signal::SIGSTOP as i32)?;
            screen = take_terminal(shows)?;
            if let Some((w, h)) = resized(app) {
                app.update(Msg::Resize(w, h));
            }
            redraw = true;
        }
        // The timers due, even while keys keep arriving.
        for msg in timers.due(app, Instant::now()) {
            match app.update(msg) {
                Effect::Redraw => redraw = true,
                Effect::Quit => return Ok(End::Quit),
                Effect::Suspend | Effect::None => {}
            }
        }
        if redraw && let Err(e) = screen.draw(|frame| crate::ui::view(app, frame)) {
            return gone_or(e);
        }
    }
}

/// The terminal's (capped) size when it differs from the one the workspace draws at.
fn resized(app: &App) -> Option<(u16, u16)> {
    let (w, h) = terminal::size().ok()?;
    let size = capped(w, h);
    (size != app.size).then_some(size)
}

/// A failed write to the terminal: a hang-up if the terminal is gone, else the error.
fn gone_or(e: io::Error) -> anyhow::Result<End> {
    if terminal_gone() {
        Ok(End::HangUp)
    } else {
        Err(e.into())
    }
}
