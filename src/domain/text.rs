//! The display sanitiser: every piece of text from the database, an import, a paste or an
//! error passes through here, so no control or escape sequence in it reaches the terminal,
//! and every grapheme cluster drawn is one whose width terminals agree on.
//!
//! ratatui 0.30 silently drops control characters; we want them *visible* (so hostile or
//! corrupted input is noticed) and harmless: C0 controls become the Unicode control
//! pictures (ESC shows as ␛), DEL as ␡, C1 controls and bidirectional overrides / isolates
//! as �. Line breaks are kept (U+2028 and U+2029 are line breaks too); a tab becomes a
//! space; tag characters (invisible, and drawn by some terminals) are dropped.
//!
//! Width: text is taken a grapheme cluster at a time, as terminals draw it. Clusters whose
//! width terminals disagree on (emoji joined with U+200D, a variation selector, a skin
//! tone, a flag's two regional indicators, a keycap) are drawn as their parts that every
//! terminal measures alike: the joined emoji one after another, the base without its
//! selector or tone, a flag as its two letters (🇬🇧 as GB), a keycap as its digit. So a
//! border drawn after such text stays where the program put it.

use std::borrow::Cow;

use unicode_segmentation::UnicodeSegmentation;

/// The stand-in for C1 controls and bidi overrides.
pub const STAND_IN: char = '\u{FFFD}';

const ZWJ: char = '\u{200D}';
const KEYCAP: char = '\u{20E3}';

fn needs_change(c: char) -> bool {
    let u = c as u32;
    (u < 0x20 && c != '\n')
        || u == 0x7F
        || (0x80..=0x9F).contains(&u)
        || is_bidi_control(c)
        || is_line_separator(c)
        || is_tag(c)
        || is_width_changer(c)
}

/// Bidirectional embedding, override and isolate controls, which can make text read in an
/// order other than the one it is stored in.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c as u32, 0x202A..=0x202E | 0x2066..=0x2069 | 0x200E | 0x200F | 0x061C)
}

/// U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR: line breaks.
fn is_line_separator(c: char) -> bool {
    matches!(c, '\u{2028}' | '\u{2029}')
}

/// Tag characters (U+E0000–U+E007F): invisible, used inside some flags.
fn is_tag(c: char) -> bool {
    matches!(c as u32, 0xE0000..=0xE007F)
}

/// Characters that change how wide the cluster they are in is drawn, differently from one
/// terminal to another: the joiner, variation selectors, skin tones, regional indicators
/// and the keycap mark.
fn is_width_changer(c: char) -> bool {
    matches!(c as u32, 0x200D | 0xFE0E | 0xFE0F | 0x1F3FB..=0x1F3FF | 0x1F1E6..=0x1F1FF | 0x20E3)
}

