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
    /// The plan leaves this key action's M&E indicator blank: `me_indicator` was filled in by the
    /// framework (shown as such wherever it appears).
    #[serde(default)]
    pub me_added_by_framework: bool,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReadinessRule {
    pub ability_threshold: f64,
    pub willingness_threshold: f64,
    /// No position on an axis (and so no verdict) until at least this share (0-1) of the items
    /// behind it is answered (not-applicable items are left out of the count).
    pub min_answered_share: f64,
}

/// Which side of readiness a Readiness-pillar indicator measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Axis {
    /// What the administration can do (resources, operational arrangements).
    Ability,
    /// Whether it is committed to reform (leadership, plan, government support).
    Willingness,
}

/// Whether an M&E measure reports the plan's indicator itself or something close to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeKind {
    Direct,
    Proxy,
}

/// How one measure of an M&E indicator is computed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "basis", rename_all = "snake_case")]
pub enum MeBasis {
    /// Members with a return that counts, out of all members.
    Returns,
    /// Members whose level on every answered serving indicator is at or above that indicator's
    /// default target, out of the members with at least one of them answered.
    Indicators { indicators: Vec<String> },
    /// Members whose profile field holds one of `values` (`"hs>=YEAR"` for an HS edition of that
    /// year or later), out of all members (latest known profile).
    Profile { field: String, values: Vec<String> },
    /// Small member administrations (registry flag) whose profile names an automation system.
    SmallAdministrationsAutomated,
    /// The overall score (mean of the pillars): only as a change (`change: true`), members whose
    /// overall score is higher than at their first cycle.
    Overall,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeMeasure {
    pub id: String,
    pub kind: MeKind,
    #[serde(flatten)]
    pub basis: MeBasis,
    /// Share of members (0-1) the plan sets as a target, if any.
    #[serde(default)]
    pub target_share: Option<f64>,
    /// Indicator measures: the level counted as reached, instead of each indicator's default
    /// target.
    #[serde(default)]
    pub at_least: Option<u8>,
    /// Counted over the small member administrations only (registry flag).
    #[serde(default)]
    pub small_administrations: bool,
    /// Measured as change against each member's first cycle (its baseline): members whose level
    /// (or overall score) is higher now than in their first return, out of the members with a
    /// return in an earlier cycle than their latest. For the plan's indicators phrased as change.
    #[serde(default)]
    pub change: bool,
    /// What is counted, in words.
    pub method: Text,
}

/// One distinct M&E indicator of the plan (Appendix 3), with the measures that report on it;
/// no measure means it cannot be measured from a self-assessment (`why` says why).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeDef {
    pub id: String,
    pub name: Text,
    pub key_actions: Vec<String>,
    #[serde(default)]
    pub measures: Vec<MeMeasure>,
    #[serde(default)]
    pub why: Option<Text>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FrameworkMeta {
    pub id: String,
    pub version: u32,
    /// Content revision within the version: corrections and added indicators (see
    /// `docs/framework-schema.md` for what a return of an earlier revision may leave out).
    #[serde(default = "one")]
    pub revision: u32,
    /// The HS edition in force at the WCO that "the current HS edition" means in this revision
    /// (LP-06, the profile's choices); the texts that name an edition must agree with it.
    pub current_hs_edition: u32,
    /// What this content revision changed against the previous one, in both languages.
    #[serde(default)]
    pub changes: Vec<Text>,
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
    /// The plan's distinct M&E indicators, in the order of Appendix 3.
    #[serde(default)]
    pub me_indicators: Vec<MeDef>,
}

fn one() -> u32 {
    1
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
    /// Readiness-pillar indicators only: the side of readiness it measures.
    #[serde(default)]
    pub axis: Option<Axis>,
    /// The content revision that added this indicator. A return written under an earlier
    /// revision may leave it out (it counts as unanswered).
    #[serde(default = "one")]
    pub since: u32,
    /// The indicators of an earlier revision this one takes the place of (a rename, a split or a
    /// merge): a return on the earlier revision counts its answer to them here when the region is
    /// consolidated. A replaced indicator may leave the content (docs/framework-schema.md).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub replaces: Vec<String>,
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

/// One field of the profile (the administration's context), named by code rather than looked up
/// by a string.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProfileField {
    HsVersion,
    Rkc,
    WtoValuation,
    RiskManagement,
    Automation,
    Arusha,
    Pca,
}

impl ProfileField {
    pub const ALL: [ProfileField; 7] = [
        ProfileField::HsVersion,
        ProfileField::Rkc,
        ProfileField::WtoValuation,
        ProfileField::RiskManagement,
        ProfileField::Automation,
        ProfileField::Arusha,
        ProfileField::Pca,
    ];

