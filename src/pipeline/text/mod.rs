//! Text extraction that keeps structure: paragraphs stay lines, tables stay rows and cells.
//!
//! Every format lands in the same [`ExtractedDocument`] so that the requirement extractors do
//! not care whether a table came from a PDF, a spreadsheet or an HTML mail.

mod csv;
mod decode;
mod docx;
mod guard;
mod html;
pub mod notes;
mod pdf;
mod plain;
mod sandbox;
mod sheet;
mod zipguard;

pub use decode::decode_text;
pub use html::html_to_blocks;
pub use plain::lines;
pub use sandbox::{ChildArgs, Sandbox, child as parse_document_child};

use serde::{Deserialize, Serialize};

/// A piece of a document in reading order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Block {
    /// One line or paragraph of running text.
    Line { text: String },
    /// A list item (a numbered or bulleted paragraph in a word processor).
    ListItem { text: String },
    /// A table as rows of cells; cells are trimmed, empty cells kept as "".
    Table { rows: Vec<Vec<String>> },
}

/// The readable content of one file or mail body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtractedDocument {
    pub name: String,
    pub format: Format,
    pub blocks: Vec<Block>,
}

impl ExtractedDocument {
    /// All text, tables flattened with " | " between cells: for display, search and the LLM.
    pub fn plain_text(&self) -> String {
        let mut out = String::new();
        for block in &self.blocks {
            match block {
                Block::Line { text } | Block::ListItem { text } => {
                    out.push_str(text);
                    out.push('\n');
                }
                Block::Table { rows } => {
                    for row in rows {
                        out.push_str(&row.join(" | "));
                        out.push('\n');
                    }
                }
            }
        }
        out
    }

    pub fn is_empty(&self) -> bool {
        self.blocks.iter().all(|b| match b {
            Block::Line { text } | Block::ListItem { text } => text.trim().is_empty(),
            Block::Table { rows } => rows.iter().all(|r| r.iter().all(|c| c.trim().is_empty())),
        })
    }
}

/// The formats the pipeline reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Pdf,
    Docx,
    Xlsx,
    Xls,
    Ods,
    Csv,
    Txt,
    Html,
    Eml,
}

impl Format {
    /// The format a file name promises, from its extension.
    pub fn from_name(name: &str) -> Option<Self> {
        let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
        Some(match ext.as_str() {
            "pdf" => Self::Pdf,
            "docx" => Self::Docx,
            "xlsx" | "xlsm" => Self::Xlsx,
            "xls" => Self::Xls,
            "ods" => Self::Ods,
            "csv" | "tsv" => Self::Csv,
            "txt" | "text" => Self::Txt,
            "html" | "htm" => Self::Html,
            "eml" => Self::Eml,
            _ => return None,
        })
    }

    /// The format a MIME type announces (for attachments whose names are missing or odd).
    pub fn from_media_type(media_type: &str) -> Option<Self> {
        let mt = media_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        Some(match mt.as_str() {
            "application/pdf" => Self::Pdf,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => Self::Docx,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => Self::Xlsx,
            "application/vnd.ms-excel" => Self::Xls,
            "application/vnd.oasis.opendocument.spreadsheet" => Self::Ods,
            "text/csv" | "text/tab-separated-values" => Self::Csv,
            "text/plain" => Self::Txt,
            "text/html" => Self::Html,
            "message/rfc822" => Self::Eml,
            _ => return None,
        })
    }

    /// The name used in messages ("PDF", "DOCX" …).
    pub fn label(self) -> &'static str {
        match self {
            Self::Pdf => "PDF",
            Self::Docx => "DOCX",
            Self::Xlsx => "XLSX",
            Self::Xls => "XLS",
            Self::Ods => "ODS",
            Self::Csv => "CSV",
            Self::Txt => "text",
            Self::Html => "HTML",
            Self::Eml => "mail",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pdf => "pdf",
            Self::Docx => "docx",
            Self::Xlsx => "xlsx",
            Self::Xls => "xls",
            Self::Ods => "ods",
            Self::Csv => "csv",
            Self::Txt => "txt",
            Self::Html => "html",
            Self::Eml => "eml",
        }
    }
}

/// Limits that keep hostile or broken files from eating the machine.
#[derive(Debug, Clone)]
pub struct Limits {
    pub max_document_bytes: usize,
    /// Text one document may expand to, in every format.
    pub max_text_bytes: usize,
    pub max_pdf_pages: usize,
    /// Read complex formats in a child process with these limits; None: in this process
    /// (unit tests, and the child itself).
    pub sandbox: Option<Sandbox>,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_document_bytes: 25 * 1024 * 1024,
            max_text_bytes: 8 * 1024 * 1024,
            max_pdf_pages: 500,
            sandbox: None,
        }
    }
}

