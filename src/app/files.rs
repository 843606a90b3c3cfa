//! Files the user names or hands in: written without leaving half a file, folders and
//! wildcards expanded into the return files they stand for. Shared by the worker and the
//! command line.

use crate::lang::Lang;
use std::path::{Path, PathBuf};

pub use crate::outfile::write_atomically;

/// The return files in a folder (not recursive), sorted.
pub fn returns_in(dir: &Path) -> Vec<PathBuf> {
    read_returns(dir).unwrap_or_default()
}

fn read_returns(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x.eq_ignore_ascii_case(crate::exchange::EXTENSION)))
        .collect();
    v.sort();
    Ok(v)
}

/// Files as given, with each folder replaced by the return files in it and each pattern by the
/// files it matches (problems are dropped: see [`expand_args`]).
pub fn expand(paths: Vec<PathBuf>) -> Vec<PathBuf> {
    expand_args(paths).0
}

/// Why an argument of `import` or `verify` stands for no file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArgProblem {
    /// A pattern (`*`, `?`) that matches nothing.
    NoMatch,
    /// A folder with no return file in it.
    EmptyFolder,
    /// A folder that cannot be listed (the system's reason, put into words when shown).
    Unreadable(crate::i18n::IoCause),
}

impl ArgProblem {
    /// The problem in words (the path is shown beside it).
    pub fn message(&self, t: Lang) -> String {
        match self {
            ArgProblem::NoMatch => t.t("windows.args_no_match").to_string(),
            ArgProblem::EmptyFolder => t.t("windows.args_empty_folder").to_string(),
            ArgProblem::Unreadable(e) => t.f("windows.args_unreadable", &[("error", &e.words(t))]),
        }
    }
}

/// The files that command-line arguments stand for, in order: a file as it is, a folder for
/// the return files in it, a pattern with `*` or `?` for the files (or folders) it matches; and
/// the arguments that stand for none, each with its reason. A path that exists is always taken
/// as it is, so a name that holds `*` or `?` (Linux allows them) still works. Windows' shells
/// expand no wildcards: the program does it, the same way on every system. A file that does not
/// exist is kept, so that reading it names it and says why.
pub fn expand_args(args: Vec<PathBuf>) -> (Vec<PathBuf>, Vec<(PathBuf, ArgProblem)>) {
    let (mut files, mut problems) = (Vec::new(), Vec::new());
    for arg in args {
        let arg = if cfg!(windows) { strip_stray_quote(arg) } else { arg };
        let matches = if !arg.exists() && has_wildcard(&arg) {
            let found = glob(&arg, cfg!(windows));
            if found.is_empty() {
                problems.push((arg, ArgProblem::NoMatch));
                continue;
            }
            found
        } else {
            vec![arg]
        };
        for p in matches {
            if p.is_dir() {
                match read_returns(&p) {
                    Ok(v) if v.is_empty() => problems.push((p, ArgProblem::EmptyFolder)),
                    Ok(v) => files.extend(v),
                    Err(e) => problems.push((p, ArgProblem::Unreadable(crate::i18n::IoCause::of(&e)))),
                }
            } else {
                files.push(p);
            }
        }
    }
    (files, problems)
}

/// `cmd` reads `"C:\My returns\"` as `C:\My returns"` (a backslash before a quote escapes it);
/// Windows forbids `"` in names, so a trailing one can only be that.
fn strip_stray_quote(p: PathBuf) -> PathBuf {
    match p.to_str() {
        Some(s) if s.ends_with('"') => PathBuf::from(s.trim_end_matches('"')),
        _ => p,
    }
}

fn has_wildcard(p: &Path) -> bool {
    p.components().any(|c| matches!(c, std::path::Component::Normal(n) if n.to_string_lossy().contains(['*', '?'])))
}

/// The paths that `pattern` matches, sorted; wildcards may stand in any part of the path.
/// `ignore_case` as Windows does.
pub fn glob(pattern: &Path, ignore_case: bool) -> Vec<PathBuf> {
    use std::path::Component;
    let mut found = vec![PathBuf::new()];
    for c in pattern.components() {
        let part = match c {
            Component::Normal(n) => n.to_string_lossy(),
            other => {
                found.iter_mut().for_each(|p| p.push(other));
                continue;
            }
        };
        if !part.contains(['*', '?']) {
            found.iter_mut().for_each(|p| p.push(&*part));
            continue;
        }
        let mut next = Vec::new();
        for dir in &found {
            let list = if dir.as_os_str().is_empty() { Path::new(".") } else { dir.as_path() };
            let Ok(entries) = std::fs::read_dir(list) else { continue };
            let mut names: Vec<_> = entries
                .filter_map(|e| e.ok())
                .map(|e| e.file_name())
                .filter(|n| wildcard_match(&part, &n.to_string_lossy(), ignore_case))
                .collect();
            names.sort();
            next.extend(names.into_iter().map(|n| dir.join(n)));
        }
        found = next;
    }
    found.retain(|p| p.exists());
    found
}

