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
    "cli",
    "colour.rs",
    "demo",
    "demo.rs",
    "exchange",
    "feedback.rs",
    "framework",
    "fwfiles",
    "i18n",
    "ids.rs",
    "lang.rs",
    "openfiles.rs",
    "outfile.rs",
    "plan.rs",
    "report",
    "scoring.rs",
    "secretariat",
    "sections.rs",
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
        (&["i18n", "lang.rs", "ids.rs", "assessment.rs", "plan.rs", "framework"], &["crate::store", "crate::app"]),
        (&["plan.rs"], &["crate::exchange", "crate::scoring", "crate::secretariat", "crate::report"]),
        // The words at the bottom know nothing of the rules above them (issue 19: i18n had the
        // readiness verdict's words, reaching up into scoring).
        (&["i18n", "lang.rs"], &["crate::scoring", "crate::exchange", "crate::secretariat", "crate::report"]),
        (&["outfile.rs", "openfiles.rs"], &["crate::"]),
        (&["secretariat"], &["crate::report", "crate::app"]),
        (&["feedback.rs"], &["crate::secretariat", "crate::report", "crate::app"]),
        (&["sections.rs"], &["crate::secretariat", "crate::report", "crate::app", "crate::scoring"]),
        (&["fwfiles"], &["crate::secretariat", "crate::report", "crate::app", "crate::scoring"]),
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

/// Operations and rules of the app layer, which a page must ask for with a command or read from
/// the snapshot, never run itself (issue 19).
#[test]
fn pages_leave_operations_and_rules_to_the_app_layer() {
    let bad = offenders(
        &["ui"],
        &[
            "exchange::finalise_problems",
            "exchange::export::",
            "secretariat::import::import",
            "consolidate::consolidate(",
            "scoring::score(",
            "Card::parse",
            "CardError::",
            "open_url(",
            "app::ops::import",
            "app::ops::write",
            "app::ops::export",
        ],
    );
    assert!(bad.is_empty(), "a page does the app layer's work (send a command instead):\n{}", bad.join("\n"));
}

/// The files of one folder, and for each the sibling files it names (`super::x`, `crate::m::x`).
fn sibling_imports(folder: &str) -> Vec<(String, Vec<String>)> {
    let dir = src().join(folder);
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| {
            let p = e.unwrap().path();
            let stem = p.file_stem()?.to_string_lossy().to_string();
            (p.extension().is_some_and(|x| x == "rs") && stem != "mod").then_some(stem)
        })
        .collect();
    let module = folder.replace('/', "::");
    names
        .iter()
        .map(|n| {
            let text: String = code_lines(&dir.join(format!("{n}.rs")))
                .into_iter()
                .take_while(|(_, l)| !l.contains("#[cfg(test)]"))
                .map(|(_, l)| l + "\n")
                .collect();
            let uses = names
                .iter()
                .filter(|m| *m != n)
                .filter(|m| {
                    [
                        format!("super::{m}::"),
                        format!("super::{m}}}"),
                        format!("super::{m},"),
                        format!("crate::{module}::{m}::"),
                    ]
                    .iter()
                    .any(|needle| text.contains(needle.as_str()))
                        || text.contains(&format!("super::{{{m}"))
                        || text.contains(&format!(", {m}}}")) && text.contains("use super::{")
                })
                .cloned()
                .collect();
            (n.clone(), uses)
        })
        .collect()
}

/// A circle among the files of a folder, if any: `a -> b -> a`.
fn circle(graph: &[(String, Vec<String>)]) -> Option<Vec<String>> {
    fn visit(
        n: &str,
        graph: &[(String, Vec<String>)],
        path: &mut Vec<String>,
        done: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|p| p == n) {
            let mut c = path[i..].to_vec();
            c.push(n.to_string());
            return Some(c);
        }
        if done.iter().any(|d| d == n) {
            return None;
        }
        path.push(n.to_string());
        let next = graph.iter().find(|(m, _)| m == n).map(|(_, u)| u.clone()).unwrap_or_default();
        for m in next {
            if let Some(c) = visit(&m, graph, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.push(n.to_string());
        None
    }
    let mut done = Vec::new();
    graph.iter().find_map(|(n, _)| visit(n, graph, &mut Vec::new(), &mut done))
}

#[test]
fn no_circle_among_the_files_of_a_module() {
    // A made-up circle is found (the check can fail).
    let made_up = vec![("a".to_string(), vec!["b".to_string()]), ("b".to_string(), vec!["a".to_string()])];
    assert_eq!(circle(&made_up), Some(vec!["a".into(), "b".into(), "a".into()]));
    let mut bad = Vec::new();
    for folder in ["app", "app/rooms", "store", "exchange", "secretariat", "report", "ui/widgets"] {
        if let Some(c) = circle(&sibling_imports(folder)) {
            bad.push(format!("src/{folder}: {}", c.join(" -> ")));
        }
    }
    assert!(bad.is_empty(), "files of one module import each other in a circle:\n{}", bad.join("\n"));
}
