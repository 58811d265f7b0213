#![no_main]
//! Fuzzes the html reader (and the extractors behind it) with arbitrary bytes.

libfuzzer_sys::fuzz_target!(|data: &[u8]| horme_fuzz::run("fuzz.html", data));
