//! Noticing another seat's commits without a timer: the kernel says when the database's
//! files are written (inotify), and only then does the workspace ask SQLite whether
//! anything changed (`PRAGMA data_version`). Another seat's commit writes the write-ahead
//! log (`<db>-wal`), a checkpoint writes the database file, and the log file is made and
//! removed as connections come and go, so the folder is watched for those names too.
//!
//! The event is only a hint: this seat's own commits touch the same files, and the
//! data version (which only another connection's commit changes) decides what is read
//! again. Several events before the loop gets round to them make one check.
//!
//! Where the files cannot be watched — on a network file system (NFS, SMB/CIFS, FUSE, 9p…)
//! another host's writes raise no event here, or inotify itself is not available or out of
//! watches — the workspace looks once a second instead, and says so.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use nix::errno::Errno;
use nix::sys::inotify::{AddWatchFlags, InitFlags, Inotify, WatchDescriptor};

/// How the workspace learns of another seat's commits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// The kernel wakes the workspace when the database's files are written.
    Watched,
    /// The workspace looks once a second, for this reason (shown to the user).
    Polled(String),
}

impl Mode {
    /// One line, as `dhr --version` and the message log say it.
    pub fn describe(&self) -> String {
        match self {
            Mode::Watched => "database changes: watched (inotify)".to_string(),
            Mode::Polled(why) => format!("database changes: polled every second ({why})"),
        }
    }
}

/// How changes to the database at `db` would be noticed, as one line ("database changes:
/// watched (inotify)", or "polled every second (network file system: nfs)").
/// A database not made yet is judged by the nearest folder on its path that exists: the
/// file system it will be made on.
pub fn describe(db: &Path) -> String {
    if db.exists() {
        return match Watches::open(db) {
            Ok(_) => Mode::Watched,
            Err(why) => Mode::Polled(why),
        }
        .describe();
    }
    let folder = folder_of(db);
    let existing = folder
        .ancestors()
        .find(|p| p.exists())
        .map(Path::to_path_buf);
    let network = existing
        .as_deref()
        .and_then(|p| nix::sys::statfs::statfs(p).ok())
        .and_then(|fs| {
            #[allow(clippy::unnecessary_cast)] // the type of f_type differs between targets
            network_file_system(fs.filesystem_type().0 as i64)
        });
    match network {
        Some(name) => Mode::Polled(format!("network file system: {name}")),
        None => Mode::Watched,
    }
    .describe()
}

/// File systems where another host's writes raise no inotify event here, by the
/// `f_type` statfs gives (linux/magic.h), with the name the message uses.
const NETWORK_FILE_SYSTEMS: [(i64, &str); 13] = [
    (0x6969, "nfs"),
    (0xFF53_4D42, "cifs"),
    (0xFE53_4D42, "smb2"),
    (0x517B, "smb"),
    (0x6573_5546, "fuse"),
    (0x0102_1997, "9p"),
    (0x00C3_6400, "ceph"),
    (0x5346_414F, "afs"),
    (0x6B41_4653, "afs"),
    (0x0116_1970, "gfs2"),
    (0x7461_636F, "ocfs2"),
    (0x0BD0_0BD0, "lustre"),
    (0x564C, "ncp"),
];

/// The network file system `f_type` names, if it is one.
pub fn network_file_system(f_type: i64) -> Option<&'static str> {
    NETWORK_FILE_SYSTEMS
        .iter()
        .find(|(magic, _)| *magic == f_type)
        .map(|(_, name)| *name)
}

