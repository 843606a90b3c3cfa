//! The Secretariat's work programme (issue 24): the region's needs grouped the way the
//! Secretariat acts (by indicator, intervention type, competency level, core capability), the
//! interventions it proposes from them, and the Annual Work Programme of a year.
//!
//! Everything here is plain computation over a consolidation and the interventions stored; the
//! room (`app/rooms/programme.rs`), the page and the command line call it, so none of them holds a
//! rule of its own. The requests for assistance come from [`requests`] alone, so that the
//! administrations' own plans (issue 23) can feed it later without anything else changing.

use crate::framework::{self, MemberKind};
use crate::secretariat::consolidate::{self, Consolidation};
use crate::store::{Decision, Result, Store, StoredDecision};
pub use crate::store::{Intervention, InterventionStatus};
use std::collections::{BTreeMap, BTreeSet};

/// Delivery modes.
pub const MODES: [&str; 5] = crate::exchange::feedback::DELIVERY_MODES;
/// The kinds of expert the Secretariat deploys (seed 003).
pub const EXPERTS: [&str; 3] = ["modernisation_advisor", "technical_expert", "expert_trainer"];
/// Funding status.
pub const FUNDING: [&str; 4] = ["unfunded", "sought", "committed", "secured"];
/// At least this many members asking for assistance on one indicator: one regional activity
/// is proposed; fewer: national missions.
pub const REGIONAL_AT: usize = 3;

/// A request for assistance: a member's gap with need C, with its text where there is one.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Request {
    pub member: String,
    pub indicator: String,
    pub text: String,
}

/// One gap of one member (a level below its target), a request for assistance or not.
#[derive(Debug, Clone, PartialEq)]
pub struct Need {
    pub member: String,
    pub subregion: String,
    pub kind: MemberKind,
    pub indicator: String,
    pub pillar: String,
    /// The intervention type of the indicator.
    pub intervention: String,
    pub competency: Option<String>,
    pub capabilities: Vec<String>,
    pub level: u8,
    pub target: u8,
    pub gap: u8,
    /// Need C: the member asks for the OCO's assistance.
    pub request: bool,
    /// The member's comment on the indicator, else its evidence (may be empty).
    pub text: String,
}

/// The requests for assistance of a cycle: THE source of requests for everything here.
pub fn requests(store: &Store, cycle: i32) -> Result<Vec<Request>> {
    Ok(requests_of(&consolidate::consolidate_without_trend(store, cycle)?))
}

/// [`requests`] from a consolidation already made.
pub fn requests_of(c: &Consolidation) -> Vec<Request> {
    needs(c)
        .into_iter()
        .filter(|n| n.request)
        .map(|n| Request { member: n.member, indicator: n.indicator, text: n.text })
        .collect()
}

/// Every gap of every member who returned in the cycle, in registry then framework order.
pub fn needs(c: &Consolidation) -> Vec<Need> {
    let fw = framework::current();
    let mut out = Vec::new();
    for m in &c.members {
        let (Some(a), Some(s), Some(fm)) = (&m.assessment, &m.scores, framework::member(&m.member)) else { continue };
        for i in s.indicators.iter().filter(|i| i.gap > 0) {
            // An answer on an earlier revision's indicator counts for the one that replaces it.
            let Some(def) = fw.counting_indicator(&i.code) else { continue };
            // What the member asks for: the request of its plan's action on the indicator (issue
            // 23), else its comment, else its evidence.
            let request = a
                .plan
                .iter()
                .filter(|p| p.indicator == i.code || p.indicator == def.code)
                .map(|p| p.request.trim())
                .find(|r| !r.is_empty());
            let text = request
                .or_else(|| {
                    a.response(&i.code)
                        .map(|r| if r.comment.trim().is_empty() { r.evidence.trim() } else { r.comment.trim() })
                })
                .unwrap_or_default()
                .to_string();
            out.push(Need {
                member: m.member.clone(),
                subregion: fm.subregion.clone(),
                kind: fm.kind,
                indicator: def.code.clone(),
                pillar: def.pillar.clone(),
                intervention: def.intervention.clone(),
                competency: def.competency.clone(),
                capabilities: def.core_capabilities.clone(),
                level: i.value.unwrap_or(0),
                target: i.target,
                gap: i.gap,
                request: i.requests_assistance(),
                text,
            });
        }
    }
    out
}

