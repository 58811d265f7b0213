//! Closed and open compounds: a buyer's "wheelbarrow", "earmuff" or "sandpaper" against the
//! catalog's "WHEEL BARROW", "EAR MUFF", "SAND PAPER", and the other way round. The catalog
//! decides: a request word is split only into two catalog words that some product names
//! side by side, and two request words are joined only into a catalog word when no product
//! names them side by side.

use super::normalize;

/// Shortest part of a compound worth splitting off ("ear" in "earmuff").
const MIN_PART: usize = 3;

/// What the rewrite needs to know about the catalog.
pub trait Vocabulary {
    /// The catalog uses this word.
    fn knows(&self, word: &str) -> bool;
    /// Some product's name holds both words.
    fn together(&self, a: &str, b: &str) -> bool;
}

/// The request's tokens with compounds written the catalog's way.
pub fn rewrite(tokens: Vec<String>, catalog: &impl Vocabulary) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(tokens.len() + 2);
    let mut i = 0;
    'tokens: while i < tokens.len() {
        // A model code's head written apart from its hyphened rest: "gws 24-230" → GWS24-230,
        // "m18 bpd-202c" → M18BPD-202C (with the forms the normaliser gives that code), when
        // the catalog writes it whole.
        if let Some(next) = tokens.get(i + 1)
            && (2..=5).contains(&tokens[i].len())
            && tokens[i].starts_with(|c: char| c.is_ascii_lowercase())
            && tokens[i].bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            && next.contains('-')
            && next.bytes().any(|b| b.is_ascii_digit())
            && catalog.knows(&format!("{}{next}", tokens[i]))
        {
            let derived = normalize::tokens(next);
            if tokens.get(i + 1..i + 1 + derived.len()) == Some(&derived[..]) {
                out.extend(normalize::tokens(&format!("{}{next}", tokens[i])));
                i += 1 + derived.len();
                continue;
            }
        }
        // A model code written apart: "sae 140 ep" → "sae140ep", "hd 40" → "hd40"; not when
        // a product names its parts together ("M18CHX-601B" and "M18 CHX-502C": "m18 chx-502c"
        // is that one's code). Parts with letters only: a bare figure is in too many names.
        // A figure and a word ("2 stroke") is a code only when no product names them apart.
        for k in [3, 2] {
            if let Some(group) = tokens.get(i..i + k)
                && is_code_group(group)
                && !((group.iter().all(|t| t.bytes().any(|b| b.is_ascii_alphabetic())) || is_count_and_word(group))
                    && group.windows(2).all(|w| catalog.together(&w[0], &w[1])))
            {
                let joined = group.concat();
                if catalog.knows(&joined) {
                    out.push(joined);
                    i += k;
                    continue 'tokens;
                }
            }
        }
        if let Some(runs) = code_runs(&tokens[i], catalog) {
            out.extend(runs);
            i += 1;
            continue;
        }
        // A code the catalog writes both joined and apart ("AWS68-18L", "AWS 68"): both.
        if let Some(runs) = apart_too(&tokens[i], catalog) {
            out.push(tokens[i].clone());
            out.extend(runs);
            i += 1;
            continue;
        }
        let t = &tokens[i];
        if let Some(next) = tokens.get(i + 1)
            && is_word(t)
            && is_word(next)
        {
            let joined = format!("{t}{next}");
            if catalog.knows(&joined) && !catalog.together(t, next) {
                out.push(joined);
                i += 2;
                continue;
            }
        }
        match split(t, catalog) {
            Some((a, b)) => {
                out.push(a);
                out.push(b);
            }
            None => out.push(t.clone()),
        }
        i += 1;
    }
    out
}

/// "wheelbarrow" → ("wheel", "barrow") when the catalog does not know the closed form but
/// names both parts together; of several splits, the most even one.
fn split(word: &str, catalog: &impl Vocabulary) -> Option<(String, String)> {
    if !is_word(word) || word.len() < 2 * MIN_PART || catalog.knows(word) {
        return None;
    }
    (MIN_PART..=word.len() - MIN_PART)
        .filter(|i| word.is_char_boundary(*i))
        .map(|i| word.split_at(i))
        .filter(|(a, b)| catalog.knows(a) && catalog.knows(b) && catalog.together(a, b))
        .max_by_key(|(a, b)| a.len().min(b.len()))
        .map(|(a, b)| (a.to_string(), b.to_string()))
}

