//! A cheap structural pre-scan of PDF bytes, before any parser sees them: the header must be
//! there and arrays/dictionaries must not nest absurdly deep (a classic parser stack-killer).

/// Deeper than this is not a document anyone wrote by hand or by a normal tool.
const MAX_NESTING: usize = 256;

pub(super) fn check(bytes: &[u8]) -> Result<(), &'static str> {
    let head = &bytes[..bytes.len().min(1024)];
    if !head.windows(5).any(|w| w == b"%PDF-") {
        return Err("no %PDF header: this is not a PDF file");
    }
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => i = skip_line(bytes, i),
            b'(' => i = skip_string(bytes, i),
            b's' if bytes[i..].starts_with(b"stream") && !is_word_char(bytes.get(i + 6)) => {
                i = skip_stream(bytes, i + 6);
                continue;
            }
            b'[' => depth += 1,
            b'<' if bytes.get(i + 1) == Some(&b'<') => {
                depth += 1;
                i += 1;
            }
            b']' => depth = depth.saturating_sub(1),
            b'>' if bytes.get(i + 1) == Some(&b'>') => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            _ => {}
        }
        if depth > MAX_NESTING {
            return Err("objects nested too deeply");
        }
        i += 1;
    }
    Ok(())
}

fn is_word_char(b: Option<&u8>) -> bool {
    b.is_some_and(|b| b.is_ascii_alphanumeric())
}

fn skip_line(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
        i += 1;
    }
    i
}

/// Skips a literal string with balanced parentheses and backslash escapes.
fn skip_string(bytes: &[u8], mut i: usize) -> usize {
    let mut level = 0usize;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'(' => level += 1,
            b')' => {
                level -= 1;
                if level == 0 {
                    return i;
                }
            }
            _ => {}
        }
        i += 1;
    }
    i
}

/// Skips stream data up to `endstream` (stream bytes may contain anything).
fn skip_stream(bytes: &[u8], from: usize) -> usize {
    bytes[from..]
        .windows(9)
        .position(|w| w == b"endstream")
        .map_or(bytes.len(), |p| from + p + 9)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn needs_a_header() {
        assert!(check(b"hello").is_err());
        assert!(check(b"%PDF-1.4\n1 0 obj << /A [1 2] >> endobj").is_ok());
    }

    #[test]
    fn refuses_absurd_nesting_but_ignores_brackets_in_strings_and_streams() {
        let deep = format!("%PDF-1.4\n{}", "[".repeat(10_000));
        assert!(check(deep.as_bytes()).is_err());
        let in_string = format!("%PDF-1.4\n({})", "[".repeat(10_000));
        assert!(check(in_string.as_bytes()).is_ok());
        let in_stream = format!("%PDF-1.4\nstream\n{}\nendstream", "[".repeat(10_000));
        assert!(check(in_stream.as_bytes()).is_ok());
    }
}
