//! Conversions between domain values and SQLite values, in one place.

use chrono::NaiveDate;
use rusqlite::types::Value;

pub fn text(s: &str) -> Value {
    Value::Text(s.to_string())
}

pub fn date(d: Option<NaiveDate>) -> Value {
    match d {
        Some(d) => Value::Text(d.format("%Y-%m-%d").to_string()),
        None => Value::Null,
    }
}

pub fn flag(b: bool) -> Value {
    Value::Integer(i64::from(b))
}

pub fn id(i: Option<i64>) -> Value {
    match i {
        Some(i) => Value::Integer(i),
        None => Value::Null,
    }
}

pub fn opt_text(s: Option<&str>) -> Value {
    match s {
        Some(s) => text(s),
        None => Value::Null,
    }
}

/// Reads a stored date; a malformed one reads as unknown rather than failing the screen.
pub fn read_date(row: &rusqlite::Row<'_>, column: &str) -> rusqlite::Result<Option<NaiveDate>> {
    let raw: Option<String> = row.get(column)?;
    Ok(raw.and_then(|s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok()))
}

/// Reads a stored vocabulary code, falling back to `default` for an unknown code.
pub fn read_code<T: Copy>(
    row: &rusqlite::Row<'_>,
    column: &str,
    from_code: fn(&str) -> Option<T>,
    default: T,
) -> rusqlite::Result<T> {
    let raw: String = row.get(column)?;
    Ok(from_code(&raw).unwrap_or(default))
}
