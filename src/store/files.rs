//! Where the database lives and who may read it: private 0700/0600 folders,
//! setgid group folders shared at 0660, and refusal of anything open to other users —
//! "other" bits always, group bits unless in a setgid group folder of that group or the
//! group is a personal one (no member but the owner).

use std::fs::{self, DirBuilder, OpenOptions};
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use super::StoreError;

/// How the files DHR Panel creates are shared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sharing {
    /// The user's own folder: folder 0700, files 0600.
    Private,
    /// A setgid folder of a group: files 0660 in the folder's group.
    Group { gid: u32 },
}

impl Sharing {
    /// The mode of a file DHR Panel creates here.
    pub fn file_mode(self) -> u32 {
        match self {
            Sharing::Private => 0o600,
            Sharing::Group { .. } => 0o660,
        }
    }

    /// The umask that keeps every file SQLite or an export creates within that mode.
    pub fn umask(self) -> u32 {
        match self {
            Sharing::Private => 0o077,
            Sharing::Group { .. } => 0o007,
        }
    }
}

/// The folder a database path lives in ("." for a bare file name).
pub fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn io_error(path: &Path, source: std::io::Error) -> StoreError {
    StoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Checks (and, when `create` is set, makes) the folder of `db`, returning how files in
/// it are to be shared. A folder open to other users is refused.
pub fn prepare_folder(db: &Path, create: bool) -> Result<Sharing, StoreError> {
    let folder = folder_of(db);
    if !folder.exists() {
        if !create {
            return Err(StoreError::Missing {
                path: db.to_path_buf(),
            });
        }
        DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&folder)
            .map_err(|e| io_error(&folder, e))?;
        fs::set_permissions(&folder, fs::Permissions::from_mode(0o700))
            .map_err(|e| io_error(&folder, e))?;
    }
    let meta = fs::metadata(&folder).map_err(|e| io_error(&folder, e))?;
    let mode = meta.mode() & 0o7777;
    if mode & 0o007 != 0 {
        return Err(StoreError::OpenToOthers {
            path: folder.clone(),
            mode,
            fix: format!("chmod o-rwx '{}'", folder.display()),
        });
    }
    if mode & 0o070 == 0 {
        return Ok(Sharing::Private);
    }
    if mode & 0o2000 != 0 {
        return Ok(Sharing::Group { gid: meta.gid() });
    }
    // Group bits without setgid: only a group with no member but the owner (a personal
    // group, as on Ubuntu homes) keeps it private.
    if group_is_personal(meta.gid(), meta.uid()) {
        return Ok(Sharing::Private);
    }
    let group = group_name(meta.gid());
    Err(StoreError::OpenToGroup {
        fix: format!(
            "chmod g-rwx '{f}' (or, to share it with group {group} on purpose, make it a setgid group folder: chgrp {group} '{f}' && chmod 2770 '{f}')",
            f = folder.display()
        ),
        path: folder,
        mode,
        group,
    })
}

/// Refuses a database (or its -wal / -shm companions) that other users can open: "other"
/// bits always; group bits unless the folder is a setgid group folder of the file's
/// group, or the file's group has no member but its owner.
pub fn check_not_open_to_others(db: &Path, sharing: Sharing) -> Result<(), StoreError> {
    for path in companions(db) {
        match fs::metadata(&path) {
            Ok(meta) => {
                let mode = meta.mode() & 0o7777;
                if mode & 0o007 != 0 {
                    return Err(StoreError::OpenToOthers {
                        fix: format!("chmod o-rwx '{}'", path.display()),
                        path,
                        mode,
                    });
                }
                if mode & 0o070 == 0 {
                    continue;
                }
                let shared_here = matches!(sharing, Sharing::Group { gid } if gid == meta.gid());
                if shared_here || group_is_personal(meta.gid(), meta.uid()) {
                    continue;
                }
                let group = group_name(meta.gid());
                let fix = match sharing {
                    Sharing::Group { gid } => format!(
                        "chgrp {} '{p}' (the folder's group), or chmod g-rwx '{p}'",
                        group_name(gid),
                        p = path.display()
                    ),
                    Sharing::Private => format!("chmod g-rwx '{}'", path.display()),
                };
                return Err(StoreError::OpenToGroup {
                    path,
                    mode,
                    group,
                    fix,
                });
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io_error(&path, e)),
        }
    }
    Ok(())
}