/// How the needs are grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GroupBy {
    #[default]
    Indicator,
    Intervention,
    Competency,
    Capability,
}

impl GroupBy {
    pub const ALL: [GroupBy; 4] = [GroupBy::Indicator, GroupBy::Intervention, GroupBy::Competency, GroupBy::Capability];

    /// The keys a need falls under (an indicator serves one or more core capabilities; one
    /// without a competency level falls under "").
    pub fn keys(self, n: &Need) -> Vec<String> {
        match self {
            GroupBy::Indicator => vec![n.indicator.clone()],
            GroupBy::Intervention => vec![n.intervention.clone()],
            GroupBy::Competency => vec![n.competency.clone().unwrap_or_default()],
            GroupBy::Capability => n.capabilities.clone(),
        }
    }
}

/// Which needs are counted.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NeedFilter {
    pub subregion: Option<String>,
    pub kind: Option<MemberKind>,
    pub requests_only: bool,
}

impl NeedFilter {
    pub fn keeps(&self, n: &Need) -> bool {
        self.subregion.as_ref().is_none_or(|s| *s == n.subregion)
            && self.kind.is_none_or(|k| k == n.kind)
            && (!self.requests_only || n.request)
    }
}

/// The order of the groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortBy {
    /// Most members asking for assistance first, then most members with the gap.
    #[default]
    Requests,
    Members,
    Code,
}

/// One group of needs.
#[derive(Debug, Clone, PartialEq)]
pub struct NeedGroup {
    pub key: String,
    /// Members with a gap in the group (sorted, unique).
    pub members: Vec<String>,
    /// Members asking for assistance in the group (sorted, unique).
    pub requesting: Vec<String>,
    pub gaps: usize,
    pub requests: usize,
}

/// The needs kept by `filter`, grouped and sorted. Ties keep the framework's order of keys.
pub fn groups(needs: &[Need], by: GroupBy, filter: &NeedFilter, sort: SortBy) -> Vec<NeedGroup> {
    let order = key_order(by);
    type Acc<'a> = (String, BTreeSet<&'a str>, BTreeSet<&'a str>, usize, usize);
    let mut map: BTreeMap<usize, Acc> = BTreeMap::new();
    for n in needs.iter().filter(|n| filter.keeps(n)) {
        for k in by.keys(n) {
            let pos = order.iter().position(|o| *o == k).unwrap_or(order.len());
            let e = map.entry(pos).or_insert_with(|| (k.clone(), BTreeSet::new(), BTreeSet::new(), 0, 0));
            e.1.insert(&n.member);
            e.3 += 1;
            if n.request {
                e.2.insert(&n.member);
                e.4 += 1;
            }
        }
    }
    let mut out: Vec<NeedGroup> = map
        .into_values()
        .map(|(key, m, r, gaps, requests)| NeedGroup {
            key,
            members: m.into_iter().map(String::from).collect(),
            requesting: r.into_iter().map(String::from).collect(),
            gaps,
            requests,
        })
        .collect();
    match sort {
        SortBy::Code => {}
        SortBy::Members => out.sort_by_key(|g| std::cmp::Reverse(g.members.len())),
        SortBy::Requests => {
            out.sort_by(|a, b| b.requesting.len().cmp(&a.requesting.len()).then(b.members.len().cmp(&a.members.len())))
        }
    }
    out
}

/// The needs behind one group (the drill-down), kept by `filter`.
pub fn group_needs<'a>(needs: &'a [Need], by: GroupBy, key: &str, filter: &NeedFilter) -> Vec<&'a Need> {
    needs.iter().filter(|n| filter.keeps(n) && by.keys(n).iter().any(|k| k == key)).collect()
}

/// The framework's order of the keys of a grouping.
fn key_order(by: GroupBy) -> Vec<String> {
    let fw = framework::current();
    match by {
        GroupBy::Indicator => fw.indicators.iter().map(|i| i.code.clone()).collect(),
        GroupBy::Intervention => fw.meta.interventions.iter().map(|i| i.code.clone()).collect(),
        GroupBy::Competency => {
            fw.meta.competencies.iter().map(|i| i.code.clone()).chain(std::iter::once(String::new())).collect()
        }
        GroupBy::Capability => fw.meta.core_capabilities.iter().map(|i| i.code.clone()).collect(),
    }
}

