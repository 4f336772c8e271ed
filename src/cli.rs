//! The command line: argument parsing and dispatch. Exit status 0 on success,
//! 1 for a failure at run time, 2 for bad usage or bad input; errors on stderr.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

use crate::app::App;
use crate::domain::clock::{ClockState, statutory_clock};
use crate::export::{Export, ExportError, ExportFormat, ExportKind, ExportOptions};
use crate::import::{ImportError, ImportOptions, import_chronology};
use crate::store::witness::{Standing, Witnesses};
use crate::store::{OpenMode, Store, StoreError};
use crate::time::{Clock, SystemClock};
use crate::tui::detect::{self, ColourChoice};
use crate::ui::safe;

#[derive(Debug, Parser)]
#[command(
    name = "dhr",
    version,
    disable_version_flag = true,
    about = "DHR Panel: a terminal workspace for Domestic Homicide Review panels",
    after_help = "Without a subcommand, opens the workspace. The database is --db, else DHR_DB, else the user's data folder."
)]
pub struct Cli {
    /// The database file.
    #[arg(long, global = true, env = "DHR_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Open the workspace on this case.
    #[arg(long, value_name = "REF")]
    pub case: Option<String>,
    /// Open the workspace without the ability to change anything (a reading seat).
    #[arg(long)]
    pub read_only: bool,
    /// Draw borders and markers in plain ASCII and other characters as `?` (the default
    /// where the locale is not UTF-8).
    #[arg(long, global = true, conflicts_with = "unicode")]
    pub ascii: bool,
    /// Draw Unicode borders and text even where the locale is not UTF-8.
    #[arg(long, global = true)]
    pub unicode: bool,
    /// Colours: auto (from NO_COLOR and the terminal's TERM), always or never; the flag
    /// wins over both.
    #[arg(
        long,
        global = true,
        value_enum,
        default_value_t,
        value_name = "WHEN",
        alias = "colour"
    )]
    pub color: ColourChoice,
    /// Cover the workspace after this many minutes without a key or a paste, leaving
    /// only the protective marking and "Press any key" (0: never).
    #[arg(long, global = true, env = "DHR_LOCK_AFTER", value_name = "MINUTES",
          default_value_t = 10, value_parser = clap::value_parser!(u64).range(0..=MAX_LOCK_AFTER))]
    pub lock_after: u64,
    /// Print the version, the commit it was built from, SQLite, the database schema it
    /// writes, and how the database's changes are noticed (watched, or polled on a network
    /// file system).
    #[arg(short = 'V', long)]
    pub version: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The longest `--lock-after`: a week, in minutes.
const MAX_LOCK_AFTER: u64 = 7 * 24 * 60;

/// How long the workspace waits before covering the screen: `--lock-after` minutes (0:
/// never). For tests only, `DHR_LOCK_AFTER_SECS` gives it in seconds instead, since a
/// test cannot wait minutes.
fn lock_after(minutes: u64) -> Option<std::time::Duration> {
    let secs = std::env::var("DHR_LOCK_AFTER_SECS")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .unwrap_or(minutes.saturating_mul(60));
    (secs > 0).then(|| std::time::Duration::from_secs(secs))
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Add the fictional demo cases DEMO-1 and DEMO-2.
    Demo {
        /// Extra synthetic chronology rows, for measuring at scale (at most 1,000,000).
        #[arg(long, default_value_t = 0, value_name = "N",
              value_parser = clap::value_parser!(u64).range(0..=MAX_DEMO_ROWS))]
        rows: u64,
    },
    /// List cases: reference, stage, next due date, days left.
    Cases,
    /// Check integrity, the schema version and the audit trail: its chain, the rows
    /// against it, the append-only triggers, approved minutes against their
    /// fingerprints, and the chain against the witnesses kept outside the database.
    Check {
        /// A chain length and head printed on an export or a backup ("612:3fa9c2d1e0b4",
        /// 12 to 64 hex characters): the database must still hold that chain (repeat
        /// for more).
        #[arg(long, value_name = "N:HASH")]
        witness: Vec<String>,
    },
    /// Write a consistent copy of the database to FILE while others use it.
    Backup {
        /// The new file (it must not exist).
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Put a backup back in place of the database, keeping the replaced database beside
    /// it; asks for "yes" first.
    Restore {
        /// The backup (made with `dhr backup`).
        #[arg(value_name = "BACKUP")]
        backup: PathBuf,
        /// Do not ask: the answer is yes.
        #[arg(long)]
        yes: bool,
    },
    /// Open straight into a meeting's minuting view, the input ready for typing.
    Minute {
        /// The case.
        #[arg(long, value_name = "REF")]
        case: String,
        /// The meeting's number within the case.
        #[arg(long, value_name = "N")]
        meeting: i64,
    },
    /// Import a file into a case.
    Import {
        #[command(subcommand)]
        what: ImportWhat,
    },
    /// Export minutes, the pre-meeting pack, the whole case or the action log as Markdown
    /// or Word (to stdout, or to a file with -o; Word is taken from an -o ending in
    /// .docx); each export is recorded in the case's export register.
    Export {
        #[command(subcommand)]
        what: ExportWhat,
    },
    /// The publication check's decisions: list them, record one, or withdraw one.
    Publication {
        #[command(subcommand)]
        what: PublicationWhat,
    },
    /// Write the manual page or a shell's completions to stdout (for packaging; the
    /// release script runs it).
    #[command(hide = true)]
    Generate {
        #[command(subcommand)]
        what: GenerateWhat,
    },
}

/// What `dhr publication` does.
#[derive(Debug, Subcommand)]
pub enum PublicationWhat {
    /// The decisions recorded for a case.
    List {
        /// The case.
        #[arg(long, value_name = "REF")]
        case: String,
    },
    /// Record a decision on a finding (its text as the report shows it) or on every
    /// finding of a kind: keep, generalise --as TEXT, or remove (leaves "[removed]").
    Decide {
        /// The case.
        #[arg(long, value_name = "REF")]
        case: String,
        /// The finding's text, exactly as the report shows it.
        #[arg(
            long,
            value_name = "TEXT",
            required_unless_present = "kind",
            conflicts_with = "kind"
        )]
        text: Option<String>,
        /// Every finding of this kind: reference, nhs, ni, dob, address, postcode, phone,
        /// email, place, time, like-name.
        #[arg(long, value_name = "KIND")]
        kind: Option<String>,
        /// keep, generalise or remove.
        #[arg(value_name = "DECISION")]
        decision: String,
        /// What a generalised finding becomes.
        #[arg(long = "as", value_name = "TEXT")]
        replacement: Option<String>,
    },
    /// Withdraw a decision: its findings are asked about again.
    Forget {
        /// The case.
        #[arg(long, value_name = "REF")]
        case: String,
        /// The finding's text the decision is for.
        #[arg(
            long,
            value_name = "TEXT",
            required_unless_present = "kind",
            conflicts_with = "kind"
        )]
        text: Option<String>,
        /// The kind the decision is for.
        #[arg(long, value_name = "KIND")]
        kind: Option<String>,
    },
}

