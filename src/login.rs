//! Naming a uid or a gid: the audit trail, the seats and the folder checks all name
//! logins and groups here.
//!
//! The system's own lookup comes first. A statically linked build must not use glibc's
//! for that: where the host's name service switch names a directory (SSSD, LDAP,
//! winbind), glibc loads that service's module, built for the host's glibc rather than
//! the one linked in, which can crash the process (it did, with SIGFPE, for a directory
//! account on a newer Debian). So a static build reads /etc/passwd and /etc/group
//! itself, and a name they lack is asked of `getent`, which runs with the host's own
//! libraries. Only when that fails too is a login written "uid N". `getent` is found by
//! absolute path (never through `PATH`, which anyone can set), waited for at most
//! [`GETENT_WAIT`], and its answer is taken only if it names a plausible login.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::Duration;

/// Where `getent` is looked for, in order.
pub const GETENT_PATHS: &[&str] = &["/usr/bin/getent", "/bin/getent"];

/// How long a directory may take to answer before the login is written "uid N".
pub const GETENT_WAIT: Duration = Duration::from_secs(3);

/// The login name of this process's real uid (not `$USER`, which anyone can set).
pub fn current() -> String {
    name_of(nix::unistd::getuid().as_raw())
}

/// The login name of `uid`, or "uid N" when neither the system nor `getent` knows it.
pub fn name_of(uid: u32) -> String {
    known_name(uid).unwrap_or_else(|| format!("uid {uid}"))
}

/// The login name of `uid`, if the system or `getent` knows it. Answers are kept for the
/// run, so a slow directory is asked once.
pub fn known_name(uid: u32) -> Option<String> {
    static KNOWN: Mutex<Option<HashMap<u32, Option<String>>>> = Mutex::new(None);
    if let Ok(guard) = KNOWN.lock()
        && let Some(found) = guard.as_ref().and_then(|m| m.get(&uid))
    {
        return found.clone();
    }
    let found = lookup(uid, getent_path().as_deref(), GETENT_WAIT);
    if let Ok(mut guard) = KNOWN.lock() {
        guard
            .get_or_insert_with(HashMap::new)
            .insert(uid, found.clone());
    }
    found
}

/// The first `getent` of [`GETENT_PATHS`] that exists.
fn getent_path() -> Option<PathBuf> {
    GETENT_PATHS.iter().map(PathBuf::from).find(|p| p.is_file())
}

/// Whether this binary is statically linked (see the top of this module).
const STATIC: bool = cfg!(target_feature = "crt-static");

/// The system's lookup, then `getent` at `getent` (if given).
pub fn lookup(uid: u32, getent: Option<&Path>, wait: Duration) -> Option<String> {
    let system = if STATIC {
        std::fs::read_to_string("/etc/passwd")
            .ok()
            .and_then(|text| text.lines().find_map(|line| passwd_entry(line, uid)))
    } else {
        nix::unistd::User::from_uid(nix::unistd::Uid::from_raw(uid))
            .ok()
            .flatten()
            .map(|user| user.name)
    };
    system.or_else(|| getent.and_then(|path| ask_getent(path, uid, wait)))
}

/// Runs `getent passwd UID` and reads the name from its answer; nothing when it fails,
/// answers something else, or takes longer than `wait` (it is then killed).
pub fn ask_getent(getent: &Path, uid: u32, wait: Duration) -> Option<String> {
    parse_passwd(&run_getent(getent, "passwd", uid, wait)?, uid)
}

/// A group: its name and the logins that list it as a supplementary group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub name: String,
    pub members: Vec<String>,
}

/// Group `gid`, from the system (the files, for a static build), else `getent group`.
pub fn group(gid: u32) -> Option<Group> {
    let system = if STATIC {
        std::fs::read_to_string("/etc/group")
            .ok()
            .and_then(|text| text.lines().find_map(|line| parse_group(line, gid)))
    } else {
        nix::unistd::Group::from_gid(nix::unistd::Gid::from_raw(gid))
            .ok()
            .flatten()
            .map(|g| Group {
                name: g.name,
                members: g.mem,
            })
    };
    system.or_else(|| {
        let answer = run_getent(&getent_path()?, "group", gid, GETENT_WAIT)?;
        parse_group(answer.lines().next()?, gid)
    })
}