/// Regional activity or national missions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Regional,
    National,
}

/// An intervention the app proposes from the requests of a cycle, with why.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposal {
    /// Names the needs it answers: the cycle, the indicator, the scope and the members.
    pub key: String,
    pub cycle: i32,
    pub indicator: String,
    pub scope: Scope,
    /// The members asking for assistance on the indicator (sorted).
    pub members: Vec<String>,
    /// The intervention it would be, ready to be kept as it is or edited.
    pub draft: Intervention,
}

/// The key of a proposal: the same needs, the same key.
pub fn proposal_key(cycle: i32, indicator: &str, scope: Scope, members: &[String]) -> String {
    let s = match scope {
        Scope::Regional => "regional",
        Scope::National => "national",
    };
    format!("{cycle}:{indicator}:{s}:{}", members.join(","))
}

/// The expert kind a type of intervention usually calls for.
fn expert_for(kind: &str) -> &'static str {
    match kind {
        "training" => "expert_trainer",
        "harmonisation" => "technical_expert",
        _ => "modernisation_advisor",
    }
}

/// An intervention is live: not retired, not cancelled.
pub fn live(i: &Intervention) -> bool {
    !i.retired && i.status != InterventionStatus::Cancelled
}

/// True when a live intervention serves `member` on `indicator`.
pub fn served(interventions: &[Intervention], member: &str, indicator: &str) -> bool {
    interventions
        .iter()
        .any(|i| live(i) && i.members.iter().any(|m| m == member) && i.indicators.iter().any(|x| x == indicator))
}

/// Proposals from the requests of a cycle: per indicator, [`REGIONAL_AT`] or more members asking
/// for assistance -> one regional workshop; one or two -> national missions. A proposal already
/// decided (accepted, merged or dismissed) for the same needs is not made again, nor one whose
/// members are all served on the indicator by a live intervention.
pub fn proposals(
    cycle: i32,
    lang: crate::lang::Lang,
    requests: &[Request],
    interventions: &[Intervention],
    decisions: &[StoredDecision],
) -> Vec<Proposal> {
    let fw = framework::current();
    let mut by_indicator: BTreeMap<usize, (String, BTreeSet<String>)> = BTreeMap::new();
    for r in requests {
        let pos = fw.indicators.iter().position(|i| i.code == r.indicator).unwrap_or(usize::MAX);
        by_indicator.entry(pos).or_insert_with(|| (r.indicator.clone(), BTreeSet::new())).1.insert(r.member.clone());
    }
    let decided: BTreeSet<&str> = decisions.iter().map(|d| d.key.as_str()).collect();
    let mut out = Vec::new();
    for (indicator, members) in by_indicator.into_values() {
        let members: Vec<String> = members.into_iter().collect();
        if members.iter().all(|m| served(interventions, m, &indicator)) {
            continue;
        }
        let scope = if members.len() >= REGIONAL_AT { Scope::Regional } else { Scope::National };
        let key = proposal_key(cycle, &indicator, scope, &members);
        if decided.contains(key.as_str()) {
            continue;
        }
        let Some(def) = fw.indicator(&indicator) else { continue };
        let draft = Intervention {
            id: None,
            title: def.title.get(lang).to_string(),
            kind: def.intervention.clone(),
            competency: def.competency.clone(),
            mode: match scope {
                Scope::Regional => "regional_workshop",
                Scope::National => "national_mission",
            }
            .into(),
            expert: Some(expert_for(&def.intervention).into()),
            partner: String::new(),
            funding: "unfunded".into(),
            year: cycle,
            quarter: None,
            status: InterventionStatus::Planned,
            cycle: Some(cycle),
            indicators: vec![indicator.clone()],
            members: members.clone(),
            ..Intervention::default()
        };
        out.push(Proposal { key, cycle, indicator, scope, members, draft });
    }
    out
}