/// What `dhr export` writes. The protective marking is the first and last line.
#[derive(Debug, Subcommand)]
pub enum ExportWhat {
    /// The minutes of a meeting: DRAFT until approved; approved minutes carry their
    /// fingerprint, checked again now.
    Minutes {
        /// The case.
        #[arg(long, value_name = "REF")]
        case: String,
        /// The meeting's number within the case.
        #[arg(long, value_name = "N")]
        meeting: i64,
        /// Show the time each paragraph of the minutes was minuted.
        #[arg(long)]
        times: bool,
        #[command(flatten)]
        anonymity: Anonymity,
        #[command(flatten)]
        output: Output,
    },
    /// The pre-meeting pack: agenda, previous minutes, open actions and challenges,
    /// overdue returns and the statutory clock.
    Agenda {
        /// The case.
        #[arg(long, value_name = "REF")]
        case: String,
        /// The meeting's number within the case.
        #[arg(long, value_name = "N")]
        meeting: i64,
        #[command(flatten)]
        output: Output,
    },
    /// The whole review: summary, terms of reference, returns, chronology, logs, actions
    /// and the action plan.
    Case {
        /// The case.
        #[arg(long, value_name = "REF")]
        case: String,
        #[command(flatten)]
        anonymity: Anonymity,
        /// Keep the "Case characteristics" section in an anonymised pack (left out unless
        /// asked; the panel's pack always has it).
        #[arg(long)]
        with_characteristics: bool,
        #[command(flatten)]
        output: Output,
    },
    /// The decision record: whether to hold a review, the criteria considered, the
    /// reasons, who decided and when, the Home Office notified (or "not yet") and its
    /// reply (for the panel and the Home Office: no anonymised form).
    Decision {
        /// The case.
        #[arg(long, value_name = "REF")]
        case: String,
        #[command(flatten)]
        output: Output,
    },
    /// The action log per agency, to send after a meeting: each agency's open actions
    /// and open challenges with their due dates (for the panel: no anonymised form).
    Actions {
        /// The case.
        #[arg(long, value_name = "REF")]
        case: String,
        #[command(flatten)]
        scope: ActionLogScope,
        #[command(flatten)]
        output: Output,
    },
}

/// `--anonymise` and its `--allow` words.
#[derive(Debug, clap::Args)]
pub struct Anonymity {
    /// Replace real names by pseudonyms and other people by role and agency; refuse to
    /// write anything if a name the case knows is still there.
    #[arg(long, alias = "anonymize")]
    anonymise: bool,
    /// Accept a word the leak scan flags that is not a name, as it appears in the text
    /// (repeat for more words).
    #[arg(long, value_name = "WORD")]
    allow: Vec<String>,
    /// Anonymise and run the publication check: system references, NHS and National
    /// Insurance numbers, dates of birth, addresses, postcodes, phone numbers, e-mail
    /// addresses, places and exact times; nothing is written while a finding has no
    /// decision (`dhr publication decide`).
    #[arg(long)]
    publication: bool,
}

/// Which agency's action log.
#[derive(Debug, clap::Args)]
pub struct ActionLogScope {
    /// Only what was raised at this meeting (its number within the case).
    #[arg(long, value_name = "N")]
    meeting: Option<i64>,
    /// Only this agency (its short code, as the Agencies pane shows it).
    #[arg(long, value_name = "CODE")]
    agency: Option<String>,
}

/// Where an export goes, and as what: every `dhr export` subcommand flattens it.
#[derive(Debug, clap::Args)]
pub struct Output {
    /// Write to this file (atomically, readable by no other user) instead of stdout.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    file: Option<PathBuf>,
    /// The file's format: md (Markdown) or docx (Word). Without it, the ending of FILE
    /// says (.docx is Word), else Markdown. Word is not written to a terminal.
    #[arg(long, value_name = "FORMAT")]
    format: Option<FormatArg>,
    /// Replace FILE if it exists (a regular file only: never a database, a device or a
    /// folder).
    #[arg(long, requires = "file")]
    force: bool,
}

/// `--format`'s values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum FormatArg {
    /// Markdown.
    Md,
    /// Word.
    Docx,
}

impl From<FormatArg> for ExportFormat {
    fn from(f: FormatArg) -> ExportFormat {
        match f {
            FormatArg::Md => ExportFormat::Markdown,
            FormatArg::Docx => ExportFormat::Word,
        }
    }
}

impl Output {
    /// The format to write: --format, else FILE's ending, else Markdown. A --format that
    /// FILE's ending contradicts, or Word for a terminal, is bad usage (exit 2).
    fn format(&self) -> Result<ExportFormat, Failure> {
        export_format(
            self.format.map(ExportFormat::from),
            self.file.as_deref(),
            std::io::stdout().is_terminal(),
        )
    }

    /// Writes a finished export where it was asked to go: the file (atomically,
    /// privately) or stdout. Returns the name the export register keeps for it.
    fn deliver(&self, export: &Export) -> Result<String, Failure> {
        match &self.file {
            Some(path) => {
                let written = crate::export::write_export(path, &export.bytes, self.force)?;
                for n in &written.notes {
                    note(n);
                }
                outln(&format!("Wrote {}", safe(&path.display().to_string())))?;
                Ok(crate::export::registered_name(path))
            }
            None => {
                out_bytes(&export.bytes)?;
                Ok(crate::export::STANDARD_OUTPUT.to_string())
            }
        }
    }
}

/// The decision behind [`Output::format`], apart from the terminal so it can be tested.
fn export_format(
    given: Option<ExportFormat>,
    file: Option<&std::path::Path>,
    stdout_is_terminal: bool,
) -> Result<ExportFormat, Failure> {
    let from_file = file.and_then(ExportFormat::of_path);
    if let (Some(given), Some(from_file), Some(file)) = (given, from_file, file)
        && given != from_file
    {
        return Err(Failure {
            code: 2,
            message: format!(
                "--format {} does not match the file {}, whose ending says {}: give one of them, or make them agree",
                given.extension(),
                safe(&file.display().to_string()),
                from_file.label()
            ),
        });
    }
    let format = given.or(from_file).unwrap_or_default();
    if format == ExportFormat::Word && file.is_none() && stdout_is_terminal {
        return Err(Failure {
            code: 2,
            message: "a Word file is not shown on a terminal: give -o FILE.docx, or redirect the output to a file".to_string(),
        });
    }
    Ok(format)
}