    /// As stored and in the i18n keys (`profile.<code>`).
    pub fn code(self) -> &'static str {
        match self {
            ProfileField::HsVersion => "hs_version",
            ProfileField::Rkc => "rkc",
            ProfileField::WtoValuation => "wto_valuation",
            ProfileField::RiskManagement => "risk_management",
            ProfileField::Automation => "automation",
            ProfileField::Arusha => "arusha",
            ProfileField::Pca => "pca",
        }
    }

    pub fn get(self, p: &Profile) -> &String {
        match self {
            ProfileField::HsVersion => &p.hs_version,
            ProfileField::Rkc => &p.rkc,
            ProfileField::WtoValuation => &p.wto_valuation,
            ProfileField::RiskManagement => &p.risk_management,
            ProfileField::Automation => &p.automation,
            ProfileField::Arusha => &p.arusha,
            ProfileField::Pca => &p.pca,
        }
    }

    pub fn get_mut(self, p: &mut Profile) -> &mut String {
        match self {
            ProfileField::HsVersion => &mut p.hs_version,
            ProfileField::Rkc => &mut p.rkc,
            ProfileField::WtoValuation => &mut p.wto_valuation,
            ProfileField::RiskManagement => &mut p.risk_management,
            ProfileField::Automation => &mut p.automation,
            ProfileField::Arusha => &mut p.arusha,
            ProfileField::Pca => &mut p.pca,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Member {
    pub code: String,
    pub name: Text,
    pub subregion: String,
    /// Independent country or territory (issue 24: "FICs vs Territories"). Appendix 1 does not
    /// say which: the values are an **assumption** of this registry (territories: American
    /// Samoa, Guam, Northern Mariana Islands, French Polynesia, New Caledonia, Wallis and Futuna;
    /// the states in free association, Cook Islands, Niue, FSM, Marshall Islands and Palau, count
    /// as countries), for the Secretariat to confirm.
    pub kind: MemberKind,
    pub languages: Vec<String>,
    pub country: Option<CountryFigures>,
    pub baseline: Profile,
    /// Counted as a small member administration (Priority Area 5). The plan ties this category to
    /// a revised membership fee structure it does not reproduce: the flag is an assumption of
    /// this registry (see docs/framework-review.md), for the Secretariat to confirm.
    #[serde(default)]
    pub small_administration: bool,
    /// A remark on the registry data (e.g. a cell of Appendix 1 that is blank or unclear).
    #[serde(default)]
    pub note: Option<Text>,
}

/// Whether a member is an independent (or freely associated) country or a territory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MemberKind {
    Country,
    Territory,
}

impl MemberKind {
    pub const ALL: [MemberKind; 2] = [MemberKind::Country, MemberKind::Territory];
    pub fn code(self) -> &'static str {
        match self {
            MemberKind::Country => "country",
            MemberKind::Territory => "territory",
        }
    }
}

pub const PILLAR_CODES: [&str; 4] = ["WF", "LP", "DC", "RD"];
/// Sub-regions for averages; "other" holds members outside the three Pacific sub-regions and
/// Australia-New Zealand (Timor-Leste, in South-East Asia).
pub const SUBREGIONS: [&str; 5] = ["melanesia", "micronesia", "polynesia", "anz", "other"];
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
            // The verdict cannot contradict the pillar only if both take the weakest link.
            if p.kind == PillarKind::Readiness && p.aggregation != Aggregation::WeakestLink {
                e.push(format!("pillar {}: a readiness pillar must aggregate by weakest link", p.code));
            }
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
            check_text(&mut e, &format!("key action {} M&E indicator", k.code), &k.me_indicator);
        }
        if m.revision == 0 {
            e.push("framework.json: revision starts at 1".into());
        }
        let r = m.readiness;
        if !(r.min_answered_share > 0.0 && r.min_answered_share <= 1.0) {
            e.push("framework.json: readiness.min_answered_share must be within (0, 1]".into());
        }
        for (what, v) in
            [("ability_threshold", r.ability_threshold), ("willingness_threshold", r.willingness_threshold)]
        {
            if !(0.0..=100.0).contains(&v) {
                e.push(format!("framework.json: readiness.{what} must be within 0..100"));
            }
        }
        let mut codes = BTreeSet::new();
        let mut served: BTreeMap<&str, usize> = BTreeMap::new();
        let mut last_pillar = 0;
        let self_codes: BTreeSet<&str> = self.indicators.iter().map(|i| i.code.as_str()).collect();
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
            e.extend(priority_area_problems(ind));
            let readiness_pillar =
                m.pillars.iter().find(|p| p.code == ind.pillar).is_some_and(|p| p.kind == PillarKind::Readiness);
            match (readiness_pillar, ind.axis) {
                (true, None) => {
                    e.push(format!("indicator {c}: a readiness indicator needs an axis (ability or willingness)"))
                }
                (false, Some(_)) => e.push(format!("indicator {c}: only readiness indicators have an axis")),
                _ => {}
            }
            for r in &ind.replaces {
                if r.is_empty() || r.len() > 12 || !r.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
                    e.push(format!("indicator {c}: replaces {r:?}, which is not an indicator code"));
                } else if self_codes.contains(r.as_str()) {
                    e.push(format!("indicator {c}: replaces {r}, which is still an indicator"));
                }
            }
            if ind.since == 0 || ind.since > m.revision {
                e.push(format!("indicator {c}: since {} is not a revision from 1 to {}", ind.since, m.revision));
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
        for axis in [Axis::Ability, Axis::Willingness] {
            if !self.indicators.iter().any(|i| i.axis == Some(axis)) {
                e.push(format!("no readiness indicator measures {axis:?}"));
            }
        }
        self.validate_revision(&mut e);
        self.validate_me(&kas, &mut e);
        let n = self.indicators.len();
        if !(36..=48).contains(&n) {
            e.push(format!("the framework has {n} indicators; expected 36 to 48"));
        }
        e
    }
}

