//! Witnesses of the audit chain kept outside the database.
//!
//! Anyone who can write the database file can rewrite the whole chain consistently: the
//! hashes need no secret. What they cannot reach is what other logins saw. So each
//! login keeps, in its own data folder (`$XDG_DATA_HOME/dhr-panel/witnesses/`, 0700,
//! files 0600), one small file per database — named by the database's path, holding the
//! random id stored in the database — with the length and head hash of the chain seen at
//! the end of each session and each `dhr check`. A later chain must begin with the rows
//! a witness saw: a shortened or rewritten one shows.
//!
//! A witness is only ever replaced by one that extends it, so a session that ends on a
//! tampered chain keeps the evidence instead of overwriting it.

use std::fs;
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::audit::hex;
use super::{Result, Store, StoreError};

/// What one login saw of one database's audit chain, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Witness {
    /// The database file, as its canonical path.
    pub path: String,
    /// The random id stored in the database (table `meta`).
    pub database_id: String,
    /// How many rows the chain had.
    pub rows: u64,
    /// The hash of its last row (64 hex characters).
    pub head: String,
    /// When it was seen (UTC, RFC 3339).
    pub at: String,
}

/// How the chain stands against a witness (one kept locally, or one printed on an export).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    /// The chain still begins with the rows the witness saw.
    Holds,
    /// The chain has fewer rows than the witness saw.
    Shortened { now: u64 },
    /// Row `rows` of the chain is not the one the witness saw: the chain was rewritten.
    Rewritten { now: String },
    /// The file holds another database than the one the witness saw (its id differs).
    OtherDatabase { now: String },
}

/// What recording a witness did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recorded {
    /// The witness now holds the chain as it stands.
    Written(Witness),
    /// The earlier witness was kept: the chain does not extend it (the evidence stays).
    Kept(Witness, Standing),
}

/// The folder of one login's witnesses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Witnesses {
    folder: PathBuf,
}

impl Witnesses {
    /// `witnesses/` in the user's data folder (`$XDG_DATA_HOME/dhr-panel/` on Linux), or
    /// `None` when there is no home folder to find it from.
    pub fn default_place() -> Option<Witnesses> {
        directories::ProjectDirs::from("", "", "dhr-panel").map(|dirs| Witnesses {
            folder: dirs.data_dir().join("witnesses"),
        })
    }

    /// Witnesses kept in `folder`.
    pub fn in_folder(folder: PathBuf) -> Witnesses {
        Witnesses { folder }
    }

    /// The folder the witness files are in.
    pub fn folder(&self) -> &Path {
        &self.folder
    }

    /// The witness file of the database at `db` (named by its canonical path).
    pub fn file_for(&self, db: &Path) -> PathBuf {
        let digest = Sha256::digest(canonical(db).as_bytes());
        self.folder.join(format!("{}.json", hex(&digest[..12])))
    }

    /// The witness this login keeps of the database at `db`, if any.
    pub fn read(&self, db: &Path) -> Result<Option<Witness>> {
        let file = self.file_for(db);
        match fs::read(&file) {
            Ok(bytes) => serde_json::from_slice(&bytes).map(Some).map_err(|e| {
                StoreError::Rule(format!(
                    "the witness file {} cannot be read ({e}): it was damaged or edited; move it aside to start a new witness (the evidence it held is lost)",
                    file.display()
                ))
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(StoreError::Io { path: file, source: e }),
        }
    }

    /// Forgets the witness of whatever database was at `db` before (a new database was
    /// just created there, so the old chain is gone on purpose).
    pub fn forget(&self, db: &Path) -> Result<()> {
        let file = self.file_for(db);
        match fs::remove_file(&file) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(StoreError::Io {
                path: file,
                source: e,
            }),
        }
    }

    /// Writes a witness atomically: folder 0700, file 0600, renamed into place.
    fn write(&self, witness: &Witness) -> Result<()> {
        let io = |path: &Path, e: std::io::Error| StoreError::Io {
            path: path.to_path_buf(),
            source: e,
        };
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&self.folder)
            .map_err(|e| io(&self.folder, e))?;
        fs::set_permissions(&self.folder, fs::Permissions::from_mode(0o700))
            .map_err(|e| io(&self.folder, e))?;
        let file = self.file_for(Path::new(&witness.path));
        let temporary = file.with_extension(format!("partial-{}", std::process::id()));
        let bytes = serde_json::to_vec_pretty(witness)
            .map_err(|e| StoreError::Rule(format!("cannot write a witness: {e}")))?;
        let result = (|| {
            let mut out = fs::OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(true)
                .mode(0o600)
                .open(&temporary)?;
            out.write_all(&bytes)?;
            out.sync_all()?;
            fs::rename(&temporary, &file)
        })();
        if let Err(e) = result {
            let _ = fs::remove_file(&temporary);
            return Err(io(&file, e));
        }
        Ok(())
    }
}