/// What `dhr import` reads.
#[derive(Debug, Subcommand)]
pub enum ImportWhat {
    /// Import an agency's chronology (a CSV file) into a case.
    ///
    /// The file may be UTF-8 or Windows-1252; columns are found by their headers. Bad
    /// rows are listed by line and column and, unless --skip-invalid, nothing is
    /// imported. Rows imported before are recognised and not added again.
    Chronology {
        /// The CSV file.
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// The case to import into.
        #[arg(long, value_name = "REF")]
        case: String,
        /// Every row belongs to this agency (name or short code); without it the file
        /// needs an agency column.
        #[arg(long, value_name = "NAME")]
        agency: Option<String>,
        /// Import the good rows even when some are bad (the bad ones are still listed).
        #[arg(long)]
        skip_invalid: bool,
        /// Check the file and report, writing nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

/// A failure with its exit status.
#[derive(Debug)]
pub struct Failure {
    pub code: i32,
    pub message: String,
}

impl From<StoreError> for Failure {
    fn from(e: StoreError) -> Failure {
        Failure {
            code: if e.is_bad_input() { 2 } else { 1 },
            message: e.to_string(),
        }
    }
}

impl From<ImportError> for Failure {
    fn from(e: ImportError) -> Failure {
        Failure {
            code: if e.is_bad_input() { 2 } else { 1 },
            message: e.to_string(),
        }
    }
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Failure {
        Failure {
            code: 1,
            message: format!("{e:#}"),
        }
    }
}

/// The default database: `dhr.sqlite3` in the user's data folder.
pub fn default_db() -> Result<PathBuf, Failure> {
    directories::ProjectDirs::from("", "", "dhr-panel")
        .map(|dirs| dirs.data_dir().join("dhr.sqlite3"))
        .ok_or_else(|| Failure {
            code: 2,
            message: "cannot find your home folder for the default database: give --db PATH or set DHR_DB".into(),
        })
}

/// The most synthetic rows `dhr demo --rows` adds.
pub const MAX_DEMO_ROWS: u64 = 1_000_000;

/// Set once standard output has been closed by its reader: the rest of the output is
/// dropped and the command finishes with the status its work earned.
static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);

/// Writes `text` to standard output. A closed pipe (`dhr check | head -c 1`) is the end
/// of the output, never a failure; any other error writing it is.
fn out(text: &str) -> Result<(), Failure> {
    out_bytes(text.as_bytes())
}

/// [`out`] for bytes that need not be text (a Word file to a pipe).
fn out_bytes(bytes: &[u8]) -> Result<(), Failure> {
    if STDOUT_CLOSED.load(Ordering::Relaxed) {
        return Ok(());
    }
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            STDOUT_CLOSED.store(true, Ordering::Relaxed);
            Ok(())
        }
        Err(e) => Err(Failure {
            code: 1,
            message: format!("writing to standard output failed: {e}"),
        }),
    }
}

/// [`out`] with a line break.
fn outln(text: &str) -> Result<(), Failure> {
    out(&format!("{text}\n"))
}

/// A line on stderr (notes, never the output itself); a closed stderr is ignored.
fn note(text: &str) {
    let _ = writeln!(std::io::stderr(), "dhr: {}", safe(text));
}

/// For commands that write files: SIGINT, SIGTERM and SIGHUP remove the temporary file
/// being written (so an interrupted export or backup leaves nothing) and end the process
/// with 128 + the signal, as a shell expects.
fn tidy_up_on_signals() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    if let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) {
        std::thread::spawn(move || {
            if let Some(signal) = signals.forever().next() {
                crate::store::files::remove_pending();
                let _ = writeln!(
                    std::io::stderr(),
                    "dhr: stopped by signal {signal}; the file being written was removed"
                );
                std::process::exit(128 + signal);
            }
        });
    }
}

/// A file-size limit (`ulimit -f`) reached would end the process with SIGXFSZ and leave
/// a partial file; with the signal caught, the write fails with EFBIG and the command
/// says what was and was not written, as for a full disk.
fn survive_file_size_limits() {
    let reached = Arc::new(AtomicBool::new(false));
    let _ = signal_hook::flag::register(signal_hook::consts::SIGXFSZ, reached);
}

