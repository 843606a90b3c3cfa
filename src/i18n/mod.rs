//! English and French strings for everything a user sees.
//!
//! Flat JSON maps in `assets/i18n/<lang>/<area>.json` (one file per area of the app, so that work
//! on one area does not touch another's strings), embedded at build time; build.rs refuses a key
//! defined twice in one language. A missing French
//! string falls back to English and a missing key shows the key itself, so a gap is visible but
//! never a crash; the key-parity test keeps both files complete.

pub use crate::lang::Lang;
pub use os::{IoCause, io_words};

mod os;
use std::collections::HashMap;
use std::fmt::Display;
use std::sync::OnceLock;

mod catalogues {
    include!(concat!(env!("OUT_DIR"), "/catalogues.rs"));
}

/// One language's files merged into one map.
fn load(files: &[(&str, &str)]) -> HashMap<String, String> {
    let mut all = HashMap::new();
    for (_, text) in files {
        all.extend(serde_json::from_str::<HashMap<String, String>>(text).unwrap_or_default());
    }
    all
}

fn table(lang: Lang) -> &'static HashMap<String, String> {
    static T: OnceLock<[HashMap<String, String>; 2]> = OnceLock::new();
    let tables = T.get_or_init(|| {
        // build.rs has parsed every file already, so a file cannot fail here.
        [load(catalogues::EN), load(catalogues::FR)]
    });
    &tables[lang as usize]
}

/// The raw tables, for the parity test.
pub fn keys(lang: Lang) -> Vec<&'static str> {
    let mut k: Vec<&str> = table(lang).keys().map(|s| s.as_str()).collect();
    k.sort_unstable();
    k
}

/// The text for `key` in `lang`.
pub fn tr(lang: Lang, key: &str) -> &'static str {
    if let Some(s) = table(lang).get(key) {
        return s;
    }
    if let Some(s) = table(Lang::En).get(key) {
        return s;
    }
    missing(key)
}

/// Shows a missing key as itself (interned once, so a missing string per frame doesn't grow memory).
fn missing(key: &str) -> &'static str {
    static MISSES: std::sync::Mutex<std::collections::BTreeSet<&'static str>> =
        std::sync::Mutex::new(std::collections::BTreeSet::new());
    let mut misses = MISSES.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(k) = misses.get(key) {
        return k;
    }
    let leaked: &'static str = Box::leak(key.to_string().into_boxed_str());
    misses.insert(leaked);
    leaked
}

/// The text for `key` with `{name}` placeholders replaced.
pub fn trf(lang: Lang, key: &str, args: &[(&str, &dyn Display)]) -> String {
    let mut s = tr(lang, key).to_string();
    for (name, value) in args {
        s = s.replace(&format!("{{{name}}}"), &value.to_string());
    }
    s
}

impl Lang {
    /// Shorthand for [`tr`].
    pub fn t(self, key: &str) -> &'static str {
        tr(self, key)
    }

    /// Shorthand for [`trf`].
    pub fn f(self, key: &str, args: &[(&str, &dyn Display)]) -> String {
        trf(self, key, args)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_have_the_same_keys_and_no_empty_text() {
        let en = keys(Lang::En);
        let fr = keys(Lang::Fr);
        assert!(en.len() > 50, "English table did not load");
        let missing_fr: Vec<_> = en.iter().filter(|k| !fr.contains(k)).collect();
        let missing_en: Vec<_> = fr.iter().filter(|k| !en.contains(k)).collect();
        assert!(missing_fr.is_empty(), "keys missing in the French catalogue: {missing_fr:?}");
        assert!(missing_en.is_empty(), "keys missing in the English catalogue: {missing_en:?}");
        for lang in Lang::ALL {
            for k in keys(lang) {
                assert!(!tr(lang, k).trim().is_empty(), "{k} is empty in {lang:?}");
            }
        }
    }

    #[test]
    fn placeholders_match_between_languages() {
        let re = |s: &str| {
            let mut v: Vec<String> =
                s.split('{').skip(1).filter_map(|p| p.split('}').next()).map(String::from).collect();
            v.sort();
            v
        };
        for k in keys(Lang::En) {
            assert_eq!(re(tr(Lang::En, k)), re(tr(Lang::Fr, k)), "placeholders differ for {k}");
        }
    }

    #[test]
    fn substitution_fills_placeholders() {
        let s = trf(Lang::En, "error.locked", &[("path", &"/tmp/x.db")]);
        assert!(s.contains("/tmp/x.db") && !s.contains("{path}"));
    }
}
