//! What the terminal can show: how many colours, and whether it takes Unicode.
//!
//! The environment is read once, in [`Env::from_process`], and handed to [`decide`],
//! which is pure (and tested as a table). The one other thing read is the terminal's
//! compiled terminfo entry, for its `colors` number ([`terminfo_colours`], parsed by
//! [`parse_colours`]): where it cannot be read, [`colours_of_name`] knows the common
//! terminal names.
//!
//! Colours: `--color always|never` first (an administrator who knows better than `TERM`),
//! then `NO_COLOR`, then terminfo, then the names. The workspace uses at most the 16 named
//! colours; a terminal with 8 gets the bright ones drawn as their basic ones; one with
//! fewer (vt100, vt220, an unknown name) gets the monochrome theme.
//!
//! Text: `--ascii` / `--unicode` first, then the locale (`LC_ALL`, else `LC_CTYPE`, else
//! `LANG`, an empty one counting as unset): a name ending in UTF-8 or utf8 is Unicode,
//! anything else (unset, `C`, `POSIX`, `en_GB.ISO-8859-1`) gets ASCII borders and markers,
//! and the backend shows every other character as `?`.
//!
//! `TERM=dumb` or no `TERM` cannot draw a screen at all: [`screen_refusal`] says so.

use std::path::{Path, PathBuf};

use crate::app::{Colours, Options};

/// `--color`: whether to use colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum ColourChoice {
    /// From the terminal: NO_COLOR, terminfo, the TERM name.
    #[default]
    Auto,
    /// Colours whatever TERM and NO_COLOR say.
    Always,
    /// No colours.
    Never,
}

/// `--ascii` / `--unicode`: which glyphs to draw, when given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GlyphChoice {
    Auto,
    Ascii,
    Unicode,
}

/// The environment as far as the display depends on it, read in one place.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Env {
    pub term: Option<String>,
    /// `NO_COLOR`, set and not empty.
    pub no_color: bool,
    pub lc_all: Option<String>,
    pub lc_ctype: Option<String>,
    pub lang: Option<String>,
    /// Where terminfo entries are looked for, in order.
    pub terminfo_dirs: Vec<PathBuf>,
}

/// Reads a variable; an empty one counts as unset, as for the locale in POSIX.
fn var(name: &str) -> Option<String> {
    std::env::var_os(name)
        .map(|v| v.to_string_lossy().into_owned())
        .filter(|v| !v.is_empty())
}

impl Env {
    /// The process's environment.
    pub fn from_process() -> Env {
        let mut dirs = Vec::new();
        if let Some(dir) = var("TERMINFO") {
            dirs.push(PathBuf::from(dir));
        }
        if let Some(home) = var("HOME") {
            dirs.push(Path::new(&home).join(".terminfo"));
        }
        if let Some(list) = var("TERMINFO_DIRS") {
            for dir in list.split(':') {
                // An empty entry stands for the system's own folder.
                dirs.push(PathBuf::from(if dir.is_empty() {
                    "/usr/share/terminfo"
                } else {
                    dir
                }));
            }
        }
        for dir in ["/etc/terminfo", "/lib/terminfo", "/usr/share/terminfo"] {
            dirs.push(PathBuf::from(dir));
        }
        Env {
            term: var("TERM"),
            no_color: var("NO_COLOR").is_some(),
            lc_all: var("LC_ALL"),
            lc_ctype: var("LC_CTYPE"),
            lang: var("LANG"),
            terminfo_dirs: dirs,
        }
    }
}

/// What the terminal's terminfo entry said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Terminfo {
    /// The entry's name (the `TERM` it was found for).
    pub name: String,
    /// Its `colors`, or `None` when the entry has none.
    pub colours: Option<i32>,
}

/// The display chosen, and why, in words for the help screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Display {
    pub colours: Colours,
    pub ascii: bool,
    /// "Display: 16 colours (terminfo xterm-256color: 256),\nUnicode (LANG=en_GB.UTF-8)":
    /// the colours and the glyphs, each with its reason; help shows them on one line where
    /// it is wide enough, else on two.
    pub note: String,
}

