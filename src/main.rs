#![cfg_attr(all(windows, not(debug_assertions)), windows_subsystem = "windows")]

use cdf_assess::cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