/// Parses the arguments, runs, prints any error to stderr and returns the exit status.
pub fn main() -> i32 {
    let cli = match command()
        .try_get_matches()
        .and_then(|matches| Cli::from_arg_matches(&matches))
    {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    if cli.command.is_some() {
        survive_file_size_limits();
    }
    if matches!(
        cli.command,
        Some(Command::Backup { .. } | Command::Export { .. } | Command::Restore { .. })
    ) {
        tidy_up_on_signals();
    }
    match run(cli) {
        Ok(()) => 0,
        Err(failure) => {
            let _ = writeln!(std::io::stderr(), "dhr: {}", safe(&failure.message));
            failure.code
        }
    }
}

fn run(cli: Cli) -> Result<(), Failure> {
    if cli.version {
        return print_version(&cli);
    }
    if let Some(Command::Generate { what }) = &cli.command {
        return generate(what);
    }
    let clock: Arc<dyn Clock> = Arc::new(SystemClock::from_env().map_err(|m| Failure {
        code: 2,
        message: m,
    })?);
    let db = match &cli.db {
        Some(path) => path.clone(),
        None => default_db()?,
    };
    match cli.command {
        None => workspace(&cli, db, clock),
        Some(Command::Demo { rows }) => {
            let mut store = open(&db, OpenMode::Create, clock)?;
            let progress = demo_progress(rows);
            let summary = crate::demo::create_demo(&mut store, rows);
            if let Some(progress) = progress {
                progress.finish();
            }
            let summary = summary?;
            outln(&format!(
                "Added the fictional demo cases {} to {} ({} chronology entries in DEMO-1{}; DEMO-2 is a review at action plan monitoring, after the Home Office QA and publication).",
                crate::demo::demo_references(),
                safe(&db.display().to_string()),
                summary.chronology_entries,
                if summary.synthetic_entries > 0 {
                    format!(", {} of them synthetic", summary.synthetic_entries)
                } else {
                    String::new()
                }
            ))
        }
        Some(Command::Cases) => {
            let store = open(&db, OpenMode::ReadOnly, clock.clone())?;
            out(&cases_table(&store, clock.today())?)
        }
        Some(Command::Minute { ref case, meeting }) => {
            workspace_on(&cli, db, clock, Some((case, meeting)))
        }
        Some(Command::Backup { ref file }) => {
            let store = open(&db, OpenMode::Inspect, clock)?;
            let (copied, notes) = store.backup_to(file)?;
            for n in &notes {
                note(n);
            }
            outln(&format!(
                "Backed up {} to {} ({} pages). Audit trail in the copy: {} rows, head {}. Check it with: dhr check --db {} --witness {}",
                safe(&db.display().to_string()),
                safe(&file.display().to_string()),
                copied.pages,
                copied.chain.rows,
                copied.chain.short(),
                safe(&file.display().to_string()),
                copied.chain.token()
            ))
        }
        Some(Command::Restore { ref backup, yes }) => restore(&db, clock, backup, yes),
        Some(Command::Check { ref witness }) => check(&db, clock, witness),
        Some(Command::Import {
            what:
                ImportWhat::Chronology {
                    file,
                    case,
                    agency,
                    skip_invalid,
                    dry_run,
                },
        }) => {
            let options = ImportOptions {
                agency,
                skip_invalid,
                dry_run,
            };
            import_chronology_file(&db, clock, &file, &case, &options)
        }
        Some(Command::Export { what }) => export(&db, clock, what),
        Some(Command::Publication { what }) => publication(&db, clock, what),
        // Answered before the clock and the database are looked for.
        Some(Command::Generate { .. }) => Ok(()),
    }
}

impl From<ExportError> for Failure {
    fn from(e: ExportError) -> Failure {
        Failure {
            code: if e.is_bad_input() { 2 } else { 1 },
            message: e.to_string(),
        }
    }
}

/// `dhr export`: the Markdown or Word file on stdout or in the file given; warnings,
/// words let through by --allow and a refusal's places on stderr.
fn export(db: &std::path::Path, clock: Arc<dyn Clock>, what: ExportWhat) -> Result<(), Failure> {
    let mut agency_code = None;
    let mut characteristics = false;
    let (reference, kind, anonymity, times, output) = match what {
        ExportWhat::Minutes {
            case,
            meeting,
            times,
            anonymity,
            output,
        } => (
            case,
            ExportKind::Minutes { meeting },
            Some(anonymity),
            times,
            output,
        ),
        ExportWhat::Agenda {
            case,
            meeting,
            output,
        } => (case, ExportKind::Agenda { meeting }, None, false, output),
        ExportWhat::Case {
            case,
            anonymity,
            with_characteristics,
            output,
        } => {
            if with_characteristics && !anonymity.anonymise && !anonymity.publication {
                return Err(Failure {
                    code: 2,
                    message: "--with-characteristics is for an anonymised case pack (the \
                              panel's pack always has them): give --anonymise too"
                        .into(),
                });
            }
            characteristics = with_characteristics;
            (case, ExportKind::Case, Some(anonymity), false, output)
        }
        ExportWhat::Decision { case, output } => (case, ExportKind::Decision, None, false, output),
        ExportWhat::Actions {
            case,
            scope,
            output,
        } => {
            agency_code = scope.agency;
            let kind = ExportKind::Actions {
                meeting: scope.meeting,
                agency: None,
            };
            (case, kind, None, false, output)
        }
    };
    if let Some(a) = &anonymity
        && !a.allow.is_empty()
        && !a.anonymise
        && !a.publication
    {
        return Err(Failure {
            code: 2,
            message: "--allow is for an anonymised export: give --anonymise or --publication too"
                .into(),
        });
    }
    let mut options = anonymity
        .map(|a| ExportOptions {
            anonymise: a.anonymise || a.publication,
            allow: a.allow,
            times: false,
            publication: a.publication,
            characteristics,
        })
        .unwrap_or_default();
    options.times = times;
    let format = output.format()?;
    // The publication check records its decisions in the database: it needs a seat that
    // can write; a read-only one is refused by the export, saying why.
    let mut store = open_for_export(db, clock.clone())?;
    let case = store
        .case_by_reference(&reference)?
        .ok_or_else(|| Failure {
            code: 2,
            message: format!(
                "no case {reference} in {}: run `dhr cases` to see the references",
                db.display()
            ),
        })?;
    let kind = match (kind, agency_code) {
        (ExportKind::Actions { meeting, .. }, Some(code)) => ExportKind::Actions {
            meeting,
            agency: Some(crate::export::agency_by_code(&store, &case, &code)?),
        },
        (kind, _) => kind,
    };
    let mut stderr = std::io::stderr();
    let made = crate::export::export_as(&store, &case, kind, &options, format, &*clock);
    let export = match made {
        Ok(export) => export,
        Err(ExportError::Leaks(leaks)) => {
            for hit in &leaks {
                let _ = writeln!(stderr, "dhr: name found: {}", safe(&hit.describe()));
            }
            return Err(ExportError::Leaks(leaks).into());
        }
        Err(ExportError::Undecided(findings)) => {
            let _ = writeln!(
                stderr,
                "dhr: the publication check found {} with no decision:",
                plural(findings.len(), "finding")
            );
            for (i, f) in findings.iter().enumerate() {
                let _ = writeln!(stderr, "  {}. {}", i + 1, safe(&f.describe()));
            }
            let r = shell_word(&reference);
            let _ = writeln!(
                stderr,
                "dhr: record a decision for each, then export again (the decisions are kept and applied every time):\n  \
                 dhr publication decide --case {r} --text 'TEXT' keep|remove\n  \
                 dhr publication decide --case {r} --text 'TEXT' generalise --as 'WORDS'\n  \
                 dhr publication decide --case {r} --kind KIND keep|remove|generalise --as 'WORDS'   (every finding of a kind)"
            );
            return Err(ExportError::Undecided(findings).into());
        }
        Err(e) => return Err(e.into()),
    };
    for hit in &export.like_names {
        let _ = writeln!(
            stderr,
            "dhr: kept, an ordinary word like a name: {}",
            safe(&hit.describe())
        );
    }
    for hit in &export.allowed {
        let _ = writeln!(
            stderr,
            "dhr: allowed by --allow {}: {}",
            safe(&hit.word),
            safe(&hit.describe())
        );
    }
    for warning in &export.warnings {
        let _ = writeln!(stderr, "dhr: {}", safe(warning));
    }
    let file_name = output.deliver(&export)?;
    register_export(&mut store, &export, &file_name);
    Ok(())
}

/// Records a written export in the register; a failure leaves the export as it is and
/// says so on stderr (a read-only seat already said it on stderr and in the footer).
fn register_export(store: &mut Store, export: &crate::export::Export, file_name: &str) {
    if let Err(e) = crate::export::register(store, export, file_name) {
        note(&format!(
            "the export was written but not recorded in the export register: {e}"
        ));
    }
}

/// The database for an export, which records itself in the register: opened to write
/// when this login may write the file, else read-only (the export is still made and
/// says it is not in the register).
fn open_for_export(db: &std::path::Path, clock: Arc<dyn Clock>) -> Result<Store, Failure> {
    use nix::unistd::{AccessFlags, access};
    if access(db, AccessFlags::W_OK).is_err() {
        return open(db, OpenMode::ReadOnly, clock);
    }
    match Store::open(db, OpenMode::Existing, clock.clone()) {
        Err(StoreError::ReadOnlyFile { .. } | StoreError::Denied { .. }) => {
            open(db, OpenMode::ReadOnly, clock)
        }
        Err(e) => Err(e.into()),
        Ok(mut store) => {
            if let Some(place) = Witnesses::default_place() {
                store.keep_witnesses(place);
            }
            Ok(store)
        }
    }
}

/// `dhr restore BACKUP`: check the backup, ask, put it in place, keep the old one.
fn restore(
    db: &std::path::Path,
    clock: Arc<dyn Clock>,
    backup: &std::path::Path,
    yes: bool,
) -> Result<(), Failure> {
    let shown = |p: &std::path::Path| safe(&p.display().to_string());
    // The database itself is refused before anything is asked.
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(a), Ok(b)) = (std::fs::metadata(db), std::fs::metadata(backup))
            && a.dev() == b.dev()
            && a.ino() == b.ino()
        {
            return Err(Failure {
                code: 2,
                message: format!(
                    "{} is the database itself: give a backup made with `dhr backup`",
                    shown(backup)
                ),
            });
        }
    }
    let facts = crate::store::restore::check_backup(backup, clock.clone())?;
    if !yes {
        let _ = write!(
            std::io::stderr(),
            "dhr: this replaces {} with the backup {} (schema {}, {} audit rows, last change {}).\n\
             The database now in place is kept beside it. Type yes to restore: ",
            shown(db),
            shown(backup),
            facts.schema_version,
            facts.audit_rows,
            facts
                .last_change
                .as_deref()
                .map(safe)
                .unwrap_or_else(|| "none".into())
        );
        let mut answer = String::new();
        let _ = std::io::stdin().read_line(&mut answer);
        if answer.trim() != "yes" {
            return Err(Failure {
                code: 1,
                message: format!(
                    "not restored (the answer was not \"yes\"): {} was not changed",
                    shown(db)
                ),
            });
        }
    }
    let restored = crate::store::restore::restore(db, backup, clock.clone())?;
    // The chain is now the backup's plus the restore's own row: this login's witness of
    // the replaced chain would read as a shortened trail, so the restored chain becomes
    // the witness (the replaced database, kept beside it, keeps its own evidence).
    if let Some(place) = Witnesses::default_place() {
        let _ = place.forget(db);
        if let Ok(store) = Store::open(db, OpenMode::Inspect, clock) {
            let _ = store.record_witness(&place);
        }
    }
    outln(&format!(
        "Restored {} from {}. The database it replaced is kept as {}. The restore is recorded in the audit trail.",
        shown(db),
        shown(backup),
        shown(&restored.kept)
    ))
}

