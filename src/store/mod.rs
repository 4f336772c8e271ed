//! The only code that knows SQL: opening the database safely, migrations, the audit
//! trail, and one module per aggregate returning domain types.

pub mod audit;
pub mod backup;
pub mod cases;
pub mod characteristics;
pub mod checklist;
pub mod chronology;
pub mod decision;
pub mod exports;
pub mod family;
pub mod files;
pub mod imports;
pub mod logs;
pub mod meetings;
pub mod migrate;
pub mod minute_lines;
pub mod minuting;
pub mod panel;
pub mod plan;
pub mod proceedings;
pub mod publication;
pub mod qa;
pub mod register;
pub mod replay;
pub mod restore;
pub mod review;
pub mod seats;
pub mod seed;
pub mod stale;
pub mod terms;
mod values;
pub mod witness;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rusqlite::{Connection, OpenFlags};

use crate::time::Clock;
pub use audit::AuditBreak;
use audit::Writer;
pub use audit::login_name;
pub use files::Sharing;

/// Why the database could not be used. Each message says what is wrong and what to do.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "no database at {path}: check --db or DHR_DB, or run `dhr` (or `dhr demo`) to create one there"
    )]
    Missing { path: PathBuf },
    #[error(
        "{path} is not a DHR Panel database (it is not a SQLite file); it was left untouched: check --db or DHR_DB"
    )]
    NotADatabase { path: PathBuf },
    #[error(
        "{path} is a SQLite database but not one of DHR Panel's; it was left untouched: check --db or DHR_DB"
    )]
    NotOurs { path: PathBuf },
    #[error(
        "{path} is damaged ({detail}); it was left untouched: restore it from a backup (`dhr backup`) and run `dhr check`"
    )]
    Damaged { path: PathBuf, detail: String },
    #[error(
        "{path} was written by a newer version of DHR Panel (schema {found}, this build knows up to {known}); it was left untouched: use the newer version"
    )]
    TooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error("{path} needs upgrading (schema {found} of {known}): open it once without --read-only")]
    NeedsUpgrade {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error("{path} is open to other users (mode {mode:04o}); refusing to use it: run {fix}")]
    OpenToOthers {
        path: PathBuf,
        mode: u32,
        fix: String,
    },
    #[error(
        "{path} can be read by group {group} (mode {mode:04o}): every member of that group could copy the real names in it, and it is not in a setgid group folder of that group; refusing to use it: run {fix}"
    )]
    OpenToGroup {
        path: PathBuf,
        mode: u32,
        group: String,
        fix: String,
    },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("this workspace is open read-only (a reading seat): nothing can be changed")]
    ReadOnly,
    #[error(
        "{path} is a folder: give the database file itself with --db, for example {path}/dhr.sqlite3"
    )]
    IsFolder { path: PathBuf },
    #[error(
        "{path}: permission denied ({detail}): ask the owner of the folder for access for your login (for a shared folder: chmod 2770 and membership of its group)"
    )]
    Denied { path: PathBuf, detail: String },
    #[error(
        "{path} is read-only for your login, so nothing was written: if it should be writable run chmod u+w '{path}' (or ask its owner); to read without writing use --read-only"
    )]
    ReadOnlyFile { path: PathBuf },
    #[error(
        "{path} is busy: {holder} held it for more than {waited}, so nothing was saved; try again when it has finished"
    )]
    Busy {
        path: PathBuf,
        /// What holds the database, in words (an import by alice, another seat…).
        holder: String,
        /// How long the write waited, in words.
        waited: String,
    },
    #[error(
        "{detail}: this change to {path} was not saved and nothing of it was written (the database is as it was); free some space and try again"
    )]
    DiskFull { path: PathBuf, detail: String },
    #[error(
        "{path} cannot be read from here: its write-ahead log ({path}-wal and -shm) is not beside it and your login may not create it in {folder}: ask the database's owner to run `dhr cases` once with this version (which keeps the log in place for readers), or give your login write access to the folder"
    )]
    NoLogForReaders { path: PathBuf, folder: PathBuf },
    /// A full disk, with what was and was not written (a run-time failure).
    #[error("{0}")]
    Full(String),
    #[error("{0}")]
    Rule(String),
    /// Another seat or process changed the record a form edits since the form opened;
    /// nothing was written.
    #[error("{0}")]
    Stale(Box<stale::StaleEdit>),
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

