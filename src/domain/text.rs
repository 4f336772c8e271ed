//! The display sanitiser: every piece of text from the database, an import, a paste or an
//! error passes through here, so no control or escape sequence in it reaches the terminal.
//!
//! ratatui 0.30 silently drops control characters; we want them *visible* (so hostile or
//! corrupted input is noticed) and harmless: C0 controls become the Unicode control
//! pictures (ESC shows as ␛), DEL as ␡, C1 controls and bidirectional overrides / isolates
//! as �. Line breaks are kept; a tab becomes a space.

use std::borrow::Cow;

/// The stand-in for C1 controls and bidi overrides.
pub const STAND_IN: char = '\u{FFFD}';

fn needs_change(c: char) -> bool {
    let u = c as u32;
    (u < 0x20 && c != '\n') || u == 0x7F || (0x80..=0x9F).contains(&u) || is_bidi_control(c)
}

/// Bidirectional embedding, override and isolate controls, which can make text read in an
/// order other than the one it is stored in.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c as u32, 0x202A..=0x202E | 0x2066..=0x2069 | 0x200E | 0x200F | 0x061C)
}

fn stand_in(c: char) -> char {
    let u = c as u32;
    match u {
        0x09 => ' ',
        // U+2400 CONTROL PICTURE FOR NULL onwards mirror C0 one for one.
        0x00..=0x1F => char::from_u32(0x2400 + u).unwrap_or(STAND_IN),
        0x7F => '\u{2421}',
        _ => STAND_IN,
    }
}

/// Text safe to draw: controls visible, bidi neutralised, line breaks kept (CRLF and a
/// lone CR read as one line break).
pub fn sanitize(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_change) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' {
            if chars.peek() != Some(&'\n') {
                out.push('\n');
            }
        } else if needs_change(c) {
            out.push(stand_in(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Sanitised text on one line, for a table cell or a title: line breaks become spaces.
pub fn one_line(text: &str) -> String {
    let clean = sanitize(text);
    if clean.contains('\n') {
        clean
            .split('\n')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        clean.into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_text_is_unchanged_and_borrowed() {
        assert!(matches!(
            sanitize("Adult A: 14/06/2018 — déjà vu"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn escape_sequences_become_visible() {
        let s = sanitize("a\u{1b}]0;x\u{7}b\u{1b}[2Jc");
        assert_eq!(s, "a\u{241b}]0;x\u{2407}b\u{241b}[2Jc");
        assert!(!s.contains('\u{1b}') && !s.contains('\u{7}'));
    }

    #[test]
    fn c1_del_and_bidi_are_neutralised() {
        let s = sanitize("x\u{9b}31my\u{7f}z\u{202e}cba\u{2066}");
        assert_eq!(s, "x\u{fffd}31my\u{2421}z\u{fffd}cba\u{fffd}");
    }

    #[test]
    fn line_breaks_are_kept_and_normalised() {
        assert_eq!(sanitize("one\r\ntwo\rthree\nfour"), "one\ntwo\nthree\nfour");
        assert_eq!(one_line("one\r\n two \n\nthree"), "one two three");
        assert_eq!(sanitize("a\tb"), "a b");
    }
}
