//! The assessment framework and the member registry, loaded from `assets/` (embedded at build
//! time, checked by `build.rs`, validated again at start).

pub mod model;

pub use model::*;

use crate::lang::Lang;
use std::sync::OnceLock;

const META_V1: &str = include_str!("../../assets/framework/v1/framework.json");
const INDICATORS_V1: [(&str, &str); 4] = [
    ("indicators-WF.json", include_str!("../../assets/framework/v1/indicators-WF.json")),
    ("indicators-LP.json", include_str!("../../assets/framework/v1/indicators-LP.json")),
    ("indicators-DC.json", include_str!("../../assets/framework/v1/indicators-DC.json")),
    ("indicators-RD.json", include_str!("../../assets/framework/v1/indicators-RD.json")),
];
const MEMBERS: &str = include_str!("../../assets/members.json");

pub const FRAMEWORK_ID: &str = "oco-cdf";

/// Loads framework version 1 from the embedded assets (validated).
pub fn load_v1() -> Result<Framework, Vec<String>> {
    Framework::from_json(META_V1, &INDICATORS_V1)
}

/// The framework versions this build knows, newest last.
pub fn known_versions() -> &'static [u32] {
    &[1]
}

/// The framework of a given version, loaded once: the newest content revision installed from a
/// framework file ([`install`]), else the content built into the program. `None` for a version
/// this build doesn't know.
pub fn get(version: u32) -> Option<&'static Framework> {
    let installed = *INSTALLED.read().unwrap_or_else(|e| e.into_inner());
    match installed {
        Some(fw) if fw.meta.version == version => Some(fw),
        _ => built_in(version),
    }
}

/// The content built into the program for a version (the fallback, and revision 2 of version 1).
pub fn built_in(version: u32) -> Option<&'static Framework> {
    static V1: OnceLock<Framework> = OnceLock::new();
    match version {
        // The assets were validated by build.rs, so this cannot fail in a released build.
        1 => Some(V1.get_or_init(|| load_v1().expect("framework v1 assets are checked by build.rs"))),
        _ => None,
    }
}

/// The content revisions installed from framework files, oldest first; the last is in use (see
/// [`install`]).
static INSTALLED: std::sync::RwLock<Option<&'static Framework>> = std::sync::RwLock::new(None);
static KNOWN: std::sync::RwLock<Vec<&'static Framework>> = std::sync::RwLock::new(Vec::new());

/// Makes a newer content revision of a version this build knows the one the whole program uses
/// (a framework file imported and verified: `fwfiles::install_held`), as a new program with that
/// content built in would. Every revision installed stays known ([`revision`]) for what was
/// signed off under it. Returns whether it is now the revision in use (false: not newer, or
/// already installed). The content is kept for the life of the process.
pub fn install(fw: Framework) -> bool {
    if fw.meta.id != FRAMEWORK_ID || built_in(fw.meta.version).is_none_or(|b| fw.meta.revision <= b.meta.revision) {
        return false;
    }
    let mut known = KNOWN.write().unwrap_or_else(|e| e.into_inner());
    if known.iter().any(|k| k.meta.version == fw.meta.version && k.meta.revision == fw.meta.revision) {
        return false;
    }
    let fw: &'static Framework = Box::leak(Box::new(fw));
    known.push(fw);
    let mut installed = INSTALLED.write().unwrap_or_else(|e| e.into_inner());
    let newest = installed.is_none_or(|i| i.meta.version != fw.meta.version || i.meta.revision < fw.meta.revision);
    if newest {
        *installed = Some(fw);
    }
    newest
}

/// The content of one revision of a version: built in, or installed from a framework file.
/// `None` for a revision this process does not hold.
pub fn revision(version: u32, revision: u32) -> Option<&'static Framework> {
    if let Some(b) = built_in(version).filter(|b| b.meta.revision == revision) {
        return Some(b);
    }
    let known = KNOWN.read().unwrap_or_else(|e| e.into_inner());
    known.iter().copied().find(|k| k.meta.version == version && k.meta.revision == revision)
}

/// The content a revision of an assessment or a return is read, checked and scored against: its
/// own content revision where this program holds it; a revision older than the content built in
/// (revision 1, from before revisions were named) against the built-in content, whose `since`
/// marks what it may leave out; else the version's newest. `None` for a version this build does
/// not know.
pub fn of(version: u32, content_revision: Option<u32>) -> Option<&'static Framework> {
    if let Some(r) = content_revision {
        if let Some(fw) = revision(version, r) {
            return Some(fw);
        }
        if let Some(b) = built_in(version).filter(|b| r < b.meta.revision) {
            return Some(b);
        }
    }
    get(version)
}

/// The current framework (used for new assessments).
pub fn current() -> &'static Framework {
    get(*known_versions().last().expect("at least one framework version")).expect("known version")
}

pub fn load_members() -> Result<Vec<Member>, Vec<String>> {
    let members: Vec<Member> = serde_json::from_str(MEMBERS).map_err(|e| vec![format!("members.json: {e}")])?;
    let errors = validate_members(&members);
    if errors.is_empty() { Ok(members) } else { Err(errors) }
}

/// The 23 members, loaded once.
pub fn members() -> &'static [Member] {
    static M: OnceLock<Vec<Member>> = OnceLock::new();
    M.get_or_init(|| load_members().expect("members.json is checked by build.rs"))
}

pub fn member(code: &str) -> Option<&'static Member> {
    members().iter().find(|m| m.code == code)
}

impl Framework {
    pub fn indicator(&self, code: &str) -> Option<&Indicator> {
        self.indicators.iter().find(|i| i.code == code)
    }

    /// The indicator of this content an answer given under `code` counts for: the indicator of
    /// that code, else the one that `replaces` it (a return on an earlier revision).
    pub fn counting_indicator(&self, code: &str) -> Option<&Indicator> {
        self.indicator(code).or_else(|| self.indicators.iter().find(|i| i.replaces.iter().any(|r| r == code)))
    }

    /// Whether an answer given under `code` counts for `ind` (the same code, or one it replaces).
    pub fn counts_for(ind: &Indicator, code: &str) -> bool {
        ind.code == code || ind.replaces.iter().any(|r| r == code)
    }

    pub fn pillar(&self, code: &str) -> Option<&Pillar> {
        self.meta.pillars.iter().find(|p| p.code == code)
    }

    /// A pillar's name in `lang`; the code itself for an unknown pillar.
    pub fn pillar_name<'a>(&'a self, code: &'a str, lang: Lang) -> &'a str {
        self.pillar(code).map(|p| p.name.get(lang)).unwrap_or(code)
    }

    /// An indicator's title in `lang`; empty for an unknown indicator.
    pub fn indicator_title(&self, code: &str, lang: Lang) -> &str {
        self.indicator(code).map(|i| i.title.get(lang)).unwrap_or("")
    }

    pub fn indicators_of<'a>(&'a self, pillar: &'a str) -> impl Iterator<Item = &'a Indicator> + 'a {
        self.indicators.iter().filter(move |i| i.pillar == pillar)
    }

    pub fn level_name(&self, level: u8, lang: Lang) -> &str {
        self.meta.levels.get(level as usize).map(|l| l.name.get(lang)).unwrap_or("?")
    }

    pub fn intervention_name<'a>(&'a self, code: &'a str, lang: Lang) -> &'a str {
        self.meta.interventions.iter().find(|i| i.code == code).map(|i| i.name.get(lang)).unwrap_or(code)
    }

    pub fn priority_area(&self, code: &str) -> Option<&PriorityArea> {
        self.meta.priority_areas.iter().find(|p| p.code == code)
    }
}