/// The name of group `gid`, or its number when it has none.
fn group_name(gid: u32) -> String {
    crate::login::group(gid).map_or_else(|| gid.to_string(), |group| group.name)
}

/// Whether group `gid` has no member but `owner`: no one else lists it as a
/// supplementary group, and no other user in /etc/passwd has it as their own. A group
/// that cannot be looked up is not taken as personal.
pub fn group_is_personal(gid: u32, owner: u32) -> bool {
    let Some(group) = crate::login::group(gid) else {
        return false;
    };
    // The owner is named only when someone is listed (a directory lookup may be slow).
    if !group.members.is_empty() {
        let owner_name = crate::login::known_name(owner);
        if group.members.iter().any(|m| Some(m) != owner_name.as_ref()) {
            return false;
        }
    }
    match fs::read_to_string("/etc/passwd") {
        Ok(passwd) => !primary_members(&passwd, gid).any(|uid| uid != owner),
        Err(_) => false,
    }
}

/// The uids whose primary group is `gid`, from the text of /etc/passwd.
fn primary_members(passwd: &str, gid: u32) -> impl Iterator<Item = u32> + '_ {
    passwd.lines().filter_map(move |line| {
        let fields: Vec<&str> = line.split(':').collect();
        let uid = fields.get(2)?.parse::<u32>().ok()?;
        let primary = fields.get(3)?.parse::<u32>().ok()?;
        (primary == gid).then_some(uid)
    })
}

/// The database file and the companions SQLite keeps beside it.
pub fn companions(db: &Path) -> Vec<PathBuf> {
    let mut wal = db.as_os_str().to_owned();
    wal.push("-wal");
    let mut shm = db.as_os_str().to_owned();
    shm.push("-shm");
    vec![db.to_path_buf(), PathBuf::from(wal), PathBuf::from(shm)]
}

/// Creates an empty database file with the mode and group the folder calls for, so that
/// SQLite (which gives -wal and -shm the main file's mode) never widens it.
pub fn create_empty(db: &Path, sharing: Sharing) -> Result<(), StoreError> {
    let file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(sharing.file_mode())
        .open(db)
        .map_err(|e| io_error(db, e))?;
    // The umask may have narrowed the mode; set it exactly.
    file.set_permissions(fs::Permissions::from_mode(sharing.file_mode()))
        .map_err(|e| io_error(db, e))?;
    if let Sharing::Group { gid } = sharing {
        let meta = file.metadata().map_err(|e| io_error(db, e))?;
        if meta.gid() != gid {
            std::os::unix::fs::fchown(&file, None, Some(gid)).map_err(|e| io_error(db, e))?;
        }
    }
    file.sync_all().map_err(|e| io_error(db, e))?;
    Ok(())
}

/// Gives the -wal and -shm files, once SQLite has made them, the same mode as the database.
pub fn tighten_companions(db: &Path, sharing: Sharing) -> Result<(), StoreError> {
    for path in companions(db).into_iter().skip(1) {
        // Only the owner may change a mode; another login's files are left as they are.
        if let Ok(meta) = fs::metadata(&path)
            && meta.mode() & 0o777 != sharing.file_mode()
            && meta.uid() == nix::unistd::getuid().as_raw()
        {
            fs::set_permissions(&path, fs::Permissions::from_mode(sharing.file_mode()))
                .map_err(|e| io_error(&path, e))?;
        }
    }
    Ok(())
}

/// Sets the process umask so that every file created from now on has no "other" bits.
pub fn apply_umask(sharing: Sharing) {
    let mask = nix::sys::stat::Mode::from_bits_truncate(sharing.umask() as nix::libc::mode_t);
    nix::sys::stat::umask(mask);
}

/// What the first bytes of an existing file say about it.
#[derive(Debug, PartialEq, Eq)]
pub enum FileKind {
    Empty,
    Sqlite,
    NotSqlite,
    /// A SQLite header, but the file is shorter than the pages the header promises.
    Truncated,
}