/// The priority area a key action belongs to: key action "2.2.1" belongs to P2.
pub fn key_action_area(key_action: &str) -> String {
    format!("P{}", key_action.split('.').next().unwrap_or(""))
}

/// An indicator's priority areas are exactly those its key actions imply: each key action it
/// serves puts its area in, and no area stands there without a key action implying it.
pub fn priority_area_problems(ind: &Indicator) -> Vec<String> {
    let c = &ind.code;
    let implied: BTreeSet<String> = ind.key_actions.iter().map(|k| key_action_area(k)).collect();
    let mut e = Vec::new();
    for k in &ind.key_actions {
        let area = key_action_area(k);
        if !ind.priority_areas.contains(&area) {
            e.push(format!("indicator {c}: serves key action {k} but lacks its priority area {area}"));
        }
    }
    for p in &ind.priority_areas {
        if !implied.contains(p) {
            e.push(format!("indicator {c}: priority area {p} is implied by none of its key actions"));
        }
    }
    e
}

/// The HS editions (years) named in a text as "HS 2017" or "SH 2017".
pub fn hs_editions_named(text: &str) -> Vec<u32> {
    let mut out = Vec::new();
    for prefix in ["HS ", "SH "] {
        for (i, _) in text.match_indices(prefix) {
            let rest = &text[i + prefix.len()..];
            let digits: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
            if digits.len() == 4
                && let Ok(y) = digits.parse()
            {
                out.push(y);
            }
        }
    }
    out
}

/// The plan's own HS milestone (key action 4.1.2), which texts may always name.
pub const PLAN_HS_EDITION: u32 = 2017;

impl FrameworkMeta {
    /// The HS editions a profile can give, newest first: the current one, then every five years
    /// back to HS 2002.
    pub fn hs_editions(&self) -> Vec<String> {
        (2002..=self.current_hs_edition.max(2002)).rev().step_by(5).map(|y| y.to_string()).collect()
    }
}

impl Framework {
    /// The content revision's own data: its change log, and the current HS edition that texts
    /// and M&E measures name.
    fn validate_revision(&self, e: &mut Vec<String>) {
        let m = &self.meta;
        let hs = m.current_hs_edition;
        if hs < PLAN_HS_EDITION || !(hs - PLAN_HS_EDITION).is_multiple_of(5) {
            e.push(format!("framework.json: current_hs_edition {hs} is not an HS edition (2017, 2022, 2027...)"));
        }
        if m.revision > 1 && m.changes.is_empty() {
            e.push(format!("framework.json: revision {} has no change log (changes)", m.revision));
        }
        for (i, c) in m.changes.iter().enumerate() {
            check_text(e, &format!("framework.json: change {}", i + 1), c);
        }
        for ind in &self.indicators {
            let texts = [&ind.title, &ind.guidance].into_iter().chain(&ind.levels);
            let named = texts
                .flat_map(|t| [t.en.as_str(), t.fr.as_str()])
                .chain(ind.evidence.en.iter().chain(&ind.evidence.fr).map(|s| s.as_str()))
                .flat_map(hs_editions_named);
            for y in named.collect::<BTreeSet<_>>() {
                if y != hs && y != PLAN_HS_EDITION {
                    e.push(format!(
                        "indicator {}: names HS {y}, but the current HS edition is {hs} (current_hs_edition)",
                        ind.code
                    ));
                }
            }
        }
        for d in &m.me_indicators {
            for ms in &d.measures {
                if let MeBasis::Profile { values, .. } = &ms.basis {
                    for v in values {
                        if let Some(y) = v.strip_prefix("hs>=").and_then(|y| y.parse::<u32>().ok())
                            && y > hs
                        {
                            e.push(format!("M&E measure {}: HS {y} is newer than the current edition {hs}", ms.id));
                        }
                    }
                }
            }
        }
    }