/// True when `name` matches `pattern`: `*` stands for any run of characters (none too), `?` for
/// one character; nothing else is special.
pub fn wildcard_match(pattern: &str, name: &str, ignore_case: bool) -> bool {
    let fold = |s: &str| -> Vec<char> {
        if ignore_case { s.chars().flat_map(char::to_lowercase).collect() } else { s.chars().collect() }
    };
    let (p, n) = (fold(pattern), fold(name));
    // Greedy with one point to come back to: the last `*` seen and where its run ended.
    let (mut i, mut j, mut star, mut mark) = (0, 0, None, 0);
    while j < n.len() {
        if i < p.len() && p[i] == '*' {
            star = Some(i);
            mark = j;
            i += 1;
        } else if i < p.len() && (p[i] == '?' || p[i] == n[j]) {
            i += 1;
            j += 1;
        } else if let Some(s) = star {
            i = s + 1;
            mark += 1;
            j = mark;
        } else {
            return false;
        }
    }
    p[i..].iter().all(|c| *c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_match_as_windows_shells_do() {
        let m = |p, n| wildcard_match(p, n, false);
        assert!(m("*.ocoreturn", "FJ_2026_r1.ocoreturn"));
        assert!(m("*", ""));
        assert!(m("*", "anything"));
        assert!(m("FJ_*_r?.ocoreturn", "FJ_2026_r2.ocoreturn"));
        assert!(!m("FJ_*_r?.ocoreturn", "FJ_2026_r12.ocoreturn"));
        assert!(m("*_r*.*", "NC_2025_r1.ocoreturn"));
        assert!(m("a*b*c", "aXXbYYbZc"));
        assert!(!m("a*b*c", "aXXbYY"));
        assert!(!m("?", ""));
        assert!(m("é?è", "éàè"), "a character, not a byte");
        assert!(!m("*.ocoreturn", "x.ocoreturn.part"));
        assert!(!m("*.ocoreturn", "X.OCORETURN"));
        assert!(wildcard_match("*.ocoreturn", "X.OCORETURN", true));
        assert!(wildcard_match("fj_*", "FJ_2026", true));
        // Brackets are plain characters (they are common in Windows folder names).
        assert!(m("returns [old]*", "returns [old] 2025"));
    }

    #[test]
    fn folders_and_patterns_stand_for_the_returns_they_hold() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let inbox = d.join("Returns été");
        std::fs::create_dir_all(inbox.join("2025")).unwrap();
        std::fs::create_dir_all(d.join("empty")).unwrap();
        for f in ["FJ_2026_r1.ocoreturn", "WS_2026_r1.OCORETURN", "notes.txt", "2025/TO_2025_r1.ocoreturn"] {
            std::fs::write(inbox.join(f), b"x").unwrap();
        }
        let ret = |p: &str| inbox.join(p);
        // A folder: the return files in it, any case of extension, not its sub-folders.
        let (files, problems) = expand_args(vec![inbox.clone()]);
        assert_eq!(files, vec![ret("FJ_2026_r1.ocoreturn"), ret("WS_2026_r1.OCORETURN")]);
        assert!(problems.is_empty());
        // A pattern in the file name, and one in a folder name.
        let (files, _) = expand_args(vec![inbox.join("*_2026_r?.ocoreturn")]);
        assert_eq!(files, vec![ret("FJ_2026_r1.ocoreturn")]);
        let (files, _) = expand_args(vec![d.join("Ret*").join("2025").join("*")]);
        assert_eq!(files, vec![ret("2025/TO_2025_r1.ocoreturn")]);
        // A pattern matching a folder: that folder's returns.
        let (files, _) = expand_args(vec![d.join("Returns ?t?").join("20*")]);
        assert_eq!(files, vec![ret("2025/TO_2025_r1.ocoreturn")]);
        // Nothing matched, an empty folder: each named with its reason; a missing file is kept
        // (reading it says why).
        let missing = d.join("gone.ocoreturn");
        let (files, problems) =
            expand_args(vec![d.join("*.nothing"), d.join("empty"), missing.clone(), ret("notes.txt")]);
        assert_eq!(files, vec![missing, ret("notes.txt")]);
        assert_eq!(
            problems,
            vec![(d.join("*.nothing"), ArgProblem::NoMatch), (d.join("empty"), ArgProblem::EmptyFolder)]
        );
        for (_, p) in &problems {
            for t in Lang::ALL {
                assert!(!p.message(t).contains('{'));
            }
        }
        // A name that really holds a `*` is taken as it is.
        #[cfg(unix)]
        {
            let odd = d.join("odd*.ocoreturn");
            std::fs::write(&odd, b"x").unwrap();
            assert_eq!(expand_args(vec![odd.clone()]).0, vec![odd]);
        }
    }

    #[test]
    fn a_stray_quote_after_a_folder_is_dropped() {
        assert_eq!(strip_stray_quote(PathBuf::from(r#"C:\My returns""#)), PathBuf::from(r"C:\My returns"));
        assert_eq!(strip_stray_quote(PathBuf::from(r"C:\returns")), PathBuf::from(r"C:\returns"));
    }
}