/// Runs `getent DATABASE KEY`: its output when it succeeds within `wait`.
fn run_getent(getent: &Path, database: &str, key: u32, wait: Duration) -> Option<String> {
    let mut child = Command::new(getent)
        .arg(database)
        .arg(key.to_string())
        .env_clear()
        .env("LC_ALL", "C")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let mut stdout = child.stdout.take()?;
    let (send, receive) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        // One entry; a directory that says more is not read further.
        let mut answer = Vec::new();
        let read = (&mut stdout).take(64 * 1024).read_to_end(&mut answer);
        let _ = send.send(read.map(|_| answer));
    });
    let answer = match receive.recv_timeout(wait) {
        Ok(Ok(answer)) => answer,
        _ => {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
    };
    // Output read to its end: getent has finished or is about to.
    let status = child.wait().ok()?;
    status
        .success()
        .then(|| String::from_utf8_lossy(&answer).into_owned())
}

/// The login name in `getent passwd` output for `uid`: the first field of the first line,
/// if that line's uid is `uid` and the name is plausible.
pub fn parse_passwd(text: &str, uid: u32) -> Option<String> {
    passwd_entry(text.lines().next()?, uid)
}

/// The name in one passwd line, if it is `uid`'s and plausible.
fn passwd_entry(line: &str, uid: u32) -> Option<String> {
    let mut fields = line.split(':');
    let name = fields.next()?;
    let _password = fields.next()?;
    let line_uid: u32 = fields.next()?.trim().parse().ok()?;
    (line_uid == uid && plausible(name)).then(|| name.to_string())
}

/// One group line (`name:x:gid:member,member`), if it is `gid`'s and its names plausible.
pub fn parse_group(line: &str, gid: u32) -> Option<Group> {
    let mut fields = line.split(':');
    let name = fields.next()?;
    let _password = fields.next()?;
    let line_gid: u32 = fields.next()?.trim().parse().ok()?;
    let members: Vec<String> = fields
        .next()
        .unwrap_or("")
        .split(',')
        .filter(|m| !m.is_empty())
        .map(str::to_string)
        .collect();
    (line_gid == gid && plausible(name) && members.iter().all(|m| plausible(m))).then(|| Group {
        name: name.to_string(),
        members,
    })
}

