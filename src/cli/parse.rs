//! `horme parse-document` (hidden): the document-reader child process that the pipeline
//! starts for every untrusted document (see `pipeline::text::sandbox`). Runs before the
//! async runtime and without configuration or logging: it only reads stdin and answers.

use std::process::ExitCode;

use clap::Args;

use crate::pipeline::text::{ChildArgs, Format, parse_document_child};

#[derive(Debug, Args)]
pub struct ParseDocumentArgs {
    /// The document's name (for messages only).
    #[arg(long)]
    name: String,
    /// pdf, docx, xlsx, xls, ods, csv, txt or html.
    #[arg(long)]
    format: String,
    #[arg(long)]
    max_text_bytes: usize,
    #[arg(long)]
    max_pdf_pages: usize,
    /// Address-space limit, set on this process before reading.
    #[arg(long)]
    memory_mib: u64,
    /// CPU-time limit, set on this process before reading.
    #[arg(long)]
    cpu_seconds: u64,
}

pub fn parse_document(args: &ParseDocumentArgs) -> ExitCode {
    let Some(format) = Format::from_name(&format!("x.{}", args.format)) else {
        eprintln!("unknown format {}", args.format);
        return ExitCode::FAILURE;
    };
    parse_document_child(&ChildArgs {
        name: args.name.clone(),
        format,
        max_text_bytes: args.max_text_bytes,
        max_pdf_pages: args.max_pdf_pages,
        memory_mib: args.memory_mib,
        cpu_seconds: args.cpu_seconds,
    })
}
