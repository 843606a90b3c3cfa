//! Fuzzes the return-file reader: any bytes must give Ok or a Rejection, never a panic,
//! and whatever is accepted must be exactly what a writer would produce.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(v) = cdf_assess::exchange::read(data, &[]) {
        // Accepted input is canonical: writing the body again gives the same bytes.
        assert_eq!(cdf_assess::exchange::write(v.body), data);
    }
});
