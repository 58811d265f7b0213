//! Zip containers (DOCX, XLSX, ODS) are checked before a parser opens them: entry count,
//! real decompressed size and compression ratio, so a zip bomb is refused instead of
//! exhausting memory.

use std::io::{Cursor, Read};

use super::TextError;

/// At most this many entries; a real office file has a few dozen.
const MAX_ENTRIES: usize = 10_000;
/// At most this much decompressed data in all entries together.
const MAX_TOTAL: u64 = 256 * 1024 * 1024;
/// Entries larger than 1 MiB must not expand more than this many times.
const MAX_RATIO: u64 = 200;
/// One entry may hold this many times the text limit of markup: more is not an RFQ (a
/// 200-MiB document.xml or shared-strings table costs gigabytes in the XML readers).
const MARKUP_PER_TEXT: u64 = 16;

pub(super) fn check(name: &str, format: &'static str, bytes: &[u8], max_text_bytes: usize) -> Result<(), TextError> {
    let max_entry = (max_text_bytes as u64).saturating_mul(MARKUP_PER_TEXT);
    if encrypted_office(bytes) {
        return Err(TextError::EncryptedOffice {
            name: name.into(),
            format,
        });
    }
    let corrupt = |detail: String| TextError::Corrupt {
        name: name.into(),
        format,
        detail,
    };
    let bomb = || TextError::Bomb {
        name: name.into(),
        limit: MAX_TOTAL as usize,
    };
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| corrupt(e.to_string()))?;
    if archive.len() > MAX_ENTRIES {
        return Err(bomb());
    }
    let mut total = 0u64;
    let mut sink = vec![0u8; 64 * 1024];
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).map_err(|e| corrupt(e.to_string()))?;
        let compressed = entry.compressed_size().max(1);
        // Read for real: declared sizes can lie.
        let mut size = 0u64;
        loop {
            let n = entry.read(&mut sink).map_err(|e| corrupt(e.to_string()))?;
            if n == 0 {
                break;
            }
            size += n as u64;
            total += n as u64;
            if total > MAX_TOTAL || (size > 1024 * 1024 && size / compressed > MAX_RATIO) {
                return Err(bomb());
            }
            if size > max_entry {
                return Err(TextError::TooMuchText {
                    name: name.into(),
                    limit: max_text_bytes,
                });
            }
        }
    }
    Ok(())
}

/// A password-protected Office file is not a zip but an OLE container holding an
/// `EncryptedPackage` stream (its directory names are UTF-16).
fn encrypted_office(bytes: &[u8]) -> bool {
    const OLE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    let name: Vec<u8> = "EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes).collect();
    bytes.starts_with(&OLE) && bytes.windows(name.len()).any(|w| w == name.as_slice())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_with(entries: &[(&str, Vec<u8>)]) -> Vec<u8> {
        let mut buf = Cursor::new(Vec::new());
        {
            let mut w = zip::ZipWriter::new(&mut buf);
            let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
            for (name, data) in entries {
                w.start_file(*name, opts).expect("start");
                w.write_all(data).expect("write");
            }
            w.finish().expect("finish");
        }
        buf.into_inner()
    }

    #[test]
    fn accepts_an_ordinary_archive() {
        let z = zip_with(&[("word/document.xml", b"<w:document/>".repeat(100))]);
        assert_eq!(check("a.docx", "DOCX", &z, 8 << 20), Ok(()));
    }

    #[test]
    fn refuses_a_highly_compressed_entry() {
        let z = zip_with(&[("word/document.xml", vec![b'a'; 50 * 1024 * 1024])]);
        assert!(z.len() < 1024 * 1024, "the bomb is small on disk");
        assert!(matches!(
            check("a.docx", "DOCX", &z, 8 << 20),
            Err(TextError::Bomb { .. })
        ));
    }

    #[test]
    fn a_password_protected_office_file_is_named_so() {
        let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        ole.extend(vec![0u8; 100]);
        ole.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
        let e = check("a.xlsx", "XLSX", &ole, 8 << 20).expect_err("refused");
        assert_eq!(
            e.to_string(),
            "a.xlsx: the XLSX is password-protected (encrypted); please send it without a password"
        );
    }

    #[test]
    fn refuses_non_zip_bytes() {
        assert!(matches!(
            check("a.docx", "DOCX", b"not a zip at all", 8 << 20),
            Err(TextError::Corrupt { .. })
        ));
    }
}
