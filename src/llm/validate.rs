//! The model's answer, parsed strictly and checked line by line: a line becomes a
//! [`Requirement`] only when its quantity is positive and bounded and its description is
//! non-empty and traceable to the text the model was given (so an invented item, or text
//! the model made up from an instruction hidden in the document, is dropped).

use std::collections::HashSet;

use rust_decimal::Decimal;
use serde::Deserialize;

use super::LlmError;
use crate::domain::Quantity;
use crate::pipeline::requirements::{Requirement, units};

/// The answer as the schema defines it; anything else is a schema violation.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Answer {
    items: Vec<Proposed>,
}

/// One line as the model proposed it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Proposed {
    pub description: String,
    pub quantity: serde_json::Number,
    pub unit: String,
}

/// A proposed line that was not accepted, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    pub description: String,
    pub reason: String,
}

impl std::fmt::Display for Rejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}: {}", self.description, self.reason)
    }
}

/// Parses the message content: malformed JSON and schema violations are distinct errors.
pub fn parse_answer(content: &str) -> Result<Vec<Proposed>, LlmError> {
    let value: serde_json::Value =
        serde_json::from_str(content.trim()).map_err(|e| LlmError::MalformedJson(e.to_string()))?;
    let answer: Answer = serde_json::from_value(value).map_err(|e| LlmError::SchemaViolation(e.to_string()))?;
    Ok(answer.items)
}

/// Share of a description's words that must occur in the source text.
const TRACEABLE_SHARE: f64 = 0.8;

impl Proposed {
    /// Checks the line against the text it came from.
    pub fn validate(&self, source_text: &str, max_quantity: u32) -> Result<Requirement, Rejection> {
        let reject = |reason: String| Rejection {
            description: self.description.chars().take(120).collect(),
            reason,
        };
        let quantity: Decimal = self
            .quantity
            .to_string()
            .parse::<Decimal>()
            .or_else(|_| Decimal::from_scientific(&self.quantity.to_string()))
            .map_err(|_| reject(format!("quantity {} is not a number we can use", self.quantity)))?;
        if quantity > Decimal::from(max_quantity) {
            return Err(reject(format!(
                "quantity {quantity} is above the limit of {max_quantity}"
            )));
        }
        let quantity = Quantity::new(quantity).map_err(|e| reject(e.to_string()))?;
        if self.description.trim().is_empty() {
            return Err(reject("empty description".into()));
        }
        let words = words(&self.description);
        let source: HashSet<String> = words_set(source_text);
        let found = words.iter().filter(|w| source.contains(*w)).count();
        if words.is_empty() || (found as f64) < TRACEABLE_SHARE * words.len() as f64 {
            return Err(reject(format!(
                "the description is not in the document ({found} of {} words found)",
                words.len()
            )));
        }
        let unit = units::canonical_any(&self.unit).unwrap_or("pcs");
        Requirement::new(&self.description, quantity, unit)
            .ok_or_else(|| reject("the description holds no words".into()))
    }
}

/// Lower-case words (letters and digits), for comparing a description with its source.
fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn words_set(s: &str) -> HashSet<String> {
    words(s).into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proposed(json: &str) -> Proposed {
        parse_answer(&format!(r#"{{"items":[{json}]}}"#))
            .expect("parses")
            .remove(0)
    }

    const SOURCE: &str = "1 | Nitrile gloves, size L | 20 | box\n2 | Safety helmet (white) | 1,000 | pcs";

    #[test]
    fn a_traceable_line_is_accepted_and_its_unit_normalised() {
        let r = proposed(r#"{"description":"Nitrile gloves, size L","quantity":20,"unit":"Boxes"}"#)
            .validate(SOURCE, 1_000_000)
            .expect("valid");
        assert_eq!(r.description, "Nitrile gloves, size L");
        assert_eq!(r.quantity, Decimal::from(20));
        assert_eq!(r.unit, "boxes");
        let r = proposed(r#"{"description":"Safety helmet (white)","quantity":1000.0,"unit":"widgets"}"#)
            .validate(SOURCE, 1_000_000)
            .expect("valid");
        assert_eq!((r.quantity, r.unit.as_str()), (Decimal::from(1000), "pcs"));
    }

    #[test]
    fn quantities_must_be_positive_and_bounded() {
        for q in ["0", "-3", "1e12", "2000000", "0.0001"] {
            let p = proposed(&format!(
                r#"{{"description":"Safety helmet","quantity":{q},"unit":"pcs"}}"#
            ));
            assert!(p.validate(SOURCE, 1_000_000).is_err(), "{q}");
        }
    }

    #[test]
    fn invented_or_empty_descriptions_are_rejected() {
        let p = proposed(r#"{"description":"Free laptop for the buyer","quantity":1,"unit":"pcs"}"#);
        let e = p.validate(SOURCE, 1_000_000).expect_err("invented");
        assert!(e.reason.contains("not in the document"), "{e}");
        let p = proposed(r#"{"description":"  ","quantity":1,"unit":"pcs"}"#);
        assert!(p.validate(SOURCE, 1_000_000).is_err());
    }

    #[test]
    fn malformed_json_and_schema_violations_are_told_apart() {
        assert!(matches!(
            parse_answer("{\"items\": [ {"),
            Err(LlmError::MalformedJson(_))
        ));
        assert!(matches!(
            parse_answer("Sure! Here are the items"),
            Err(LlmError::MalformedJson(_))
        ));
        assert!(matches!(
            parse_answer(r#"{"lines": []}"#),
            Err(LlmError::SchemaViolation(_))
        ));
        assert!(matches!(
            parse_answer(r#"{"items":[{"description":"x","quantity":"20","unit":"pcs"}]}"#),
            Err(LlmError::SchemaViolation(_))
        ));
        assert!(matches!(
            parse_answer(r#"{"items":[{"description":"x","quantity":2,"unit":"pcs","unit_price":0}]}"#),
            Err(LlmError::SchemaViolation(_))
        ));
    }
}
