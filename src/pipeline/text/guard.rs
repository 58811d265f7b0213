//! Every third-party parser runs here: on its own thread with a large stack (lopdf, docx-rs
//! and the XML readers recurse over nested structures) and behind `catch_unwind`, so a
//! hostile file ends as a specific "damaged" error, never a crashed worker. A caught panic
//! is an answer, not news: parser threads do not print "thread 'parse-PDF' panicked".
//!
//! This catches panics only; an allocation abort or a loop is the sandbox's business (see
//! `sandbox`), which runs this same code in a child process.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Once;

use super::TextError;

/// Stack of the parser thread.
const PARSER_STACK: usize = 64 * 1024 * 1024;

/// Runs `parse` isolated; a panic becomes [`TextError::Corrupt`] for `format`.
pub(super) fn isolated<T: Send>(
    name: &str,
    format: &'static str,
    parse: impl FnOnce() -> Result<T, TextError> + Send,
) -> Result<T, TextError> {
    let corrupt = |detail: String| TextError::Corrupt {
        name: name.into(),
        format,
        detail,
    };
    quiet_parser_panics();
    std::thread::scope(|scope| {
        let handle = std::thread::Builder::new()
            .name(format!("parse-{format}"))
            .stack_size(PARSER_STACK)
            .spawn_scoped(scope, || catch_unwind(AssertUnwindSafe(parse)))
            .map_err(|e| corrupt(format!("cannot start the parser: {e}")))?;
        match handle.join() {
            Ok(Ok(result)) => result,
            Ok(Err(panic)) | Err(panic) => Err(corrupt(format!("the parser failed: {}", panic_text(&*panic)))),
        }
    })
}

/// Installs (once) a panic hook that says nothing for parser threads and hands every other
/// panic to the hook that was there before.
fn quiet_parser_panics() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let parser = std::thread::current().name().is_some_and(|n| n.starts_with("parse-"));
            if !parser {
                previous(info);
            }
        }));
    });
}

fn panic_text(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "it gave up".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panicking_parser_is_a_specific_error() {
        let r: Result<(), _> = isolated("a.docx", "DOCX", || panic!("index out of bounds"));
        assert_eq!(
            r,
            Err(TextError::Corrupt {
                name: "a.docx".into(),
                format: "DOCX",
                detail: "the parser failed: index out of bounds".into()
            })
        );
    }

    #[test]
    fn deep_recursion_has_room() {
        fn depth(n: u32) -> u32 {
            let pad = std::hint::black_box([0u8; 256]);
            if n == 0 {
                0
            } else {
                1 + depth(n - 1) + u32::from(pad[0])
            }
        }
        assert_eq!(isolated("a", "PDF", || Ok(depth(50_000))), Ok(50_000));
    }
}