impl StoreError {
    /// Whether the write failed only because another user held the database for a
    /// moment (trying again soon will do), rather than for a lasting reason such as a
    /// full disk.
    pub fn is_busy(&self) -> bool {
        match self {
            StoreError::Busy { .. } => true,
            StoreError::Sqlite(rusqlite::Error::SqliteFailure(e, _)) => matches!(
                e.code,
                rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
            ),
            _ => false,
        }
    }

    /// Whether a query was stopped through [`Store::interrupt_handle`].
    pub fn is_interrupted(&self) -> bool {
        matches!(
            self,
            StoreError::Sqlite(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::OperationInterrupted
        )
    }
}

impl StoreError {
    /// The same error, naming `path` where SQLite only said the file was damaged, not a
    /// database, or read-only.
    pub fn about(self, path: &Path) -> StoreError {
        match self {
            StoreError::Sqlite(e) => match classify(path, e) {
                StoreError::Sqlite(e)
                    if e.sqlite_error_code() == Some(rusqlite::ffi::ErrorCode::ReadOnly) =>
                {
                    StoreError::ReadOnlyFile {
                        path: path.to_path_buf(),
                    }
                }
                StoreError::Sqlite(e) if files::is_sqlite_disk_full(&e) => StoreError::DiskFull {
                    path: path.to_path_buf(),
                    detail: files::full_disk(path),
                },
                StoreError::Sqlite(e)
                    if matches!(
                        e.sqlite_error_code(),
                        Some(
                            rusqlite::ffi::ErrorCode::DatabaseBusy
                                | rusqlite::ffi::ErrorCode::DatabaseLocked
                        )
                    ) =>
                {
                    StoreError::Busy {
                        path: path.to_path_buf(),
                        holder: "another program".into(),
                        waited: String::new(),
                    }
                }
                other => other,
            },
            other => other,
        }
    }

    /// Whether the fault lies in what the user gave (exit status 2) rather than at run time (1).
    pub fn is_bad_input(&self) -> bool {
        matches!(
            self,
            StoreError::Missing { .. }
                | StoreError::NotADatabase { .. }
                | StoreError::NotOurs { .. }
                | StoreError::Damaged { .. }
                | StoreError::TooNew { .. }
                | StoreError::NeedsUpgrade { .. }
                | StoreError::OpenToOthers { .. }
                | StoreError::OpenToGroup { .. }
                | StoreError::IsFolder { .. }
                | StoreError::Denied { .. }
                | StoreError::NoLogForReaders { .. }
                | StoreError::Rule(_)
        )
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// How long a write waits for another's to finish, unless set otherwise.
const DEFAULT_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// "10 seconds", "250 ms".
fn waited_words(wait: std::time::Duration) -> String {
    if wait.as_millis() >= 1000 && wait.as_millis().is_multiple_of(1000) {
        let n = wait.as_secs();
        format!("{n} second{}", if n == 1 { "" } else { "s" })
    } else {
        format!("{} ms", wait.as_millis())
    }
}

/// How to open the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenMode {
    /// The workspace and `demo`: create the database (and its folder) if missing.
    Create,
    /// Every other subcommand: the database must exist.
    Existing,
    /// A reading seat, and `cases` and `export`: must exist and be of this build's
    /// schema; opened read-only, nothing is written or upgraded.
    ReadOnly,
    /// `check` and `backup`: as [`OpenMode::ReadOnly`], but an older schema is accepted
    /// (and left as it is).
    Inspect,
}

/// Stops the running query of the store it came from, from any thread.
pub struct Interrupt(rusqlite::InterruptHandle);

impl Interrupt {
    /// Stops the query under way, if any (it fails as interrupted).
    pub fn interrupt(&self) {
        self.0.interrupt();
    }
}

/// An open database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    clock: Arc<dyn Clock>,
    login: String,
    read_only: bool,
    /// Where to record a witness of the chain when the store closes (the command line
    /// sets it; the library on its own writes nothing outside the database).
    witnesses: Option<witness::Witnesses>,
    /// How long a write waits for another's to finish before giving up.
    wait: std::cell::Cell<std::time::Duration>,
    /// The version of a record the next write expects (a form's save), checked inside
    /// its transaction; see `stale.rs`.
    expecting: Option<stale::Base>,
    /// The other version, when a write was refused for it since `expect`.
    refused: Option<Box<stale::StaleEdit>>,
}

impl Drop for Store {
    /// The end of a session: the chain as this login saw it is witnessed outside the
    /// database. A failure here cannot be reported anywhere useful (the terminal is
    /// already restored); `dhr check` reports the witness it finds.
    ///
    /// A writer then moves everything from the write-ahead log into the database file and
    /// empties the log, which stays in place (with -shm) for readers who may not create it.
    fn drop(&mut self) {
        if let Some(place) = self.witnesses.take() {
            let _ = self.record_witness(&place);
        }
        if !self.read_only {
            let _ = self.conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);");
        }
    }
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.path)
            .field("read_only", &self.read_only)
            .finish()
    }
}

