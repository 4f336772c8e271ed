//! Writing an export to a file: never readable by other users, whatever the
//! umask, and atomic: a temporary file in the target's own folder, synced, then renamed
//! over the target, so a failed export leaves no file (and no half-written one).
//!
//! The file is 0600, or 0660 in the folder's group when the folder is a setgid group
//! folder (mode 2770 and the like), as the database is.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::Path;

use super::ExportError;
use crate::store::Sharing;
use crate::store::files::{
    Pending, companion_of, describe_existing, folder_of, full_disk, is_disk_full, sqlite_kind,
    sweep_leftovers, temporary_beside,
};

/// How files written into `folder` are shared: a setgid folder with group permissions
/// shares with its group, anything else is private.
fn sharing_of(folder: &Path) -> Result<Sharing, ExportError> {
    let meta = fs::metadata(folder).map_err(|source| ExportError::Io {
        path: folder.to_path_buf(),
        source,
    })?;
    let mode = meta.mode();
    Ok(if mode & 0o2000 != 0 && mode & 0o070 != 0 {
        Sharing::Group { gid: meta.gid() }
    } else {
        Sharing::Private
    })
}

/// Writes `contents` to `path` atomically with no "other" permission bits, refusing to
/// replace an existing file (see [`write_export`]).
pub fn write_atomically(path: &Path, contents: &[u8]) -> Result<Written, ExportError> {
    write_export(path, contents, false)
}

/// What writing an export did besides writing it: leftovers of interrupted exports or
/// backups removed from the folder (or named when they could not be).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Written {
    pub notes: Vec<String>,
}

/// Writes `contents` to `path`: to a private temporary file in the same folder, synced,
/// then put in place, so an interrupted or failed export leaves nothing.
///
/// Never replaces a folder, a device, a FIFO, a socket or any SQLite file (a database,
/// its `-wal`/`-shm`, a journal), nor makes a file with the name of a database's
/// companion; an existing regular file only when `may_replace` (the command line's
/// `--force`, the workspace's question answered yes).
pub fn write_export(
    path: &Path,
    contents: &[u8],
    may_replace: bool,
) -> Result<Written, ExportError> {
    let bad = |reason: &str| ExportError::BadPath {
        path: path.to_path_buf(),
        reason: reason.to_string(),
    };
    if path.file_name().is_none() {
        return Err(bad("it names no file: give a file name such as minutes.md"));
    }
    let folder = folder_of(path);
    if !folder.is_dir() {
        return Err(bad(&format!(
            "the folder {} does not exist: create it first or choose another",
            folder.display()
        )));
    }
    if let Some(what) = describe_existing(path) {
        let regular = std::fs::metadata(path).is_ok_and(|m| m.is_file());
        if what.contains("folder") {
            return Err(bad(&format!("it is {what}: give a file name inside it")));
        }
        if !regular || sqlite_kind(path).is_some() {
            return Err(bad(&format!(
                "it is {what}, which an export never replaces: choose a new file name"
            )));
        }
        if !may_replace {
            return Err(bad(&format!(
                "it already exists ({what}): choose a new file name, or replace it on purpose (--force on the command line)"
            )));
        }
    } else if let Some(database) = companion_of(path) {
        return Err(bad(&format!(
            "the name belongs to the SQLite database {} (SQLite would take the file for its own): choose another name",
            database.display()
        )));
    }
    let notes = sweep_leftovers(&folder);
    let sharing = sharing_of(&folder)?;
    let io = |p: &Path| {
        let p = p.to_path_buf();
        move |source| ExportError::Io { path: p, source }
    };
    // A full disk is named, with what was and was not written.
    let full = |p: &Path| {
        let p = p.to_path_buf();
        move |source: std::io::Error| {
            if is_disk_full(&source) {
                ExportError::DiskFull {
                    detail: full_disk(&p),
                    path: p,
                }
            } else {
                ExportError::Io { path: p, source }
            }
        }
    };
    let mut attempt = 0;
    let (temporary, mut file) = loop {
        let candidate = temporary_beside(path, attempt);
        match OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(sharing.file_mode())
            .open(&candidate)
        {
            Ok(file) => break (candidate, file),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempt < 20 => {
                attempt += 1;
            }
            Err(e) => return Err(io(path)(e)),
        }
    };
    let _pending = Pending::new(&temporary);
    let written = (|| -> Result<(), ExportError> {
        // The umask may have narrowed the mode; set it exactly.
        file.set_permissions(fs::Permissions::from_mode(sharing.file_mode()))
            .map_err(io(&temporary))?;
        if let Sharing::Group { gid } = sharing {
            let meta = file.metadata().map_err(io(&temporary))?;
            if meta.gid() != gid {
                std::os::unix::fs::fchown(&file, None, Some(gid)).map_err(io(&temporary))?;
            }
        }
        file.write_all(contents).map_err(full(path))?;
        file.sync_all().map_err(full(path))?;
        if may_replace {
            fs::rename(&temporary, path).map_err(io(path))?;
        } else {
            // A link fails if a file of that name appeared meanwhile: nothing is replaced.
            match fs::hard_link(&temporary, path) {
                Ok(()) => {
                    let _ = fs::remove_file(&temporary);
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    return Err(bad(
                        "a file of that name appeared while the export was written: choose a new file name",
                    ));
                }
                // A file system without links: rename, having checked just before.
                Err(_) if !path.exists() => fs::rename(&temporary, path).map_err(io(path))?,
                Err(e) => return Err(io(path)(e)),
            }
        }
        // The rename itself is durable once the folder is synced; a failure here leaves
        // the complete file in place, so it is not reported.
        if let Ok(dir) = fs::File::open(&folder) {
            let _ = dir.sync_all();
        }
        Ok(())
    })();
    if written.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    written.map(|()| Written { notes })
}
