//! The wire: what the release binary writes to a real (pseudo-)terminal at 80x24, and
//! what it costs, measured the way the shared harness (`../shared/bench/tuimeasure.py`)
//! measures it, so the two reproduce each other, and checks the budgets.
//!
//! ```text
//! cargo build --release
//! cargo run --release --example wire -- [--runs 3] [--baseline PATH]
//! ```
//!
//! For each run, on a fresh private copy of a demo database (`dhr demo --rows 5000`, made
//! once in a private temporary folder with today fixed at 26 Nov 2026), it starts
//! `dhr minute --case DEMO-1 --meeting 3` in an 80x24 pseudo-terminal and measures:
//!
//! - startup: time to the first byte, to the expected text on screen ("Enter saves") and
//!   to the output settling (50 ms of quiet after that text), and the bytes of that frame;
//! - idle: bytes written and wake-ups over 2 s with no input (wake-ups: voluntary context
//!   switches of all its threads, from `/proc/PID/task/*/status`; also the scheduler's
//!   count of times it ran, from `schedstat`, which the harness reports), before typing
//!   and again after it, once the typed text was saved as a draft (a second after typing);
//! - typing: 200 characters of ordinary text into the minutes input, one at a time,
//!   waiting for the output to settle after each: bytes, reads (about one per write) and
//!   latency from the key to the last byte, and CPU time per key;
//! - resize: the window grown to 100x30 and shrunk back: bytes and time to redraw, beside
//!   a full first frame at each size (a fresh start at 100x30 gives that one);
//! - memory: peak resident size (`VmHWM`) before quitting;
//! - quit: Ctrl+Q; exit code, alternate screen left and cursor shown.
//!
//! With `--replay` it instead types a two-hour meeting into meeting 3 (the script is
//! `examples/wire_meeting.txt`: attendance, decisions, actions, challenges, corrections,
//! moves between items and panes, and the pauses while people talk, each waited for one
//! second at most) and prints the bytes for typing apart from the other keys and the
//! pauses: `cargo run --release --example wire -- --replay`.
//!
//! With `--baseline PATH` it runs the minimal ratatui program of the shared harness the
//! same way, interleaved (dhr, baseline, dhr, baseline, …), and prints them side by side.
//! Each figure is the median of the runs, with the range in brackets. Times depend on
//! the machine and its load: compare ratios within one run, never absolute times across
//! runs.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::io::{Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use clap::Parser;
use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

/// Measure the release binary on the wire, in a pseudo-terminal at 80x24.
#[derive(Parser, Debug)]
#[command(about)]
struct Args {
    /// How many runs of each program (interleaved).
    #[arg(long, default_value_t = 3)]
    runs: usize,
    /// The binary to measure (built beforehand with `cargo build --release`).
    #[arg(long, default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/target/release/dhr"))]
    bin: PathBuf,
    /// The shared harness's minimal ratatui program, run the same way for comparison.
    #[arg(long)]
    baseline: Option<PathBuf>,
    /// Extra chronology rows in the demo database (the reference load is 5,000).
    #[arg(long, default_value_t = 5000)]
    rows: u64,
    /// Characters typed one at a time into the input.
    #[arg(long, default_value_t = 200)]
    keys: usize,
    /// Quiet time that ends a burst of output, in milliseconds.
    #[arg(long, default_value_t = 50)]
    settle_ms: u64,
    /// Also write each typed character's bytes, reads and latency to this CSV file.
    #[arg(long)]
    per_key: Option<PathBuf>,
    /// Replay a two-hour meeting (`examples/wire_meeting.txt`, or `--script`) instead:
    /// the bytes for typing, for the other keys and for the pauses, each pause capped at
    /// one second.
    #[arg(long)]
    replay: bool,
    /// The meeting script `--replay` types (the format is at the top of the default one).
    #[arg(long, requires = "replay")]
    script: Option<PathBuf>,
    /// Milliseconds between two typed characters in `--replay`.
    #[arg(long, default_value_t = 30)]
    key_ms: u64,
    /// How many of the costliest keys `--replay` lists.
    #[arg(long, default_value_t = 10)]
    show_costly: usize,
}

/// Ordinary text, as the harness types it.
const TEXT: &str = "the quick brown fox jumps over the lazy dog ";
const TODAY: &str = "2026-11-26";
const COLS: u16 = 80;
const ROWS: u16 = 24;
const GROWN: (u16, u16) = (100, 30);
const IDLE: Duration = Duration::from_secs(2);
/// Long enough after the last key for the draft to be saved (a second after typing).
const DRAFT_SAVED: Duration = Duration::from_millis(1500);
/// How long to wait for the first byte after a key, a resize or at startup.
const KEY_TIMEOUT: Duration = Duration::from_secs(1);
const STARTUP_TIMEOUT: Duration = Duration::from_secs(10);
const QUIT_TIMEOUT: Duration = Duration::from_secs(3);

/// A program to measure: how to start it, what says it is ready and how to leave it.
struct Target {
    name: String,
    program: PathBuf,
    args: Vec<OsString>,
    env: Vec<(String, String)>,
    wait_text: String,
    quit: Vec<u8>,
    /// For dhr: the reference database, copied fresh for each start.
    database: Option<PathBuf>,
}

fn main() {
    if let Err(e) = run() {
        eprintln!("wire: {e:#}");
        std::process::exit(1);
    }
}