/// A model code written apart, joined when the catalog knows it whole: "WD 2.250" →
/// "WD2.250", "GBH 5-40 D" → "GBH5-40D", "NT 48/1" → "NT48/1" (letters, then a figure
/// that may hold "-", "/" or ".", then perhaps a short run of letters), before the text
/// is read into tokens.
pub fn codes_joined<'d>(description: &'d str, catalog: &impl Vocabulary) -> std::borrow::Cow<'d, str> {
    static APART: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"\b([A-Za-z]{2,5})\s+(\d[\d./-]*\d|\d)\b(?:\s+([A-Za-z]{1,3})\b)?").expect("regex")
    });
    let known = |joined: &str| {
        normalize::tokens(joined)
            .first()
            .is_some_and(|t| t.len() == joined.len() && catalog.knows(t))
    };
    APART.replace_all(description, |c: &regex::Captures<'_>| {
        let (letters, figure) = (&c[1], &c[2]);
        // "grit 120", "size 9": already read as a grit or a size
        if normalize::tokens(&format!("{letters} {figure}"))
            .iter()
            .any(|t| super::scoring::attribute_class(t).is_some())
        {
            return c[0].to_string();
        }
        if let Some(tail) = c.get(3) {
            let three = format!("{letters}{figure}{}", tail.as_str());
            if known(&three) {
                return three;
            }
        }
        let two = format!("{letters}{figure}");
        if known(&two) {
            return match c.get(3) {
                Some(tail) => format!("{two} {}", tail.as_str()),
                None => two,
            };
        }
        c[0].to_string()
    })
}

/// Adjacent tokens that may be one model code written apart: letters and numbers mixed
/// ("sae 140 ep", "dtd146 z", "hr2470 x5").
fn is_code_group(group: &[String]) -> bool {
    let plain = |t: &String| !t.is_empty() && t.bytes().all(|b| b.is_ascii_alphanumeric());
    let digits = |t: &String| t.bytes().all(|b| b.is_ascii_digit());
    let has_digit = |t: &String| t.bytes().any(|b| b.is_ascii_digit());
    // a size joins only letters before it ("gdr 12v" is GDR12V): "600ml black" and "1 200ml"
    // ("AN 306-01 200ml") stay apart
    let measure = |t: &String| super::scoring::attribute_class(t).is_some();
    let letters = |t: &String| t.bytes().all(|b| b.is_ascii_alphabetic());
    let sized = match group {
        [first, last] => !measure(first) && (!measure(last) || letters(first)),
        _ => !group.iter().any(measure),
    };
    group.iter().all(plain) && sized && group.iter().any(has_digit) && group.iter().any(|t| !digits(t))
}

/// "hd40" → ["hd", "40"] when the catalog does not know the code but knows its letter and
/// digit runs, named together by some product; else two pieces split at one of those
/// boundaries ("dw303k" → ["dw", "303k"]).
fn code_runs(token: &str, catalog: &impl Vocabulary) -> Option<Vec<String>> {
    if token.len() < 3 || !token.bytes().all(|b| b.is_ascii_alphanumeric()) || catalog.knows(token) {
        return None;
    }
    let mut runs: Vec<String> = Vec::new();
    for c in token.chars() {
        match runs.last_mut() {
            Some(r)
                if r.chars()
                    .last()
                    .is_some_and(|l| l.is_ascii_digit() == c.is_ascii_digit()) =>
            {
                r.push(c)
            }
            _ => runs.push(c.to_string()),
        }
    }
    let known = runs.len() >= 2 && runs.iter().all(|r| catalog.knows(r));
    let together = runs.windows(2).all(|w| catalog.together(&w[0], &w[1]));
    if known && together {
        return Some(runs);
    }
    // Two pieces at one letter/digit boundary: "dw303k" → "dw" "303k" (DW 303K).
    let mut at = 0;
    runs[..runs.len().saturating_sub(1)]
        .iter()
        .map(|r| {
            at += r.len();
            token.split_at(at)
        })
        .filter(|(a, b)| catalog.knows(a) && catalog.knows(b) && catalog.together(a, b))
        .max_by_key(|(a, b)| a.len().min(b.len()))
        .map(|(a, b)| vec![a.to_string(), b.to_string()])
}

/// The letter and digit runs of a code the catalog knows, when some product also names
/// them apart, side by side ("aws68" → "aws", "68"): the request may mean either.
fn apart_too(token: &str, catalog: &impl Vocabulary) -> Option<Vec<String>> {
    if token.len() < 3 || !token.bytes().all(|b| b.is_ascii_alphanumeric()) || !catalog.knows(token) {
        return None;
    }
    let split = token.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = token.split_at(split);
    let two_runs = letters.len() >= 2 && !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
    (two_runs && catalog.knows(letters) && catalog.knows(digits) && catalog.together(letters, digits))
        .then(|| vec![letters.to_string(), digits.to_string()])
}

/// A figure then a word: "2 stroke" (the normaliser's reading of "2-STROKE").
fn is_count_and_word(group: &[String]) -> bool {
    matches!(group, [count, word] if count.bytes().all(|b| b.is_ascii_digit()) && is_word(word))
}

