//! Backup under load: how long a backup of a large database takes with nobody writing and
//! while another process types minutes, for each way SQLite can copy a live database.
//!
//! ```text
//! dhr --db big.sqlite3 demo --rows 230000             # about 300 MB
//! cargo run --release --features backup-bench --example backup_load -- type --db big.sqlite3 --every 200 --seconds 120
//! cargo run --release --features backup-bench --example backup_load -- copy --db big.sqlite3 --method stepwise --out a.sqlite3
//! cargo run --release --features backup-bench --example backup_load -- copy --db big.sqlite3 --method one-step --out b.sqlite3
//! cargo run --release --features backup-bench --example backup_load -- copy --db big.sqlite3 --method vacuum-into --out c.sqlite3
//! ```
//!
//! `type` is the other seat: the workspace on the demo case, meeting 3 open, typing one
//! short line every `--every` ms (half of it, a tick of the timer as the real loop gives,
//! the rest, Enter), each line one small committed transaction. It prints how many lines
//! it committed and the slowest commit, so a backup that held the writer up shows.
//!
//! `copy` makes one copy with rusqlite directly, into a fresh empty 0600 file, and prints
//! the time and the pages copied:
//! - `stepwise`: the old `dhr backup`: SQLite's online backup 256 pages a step with 5 ms
//!   pauses, which starts again whenever another connection writes (given up after
//!   `--cap` seconds);
//! - `one-step`: the online backup in one step (`step(-1)`), under one read transaction;
//! - `vacuum-into`: `VACUUM INTO` the empty file, under one read transaction.

use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand, ValueEnum};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use dhr_panel::app::{App, Msg, Options};
use dhr_panel::store::{OpenMode, Store};
use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};

#[derive(Parser, Debug)]
#[command(about = "Backup time of a large database, with and without a seat typing")]
struct Args {
    #[command(subcommand)]
    what: What,
}

#[derive(Subcommand, Debug)]
enum What {
    /// Be the other seat: commit a short minute line every `--every` ms.
    Type {
        #[arg(long)]
        db: PathBuf,
        #[arg(long, default_value_t = 200)]
        every: u64,
        #[arg(long, default_value_t = 60)]
        seconds: u64,
    },
    /// Copy the database one way and say how long it took.
    Copy {
        #[arg(long)]
        db: PathBuf,
        #[arg(long)]
        out: PathBuf,
        #[arg(long, value_enum)]
        method: Method,
        /// Give up after this many seconds (the stepwise copy may never finish).
        #[arg(long, default_value_t = 90)]
        cap: u64,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Method {
    Stepwise,
    OneStep,
    VacuumInto,
}

fn main() -> Result<()> {
    match Args::parse().what {
        What::Type { db, every, seconds } => type_lines(&db, every, seconds),
        What::Copy {
            db,
            out,
            method,
            cap,
        } => copy(&db, &out, method, cap),
    }
}

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn type_lines(db: &Path, every: u64, seconds: u64) -> Result<()> {
    let clock =
        std::sync::Arc::new(dhr_panel::time::SystemClock::from_env().map_err(anyhow::Error::msg)?);
    let store = Store::open(db, OpenMode::Existing, clock)?;
    let mut app = App::new(store, Options::default(), Some("DEMO-1"))?;
    app.open_meeting_number(3)?;
    let start = Instant::now();
    let (mut lines, mut slowest) = (0u32, Duration::ZERO);
    while start.elapsed() < Duration::from_secs(seconds) {
        let line = format!("Seat two line {lines} at {:?}.", start.elapsed());
        let (first, rest) = line.split_at(line.len() / 2);
        for c in first.chars() {
            app.update(key(KeyCode::Char(c)));
        }
        app.update(Msg::SaveDrafts);
        for c in rest.chars() {
            app.update(key(KeyCode::Char(c)));
        }
        let before = Instant::now();
        app.update(key(KeyCode::Enter));
        slowest = slowest.max(before.elapsed());
        lines += 1;
        std::thread::sleep(Duration::from_millis(every));
    }
    println!(
        "typed {lines} lines in {:.1} s; slowest commit {:.1} ms",
        start.elapsed().as_secs_f64(),
        slowest.as_secs_f64() * 1000.0
    );
    Ok(())
}

fn copy(db: &Path, out: &Path, method: Method, cap: u64) -> Result<()> {
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(out)
        .with_context(|| format!("creating {}", out.display()))?;
    std::fs::set_permissions(out, std::fs::Permissions::from_mode(0o600))?;
    let source = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    source.busy_timeout(Duration::from_secs(10))?;
    let start = Instant::now();
    let (pages, restarts) = match method {
        Method::Stepwise | Method::OneStep => {
            let mut dest = Connection::open_with_flags(out, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
            let backup = Backup::new(&source, &mut dest)?;
            let step = if matches!(method, Method::Stepwise) {
                256
            } else {
                -1
            };
            let mut restarts = 0;
            let mut last_remaining = i32::MAX;
            loop {
                match backup.step(step)? {
                    StepResult::Done => break,
                    _ => std::thread::sleep(Duration::from_millis(5)),
                }
                let p = backup.progress();
                if p.remaining > last_remaining {
                    restarts += 1;
                }
                last_remaining = p.remaining;
                if start.elapsed() > Duration::from_secs(cap) {
                    println!(
                        "{method:?}: gave up after {:.1} s ({} of {} pages left, {restarts} restarts)",
                        start.elapsed().as_secs_f64(),
                        p.remaining,
                        p.pagecount
                    );
                    return Ok(());
                }
            }
            (backup.progress().pagecount, restarts)
        }
        Method::VacuumInto => {
            source.execute("VACUUM INTO ?1", [out.to_string_lossy()])?;
            let dest = Connection::open(out)?;
            let pages: i32 = dest.query_row("PRAGMA page_count", [], |r| r.get(0))?;
            (pages, 0)
        }
    };
    let took = start.elapsed();
    let size = std::fs::metadata(out)?.len();
    let dest = Connection::open(out)?;
    let ok: String = dest.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
    if ok != "ok" {
        bail!("the copy is damaged: {ok}");
    }
    println!(
        "{method:?}: {:.2} s, {pages} pages, {:.0} MB, {restarts} restarts",
        took.as_secs_f64(),
        size as f64 / 1e6
    );
    Ok(())
}