impl Display {
    /// The workspace's options for this display.
    pub fn options(&self, read_only: bool) -> Options {
        Options {
            monochrome: self.colours == Colours::None,
            basic_colours: self.colours == Colours::Eight,
            ascii: self.ascii,
            read_only,
            display: self.note.clone(),
        }
    }
}

/// A value from the environment as the note shows it: at most 24 characters.
fn shown(value: &str) -> String {
    const MOST: usize = 24;
    if value.chars().count() <= MOST {
        value.to_string()
    } else {
        let cut: String = value.chars().take(MOST - 3).collect();
        format!("{cut}...")
    }
}

/// The colours a `colors` number gives.
fn colours_of_count(count: i32) -> Colours {
    match count {
        16.. => Colours::Sixteen,
        8.. => Colours::Eight,
        _ => Colours::None,
    }
}

/// The colours a terminal of this name has, for when its terminfo entry cannot be read:
/// `None` for a name this table does not know.
pub fn colours_of_name(term: &str) -> Option<i32> {
    let term = term.to_ascii_lowercase();
    let base = term.split('-').next().unwrap_or("");
    if term.ends_with("-256color") || term.ends_with("-direct") || term.ends_with("-truecolor") {
        return Some(256);
    }
    if term.ends_with("-88color") {
        return Some(88);
    }
    if term.ends_with("-16color") {
        return Some(16);
    }
    if term.ends_with("-mono") || term.ends_with("-m") || term == "dumb" {
        return Some(0);
    }
    // The DEC terminals and their kind: no colour.
    if base.starts_with("vt") || matches!(base, "ansi.sys" | "wy50" | "wyse50") {
        return Some(0);
    }
    let colour = [
        "xterm",
        "linux",
        "putty",
        "screen",
        "tmux",
        "rxvt",
        "ansi",
        "cygwin",
        "konsole",
        "gnome",
        "vte",
        "alacritty",
        "kitty",
        "foot",
        "st",
        "wezterm",
        "iterm",
        "iterm2",
        "eterm",
        "aterm",
        "cons25",
        "pcansi",
        "mach",
    ];
    colour.contains(&base).then_some(8)
}

/// The locale that decides the character set, and its name (LC_ALL, else LC_CTYPE,
/// else LANG).
fn locale(env: &Env) -> Option<(&'static str, &str)> {
    [
        ("LC_ALL", &env.lc_all),
        ("LC_CTYPE", &env.lc_ctype),
        ("LANG", &env.lang),
    ]
    .into_iter()
    .find_map(|(name, value)| value.as_deref().map(|v| (name, v)))
}

/// Whether a locale name is a UTF-8 one: `en_GB.UTF-8`, `C.utf8`, `de_DE.UTF-8@euro`, or
/// a bare `UTF-8` (what a Mac's SSH sends as `LC_CTYPE`: its terminal is UTF-8).
pub fn is_utf8_locale(name: &str) -> bool {
    let codeset = name.split_once('.').map(|(_, rest)| rest).unwrap_or(name);
    let codeset = codeset.split('@').next().unwrap_or("");
    let codeset = codeset.to_ascii_lowercase().replace('-', "");
    codeset == "utf8"
}