fn run() -> Result<()> {
    let args = Args::parse();
    if args.runs == 0 {
        bail!("--runs must be at least 1");
    }
    check_binary(&args.bin)?;
    let folder = tempfile::Builder::new()
        .prefix("dhr-wire-")
        .tempdir()
        .context("creating a temporary folder")?;
    std::fs::set_permissions(folder.path(), std::fs::Permissions::from_mode(0o700))
        .context("making the temporary folder private")?;
    let reference = folder.path().join("reference.sqlite3");
    make_demo(&args.bin, &reference, args.rows)?;

    let mut targets = vec![Target {
        name: "dhr".into(),
        program: args.bin.clone(),
        args: ["minute", "--case", "DEMO-1", "--meeting", "3"]
            .iter()
            .map(OsString::from)
            .collect(),
        env: vec![("DHR_TODAY".into(), TODAY.into())],
        wait_text: "Enter saves".into(),
        quit: b"\x11".to_vec(),
        database: Some(reference.clone()),
    }];
    if let Some(baseline) = &args.baseline {
        if !baseline.is_file() {
            bail!("no baseline program at {}", baseline.display());
        }
        targets.push(Target {
            name: "baseline".into(),
            program: baseline.clone(),
            args: Vec::new(),
            env: Vec::new(),
            wait_text: "row 0001".into(),
            quit: b"\x11".to_vec(),
            database: None,
        });
    }

    if args.replay {
        return replay(&targets[0], &args, folder.path());
    }
    let mut results: Vec<(String, Run)> = Vec::new();
    for round in 1..=args.runs {
        for target in &targets {
            eprintln!("run {round}/{}: {}", args.runs, target.name);
            let measured = measure(target, &args, folder.path(), round)
                .with_context(|| format!("measuring {} (run {round})", target.name))?;
            eprintln!("  {}", measured.summary());
            results.push((target.name.clone(), measured));
        }
    }
    print_table(&targets, &results, &args);
    if let Some(path) = &args.per_key {
        write_per_key(path, &results, args.keys)?;
    }
    Ok(())
}

/// One line per typed character of every run: which, and what it cost.
fn write_per_key(path: &Path, results: &[(String, Run)], keys: usize) -> Result<()> {
    let typed: Vec<char> = TEXT.chars().cycle().take(keys).collect();
    let mut csv = String::from("target,run,key,char,bytes,reads,latency_ms\n");
    let mut runs: BTreeMap<&str, usize> = BTreeMap::new();
    for (name, run) in results {
        let n = runs.entry(name).or_default();
        *n += 1;
        let mut latencies = run.key_latency_ms.iter();
        for (i, (&bytes, &reads)) in run.key_bytes.iter().zip(&run.key_reads).enumerate() {
            let latency = if bytes > 0 {
                latencies
                    .next()
                    .map_or(String::new(), |l| format!("{l:.3}"))
            } else {
                String::new()
            };
            let c = typed
                .get(i)
                .map_or(String::new(), |c| c.escape_default().to_string());
            csv.push_str(&format!(
                "{name},{n},{},\"{c}\",{bytes},{reads},{latency}\n",
                i + 1
            ));
        }
    }
    std::fs::write(path, csv).with_context(|| format!("writing {}", path.display()))
}

/// The binary must exist; say so if it looks older than the sources.
fn check_binary(bin: &Path) -> Result<()> {
    let meta = std::fs::metadata(bin).map_err(|e| {
        anyhow!(
            "{} is missing ({e}): build it first with `cargo build --release`",
            bin.display()
        )
    })?;
    let built = meta.modified().context("reading the binary's build time")?;
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    if let Some(newest) = newest_file(&src)
        && newest > built
    {
        eprintln!(
            "wire: warning: {} is older than the sources in src/: run `cargo build --release` to measure the current code",
            bin.display()
        );
    }
    Ok(())
}

fn newest_file(dir: &Path) -> Option<std::time::SystemTime> {
    let mut newest = None;
    for entry in std::fs::read_dir(dir).ok()?.flatten() {
        let path = entry.path();
        let time = if path.is_dir() {
            newest_file(&path)
        } else {
            entry.metadata().ok().and_then(|m| m.modified().ok())
        };
        newest = newest.max(time);
    }
    newest
}

/// `dhr demo --rows N` into a new database.
fn make_demo(bin: &Path, db: &Path, rows: u64) -> Result<()> {
    let out = std::process::Command::new(bin)
        .arg("--db")
        .arg(db)
        .arg("demo")
        .arg("--rows")
        .arg(rows.to_string())
        .env("DHR_TODAY", TODAY)
        .output()
        .with_context(|| format!("running {} demo", bin.display()))?;
    if !out.status.success() {
        bail!(
            "`dhr demo --rows {rows}` failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(())
}

/// A fresh copy of the reference database (so no draft from an earlier run is restored).
fn fresh_copy(reference: &Path, folder: &Path, label: &str) -> Result<PathBuf> {
    let path = folder.join(format!("{label}.sqlite3"));
    for suffix in ["", "-wal", "-shm"] {
        let mut stale = path.clone().into_os_string();
        stale.push(suffix);
        match std::fs::remove_file(&stale) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(e).with_context(|| format!("removing {}", Path::new(&stale).display()));
            }
        }
    }
    std::fs::copy(reference, &path)
        .with_context(|| format!("copying {} to {}", reference.display(), path.display()))?;
    Ok(path)
}

// ---------------------------------------------------------------- the meeting replay

/// The meeting `--replay` types by default.
const MEETING: &str = include_str!("wire_meeting.txt");

/// The longest pause the replay waits: the screen is measured at rest, not for hours.
const PAUSE_CAP: Duration = Duration::from_secs(1);

/// One step of a meeting script.
enum Step {
    /// Characters typed one at a time, then Enter if `enter`.
    Type { text: String, enter: bool },
    /// People talk for so many seconds.
    Pause(f64),
    /// One key, as the terminal sends it.
    Key(Vec<u8>),
}

