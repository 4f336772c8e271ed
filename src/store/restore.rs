//! `dhr restore BACKUP`: a backup put back in place of the database, the replaced
//! database kept beside it, and the restore recorded in the audit trail as an ordinary
//! audited write made after the backup's content is in place.

use std::fs;
use std::io::Write;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rusqlite::{Connection, OpenFlags};

use super::files::{self, Pending, Sharing};
use super::{OpenMode, Result, Store, StoreError};
use crate::time::Clock;

/// What a backup holds, checked before anything is replaced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupFacts {
    pub schema_version: i64,
    pub audit_rows: u64,
    /// When its last audited change was made (UTC), if any.
    pub last_change: Option<String>,
}

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    /// Where the database that was replaced now is.
    pub kept: PathBuf,
    pub facts: BackupFacts,
}

/// Checks that `backup` is a DHR Panel database this build can use, undamaged and with an
/// unbroken audit chain. Reads only.
pub fn check_backup(backup: &Path, clock: Arc<dyn Clock>) -> Result<BackupFacts> {
    let store = Store::open(backup, OpenMode::Inspect, clock)?;
    let refuse = |why: String| {
        StoreError::Rule(format!(
            "{} cannot be restored: {why}; nothing was changed (`dhr check --db {}` lists what is wrong)",
            backup.display(),
            backup.display()
        ))
    };
    let integrity = store.integrity()?;
    if integrity != ["ok"] {
        return Err(refuse(format!(
            "it is damaged ({})",
            integrity.first().map(String::as_str).unwrap_or("no answer")
        )));
    }
    let audit = store.verify_audit()?;
    if let Some(b) = audit.first_break {
        return Err(refuse(format!(
            "its audit chain is broken at audit row {}: {}",
            b.audit_id, b.reason
        )));
    }
    // A backup changed outside DHR Panel is no backup to go back to: its rows must be
    // what its own audit trail gives, its triggers as created, its approved minutes as
    // approved.
    let trail = store.check_against_trail()?;
    if let Some(first) = trail
        .triggers
        .first()
        .or(trail.differences.first())
        .or(trail.fingerprints.first())
    {
        let more = trail.triggers.len() + trail.difference_count + trail.fingerprints.len() - 1;
        return Err(refuse(format!(
            "it was changed outside DHR Panel: {first}{}",
            if more > 0 {
                format!(" (and {more} more)")
            } else {
                String::new()
            }
        )));
    }
    if audit.rows == 0 {
        return Err(refuse("its audit trail is empty".to_string()));
    }
    let last_change = store
        .conn()
        .query_row("SELECT at FROM audit ORDER BY id DESC LIMIT 1", [], |r| {
            r.get::<_, String>(0)
        })
        .ok();
    Ok(BackupFacts {
        schema_version: store.schema_version()?,
        audit_rows: audit.rows,
        last_change,
    })
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// A name beside `db` for the database being replaced: `NAME.replaced-YYYYMMDD-HHMMSSZ`
/// (with `-2`, `-3`… if that exists).
fn kept_name(db: &Path, clock: &dyn Clock) -> PathBuf {
    let name = db
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stamp = clock.now_utc().format("%Y%m%d-%H%M%SZ");
    let mut candidate = db.with_file_name(format!("{name}.replaced-{stamp}"));
    let mut n = 2;
    while fs::symlink_metadata(&candidate).is_ok() {
        candidate = db.with_file_name(format!("{name}.replaced-{stamp}-{n}"));
        n += 1;
    }
    candidate
}

/// Makes sure no one has `db` open, then moves everything its write-ahead log holds into
/// the file (so the kept copy is whole). A file SQLite cannot read at all (the reason to
/// restore, perhaps) is simply set aside.
fn quiesce(db: &Path) -> Result<()> {
    let Ok(conn) = Connection::open_with_flags(
        db,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    ) else {
        return Ok(());
    };
    let _ = conn.busy_timeout(std::time::Duration::from_millis(500));
    // Every open connection holds a shared lock on a WAL database: an exclusive one is
    // only granted when no one else has it open.
    let locked = conn.execute_batch("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; COMMIT;");
    match locked {
        Err(e)
            if matches!(
                e.sqlite_error_code(),
                Some(
                    rusqlite::ffi::ErrorCode::DatabaseBusy
                        | rusqlite::ffi::ErrorCode::DatabaseLocked
                )
            ) =>
        {
            Err(StoreError::Rule(format!(
                "{} is open in another seat or command: close every workspace and command using it, then restore again; nothing was changed",
                db.display()
            )))
        }
        Err(_) => Ok(()),
        Ok(()) => {
            let _ = conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);");
            drop(conn);
            Ok(())
        }
    }
}