/// The progress of `dhr demo --rows N` on stderr, when stderr is a terminal and the run
/// is long; `None` otherwise.
struct DemoProgress {
    done: Arc<AtomicBool>,
    thread: std::thread::JoinHandle<()>,
}

impl DemoProgress {
    fn finish(self) {
        self.done.store(true, Ordering::Relaxed);
        let _ = self.thread.join();
    }
}

fn demo_progress(rows: u64) -> Option<DemoProgress> {
    if rows < 20_000 || !std::io::stderr().is_terminal() {
        return None;
    }
    let done = Arc::new(AtomicBool::new(false));
    let stop = done.clone();
    let thread = std::thread::spawn(move || {
        let mut shown = false;
        while !stop.load(Ordering::Relaxed) {
            std::thread::sleep(std::time::Duration::from_millis(250));
            let added = crate::demo::SYNTHETIC_ADDED
                .load(Ordering::Relaxed)
                .min(rows);
            let _ = write!(
                std::io::stderr(),
                "\rdhr: adding synthetic rows: {added} of {rows} ({}%)",
                added * 100 / rows
            );
            shown = true;
        }
        if shown {
            let _ = writeln!(std::io::stderr());
        }
    });
    Some(DemoProgress { done, thread })
}

/// `dhr import chronology`: the report on stdout; exit 2 when bad rows stop the import.
fn import_chronology_file(
    db: &std::path::Path,
    clock: Arc<dyn Clock>,
    file: &std::path::Path,
    reference: &str,
    options: &ImportOptions,
) -> Result<(), Failure> {
    let mut store = open(db, OpenMode::Existing, clock.clone())?;
    let case = store.case_by_reference(reference)?.ok_or_else(|| Failure {
        code: 2,
        message: format!(
            "no case {reference} in {}: run `dhr cases` to see the references",
            db.display()
        ),
    })?;
    // Seats waiting for the database name this import as what holds it. The row goes when
    // the import ends; a killed import's row is ignored by the others (its process is gone).
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let _ = store.register_seat(
        crate::store::seats::SeatKind::Import,
        Some(case.id),
        None,
        &name,
    );
    let result = import_chronology(&mut store, case.id, file, options, clock.today());
    let _ = store.unregister_seat();
    let report = match result {
        Ok(report) => report,
        Err(ImportError::Store(StoreError::DiskFull { path, detail })) => {
            return Err(Failure {
                code: 1,
                message: format!(
                    "{detail}: nothing was imported from {} (an import is one transaction, so no row of it was written and {} is as it was). Free some space and import again",
                    safe(&file.display().to_string()),
                    path.display()
                ),
            });
        }
        Err(e) => return Err(e.into()),
    };
    out(&report.summary())?;
    if report.blocked() {
        let bad = report.bad_row_count();
        return Err(Failure {
            code: 2,
            message: format!(
                "{}: {bad} bad row{} (listed above); nothing was {}",
                report.file_name,
                if bad == 1 { "" } else { "s" },
                if report.dry_run {
                    "written, and the import would be refused"
                } else {
                    "imported"
                }
            ),
        });
    }
    Ok(())
}

fn workspace(cli: &Cli, db: PathBuf, clock: Arc<dyn Clock>) -> Result<(), Failure> {
    workspace_on(cli, db, clock, None)
}