/// Reads the header of `db` without changing a byte.
pub fn inspect(db: &Path) -> Result<FileKind, StoreError> {
    use std::io::Read;
    let mut file = fs::File::open(db).map_err(|e| io_error(db, e))?;
    let len = file.metadata().map_err(|e| io_error(db, e))?.len();
    if len == 0 {
        return Ok(FileKind::Empty);
    }
    let mut header = [0u8; 100];
    let mut read = 0;
    while read < header.len() {
        let n = file
            .read(&mut header[read..])
            .map_err(|e| io_error(db, e))?;
        if n == 0 {
            break;
        }
        read += n;
    }
    if read < 100 || &header[..16] != b"SQLite format 3\0" {
        return Ok(FileKind::NotSqlite);
    }
    let page_size = match u16::from_be_bytes([header[16], header[17]]) {
        1 => 65536u64,
        n => u64::from(n),
    };
    let change_counter = u32::from_be_bytes([header[24], header[25], header[26], header[27]]);
    let pages = u32::from_be_bytes([header[28], header[29], header[30], header[31]]);
    let valid_for = u32::from_be_bytes([header[92], header[93], header[94], header[95]]);
    // The page count in the header is only trusted when it was written with the header
    // (SQLite's own rule); a WAL may still hold pages that a checkpoint will add.
    let wal_exists = companions(db).get(1).is_some_and(|w| w.exists());
    if valid_for == change_counter && !wal_exists && len < page_size * u64::from(pages) {
        return Ok(FileKind::Truncated);
    }
    Ok(FileKind::Sqlite)
}

/// What an existing path is, in words for a refusal ("a folder", "a character device",
/// "a SQLite database", "a file of 1234 bytes"), following a symbolic link; `None` when
/// nothing is there (not even a dangling link).
pub fn describe_existing(path: &Path) -> Option<String> {
    use std::os::unix::fs::FileTypeExt;
    let link = fs::symlink_metadata(path).ok()?;
    let Ok(meta) = fs::metadata(path) else {
        return Some("a symbolic link to nothing".to_string());
    };
    let via = if link.file_type().is_symlink() {
        "a symbolic link to "
    } else {
        ""
    };
    let kind = meta.file_type();
    let what = if kind.is_dir() {
        "a folder".to_string()
    } else if kind.is_char_device() {
        "a character device".to_string()
    } else if kind.is_block_device() {
        "a block device (a disk)".to_string()
    } else if kind.is_fifo() {
        "a FIFO (named pipe)".to_string()
    } else if kind.is_socket() {
        "a socket".to_string()
    } else if let Some(sqlite) = sqlite_kind(path) {
        sqlite.to_string()
    } else {
        format!("a file of {} bytes", meta.len())
    };
    Some(format!("{via}{what}"))
}

/// Whether `path` is a SQLite file (a database, its write-ahead log or shared-memory
/// index, or a rollback journal), judged by its first bytes or, for a name ending in
/// `-wal`, `-shm` or `-journal`, by the database beside it; with the words for it.
pub fn sqlite_kind(path: &Path) -> Option<&'static str> {
    use std::io::Read;
    let mut head = [0u8; 16];
    let mut read = 0;
    if let Ok(mut file) = fs::File::open(path)
        && fs::metadata(path).is_ok_and(|m| m.is_file())
    {
        while read < head.len() {
            match file.read(&mut head[read..]) {
                Ok(0) | Err(_) => break,
                Ok(n) => read += n,
            }
        }
    }
    if read == 16 && &head == b"SQLite format 3\0" {
        return Some("a SQLite database");
    }
    // The magic numbers of a write-ahead log (big- and little-endian checksums).
    if read >= 4
        && matches!(
            head[..4],
            [0x37, 0x7f, 0x06, 0x82] | [0x37, 0x7f, 0x06, 0x83]
        )
    {
        return Some("a SQLite write-ahead log");
    }
    if companion_of(path).is_some() {
        return Some("the companion file of a SQLite database beside it");
    }
    None
}

/// For a name ending in `-wal`, `-shm` or `-journal` beside a SQLite database (or the
/// database that goes with it when it does not exist yet), that database.
pub fn companion_of(path: &Path) -> Option<PathBuf> {
    let name = path.file_name()?.to_str()?;
    let base = ["-wal", "-shm", "-journal"]
        .iter()
        .find_map(|suffix| name.strip_suffix(suffix))?;
    if base.is_empty() {
        return None;
    }
    let database = path.with_file_name(base);
    let mut head = [0u8; 16];
    use std::io::Read;
    let is_sqlite = fs::File::open(&database)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok()
        && &head == b"SQLite format 3\0";
    is_sqlite.then_some(database)
}