fn is_word(t: &str) -> bool {
    t.len() >= MIN_PART && t.bytes().all(|b| b.is_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Names(Vec<Vec<&'static str>>);

    impl Vocabulary for Names {
        fn knows(&self, word: &str) -> bool {
            self.0.iter().flatten().any(|w| *w == word)
        }
        fn together(&self, a: &str, b: &str) -> bool {
            self.0.iter().any(|n| n.contains(&a) && n.contains(&b))
        }
    }

    fn catalog() -> Names {
        Names(vec![
            vec!["wheel", "barrow", "spare", "wheel"],
            vec!["ear", "muff", "peltor"],
            vec!["sand", "paper", "g120"],
            vec!["screwdriver", "set"],
            vec!["car", "polish"],
            vec!["ton", "jack"],
            vec!["castrol", "gear", "oil", "sae140ep"],
            vec!["lesfric", "hd", "40", "oil"],
            vec!["dewalt", "recipro", "saw", "dw", "303k"],
            vec!["bosch", "grinder", "gws24-230", "gws24230", "gws24", "230"],
            vec!["fujida", "hydraulic", "oil", "aws68"],
            vec!["castrol", "hyspin", "aws", "68"],
            vec!["makita", "impact", "driver", "dtd146z"],
            vec!["sealant", "600mlblack"],
            vec!["bosch", "impact", "driver", "gdr12v"],
            vec!["loctite", "1200ml"],
            vec!["engine", "oil", "2stroke"],
            vec!["mower", "oil", "2", "stroke"],
            vec![
                "milwaukee",
                "rotary",
                "hammer",
                "m18chx-601b",
                "m18chx601b",
                "m18chx",
                "601b",
            ],
            vec![
                "milwaukee",
                "hammer",
                "drill",
                "m18bpd-202c",
                "m18bpd202c",
                "m18bpd",
                "202c",
            ],
            vec![
                "milwaukee",
                "rotary",
                "hammer",
                "m18",
                "chx-502c",
                "chx502c",
                "chx",
                "502c",
            ],
        ])
    }

    fn r(text: &str) -> String {
        rewrite(text.split(' ').map(String::from).collect(), &catalog()).join(" ")
    }

    #[test]
    fn closed_compounds_split_the_catalog_way() {
        assert_eq!(r("wheelbarrow"), "wheel barrow");
        assert_eq!(r("earmuff"), "ear muff");
        assert_eq!(r("sandpaper g120"), "sand paper g120");
    }

    #[test]
    fn open_compounds_join_the_catalog_way() {
        assert_eq!(r("screw driver set"), "screwdriver set");
    }

    #[test]
    fn model_codes_the_catalog_way() {
        assert_eq!(r("castrol sae 140 ep gear oil"), "castrol sae140ep gear oil");
        assert_eq!(r("lesfric hd40 oil"), "lesfric hd 40 oil");
        assert_eq!(r("m10 bolt"), "m10 bolt");
        assert_eq!(r("dewalt dw303k"), "dewalt dw 303k");
        assert_eq!(r("dtd146 z impact driver"), "dtd146z impact driver");
        assert_eq!(r("sealant 600ml black"), "sealant 600ml black");
        assert_eq!(r("bosch gdr 12v impact driver"), "bosch gdr12v impact driver");
        assert_eq!(r("an 306 1 200ml"), "an 306 1 200ml");
        // written apart by a product too: that product's code, not the joined one
        assert_eq!(r("milwaukee m18 chx-502c"), "milwaukee m18 chx-502c");
        assert_eq!(r("2 stroke oil"), "2 stroke oil");
        assert_eq!(
            rewrite(
                crate::catalog::search::normalize::tokens("Bosch GWS 24-230 grinder"),
                &catalog()
            )
            .join(" "),
            "bosch gws24-230 gws24230 gws24 230 grinder"
        );
        // the head is a code too ("M18"), the rest letters and figures
        assert_eq!(
            rewrite(
                crate::catalog::search::normalize::tokens("Milwaukee M18 BPD-202C hammer drill"),
                &catalog()
            )
            .join(" "),
            "milwaukee m18bpd-202c m18bpd202c m18bpd 202c hammer drill"
        );
    }

    #[test]
    fn a_code_the_catalog_writes_joined_and_apart_reads_both_ways() {
        assert_eq!(r("castrol hyspin aws68"), "castrol hyspin aws68 aws 68");
        assert_eq!(r("fujida aws68 oil"), "fujida aws68 aws 68 oil");
    }

    #[test]
    fn words_the_catalog_never_names_together_stay() {
        assert_eq!(r("carton"), "carton");
        assert_eq!(r("wheel barrow"), "wheel barrow");
        assert_eq!(r("spare parts"), "spare parts");
    }
}