/// The workspace, opened on a meeting's minutes when `meeting` is given (`dhr minute`).
fn workspace_on(
    cli: &Cli,
    db: PathBuf,
    clock: Arc<dyn Clock>,
    meeting: Option<(&str, i64)>,
) -> Result<(), Failure> {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        return Err(Failure {
            code: 2,
            message:
                "the workspace needs a terminal; for scripts use a subcommand (see `dhr --help`)"
                    .into(),
        });
    }
    let env = detect::Env::from_process();
    if let Some(message) = detect::screen_refusal(&env) {
        return Err(Failure { code: 2, message });
    }
    // `dhr minute` needs a case that exists, so it never makes a database.
    let mode = match (cli.read_only, meeting) {
        (true, _) => OpenMode::ReadOnly,
        (false, Some(_)) => OpenMode::Existing,
        (false, None) => OpenMode::Create,
    };
    let store = open(&db, mode, clock)?;
    let glyphs = match (cli.ascii, cli.unicode) {
        (true, _) => detect::GlyphChoice::Ascii,
        (false, true) => detect::GlyphChoice::Unicode,
        (false, false) => detect::GlyphChoice::Auto,
    };
    let terminfo = detect::terminfo_colours(&env);
    let options = detect::decide(&env, cli.color, glyphs, terminfo.as_ref()).options(cli.read_only);
    let case = meeting.map(|(case, _)| case).or(cli.case.as_deref());
    let mut app = App::new(store, options, case)?;
    app.lock_after = lock_after(cli.lock_after);
    if let Some((_, number)) = meeting {
        app.open_meeting_number(number)?;
    }
    crate::tui::run(&mut app)?;
    Ok(())
}

/// The `dhr cases` listing, one case a line, in aligned columns.
pub fn cases_table(store: &Store, today: chrono::NaiveDate) -> Result<String, Failure> {
    let cases = store.cases()?;
    if cases.is_empty() {
        return Ok(format!(
            "No cases in {}. Run `dhr demo` to add the demo cases, or open the workspace with `dhr`.\n",
            safe(&store.path().display().to_string())
        ));
    }
    let mut rows = vec![[
        "Ref".to_string(),
        "Kind".into(),
        "Stage".into(),
        "Next due".into(),
        "Days left".into(),
    ]];
    for case in &cases {
        let clock = statutory_clock(&store.clock_facts(case)?, today);
        // A paused review, or one resumed with no new date, has no days to count: its
        // short form says so ("paused (trial) 45d").
        let days = match clock.next_due() {
            Some((_, due)) => (due - today).num_days().to_string(),
            None if matches!(
                clock.state,
                ClockState::Paused { .. } | ClockState::Resumed { .. }
            ) =>
            {
                clock.short_clock()
            }
            None => "-".into(),
        };
        rows.push([
            safe(&case.reference),
            case.kind.to_string(),
            case.stage.to_string(),
            clock.short_due(),
            days,
        ]);
    }
    let widths: Vec<usize> = (0..5)
        .map(|i| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for row in rows {
        let line: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, w)| format!("{cell:<w$}"))
            .collect();
        out.push_str(line.join("  ").trim_end());
        out.push('\n');
    }
    Ok(out)
}

/// Opens the database as every subcommand does, and keeps a witness of its audit chain
/// in this login's data folder when it closes (the end of the session). A database just
/// created where another used to be starts a new witness.
fn open(db: &std::path::Path, mode: OpenMode, clock: Arc<dyn Clock>) -> Result<Store, Failure> {
    let existed = db.exists();
    let mut store = Store::open(db, mode, clock)?;
    if let Some(place) = Witnesses::default_place() {
        if !existed {
            let _ = place.forget(db);
        }
        store.keep_witnesses(place);
    }
    Ok(store)
}

/// "02 Dec 2026 at 14:05" in local time, or the stamp as stored.
fn when(stamp: &str, clock: &dyn Clock) -> String {
    match crate::time::parse_stamp(stamp) {
        Some(at) => clock.to_local(at).format("%d %b %Y at %H:%M").to_string(),
        None => stamp.to_string(),
    }
}

/// A sentence on how the chain stands against a witness of `rows` rows and `head`.
fn standing_words(standing: &Standing, rows: u64, head: &str, seen: &str) -> String {
    let short = head.get(..12).unwrap_or(head);
    match standing {
        Standing::Holds => format!(
            "the audit trail had {rows} rows{seen}, and it still begins with them (head {short})"
        ),
        Standing::Shortened { now } => format!(
            "the audit trail had {rows} rows{seen} — it has {now} now: {} rows were removed outside DHR Panel",
            rows - now
        ),
        Standing::Rewritten { now } => format!(
            "the audit trail had {rows} rows{seen} ending in {short} — row {rows} now hashes to {}: the trail was rewritten outside DHR Panel",
            now.get(..12).unwrap_or(now)
        ),
        Standing::OtherDatabase { now } => format!(
            "this file held the database with id {head}{seen}; it holds {} now: the database was replaced or its id changed outside DHR Panel (if you replaced it on purpose, move the witness file aside)",
            if now.is_empty() {
                "one with no id".to_string()
            } else {
                format!("id {now}")
            }
        ),
    }
}

