//! A seat: one running DHR Panel of one login (its process id, the process's start and the
//! host). Seats own what their login typed but has not yet written (drafts, and lines
//! waiting for a busy database); those live in a private file of the login's data folder,
//! never in the shared database, so saving them disturbs nobody's reads or backups and no
//! other login can ever be handed them. A seat whose process is gone leaves its file; the
//! next seat of the same login on the same database is offered its text back, oldest first.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

/// Who and where a running program is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seat {
    pub login: String,
    pub host: String,
    pub pid: u32,
    /// When the process started, in a form that tells a reused process id apart: the boot
    /// and the start time in clock ticks since boot (Linux), or the time this program first
    /// asked (elsewhere).
    pub started: String,
}

/// Whether a seat's program still runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Liveness {
    Running,
    Gone,
    /// On another host: not known from here.
    Unknown,
}

fn read_trimmed(path: &str) -> Option<String> {
    std::fs::read_to_string(path)
        .ok()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// The host's name (as the kernel has it).
pub fn host_name() -> String {
    read_trimmed("/proc/sys/kernel/hostname")
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "localhost".into())
}

/// The start of process `pid`: the boot's id and field 22 of /proc/PID/stat.
fn process_start(pid: u32) -> Option<String> {
    let boot = read_trimmed("/proc/sys/kernel/random/boot_id")?;
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) is in brackets and may hold spaces: count after it.
    let after = &stat[stat.rfind(')')? + 1..];
    let ticks = after.split_whitespace().nth(19)?;
    Some(format!("{}-{ticks}", boot.get(..8).unwrap_or(&boot)))
}

impl Seat {
    /// This program's seat (the same for the whole run).
    pub fn this() -> &'static Seat {
        static THIS: OnceLock<Seat> = OnceLock::new();
        THIS.get_or_init(|| {
            let pid = std::process::id();
            Seat {
                login: crate::store::login_name(),
                host: host_name(),
                pid,
                started: process_start(pid).unwrap_or_else(|| {
                    format!(
                        "t{}",
                        std::time::SystemTime::now()
                            .duration_since(std::time::UNIX_EPOCH)
                            .map_or(0, |d| d.as_millis())
                    )
                }),
            }
        })
    }

    /// The seat of another running process of this host, as `login` (for tools and
    /// tests that record what another program is doing); `None` if it does not run.
    pub fn of_process(pid: u32, login: &str) -> Option<Seat> {
        Some(Seat {
            login: login.to_string(),
            host: host_name(),
            pid,
            started: process_start(pid)?,
        })
    }

    /// The seat as one word: `login@host/pid/start`.
    pub fn id(&self) -> String {
        format!("{}@{}/{}/{}", self.login, self.host, self.pid, self.started)
    }

    /// Reads a seat back from [`Seat::id`].
    pub fn parse(id: &str) -> Option<Seat> {
        let (login, rest) = id.rsplit_once('@')?;
        let mut parts = rest.rsplitn(3, '/');
        let started = parts.next()?.to_string();
        let pid = parts.next()?.parse().ok()?;
        let host = parts.next()?.to_string();
        Some(Seat {
            login: login.to_string(),
            host,
            pid,
            started,
        })
    }

    /// Whether this seat's program still runs: on this host, from its process id and
    /// start; elsewhere, not known.
    pub fn liveness(&self) -> Liveness {
        if self.host != host_name() {
            return Liveness::Unknown;
        }
        if self == Seat::this() {
            return Liveness::Running;
        }
        match process_start(self.pid) {
            Some(start) => {
                if start == self.started {
                    Liveness::Running
                } else {
                    Liveness::Gone
                }
            }
            None if self.started.starts_with('t') => {
                // No /proc: ask the kernel whether the process id is in use.
                let alive = nix::sys::signal::kill(
                    nix::unistd::Pid::from_raw(self.pid as i32),
                    None::<nix::sys::signal::Signal>,
                );
                if matches!(alive, Ok(()) | Err(nix::errno::Errno::EPERM)) {
                    Liveness::Running
                } else {
                    Liveness::Gone
                }
            }
            None => Liveness::Gone,
        }
    }

    /// "alice" or, for another seat of our own login, "you (another window)".
    pub fn who(&self) -> String {
        if self.login == Seat::this().login {
            if self.host == Seat::this().host {
                "you, in another window".into()
            } else {
                format!("you, on {}", self.host)
            }
        } else {
            self.login.clone()
        }
    }
}