/// What to draw with, from the flags, the environment and the terminal's terminfo entry
/// (if one was read).
pub fn decide(
    env: &Env,
    colour: ColourChoice,
    glyphs: GlyphChoice,
    terminfo: Option<&Terminfo>,
) -> Display {
    let term = env.term.as_deref().unwrap_or("");
    let (colours, why) = match colour {
        ColourChoice::Never => (Colours::None, "--color never".to_string()),
        ColourChoice::Always => (Colours::Sixteen, "--color always".to_string()),
        ColourChoice::Auto if env.no_color => (Colours::None, "NO_COLOR".to_string()),
        ColourChoice::Auto if term.is_empty() => (Colours::None, "no TERM".to_string()),
        ColourChoice::Auto => match terminfo {
            Some(Terminfo {
                name,
                colours: Some(n),
            }) if *n > 0 => (
                colours_of_count(*n),
                format!("terminfo {}: {n}", shown(name)),
            ),
            Some(Terminfo { name, .. }) => {
                (Colours::None, format!("terminfo {}: none", shown(name)))
            }
            None => match colours_of_name(term) {
                Some(n) if n > 0 => (colours_of_count(n), format!("TERM={}", shown(term))),
                Some(_) => (Colours::None, format!("TERM={}", shown(term))),
                None => (Colours::None, format!("TERM={} unknown", shown(term))),
            },
        },
    };
    let (ascii, text_why) = match glyphs {
        GlyphChoice::Ascii => (true, "--ascii".to_string()),
        GlyphChoice::Unicode => (false, "--unicode".to_string()),
        GlyphChoice::Auto => match locale(env) {
            Some((name, value)) => (!is_utf8_locale(value), format!("{name}={}", shown(value))),
            None => (true, "no locale set".to_string()),
        },
    };
    let colour_words = match colours {
        Colours::Sixteen => "16 colours",
        Colours::Eight => "8 colours",
        Colours::None => "monochrome",
    };
    let text_words = if ascii { "ASCII" } else { "Unicode" };
    Display {
        colours,
        ascii,
        note: format!("Display: {colour_words} ({why}),\n{text_words} ({text_why})"),
    }
}

/// Why the workspace cannot draw on this terminal (`TERM=dumb` or no `TERM`), if so.
pub fn screen_refusal(env: &Env) -> Option<String> {
    let said = match env.term.as_deref() {
        None => "TERM is not set".to_string(),
        Some(t) if t.eq_ignore_ascii_case("dumb") => "TERM is dumb".to_string(),
        Some(_) => return None,
    };
    Some(format!(
        "the workspace needs a terminal that can draw a screen, and {said}: set TERM to \
         your terminal's name (for PuTTY, xterm), or use a subcommand that works without \
         a screen: cases, demo, import, export, check, backup, restore, publication \
         (see `dhr --help`)"
    ))
}

/// The largest terminfo file read (real ones are a few kilobytes).
const MOST_TERMINFO: u64 = 64 * 1024;

/// The terminal's terminfo entry, from the first folder that has it, in either layout
/// (`x/xterm` or `78/xterm`). A name with a path in it is not looked for.
pub fn terminfo_colours(env: &Env) -> Option<Terminfo> {
    use std::io::Read;
    let term = env.term.as_deref()?;
    let first = term.chars().next()?;
    if term.contains('/') || term.contains('\0') || term.starts_with('.') {
        return None;
    }
    let hex = format!("{:02x}", u32::from(first));
    for dir in &env.terminfo_dirs {
        for sub in [first.to_string(), hex.clone()] {
            let path = dir.join(&sub).join(term);
            // Only a plain file: opening a FIFO named like the terminal would wait forever.
            if !std::fs::metadata(&path).is_ok_and(|m| m.is_file()) {
                continue;
            }
            let Ok(file) = std::fs::File::open(&path) else {
                continue;
            };
            let mut bytes = Vec::new();
            if file.take(MOST_TERMINFO).read_to_end(&mut bytes).is_err() {
                continue;
            }
            if let Some(colours) = parse_colours(&bytes) {
                return Some(Terminfo {
                    name: term.to_string(),
                    colours,
                });
            }
        }
    }
    None
}

/// The index of `colors` among terminfo's numbers (term.h: cols, it, lines, lm, xmc,
/// pb, vt, wsl, nlab, lh, lw, ma, wnum, colors).
const COLORS: usize = 13;