/// The canonical path of a database, or the path as given when it cannot be resolved.
fn canonical(db: &Path) -> String {
    fs::canonicalize(db)
        .unwrap_or_else(|_| db.to_path_buf())
        .display()
        .to_string()
}

/// Parses `N:HASH` as printed on an export (12 to 64 hex characters).
pub fn parse_token(token: &str) -> std::result::Result<(u64, String), String> {
    let usage = || {
        format!(
            "--witness {token}: give the chain's length and head as printed on an export or backup, N:HASH with 12 to 64 hex characters (for example 612:3fa9c2d1e0b4)"
        )
    };
    let (rows, hash) = token.trim().split_once(':').ok_or_else(usage)?;
    let rows: u64 = rows.trim().parse().map_err(|_| usage())?;
    let hash = hash.trim().to_ascii_lowercase();
    if !(12..=64).contains(&hash.len()) || !hash.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(usage());
    }
    Ok((rows, hash))
}

impl Store {
    /// The random id migration 4 stored in this database, if it is still there.
    pub fn database_id(&self) -> Result<Option<String>> {
        use rusqlite::OptionalExtension;
        Ok(self
            .conn()
            .query_row(
                "SELECT value FROM meta WHERE key = 'database_id'",
                [],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// How the chain stands against `rows` rows ending in a hash that starts with `head`.
    pub fn standing_against(&self, rows: u64, head: &str) -> Result<Standing> {
        let now = self.audit_head()?;
        if now.rows < rows {
            return Ok(Standing::Shortened { now: now.rows });
        }
        let at = self.audit_hash_at(rows)?.unwrap_or_default();
        if at
            .to_ascii_lowercase()
            .starts_with(&head.to_ascii_lowercase())
        {
            Ok(Standing::Holds)
        } else {
            Ok(Standing::Rewritten { now: at })
        }
    }

    /// How the chain stands against a witness kept of this database.
    pub fn standing_against_witness(&self, witness: &Witness) -> Result<Standing> {
        let id = self.database_id()?.unwrap_or_default();
        if id != witness.database_id {
            return Ok(Standing::OtherDatabase { now: id });
        }
        self.standing_against(witness.rows, &witness.head)
    }

    /// The witness of the chain as it stands now.
    pub fn witness_now(&self) -> Result<Witness> {
        let head = self.audit_head()?;
        Ok(Witness {
            path: canonical(self.path()),
            database_id: self.database_id()?.unwrap_or_default(),
            rows: head.rows,
            head: head.hash,
            at: crate::time::stamp(self.clock().now_utc()),
        })
    }

    /// Records the chain as it stands in `place`, unless the witness kept there is not a
    /// beginning of it (then that witness stays, as evidence).
    pub fn record_witness(&self, place: &Witnesses) -> Result<Recorded> {
        let now = self.witness_now()?;
        if let Some(kept) = place.read(self.path())? {
            let standing = self.standing_against_witness(&kept)?;
            if standing != Standing::Holds {
                return Ok(Recorded::Kept(kept, standing));
            }
        }
        place.write(&now)?;
        Ok(Recorded::Written(now))
    }

    /// Keeps a witness in `place` when this store is closed (the end of a session), as
    /// the command line does for every database it opens.
    pub fn keep_witnesses(&mut self, place: Witnesses) {
        self.witnesses = Some(place);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_a_length_and_12_to_64_hex_characters() {
        assert_eq!(
            parse_token("612:3FA9C2D1E0B4"),
            Ok((612, "3fa9c2d1e0b4".to_string()))
        );
        assert!(parse_token("612:3fa9c2d1e0b").is_err(), "11 characters");
        assert!(parse_token("612:3fa9c2d1e0bz").is_err(), "not hex");
        assert!(parse_token("3fa9c2d1e0b4").is_err(), "no length");
        assert!(parse_token(&format!("1:{}", "a".repeat(65))).is_err());
    }
}
