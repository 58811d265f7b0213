//! OCR for scanned PDFs (no text layer) through the poppler and tesseract command-line
//! tools, when both are installed (`apt-get install poppler-utils tesseract-ocr`):
//! `pdftoppm` renders each page to a 300 dpi grey PNG, `tesseract … tsv` returns the words
//! with their boxes, and the words go through the same layout analysis as a PDF's glyphs,
//! so scanned tables still come out as rows and cells. `HORME_OCR=off` disables it.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use super::Glyph;

const DPI: f64 = 300.0;
/// Scanned pages beyond this are not read (OCR costs about a second per page).
pub(super) const MAX_PAGES: usize = 50;
const RENDER_TIMEOUT: Duration = Duration::from_secs(300);
const PAGE_TIMEOUT: Duration = Duration::from_secs(120);

/// Whether `pdftoppm` and `tesseract` can be run (checked once per process).
pub(super) fn available() -> bool {
    static AVAILABLE: OnceLock<bool> = OnceLock::new();
    *AVAILABLE.get_or_init(|| {
        let disabled = std::env::var("HORME_OCR").is_ok_and(|v| matches!(v.as_str(), "0" | "off" | "false"));
        !disabled && runs("pdftoppm", "-v") && runs("tesseract", "--version")
    })
}

fn runs(program: &str, arg: &str) -> bool {
    Command::new(program)
        .arg(arg)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// The words of every page (up to `pages`) as positioned glyphs in PDF points.
pub(super) fn read(bytes: &[u8], pages: usize) -> Result<Vec<Glyph>, String> {
    let dir = ScratchDir::new()?;
    let pdf = dir.0.join("in.pdf");
    std::fs::write(&pdf, bytes).map_err(|e| format!("cannot write a scratch file: {e}"))?;
    let mut render = Command::new("pdftoppm");
    render
        .args(["-r", "300", "-gray", "-png", "-l"])
        .arg(pages.to_string())
        .arg(&pdf)
        .arg(dir.0.join("page"));
    run(render, RENDER_TIMEOUT).map_err(|e| format!("pdftoppm: {e}"))?;
    let mut images: Vec<PathBuf> = std::fs::read_dir(&dir.0)
        .map_err(|e| e.to_string())?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "png"))
        .collect();
    // page-01.png … page-10.png sort by name; widths are padded alike.
    images.sort();
    let mut glyphs = Vec::new();
    for (i, image) in images.iter().enumerate() {
        let mut ocr = Command::new("tesseract");
        ocr.arg(image).args(["-", "--psm", "3", "tsv"]);
        let tsv = run(ocr, PAGE_TIMEOUT).map_err(|e| format!("tesseract: {e}"))?;
        glyphs.extend(words(&String::from_utf8_lossy(&tsv), i as u32 + 1));
    }
    Ok(glyphs)
}

/// TSV rows of level 5 (words) to glyphs; every word of a tesseract line gets that line's
/// bottom as its baseline and the line's height as its size, so lines stay whole.
fn words(tsv: &str, page: u32) -> Vec<Glyph> {
    let scale = 72.0 / DPI;
    let mut out = Vec::new();
    let mut line_key = None;
    let mut line: Vec<(f64, f64, String, f64, f64)> = Vec::new();
    let flush = |line: &mut Vec<(f64, f64, String, f64, f64)>, out: &mut Vec<Glyph>| {
        let bottom = line.iter().map(|w| w.3).fold(0.0, f64::max);
        let top = line.iter().map(|w| w.4).fold(f64::MAX, f64::min);
        for (x, width, text, _, _) in line.drain(..) {
            out.push(Glyph {
                page,
                frame: 0,
                x: x * scale,
                y: bottom * scale,
                width: width * scale,
                size: ((bottom - top) * scale).max(1.0),
                text,
            });
        }
    };
    for row in tsv.lines().skip(1) {
        let f: Vec<&str> = row.split('\t').collect();
        if f.len() < 12 || f[0] != "5" || is_rule(f[11]) {
            continue;
        }
        let num = |i: usize| f[i].trim().parse::<f64>().unwrap_or(0.0);
        let key = (f[2].to_string(), f[3].to_string(), f[4].to_string());
        if line_key.as_ref() != Some(&key) {
            flush(&mut line, &mut out);
            line_key = Some(key);
        }
        let (left, top, width, height) = (num(6), num(7), num(8), num(9));
        line.push((left, width, f[11].trim().to_string(), top + height, top));
    }
    flush(&mut line, &mut out);
    out
}

/// Table borders and underlines that OCR reads as characters ("|", "[", "__"): not words.
fn is_rule(word: &str) -> bool {
    word.trim()
        .chars()
        .all(|c| matches!(c, '|' | '[' | ']' | '_' | '—' | '‖' | '¦' | '│'))
}

/// Runs a command to its end within `timeout`; returns its stdout.
fn run(mut command: Command, timeout: Duration) -> Result<Vec<u8>, String> {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| e.to_string())?;
    let mut stdout = child.stdout.take().ok_or("no stdout")?;
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut stdout, &mut buf).map(|_| buf)
    });
    let started = Instant::now();
    loop {
        match child.try_wait().map_err(|e| e.to_string())? {
            Some(status) if status.success() => break,
            Some(status) => return Err(format!("failed ({status})")),
            None if started.elapsed() > timeout => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("took longer than {} s", timeout.as_secs()));
            }
            None => std::thread::sleep(Duration::from_millis(20)),
        }
    }
    reader
        .join()
        .map_err(|_| "output reader failed".to_string())?
        .map_err(|e| e.to_string())
}

/// A private scratch directory, removed when dropped.
struct ScratchDir(PathBuf);

impl ScratchDir {
    fn new() -> Result<Self, String> {
        let dir = std::env::temp_dir().join(format!("horme-ocr-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir(&dir).map_err(|e| format!("cannot create a scratch directory: {e}"))?;
        Ok(Self(dir))
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(Path::new(&self.0));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_of_a_line_share_its_baseline() {
        let tsv = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n\
                   5\t1\t1\t1\t1\t1\t300\t600\t100\t40\t96\tToilet\n\
                   5\t1\t1\t1\t1\t2\t420\t600\t90\t52\t96\tbrush\n\
                   5\t1\t1\t1\t1\t3\t520\t590\t8\t70\t96\t|\n\
                   5\t1\t1\t1\t2\t1\t300\t700\t50\t40\t96\t10\n";
        let g = words(tsv, 1);
        assert_eq!(g.len(), 3);
        assert_eq!(g[0].y, g[1].y);
        assert!((g[0].y - 652.0 * 72.0 / 300.0).abs() < 1e-9);
        assert!(g[2].y > g[0].y);
        assert_eq!(g[1].text, "brush");
    }
}