/// A draft: text typed at a place (a meeting's input, a form) and not yet written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    /// Where it was typed: `meeting:ID` or `form:TITLE:KEY`.
    pub place: String,
    /// What it is, in words ("the minutes input of meeting 3").
    pub what: String,
    pub text: String,
    /// When it was saved (UTC, RFC 3339).
    pub saved_at: String,
}

/// A line of minutes Enter was pressed on, not yet written (the database was busy), or
/// refused when its turn came.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitingLine {
    /// Unique over every seat and run: `seat id#n`. The minutes row carries it, so a line
    /// is written once even when a seat is killed between writing it and forgetting it.
    pub key: String,
    pub meeting_id: i64,
    pub item_id: i64,
    pub text: String,
    /// When Enter was pressed (UTC, RFC 3339): the time the line is minuted at.
    pub typed_at: String,
    /// Why it was refused when its turn came, if it was.
    #[serde(default)]
    pub refused: Option<String>,
}

/// What one seat keeps: its drafts and waiting lines on one database.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeatFile {
    pub seat: Option<Seat>,
    /// The database (its canonical path).
    pub database: PathBuf,
    /// The id the database gave itself (`meta`): a new database made at the same path
    /// is another database, and is not offered this one's text ("" in files of versions
    /// before it was kept, which match by path alone).
    #[serde(default)]
    pub database_id: String,
    pub drafts: Vec<Draft>,
    pub waiting: Vec<WaitingLine>,
}

impl SeatFile {
    pub fn is_empty(&self) -> bool {
        self.drafts.iter().all(|d| d.text.trim().is_empty()) && self.waiting.is_empty()
    }
}

/// The folder of the login's seat files.
pub fn drafts_folder() -> PathBuf {
    directories::ProjectDirs::from("", "", "dhr-panel")
        .map(|dirs| dirs.data_dir().join("drafts"))
        .unwrap_or_else(|| std::env::temp_dir().join(format!("dhr-panel-drafts-{}", uid())))
}

fn uid() -> u32 {
    nix::unistd::geteuid().as_raw()
}

/// The database's path as seat files name it (canonical when it can be).
pub fn database_key(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// The seat files of this login, in one private folder.
#[derive(Debug, Clone)]
pub struct SeatFiles {
    folder: PathBuf,
    database: PathBuf,
    database_id: String,
    /// The next number of a waiting line's key.
    next: u64,
}

/// Text a gone seat of this login left at a place, to offer back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeftBehind {
    pub file: PathBuf,
    pub draft: Draft,
}

impl SeatFiles {
    pub fn new(database: &Path) -> SeatFiles {
        SeatFiles::in_folder(drafts_folder(), database)
    }

    pub fn in_folder(folder: PathBuf, database: &Path) -> SeatFiles {
        SeatFiles {
            folder,
            database: database_key(database),
            database_id: String::new(),
            next: 1,
        }
    }

    /// The same files, told the id of the database they are for.
    pub fn with_database_id(mut self, id: &str) -> SeatFiles {
        self.database_id = id.to_string();
        self
    }

    /// Whether a seat file was kept for this database: the same path and, when both
    /// know it, the same database id.
    fn is_ours(&self, f: &SeatFile) -> bool {
        f.database == self.database
            && (f.database_id.is_empty()
                || self.database_id.is_empty()
                || f.database_id == self.database_id)
    }

    pub fn folder(&self) -> &Path {
        &self.folder
    }

    /// The file of a seat.
    fn file_of(&self, seat: &Seat) -> PathBuf {
        let safe = |s: &str| -> String {
            s.chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                .collect()
        };
        // The database in the name too: one program opens one database, but a test
        // process opens many.
        use sha2::Digest;
        let digest = sha2::Sha256::digest(self.database.as_os_str().as_encoded_bytes());
        let database: String = digest.iter().take(4).map(|b| format!("{b:02x}")).collect();
        self.folder.join(format!(
            "seat-{}-{}-{}-{database}.json",
            safe(&seat.host),
            seat.pid,
            safe(&seat.started)
        ))
    }

    /// This seat's file.
    pub fn own_file(&self) -> PathBuf {
        self.file_of(Seat::this())
    }

    /// A new key for a waiting line of this seat.
    pub fn next_key(&mut self) -> String {
        let key = format!("{}#{}", Seat::this().id(), self.next);
        self.next += 1;
        key
    }

    /// Makes the private folder (0700), tightening it if it was open to others.
    fn ensure_folder(&self) -> std::io::Result<()> {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        match std::fs::metadata(&self.folder) {
            Ok(meta) => {
                if meta.permissions().mode() & 0o077 != 0 {
                    std::fs::set_permissions(&self.folder, std::fs::Permissions::from_mode(0o700))?;
                }
                Ok(())
            }
            Err(_) => std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(&self.folder),
        }
    }