/// What is wrong with an intervention before it is kept: a catalogue key (`programme.invalid.*`).
pub fn check(i: &Intervention) -> std::result::Result<(), &'static str> {
    let fw = framework::current();
    if i.title.trim().is_empty() || i.title.chars().count() > 200 {
        return Err("programme.invalid.title");
    }
    if !framework::INTERVENTIONS.contains(&i.kind.as_str()) {
        return Err("programme.invalid.kind");
    }
    if i.competency.as_ref().is_some_and(|c| !fw.meta.competencies.iter().any(|x| &x.code == c)) {
        return Err("programme.invalid.competency");
    }
    if !MODES.contains(&i.mode.as_str()) {
        return Err("programme.invalid.mode");
    }
    if i.expert.as_ref().is_some_and(|e| !EXPERTS.contains(&e.as_str())) {
        return Err("programme.invalid.expert");
    }
    if !FUNDING.contains(&i.funding.as_str()) {
        return Err("programme.invalid.funding");
    }
    if !(2000..=2100).contains(&i.year) || i.quarter.is_some_and(|q| !(1..=4).contains(&q)) {
        return Err("programme.invalid.when");
    }
    if i.indicators.iter().any(|c| fw.indicator(c).is_none()) {
        return Err("programme.invalid.indicator");
    }
    if i.members.iter().any(|m| framework::member(m).is_none()) {
        return Err("programme.invalid.member");
    }
    let date_ok =
        |d: &Option<String>| d.as_ref().is_none_or(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok());
    if !date_ok(&i.started) || !date_ok(&i.ended) {
        return Err("programme.invalid.date");
    }
    if i.partner.chars().count() > 200 || i.report.chars().count() > 5000 {
        return Err("programme.invalid.length");
    }
    Ok(())
}

/// An intervention made fit to keep: texts trimmed, lists sorted and unique.
pub fn tidy(mut i: Intervention) -> Intervention {
    i.title = i.title.trim().to_string();
    i.partner = i.partner.trim().to_string();
    i.report = i.report.trim().to_string();
    for d in [&mut i.started, &mut i.ended] {
        if d.as_ref().is_some_and(|s| s.trim().is_empty()) {
            *d = None;
        }
    }
    i.indicators.sort();
    i.indicators.dedup();
    i.members.sort();
    i.members.dedup();
    i
}

/// Saves an intervention (checked).
pub fn save(store: &mut Store, i: Intervention) -> std::result::Result<i64, SaveError> {
    let i = tidy(i);
    check(&i).map_err(SaveError::Invalid)?;
    Ok(store.save_intervention(&i)?)
}

#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error("invalid: {0}")]
    Invalid(&'static str),
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}

/// Accepts a proposal as it stands (or as edited): a new intervention, and the decision.
pub fn accept(store: &mut Store, p: &Proposal, draft: Intervention) -> std::result::Result<i64, SaveError> {
    let i = tidy(Intervention { id: None, ..draft });
    check(&i).map_err(SaveError::Invalid)?;
    Ok(store.save_with_decision(&i, &p.key, p.cycle, Decision::Accepted)?)
}

/// Merges a proposal into an intervention held: its indicator and members are added to it.
pub fn merge(store: &mut Store, p: &Proposal, into: i64) -> std::result::Result<i64, SaveError> {
    let mut i = store.intervention(into)?.ok_or(crate::store::StoreError::NotFound)?;
    i.indicators.push(p.indicator.clone());
    i.members.extend(p.members.iter().cloned());
    let i = tidy(i);
    check(&i).map_err(SaveError::Invalid)?;
    Ok(store.save_with_decision(&i, &p.key, p.cycle, Decision::Merged)?)
}

/// Dismisses a proposal: it does not come back for the same needs.
pub fn dismiss(store: &mut Store, p: &Proposal) -> Result<()> {
    store.decide_proposal(&p.key, p.cycle, Decision::Dismissed, None)
}

/// One partner's share of a year's programme.
#[derive(Debug, Clone, PartialEq)]
pub struct PartnerLine {
    /// Empty: the Secretariat's own.
    pub partner: String,
    pub interventions: usize,
    pub members: usize,
    /// Interventions whose funding is committed or secured.
    pub funded: usize,
}

/// The Annual Work Programme of a year.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkProgramme {
    pub year: i32,
    /// The cycle whose requests it answers (the latest held up to the year).
    pub cycle: Option<i32>,
    /// The live interventions of the year, by priority area (framework order, then none) and
    /// quarter (then none).
    pub items: Vec<(String, Intervention)>,
    /// Requests of the cycle that no live intervention of the year serves.
    pub unanswered: Vec<Request>,
    pub requests: usize,
    pub partners: Vec<PartnerLine>,
}

