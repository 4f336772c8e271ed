//! The case characteristics in the terms of the Home Office DHR library and its analyses:
//! the closed vocabulary of each (type of death, relationship, age bands, sex, yes / no /
//! unknown for the forms of abuse and the circumstances), read from typed words; ethnicity
//! is free text, recorded only where the records hold it. All optional: an empty value
//! clears the characteristic. The store checks every value with [`read_value`] inside the
//! write.

use super::review::Characteristic;

/// The age bands of the Home Office analyses.
const AGE_BANDS: &[&str] = &[
    "under 16", "16–17", "18–24", "25–34", "35–44", "45–54", "55–64", "65–74", "75+",
];

const SEX: &[&str] = &["female", "male", "other"];

const YES_NO: &[&str] = &["yes", "no", "unknown"];

/// The longest free-text value (ethnicity), in characters.
pub const MAX_FREE_TEXT: usize = 80;

/// The values a characteristic takes, in order; `None` for free text (ethnicity).
pub fn allowed(name: Characteristic) -> Option<&'static [&'static str]> {
    use Characteristic::*;
    Some(match name {
        DeathType => &["homicide", "suicide", "other/unexplained"],
        Relationship => &[
            "intimate partner",
            "former intimate partner",
            "parent",
            "child",
            "sibling",
            "other family",
            "other",
        ],
        VictimAge | PerpetratorAge => AGE_BANDS,
        VictimSex | PerpetratorSex => SEX,
        Children | CoerciveControl | Stalking | EconomicAbuse | Strangulation | Substances
        | MentalHealth | Disability => YES_NO,
        Ethnicity => return None,
    })
}

/// The label of a characteristic's field in a form: "Type of death".
pub fn form_label(name: Characteristic) -> &'static str {
    use Characteristic::*;
    match name {
        DeathType => "Type of death",
        Relationship => "Relationship",
        VictimAge => "Victim's age band",
        PerpetratorAge => "Perpetrator's age band",
        VictimSex => "Victim's sex",
        PerpetratorSex => "Perpetrator's sex",
        Children => "Children in the household",
        CoerciveControl => "Coercive control",
        Stalking => "Stalking",
        EconomicAbuse => "Economic abuse",
        Strangulation => "Non-fatal strangulation",
        Substances => "Substance use",
        MentalHealth => "Mental health",
        Disability => "Disability",
        Ethnicity => "Ethnicity (where recorded)",
    }
}

/// The hint of a characteristic's field: the values it takes.
pub fn hint(name: Characteristic) -> &'static str {
    use Characteristic::*;
    match name {
        DeathType => "homicide, suicide or other/unexplained; empty: not recorded",
        Relationship => "intimate partner, former intimate partner, parent, child, …",
        VictimAge | PerpetratorAge => "under 16, 16-17, 18-24, 25-34 … 65-74, 75+",
        VictimSex | PerpetratorSex => "female, male or other; empty: not recorded",
        Children | CoerciveControl | Stalking | EconomicAbuse | Strangulation | Substances
        | MentalHealth | Disability => "yes, no or unknown; empty: not recorded",
        Ethnicity => "as the records give it; empty where they do not",
    }
}

/// Lower case, dashes of any kind as "-", spaces around them and repeated ones dropped.
fn normal(text: &str) -> String {
    text.trim()
        .to_lowercase()
        .replace(['–', '—'], "-")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(" - ", "-")
        .replace(" / ", "/")
}

/// The allowed values of `name` in words: "homicide, suicide or other/unexplained".
pub fn allowed_words(name: Characteristic) -> String {
    match allowed(name) {
        None => "any text".to_string(),
        Some(values) => match values.split_last() {
            Some((last, [])) => last.to_string(),
            Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
            None => String::new(),
        },
    }
}

/// Reads a typed value of `name`: `None` for empty (not recorded), else the value as
/// the vocabulary writes it (a value, or the unambiguous start of one: "y" for yes,
/// "16-17" for 16–17). Anything else is refused with the allowed values.
pub fn read_value(name: Characteristic, text: &str) -> Result<Option<String>, String> {
    let typed = normal(text);
    if typed.is_empty() {
        return Ok(None);
    }
    let Some(values) = allowed(name) else {
        let value = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if value.chars().count() > MAX_FREE_TEXT {
            return Err(format!(
                "{name}: at most {MAX_FREE_TEXT} characters, as the records give it"
            ));
        }
        return Ok(Some(value));
    };
    if let Some(v) = values.iter().find(|v| normal(v) == typed) {
        return Ok(Some(v.to_string()));
    }
    let starting: Vec<&&str> = values
        .iter()
        .filter(|v| normal(v).starts_with(&typed))
        .collect();
    match starting.as_slice() {
        [one] => Ok(Some(one.to_string())),
        _ => Err(format!(
            "\"{}\" is not a value of \"{name}\": write {}, or leave it empty",
            text.trim(),
            allowed_words(name)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Characteristic::*;

    #[test]
    fn values_are_read_from_the_vocabulary_and_its_clear_starts() {
        assert_eq!(
            read_value(DeathType, " Suicide "),
            Ok(Some("suicide".into()))
        );
        assert_eq!(
            read_value(DeathType, "other / unexplained"),
            Ok(Some("other/unexplained".into()))
        );
        assert_eq!(read_value(VictimAge, "16-17"), Ok(Some("16–17".into())));
        assert_eq!(read_value(VictimAge, "75+"), Ok(Some("75+".into())));
        assert_eq!(read_value(Stalking, "y"), Ok(Some("yes".into())));
        assert_eq!(read_value(Stalking, "UNKNOWN"), Ok(Some("unknown".into())));
        assert_eq!(
            read_value(Relationship, "former"),
            Ok(Some("former intimate partner".into()))
        );
        assert_eq!(read_value(VictimSex, ""), Ok(None), "empty: not recorded");
    }

    #[test]
    fn an_unknown_value_is_refused_with_the_allowed_list() {
        let refused = read_value(DeathType, "accident").unwrap_err();
        assert_eq!(
            refused,
            "\"accident\" is not a value of \"type of death\": write homicide, suicide or \
             other/unexplained, or leave it empty"
        );
        assert!(read_value(VictimAge, "30").unwrap_err().contains("25–34"));
        assert!(
            read_value(Relationship, "o").is_err(),
            "other family or other: ambiguous"
        );
    }

    #[test]
    fn ethnicity_is_free_text_within_a_length() {
        assert_eq!(
            read_value(Ethnicity, "  White   British "),
            Ok(Some("White British".into()))
        );
        assert!(read_value(Ethnicity, &"x".repeat(81)).is_err());
        for name in Characteristic::ALL {
            if *name != Ethnicity {
                assert!(allowed(*name).is_some_and(|v| !v.is_empty()), "{name}");
            }
        }
    }
}
