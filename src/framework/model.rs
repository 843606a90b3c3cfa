//! Framework and member-registry data types, and their validation.
//!
//! Pure serde types and checks with no other dependency: `build.rs` includes this file to
//! refuse a broken asset at build time, and the app runs the same checks at start.

use crate::lang::Lang;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// A text in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Text {
    pub en: String,
    pub fr: String,
}

impl Text {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Fr => &self.fr,
        }
    }
}

/// A list of texts in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct TextList {
    pub en: Vec<String>,
    pub fr: Vec<String>,
}

impl TextList {
    pub fn get(&self, lang: Lang) -> &[String] {
        match lang {
            Lang::En => &self.en,
            Lang::Fr => &self.fr,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Aggregation {
    /// Weighted mean of the indicator levels.
    Average,
    /// The lowest level counts (PEFA's M1), noted "+" when others are higher.
    WeakestLink,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PillarKind {
    /// Ability: what the administration can do today.
    Capability,
    /// Willingness: whether it is ready to take part in reform.
    Readiness,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LevelDef {
    pub value: u8,
    pub name: Text,
    pub summary: Text,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Pillar {
    pub code: String,
    pub name: Text,
    pub description: Text,
    pub aggregation: Aggregation,
    pub kind: PillarKind,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PriorityArea {
    pub code: String,
    pub name: Text,
    pub objective: Text,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Coded {
    pub code: String,
    pub name: Text,
    #[serde(default)]
    pub description: Text,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct KeyAction {
    pub code: String,
    pub text: Text,
    pub strategy: Text,
    pub me_indicator: Text,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct ReadinessRule {
    pub ability_threshold: f64,
    pub willingness_threshold: f64,
    /// Share of willingness taken from the commitment answers (the rest from the Readiness pillar).
    pub commitment_weight: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FrameworkMeta {
    pub id: String,
    pub version: u32,
    pub name: Text,
    pub description: Text,
    pub levels: Vec<LevelDef>,
    pub pillars: Vec<Pillar>,
    pub priority_areas: Vec<PriorityArea>,
    pub interventions: Vec<Coded>,
    pub core_capabilities: Vec<Coded>,
    pub competencies: Vec<Coded>,
    pub key_actions: Vec<KeyAction>,
    pub readiness: ReadinessRule,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Indicator {
    pub code: String,
    pub pillar: String,
    pub title: Text,
    pub guidance: Text,
    pub levels: Vec<Text>,
    pub evidence: TextList,
    pub priority_areas: Vec<String>,
    pub key_actions: Vec<String>,
    pub core_capabilities: Vec<String>,
    pub competency: Option<String>,
    pub default_target: u8,
    pub weight: u8,
    pub intervention: String,
}

/// A framework version, ready to use: metadata plus indicators in pillar order.
#[derive(Debug, Clone)]
pub struct Framework {
    pub meta: FrameworkMeta,
    pub indicators: Vec<Indicator>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct CountryFigures {
    pub land_area_km2: Option<f64>,
    pub population: Option<f64>,
    pub gdp_currency: Option<String>,
    pub gdp_total_thousands: Option<f64>,
    pub gdp_per_capita_usd: Option<f64>,
    pub gdp_year: Option<String>,
    pub exports_thousand_usd: Option<f64>,
    pub imports_thousand_usd: Option<f64>,
    pub trade_year: Option<String>,
}

/// The Customs administration profile of Appendix 1b; values are short codes (see docs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub hs_version: String,
    pub rkc: String,
    pub wto_valuation: String,
    pub risk_management: String,
    pub automation: String,
    pub arusha: String,
    pub pca: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Member {
    pub code: String,
    pub name: Text,
    pub subregion: String,
    pub languages: Vec<String>,
    pub country: Option<CountryFigures>,
    pub baseline: Profile,
}

pub const PILLAR_CODES: [&str; 4] = ["WF", "LP", "DC", "RD"];
pub const SUBREGIONS: [&str; 4] = ["melanesia", "micronesia", "polynesia", "anz"];
pub const INTERVENTIONS: [&str; 4] = ["training", "leadership_development", "harmonisation", "partnership"];
pub const PROFILE_FIELDS: [&str; 7] =
    ["hs_version", "rkc", "wto_valuation", "risk_management", "automation", "arusha", "pca"];

fn check_text(errors: &mut Vec<String>, what: &str, t: &Text) {
    if t.en.trim().is_empty() {
        errors.push(format!("{what}: English text is empty"));
    }
    if t.fr.trim().is_empty() {
        errors.push(format!("{what}: French text is empty"));
    }
}

impl Framework {
    /// Assembles a framework from its JSON parts (metadata, then one indicator file per pillar).
    pub fn from_json(meta: &str, indicator_files: &[(&str, &str)]) -> Result<Framework, Vec<String>> {
        let meta: FrameworkMeta = serde_json::from_str(meta).map_err(|e| vec![format!("framework.json: {e}")])?;
        let mut indicators = Vec::new();
        let mut errors = Vec::new();
        for (name, text) in indicator_files {
            match serde_json::from_str::<Vec<Indicator>>(text) {
                Ok(list) => indicators.extend(list),
                Err(e) => errors.push(format!("{name}: {e}")),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let framework = Framework { meta, indicators };
        let errors = framework.validate();
        if errors.is_empty() { Ok(framework) } else { Err(errors) }
    }

    /// Every problem found, as sentences naming the indicator or field; empty when valid.
    pub fn validate(&self) -> Vec<String> {
        let mut e = Vec::new();
        let m = &self.meta;
        check_text(&mut e, "framework name", &m.name);
        if m.levels.len() != 5 || m.levels.iter().enumerate().any(|(i, l)| l.value as usize != i) {
            e.push("framework.json: levels must be exactly 0,1,2,3,4 in order".into());
        }
        for l in &m.levels {
            check_text(&mut e, &format!("level {}", l.value), &l.name);
        }
        let pillars: Vec<&str> = m.pillars.iter().map(|p| p.code.as_str()).collect();
        if pillars != PILLAR_CODES {
            e.push(format!("framework.json: pillars must be {PILLAR_CODES:?}, found {pillars:?}"));
        }
        for p in &m.pillars {
            check_text(&mut e, &format!("pillar {}", p.code), &p.name);
        }
        let areas: BTreeSet<&str> = m.priority_areas.iter().map(|p| p.code.as_str()).collect();
        let caps: BTreeSet<&str> = m.core_capabilities.iter().map(|p| p.code.as_str()).collect();
        let comps: BTreeSet<&str> = m.competencies.iter().map(|p| p.code.as_str()).collect();
        let interventions: Vec<&str> = m.interventions.iter().map(|p| p.code.as_str()).collect();
        if interventions != INTERVENTIONS {
            e.push(format!("framework.json: interventions must be {INTERVENTIONS:?}"));
        }
        for c in m.interventions.iter().chain(&m.core_capabilities).chain(&m.competencies) {
            check_text(&mut e, &c.code, &c.name);
        }
        let mut kas = BTreeSet::new();
        for k in &m.key_actions {
            if !kas.insert(k.code.as_str()) {
                e.push(format!("key action {} is listed twice", k.code));
            }
            check_text(&mut e, &format!("key action {}", k.code), &k.text);
        }
        let mut codes = BTreeSet::new();
        let mut served: BTreeMap<&str, usize> = BTreeMap::new();
        let mut last_pillar = 0;
        for ind in &self.indicators {
            let c = &ind.code;
            if !codes.insert(c.as_str()) {
                e.push(format!("indicator {c} is defined twice"));
            }
            match pillars.iter().position(|p| *p == ind.pillar) {
                None => e.push(format!("indicator {c}: unknown pillar {}", ind.pillar)),
                Some(i) if i < last_pillar => {
                    e.push(format!("indicator {c}: indicators must be grouped in pillar order"))
                }
                Some(i) => last_pillar = i,
            }
            if !c.starts_with(&format!("{}-", ind.pillar)) {
                e.push(format!("indicator {c}: code must start with its pillar {}-", ind.pillar));
            }
            check_text(&mut e, &format!("indicator {c} title"), &ind.title);
            check_text(&mut e, &format!("indicator {c} guidance"), &ind.guidance);
            if ind.levels.len() != 5 {
                e.push(format!("indicator {c}: {} level descriptors, need 5", ind.levels.len()));
            }
            for (i, l) in ind.levels.iter().enumerate() {
                check_text(&mut e, &format!("indicator {c} level {i}"), l);
            }
            let mut seen = BTreeSet::new();
            for l in &ind.levels {
                if !seen.insert(&l.en) {
                    e.push(format!("indicator {c}: two level descriptors are identical"));
                }
            }
            if ind.evidence.en.is_empty() || ind.evidence.en.len() != ind.evidence.fr.len() {
                e.push(format!("indicator {c}: evidence examples missing or not the same number in EN and FR"));
            }
            if ind.priority_areas.is_empty() {
                e.push(format!("indicator {c}: no priority area"));
            }
            for p in &ind.priority_areas {
                if !areas.contains(p.as_str()) {
                    e.push(format!("indicator {c}: unknown priority area {p}"));
                }
            }
            if ind.key_actions.is_empty() {
                e.push(format!("indicator {c}: serves no M&E key action"));
            }
            for k in &ind.key_actions {
                if !kas.contains(k.as_str()) {
                    e.push(format!("indicator {c}: unknown key action {k}"));
                }
                *served.entry(k.as_str()).or_default() += 1;
            }
            for k in &ind.core_capabilities {
                if !caps.contains(k.as_str()) {
                    e.push(format!("indicator {c}: unknown core capability {k}"));
                }
            }
            if let Some(comp) = &ind.competency
                && !comps.contains(comp.as_str())
            {
                e.push(format!("indicator {c}: unknown competency {comp}"));
            }
            if ind.default_target > 4 {
                e.push(format!("indicator {c}: default target {} above 4", ind.default_target));
            }
            if !(1..=3).contains(&ind.weight) {
                e.push(format!("indicator {c}: weight {} not within 1..3", ind.weight));
            }
            if !INTERVENTIONS.contains(&ind.intervention.as_str()) {
                e.push(format!("indicator {c}: unknown intervention {}", ind.intervention));
            }
        }
        for k in &kas {
            if !served.contains_key(k) {
                e.push(format!("key action {k} is served by no indicator"));
            }
        }
        let n = self.indicators.len();
        if !(36..=48).contains(&n) {
            e.push(format!("the framework has {n} indicators; expected 36 to 48"));
        }
        e
    }
}

/// Checks the member registry; empty when valid.
pub fn validate_members(members: &[Member]) -> Vec<String> {
    let mut e = Vec::new();
    let mut codes = BTreeSet::new();
    for m in members {
        if !codes.insert(m.code.as_str()) {
            e.push(format!("member {} is listed twice", m.code));
        }
        check_text(&mut e, &format!("member {}", m.code), &m.name);
        if !SUBREGIONS.contains(&m.subregion.as_str()) {
            e.push(format!("member {}: unknown sub-region {}", m.code, m.subregion));
        }
    }
    if members.len() != 23 {
        e.push(format!("the registry has {} members; OCO has 23", members.len()));
    }
    e
}