/// The priority area an intervention is shown under: the first, in framework order, of its
/// indicators' areas ("" if none).
pub fn area_of(i: &Intervention) -> String {
    let fw = framework::current();
    fw.meta
        .priority_areas
        .iter()
        .find(|a| i.indicators.iter().any(|c| fw.indicator(c).is_some_and(|d| d.priority_areas.contains(&a.code))))
        .map(|a| a.code.clone())
        .unwrap_or_default()
}

/// The work programme of `year`, answering the requests of `cycle`.
pub fn work_programme(
    year: i32,
    cycle: Option<i32>,
    requests: &[Request],
    interventions: &[Intervention],
) -> WorkProgramme {
    let fw = framework::current();
    let mine: Vec<Intervention> = interventions.iter().filter(|i| live(i) && i.year == year).cloned().collect();
    let area_pos =
        |a: &str| fw.meta.priority_areas.iter().position(|p| p.code == a).unwrap_or(fw.meta.priority_areas.len());
    let mut items: Vec<(String, Intervention)> = mine.iter().map(|i| (area_of(i), i.clone())).collect();
    items.sort_by_key(|(a, i)| (area_pos(a), i.quarter.unwrap_or(5), i.id));
    let unanswered: Vec<Request> =
        requests.iter().filter(|r| !served(&mine, &r.member, &r.indicator)).cloned().collect();
    let mut partners: BTreeMap<String, (usize, BTreeSet<String>, usize)> = BTreeMap::new();
    for i in &mine {
        let e = partners.entry(i.partner.clone()).or_default();
        e.0 += 1;
        e.1.extend(i.members.iter().cloned());
        e.2 += usize::from(matches!(i.funding.as_str(), "committed" | "secured"));
    }
    let partners = partners
        .into_iter()
        .map(|(partner, (n, m, f))| PartnerLine { partner, interventions: n, members: m.len(), funded: f })
        .collect();
    WorkProgramme { year, cycle, items, unanswered, requests: requests.len(), partners }
}

/// The cycle a year's programme answers: the latest cycle held up to that year.
pub fn cycle_for(cycles: &[i32], year: i32) -> Option<i32> {
    cycles.iter().copied().filter(|c| *c <= year).max()
}

/// The work programme of `year` from the store.
pub fn work_programme_from(store: &Store, year: i32) -> Result<WorkProgramme> {
    let cycle = cycle_for(&store.imported_cycles()?, year);
    let requests = match cycle {
        Some(c) => requests(store, c)?,
        None => Vec::new(),
    };
    Ok(work_programme(year, cycle, &requests, &store.interventions()?))
}

/// Needs and proposals of a cycle from the store (the command line's `plan`).
pub fn plan(store: &Store, cycle: i32, lang: crate::lang::Lang) -> Result<(Vec<Need>, Vec<Proposal>)> {
    let c = consolidate::consolidate_without_trend(store, cycle)?;
    let needs = needs(&c);
    let requests = requests_of(&c);
    let p = proposals(cycle, lang, &requests, &store.interventions()?, &store.proposal_decisions(cycle)?);
    Ok((needs, p))
}

/// What the Work programme page shows (sent by the room).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProgrammeView {
    /// The cycle whose needs these are.
    pub cycle: Option<i32>,
    pub needs: Vec<Need>,
    pub proposals: Vec<Proposal>,
    /// Every intervention held (retired ones too).
    pub interventions: Vec<Intervention>,
    /// The work programme of the year chosen.
    pub programme: Option<WorkProgramme>,
    /// Did it help: the effect of each delivered intervention with a later cycle, by id (set by
    /// the room, `secretariat::effect::effects`).
    pub effects: BTreeMap<i64, crate::secretariat::effect::Effect>,
}