    /// Writes this seat's file whole (private, synced, then renamed over the old one), or
    /// removes it when nothing is left in it.
    pub fn save(&self, drafts: &[Draft], waiting: &[WaitingLine]) -> std::io::Result<()> {
        let file = SeatFile {
            seat: Some(Seat::this().clone()),
            database: self.database.clone(),
            database_id: self.database_id.clone(),
            drafts: drafts
                .iter()
                .filter(|d| !d.text.trim().is_empty())
                .cloned()
                .collect(),
            waiting: waiting.to_vec(),
        };
        let path = self.own_file();
        if file.is_empty() {
            return match std::fs::remove_file(&path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
                _ => Ok(()),
            };
        }
        self.ensure_folder()?;
        write_private(&path, &file)
    }

    /// What this seat kept for this database already (a workspace opened again in the
    /// same program).
    pub fn load_own(&self) -> Option<SeatFile> {
        read_own(&self.own_file()).filter(|f| self.is_ours(f))
    }

    /// The seat files of this login for this database whose seats are gone, oldest first.
    fn gone_files(&self) -> Vec<(PathBuf, SeatFile)> {
        let Ok(entries) = std::fs::read_dir(&self.folder) else {
            return Vec::new();
        };
        let own = self.own_file();
        let mut found: Vec<(PathBuf, SeatFile)> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p != &own
                    && p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with("seat-") && n.ends_with(".json"))
            })
            .filter_map(|p| read_own(&p).map(|f| (p, f)))
            .filter(|(_, f)| self.is_ours(f))
            .filter(|(_, f)| {
                f.seat
                    .as_ref()
                    .is_some_and(|s| s.liveness() == Liveness::Gone)
            })
            .collect();
        found.sort_by_key(|(_, f)| oldest(f));
        found
    }

    /// Drafts left at `place` by this login's gone seats, oldest first.
    pub fn left_behind(&self, place: &str) -> Vec<LeftBehind> {
        let mut out: Vec<LeftBehind> = self
            .gone_files()
            .into_iter()
            .flat_map(|(file, f)| {
                f.drafts
                    .into_iter()
                    .filter(|d| d.place == place && !d.text.trim().is_empty())
                    .map(move |draft| LeftBehind {
                        file: file.clone(),
                        draft,
                    })
            })
            .collect();
        out.sort_by(|a, b| a.draft.saved_at.cmp(&b.draft.saved_at));
        out
    }

    /// Lines of meeting `meeting_id` that gone seats of this login had not written, in the
    /// order they were typed.
    pub fn waiting_left_behind(&self, meeting_id: i64) -> Vec<(PathBuf, WaitingLine)> {
        let mut out: Vec<(PathBuf, WaitingLine)> = self
            .gone_files()
            .into_iter()
            .flat_map(|(file, f)| {
                f.waiting
                    .into_iter()
                    .filter(|w| w.meeting_id == meeting_id)
                    .map(move |w| (file.clone(), w))
            })
            .collect();
        out.sort_by(|a, b| a.1.typed_at.cmp(&b.1.typed_at));
        out
    }

    /// Takes a draft or waiting lines out of a gone seat's file once this seat holds them
    /// (its own file written first, so a crash in between loses nothing); the file goes
    /// when nothing is left in it.
    pub fn forget(&self, file: &Path, place: Option<&str>, keys: &[String]) {
        let Some(mut f) = read_own(file) else {
            return;
        };
        if let Some(place) = place {
            f.drafts.retain(|d| d.place != place);
        }
        f.waiting.retain(|w| !keys.contains(&w.key));
        if f.is_empty() {
            let _ = std::fs::remove_file(file);
        } else {
            let _ = write_private(file, &f);
        }
    }
}

/// The earliest time a seat file holds.
fn oldest(f: &SeatFile) -> String {
    f.drafts
        .iter()
        .map(|d| d.saved_at.clone())
        .chain(f.waiting.iter().map(|w| w.typed_at.clone()))
        .min()
        .unwrap_or_default()
}

/// The largest seat file read: far more than anyone types between two saves; a larger
/// one is not this program's and is left alone.
const LARGEST_SEAT_FILE: u64 = 16 * 1024 * 1024;

