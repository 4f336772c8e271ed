//! Writing an export to a file: never readable by other users, whatever the
//! umask, and atomic: a temporary file in the target's own folder, synced, then renamed
//! over the target, so a failed export leaves no file (and no half-written one).
//!
//! The file is 0600, or 0660 in the folder's group when the folder is a setgid group
//! folder (mode 2770 and the like), as the database is.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use super::ExportError;
use crate::store::Sharing;
use crate::store::files::folder_of;

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

/// A temporary name beside `path` that nothing else uses.
fn temporary_name(path: &Path, attempt: u32) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    path.with_file_name(format!(
        ".{name}.{}.{nanos}.{attempt}.tmp",
        std::process::id()
    ))
}

/// Writes `contents` to `path` atomically with no "other" permission bits.
pub fn write_atomically(path: &Path, contents: &[u8]) -> Result<(), ExportError> {
    let bad = |reason: &str| ExportError::BadPath {
        path: path.to_path_buf(),
        reason: reason.to_string(),
    };
    if path.file_name().is_none() {
        return Err(bad("it names no file: give a file name such as minutes.md"));
    }
    if path.is_dir() {
        return Err(bad("it is a folder: give a file name inside it"));
    }
    let folder = folder_of(path);
    if !folder.is_dir() {
        return Err(bad(&format!(
            "the folder {} does not exist: create it first or choose another",
            folder.display()
        )));
    }
    let sharing = sharing_of(&folder)?;
    let io = |p: &Path| {
        let p = p.to_path_buf();
        move |source| ExportError::Io { path: p, source }
    };
    let mut attempt = 0;
    let (temporary, mut file) = loop {
        let candidate = temporary_name(path, attempt);
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
        file.write_all(contents).map_err(io(path))?;
        file.sync_all().map_err(io(path))?;
        fs::rename(&temporary, path).map_err(io(path))?;
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
    written
}