/// Reads `colors` from a compiled terminfo entry, in the legacy format (magic 0432,
/// 16-bit numbers) or the extended one (magic 01036, 32-bit numbers). `None` when the
/// bytes are not a terminfo entry; `Some(None)` when the entry has no `colors`.
pub fn parse_colours(bytes: &[u8]) -> Option<Option<i32>> {
    let short = |at: usize| -> Option<i32> {
        let b = bytes.get(at..at + 2)?;
        Some(i32::from(i16::from_le_bytes([b[0], b[1]])))
    };
    let wide = match short(0)? {
        0o432 => false,
        0o1036 => true,
        _ => return None,
    };
    let header: Vec<i32> = (0..6).map(|i| short(i * 2)).collect::<Option<_>>()?;
    let (names, bools, numbers) = (header[1], header[2], header[3]);
    if names < 0 || bools < 0 || numbers < 0 {
        return None;
    }
    let (names, bools, numbers) = (names as usize, bools as usize, numbers as usize);
    let mut at = 12 + names + bools;
    // The numbers start on an even byte.
    if at % 2 == 1 {
        at += 1;
    }
    let size = if wide { 4 } else { 2 };
    // The numbers must all be there: a file cut short says nothing.
    bytes.get(at..at + numbers * size)?;
    if numbers <= COLORS {
        // An entry whose numbers stop before `colors` has none.
        return Some(None);
    }
    let at = at + COLORS * size;
    let value = if wide {
        let b = bytes.get(at..at + 4)?;
        i32::from_le_bytes([b[0], b[1], b[2], b[3]])
    } else {
        short(at)?
    };
    // -1: absent; -2: cancelled.
    Some((value >= 0).then_some(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(term: Option<&str>) -> Env {
        Env {
            term: term.map(str::to_string),
            lang: Some("en_GB.UTF-8".into()),
            ..Env::default()
        }
    }

    /// A compiled entry with `count` numbers, `colors` (index 13) set to `colours`.
    fn entry(wide: bool, colours: i32, count: usize) -> Vec<u8> {
        let names = b"test|a test terminal\0";
        let bools = 3usize;
        let mut out = Vec::new();
        let magic: i16 = if wide { 0o1036 } else { 0o432 };
        for n in [magic, names.len() as i16, bools as i16, count as i16, 0, 0] {
            out.extend(n.to_le_bytes());
        }
        out.extend(names);
        out.extend(std::iter::repeat_n(1u8, bools));
        if out.len() % 2 == 1 {
            out.push(0);
        }
        for i in 0..count {
            let v = if i == COLORS { colours } else { 80 };
            if wide {
                out.extend(v.to_le_bytes());
            } else {
                out.extend((v as i16).to_le_bytes());
            }
        }
        out
    }

    #[test]
    fn terminfo_colours_are_read_from_both_number_formats() {
        assert_eq!(parse_colours(&entry(false, 8, 15)), Some(Some(8)));
        assert_eq!(parse_colours(&entry(false, 256, 15)), Some(Some(256)));
        assert_eq!(
            parse_colours(&entry(true, 16_777_216, 15)),
            Some(Some(16_777_216))
        );
        assert_eq!(parse_colours(&entry(false, -1, 15)), Some(None));
        assert_eq!(parse_colours(&entry(true, -2, 15)), Some(None));
        // An entry whose numbers stop before colors (vt100's do at it, lines, xmc).
        assert_eq!(parse_colours(&entry(false, 0, 5)), Some(None));
    }

    #[test]
    fn bytes_that_are_not_a_terminfo_entry_say_nothing_and_never_panic() {
        assert_eq!(parse_colours(b""), None);
        assert_eq!(parse_colours(b"\x1a\x01"), None);
        assert_eq!(parse_colours(b"#!/bin/sh\necho hello\n"), None);
        let whole = entry(true, 256, 15);
        for cut in 0..whole.len() {
            // Cut short anywhere: no answer rather than a wrong one, and no panic.
            let got = parse_colours(&whole[..cut]);
            assert!(got.is_none() || got == Some(None), "{cut}: {got:?}");
        }
        let mut negative = entry(false, 8, 15);
        negative[2] = 0xff;
        negative[3] = 0xff;
        assert_eq!(parse_colours(&negative), None);
    }

    #[test]
    fn entries_are_found_in_either_layout_and_a_path_in_term_is_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let letter = dir.path().join("letter");
        let hex = dir.path().join("hex");
        std::fs::create_dir_all(letter.join("x")).unwrap();
        std::fs::create_dir_all(hex.join("70")).unwrap();
        std::fs::write(letter.join("x").join("xterm-test"), entry(false, 8, 15)).unwrap();
        std::fs::write(hex.join("70").join("putty-test"), entry(true, 256, 15)).unwrap();
        let mut e = env(Some("xterm-test"));
        e.terminfo_dirs = vec![dir.path().join("missing"), letter.clone(), hex.clone()];
        assert_eq!(
            terminfo_colours(&e),
            Some(Terminfo {
                name: "xterm-test".into(),
                colours: Some(8)
            })
        );
        e.term = Some("putty-test".into());
        assert_eq!(terminfo_colours(&e).and_then(|t| t.colours), Some(256));
        e.term = Some("../x/xterm-test".into());
        assert_eq!(terminfo_colours(&e), None);
        e.term = Some("nothing-like-it".into());
        assert_eq!(terminfo_colours(&e), None);
        // A FIFO where the entry would be is passed over, not waited on.
        let fifo = letter.join("x").join("xterm-fifo");
        nix::unistd::mkfifo(&fifo, nix::sys::stat::Mode::S_IRWXU).unwrap();
        e.term = Some("xterm-fifo".into());
        assert_eq!(terminfo_colours(&e), None);
    }

    #[test]
    fn the_names_table_gives_the_colours_of_common_terminals() {
        for (term, want) in [
            ("dumb", Colours::None),
            ("vt100", Colours::None),
            ("vt220", Colours::None),
            ("linux", Colours::Eight),
            ("xterm", Colours::Eight),
            ("xterm-256color", Colours::Sixteen),
            ("putty", Colours::Eight),
            ("putty-256color", Colours::Sixteen),
            ("screen", Colours::Eight),
            ("tmux-256color", Colours::Sixteen),
            ("xterm-mono", Colours::None),
            ("some-unheard-of-terminal", Colours::None),
        ] {
            let d = decide(
                &env(Some(term)),
                ColourChoice::Auto,
                GlyphChoice::Auto,
                None,
            );
            assert_eq!(d.colours, want, "{term}: {}", d.note);
        }
    }

    #[test]
    fn terminfo_wins_over_the_names_table() {
        let e = env(Some("xterm"));
        let info = Terminfo {
            name: "xterm".into(),
            colours: Some(256),
        };
        let d = decide(&e, ColourChoice::Auto, GlyphChoice::Auto, Some(&info));
        assert_eq!(d.colours, Colours::Sixteen);
        assert_eq!(
            d.note,
            "Display: 16 colours (terminfo xterm: 256),\nUnicode (LANG=en_GB.UTF-8)"
        );
        let vt = Terminfo {
            name: "vt100".into(),
            colours: None,
        };
        let d = decide(
            &env(Some("vt100")),
            ColourChoice::Auto,
            GlyphChoice::Auto,
            Some(&vt),
        );
        assert_eq!(d.colours, Colours::None);
        assert!(
            d.note
                .starts_with("Display: monochrome (terminfo vt100: none)")
        );
    }

    #[test]
    fn the_flag_wins_over_no_color_and_no_color_over_the_terminal() {
        let mut e = env(Some("xterm-256color"));
        e.no_color = true;
        let auto = decide(&e, ColourChoice::Auto, GlyphChoice::Auto, None);
        assert_eq!(auto.colours, Colours::None);
        assert!(auto.note.contains("monochrome (NO_COLOR)"), "{}", auto.note);
        let always = decide(&e, ColourChoice::Always, GlyphChoice::Auto, None);
        assert_eq!(always.colours, Colours::Sixteen);
        assert!(always.note.contains("(--color always)"));
        let vt = decide(
            &env(Some("vt100")),
            ColourChoice::Always,
            GlyphChoice::Auto,
            None,
        );
        assert_eq!(
            vt.colours,
            Colours::Sixteen,
            "an administrator who knows better"
        );
        let never = decide(
            &env(Some("xterm-256color")),
            ColourChoice::Never,
            GlyphChoice::Auto,
            None,
        );
        assert_eq!(never.colours, Colours::None);
    }

    #[test]
    fn the_locale_decides_the_glyphs_unless_a_flag_does() {
        let with = |all: Option<&str>, ctype: Option<&str>, lang: Option<&str>| Env {
            term: Some("xterm".into()),
            lc_all: all.map(str::to_string),
            lc_ctype: ctype.map(str::to_string),
            lang: lang.map(str::to_string),
            ..Env::default()
        };
        let ascii = |e: &Env, g: GlyphChoice| decide(e, ColourChoice::Auto, g, None).ascii;
        let auto = GlyphChoice::Auto;
        assert!(ascii(&with(None, None, None), auto));
        assert!(ascii(&with(None, None, Some("C")), auto));
        assert!(ascii(&with(None, None, Some("POSIX")), auto));
        assert!(ascii(&with(None, None, Some("en_GB.ISO-8859-1")), auto));
        assert!(!ascii(&with(None, None, Some("en_GB.UTF-8")), auto));
        assert!(!ascii(&with(None, None, Some("C.utf8")), auto));
        assert!(!ascii(&with(None, None, Some("de_DE.UTF-8@euro")), auto));
        assert!(!ascii(&with(None, Some("UTF-8"), Some("C")), auto));
        assert!(ascii(&with(None, None, Some("en_GB")), auto));
        // LC_ALL over LC_CTYPE over LANG.
        assert!(ascii(
            &with(Some("C"), Some("en_GB.UTF-8"), Some("en_GB.UTF-8")),
            auto
        ));
        assert!(!ascii(&with(None, Some("en_GB.UTF-8"), Some("C")), auto));
        assert!(ascii(&with(None, Some("POSIX"), Some("en_GB.UTF-8")), auto));
        // The flags over the locale.
        assert!(ascii(
            &with(None, None, Some("en_GB.UTF-8")),
            GlyphChoice::Ascii
        ));
        assert!(!ascii(&with(None, None, Some("C")), GlyphChoice::Unicode));
        let d = decide(&with(Some("C"), None, None), ColourChoice::Auto, auto, None);
        assert!(d.note.ends_with("ASCII (LC_ALL=C)"), "{}", d.note);
        let d = decide(
            &with(None, None, None),
            ColourChoice::Auto,
            GlyphChoice::Ascii,
            None,
        );
        assert!(d.note.ends_with("ASCII (--ascii)"), "{}", d.note);
    }

    #[test]
    fn the_note_fits_at_80_columns_whatever_the_environment_holds() {
        let long = "x".repeat(300);
        let e = Env {
            term: Some(format!("xterm-{long}")),
            lc_ctype: Some(format!("en_GB.{long}")),
            ..Env::default()
        };
        let info = Terminfo {
            name: e.term.clone().unwrap_or_default(),
            colours: Some(256),
        };
        for terminfo in [None, Some(&info)] {
            let d = decide(&e, ColourChoice::Auto, GlyphChoice::Auto, terminfo);
            // Help's box at 80 columns is 78 wide, one of them the leading space.
            for part in d.note.split('\n') {
                assert!(part.chars().count() <= 77, "{} long: {part}", part.len());
            }
        }
    }

    #[test]
    fn dumb_and_unset_term_refuse_the_screen_naming_what_works_without_one() {
        for term in [None, Some("dumb")] {
            let said = screen_refusal(&env(term)).unwrap();
            for sub in ["cases", "demo", "import", "export", "check", "backup"] {
                assert!(said.contains(sub), "{said}");
            }
        }
        assert_eq!(screen_refusal(&env(Some("vt100"))), None);
        assert_eq!(screen_refusal(&env(Some("xterm"))), None);
    }
}
