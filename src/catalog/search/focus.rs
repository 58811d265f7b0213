//! The words of a long requested description the catalog is searched with. A catalog name
//! is a dozen words at most: what the product is, who makes it, its model and size. A buyer's
//! line can be a title followed by its specification in prose ("High pressure cleaner Karcher
//! HD 605C cold water high pressure cleaner, 130 bar, c/w 10m high pressure hose, trigger
//! gun and rotary nozzle"), and against all of its words no product explains enough of the
//! request to be offered. Such a line is searched with its first words, where buyers name
//! the product, and the model codes written after them; the line keeps the buyer's words.

/// Words of a request searched as written; a longer one is focused.
const MAX_WORDS: usize = 16;
/// Leading words kept of a longer one.
const HEAD_WORDS: usize = 12;

/// A model or part code: letters and digits in one word ("lt530", "hd605c", "6200").
fn is_code(token: &str) -> bool {
    token.len() >= 3
        && token.bytes().any(|b| b.is_ascii_digit())
        && token.bytes().any(|b| b.is_ascii_alphabetic())
        && crate::catalog::search::scoring::attribute_class(token).is_none()
}

/// `tokens` (a request's normalised words, in order) focused as the module says: unchanged
/// when there are at most [`MAX_WORDS`].
pub fn focused(tokens: Vec<String>) -> Vec<String> {
    if tokens.len() <= MAX_WORDS {
        return tokens;
    }
    let mut out = tokens;
    let tail = out.split_off(HEAD_WORDS);
    out.extend(tail.into_iter().filter(|t| is_code(t)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn a_long_request_keeps_its_head_and_later_model_codes() {
        let got = focused(words(
            "wet dry vacuum cleaner twin motor 70 litre stainless steel container with standard \
             accessory kit suction hose floor tool crevice nozzle karcher nt702",
        ));
        assert_eq!(
            got,
            words("wet dry vacuum cleaner twin motor 70 litre stainless steel container with nt702")
        );
    }

    #[test]
    fn a_short_request_is_searched_whole() {
        let w = words("lentech lt530 battery operated walk behind auto scrubber");
        assert_eq!(focused(w.clone()), w);
    }

    #[test]
    fn sizes_in_the_specification_are_left_out() {
        let got = focused(words(
            "high pressure cleaner karcher hd605c cold water high pressure cleaner 130bar c/w 10m \
             high pressure hose trigger gun rotary nozzle",
        ));
        assert!(
            got.contains(&"hd605c".to_string()) && !got.contains(&"10m".to_string()),
            "{got:?}"
        );
    }
}
