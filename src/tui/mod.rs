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

use std::io::{self, BufWriter, Stdout, Write};
use std::os::fd::AsFd;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use crossterm::event::{
    self, DisableBracketedPaste, EnableBracketedPaste, Event, KeyCode, KeyEventKind, KeyModifiers,
};
use crossterm::terminal::{self, EnterAlternateScreen, LeaveAlternateScreen};
use crossterm::{cursor, execute};
use ratatui::Terminal;
use signal_hook::consts::{
    SIGALRM, SIGCONT, SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGTSTP, SIGUSR1, SIGUSR2, SIGXFSZ,
};

use crate::app::{App, Effect, Msg};

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
    /// The terminal's reads ended or failed.
    HangUp,
}

/// Why the loop ended.
enum End {
    Quit,
    Signal(i32),
    HangUp,
}

fn to_msg(event: Event) -> Option<Msg> {
    match event {
        Event::Key(key) => Some(Msg::Key(key)),
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
                .send(Input::App(Msg::Paste(std::mem::take(&mut text))))
                .is_err()
            {
                return false;
            }
            chunk = Instant::now();
        }
    }
    std::iter::once(Msg::Paste(text))
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

/// How often the workspace looks for another user's commits and saves a pending draft
/// (others' changes seen within about a second; a dropped connection loses at most the
/// last couple of seconds of typing).
const TICK_INTERVAL: Duration = Duration::from_secs(1);

/// The timer while lines of minutes wait for a busy database: they go as soon as it is free.
const WAITING_TICK: Duration = Duration::from_millis(250);

/// When the timer next fires after now.
fn next_tick_for(app: &App) -> Instant {
    Instant::now()
        + if app.lines_waiting() {
            WAITING_TICK
        } else {
            TICK_INTERVAL
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

/// A terminal of the current (capped) size, with fresh buffers: made again after a resize
/// so that the memory of a bigger screen is given back.
fn new_screen() -> io::Result<Screen> {
    // One buffered write per frame: over SSH every write is a packet of its own.
    let backend = backend::LeanBackend::new(BufWriter::with_capacity(64 * 1024, io::stdout()));
    let mut screen = Terminal::new(backend)?;
    // A known blank screen to start from, so the backend can step over blank cells (and
    // whatever lies beyond the capped area is blank).
    screen.clear()?;
    Ok(screen)
}

/// Takes the terminal again (after `fg`, or a stop from outside): raw mode, the
/// alternate screen, bracketed paste; the next frame draws everything.
fn take_terminal() -> io::Result<Screen> {
    // Off then on: raw mode is set again even if the shell changed the terminal meanwhile.
    let _ = terminal::disable_raw_mode();
    terminal::enable_raw_mode()?;
    execute!(
        io::stdout(),
        EnterAlternateScreen,
        EnableBracketedPaste,
        cursor::Hide
    )?;
    new_screen()
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
    let mut screen = new_screen()?;
    let size = screen.size()?;
    app.update(Msg::Resize(size.width, size.height));

    let input = tx.clone();
    std::thread::spawn(move || read_input(input));
    // Answers from the workspace's own worker threads (the timeline's filter).
    let worker = tx.clone();
    app.set_notify(Arc::new(move |msg| {
        let _ = worker.send(Input::App(msg));
    }));
    drop(tx);

    if let Err(e) = screen.draw(|frame| crate::ui::view(app, frame)) {
        return gone_or(e);
    }
    // Debug builds only: a way for tests to prove a panic still restores the terminal.
    #[cfg(debug_assertions)]
    if std::env::var_os("DHR_TEST_PANIC").is_some() {
        panic!("DHR_TEST_PANIC: a deliberate panic after the first frame");
    }
    // The timer: once a second the workspace looks for another user's commits (a cheap
    // PRAGMA; nothing is drawn unless something changed), saves a pending draft and checks
    // that the terminal is still there. It runs on time even while keys keep arriving.
    let mut next_tick = next_tick_for(app);
    loop {
        let wait = next_tick
            .saturating_duration_since(Instant::now())
            .min(until_midnight());
        let first = match rx.recv_timeout(wait) {
            Ok(input) => input,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                next_tick = next_tick_for(app);
                if terminal_gone() {
                    return Ok(End::HangUp);
                }
                Input::App(Msg::Tick)
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(End::HangUp),
        };
        let mut redraw = false;
        let mut stop = false;
        // Drain what is queued so a burst of keys costs one frame.
        for input in std::iter::once(first).chain(rx.try_iter()) {
            let msg = match input {
                Input::App(msg) => msg,
                Input::Signal(signal) => return Ok(End::Signal(signal)),
                Input::HangUp => return Ok(End::HangUp),
                Input::Stop => Msg::Suspend,
                Input::Continue => {
                    screen = take_terminal()?;
                    redraw = true;
                    continue;
                }
            };
            if let Msg::Resize(..) = msg {
                // Fresh buffers at the new size: a shrink gives the memory back.
                drop(screen);
                screen = new_screen()?;
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
            screen = take_terminal()?;
            redraw = true;
        }
        if Instant::now() >= next_tick {
            next_tick = next_tick_for(app);
            if terminal_gone() {
                return Ok(End::HangUp);
            }
            // A resize whose SIGWINCH came before the input thread listened (or while
            // stopped) is not lost: the size is compared once a second (one ioctl).
            if let Ok((w, h)) = terminal::size()
                && capped(w, h) != app.size
            {
                let (w, h) = capped(w, h);
                drop(screen);
                screen = new_screen()?;
                app.update(Msg::Resize(w, h));
                redraw = true;
            }
            match app.update(Msg::Tick) {
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

/// A failed write to the terminal: a hang-up if the terminal is gone, else the error.
fn gone_or(e: io::Error) -> anyhow::Result<End> {
    if terminal_gone() {
        Ok(End::HangUp)
    } else {
        Err(e.into())
    }
}
