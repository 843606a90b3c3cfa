//! The layers of docs/architecture.md, checked in the source: a change that makes a layer
//! reach the wrong way fails here, naming the file and the line.

use std::path::{Path, PathBuf};

fn rs_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if dir.is_file() {
        return vec![dir.to_path_buf()];
    }
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(rs_files(&p));
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
    out.sort();
    out
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The code lines of a file (comments dropped), numbered from 1.
fn code_lines(p: &Path) -> Vec<(usize, String)> {
    std::fs::read_to_string(p)
        .unwrap()
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.split("//").next().unwrap_or("").to_string()))
        .filter(|(_, l)| !l.trim().is_empty())
        .collect()
}

/// Every line under `places` (folders or files of src/) that contains one of `needles`.
fn offenders(places: &[&str], needles: &[&str]) -> Vec<String> {
    let mut bad = Vec::new();
    for place in places {
        for f in rs_files(&src().join(place)) {
            for (n, line) in code_lines(&f) {
                if let Some(needle) = needles.iter().find(|x| line.contains(*x)) {
                    bad.push(format!("{}:{n}: {needle}: {}", f.strip_prefix(src()).unwrap().display(), line.trim()));
                }
            }
        }
    }
    bad
}

/// The whole library but the window: everything except `ui` (and the binary's `main.rs`).
const NOT_UI: &[&str] = &[
    "app",
    "assessment.rs",
    "bin",
    "cli.rs",
    "demo.rs",
    "exchange",
    "feedback.rs",
    "framework",
    "i18n",
    "ids.rs",
    "lang.rs",
    "report",
    "scoring.rs",
    "secretariat",
    "store",
];

#[test]
fn the_lists_cover_every_module() {
    let listed: Vec<&str> = NOT_UI.iter().copied().chain(["ui", "lib.rs", "main.rs"]).collect();
    for e in std::fs::read_dir(src()).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().to_string();
        assert!(listed.contains(&name.as_str()), "src/{name} is in no layer of this test: add it");
    }
}

#[test]
fn only_the_binary_reaches_the_window() {
    let bad = offenders(NOT_UI, &["crate::ui", "cdf_assess::ui", "super::ui"]);
    assert!(bad.is_empty(), "outside ui, the window is reached:\n{}", bad.join("\n"));
}

#[test]
fn no_layer_below_the_window_knows_egui() {
    let bad = offenders(NOT_UI, &["egui", "eframe"]);
    assert!(bad.is_empty(), "egui below the window:\n{}", bad.join("\n"));
}

#[test]
fn the_window_never_touches_the_database_or_files() {
    let bad = offenders(
        &["ui"],
        &["Store::", "store::Store", "rusqlite", "std::fs", "File::", "rfd::", "read_dir", "Connection"],
    );
    assert!(bad.is_empty(), "the window does I/O itself (send a Command instead):\n{}", bad.join("\n"));
}

#[test]
fn lower_layers_depend_one_way() {
    let rules: &[(&[&str], &[&str])] = &[
        (&["store"], &["crate::exchange", "crate::secretariat", "crate::report", "crate::app", "crate::scoring"]),
        (&["exchange"], &["crate::store", "crate::secretariat", "crate::report", "crate::app"]),
        (&["i18n", "lang.rs", "ids.rs", "assessment.rs", "framework"], &["crate::store", "crate::app"]),
        (&["secretariat"], &["crate::report", "crate::app"]),
        (&["feedback.rs"], &["crate::secretariat", "crate::report", "crate::app"]),
        (&["report"], &["crate::store", "crate::app"]),
        (&["scoring.rs"], &["crate::store", "crate::exchange", "crate::app", "crate::report"]),
    ];
    let mut bad = Vec::new();
    for (places, needles) in rules {
        bad.extend(offenders(places, needles));
    }
    assert!(bad.is_empty(), "a lower layer reaches up or sideways:\n{}", bad.join("\n"));
}

#[test]
fn pages_do_not_import_each_other() {
    let pages: Vec<String> = rs_files(&src().join("ui/pages"))
        .iter()
        .map(|p| p.file_stem().unwrap().to_string_lossy().to_string())
        .filter(|n| n != "mod")
        .collect();
    let mut bad = Vec::new();
    for f in rs_files(&src().join("ui/pages")) {
        for (n, line) in code_lines(&f) {
            for p in &pages {
                if line.contains(&format!("pages::{p}")) || line.contains(&format!("super::{p}")) {
                    bad.push(format!("{}:{n}: {}", f.display(), line.trim()));
                }
            }
        }
    }
    assert!(bad.is_empty(), "a page uses another page (move the shared piece to ui/widgets):\n{}", bad.join("\n"));
}
