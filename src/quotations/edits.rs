//! An approver's changes to a draft written as text — after the Change button in chat:
//! `line 2 qty 50`, `line 3 sku 0400000002`, `discount 5%`, one change per line (or separated
//! by `;`). The result is the [`Adjustments`] a revision is priced with; anything that is not
//! understood is refused whole, with the part that was not, so that nothing half-read is
//! approved.

use rust_decimal::Decimal;

use super::revision::Adjustments;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("no change found: write for example \"line 2 qty 50\", \"line 3 sku 0400000002\" or \"discount 5%\"")]
    Empty,
    #[error(
        "\"{0}\" is not a change I can read: write for example \"line 2 qty 50\", \"line 3 sku 0400000002\" or \"discount 5%\""
    )]
    NotUnderstood(String),
    #[error("\"{0}\": {1}")]
    Invalid(String, &'static str),
}

/// The changes in `text`.
pub fn parse(text: &str) -> Result<Adjustments, EditError> {
    let mut adj = Adjustments::default();
    for part in text.split(['\n', ';']).map(str::trim).filter(|p| !p.is_empty()) {
        let words: Vec<String> = part
            .split(|c: char| c.is_whitespace() || c == ':' || c == '=')
            .map(|w| w.trim_matches(|c: char| c == '.' || c == ',').to_string())
            .filter(|w| !w.is_empty())
            .collect();
        let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
        if lower.iter().any(|w| w == "discount") {
            adj.extra_discount_pct = Some(discount(part, &lower)?);
            continue;
        }
        let Some(line) = line_number(&lower) else {
            return Err(EditError::NotUnderstood(part.to_string()));
        };
        let mut changed = false;
        let mut i = 0;
        while i < lower.len() {
            let value = words.get(i + 1);
            match lower[i].as_str() {
                "qty" | "quantity" | "qnty" | "quantities" => {
                    let q = value.and_then(|v| quantity(v)).ok_or(EditError::Invalid(
                        part.to_string(),
                        "the quantity must be a number above 0",
                    ))?;
                    adj.quantities.retain(|(l, _)| *l != line);
                    adj.quantities.push((line, q));
                    changed = true;
                    i += 1;
                }
                "sku" | "product" | "code" | "item-code" => {
                    let sku = value.ok_or(EditError::Invalid(part.to_string(), "a SKU must follow"))?;
                    adj.skus.retain(|(l, _)| *l != line);
                    adj.skus.push((line, sku.clone()));
                    changed = true;
                    i += 1;
                }
                _ => {}
            }
            i += 1;
        }
        if !changed {
            return Err(EditError::NotUnderstood(part.to_string()));
        }
    }
    if adj.is_empty() && adj.extra_discount_pct.is_none() {
        return Err(EditError::Empty);
    }
    Ok(adj)
}

/// `line 2`, `item 2`, `#2`, `l2`: the line a change is for.
fn line_number(words: &[String]) -> Option<u32> {
    for (i, w) in words.iter().enumerate() {
        if matches!(w.as_str(), "line" | "item" | "no" | "pos")
            && let Some(n) = words.get(i + 1).and_then(|n| n.trim_start_matches('#').parse().ok())
        {
            return Some(n);
        }
        if let Some(n) = w
            .strip_prefix('#')
            .or_else(|| w.strip_prefix("line"))
            .and_then(|n| n.parse().ok())
        {
            return Some(n);
        }
    }
    None
}

/// `50`, `1,000`, `12.5`: a quantity above zero.
fn quantity(word: &str) -> Option<Decimal> {
    let q: Decimal = word.replace(',', "").parse().ok()?;
    (q > Decimal::ZERO).then_some(q.normalize())
}

/// `discount 5%`, `5% discount`, `extra discount of 2.5`.
fn discount(part: &str, words: &[String]) -> Result<Decimal, EditError> {
    let invalid = || EditError::Invalid(part.to_string(), "a discount is a percentage from 0 to below 100");
    let mut found = None;
    for w in words {
        let n = w.strip_suffix('%').unwrap_or(w).replace(',', ".");
        if let Ok(d) = n.parse::<Decimal>() {
            if found.is_some() {
                return Err(invalid());
            }
            found = Some(d);
        }
    }
    let d = found.ok_or_else(invalid)?;
    if d < Decimal::ZERO || d >= Decimal::ONE_HUNDRED {
        return Err(invalid());
    }
    Ok(d.normalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        s.parse().expect("decimal")
    }

    #[test]
    fn reads_quantities_skus_and_a_discount() {
        let adj = parse("line 2 qty 50\nLine 3: SKU 0400000002; discount 5%").expect("changes");
        assert_eq!(adj.quantities, vec![(2, dec("50"))]);
        assert_eq!(adj.skus, vec![(3, "0400000002".to_string())]);
        assert_eq!(adj.extra_discount_pct, Some(dec("5")));
        let both = parse("#4 sku AB-12 quantity 1,000").expect("changes");
        assert_eq!(both.skus, vec![(4, "AB-12".to_string())]);
        assert_eq!(both.quantities, vec![(4, dec("1000"))]);
        assert_eq!(
            parse("item 1 qty 12.5.").expect("changes").quantities,
            vec![(1, dec("12.5"))]
        );
        assert_eq!(
            parse("2.5% discount").expect("changes").extra_discount_pct,
            Some(dec("2.5"))
        );
    }

    #[test]
    fn the_last_change_of_a_line_counts() {
        let adj = parse("line 1 qty 5\nline 1 qty 7").expect("changes");
        assert_eq!(adj.quantities, vec![(1, dec("7"))]);
    }

    #[test]
    fn anything_unread_refuses_the_whole_message() {
        assert_eq!(parse("  \n "), Err(EditError::Empty));
        assert!(
            matches!(parse("line 2 qty 50\nplease make it cheaper"), Err(EditError::NotUnderstood(p)) if p == "please make it cheaper")
        );
        assert!(matches!(parse("line 2 looks wrong"), Err(EditError::NotUnderstood(_))));
        assert!(matches!(parse("line 2 qty none"), Err(EditError::Invalid(_, _))));
        assert!(matches!(parse("line 2 qty 0"), Err(EditError::Invalid(_, _))));
        assert!(matches!(parse("line 2 qty -3"), Err(EditError::Invalid(_, _))));
        assert!(matches!(parse("line 2 sku"), Err(EditError::Invalid(_, _))));
        assert!(matches!(parse("discount 100%"), Err(EditError::Invalid(_, _))));
        assert!(matches!(parse("discount 5% or 6%"), Err(EditError::Invalid(_, _))));
        assert!(matches!(parse("qty 50"), Err(EditError::NotUnderstood(_))));
    }
}