fn parse_script(script: &str) -> Result<Vec<Step>> {
    let mut steps = Vec::new();
    for (n, line) in script.lines().enumerate() {
        let at = || format!("line {} of the script", n + 1);
        let line = line.trim_end();
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(text) = line.strip_prefix("> ") {
            steps.push(Step::Type {
                text: text.to_string(),
                enter: true,
            });
        } else if let Some(text) = line.strip_prefix("text ") {
            steps.push(Step::Type {
                text: text.to_string(),
                enter: false,
            });
        } else if let Some(secs) = line.strip_prefix("~ ") {
            let secs: f64 = secs
                .trim()
                .parse()
                .with_context(|| format!("{}: a pause is a number of seconds", at()))?;
            steps.push(Step::Pause(secs));
        } else if let Some(name) = line.strip_prefix("key ") {
            let bytes: Vec<u8> = match name.trim() {
                "esc" => b"\x1b".to_vec(),
                "enter" => b"\r".to_vec(),
                "tab" => b"\t".to_vec(),
                "backspace" => b"\x7f".to_vec(),
                "up" => b"\x1b[A".to_vec(),
                "down" => b"\x1b[B".to_vec(),
                "pgup" => b"\x1b[5~".to_vec(),
                "pgdn" => b"\x1b[6~".to_vec(),
                c if c.chars().count() == 1 => c.as_bytes().to_vec(),
                other => bail!("{}: no key called {other:?}", at()),
            };
            steps.push(Step::Key(bytes));
        } else {
            bail!(
                "{}: a step starts with '> ', 'text ', '~ ' or 'key ': {line:?}",
                at()
            );
        }
    }
    Ok(steps)
}

/// What one kind of step wrote.
#[derive(Debug, Default, Clone, Copy)]
struct Tally {
    steps: usize,
    bytes: usize,
    writes: usize,
    /// For pauses: the wall time waited and the talk it stands for, in seconds.
    waited: f64,
    talk: f64,
    wakeups: u64,
    cpu_ms: f64,
}

impl Tally {
    fn add(&mut self, burst: &Burst) {
        self.steps += 1;
        self.bytes += burst.bytes;
        self.writes += burst.reads;
    }
}

/// Replays the meeting script into meeting 3 of a fresh copy of the demo database and
/// prints the bytes for typing apart from the other keys and the pauses.
fn replay(target: &Target, args: &Args, folder: &Path) -> Result<()> {
    let script = match &args.script {
        Some(path) => std::fs::read_to_string(path)
            .with_context(|| format!("reading the script {}", path.display()))?,
        None => MEETING.to_string(),
    };
    let steps = parse_script(&script)?;
    let quiet = Duration::from_millis(args.settle_ms);
    let gap = Duration::from_millis(args.key_ms);
    let db = match &target.database {
        Some(reference) => Some(fresh_copy(reference, folder, "replay")?),
        None => None,
    };
    let mut s = Session::start(target, db.as_deref(), folder, (COLS, ROWS))?;
    let started = s.started;
    let startup = s.pump(
        started,
        STARTUP_TIMEOUT,
        quiet,
        Some(&target.wait_text),
        STARTUP_TIMEOUT,
    )?;
    if startup.found_at.is_none() {
        bail!("{:?} never appeared on screen", target.wait_text);
    }
    let cpu_start = s.sched()?;
    let (mut typing, mut keys, mut pauses) = (Tally::default(), Tally::default(), Tally::default());
    let mut last_line = String::new();
    // The costliest keys, to say where the bytes go.
    let mut costly: Vec<(usize, String)> = Vec::new();
    let began = Instant::now();
    for step in &steps {
        match step {
            Step::Type { text, enter } => {
                for (i, c) in text.chars().enumerate() {
                    let mut buf = [0u8; 4];
                    s.send(c.encode_utf8(&mut buf).as_bytes())?;
                    let burst = s.collect(gap)?;
                    typing.add(&burst);
                    let typed: String = text.chars().take(i + 1).collect();
                    costly.push((burst.bytes, format!("typing {typed:?}")));
                }
                if *enter {
                    let sent = Instant::now();
                    s.send(b"\r")?;
                    let burst = s.pump(sent, KEY_TIMEOUT, quiet, None, KEY_TIMEOUT + quiet)?;
                    keys.add(&burst);
                    costly.push((burst.bytes, format!("Enter after {text:?}")));
                    last_line = text.clone();
                }
            }
            Step::Key(bytes) => {
                let sent = Instant::now();
                s.send(bytes)?;
                let burst = s.pump(sent, KEY_TIMEOUT, quiet, None, KEY_TIMEOUT + quiet)?;
                keys.add(&burst);
                costly.push((
                    burst.bytes,
                    format!("key {:?}", String::from_utf8_lossy(bytes)),
                ));
            }
            Step::Pause(secs) => {
                let wait = Duration::from_secs_f64(secs.max(0.0)).min(PAUSE_CAP);
                let before = s.sched()?;
                pauses.add(&s.collect(wait)?);
                let after = s.sched()?;
                pauses.waited += wait.as_secs_f64();
                pauses.talk += secs;
                pauses.wakeups += after.voluntary.saturating_sub(before.voluntary);
                pauses.cpu_ms += after.cpu_ns.saturating_sub(before.cpu_ns) as f64 / 1e6;
            }
        }
        if s.closed {
            bail!("the program ended during the replay");
        }
    }
    let elapsed = began.elapsed().as_secs_f64();
    let cpu_end = s.sched()?;
    // The last line is under the last item, at the bottom of the minutes.
    let tail: String = last_line
        .chars()
        .rev()
        .take(20)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let last_on_screen = s.on_screen(&tail);
    let hwm = s.status_field("VmHWM")?;
    let mark = s.output.len();
    s.send(&target.quit)?;
    let exit = s.wait_exit(QUIT_TIMEOUT)?;
    let quit_bytes = s.output.len() - mark;

    let per = |t: &Tally| {
        if t.steps == 0 {
            "-".to_string()
        } else {
            fmt(t.bytes as f64 / t.steps as f64)
        }
    };
    let total = startup.bytes + typing.bytes + keys.bytes + pauses.bytes + quit_bytes;
    println!();
    println!(
        "Replay of a {:.0}-minute meeting ({} steps) at {COLS}x{ROWS}: {} characters typed {} ms apart, {} other keys, {} pauses ({:.0} s of talk waited as {:.0} s); {:.0} s in all.",
        pauses.talk / 60.0,
        steps.len(),
        typing.steps,
        args.key_ms,
        keys.steps,
        pauses.steps,
        pauses.talk,
        pauses.waited,
        elapsed
    );
    println!();
    println!("| part | keys or pauses | bytes | bytes each | writes |");
    println!("|---|---:|---:|---:|---:|");
    println!(
        "| startup (first frame) | | {} | | {} |",
        startup.bytes, startup.reads
    );
    println!(
        "| typing: characters | {} | {} | {} | {} |",
        typing.steps,
        typing.bytes,
        per(&typing),
        typing.writes
    );
    println!(
        "| Enter (saving a line), Esc, panes, scrolling | {} | {} | {} | {} |",
        keys.steps,
        keys.bytes,
        per(&keys),
        keys.writes
    );
    println!(
        "| idle: pauses, capped at 1 s | {} | {} | {} | {} |",
        pauses.steps,
        pauses.bytes,
        per(&pauses),
        pauses.writes
    );
    println!("| quit | 1 | {quit_bytes} | | |");
    println!(
        "| **all** | | **{total}** ({:.1} KB) | | |",
        total as f64 / 1024.0
    );
    println!();
    println!(
        "Idle: {} wake-ups and {:.1} ms of CPU in {:.0} s of pauses. CPU in all after startup: {:.0} ms. Peak memory {} kB. Last line on screen: {}. Exit code: {}.",
        pauses.wakeups,
        pauses.cpu_ms,
        pauses.waited,
        cpu_end.cpu_ns.saturating_sub(cpu_start.cpu_ns) as f64 / 1e6,
        hwm,
        if last_on_screen { "yes" } else { "NO" },
        exit.map_or("none (killed)".to_string(), |c| c.to_string()),
    );
    costly.sort_by_key(|c| std::cmp::Reverse(c.0));
    println!();
    println!("The costliest keys:");
    for (bytes, what) in costly.iter().take(args.show_costly) {
        println!("  {bytes:>6} B  {what}");
    }
    Ok(())
}