/// `dhr check`: every check in turn, one line each, then each problem found; exit 1 when
/// any fails. A passing check records a witness of the chain for this login.
fn check(db: &std::path::Path, clock: Arc<dyn Clock>, given: &[String]) -> Result<(), Failure> {
    let tokens = given
        .iter()
        .map(|t| crate::store::witness::parse_token(t))
        .collect::<Result<Vec<_>, String>>()
        .map_err(|message| Failure { code: 2, message })?;
    // Opened as a reader: `check` never writes, never upgrades (it says when one is due).
    let store = Store::open(db, OpenMode::Inspect, clock.clone())?;
    let mut failed = false;
    outln(&format!("Database: {}", safe(&db.display().to_string())))?;
    match store.database_id()? {
        Some(id) => outln(&format!("Database id: {}", safe(&id)))?,
        None => {
            failed = true;
            outln(
                "Database id: MISSING: it was removed outside DHR Panel, so the witnesses kept of this database cannot be matched to it",
            )?;
        }
    }
    let version = store.schema_version()?;
    let latest = crate::store::migrate::latest();
    outln(&format!("Schema version: {version} (this build: {latest})"))?;
    if version < latest {
        outln(&format!(
            "Upgrade: needed (schema {version} to {latest}); check left it as it is. The first writing command (the workspace, an import) upgrades it"
        ))?;
    }
    let integrity = store.integrity()?;
    if integrity.len() == 1 && integrity[0] == "ok" {
        outln("Integrity: ok")?;
    } else {
        failed = true;
        outln("Integrity: FAILED")?;
        for problem in integrity.iter().take(20) {
            outln(&format!("  {}", safe(problem)))?;
        }
    }
    let links = store.verify_audit()?;
    let head = store.audit_head()?;
    if let Some(b) = &links.first_break {
        failed = true;
        outln(&format!(
            "Audit chain links: BROKEN at audit row {}: {}",
            b.audit_id,
            safe(&b.reason)
        ))?;
    }
    let trail = store.check_against_trail()?;
    if trail.triggers.is_empty() {
        outln("Append-only triggers: as created")?;
    } else {
        failed = true;
        outln("Append-only triggers: ALTERED")?;
        for problem in &trail.triggers {
            outln(&format!("  {}", safe(problem)))?;
        }
    }
    if trail.difference_count == 0 {
        outln(&format!(
            "Rows against the trail: all {} rows of {} tables are what the audit trail gives",
            trail.rows, trail.tables
        ))?;
    } else {
        failed = true;
        outln(&format!(
            "Rows against the trail: {} DIFFERENCE{} between the tables and the audit trail",
            trail.difference_count,
            if trail.difference_count == 1 { "" } else { "S" }
        ))?;
        if head.rows == 0 {
            outln(&format!(
                "  the audit trail is EMPTY, yet the tables hold {} rows: every audit row was removed outside DHR Panel",
                trail.rows
            ))?;
        }
        for difference in &trail.differences {
            outln(&format!("  {}", safe(difference)))?;
        }
        if trail.difference_count > trail.differences.len() {
            outln(&format!(
                "  … and {} more",
                trail.difference_count - trail.differences.len()
            ))?;
        }
    }
    if trail.fingerprints.is_empty() {
        outln(&format!(
            "Approved minutes: {} meeting{} match{} the fingerprint stored at approval",
            trail.approved_meetings,
            if trail.approved_meetings == 1 {
                ""
            } else {
                "s"
            },
            if trail.approved_meetings == 1 {
                "es"
            } else {
                ""
            }
        ))?;
    } else {
        failed = true;
        outln("Approved minutes: CHANGED since approval")?;
        for problem in &trail.fingerprints {
            outln(&format!("  {}", safe(problem)))?;
        }
    }
    for (rows, hash) in &tokens {
        let standing = store.standing_against(*rows, hash)?;
        if standing != Standing::Holds {
            failed = true;
        }
        let words = standing_words(
            &standing,
            *rows,
            hash,
            " when the export or backup was made",
        );
        outln(&format!(
            "Witness {rows}:{hash}: {}",
            if standing == Standing::Holds {
                safe(&words)
            } else {
                format!("FAILED: {}", safe(&words))
            }
        ))?;
    }
    let place = Witnesses::default_place();
    let mut unwitnessed = false;
    let mut reported = false;
    let kept = match place.as_ref().map(|p| p.read(db)) {
        Some(Ok(kept)) => kept,
        None => None,
        // A witness folder this login cannot read (HOME pointing at another user's
        // folder, say) is no evidence either way: say so, without failing.
        Some(Err(StoreError::Io { path, source })) => {
            unwitnessed = tokens.is_empty();
            reported = true;
            outln(&format!(
                "Witness of your login: {} cannot be read ({source}), so a rewritten chain cannot be ruled out",
                safe(&path.display().to_string())
            ))?;
            None
        }
        Some(Err(e)) => {
            failed = true;
            reported = true;
            outln(&format!(
                "Witness of your login: FAILED: {}",
                safe(&e.to_string())
            ))?;
            None
        }
    };
    match (&place, &kept) {
        (Some(_), None) if reported => {}
        (None, _) => {
            unwitnessed = tokens.is_empty();
            outln(&format!(
                "Witness of your login: none can be kept (no home folder to keep it in), so a rewritten chain cannot be ruled out{}",
                if tokens.is_empty() {
                    "; compare with an export's: dhr check --witness N:HASH"
                } else {
                    ""
                }
            ))?;
        }
        (Some(place), None) => {
            unwitnessed = tokens.is_empty();
            outln(&format!(
                "Witness of your login: none yet for this database (kept in {}), so a rewritten chain cannot be ruled out{}",
                safe(&place.folder().display().to_string()),
                if tokens.is_empty() {
                    "; compare with an export's: dhr check --witness N:HASH"
                } else {
                    ""
                }
            ))?;
        }
        (Some(_), Some(witness)) => {
            let standing = store.standing_against_witness(witness)?;
            let seen = format!(" on {}", when(&witness.at, &*clock));
            let words = match &standing {
                Standing::OtherDatabase { .. } => {
                    standing_words(&standing, witness.rows, &witness.database_id, &seen)
                }
                _ => standing_words(&standing, witness.rows, &witness.head, &seen),
            };
            if standing == Standing::Holds {
                outln(&format!("Witness of your login: {}", safe(&words)))?;
            } else {
                failed = true;
                outln(&format!("Witness of your login: FAILED: {}", safe(&words)))?;
                if let Some(place) = &place {
                    outln(&format!(
                        "  (kept in {}; it stays as it is until you move it aside)",
                        safe(&place.file_for(db).display().to_string())
                    ))?;
                }
            }
        }
    }
    if failed {
        outln(&format!(
            "Audit chain: NOT valid ({} rows, head {}): the problems are listed above",
            head.rows,
            head.short()
        ))?;
        return Err(Failure {
            code: 1,
            message: "the check found problems (listed above): keep this file as it is for investigation and restore the database from a backup that passes dhr check"
                .into(),
        });
    }
    outln(&format!(
        "Audit chain: valid ({} rows, head {}){}",
        head.rows,
        head.short(),
        if unwitnessed {
            ", as far as it can be checked without a witness"
        } else {
            ""
        }
    ))?;
    if let Some(place) = &place {
        match store.record_witness(place) {
            Ok(_) => outln(&format!(
                "Witness recorded: {} ({} rows, head {})",
                safe(&place.file_for(db).display().to_string()),
                head.rows,
                head.short()
            ))?,
            Err(e) => outln(&format!("Witness NOT recorded: {}", safe(&e.to_string())))?,
        }
    }
    Ok(())
}

/// "1 finding", "3 findings".
fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// A word as typed in a shell: quoted unless it is plain.
fn shell_word(w: &str) -> String {
    if !w.is_empty()
        && w.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./".contains(c))
    {
        w.to_string()
    } else {
        format!("'{}'", w.replace('\'', "'\\''"))
    }
}