impl Store {
    /// Opens (or, with [`OpenMode::Create`], creates) the database at `path`, checking
    /// its permissions, that it is ours and undamaged, and migrating it to this build.
    /// A file that fails any check is left byte-for-byte as it was.
    pub fn open(path: &Path, mode: OpenMode, clock: Arc<dyn Clock>) -> Result<Store> {
        let create = mode == OpenMode::Create;
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => {
                return Err(StoreError::IsFolder {
                    path: path.to_path_buf(),
                });
            }
            Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
                return Err(StoreError::Denied {
                    path: path.to_path_buf(),
                    detail: e.to_string(),
                });
            }
            _ => {}
        }
        let sharing = files::prepare_folder(path, create)?;
        files::apply_umask(sharing);
        let exists = path.exists();
        if !exists {
            if !create {
                return Err(StoreError::Missing {
                    path: path.to_path_buf(),
                });
            }
            files::create_empty(path, sharing)?;
        } else {
            files::check_not_open_to_others(path, sharing)?;
            match files::inspect(path)? {
                files::FileKind::Sqlite => {}
                files::FileKind::Empty if create => {}
                files::FileKind::Empty | files::FileKind::NotSqlite => {
                    return Err(StoreError::NotADatabase {
                        path: path.to_path_buf(),
                    });
                }
                files::FileKind::Truncated => {
                    return Err(StoreError::Damaged {
                        path: path.to_path_buf(),
                        detail: "the file is shorter than its header says".into(),
                    });
                }
            }
        }
        let read_only = matches!(mode, OpenMode::ReadOnly | OpenMode::Inspect);
        // A reader opens read-only (a login that may only read the file and its folder,
        // read-only media), never upgrades and never writes; see `open_reader`. A writer
        // keeps the -wal and -shm in place when it closes, so such readers can open it.
        // An open that fails (a damaged file, say) leaves no -wal or -shm it made.
        let tidy = Tidy {
            made: files::companions(path)
                .into_iter()
                .skip(1)
                .filter(|p| std::fs::symlink_metadata(p).is_err())
                .collect(),
            armed: true,
        };
        let conn = if read_only {
            open_reader(path)?
        } else {
            let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
            let conn = Connection::open_with_flags(path, flags)?;
            conn.set_db_config(
                rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE,
                true,
            )?;
            conn
        };
        conn.busy_timeout(DEFAULT_WAIT)?;
        let damaged = |e: rusqlite::Error| classify(path, e);
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(damaged)?;
        let known = migrate::latest();
        if version > known {
            return Err(StoreError::TooNew {
                path: path.to_path_buf(),
                found: version,
                known,
            });
        }
        if version == 0 {
            let tables: i64 = conn
                .query_row(
                    "SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'",
                    [],
                    |r| r.get(0),
                )
                .map_err(damaged)?;
            if tables > 0 {
                return Err(StoreError::NotOurs {
                    path: path.to_path_buf(),
                });
            }
        }
        conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;")?;
        if read_only {
            if version < known && mode == OpenMode::ReadOnly {
                return Err(StoreError::NeedsUpgrade {
                    path: path.to_path_buf(),
                    found: version,
                    known,
                });
            }
            conn.execute_batch("PRAGMA query_only = ON;")?;
        } else {
            let journal: String = conn
                .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
                .map_err(damaged)?;
            if !journal.eq_ignore_ascii_case("wal") {
                return Err(StoreError::Rule(format!(
                    "{} cannot use write-ahead logging (journal mode {journal}): put it on a local disk",
                    path.display()
                )));
            }
            conn.execute_batch("PRAGMA synchronous = FULL;")?;
            migrate::run(&conn, version).map_err(damaged)?;
            files::tighten_companions(path, sharing)?;
        }
        let mut tidy = tidy;
        tidy.armed = false;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            clock,
            login: audit::login_name(),
            read_only,
            witnesses: None,
            wait: std::cell::Cell::new(DEFAULT_WAIT),
            expecting: None,
            refused: None,
        };
        store.move_case_fields()?;
        Ok(store)
    }

    /// The file this store reads and writes.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A handle another thread uses to stop this store's running query (which then fails
    /// with an error for which [`StoreError::is_interrupted`] holds).
    pub fn interrupt_handle(&self) -> Interrupt {
        Interrupt(self.conn.get_interrupt_handle())
    }

    /// Whether this is a reading seat.
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// The clock this store stamps rows with.
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    /// The login recorded in the audit trail.
    pub fn login(&self) -> &str {
        &self.login
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// Runs `change` in one `BEGIN IMMEDIATE` transaction that also writes its audit rows.
    /// Immediate, because a deferred read-then-write transaction fails with SQLITE_BUSY
    /// when another process writes in between.
    fn write<T>(&mut self, change: impl FnOnce(&mut Writer<'_>) -> Result<T>) -> Result<T> {
        if self.read_only {
            return Err(StoreError::ReadOnly);
        }
        let result = self.write_once(change);
        result.map_err(|e| self.name_holder(e))
    }

    fn write_once<T>(&mut self, change: impl FnOnce(&mut Writer<'_>) -> Result<T>) -> Result<T> {
        let now = crate::time::stamp(self.clock.now_utc());
        let path = self.path.clone();
        let tx =
            rusqlite::Transaction::new(&mut self.conn, rusqlite::TransactionBehavior::Immediate)
                .map_err(|e| StoreError::Sqlite(e).about(&path))?;
        // A form's save: the record must still be as the form saw it (checked here, inside
        // the transaction, so no other write can come between the check and ours).
        if let Some(base) = self.expecting.take()
            && let Err(e) = stale::check(&tx, base)
        {
            if let StoreError::Stale(other) = &e {
                self.refused = Some(other.clone());
            }
            return Err(e.about(&path));
        }
        let mut writer = Writer::new(&tx, now, &self.login);
        let value = change(&mut writer).map_err(|e| e.about(&path))?;
        tx.commit()
            .map_err(|e| StoreError::Sqlite(e).about(&path))?;
        Ok(value)
    }

    /// Names what held the database in a `Busy` error (read after the wait: who is
    /// registered as importing, or which seats are open).
    fn name_holder(&self, e: StoreError) -> StoreError {
        match e {
            StoreError::Busy { path, .. } => StoreError::Busy {
                path,
                holder: self.holder(),
                waited: waited_words(self.wait.get()),
            },
            other => other,
        }
    }

    /// How long a write waits for another's to finish before it gives up with `Busy`
    /// (10 seconds unless set: the workspace waits less, and keeps the text meanwhile).
    pub fn set_wait(&self, wait: std::time::Duration) -> Result<()> {
        self.conn.busy_timeout(wait)?;
        self.wait.set(wait);
        Ok(())
    }

    /// How long a write waits now.
    pub fn wait(&self) -> std::time::Duration {
        self.wait.get()
    }

    /// Shortens how long a write waits for another user's (tests of what happens when the
    /// wait runs out).
    #[doc(hidden)]
    pub fn set_busy_timeout_for_tests(&self, wait: std::time::Duration) -> Result<()> {
        self.set_wait(wait)
    }

    /// Runs `f` on the connection with no waiting for a busy database (scratch writes
    /// that can be tried again later), then restores the wait.
    pub(crate) fn without_waiting<T>(
        &self,
        f: impl FnOnce(&Connection) -> rusqlite::Result<T>,
    ) -> Result<T> {
        self.conn.busy_timeout(std::time::Duration::ZERO)?;
        let result = f(&self.conn);
        self.conn.busy_timeout(self.wait.get())?;
        result.map_err(|e| StoreError::Sqlite(e).about(&self.path))
    }

    /// A number that changes when another connection (another user, another process)
    /// commits to the database; our own commits do not change it.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    /// How many rows this connection has changed since it opened: a number that moves
    /// with each of our own writes (no I/O; `data_version` notices the others').
    pub fn changes_made(&self) -> u64 {
        self.conn.total_changes()
    }

    /// `PRAGMA quick_check`: "ok" or the problems SQLite found.
    pub fn integrity(&self) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare("PRAGMA quick_check")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<std::result::Result<Vec<_>, _>>()?)
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }
}

