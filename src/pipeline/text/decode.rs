//! Bytes to text: BOMs (UTF-8, UTF-16), then UTF-8, then Windows-1252.

use super::TextError;

/// Decodes a text file. Refuses binary junk (NUL bytes or mostly control characters).
pub fn decode_text(name: &str, bytes: &[u8]) -> Result<String, TextError> {
    let text = if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        String::from_utf8_lossy(rest).into_owned()
    } else if bytes.starts_with(&[0xFF, 0xFE]) {
        encoding_rs::UTF_16LE.decode_with_bom_removal(bytes).0.into_owned()
    } else if bytes.starts_with(&[0xFE, 0xFF]) {
        encoding_rs::UTF_16BE.decode_with_bom_removal(bytes).0.into_owned()
    } else if let Some(utf16) = sniff_utf16_without_bom(bytes) {
        utf16
    } else {
        match std::str::from_utf8(bytes) {
            Ok(s) => s.to_string(),
            Err(_) => encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned(),
        }
    };
    if looks_binary(&text) {
        return Err(TextError::Corrupt {
            name: name.into(),
            format: "text",
            detail: "binary data, not text".into(),
        });
    }
    Ok(text.replace('\u{a0}', " "))
}

/// Decodes a text file that may hold at most `max_text_bytes` of text.
pub fn decode_limited(name: &str, bytes: &[u8], max_text_bytes: usize) -> Result<String, TextError> {
    let too_much = || TextError::TooMuchText {
        name: name.into(),
        limit: max_text_bytes,
    };
    // Windows-1252 and UTF-8 never shrink, UTF-16 halves at most: refuse before decoding.
    if bytes.len() / 2 > max_text_bytes {
        return Err(too_much());
    }
    let text = decode_text(name, bytes)?;
    if text.len() > max_text_bytes {
        return Err(too_much());
    }
    Ok(text)
}

/// UTF-16 without a BOM shows as every other byte being NUL in ASCII-heavy text.
fn sniff_utf16_without_bom(bytes: &[u8]) -> Option<String> {
    if bytes.len() < 4 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let sample = &bytes[..bytes.len().min(512)];
    let even_nul = sample.iter().step_by(2).filter(|b| **b == 0).count();
    let odd_nul = sample.iter().skip(1).step_by(2).filter(|b| **b == 0).count();
    let half = sample.len() / 2;
    if odd_nul * 10 >= half * 9 && even_nul == 0 {
        Some(encoding_rs::UTF_16LE.decode_without_bom_handling(bytes).0.into_owned())
    } else if even_nul * 10 >= half * 9 && odd_nul == 0 {
        Some(encoding_rs::UTF_16BE.decode_without_bom_handling(bytes).0.into_owned())
    } else {
        None
    }
}

fn looks_binary(text: &str) -> bool {
    let mut control = 0usize;
    let mut total = 0usize;
    for c in text.chars().take(8192) {
        total += 1;
        if c == '\0' {
            return true;
        }
        if (c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}')) || c == '\u{fffd}' {
            control += 1;
        }
    }
    total > 0 && control * 10 > total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_utf8_with_and_without_bom() {
        assert_eq!(decode_text("a", "Größe 4”".as_bytes()).as_deref(), Ok("Größe 4”"));
        assert_eq!(decode_text("a", b"\xEF\xBB\xBFqty").as_deref(), Ok("qty"));
    }

    #[test]
    fn decodes_utf16_with_bom() {
        let mut le = vec![0xFF, 0xFE];
        le.extend("Qty 5 ø".encode_utf16().flat_map(|u| u.to_le_bytes()));
        assert_eq!(decode_text("a", &le).as_deref(), Ok("Qty 5 ø"));
        let mut be = vec![0xFE, 0xFF];
        be.extend("Qty 5".encode_utf16().flat_map(|u| u.to_be_bytes()));
        assert_eq!(decode_text("a", &be).as_deref(), Ok("Qty 5"));
    }

    #[test]
    fn falls_back_to_windows_1252() {
        // 0x93/0x94 are curly quotes and 0xB0 a degree sign in Windows-1252; invalid UTF-8.
        assert_eq!(decode_text("a", b"\x93hose\x94 90\xB0").as_deref(), Ok("“hose” 90°"));
    }

    #[test]
    fn refuses_binary_junk() {
        assert!(decode_text("a", &[0x7f, 0x45, 0x4c, 0x46, 0, 1, 2]).is_err());
        let junk: Vec<u8> = (0..200u8).map(|i| i % 9).collect();
        assert!(decode_text("a", &junk).is_err());
    }
}
