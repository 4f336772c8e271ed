//! Records the git commit the binary is built from, for `dhr --version` ("unknown" when
//! the source is not a git checkout or git is not installed). The script runs again only
//! when the checkout's HEAD or the branch it points to moves, so an ordinary rebuild
//! does not start git.

use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    let output = Command::new("git").args(args).output().ok()?;
    if !output.status.success() {
        return None;
    }
    let text = String::from_utf8(output.stdout).ok()?;
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    // Only this source's own checkout counts, not a repository it happens to sit in.
    let here = std::env::var_os("CARGO_MANIFEST_DIR").and_then(|d| std::fs::canonicalize(d).ok());
    let top = git(&["rev-parse", "--show-toplevel"]).and_then(|t| std::fs::canonicalize(t).ok());
    let commit = (here.is_some() && here == top)
        .then(|| git(&["rev-parse", "--short=12", "HEAD"]))
        .flatten()
        .filter(|c| c.len() == 12 && c.bytes().all(|b| b.is_ascii_hexdigit()))
        .unwrap_or_else(|| "unknown".to_string());
    if commit != "unknown" {
        // HEAD, the branch it names, and packed-refs (where a branch may live instead).
        let branch = git(&["symbolic-ref", "-q", "HEAD"]);
        for name in ["HEAD", "packed-refs"].into_iter().chain(branch.as_deref()) {
            let Some(path) = git(&["rev-parse", "--git-path", name]) else {
                continue;
            };
            let path = std::path::PathBuf::from(path);
            // A branch kept only in packed-refs gets a file of its own at its next
            // commit: watch the folder it will appear in.
            let watch = if path.exists() {
                Some(path.as_path())
            } else if name.starts_with("refs/") {
                path.parent().filter(|p| p.exists())
            } else {
                None
            };
            if let Some(watch) = watch {
                println!("cargo:rerun-if-changed={}", watch.display());
            }
        }
    }
    println!("cargo:rustc-env=DHR_BUILD_COMMIT={commit}");
}