/// Companions a reader's open created, removed (when the log is empty) if the open fails.
struct Tidy {
    made: Vec<PathBuf>,
    armed: bool,
}

impl Drop for Tidy {
    fn drop(&mut self) {
        if !self.armed {
            return;
        }
        let empty_log = self
            .made
            .iter()
            .filter(|p| p.to_string_lossy().ends_with("-wal"))
            .all(|p| std::fs::metadata(p).map_or(true, |m| m.len() == 0));
        if empty_log {
            for path in &self.made {
                let _ = std::fs::remove_file(path);
            }
        }
    }
}

/// Opens `path` for reading only.
///
/// SQLite reads a WAL database read-only when its -wal and -shm exist (a writer keeps
/// them), or when it may create them. Where neither holds and the file system is
/// mounted read-only (so no one can be writing), the database is opened `immutable=1`,
/// which reads the file alone without locks; that is only right when no log holds
/// changes, so a log with content is refused there too.
fn open_reader(path: &Path) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(|e| classify(path, e))?;
    let probe = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| {
        r.get::<_, i64>(0)
    });
    let error = match probe {
        Ok(_) => return Ok(conn),
        Err(e) => e,
    };
    use rusqlite::ffi::ErrorCode;
    if !matches!(
        error.sqlite_error_code(),
        Some(ErrorCode::CannotOpen | ErrorCode::ReadOnly)
    ) {
        return Err(classify(path, error));
    }
    drop(conn);
    let wal = &files::companions(path)[1];
    let log_is_empty = std::fs::metadata(wal).map_or(true, |m| m.len() == 0);
    if files::on_read_only_media(path) && log_is_empty {
        let uri = format!("file:{}?immutable=1", uri_path(path));
        let conn = Connection::open_with_flags(&uri, flags | OpenFlags::SQLITE_OPEN_URI)
            .map_err(|e| classify(path, e))?;
        return Ok(conn);
    }
    Err(StoreError::NoLogForReaders {
        path: path.to_path_buf(),
        folder: files::folder_of(path),
    })
}

/// `path` as the path of a `file:` URI: every byte but unreserved ones and `/`
/// percent-encoded.
fn uri_path(path: &Path) -> String {
    use std::os::unix::ffi::OsStrExt;
    let absolute = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = String::new();
    for &b in absolute.as_os_str().as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Turns SQLite's complaints about the file itself into [`StoreError`]s a person can act on.
fn classify(path: &Path, e: rusqlite::Error) -> StoreError {
    use rusqlite::ffi::ErrorCode;
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) => StoreError::NotADatabase {
            path: path.to_path_buf(),
        },
        Some(ErrorCode::DatabaseCorrupt) => StoreError::Damaged {
            path: path.to_path_buf(),
            detail: e.to_string(),
        },
        _ => StoreError::Sqlite(e),
    }
}