impl ProgrammeView {
    /// From a consolidation and what the store holds.
    pub fn make(
        c: Option<&Consolidation>,
        year: i32,
        cycles: &[i32],
        lang: crate::lang::Lang,
        interventions: Vec<Intervention>,
        decisions: impl Fn(i32) -> Result<Vec<StoredDecision>>,
        requests_for: impl Fn(i32) -> Result<Vec<Request>>,
    ) -> Result<ProgrammeView> {
        let (cycle, needs, proposals) = match c {
            Some(c) => {
                let needs = needs(c);
                let requests = requests_of(c);
                let p = proposals(c.cycle, lang, &requests, &interventions, &decisions(c.cycle)?);
                (Some(c.cycle), needs, p)
            }
            None => (None, Vec::new(), Vec::new()),
        };
        let wp_cycle = cycle_for(cycles, year);
        let wp_requests = match (wp_cycle, c) {
            (Some(w), Some(c)) if w == c.cycle => requests_of(c),
            (Some(w), _) => requests_for(w)?,
            (None, _) => Vec::new(),
        };
        let programme = Some(work_programme(year, wp_cycle, &wp_requests, &interventions));
        Ok(ProgrammeView { cycle, needs, proposals, interventions, programme, effects: BTreeMap::new() })
    }
}

/// Names of the programme's codes, in the reader's language.
pub mod words {
    use crate::framework;
    use crate::lang::Lang;

    pub fn mode(code: &str, t: Lang) -> String {
        t.t(&format!("programme.mode.{code}")).to_string()
    }
    pub fn expert(code: Option<&str>, t: Lang) -> String {
        code.map(|c| t.t(&format!("programme.expert.{c}")).to_string()).unwrap_or_default()
    }
    pub fn funding(code: &str, t: Lang) -> String {
        t.t(&format!("programme.funding.{code}")).to_string()
    }
    pub fn status(s: super::InterventionStatus, t: Lang) -> String {
        t.t(&format!("programme.status.{}", s.code())).to_string()
    }
    pub fn kind(k: framework::MemberKind, t: Lang) -> String {
        t.t(&format!("programme.kind.{}", k.code())).to_string()
    }
    pub fn intervention_type(code: &str, t: Lang) -> String {
        framework::current().intervention_name(code, t).to_string()
    }
    pub fn competency(code: Option<&str>, t: Lang) -> String {
        let fw = framework::current();
        match code.and_then(|c| fw.meta.competencies.iter().find(|x| x.code == c)) {
            Some(c) => c.name.get(t).to_string(),
            None => t.t("programme.no_competency").to_string(),
        }
    }
    pub fn capability(code: &str, t: Lang) -> String {
        let fw = framework::current();
        fw.meta
            .core_capabilities
            .iter()
            .find(|x| x.code == code)
            .map(|c| c.name.get(t).to_string())
            .unwrap_or_else(|| code.to_string())
    }
    pub fn area(code: &str, t: Lang) -> String {
        match framework::current().priority_area(code) {
            Some(a) => format!("{} {}", a.code, a.name.get(t)),
            None => t.t("programme.no_area").to_string(),
        }
    }
    pub fn quarter(q: Option<u8>, t: Lang) -> String {
        match q {
            Some(q) => t.f("programme.quarter_n", &[("n", &q)]),
            None => t.t("programme.quarter_none").to_string(),
        }
    }
    pub fn partner(p: &str, t: Lang) -> String {
        if p.is_empty() { t.t("programme.partner_own").to_string() } else { p.to_string() }
    }
    pub fn member(code: &str, t: Lang) -> String {
        framework::member(code).map(|m| m.name.get(t).to_string()).unwrap_or_else(|| code.to_string())
    }
    pub fn members(codes: &[String], t: Lang) -> String {
        codes.iter().map(|c| member(c, t)).collect::<Vec<_>>().join(", ")
    }
    /// A group's key in words (indicator, type, competency or capability).
    pub fn group_key(by: super::GroupBy, key: &str, t: Lang) -> String {
        match by {
            super::GroupBy::Indicator => format!("{key} {}", framework::current().indicator_title(key, t)),
            super::GroupBy::Intervention => intervention_type(key, t),
            super::GroupBy::Competency => competency((!key.is_empty()).then_some(key), t),
            super::GroupBy::Capability => capability(key, t),
        }
    }
    /// Why a proposal is made.
    pub fn why(p: &super::Proposal, t: Lang) -> String {
        let key = match p.scope {
            super::Scope::Regional => "programme.why_regional",
            super::Scope::National => "programme.why_national",
        };
        t.f(
            key,
            &[
                ("n", &p.members.len()),
                ("indicator", &p.indicator),
                ("at", &super::REGIONAL_AT),
                ("members", &members(&p.members, t)),
            ],
        )
    }
}