impl Limits {
    /// The configured limits; documents are read in a child process unless
    /// `pipeline.parse_in_process` is set.
    pub fn from_settings(p: &crate::config::PipelineSettings) -> Self {
        let sandbox = (!p.parse_in_process).then(|| Sandbox {
            executable: p
                .parser_executable
                .clone()
                .or_else(|| std::env::current_exe().ok())
                .unwrap_or_else(|| "horme".into()),
            memory_mib: p.parse_memory_mib,
            cpu_seconds: p.parse_cpu_seconds,
            timeout: std::time::Duration::from_secs(p.parse_timeout_seconds),
        });
        Self {
            max_document_bytes: p.max_document_bytes,
            max_text_bytes: p.max_text_bytes,
            max_pdf_pages: p.max_pdf_pages,
            sandbox,
        }
    }
}

/// Why a document could not be read. Each variant is a specific, user-facing reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum TextError {
    #[error("{name}: unsupported file type (we read PDF, DOCX, XLSX, XLS, ODS, CSV, TXT, HTML and EML)")]
    Unsupported { name: String },
    #[error("{name}: the file is empty")]
    Empty { name: String },
    #[error("{name}: the file is {size} bytes, more than the limit of {limit} bytes")]
    TooLarge { name: String, size: usize, limit: usize },
    #[error("{name}: the PDF is password-protected (encrypted); please send it without a password")]
    Encrypted { name: String },
    #[error("{name}: the {format} is password-protected (encrypted); please send it without a password")]
    EncryptedOffice {
        name: String,
        #[serde(deserialize_with = "static_label")]
        format: Label,
    },
    #[error("{name}: the file is damaged or not a valid {format} file ({detail})")]
    Corrupt {
        name: String,
        #[serde(deserialize_with = "static_label")]
        format: Label,
        detail: String,
    },
    #[error("{name}: scanned document without a text layer")]
    Scanned { name: String },
    #[error("{name}: scanned document without a text layer, and OCR failed ({detail})")]
    Ocr { name: String, detail: String },
    #[error("{name}: the PDF has {pages} pages, more than the limit of {limit}")]
    TooManyPages { name: String, pages: usize, limit: usize },
    #[error("{name}: the file expands to more than {limit} bytes (a compression bomb?)")]
    Bomb { name: String, limit: usize },
    #[error("{name}: the file holds no readable text")]
    NoText { name: String },
    #[error("{name}: the document holds more than {limit} bytes of text")]
    TooMuchText { name: String, limit: usize },
    #[error(
        "{name}: the PDF's text uses the {encoding} encoding, which we cannot read yet; please send the list as DOCX, XLSX or text"
    )]
    PdfEncoding { name: String, encoding: String },
    #[error("{name}: the document needs more than {limit_mib} MiB to read")]
    OutOfMemory { name: String, limit_mib: u64 },
    #[error("{name}: reading the document took longer than {seconds} s")]
    TimedOut { name: String, seconds: u64 },
    #[error("{name}: the reader crashed on this document")]
    Crashed { name: String },
    #[error("{name}: the document reader could not be started; please try again later")]
    ReaderUnavailable { name: String },
}

/// A format's name in messages ("PDF"). An alias, so that serde does not take the field for
/// a string borrowed from the input: [`static_label`] maps it back to the static one.
pub type Label = &'static str;

/// A format label sent back by the reader process, as the static label this program uses.
fn static_label<'de, D: serde::Deserializer<'de>>(d: D) -> Result<&'static str, D::Error> {
    const LABELS: [&str; 10] = [
        "PDF", "DOCX", "XLSX", "XLS", "ODS", "CSV", "text", "HTML", "mail", "document",
    ];
    let s = String::deserialize(d)?;
    Ok(LABELS.into_iter().find(|l| *l == s).unwrap_or("document"))
}