/// Reads a seat file if it is ours: owned by this login, not open to others, readable.
fn read_own(path: &Path) -> Option<SeatFile> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::symlink_metadata(path).ok()?;
    if !meta.is_file()
        || meta.uid() != uid()
        || meta.mode() & 0o077 != 0
        || meta.len() > LARGEST_SEAT_FILE
    {
        return None;
    }
    let text = std::fs::read_to_string(path).ok()?;
    let file: SeatFile = serde_json::from_str(&text).ok()?;
    // A file naming another login is not this login's, wherever it lies: never offered.
    let login = &Seat::this().login;
    let ours = file.seat.as_ref().is_some_and(|s| &s.login == login)
        && file
            .waiting
            .iter()
            .all(|w| w.key.starts_with(&format!("{login}@")));
    ours.then_some(file)
}

/// Writes `file` as JSON to `path`: a private temporary file, synced, renamed in place.
fn write_private(path: &Path, file: &SeatFile) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let json = serde_json::to_vec_pretty(file).map_err(std::io::Error::other)?;
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(".new");
    let temporary = PathBuf::from(temporary);
    let result = (|| {
        let mut out = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&temporary)?;
        out.write_all(&json)?;
        out.sync_all()?;
        std::fs::rename(&temporary, path)?;
        if let Some(folder) = path.parent()
            && let Ok(dir) = std::fs::File::open(folder)
        {
            let _ = dir.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seat_id_reads_back_and_this_seat_runs() {
        let this = Seat::this();
        assert_eq!(Seat::parse(&this.id()).as_ref(), Some(this));
        assert_eq!(this.liveness(), Liveness::Running);
        let gone = Seat {
            started: format!("{}x", this.started),
            ..this.clone()
        };
        assert_eq!(gone.liveness(), Liveness::Gone);
        let elsewhere = Seat {
            host: format!("{}-elsewhere", this.host),
            ..this.clone()
        };
        assert_eq!(elsewhere.liveness(), Liveness::Unknown);
    }

    #[test]
    fn a_gone_seats_draft_is_offered_back_and_a_running_seats_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("x.db");
        std::fs::write(&db, b"").unwrap();
        let files = SeatFiles::in_folder(dir.path().join("drafts"), &db);
        let draft = |text: &str, at: &str| Draft {
            place: "meeting:3".into(),
            what: "the minutes input of meeting 3".into(),
            text: text.into(),
            saved_at: at.into(),
        };
        files
            .save(&[draft("mine", "2026-01-01T10:00:00Z")], &[])
            .unwrap();
        assert!(
            files.left_behind("meeting:3").is_empty(),
            "a running seat keeps its own"
        );
        // A file of a gone seat of the same login (a reused pid with another start).
        let gone = Seat {
            started: "gone".into(),
            ..Seat::this().clone()
        };
        let file = SeatFile {
            seat: Some(gone.clone()),
            database: database_key(&db),
            database_id: String::new(),
            drafts: vec![
                draft("later", "2026-01-01T09:30:00Z"),
                draft("", "2026-01-01T09:00:00Z"),
            ],
            waiting: Vec::new(),
        };
        let path = files.file_of(&gone);
        write_private(&path, &file).unwrap();
        let back = files.left_behind("meeting:3");
        assert_eq!(back.len(), 1);
        assert_eq!(back[0].draft.text, "later");
        files.forget(&back[0].file, Some("meeting:3"), &[]);
        assert!(!path.exists(), "an emptied file goes");
        // Open to others: not ours to read.
        write_private(&path, &file).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert!(files.left_behind("meeting:3").is_empty());
        // Naming another login (placed in this login's folder): not this login's.
        let theirs = Seat {
            login: format!("{}-other", Seat::this().login),
            ..gone.clone()
        };
        std::fs::remove_file(&path).unwrap();
        write_private(
            &path,
            &SeatFile {
                seat: Some(theirs),
                ..file.clone()
            },
        )
        .unwrap();
        assert!(files.left_behind("meeting:3").is_empty());
        // Kept for another database made at the same path (another id): not offered here;
        // for this one, or by a version that kept no id: offered.
        std::fs::remove_file(&path).unwrap();
        let files = files.with_database_id("new-database");
        let old = SeatFile {
            database_id: "old-database".into(),
            ..file.clone()
        };
        write_private(&path, &old).unwrap();
        assert!(files.left_behind("meeting:3").is_empty());
        std::fs::remove_file(&path).unwrap();
        write_private(
            &path,
            &SeatFile {
                database_id: "new-database".into(),
                ..file.clone()
            },
        )
        .unwrap();
        assert_eq!(files.left_behind("meeting:3").len(), 1);
        // Too large to be a seat file: left alone.
        std::fs::remove_file(&path).unwrap();
        write_private(&path, &file).unwrap();
        assert_eq!(files.left_behind("meeting:3").len(), 1);
        let big = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        big.set_len(LARGEST_SEAT_FILE + 1).unwrap();
        assert!(files.left_behind("meeting:3").is_empty());
    }
}
