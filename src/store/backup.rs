//! `dhr backup FILE`: a consistent copy through SQLite's online backup while others keep
//! using the database, written with the same permission rules as the database (private, or the
//! setgid group folder's group) and only renamed into place once complete.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::backup::{Backup, StepResult};
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
    /// Copies the whole database to `target` (which must not exist).
    pub fn backup_to(&self, target: &Path) -> Result<BackupSummary> {
        if target.exists() {
            return Err(StoreError::Rule(format!(
                "{} already exists: choose a new file name, backups never overwrite",
                target.display()
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
        let temporary = temporary_beside(target);
        let result = copy_into(self.conn(), &temporary, sharing);
        match result {
            Ok(summary) => {
                std::fs::rename(&temporary, target).map_err(|e| StoreError::Io {
                    path: target.to_path_buf(),
                    source: e,
                })?;
                Ok(summary)
            }
            Err(e) => {
                let _ = std::fs::remove_file(&temporary);
                Err(e)
            }
        }
    }
}

fn temporary_beside(target: &Path) -> PathBuf {
    let mut name = target
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(format!(".partial-{}", std::process::id()));
    target.with_file_name(name)
}

fn copy_into(source: &Connection, temporary: &Path, sharing: Sharing) -> Result<BackupSummary> {
    files::create_empty(temporary, sharing)?;
    let mut destination =
        Connection::open_with_flags(temporary, OpenFlags::SQLITE_OPEN_READ_WRITE)?;
    let pages = {
        let backup = Backup::new(source, &mut destination)?;
        // Copy in steps, pausing between them, so a writer in another process is never
        // held up for long; a change made meanwhile restarts the copy from a consistent
        // state (SQLite's online backup).
        loop {
            match backup.step(256)? {
                StepResult::Done => break,
                StepResult::More | StepResult::Busy | StepResult::Locked => {
                    std::thread::sleep(Duration::from_millis(5))
                }
                _ => std::thread::sleep(Duration::from_millis(5)),
            }
        }
        backup.progress().pagecount
    };
    // The copy is a self-contained file: no WAL left beside it.
    destination.execute_batch("PRAGMA journal_mode = DELETE;")?;
    let chain = super::audit::head_on(&destination)?;
    destination
        .close()
        .map_err(|(_, e)| StoreError::Sqlite(e))?;
    Ok(BackupSummary { pages, chain })
}
