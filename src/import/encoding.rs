//! Reading the bytes of an agency's file as text: UTF-8 with or without a byte-order
//! mark, or Windows-1252 (what Excel writes by default on a council PC) when the bytes are
//! not valid UTF-8.

use std::borrow::Cow;

/// How the bytes of a file were read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceEncoding {
    Utf8,
    Utf8WithBom,
    Windows1252,
}

impl SourceEncoding {
    /// The name shown in the import report.
    pub fn label(self) -> &'static str {
        match self {
            SourceEncoding::Utf8 => "UTF-8",
            SourceEncoding::Utf8WithBom => "UTF-8 with byte-order mark",
            SourceEncoding::Windows1252 => "Windows-1252",
        }
    }
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Windows-1252 differs from Latin-1 only in 0x80–0x9F. The five bytes it leaves
/// undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) map to the C1 control of the same number, as
/// browsers do, so no byte is lost and the display sanitiser shows them as stand-ins.
const CP1252_HIGH: [char; 32] = [
    '\u{20AC}', '\u{0081}', '\u{201A}', '\u{0192}', '\u{201E}', '\u{2026}', '\u{2020}', '\u{2021}',
    '\u{02C6}', '\u{2030}', '\u{0160}', '\u{2039}', '\u{0152}', '\u{008D}', '\u{017D}', '\u{008F}',
    '\u{0090}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}', '\u{2022}', '\u{2013}', '\u{2014}',
    '\u{02DC}', '\u{2122}', '\u{0161}', '\u{203A}', '\u{0153}', '\u{009D}', '\u{017E}', '\u{0178}',
];

/// One Windows-1252 byte as a character.
fn cp1252(byte: u8) -> char {
    match byte {
        0x80..=0x9F => CP1252_HIGH[usize::from(byte - 0x80)],
        // Every other byte is the Latin-1 code point of the same number.
        _ => char::from(byte),
    }
}

/// The text of a file and how it was read. A BOM is removed; bytes that are not valid
/// UTF-8 (with or without a BOM) are read as Windows-1252, which never fails.
pub fn decode(bytes: &[u8]) -> (Cow<'_, str>, SourceEncoding) {
    let (body, bom) = match bytes.strip_prefix(BOM) {
        Some(rest) => (rest, true),
        None => (bytes, false),
    };
    match std::str::from_utf8(body) {
        Ok(text) if bom => (Cow::Borrowed(text), SourceEncoding::Utf8WithBom),
        Ok(text) => (Cow::Borrowed(text), SourceEncoding::Utf8),
        Err(_) => (
            Cow::Owned(body.iter().copied().map(cp1252).collect()),
            SourceEncoding::Windows1252,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(
            decode("Date,Événement".as_bytes()),
            (Cow::Borrowed("Date,Événement"), SourceEncoding::Utf8)
        );
        let (text, encoding) = decode(b"\xEF\xBB\xBFDate,Event");
        assert_eq!(text, "Date,Event");
        assert_eq!(encoding, SourceEncoding::Utf8WithBom);
    }

    #[test]
    fn invalid_utf8_is_read_as_windows_1252() {
        // "café – Adult A’s" as Excel saves it.
        let (text, encoding) = decode(b"caf\xE9 \x96 Adult A\x92s \x80 \x93q\x94");
        assert_eq!(text, "café – Adult A’s € “q”");
        assert_eq!(encoding, SourceEncoding::Windows1252);
    }

    #[test]
    fn every_byte_decodes_and_undefined_ones_stay_visible_as_c1() {
        let all: Vec<u8> = (0x80..=0xFF).collect();
        let (text, _) = decode(&all);
        assert_eq!(text.chars().count(), 128);
        assert!(text.contains('\u{0081}') && text.contains('\u{009D}'));
        assert!(text.starts_with('€') && text.ends_with('ÿ'));
    }
}