/// Whether `name` can be a login: 1 to 64 characters of letters, digits and `. _ - @ $ \`
/// (a directory may qualify names as `user@domain` or `DOMAIN\user`), not starting with
/// `-`. Anything else (control characters, spaces, text of an error) is not taken.
pub fn plausible(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && !name.starts_with('-')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@' | '$' | '\\'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn passwd_lines_give_their_first_field_for_the_right_uid() {
        assert_eq!(
            parse_passwd("jdoe:*:712345:700:Jo Doe:/home/jdoe:/bin/bash\n", 712345),
            Some("jdoe".to_string())
        );
        assert_eq!(
            parse_passwd(
                "j.doe@council.example:*:712345:700::/home/j:/bin/sh",
                712345
            ),
            Some("j.doe@council.example".to_string())
        );
        // Another uid's line, an empty answer, a name that is not a login, a short line.
        assert_eq!(parse_passwd("root:x:0:0::/root:/bin/sh\n", 712345), None);
        assert_eq!(parse_passwd("", 712345), None);
        assert_eq!(parse_passwd("\n", 712345), None);
        assert_eq!(parse_passwd("Jo Doe:x:712345:700::/:/bin/sh", 712345), None);
        assert_eq!(parse_passwd("\u{1b}[31mx:x:712345:1::/:/", 712345), None);
        assert_eq!(parse_passwd("-rf:x:712345:1::/:/", 712345), None);
        assert_eq!(parse_passwd("jdoe", 712345), None);
        assert_eq!(parse_passwd("jdoe:x:notanumber:1::/:/", 712345), None);
        assert_eq!(
            parse_passwd(&format!("{}:x:7:1::/:/", "a".repeat(65)), 7),
            None
        );
    }

    #[test]
    fn group_lines_give_their_name_and_members() {
        assert_eq!(
            parse_group("dhr-panel:*:70010:r.ahmed,j.doe@council.example", 70010),
            Some(Group {
                name: "dhr-panel".to_string(),
                members: vec!["r.ahmed".to_string(), "j.doe@council.example".to_string()],
            })
        );
        assert_eq!(
            parse_group("r.ahmed:x:5001:", 5001),
            Some(Group {
                name: "r.ahmed".to_string(),
                members: Vec::new(),
            })
        );
        assert_eq!(parse_group("staff:x:50:", 5001), None);
        assert_eq!(parse_group("staff:x:50:a b", 50), None);
        assert_eq!(parse_group("", 50), None);
    }

    /// The tests that write a fake getent and run one take turns: a script being written
    /// while another test's child is between fork and exec would hold the file open for
    /// writing in that child, and running it then fails with "Text file busy".
    static SPAWNING: std::sync::Mutex<()> = std::sync::Mutex::new(());

    fn one_at_a_time() -> std::sync::MutexGuard<'static, ()> {
        SPAWNING.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn fake_getent(dir: &Path, script: &str) -> PathBuf {
        let path = dir.join("getent");
        std::fs::write(&path, format!("#!/bin/sh\n{script}\n")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        path
    }

    /// A uid no one has: the system's lookup finds nothing, so the answer is getent's.
    fn unused_uid() -> u32 {
        (712_000..713_000)
            .find(|u| {
                matches!(
                    nix::unistd::User::from_uid(nix::unistd::Uid::from_raw(*u)),
                    Ok(None)
                )
            })
            .unwrap()
    }

    #[test]
    fn a_uid_the_system_cannot_name_is_named_by_getent() {
        let _turn = one_at_a_time();
        let dir = tempfile::tempdir().unwrap();
        let uid = unused_uid();
        // The fake answers only for `passwd UID`, as getent does.
        let getent = fake_getent(
            dir.path(),
            &format!(
                "[ \"$1\" = passwd ] && [ \"$2\" = {uid} ] && echo 'r.ahmed:*:{uid}:700:Rana Ahmed:/home/r.ahmed:/bin/bash' && exit 0; exit 2"
            ),
        );
        let wait = Duration::from_secs(10);
        assert_eq!(
            lookup(uid, Some(&getent), wait),
            Some("r.ahmed".to_string())
        );
        // No getent, or a getent that knows nothing: nothing.
        assert_eq!(lookup(uid, None, wait), None);
        let silent = fake_getent(dir.path(), "exit 2");
        assert_eq!(lookup(uid, Some(&silent), wait), None);
        // A getent that is not there at all.
        assert_eq!(lookup(uid, Some(&dir.path().join("absent")), wait), None);
    }

    #[test]
    fn a_known_uid_is_named_without_getent() {
        let _turn = one_at_a_time();
        let dir = tempfile::tempdir().unwrap();
        // A getent that would lie: never asked for a uid the system knows.
        let liar = fake_getent(dir.path(), "echo 'mallory:x:0:0::/:/bin/sh'");
        assert_eq!(
            lookup(0, Some(&liar), Duration::from_secs(10)).as_deref(),
            nix::unistd::User::from_uid(nix::unistd::Uid::from_raw(0))
                .unwrap()
                .map(|u| u.name)
                .as_deref()
        );
    }

    #[test]
    fn a_getent_that_hangs_is_given_up_and_a_refused_answer_is_not_taken() {
        let _turn = one_at_a_time();
        let dir = tempfile::tempdir().unwrap();
        let uid = unused_uid();
        let hung = fake_getent(dir.path(), "exec sleep 30");
        assert_eq!(ask_getent(&hung, uid, Duration::from_millis(200)), None);
        let failed = fake_getent(
            dir.path(),
            &format!("echo 'r.ahmed:*:{uid}:700::/:/bin/sh'; exit 1"),
        );
        assert_eq!(ask_getent(&failed, uid, Duration::from_secs(10)), None);
    }

    #[test]
    fn a_uid_no_one_has_is_written_as_its_number() {
        let _turn = one_at_a_time();
        // The host's own getent (if any) knows nothing of it either.
        let uid = unused_uid();
        assert_eq!(name_of(uid), format!("uid {uid}"));
    }
}