/// Puts `backup` in place of the database at `db` (after [`check_backup`] and the
/// person's yes), keeping the replaced database beside it, and records the restore.
///
/// At every moment there is a complete database at `db`: the backup is copied to a
/// private temporary file beside it, the old database is linked to its kept name, and
/// a rename puts the copy in place.
pub fn restore(db: &Path, backup: &Path, clock: Arc<dyn Clock>) -> Result<Restored> {
    let facts = check_backup(backup, clock.clone())?;
    match (fs::metadata(db), fs::metadata(backup)) {
        (Ok(a), Ok(b)) if a.dev() == b.dev() && a.ino() == b.ino() => {
            return Err(StoreError::Rule(format!(
                "{} is the database itself: give a backup made with `dhr backup`",
                backup.display()
            )));
        }
        (Err(_), _) => {
            return Err(StoreError::Missing {
                path: db.to_path_buf(),
            });
        }
        _ => {}
    }
    let sharing = files::prepare_folder(db, false)?;
    files::apply_umask(sharing);
    files::check_not_open_to_others(db, sharing)?;
    quiesce(db)?;
    let folder = files::folder_of(db);
    files::sweep_leftovers(&folder);

    // The copy, private, complete and synced before anything else moves.
    let temporary = files::temporary_beside(db, 0);
    let pending = Pending::new(&temporary);
    let copied = (|| -> Result<()> {
        let mut file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(sharing.file_mode())
            .open(&temporary)
            .map_err(io(&temporary))?;
        file.set_permissions(fs::Permissions::from_mode(sharing.file_mode()))
            .map_err(io(&temporary))?;
        if let Sharing::Group { gid } = sharing {
            std::os::unix::fs::fchown(&file, None, Some(gid)).map_err(io(&temporary))?;
        }
        let bytes = fs::read(backup).map_err(io(backup))?;
        file.write_all(&bytes).map_err(|e| {
            if files::is_disk_full(&e) {
                StoreError::Full(format!(
                    "{}: the backup was not restored and {} was not changed",
                    files::full_disk(db),
                    db.display()
                ))
            } else {
                io(db)(e)
            }
        })?;
        file.sync_all().map_err(io(&temporary))?;
        Ok(())
    })();
    if let Err(e) = copied {
        let _ = fs::remove_file(&temporary);
        return Err(e);
    }

    let kept = kept_name(db, &*clock);
    let swapped = (|| -> Result<()> {
        fs::hard_link(db, &kept).map_err(io(&kept))?;
        // The old log goes with the old database (it may hold the last changes); the old
        // index holds nothing of its own. The restored file starts clean.
        let [_, wal, shm] = <[PathBuf; 3]>::try_from(files::companions(db))
            .map_err(|_| StoreError::Rule("no companions".into()))?;
        if fs::symlink_metadata(&wal).is_ok() {
            let mut to = kept.as_os_str().to_owned();
            to.push("-wal");
            fs::rename(&wal, PathBuf::from(to)).map_err(io(&wal))?;
        }
        if fs::symlink_metadata(&shm).is_ok() {
            fs::remove_file(&shm).map_err(io(&shm))?;
        }
        fs::rename(&temporary, db).map_err(io(db))?;
        if let Ok(dir) = fs::File::open(&folder) {
            let _ = dir.sync_all();
        }
        Ok(())
    })();
    if let Err(e) = swapped {
        let _ = fs::remove_file(&temporary);
        return Err(e);
    }
    drop(pending);

    // Now an ordinary audited write on the restored database (upgrading it first if the
    // backup is of an older schema).
    let mut store = Store::open(db, OpenMode::Existing, clock)?;
    store.record_restore(backup, &kept, &facts)?;
    Ok(Restored { kept, facts })
}

impl Store {
    /// Records in the audit trail that this database was restored from `backup`, the one
    /// it replaced kept at `kept`.
    pub fn record_restore(
        &mut self,
        backup: &Path,
        kept: &Path,
        facts: &BackupFacts,
    ) -> Result<()> {
        // An update of the database as a whole, each fact as [before, after] like any
        // other audited change.
        let record = serde_json::json!({
            "restored_from_backup": [null, backup.display().to_string()],
            "replaced_database_kept_as": [null, kept.display().to_string()],
            "backup_audit_rows": [null, facts.audit_rows],
            "backup_last_change": [null, facts.last_change],
        });
        self.write(|w| w.event("database", "update", &record))
    }
}
