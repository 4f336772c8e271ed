//! The terminal: a guard that always restores it (quit, error, panic, SIGTERM, SIGHUP),
//! the input and signal threads, and the loop that draws only when something changed.

pub mod backend;

use std::io::{self, BufWriter, Stdout, Write};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crossterm::event::{self, DisableBracketedPaste, EnableBracketedPaste, Event};
use crossterm::terminal::{self, EnterAlternateScreen, LeaveAlternateScreen};
use crossterm::{cursor, execute};
use ratatui::Terminal;

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

fn to_msg(event: Event) -> Option<Msg> {
    match event {
        Event::Key(key) => Some(Msg::Key(key)),
        Event::Paste(text) => Some(Msg::Paste(text)),
        Event::Resize(w, h) => Some(Msg::Resize(w, h)),
        _ => None,
    }
}

/// How often the workspace looks for another user's commits and saves a pending draft
/// (others' changes seen within about a second; a dropped connection loses at most the
/// last couple of seconds of typing).
const TICK_INTERVAL: Duration = Duration::from_secs(1);

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

/// Runs the workspace until the user leaves or a signal asks it to.
pub fn run(app: &mut App) -> anyhow::Result<()> {
    let _guard = TerminalGuard::enter()?;
    // One buffered write per frame: over SSH every write is a packet of its own.
    let backend = backend::LeanBackend::new(BufWriter::with_capacity(64 * 1024, io::stdout()));
    let mut terminal: Terminal<backend::LeanBackend<BufWriter<Stdout>>> = Terminal::new(backend)?;
    let size = terminal.size()?;
    app.update(Msg::Resize(size.width, size.height));

    let (tx, rx) = mpsc::channel::<Msg>();
    let input = tx.clone();
    std::thread::spawn(move || {
        while let Ok(event) = event::read() {
            if let Some(msg) = to_msg(event)
                && input.send(msg).is_err()
            {
                break;
            }
        }
    });
    let mut signals = signal_hook::iterator::Signals::new([
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
    ])?;
    let signal_tx = tx.clone();
    std::thread::spawn(move || {
        if signals.forever().next().is_some() {
            let _ = signal_tx.send(Msg::Shutdown);
        }
    });
    drop(tx);

    // A known blank screen to start from, so the backend can step over blank cells.
    terminal.clear()?;
    terminal.draw(|frame| crate::ui::view(app, frame))?;
    // Debug builds only: a way for tests to prove a panic still restores the terminal.
    #[cfg(debug_assertions)]
    if std::env::var_os("DHR_TEST_PANIC").is_some() {
        panic!("DHR_TEST_PANIC: a deliberate panic after the first frame");
    }
    // The timer: once a second the workspace looks for another user's commits (a cheap
    // PRAGMA; nothing is drawn unless something changed) and saves a pending draft. It
    // runs on time even while keys keep arriving.
    let mut next_tick = Instant::now() + TICK_INTERVAL;
    loop {
        let wait = next_tick
            .saturating_duration_since(Instant::now())
            .min(until_midnight());
        let first = match rx.recv_timeout(wait) {
            Ok(msg) => msg,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                next_tick = Instant::now() + TICK_INTERVAL;
                Msg::Tick
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        };
        let mut redraw = false;
        let mut quit = false;
        // Drain what is queued so a burst of keys costs one frame.
        for msg in std::iter::once(first).chain(rx.try_iter()) {
            if let Msg::Resize(..) = msg {
                terminal.backend_mut().forget();
                terminal.autoresize()?;
            }
            match app.update(msg) {
                Effect::None => {}
                Effect::Redraw => redraw = true,
                Effect::Quit => {
                    quit = true;
                    break;
                }
            }
        }
        if quit {
            break;
        }
        if Instant::now() >= next_tick {
            next_tick = Instant::now() + TICK_INTERVAL;
            match app.update(Msg::Tick) {
                Effect::Redraw => redraw = true,
                Effect::Quit => break,
                Effect::None => {}
            }
        }
        if redraw {
            terminal.draw(|frame| crate::ui::view(app, frame))?;
        }
    }
    Ok(())
}