/// `dhr publication list|decide|forget`.
fn publication(
    db: &std::path::Path,
    clock: Arc<dyn Clock>,
    what: PublicationWhat,
) -> Result<(), Failure> {
    use crate::domain::publication::{FindingKind, Scope, Verdict};
    let reference = match &what {
        PublicationWhat::List { case }
        | PublicationWhat::Decide { case, .. }
        | PublicationWhat::Forget { case, .. } => case.clone(),
    };
    let mode = match what {
        PublicationWhat::List { .. } => OpenMode::ReadOnly,
        _ => OpenMode::Existing,
    };
    let mut store = open(db, mode, clock)?;
    let case = store
        .case_by_reference(&reference)?
        .ok_or_else(|| Failure {
            code: 2,
            message: format!(
                "no case {reference} in {}: run `dhr cases` to see the references",
                db.display()
            ),
        })?;
    let scope_of = |text: Option<String>, kind: Option<String>| -> Result<Scope, Failure> {
        match (text, kind) {
            (Some(t), _) => Ok(Scope::Text(t)),
            (None, Some(k)) => FindingKind::from_code(&k)
                .map(Scope::Kind)
                .ok_or_else(|| Failure {
                    code: 2,
                    message: format!(
                        "\"{}\" is not a kind of finding: use one of {}",
                        safe(&k),
                        FindingKind::codes()
                    ),
                }),
            (None, None) => Err(Failure {
                code: 2,
                message: "give --text TEXT or --kind KIND".into(),
            }),
        }
    };
    let describe = |scope: &Scope| match scope {
        Scope::Text(t) => format!("\"{}\"", safe(t)),
        Scope::Kind(k) => format!("every {}", k.label()),
    };
    match what {
        PublicationWhat::List { .. } => {
            let decisions = store.publication_decisions(case.id)?;
            if decisions.is_empty() {
                return outln(&format!(
                    "No publication decisions are recorded for {}.",
                    safe(&case.reference)
                ));
            }
            let mut text = String::new();
            for d in &decisions {
                text.push_str(&format!(
                    "{}: {}\n",
                    describe(&d.scope),
                    safe(&d.verdict.describe())
                ));
            }
            out(&text)
        }
        PublicationWhat::Decide {
            text,
            kind,
            decision,
            replacement,
            ..
        } => {
            let scope = scope_of(text, kind)?;
            let verdict = Verdict::from_parts(&decision, replacement.as_deref().unwrap_or(""))
                .map_err(|m| Failure {
                    code: 2,
                    message: m,
                })?;
            crate::export::check_replacement(&store, &case, verdict.replacement()).map_err(
                |m| Failure {
                    code: 2,
                    message: m,
                },
            )?;
            store.decide_publication(case.id, &scope, &verdict)?;
            outln(&format!(
                "Recorded: {} — {}.",
                describe(&scope),
                safe(&verdict.describe())
            ))
        }
        PublicationWhat::Forget { text, kind, .. } => {
            let scope = scope_of(text, kind)?;
            if store.forget_publication_decision(case.id, &scope)? {
                outln(&format!("Withdrawn: the decision on {}.", describe(&scope)))
            } else {
                Err(Failure {
                    code: 2,
                    message: format!(
                        "no decision on {} is recorded for {}: `dhr publication list --case {}` shows them",
                        describe(&scope),
                        safe(&case.reference),
                        shell_word(&case.reference)
                    ),
                })
            }
        }
    }
}

/// What `dhr generate` writes.
#[derive(Debug, Subcommand)]
pub enum GenerateWhat {
    /// The manual page, in roff (`man -l` reads it).
    Man,
    /// The completion script for a shell.
    Completions {
        #[arg(value_name = "SHELL")]
        shell: clap_complete::Shell,
    },
}

/// What `dhr --version` prints after "dhr ": the version, then one line each for the
/// commit built from, the SQLite built in and the database schema this build writes.
pub fn version_text() -> String {
    let lines = [
        env!("CARGO_PKG_VERSION").to_string(),
        format!("commit {}", env!("DHR_BUILD_COMMIT")),
        format!("SQLite {} (bundled)", rusqlite::version()),
        format!("database schema {}", crate::store::migrate::latest()),
    ];
    lines.join("\n")
}

/// `dhr --version`: [`version_text`], then how the changes to the database (`--db`,
/// `DHR_DB` or the default) are noticed. Nothing is opened or made.
fn print_version(cli: &Cli) -> Result<(), Failure> {
    let watching = match cli.db.clone().map_or_else(default_db, Ok) {
        Ok(db) => format!(
            "{} ({})",
            crate::tui::watch::describe(&db),
            safe(&db.display().to_string())
        ),
        Err(_) => "database changes: no database folder (give --db PATH)".to_string(),
    };
    outln(&format!("dhr {}\n{watching}", version_text()))
}

/// The command line's definition, with the version text of [`version_text`] (for `-V`
/// and `--version` alike).
pub fn command() -> clap::Command {
    static VERSION: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let version: &'static str = VERSION.get_or_init(version_text);
    Cli::command().version(version).long_version(version)
}

/// `dhr generate`: the manual page or a completion script, from [`command`].
fn generate(what: &GenerateWhat) -> Result<(), Failure> {
    let mut text = Vec::new();
    match what {
        GenerateWhat::Man => crate::manual::page(&mut text).map_err(|e| Failure {
            code: 1,
            message: format!("writing the manual page failed: {e}"),
        })?,
        GenerateWhat::Completions { shell } => {
            clap_complete::generate(*shell, &mut command(), "dhr", &mut text)
        }
    }
    out_bytes(&text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn the_export_format_comes_from_the_option_or_the_file_and_word_never_to_a_terminal() {
        let md = ExportFormat::Markdown;
        let word = ExportFormat::Word;
        let docx = Some(Path::new("out/x.docx"));
        assert_eq!(export_format(None, None, true).unwrap(), md);
        assert_eq!(export_format(None, docx, true).unwrap(), word);
        assert_eq!(
            export_format(None, Some(Path::new("x.MD")), false).unwrap(),
            md
        );
        assert_eq!(
            export_format(Some(word), Some(Path::new("x.txt")), true).unwrap(),
            word
        );
        assert_eq!(
            export_format(Some(word), None, false).unwrap(),
            word,
            "a pipe takes it"
        );
        let mismatch = export_format(Some(md), docx, false).unwrap_err();
        assert_eq!(mismatch.code, 2);
        assert!(
            mismatch.message.contains("--format md") && mismatch.message.contains("x.docx"),
            "{}",
            mismatch.message
        );
        let tty = export_format(Some(word), None, true).unwrap_err();
        assert_eq!(tty.code, 2);
        assert!(tty.message.contains("-o FILE.docx"), "{}", tty.message);
    }
}
