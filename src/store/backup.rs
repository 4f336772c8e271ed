//! `dhr backup FILE`: a consistent copy made with `VACUUM INTO` (one read snapshot, so it
//! ends in bounded time while others keep writing and never holds them up), written with
//! the same permission rules as the database (private, or the setgid group folder's group)
//! under a temporary name and put in place by a link only once complete and synced.

use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, OpenFlags};

use super::audit::ChainHead;
use super::files::{self, Sharing};
use super::{Result, Store, StoreError};

/// What a backup copied: its pages, and the head of the audit chain in the copy (printed
/// with the backup, so that the copy can be checked later with `dhr check --witness`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupSummary {
    pub pages: i32,
    pub chain: ChainHead,
}

impl Store {
    /// Copies the whole database to `target` (which must not exist) and returns what was
    /// copied (pages, the audit chain's head), with notes on leftovers of interrupted backups or exports
    /// removed from the target's folder. The copy is made under a temporary name and
    /// put in place only when complete; an interrupted or failed backup leaves nothing.
    pub fn backup_to(&self, target: &Path) -> Result<(BackupSummary, Vec<String>)> {
        if let Some(what) = files::describe_existing(target) {
            return Err(StoreError::Rule(format!(
                "{} already exists ({what}): choose a new file name, backups never overwrite",
                target.display()
            )));
        }
        if let Some(database) = files::companion_of(target) {
            return Err(StoreError::Rule(format!(
                "{}: the name belongs to the SQLite database {} (SQLite would take the file for its own): choose another name",
                target.display(),
                database.display()
            )));
        }
        let folder = files::folder_of(target);
        if !folder.is_dir() {
            return Err(StoreError::Rule(format!(
                "there is no folder {}: create it first",
                folder.display()
            )));
        }
        // The copy holds everything the database holds: the same rules for its folder.
        let sharing = files::prepare_folder(target, false)?;
        files::apply_umask(sharing);
        let notes = files::sweep_leftovers(&folder);
        let temporary = files::temporary_beside(target, 0);
        let pending = files::Pending::new(&temporary);
        let result = copy_into(self.conn(), &temporary, sharing)
            .map_err(|e| disk_full(e, target))
            .and_then(|summary| {
                if files::stopping() {
                    return Err(StoreError::Rule(
                        "stopped by a signal: the copy was not put in place".into(),
                    ));
                }
                // A link fails if a file of that name appeared meanwhile: never overwrite.
                match std::fs::hard_link(&temporary, target) {
                    Ok(()) => Ok(summary),
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                        Err(StoreError::Rule(format!(
                            "{} appeared while the backup was written: choose a new file name, backups never overwrite",
                            target.display()
                        )))
                    }
                    Err(_) if !target.exists() => {
                        std::fs::rename(&temporary, target).map(|()| summary).map_err(|e| {
                            StoreError::Io {
                                path: target.to_path_buf(),
                                source: e,
                            }
                        })
                    }
                    Err(e) => Err(StoreError::Io {
                        path: target.to_path_buf(),
                        source: e,
                    }),
                }
            });
        let _ = std::fs::remove_file(&temporary);
        for suffix in ["-journal", "-wal", "-shm"] {
            let mut name = temporary.as_os_str().to_owned();
            name.push(suffix);
            let _ = std::fs::remove_file(PathBuf::from(name));
        }
        drop(pending);
        if result.is_ok()
            && let Ok(dir) = std::fs::File::open(&folder)
        {
            let _ = dir.sync_all();
        }
        result.map(|summary| (summary, notes))
    }
}

/// A full disk while copying, named with what was and was not written.
fn disk_full(e: StoreError, target: &Path) -> StoreError {
    let full = match &e {
        StoreError::Sqlite(s) => files::is_sqlite_disk_full(s),
        StoreError::Io { source, .. } => files::is_disk_full(source),
        _ => false,
    };
    if full {
        StoreError::Full(format!(
            "{}: the backup was not written (nothing was left at {} and the partial copy was removed); the database itself is untouched. Free some space and run the backup again",
            files::full_disk(target),
            target.display()
        ))
    } else {
        e
    }
}

fn copy_into(source: &Connection, temporary: &Path, sharing: Sharing) -> Result<BackupSummary> {
    // SQLite writes `VACUUM INTO` only into a file that is absent or empty: made here
    // first, so it is private (or the group folder's) from its first byte.
    files::create_empty(temporary, sharing)?;
    // An absolute name, so SQLite never reads it as a `file:` URI; bound as bytes, so a
    // name that is not UTF-8 is written where it was asked for.
    let absolute = std::path::absolute(temporary).map_err(|e| StoreError::Io {
        path: temporary.to_path_buf(),
        source: e,
    })?;
    let name = ToSqlOutput::Borrowed(ValueRef::Text(absolute.as_os_str().as_bytes()));
    // One statement under one read transaction: a snapshot of the database as it was
    // when the copy began. In WAL mode a reader holds up no writer and no writer restarts
    // it (as it did SQLite's step-wise online backup, which never finished while someone
    // typed); what others commit meanwhile goes into the next backup.
    // The reading seat's connection refuses every statement that writes (`query_only`),
    // and `VACUUM INTO` counts as one though it only writes the new file; the connection
    // itself was opened read-only, so the database stays unwritable meanwhile.
    if files::stopping() {
        return Err(StoreError::Rule(
            "stopped by a signal before the copy began".into(),
        ));
    }
    source.execute_batch("PRAGMA query_only = OFF;")?;
    let copied = source.execute("VACUUM INTO ?1", [name]);
    source.execute_batch("PRAGMA query_only = ON;")?;
    copied?;
    // SQLite does not sync what `VACUUM INTO` wrote: done before the copy is put in place.
    std::fs::File::open(temporary)
        .and_then(|f| f.sync_all())
        .map_err(|e| StoreError::Io {
            path: temporary.to_path_buf(),
            source: e,
        })?;
    // The copy is a self-contained file in rollback-journal mode: read it as it is.
    let copy = Connection::open_with_flags(
        temporary,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    let pages: i32 = copy.query_row("PRAGMA page_count", [], |r| r.get(0))?;
    let chain = super::audit::head_on(&copy)?;
    copy.close().map_err(|(_, e)| StoreError::Sqlite(e))?;
    Ok(BackupSummary { pages, chain })
}