/// The folder a database is in ("." for a bare file name).
fn folder_of(db: &Path) -> PathBuf {
    match db.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The watches on one database: its folder (its files made, removed or replaced) and the
/// writes to the database file and its write-ahead log.
pub struct Watches {
    inotify: Inotify,
    folder: PathBuf,
    folder_watch: WatchDescriptor,
    names: [OsString; 2],
}

/// What the folder watch reports: the database or its log made, removed or renamed.
fn folder_flags() -> AddWatchFlags {
    AddWatchFlags::IN_CREATE
        | AddWatchFlags::IN_DELETE
        | AddWatchFlags::IN_MOVED_TO
        | AddWatchFlags::IN_MOVED_FROM
        | AddWatchFlags::IN_ONLYDIR
}

impl Watches {
    /// Sets the watches up, or says why the database must be polled instead.
    pub fn open(db: &Path) -> Result<Watches, String> {
        // SQLite follows a link to the database and keeps its log beside the file the link
        // names: the watches go there too.
        let resolved = std::fs::canonicalize(db).ok();
        let db = resolved.as_deref().unwrap_or(db);
        let folder = folder_of(db);
        // Debug builds only: a way for tests to see the fallback the way a user would.
        #[cfg(debug_assertions)]
        if std::env::var_os("DHR_TEST_NO_INOTIFY").is_some() {
            return Err("inotify refused: DHR_TEST_NO_INOTIFY is set".to_string());
        }
        if let Ok(fs) = nix::sys::statfs::statfs(&folder) {
            #[allow(clippy::unnecessary_cast)] // the type of f_type differs between targets
            let f_type = fs.filesystem_type().0 as i64;
            if let Some(name) = network_file_system(f_type) {
                return Err(format!("network file system: {name}"));
            }
        }
        let unwatchable = |e: Errno| format!("inotify not available: {}", e.desc());
        let inotify = Inotify::init(InitFlags::IN_CLOEXEC).map_err(unwatchable)?;
        let folder_watch = inotify
            .add_watch(&folder, folder_flags())
            .map_err(unwatchable)?;
        let Some(name) = db.file_name() else {
            return Err("the database path names no file".to_string());
        };
        let mut wal = name.to_os_string();
        wal.push("-wal");
        let watches = Watches {
            inotify,
            folder,
            folder_watch,
            names: [name.to_os_string(), wal],
        };
        // The database file must be watchable; its log may not exist yet (the folder
        // watch sees it made).
        watches.watch_file(0).map_err(unwatchable)?;
        let _ = watches.watch_file(1);
        Ok(watches)
    }

    /// Watches the writes to the database (0) or its log (1).
    fn watch_file(&self, which: usize) -> nix::Result<WatchDescriptor> {
        self.inotify.add_watch(
            &self.folder.join(&self.names[which]),
            AddWatchFlags::IN_MODIFY,
        )
    }

    /// Blocks until one of the database's files was written, made, removed or replaced
    /// (the events queued meanwhile come with it). Returns false when the watch ended.
    pub fn wait(&self) -> bool {
        loop {
            let events = match self.inotify.read_events() {
                Ok(events) => events,
                Err(Errno::EINTR) => continue,
                Err(_) => return false,
            };
            let mut relevant = false;
            for event in events {
                if event.wd != self.folder_watch {
                    // A file watch: a write (IN_IGNORED when the file went).
                    relevant |= event.mask.contains(AddWatchFlags::IN_MODIFY);
                    continue;
                }
                let Some(which) = event
                    .name
                    .as_ref()
                    .and_then(|n| self.names.iter().position(|m| m == n))
                else {
                    continue;
                };
                relevant = true;
                if event
                    .mask
                    .intersects(AddWatchFlags::IN_CREATE | AddWatchFlags::IN_MOVED_TO)
                {
                    // A new file under the name: watch its writes (a failure leaves the
                    // folder watch, which still sees it replaced again).
                    let _ = self.watch_file(which);
                }
            }
            if relevant {
                return true;
            }
        }
    }
}

/// Starts the watch on a thread of its own, which calls `changed` after each
/// burst of writes (until `changed` returns false). Returns how changes will be noticed:
/// when the watches cannot be set up, the caller polls.
pub fn start(
    watches: Result<Watches, String>,
    mut changed: impl FnMut() -> bool + Send + 'static,
) -> Mode {
    match watches {
        Ok(watches) => {
            let spawned = std::thread::Builder::new()
                .name("dhr-watch".to_string())
                .spawn(move || while watches.wait() && changed() {});
            match spawned {
                Ok(_) => Mode::Watched,
                Err(e) => Mode::Polled(format!("no thread to watch with: {e}")),
            }
        }
        Err(why) => Mode::Polled(why),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::time::Duration;

    #[test]
    fn network_file_systems_are_named_and_local_ones_are_not() {
        assert_eq!(network_file_system(0x6969), Some("nfs"));
        assert_eq!(network_file_system(0xFE53_4D42), Some("smb2"));
        assert_eq!(network_file_system(0x6573_5546), Some("fuse"));
        assert_eq!(network_file_system(0x0102_1997), Some("9p"));
        // ext4, xfs, btrfs, tmpfs
        for local in [0xEF53, 0x5846_5342, 0x9123_683E, 0x0102_1994] {
            assert_eq!(network_file_system(local), None);
        }
    }

    #[test]
    fn a_watch_that_fails_falls_back_to_polling_and_says_why() {
        let (tx, rx) = mpsc::channel::<()>();
        let mode = start(
            Err("inotify not available: No space left on device".to_string()),
            move || tx.send(()).is_ok(),
        );
        assert_eq!(
            mode.describe(),
            "database changes: polled every second (inotify not available: No space left on device)"
        );
        assert!(rx.recv_timeout(Duration::from_millis(100)).is_err());
        // A real failure: the folder is not there to watch.
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("gone").join("x.db");
        assert!(Watches::open(&missing).is_err());
        // `dhr --version` judges a database not made yet by the file system it will be on.
        assert_eq!(describe(&missing), "database changes: watched (inotify)");
    }

    #[test]
    fn a_database_opened_through_a_link_is_watched_where_the_file_is() {
        let real = tempfile::tempdir().unwrap();
        let links = tempfile::tempdir().unwrap();
        let db = real.path().join("real.db");
        std::fs::write(&db, b"").unwrap();
        let link = links.path().join("link.db");
        std::os::unix::fs::symlink(&db, &link).unwrap();
        let (tx, rx) = mpsc::channel::<()>();
        let mode = start(Watches::open(&link), move || tx.send(()).is_ok());
        assert_eq!(mode, Mode::Watched);
        // SQLite writes its log beside the real file, not beside the link.
        std::fs::write(real.path().join("real.db-wal"), b"written").unwrap();
        assert!(rx.recv_timeout(Duration::from_secs(5)).is_ok());
    }

    #[test]
    fn a_write_to_the_log_or_the_database_wakes_the_watch_once_per_burst() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("x.db");
        std::fs::write(&db, b"").unwrap();
        assert_eq!(describe(&db), "database changes: watched (inotify)");
        let (tx, rx) = mpsc::channel::<()>();
        let mode = start(Watches::open(&db), move || tx.send(()).is_ok());
        assert_eq!(mode, Mode::Watched);
        // Nothing written: nothing said.
        assert!(rx.recv_timeout(Duration::from_millis(200)).is_err());
        // The log made, then written.
        let wal = dir.path().join("x.db-wal");
        std::fs::write(&wal, b"one").unwrap();
        assert!(rx.recv_timeout(Duration::from_secs(5)).is_ok());
        while rx.recv_timeout(Duration::from_millis(200)).is_ok() {}
        std::fs::write(&wal, b"two").unwrap();
        assert!(rx.recv_timeout(Duration::from_secs(5)).is_ok());
        while rx.recv_timeout(Duration::from_millis(200)).is_ok() {}
        // Another file in the folder says nothing.
        std::fs::write(dir.path().join("other.db"), b"x").unwrap();
        assert!(rx.recv_timeout(Duration::from_millis(200)).is_err());
        // The database file written (a checkpoint).
        std::fs::write(&db, b"page").unwrap();
        assert!(rx.recv_timeout(Duration::from_secs(5)).is_ok());
    }
}