    /// The M&E indicators: each key action reported by exactly one, under the name the key action
    /// gives; every measure refers to things that exist.
    fn validate_me(&self, kas: &BTreeSet<&str>, e: &mut Vec<String>) {
        let m = &self.meta;
        if m.me_indicators.is_empty() {
            return;
        }
        let mut ids = BTreeSet::new();
        let mut measure_ids = BTreeSet::new();
        let mut reported: BTreeMap<&str, usize> = BTreeMap::new();
        for d in &m.me_indicators {
            if !ids.insert(d.id.as_str()) {
                e.push(format!("M&E indicator {} is listed twice", d.id));
            }
            check_text(e, &format!("M&E indicator {}", d.id), &d.name);
            if d.key_actions.is_empty() {
                e.push(format!("M&E indicator {}: reports on no key action", d.id));
            }
            for k in &d.key_actions {
                *reported.entry(k.as_str()).or_default() += 1;
                match m.key_actions.iter().find(|x| &x.code == k) {
                    None => e.push(format!("M&E indicator {}: unknown key action {k}", d.id)),
                    Some(ka) if ka.me_indicator.en != d.name.en => {
                        e.push(format!("M&E indicator {}: key action {k} names its indicator differently", d.id))
                    }
                    Some(_) => {}
                }
            }
            match (&d.measures[..], &d.why) {
                ([], None) => e.push(format!("M&E indicator {}: no measure and no reason why", d.id)),
                ([], Some(why)) => check_text(e, &format!("M&E indicator {} why", d.id), why),
                (_, Some(_)) => e.push(format!("M&E indicator {}: measured, yet says why it cannot be", d.id)),
                _ => {}
            }
            for ms in &d.measures {
                if !measure_ids.insert(ms.id.as_str()) {
                    e.push(format!("M&E measure {} is listed twice", ms.id));
                }
                check_text(e, &format!("M&E measure {} method", ms.id), &ms.method);
                if ms.target_share.is_some_and(|t| !(0.0..=1.0).contains(&t)) {
                    e.push(format!("M&E measure {}: target share not within 0..1", ms.id));
                }
                if ms.at_least.is_some_and(|l| l > 4) {
                    e.push(format!("M&E measure {}: at_least above level 4", ms.id));
                }
                let by_level = matches!(ms.basis, MeBasis::Indicators { .. });
                if ms.at_least.is_some() && (!by_level || ms.change) {
                    e.push(format!("M&E measure {}: at_least applies to indicator measures of a state", ms.id));
                }
                if ms.change && !matches!(ms.basis, MeBasis::Indicators { .. } | MeBasis::Overall) {
                    e.push(format!("M&E measure {}: only indicator or overall measures are measured as change", ms.id));
                }
                if matches!(ms.basis, MeBasis::Overall) && !ms.change {
                    e.push(format!("M&E measure {}: the overall score is measured as change only", ms.id));
                }
                match &ms.basis {
                    MeBasis::Indicators { indicators } => {
                        if indicators.is_empty() {
                            e.push(format!("M&E measure {}: no indicator", ms.id));
                        }
                        for i in indicators {
                            if self.indicators.iter().all(|x| &x.code != i) {
                                e.push(format!("M&E measure {}: unknown indicator {i}", ms.id));
                            }
                        }
                    }
                    MeBasis::Profile { field, values } => {
                        if !PROFILE_FIELDS.contains(&field.as_str()) {
                            e.push(format!("M&E measure {}: unknown profile field {field}", ms.id));
                        }
                        if values.is_empty() {
                            e.push(format!("M&E measure {}: no profile value", ms.id));
                        }
                    }
                    MeBasis::Returns | MeBasis::SmallAdministrationsAutomated | MeBasis::Overall => {}
                }
            }
        }
        for k in kas {
            match reported.get(k) {
                None => e.push(format!("key action {k} is reported by no M&E indicator")),
                Some(n) if *n > 1 => e.push(format!("key action {k} is reported by {n} M&E indicators")),
                _ => {}
            }
        }
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
        if let Some(n) = &m.note {
            check_text(&mut e, &format!("member {} note", m.code), n);
        }
    }
    if members.len() != 23 {
        e.push(format!("the registry has {} members; OCO has 23", members.len()));
    }
    e
}