fn is_regional_indicator(c: char) -> bool {
    matches!(c as u32, 0x1F1E6..=0x1F1FF)
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

/// One character that is not part of a cluster terminals disagree on.
fn push_char(out: &mut String, c: char, next_is_lf: bool) {
    if c == '\r' {
        if !next_is_lf {
            out.push('\n');
        }
    } else if is_line_separator(c) {
        out.push('\n');
    } else if is_tag(c) {
        // dropped
    } else if needs_change(c) && !is_width_changer(c) {
        out.push(stand_in(c));
    } else {
        out.push(c);
    }
}

/// A cluster whose width terminals disagree on, as parts they agree on.
fn push_steady(out: &mut String, cluster: &str) {
    let indicators: Vec<char> = cluster
        .chars()
        .filter(|&c| is_regional_indicator(c))
        .collect();
    if !indicators.is_empty() {
        // A flag (or a lone indicator) as its letters: 🇬🇧 as GB.
        for c in indicators {
            out.push(char::from(b'A' + (c as u32 - 0x1F1E6) as u8));
        }
        return;
    }
    if cluster.contains(KEYCAP) {
        // 1️⃣ as 1.
        if let Some(base) = cluster.chars().next().filter(|c| !is_width_changer(*c)) {
            push_char(out, base, false);
        }
        return;
    }
    // Joined emoji one after another; selectors, tones and tags left out.
    for part in cluster.split(ZWJ) {
        for c in part.chars() {
            if !is_width_changer(c) {
                push_char(out, c, false);
            }
        }
    }
}

/// Text safe to draw: controls visible, bidi neutralised, line breaks kept (CRLF and a
/// lone CR read as one line break, U+2028 and U+2029 as one each), tag characters dropped
/// and clusters of disputed width made steady (see the module's notes).
pub fn sanitize(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_change) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut clusters = text.graphemes(true).peekable();
    while let Some(cluster) = clusters.next() {
        if cluster.chars().any(is_width_changer) {
            push_steady(&mut out, cluster);
            continue;
        }
        // "\r\n" is one cluster; every other cluster here is characters to look at alone.
        if cluster == "\r\n" {
            out.push('\n');
            continue;
        }
        let mut chars = cluster.chars().peekable();
        while let Some(c) = chars.next() {
            let next_is_lf = match chars.peek() {
                Some(&n) => n == '\n',
                None => clusters.peek().is_some_and(|n| n.starts_with('\n')),
            };
            push_char(&mut out, c, next_is_lf);
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

/// The text of a record after the line it stands in was edited: `line` was "before,
/// `record`, after"; if `edited` still begins with "before" and ends with "after", the
/// record becomes what stands between them now. `None` when the edit touched the words
/// around the record's text, or the record's text is not in the line.
pub fn follow_edit(line: &str, edited: &str, record: &str) -> Option<String> {
    if record.is_empty() {
        return None;
    }
    let at = line.find(record)?;
    let (before, after) = (&line[..at], &line[at + record.len()..]);
    if edited.len() < before.len() + after.len()
        || !edited.starts_with(before)
        || !edited.ends_with(after)
    {
        return None;
    }
    let middle = edited.get(before.len()..edited.len() - after.len())?;
    let middle = middle.trim();
    (!middle.is_empty()).then(|| middle.to_string())
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_edit_of_a_line_reaches_the_record_only_when_the_words_around_it_stand() {
        use super::follow_edit;
        let line = "Action (Sam Okoye, due 10 Dec): send the chronology";
        assert_eq!(
            follow_edit(
                line,
                "Action (Sam Okoye, due 10 Dec): send the full chronology",
                "send the chronology"
            ),
            Some("send the full chronology".to_string())
        );
        assert_eq!(
            follow_edit("Challenge (GP): why?", "Challenge (ASC): why?", "why?"),
            None,
            "the edit touched the words before the record's text"
        );
        assert_eq!(
            follow_edit(
                "The panel agreed",
                "The panel agreed (EDITED)",
                "The panel agreed"
            ),
            Some("The panel agreed (EDITED)".to_string())
        );
        assert_eq!(
            follow_edit(
                line,
                "Action (Jo, due 10 Dec): send the chronology",
                "send the chronology"
            ),
            None,
            "the owner changed, not the record's text"
        );
        assert_eq!(follow_edit("abc", "x", "zzz"), None);
    }

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
        assert_eq!(sanitize("one\u{2028}two\u{2029}three"), "one\ntwo\nthree");
        assert_eq!(one_line("one\u{2028}two"), "one two");
    }

    #[test]
    fn tags_are_dropped() {
        // The flag of England: a black flag, tag letters "gbeng", a cancel tag.
        let england = "\u{1F3F4}\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}";
        assert_eq!(sanitize(&format!("a{england}b")), "a\u{1F3F4}b");
        assert_eq!(sanitize("x\u{E0041}y"), "xy");
    }

    #[test]
    fn clusters_of_disputed_width_become_parts_terminals_agree_on() {
        use unicode_width::UnicodeWidthStr;
        let family = "\u{1F469}\u{200D}\u{1F469}\u{200D}\u{1F467}";
        assert_eq!(sanitize(family), "\u{1F469}\u{1F469}\u{1F467}");
        assert_eq!(sanitize("I \u{2764}\u{FE0F} it"), "I \u{2764} it");
        assert_eq!(sanitize("ok \u{1F44D}\u{1F3FD}"), "ok \u{1F44D}");
        assert_eq!(sanitize("\u{1F1EC}\u{1F1E7} team"), "GB team");
        assert_eq!(sanitize("1\u{FE0F}\u{20E3} first"), "1 first");
        let rainbow = "\u{1F3F3}\u{FE0F}\u{200D}\u{1F308}";
        assert_eq!(sanitize(rainbow), "\u{1F3F3}\u{1F308}");
        // Every cluster left is one code point (or a base with combining marks), whose
        // width is the sum of its characters' widths: what every terminal draws.
        let mixed =
            format!("{family} \u{2764}\u{FE0F} \u{1F1EC}\u{1F1E7} e\u{301} \u{1F44D}\u{1F3FD}");
        let clean = sanitize(&mixed);
        for cluster in clean.graphemes(true) {
            let by_chars: usize = cluster
                .chars()
                .map(|c| unicode_width::UnicodeWidthChar::width(c).unwrap_or(0))
                .sum();
            assert_eq!(cluster.width(), by_chars, "{cluster:?}");
        }
        // Plain combining marks and CJK are left alone.
        assert!(matches!(sanitize("café e\u{301} 語"), Cow::Borrowed(_)));
    }
}
