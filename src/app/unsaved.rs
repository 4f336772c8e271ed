//! Typed text the seat's drafts file would not take (a full disk, a failing drive): kept
//! in another private file in the login's data folder if it can be, named on screen,
//! printed after the terminal is restored, and the reason leaving asks first. When a later
//! save succeeds the text is kept after all and is let go (the file with it, once nothing
//! is left).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

/// The texts not saved, by the place their draft is kept, and the file holding them.
#[derive(Debug, Default)]
pub struct Unsaved {
    /// Place → (what it is, the text).
    texts: BTreeMap<String, (String, String)>,
    /// The file the texts are kept in, once one was written.
    pub file: Option<PathBuf>,
    /// Why the file could not be written, if it could not.
    pub file_error: Option<String>,
    /// The file's name, fixed for the whole run (the data folder, the time and the pid).
    name: Option<PathBuf>,
}

/// The folder for the rescue file: the login's data folder (where the default database
/// lives), or the system's temporary folder when there is no home.
fn folder() -> PathBuf {
    directories::ProjectDirs::from("", "", "dhr-panel")
        .map(|dirs| dirs.data_dir().to_path_buf())
        .unwrap_or_else(std::env::temp_dir)
}

impl Unsaved {
    pub fn is_empty(&self) -> bool {
        self.texts.is_empty()
    }

    /// Keeps `text` (what it is: `what`) that could not be saved at `place`, and writes
    /// every text kept to the private file. Returns where it is kept, in words.
    pub fn keep(&mut self, place: &str, what: &str, text: &str, now: &str) -> String {
        if text.trim().is_empty() {
            self.texts.remove(place);
        } else {
            self.texts
                .insert(place.to_string(), (what.to_string(), text.to_string()));
        }
        let path = self
            .name
            .get_or_insert_with(|| {
                folder().join(format!(
                    "unsaved-{}-{}.txt",
                    now.replace([':', ' '], "-"),
                    std::process::id()
                ))
            })
            .clone();
        match self.write(&path) {
            Ok(()) => {
                self.file = Some(path.clone());
                self.file_error = None;
                format!(
                    "Kept in {} instead, and shown when you leave.",
                    path.display()
                )
            }
            Err(e) => {
                self.file_error = Some(format!("{}: {e}", path.display()));
                format!(
                    "Not kept in {} either ({e}): it is shown when you leave; do not close this window.",
                    path.display()
                )
            }
        }
    }

    /// The text at `place` was saved after all: let it go (and the file, once empty).
    pub fn saved(&mut self, place: &str) {
        if self.texts.remove(place).is_none() {
            return;
        }
        if let Some(path) = self.name.clone() {
            if self.texts.is_empty() {
                let _ = std::fs::remove_file(&path);
                self.file = None;
            } else {
                let _ = self.write(&path);
            }
        }
    }

    fn contents(&self) -> String {
        let mut out = String::from(
            "DHR Panel: text typed but not saved (the disk was full or failing).\n\
             Copy it back in when the disk can be written again.\n",
        );
        for (what, text) in self.texts.values() {
            out.push_str(&format!("\n--- {what} ---\n{text}\n"));
        }
        out
    }

    /// Writes the file afresh, readable by this login only (0600), in a folder of its own
    /// (0700) when the folder is made here.
    fn write(&self, path: &std::path::Path) -> std::io::Result<()> {
        use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
        if let Some(dir) = path.parent() {
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(dir)?;
        }
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(path)?;
        file.write_all(self.contents().as_bytes())?;
        file.sync_all()
    }

    /// What to print once the terminal is restored: where the text is and the text
    /// itself (the terminal is the last place it can go). `None` when nothing is unsaved.
    pub fn report(&self) -> Option<String> {
        if self.texts.is_empty() {
            return None;
        }
        let whereabouts = match (&self.file, &self.file_error) {
            (Some(path), _) => format!("It is kept in {}.", path.display()),
            (None, Some(e)) => format!("It could not be kept in a file either ({e})."),
            (None, None) => String::new(),
        };
        // Printed to the terminal: through the display sanitiser like every other text.
        Some(format!(
            "dhr: some typed text could not be saved. {}\n{}",
            crate::domain::text::sanitize(&whereabouts),
            crate::domain::text::sanitize(&self.contents())
        ))
    }
}