/// Reads one file into structured text. `name` decides the format (by extension, then by
/// `media_type`); the bytes must agree with it.
pub fn extract(
    name: &str,
    media_type: Option<&str>,
    bytes: &[u8],
    limits: &Limits,
) -> Result<ExtractedDocument, TextError> {
    let format = Format::from_name(name)
        .or_else(|| media_type.and_then(Format::from_media_type))
        .ok_or_else(|| TextError::Unsupported { name: name.into() })?;
    if bytes.is_empty() {
        return Err(TextError::Empty { name: name.into() });
    }
    if bytes.len() > limits.max_document_bytes {
        return Err(TextError::TooLarge {
            name: name.into(),
            size: bytes.len(),
            limit: limits.max_document_bytes,
        });
    }
    let blocks = match &limits.sandbox {
        Some(child) if sandbox::needed(format) => sandbox::read(name, format, bytes, limits, child)?,
        _ => parse(name, format, bytes, limits)?,
    };
    let doc = ExtractedDocument {
        name: name.into(),
        format,
        blocks,
    };
    if doc.is_empty() {
        return Err(match format {
            Format::Pdf => TextError::Scanned { name: name.into() },
            _ => TextError::NoText { name: name.into() },
        });
    }
    Ok(doc)
}

/// Runs the parser of `format` in this process, isolated (see `guard`).
fn parse(name: &str, format: Format, bytes: &[u8], limits: &Limits) -> Result<Vec<Block>, TextError> {
    let parsed = guard::isolated(name, format.label(), || match format {
        Format::Pdf => pdf::extract(name, bytes, limits),
        Format::Docx => docx::extract(name, bytes, limits),
        Format::Xlsx | Format::Xls | Format::Ods => sheet::extract(name, format, bytes, limits),
        Format::Csv => csv::extract(name, bytes, limits),
        Format::Txt => Ok(lines(&decode::decode_limited(name, bytes, limits.max_text_bytes)?)),
        Format::Html => Ok(html::html_to_blocks(&decode::decode_limited(
            name,
            bytes,
            limits.max_text_bytes,
        )?)),
        // A mail is unpacked by the MIME parser before it gets here.
        Format::Eml => Err(TextError::Unsupported { name: name.into() }),
    });
    parsed.map_err(|e| unsupported_encoding(e, format))
}

/// pdf-extract gives up on predefined CJK encodings (GBK-EUC-H, UniJIS-UCS2-H …) with a
/// panic: a valid PDF we cannot read is not "damaged".
fn unsupported_encoding(e: TextError, format: Format) -> TextError {
    match e {
        TextError::Corrupt { name, detail, .. }
            if format == Format::Pdf && detail.contains("unsupported encoding ") =>
        {
            let encoding = detail
                .rsplit("unsupported encoding ")
                .next()
                .unwrap_or("")
                .trim_matches(|c: char| c == '"' || c.is_whitespace())
                .to_string();
            TextError::PdfEncoding { name, encoding }
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_from_extension_and_media_type() {
        assert_eq!(Format::from_name("RFQ-1.PDF"), Some(Format::Pdf));
        assert_eq!(Format::from_name("a.b.xlsx"), Some(Format::Xlsx));
        assert_eq!(Format::from_name("noext"), None);
        assert_eq!(Format::from_media_type("application/pdf; name=x"), Some(Format::Pdf));
        assert_eq!(Format::from_media_type("image/png"), None);
    }

    #[test]
    fn empty_and_unknown_files_have_specific_errors() {
        let l = Limits::default();
        assert_eq!(
            extract("a.txt", None, b"", &l),
            Err(TextError::Empty { name: "a.txt".into() })
        );
        assert!(matches!(
            extract("a.exe", None, b"MZ", &l),
            Err(TextError::Unsupported { .. })
        ));
        let small = Limits {
            max_document_bytes: 3,
            ..l.clone()
        };
        assert!(matches!(
            extract("a.txt", None, b"abcd", &small),
            Err(TextError::TooLarge { .. })
        ));
        assert!(matches!(
            extract("a.txt", None, b"  \n \n", &l),
            Err(TextError::NoText { .. })
        ));
    }

    #[test]
    fn an_unsupported_cjk_encoding_is_not_damage() {
        let e = TextError::Corrupt {
            name: "cn.pdf".into(),
            format: "PDF",
            detail: "the parser failed: unsupported encoding GBK-EUC-H".into(),
        };
        assert_eq!(
            unsupported_encoding(e, Format::Pdf),
            TextError::PdfEncoding {
                name: "cn.pdf".into(),
                encoding: "GBK-EUC-H".into()
            }
        );
    }

    #[test]
    fn text_lines_are_trimmed_and_blank_lines_dropped() {
        let doc = extract(
            "a.txt",
            None,
            b"Dear Sir,\r\n\r\n1. Gloves - 20 pcs  \n",
            &Limits::default(),
        )
        .expect("reads");
        assert_eq!(
            doc.blocks,
            vec![
                Block::Line {
                    text: "Dear Sir,".into()
                },
                Block::Line {
                    text: "1. Gloves - 20 pcs".into()
                }
            ]
        );
    }
}