/// The temporary name a file being written to `target` has until it is complete:
/// `.NAME.PID.NANOS.ATTEMPT.tmp` in the same folder, so that a rename puts it in place
/// and a leftover names the process that made it.
pub fn temporary_beside(target: &Path, attempt: u32) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    target.with_file_name(format!(
        ".{name}.{}.{nanos}.{attempt}.tmp",
        std::process::id()
    ))
}

/// The process id in a name DHR Panel gives a file while writing it: the current
/// `.NAME.PID.NANOS.N.tmp` and the older `NAME.partial-PID`, each possibly followed by
/// SQLite's `-journal`, `-wal` or `-shm`.
fn leftover_pid(name: &str) -> Option<i32> {
    let name = ["-journal", "-wal", "-shm"]
        .iter()
        .find_map(|s| name.strip_suffix(s))
        .unwrap_or(name);
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if let Some(rest) = name.strip_prefix('.').and_then(|n| n.strip_suffix(".tmp")) {
        let parts: Vec<&str> = rest.rsplitn(4, '.').collect();
        if let [attempt, nanos, pid, base] = parts.as_slice()
            && !base.is_empty()
            && digits(attempt)
            && digits(nanos)
            && digits(pid)
        {
            return pid.parse().ok();
        }
    }
    if let Some((base, pid)) = name.rsplit_once(".partial-")
        && !base.is_empty()
        && digits(pid)
    {
        return pid.parse().ok();
    }
    None
}

/// Whether a process with this id is still running (one of another user counts).
fn process_alive(pid: i32) -> bool {
    match nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), None) {
        Ok(()) => true,
        Err(nix::errno::Errno::ESRCH) => false,
        Err(_) => true,
    }
}

/// Removes the partial files an interrupted export or backup (killed with no chance to
/// tidy up) left in `folder`: only names DHR Panel gives its temporary files, only
/// regular files, and only when the process named in them is gone. Returns what it
/// removed and what it could not, as messages for the person running the command.
pub fn sweep_leftovers(folder: &Path) -> Vec<String> {
    let mut said = Vec::new();
    let Ok(entries) = fs::read_dir(folder) else {
        return said;
    };
    let me = std::process::id() as i32;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(leftover_pid) else {
            continue;
        };
        if pid == me || process_alive(pid) {
            continue;
        }
        let path = entry.path();
        if !fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_file()) {
            continue;
        }
        match fs::remove_file(&path) {
            Ok(()) => said.push(format!(
                "removed {}, left by an interrupted export or backup (process {pid}, no longer running)",
                path.display()
            )),
            Err(e) => said.push(format!(
                "{} was left by an interrupted export or backup (process {pid}, no longer running) and could not be removed ({e}): delete it",
                path.display()
            )),
        }
    }
    said
}

/// Temporary files being written now, removed by [`remove_pending`] when a signal ends
/// the command before they are complete.
static PENDING: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());

/// A temporary file registered for removal if a signal ends the process; dropping the
/// guard forgets it (the file has been renamed into place or removed by then).
#[derive(Debug)]
pub struct Pending {
    path: PathBuf,
}

impl Pending {
    pub fn new(path: &Path) -> Pending {
        if let Ok(mut pending) = PENDING.lock() {
            pending.push(path.to_path_buf());
        }
        Pending {
            path: path.to_path_buf(),
        }
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        if let Ok(mut pending) = PENDING.lock() {
            pending.retain(|p| p != &self.path);
        }
    }
}

/// Set when a signal is ending the command: a copy not yet begun is not begun.
static STOPPING: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Whether a signal is ending the command (a long write checks before it starts).
pub fn stopping() -> bool {
    STOPPING.load(std::sync::atomic::Ordering::SeqCst)
}

/// Removes every registered temporary file and its SQLite companions (called when a
/// signal ends a command). SQLite, still running on the main thread, may open (and so
/// create again) a file or its journal just after: the removal is repeated once that
/// moment has passed, before the process ends.
pub fn remove_pending() {
    STOPPING.store(true, std::sync::atomic::Ordering::SeqCst);
    remove_pending_once();
    std::thread::sleep(std::time::Duration::from_millis(150));
    remove_pending_once();
}

