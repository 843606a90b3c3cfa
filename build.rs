//! Refuses to build with a broken framework or member registry, naming every problem, and
//! embeds the build's version.

#[path = "src/lang.rs"]
#[allow(dead_code)]
mod lang;

#[path = "src/framework/model.rs"]
#[allow(dead_code)]
mod model;

use std::fs;

fn read(path: &str) -> String {
    println!("cargo:rerun-if-changed={path}");
    fs::read_to_string(path).unwrap_or_else(|e| panic!("\n\ncannot read {path}: {e}\n\n"))
}

fn fail(what: &str, errors: &[String]) -> ! {
    panic!("\n\n{what} is invalid:\n  - {}\n\n", errors.join("\n  - "));
}

fn main() {
    let meta = read("assets/framework/v1/framework.json");
    let files: Vec<(String, String)> = ["WF", "LP", "DC", "RD"]
        .iter()
        .map(|p| {
            let name = format!("assets/framework/v1/indicators-{p}.json");
            let text = read(&name);
            (name, text)
        })
        .collect();
    let refs: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    if let Err(errors) = model::Framework::from_json(&meta, &refs) {
        fail("The framework (assets/framework/v1)", &errors);
    }
    let members = read("assets/members.json");
    match serde_json::from_str::<Vec<model::Member>>(&members) {
        Err(e) => fail("assets/members.json", &[e.to_string()]),
        Ok(list) => {
            let errors = model::validate_members(&list);
            if !errors.is_empty() {
                fail("assets/members.json", &errors);
            }
        }
    }
    for lang in ["en", "fr"] {
        read(&format!("assets/i18n/{lang}.json"));
    }
    // The commit in the version string follows HEAD.
    println!("cargo:rerun-if-changed=.git/HEAD");
    println!("cargo:rerun-if-changed=.git/refs/heads");
    let version = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
    let commit = std::process::Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    let build = if commit.is_empty() { version } else { format!("{version}+{commit}") };
    println!("cargo:rustc-env=CDF_BUILD_VERSION={build}");
}
