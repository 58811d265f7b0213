#![no_main]
//! Fuzzes the xlsx reader (and the extractors behind it) with arbitrary bytes.

libfuzzer_sys::fuzz_target!(|data: &[u8]| horme_fuzz::run("fuzz.xlsx", data));