fn remove_pending_once() {
    let paths = match PENDING.lock() {
        Ok(pending) => pending.clone(),
        Err(poisoned) => poisoned.into_inner().clone(),
    };
    for path in paths {
        let _ = fs::remove_file(&path);
        for suffix in ["-journal", "-wal", "-shm"] {
            let mut name = path.as_os_str().to_owned();
            name.push(suffix);
            let _ = fs::remove_file(PathBuf::from(name));
        }
    }
}

/// Whether an I/O error means the disk (or a file-size limit) is full.
pub fn is_disk_full(e: &std::io::Error) -> bool {
    matches!(
        e.raw_os_error(),
        Some(nix::libc::ENOSPC | nix::libc::EFBIG | nix::libc::EDQUOT)
    ) || e.kind() == std::io::ErrorKind::StorageFull
}

/// Where the file system holding `path` is mounted: the highest folder above it on the
/// same device.
pub fn mount_point(path: &Path) -> PathBuf {
    let start = fs::canonicalize(path)
        .or_else(|_| fs::canonicalize(folder_of(path)))
        .unwrap_or_else(|_| folder_of(path));
    let Ok(device) = fs::metadata(&start).map(|m| m.dev()) else {
        return start;
    };
    let mut mount = start.clone();
    for ancestor in start.ancestors().skip(1) {
        match fs::metadata(ancestor) {
            Ok(meta) if meta.dev() == device => mount = ancestor.to_path_buf(),
            _ => break,
        }
    }
    mount
}

/// Words for a full disk at `path`: the folder and the file system's mount point.
pub fn full_disk(path: &Path) -> String {
    let folder = folder_of(path);
    let folder = fs::canonicalize(&folder).unwrap_or(folder);
    format!(
        "the disk holding {} (the file system mounted at {}) is full or refused the write (no space left, or a file-size limit reached)",
        folder.display(),
        mount_point(&folder).display()
    )
}

/// Whether the file system holding `path` is mounted read-only.
pub fn on_read_only_media(path: &Path) -> bool {
    nix::sys::statvfs::statvfs(&folder_of(path))
        .is_ok_and(|s| s.flags().contains(nix::sys::statvfs::FsFlags::ST_RDONLY))
}

/// Whether SQLite failed because the disk is full or refused a write (a short write
/// followed by EFBIG under a file-size limit is reported as an I/O error on write).
pub fn is_sqlite_disk_full(e: &rusqlite::Error) -> bool {
    match e {
        rusqlite::Error::SqliteFailure(f, _) => {
            f.code == rusqlite::ffi::ErrorCode::DiskFull
                || f.extended_code == rusqlite::ffi::SQLITE_IOERR_WRITE
                || f.extended_code == rusqlite::ffi::SQLITE_IOERR_FSYNC
                || f.extended_code == rusqlite::ffi::SQLITE_IOERR_TRUNCATE
        }
        _ => false,
    }
}

#[cfg(test)]
mod leftover_tests {
    use super::leftover_pid;

    #[test]
    fn only_our_temporary_names_are_leftovers() {
        assert_eq!(leftover_pid(".case.md.123.456.0.tmp"), Some(123));
        assert_eq!(leftover_pid(".a.b.md.77.1.2.tmp-journal"), Some(77));
        assert_eq!(leftover_pid("backup.sqlite3.partial-42"), Some(42));
        assert_eq!(leftover_pid("backup.sqlite3.partial-42-journal"), Some(42));
        for name in [
            "case.md",
            ".case.md.tmp",
            ".case.md.x.1.2.tmp",
            "..1.2.3.tmp",
            "b.partial-",
            ".partial-1",
            "dhr.sqlite3-wal",
        ] {
            assert_eq!(leftover_pid(name), None, "{name}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn primary_members_are_read_from_passwd() {
        let passwd = "root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/sh\nbob:x:1001:1000::/home/bob:/bin/sh\nbroken line\n";
        assert_eq!(primary_members(passwd, 0).collect::<Vec<_>>(), [0]);
        assert_eq!(
            primary_members(passwd, 1000).collect::<Vec<_>>(),
            [1000, 1001]
        );
        assert_eq!(primary_members(passwd, 7).count(), 0);
    }

    #[test]
    fn a_group_that_does_not_exist_is_not_personal() {
        assert!(!group_is_personal(0x7fff_fff0, 0));
    }
}