// ---------------------------------------------------------------- one session

/// Output of one burst: from a key (or a resize, or the start) until it settles.
#[derive(Debug, Default, Clone, Copy)]
struct Burst {
    bytes: usize,
    reads: usize,
    first: Option<Instant>,
    last: Option<Instant>,
    /// When the awaited text was first on screen.
    found_at: Option<Instant>,
}

/// CPU time and scheduling counts of a process, summed over its threads.
#[derive(Debug, Default, Clone, Copy)]
struct Sched {
    cpu_ns: u64,
    /// Times a thread was given the CPU (`schedstat`, as the harness counts wake-ups).
    timeslices: u64,
    /// Times a thread went to sleep and was woken (voluntary context switches).
    voluntary: u64,
}

/// A program running in a pseudo-terminal, with what it wrote.
struct Session {
    child: Box<dyn Child + Send + Sync>,
    pid: u32,
    master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    chunks: mpsc::Receiver<(Instant, Vec<u8>)>,
    parser: vt100::Parser,
    output: Vec<u8>,
    closed: bool,
    started: Instant,
    /// When the program was seen to have exited (polled every 5 ms).
    exited_at: Option<Instant>,
}

impl Session {
    fn start(
        target: &Target,
        db: Option<&Path>,
        folder: &Path,
        size: (u16, u16),
    ) -> Result<Session> {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: size.1,
                cols: size.0,
                pixel_width: 0,
                pixel_height: 0,
            })
            .map_err(|e| anyhow!("opening a pseudo-terminal: {e}"))?;
        let mut cmd = CommandBuilder::new(&target.program);
        if let Some(db) = db {
            cmd.arg("--db");
            cmd.arg(db);
        }
        for arg in &target.args {
            cmd.arg(arg);
        }
        cmd.cwd(folder);
        cmd.env("TERM", "xterm-256color");
        // A UTF-8 locale whatever the machine has: without one the workspace draws ASCII,
        // and the bytes measured would be another screen's.
        cmd.env("LANG", "C.UTF-8");
        for key in [
            "NO_COLOR", "LINES", "COLUMNS", "TMUX", "STY", "DHR_DB", "LC_ALL", "LC_CTYPE",
        ] {
            cmd.env_remove(key);
        }
        for (key, value) in &target.env {
            cmd.env(key, value);
        }
        let mut reader = pair
            .master
            .try_clone_reader()
            .map_err(|e| anyhow!("reading the pseudo-terminal: {e}"))?;
        let writer = pair
            .master
            .take_writer()
            .map_err(|e| anyhow!("writing to the pseudo-terminal: {e}"))?;
        let started = Instant::now();
        let child = pair
            .slave
            .spawn_command(cmd)
            .map_err(|e| anyhow!("starting {}: {e}", target.program.display()))?;
        // Only the child holds the terminal now: its exit ends the reader.
        drop(pair.slave);
        let pid = child
            .process_id()
            .ok_or_else(|| anyhow!("no process id for {}", target.program.display()))?;
        let (tx, chunks) = mpsc::channel();
        std::thread::spawn(move || {
            let mut buf = [0u8; 65536];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        if tx.send((Instant::now(), buf[..n].to_vec())).is_err() {
                            break;
                        }
                    }
                }
            }
        });
        Ok(Session {
            child,
            pid,
            master: pair.master,
            writer,
            chunks,
            parser: vt100::Parser::new(size.1, size.0, 0),
            output: Vec::new(),
            closed: false,
            started,
            exited_at: None,
        })
    }

    /// Takes in one chunk of output: the screen, and answers to the queries a real
    /// terminal answers (cursor position, status, device attributes), as the harness does.
    fn take(&mut self, data: &[u8]) -> Result<()> {
        self.output.extend_from_slice(data);
        self.parser.process(data);
        let mut answers: Vec<Vec<u8>> = Vec::new();
        for query in [&b"\x1b[6n"[..], b"\x1b[5n", b"\x1b[c", b"\x1b[0c"] {
            for _ in data.windows(query.len()).filter(|w| *w == query) {
                answers.push(match query {
                    b"\x1b[6n" => {
                        let (row, col) = self.parser.screen().cursor_position();
                        format!("\x1b[{};{}R", row + 1, col + 1).into_bytes()
                    }
                    b"\x1b[5n" => b"\x1b[0n".to_vec(),
                    _ => b"\x1b[?62;22c".to_vec(),
                });
            }
        }
        for answer in answers {
            self.send(&answer)?;
        }
        Ok(())
    }

    fn send(&mut self, keys: &[u8]) -> Result<()> {
        self.writer
            .write_all(keys)
            .and_then(|()| self.writer.flush())
            .context("writing to the program's terminal")
    }

    fn on_screen(&self, text: &str) -> bool {
        self.parser.screen().contents().contains(text)
    }

    /// Reads output until `quiet` passes with none after the first byte (before it:
    /// `first_timeout`) and `text`, if any, is on screen; or until `timeout` from `start`.
    fn pump(
        &mut self,
        start: Instant,
        first_timeout: Duration,
        quiet: Duration,
        text: Option<&str>,
        timeout: Duration,
    ) -> Result<Burst> {
        let mut burst = Burst::default();
        let deadline = start + timeout;
        let mut found = text.is_none();
        loop {
            let end = if !found {
                deadline
            } else {
                match burst.last {
                    None => start + first_timeout,
                    Some(last) => last + quiet,
                }
            }
            .min(deadline);
            let now = Instant::now();
            if now >= end || self.closed {
                break;
            }
            match self.chunks.recv_timeout(end - now) {
                Ok((at, data)) => {
                    self.take(&data)?;
                    burst.bytes += data.len();
                    burst.reads += 1;
                    burst.first.get_or_insert(at);
                    burst.last = Some(at);
                    if !found && text.is_some_and(|t| self.on_screen(t)) {
                        found = true;
                        burst.found_at = Some(at);
                    }
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => self.closed = true,
            }
        }
        Ok(burst)
    }

    /// Everything written during `duration`.
    fn collect(&mut self, duration: Duration) -> Result<Burst> {
        let mut burst = Burst::default();
        let end = Instant::now() + duration;
        while !self.closed {
            let now = Instant::now();
            if now >= end {
                break;
            }
            match self.chunks.recv_timeout(end - now) {
                Ok((at, data)) => {
                    self.take(&data)?;
                    burst.bytes += data.len();
                    burst.reads += 1;
                    burst.first.get_or_insert(at);
                    burst.last = Some(at);
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                Err(mpsc::RecvTimeoutError::Disconnected) => self.closed = true,
            }
        }
        Ok(burst)
    }

    /// Resizes the window (the kernel sends SIGWINCH to the program); returns when.
    fn resize(&mut self, cols: u16, rows: u16) -> Result<Instant> {
        self.parser.screen_mut().set_size(rows, cols);
        let at = Instant::now();
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .map_err(|e| anyhow!("resizing the pseudo-terminal: {e}"))?;
        Ok(at)
    }

    /// A field of `/proc/PID/status`, in its unit (kB for memory).
    fn status_field(&self, field: &str) -> Result<u64> {
        let path = format!("/proc/{}/status", self.pid);
        let text = std::fs::read_to_string(&path).with_context(|| format!("reading {path}"))?;
        status_value(&text, field).ok_or_else(|| anyhow!("no {field} in {path}"))
    }

    /// CPU time and scheduling counts summed over the program's threads.
    fn sched(&self) -> Result<Sched> {
        let tasks = format!("/proc/{}/task", self.pid);
        let mut total = Sched::default();
        for entry in std::fs::read_dir(&tasks).with_context(|| format!("listing {tasks}"))? {
            let dir = entry.with_context(|| format!("listing {tasks}"))?.path();
            // A thread may end between listing and reading: skip it.
            if let Ok(stat) = std::fs::read_to_string(dir.join("schedstat")) {
                let fields: Vec<u64> = stat
                    .split_whitespace()
                    .filter_map(|f| f.parse().ok())
                    .collect();
                total.cpu_ns += fields.first().copied().unwrap_or(0);
                total.timeslices += fields.get(2).copied().unwrap_or(0);
            }
            if let Ok(status) = std::fs::read_to_string(dir.join("status")) {
                total.voluntary += status_value(&status, "voluntary_ctxt_switches").unwrap_or(0);
            }
        }
        Ok(total)
    }

    /// Waits for the program to exit; its exit code.
    fn wait_exit(&mut self, timeout: Duration) -> Result<Option<u32>> {
        let end = Instant::now() + timeout;
        loop {
            if let Some(status) = self.child.try_wait().context("waiting for the program")? {
                self.exited_at = Some(Instant::now());
                // What it wrote on the way out.
                self.collect(Duration::from_millis(100))?;
                return Ok(Some(status.exit_code()));
            }
            if Instant::now() >= end {
                return Ok(None);
            }
            self.collect(Duration::from_millis(5))?;
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        // Only the process this session started, and only if it is still there.
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

fn status_value(text: &str, field: &str) -> Option<u64> {
    text.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        (key == field).then(|| value.split_whitespace().next()?.parse().ok())?
    })
}

// ---------------------------------------------------------------- one run

/// Everything one run measured.
#[derive(Debug, Default, Clone)]
struct Run {
    first_byte_ms: f64,
    text_ms: Option<f64>,
    settled_ms: f64,
    startup_bytes: usize,
    startup_reads: usize,
    full_frame_grown_bytes: usize,
    idle_bytes: usize,
    idle_voluntary: u64,
    idle_timeslices: u64,
    idle_cpu_ms: f64,
    idle_after_bytes: usize,
    idle_after_voluntary: u64,
    key_bytes: Vec<usize>,
    key_reads: Vec<usize>,
    key_latency_ms: Vec<f64>,
    key_cpu_us: Vec<f64>,
    no_response: usize,
    echo_ok: bool,
    /// Resizes on the screen as it started (comparable with the first frames).
    grow_bytes: usize,
    grow_ms: Option<f64>,
    back_bytes: usize,
    back_ms: Option<f64>,
    screen_back_ok: bool,
    /// The same after typing (as the harness does it), with the typed text on screen.
    typed_grow_bytes: usize,
    typed_back_bytes: usize,
    hwm_kb: u64,
    threads: u64,
    exit_code: Option<u32>,
    quit_ms: Option<f64>,
    left_alt_screen: bool,
    cursor_shown: bool,
}

fn ms(from: Instant, to: Instant) -> f64 {
    to.saturating_duration_since(from).as_secs_f64() * 1e3
}

fn measure(target: &Target, args: &Args, folder: &Path, round: usize) -> Result<Run> {
    let quiet = Duration::from_millis(args.settle_ms);
    let db = match &target.database {
        Some(reference) => Some(fresh_copy(
            reference,
            folder,
            &format!("{}-{round}", target.name),
        )?),
        None => None,
    };
    let mut run = Run::default();

    // A full first frame at the grown size, for the resize comparison.
    {
        let grown_db = match &target.database {
            Some(reference) => Some(fresh_copy(reference, folder, "grown")?),
            None => None,
        };
        let mut s = Session::start(target, grown_db.as_deref(), folder, GROWN)?;
        let started = s.started;
        let b = s.pump(
            started,
            STARTUP_TIMEOUT,
            quiet,
            Some(&target.wait_text),
            STARTUP_TIMEOUT,
        )?;
        if b.found_at.is_none() {
            bail!(
                "{:?} never appeared at {}x{}",
                target.wait_text,
                GROWN.0,
                GROWN.1
            );
        }
        run.full_frame_grown_bytes = b.bytes;
        s.send(&target.quit)?;
        s.wait_exit(QUIT_TIMEOUT)?;
    }

    let mut s = Session::start(target, db.as_deref(), folder, (COLS, ROWS))?;

    // Startup.
    let started = s.started;
    let b = s.pump(
        started,
        STARTUP_TIMEOUT,
        quiet,
        Some(&target.wait_text),
        STARTUP_TIMEOUT,
    )?;
    let (Some(first), Some(last)) = (b.first, b.last) else {
        bail!("no output at startup");
    };
    if b.found_at.is_none() {
        bail!(
            "{:?} never appeared on screen:\n{}",
            target.wait_text,
            s.parser.screen().contents()
        );
    }
    run.first_byte_ms = ms(started, first);
    run.text_ms = b.found_at.map(|at| ms(started, at));
    run.settled_ms = ms(started, last);
    run.startup_bytes = b.bytes;
    run.startup_reads = b.reads;

    // Idle, before typing.
    let before = s.sched()?;
    let b = s.collect(IDLE)?;
    let after = s.sched()?;
    run.idle_bytes = b.bytes;
    run.idle_voluntary = after.voluntary.saturating_sub(before.voluntary);
    run.idle_timeslices = after.timeslices.saturating_sub(before.timeslices);
    run.idle_cpu_ms = after.cpu_ns.saturating_sub(before.cpu_ns) as f64 / 1e6;

    // Resize on the screen as it started: the first frames at each size are the measure.
    let resize = resize_there_and_back(&mut s, quiet)?;
    run.grow_bytes = resize.grow_bytes;
    run.grow_ms = resize.grow_ms;
    run.back_bytes = resize.back_bytes;
    run.back_ms = resize.back_ms;
    run.screen_back_ok = resize.same_screen;

    // Typing, one character at a time.
    let typed: String = TEXT.chars().cycle().take(args.keys).collect();
    for c in typed.chars() {
        let before = s.sched()?;
        let sent = Instant::now();
        let mut buf = [0u8; 4];
        s.send(c.encode_utf8(&mut buf).as_bytes())?;
        let b = s.pump(sent, KEY_TIMEOUT, quiet, None, KEY_TIMEOUT + quiet)?;
        let after = s.sched()?;
        match b.last {
            Some(last) => run.key_latency_ms.push(ms(sent, last)),
            None => run.no_response += 1,
        }
        run.key_bytes.push(b.bytes);
        run.key_reads.push(b.reads);
        run.key_cpu_us
            .push(after.cpu_ns.saturating_sub(before.cpu_ns) as f64 / 1e3);
        if s.closed {
            bail!("the program ended while typing");
        }
    }
    let tail = typed.trim_end();
    let tail = &tail[tail.len().saturating_sub(8)..];
    run.echo_ok = s.on_screen(tail);

    // Idle again, after typing: the draft is saved a second after the typing (once, and
    // says so); the window starts after that.
    s.collect(DRAFT_SAVED)?;
    let before = s.sched()?;
    let b = s.collect(IDLE)?;
    let after = s.sched()?;
    run.idle_after_bytes = b.bytes;
    run.idle_after_voluntary = after.voluntary.saturating_sub(before.voluntary);

    let typed_resize = resize_there_and_back(&mut s, quiet)?;
    run.typed_grow_bytes = typed_resize.grow_bytes;
    run.typed_back_bytes = typed_resize.back_bytes;

    // Memory.
    run.hwm_kb = s.status_field("VmHWM")?;
    run.threads = s.status_field("Threads")?;

    // Quit.
    let mark = s.output.len();
    let sent = Instant::now();
    s.send(&target.quit)?;
    run.exit_code = s.wait_exit(QUIT_TIMEOUT)?;
    run.quit_ms = s.exited_at.map(|at| ms(sent, at));
    let tail = &s.output[mark..];
    run.left_alt_screen = contains(tail, b"\x1b[?1049l");
    run.cursor_shown = contains(tail, b"\x1b[?25h") || !s.parser.screen().hide_cursor();
    Ok(run)
}

/// What growing the window to 100x30 and shrinking it back cost.
struct Resize {
    grow_bytes: usize,
    grow_ms: Option<f64>,
    back_bytes: usize,
    back_ms: Option<f64>,
    /// Whether the screen after is the screen before.
    same_screen: bool,
}

fn resize_there_and_back(s: &mut Session, quiet: Duration) -> Result<Resize> {
    let before = s.parser.screen().contents();
    let at = s.resize(GROWN.0, GROWN.1)?;
    let grow = s.pump(at, KEY_TIMEOUT, quiet, None, KEY_TIMEOUT + quiet)?;
    let grow_at = at;
    let at = s.resize(COLS, ROWS)?;
    let back = s.pump(at, KEY_TIMEOUT, quiet, None, KEY_TIMEOUT + quiet)?;
    Ok(Resize {
        grow_bytes: grow.bytes,
        grow_ms: grow.last.map(|last| ms(grow_at, last)),
        back_bytes: back.bytes,
        back_ms: back.last.map(|last| ms(at, last)),
        same_screen: s.parser.screen().contents() == before,
    })
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

impl Run {
    fn summary(&self) -> String {
        format!(
            "startup {:.1} ms, {} B; idle {} B / {} wake-ups; key mean {:.2} B, p50 latency {:.2} ms; resize {} / {} B; VmHWM {} kB; exit {:?}",
            self.settled_ms,
            self.startup_bytes,
            self.idle_bytes,
            self.idle_voluntary,
            mean_usize(&self.key_bytes),
            percentile(&self.key_latency_ms, 50.0).unwrap_or(f64::NAN),
            self.grow_bytes,
            self.back_bytes,
            self.hwm_kb,
            self.exit_code,
        )
    }
}

// ---------------------------------------------------------------- the table

fn mean_usize(xs: &[usize]) -> f64 {
    if xs.is_empty() {
        return f64::NAN;
    }
    xs.iter().sum::<usize>() as f64 / xs.len() as f64
}

fn mean(xs: &[f64]) -> f64 {
    if xs.is_empty() {
        return f64::NAN;
    }
    xs.iter().sum::<f64>() / xs.len() as f64
}

/// The nearest-rank percentile, as the harness computes it.
fn percentile(xs: &[f64], p: f64) -> Option<f64> {
    let mut sorted: Vec<f64> = xs.iter().copied().filter(|x| x.is_finite()).collect();
    if sorted.is_empty() {
        return None;
    }
    sorted.sort_by(f64::total_cmp);
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    Some(sorted[rank.saturating_sub(1).min(sorted.len() - 1)])
}

fn fmt(x: f64) -> String {
    if !x.is_finite() {
        "-".into()
    } else if x.abs() >= 100.0 || x.fract() == 0.0 {
        format!("{x:.0}")
    } else if x.abs() >= 10.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.2}")
    }
}

/// "median [min–max]" over runs, or the one value.
fn cell(values: &[f64]) -> String {
    let finite: Vec<f64> = values.iter().copied().filter(|x| x.is_finite()).collect();
    match finite.len() {
        0 => "-".into(),
        1 => fmt(finite[0]),
        _ => {
            let mid = percentile(&finite, 50.0).unwrap_or(f64::NAN);
            let lo = finite.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = finite.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            format!("{} [{}–{}]", fmt(mid), fmt(lo), fmt(hi))
        }
    }
}

type Metric = (&'static str, fn(&Run) -> f64);

fn metrics() -> Vec<Metric> {
    vec![
        ("startup: first byte, ms", |r| r.first_byte_ms),
        ("startup: text on screen, ms", |r| {
            r.text_ms.unwrap_or(f64::NAN)
        }),
        ("startup: settled, ms", |r| r.settled_ms),
        ("startup: bytes (one full frame at 80x24)", |r| {
            r.startup_bytes as f64
        }),
        ("startup: reads", |r| r.startup_reads as f64),
        ("idle 2 s: bytes", |r| r.idle_bytes as f64),
        ("idle 2 s: wake-ups (voluntary switches)", |r| {
            r.idle_voluntary as f64
        }),
        ("idle 2 s: times scheduled (schedstat)", |r| {
            r.idle_timeslices as f64
        }),
        ("idle 2 s: CPU, ms", |r| r.idle_cpu_ms),
        ("idle 2 s after typing: bytes", |r| {
            r.idle_after_bytes as f64
        }),
        ("idle 2 s after typing: wake-ups", |r| {
            r.idle_after_voluntary as f64
        }),
        ("typing: bytes per character, mean", |r| {
            mean_usize(&r.key_bytes)
        }),
        ("typing: bytes per character, p50", |r| {
            percentile(
                &r.key_bytes.iter().map(|&b| b as f64).collect::<Vec<_>>(),
                50.0,
            )
            .unwrap_or(f64::NAN)
        }),
        ("typing: bytes per character, max", |r| {
            r.key_bytes
                .iter()
                .copied()
                .max()
                .map_or(f64::NAN, |b| b as f64)
        }),
        ("typing: reads per character, mean", |r| {
            mean_usize(&r.key_reads)
        }),
        ("typing: latency p50, ms", |r| {
            percentile(&r.key_latency_ms, 50.0).unwrap_or(f64::NAN)
        }),
        ("typing: latency p95, ms", |r| {
            percentile(&r.key_latency_ms, 95.0).unwrap_or(f64::NAN)
        }),
        ("typing: CPU per character p50, µs", |r| {
            percentile(&r.key_cpu_us, 50.0).unwrap_or(f64::NAN)
        }),
        ("typing: CPU per character mean, µs", |r| {
            mean(&r.key_cpu_us)
        }),
        ("typing: characters with no output", |r| {
            r.no_response as f64
        }),
        ("resize to 100x30 (screen as started): bytes", |r| {
            r.grow_bytes as f64
        }),
        ("one full frame at 100x30 (fresh start): bytes", |r| {
            r.full_frame_grown_bytes as f64
        }),
        ("resize to 100x30: ms", |r| r.grow_ms.unwrap_or(f64::NAN)),
        ("resize back to 80x24: bytes", |r| r.back_bytes as f64),
        ("resize back to 80x24: ms", |r| {
            r.back_ms.unwrap_or(f64::NAN)
        }),
        ("after typing: resize to 100x30, bytes", |r| {
            r.typed_grow_bytes as f64
        }),
        ("after typing: resize back to 80x24, bytes", |r| {
            r.typed_back_bytes as f64
        }),
        ("peak memory (VmHWM), kB", |r| r.hwm_kb as f64),
        ("threads", |r| r.threads as f64),
        ("quit: ms from the key to exit (polled every 5 ms)", |r| {
            r.quit_ms.unwrap_or(f64::NAN)
        }),
        ("quit: exit code", |r| {
            r.exit_code.map_or(f64::NAN, f64::from)
        }),
    ]
}

fn print_table(targets: &[Target], results: &[(String, Run)], args: &Args) {
    let by_name: BTreeMap<&str, Vec<&Run>> = targets
        .iter()
        .map(|t| {
            let runs = results
                .iter()
                .filter(|(name, _)| *name == t.name)
                .map(|(_, r)| r)
                .collect();
            (t.name.as_str(), runs)
        })
        .collect();
    println!();
    println!(
        "Wire at {COLS}x{ROWS}, {} characters typed, {} run(s) each, interleaved; demo database with {} extra rows; median [min–max] of runs.",
        args.keys, args.runs, args.rows
    );
    println!();
    let mut head = String::from("| metric |");
    let mut rule = String::from("|---|");
    for t in targets {
        head.push_str(&format!(" {} |", t.name));
        rule.push_str("---:|");
    }
    println!("{head}");
    println!("{rule}");
    for (label, get) in metrics() {
        let mut line = format!("| {label} |");
        for t in targets {
            let values: Vec<f64> = by_name[t.name.as_str()].iter().map(|r| get(r)).collect();
            line.push_str(&format!(" {} |", cell(&values)));
        }
        println!("{line}");
    }
    let mut checks =
        String::from("| echo seen / screen same after resize / alt screen left / cursor shown |");
    for t in targets {
        let runs = &by_name[t.name.as_str()];
        let count = |f: fn(&Run) -> bool| runs.iter().filter(|r| f(r)).count();
        checks.push_str(&format!(
            " {}/{n} · {}/{n} · {}/{n} · {}/{n} |",
            count(|r| r.echo_ok),
            count(|r| r.screen_back_ok),
            count(|r| r.left_alt_screen),
            count(|r| r.cursor_shown),
            n = runs.len()
        ));
    }
    println!("{checks}");

    // The performance budgets for dhr, against the baseline where one is measured.
    let Some(dhr) = by_name.get("dhr") else {
        return;
    };
    let median = |runs: &[&Run], f: fn(&Run) -> f64| {
        percentile(&runs.iter().map(|r| f(r)).collect::<Vec<_>>(), 50.0).unwrap_or(f64::NAN)
    };
    println!();
    println!("Budgets, dhr, medians of runs:");
    let bytes_per_key = median(dhr, |r| mean_usize(&r.key_bytes));
    verdict(
        bytes_per_key <= 4.0,
        &format!(
            "bytes per typed character {} on average (at most 4)",
            fmt(bytes_per_key)
        ),
    );
    let idle = median(dhr, |r| r.idle_bytes as f64);
    let wakeups = median(dhr, |r| r.idle_voluntary as f64) / IDLE.as_secs_f64();
    verdict(idle == 0.0, &format!("idle bytes {} in 2 s (0)", fmt(idle)));
    verdict(
        wakeups == 0.0,
        &format!(
            "idle wake-ups {} in 2 s (0)",
            fmt(wakeups * IDLE.as_secs_f64())
        ),
    );
    let after = median(dhr, |r| r.idle_after_voluntary as f64);
    verdict(
        after == 0.0,
        &format!("idle wake-ups after typing {} in 2 s (0)", fmt(after)),
    );
    let full = median(dhr, |r| r.startup_bytes as f64);
    let back = median(dhr, |r| r.back_bytes as f64);
    let grown_full = median(dhr, |r| r.full_frame_grown_bytes as f64);
    let grow = median(dhr, |r| r.grow_bytes as f64);
    verdict(
        back <= full && grow <= grown_full,
        &format!(
            "resize redraw {} B to 100x30 (full frame {} B), {} B back to 80x24 (full frame {} B)",
            fmt(grow),
            fmt(grown_full),
            fmt(back),
            fmt(full)
        ),
    );
    let hwm = median(dhr, |r| r.hwm_kb as f64);
    verdict(
        hwm <= 50.0 * 1024.0,
        &format!("peak memory {} MB (a few tens at most)", fmt(hwm / 1024.0)),
    );
    if let Some(base) = by_name.get("baseline") {
        let ours = median(dhr, |r| r.settled_ms);
        let theirs = median(base, |r| r.settled_ms);
        verdict(
            ours <= 2.0 * theirs,
            &format!(
                "startup to first frame settled {} ms against the baseline's {} ms: {}x (at most 2x)",
                fmt(ours),
                fmt(theirs),
                fmt(ours / theirs)
            ),
        );
        let ours = median(dhr, |r| r.text_ms.unwrap_or(f64::NAN));
        let theirs = median(base, |r| r.text_ms.unwrap_or(f64::NAN));
        println!(
            "  (to the expected text: {} ms against {} ms, {}x; first byte {} ms against {} ms)",
            fmt(ours),
            fmt(theirs),
            fmt(ours / theirs),
            fmt(median(dhr, |r| r.first_byte_ms)),
            fmt(median(base, |r| r.first_byte_ms)),
        );
    }
}

fn verdict(met: bool, text: &str) {
    println!("  {} {text}", if met { "met   " } else { "MISSED" });
}
