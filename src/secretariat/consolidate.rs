//! Consolidation of the returns of a cycle: who has returned, scores by member and pillar,
//! regional and sub-regional averages, the largest regional gaps, demand for help, trends, and
//! the M&E indicators of the Strategic Plan. Only the latest revision of each member's
//! assessment counts; the history stays in the store.

use crate::assessment::Assessment;
use crate::framework::{self, Framework, MeBasis, MeKind, Profile, Text};
use crate::ids::FileId;
use crate::lang::Lang;
use crate::scoring::{self, Scores, mean};
use crate::store::{Counting, Link, PillarScores, Result, RevisionScores, Store};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReturnStatus {
    NotReceived,
    Received,
    /// Received, with a conflicting file waiting for a decision.
    Conflict,
    /// Only a revision held until the revision before it arrives: received, counted nowhere.
    Waiting,
}

/// One member's line for a cycle.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberReturn {
    pub member: String,
    pub status: ReturnStatus,
    /// The revision that counts (latest), if any.
    pub assessment: Option<Assessment>,
    pub scores: Option<Scores>,
    pub received_at: Option<String>,
    /// How many revisions of this member's assessment for the cycle are held.
    pub revisions_held: usize,
    /// Conflicting files waiting for a decision (return_file ids).
    pub conflicts: Vec<FileId>,
}

impl MemberReturn {
    /// The member's score per pillar, in framework order (None without a return).
    pub fn pillar_scores(&self, fw: &Framework) -> Vec<Option<f64>> {
        fw.meta.pillars.iter().map(|p| self.scores.as_ref().and_then(|s| s.pillar_score(&p.code))).collect()
    }

    pub fn revision(&self) -> Option<u32> {
        self.assessment.as_ref().map(|a| a.header.revision)
    }
}

/// Mean of a pillar's score over the members that have one.
#[derive(Debug, Clone, PartialEq)]
pub struct PillarAverage {
    pub pillar: String,
    pub mean: Option<f64>,
    pub members: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RegionalGap {
    pub indicator: String,
    /// Mean gap (levels) over members that scored it.
    pub mean_gap: f64,
    /// Mean priority (gap x weight).
    pub mean_priority: f64,
    pub mean_level: f64,
    pub members_with_gap: usize,
    pub members_scored: usize,
}

/// Demand for one intervention type.
#[derive(Debug, Clone, PartialEq)]
pub struct Demand {
    pub intervention: String,
    /// Members with at least one gap of this type.
    pub members: usize,
    pub gaps: usize,
    /// Gaps of this type marked C (needs time and assistance): requests.
    pub requests: usize,
    pub members_requesting: usize,
}

/// A request for assistance (a gap marked C).
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub member: String,
    pub indicator: String,
    pub intervention: String,
    pub gap: u8,
    pub priority: u32,
    pub comment: String,
}

/// A value of an M&E indicator: count of members out of a base, or a mean.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum MeValue {
    Count { count: usize, of: usize },
    Mean(Option<f64>),
}

impl MeValue {
    pub fn text(&self) -> String {
        match self {
            MeValue::Count { count, of } if *of > 0 => {
                format!("{count} / {of} ({:.0}%)", *count as f64 * 100.0 / *of as f64)
            }
            MeValue::Count { count, of } => format!("{count} / {of}"),
            MeValue::Mean(Some(m)) => format!("{m:.1}"),
            MeValue::Mean(None) => "–".into(),
        }
    }

    /// The share (0-1) of a count; `None` for a mean or an empty base.
    pub fn share(&self) -> Option<f64> {
        match self {
            MeValue::Count { count, of } if *of > 0 => Some(*count as f64 / *of as f64),
            _ => None,
        }
    }
}

/// One line of the M&E table: a measure of one of the plan's M&E indicators, or the indicator
/// itself when it cannot be measured from a self-assessment (`kind` and `latest` are `None`,
/// `why` says why).
#[derive(Debug, Clone, PartialEq)]
pub struct MeIndicator {
    /// The measure's id (the M&E indicator's own id when it is not measurable).
    pub id: String,
    /// The plan's M&E indicator it reports on (`MeDef::id`).
    pub indicator: String,
    pub name: Text,
    /// Key action(s) it reports on, e.g. "1.1.3 1.1.4".
    pub key_actions: String,
    /// The plan leaves the indicator blank for at least one of these key actions: the framework
    /// filled it in.
    pub added_by_framework: bool,
    pub kind: Option<MeKind>,
    pub method: Text,
    pub why: Option<Text>,
    /// From the plan's baseline profiles (Appendix 1b), for profile measures.
    pub baseline: Option<MeValue>,
    /// Change measures: the first cycles (earliest, latest) of the members compared, each
    /// member's baseline.
    pub baseline_cycles: Option<(i32, i32)>,
    /// Measured as change against each member's first cycle: `latest` counts the members that
    /// improved, out of those with an earlier return to compare with.
    pub change: bool,
    pub latest: Option<MeValue>,
    /// Share of members (0-1) the plan sets as its target.
    pub target_share: Option<f64>,
    /// The target the Secretariat set for the cycle's year (issue 24, item 7): a share (0-1) for
    /// a count, a level for a mean. It takes the place of the plan's.
    pub set_target: Option<f64>,
    /// Whether the latest value meets the target (when there is one).
    pub met: Option<bool>,
    /// Computed from the Secretariat's own records (issue 24, item 6), not from the returns.
    pub from_records: bool,
    /// Members counted from a return of an earlier cycle (none this cycle).
    pub carried: usize,
}

impl MeIndicator {
    /// The plan's indicator name, marked when the framework added it.
    pub fn name_text(&self, lang: Lang) -> String {
        if self.added_by_framework {
            format!("{} {}", self.name.get(lang), lang.t("me.added_mark"))
        } else {
            self.name.get(lang).to_string()
        }
    }

    /// "Direct", "Proxy", "Secretariat's records" or "Not measurable from the self-assessment".
    pub fn kind_text(&self, lang: Lang) -> &'static str {
        if self.from_records {
            return lang.t("me.kind_records");
        }
        match self.kind {
            Some(MeKind::Direct) => lang.t("me.kind_direct"),
            Some(MeKind::Proxy) => lang.t("me.kind_proxy"),
            None => lang.t("me.kind_none"),
        }
    }

    /// How it is computed, or why it cannot be.
    pub fn method_text(&self, lang: Lang) -> String {
        if self.from_records {
            return lang.t("me.method_records").to_string();
        }
        let mut text = match &self.why {
            Some(why) if self.kind.is_none() => why.get(lang).to_string(),
            _ => self.method.get(lang).to_string(),
        };
        if self.added_by_framework {
            text = format!("{} {}", text, lang.t("me.added_by_framework"));
        }
        text
    }

    /// The Secretariat's target for the year, else the plan's, when there is one.
    pub fn target_text(&self, lang: Lang) -> Option<String> {
        match (self.set_target, self.latest) {
            (Some(t), Some(MeValue::Mean(_))) => {
                Some(lang.f("me.target_set_mean", &[("level", &lang.decimal(&format!("{t:.1}")))]))
            }
            (Some(t), _) => Some(lang.f("me.target_set_share", &[("pct", &format!("{:.0}", t * 100.0))])),
            (None, _) => self.target_share.map(|t| lang.f("me.target_share", &[("pct", &format!("{:.0}", t * 100.0))])),
        }
    }

    /// The target the Secretariat may set on this line: a share for a count, a level for a mean,
    /// none when the line is not measured.
    pub fn target_kind(&self) -> Option<TargetKind> {
        match self.latest? {
            MeValue::Count { .. } => Some(TargetKind::Share),
            MeValue::Mean(_) => Some(TargetKind::Level),
        }
    }

    /// The target as the Secretariat types it: a percentage for a share, a level for a mean.
    pub fn target_input(&self) -> String {
        match (self.set_target, self.target_kind()) {
            (Some(t), Some(TargetKind::Share)) => format!("{:.0}", t * 100.0),
            (Some(t), _) => format!("{t}"),
            (None, _) => String::new(),
        }
    }

    pub fn latest_text(&self) -> String {
        self.latest.map(|v| v.text()).unwrap_or_else(|| "–".into())
    }

    /// The plan's baseline, or for a change measure the members' first cycle(s).
    pub fn baseline_text(&self) -> String {
        match (self.baseline, self.baseline_cycles) {
            (Some(v), _) => v.text(),
            (None, Some((a, b))) if a == b => a.to_string(),
            (None, Some((a, b))) => format!("{a}–{b}"),
            (None, None) => "–".into(),
        }
    }
}

/// What a target is, for a line of the M&E table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetKind {
    /// A share of members, typed as a percentage (0-100), kept as 0-1.
    Share,
    /// A mean level (0-4).
    Level,
}

/// A target as typed (a decimal comma is read as a point): empty removes it. The error is a
/// catalogue key.
pub fn parse_target(kind: TargetKind, text: &str) -> std::result::Result<Option<f64>, &'static str> {
    let text = text.trim().trim_end_matches('%').trim().replace(',', ".");
    if text.is_empty() {
        return Ok(None);
    }
    let v: f64 = text.parse().map_err(|_| "me.target_invalid")?;
    match kind {
        TargetKind::Share if (0.0..=100.0).contains(&v) => Ok(Some(v / 100.0)),
        TargetKind::Level if (0.0..=4.0).contains(&v) => Ok(Some(v)),
        _ => Err("me.target_invalid"),
    }
}

/// Whether a value meets a target: a count's share, or a mean, at least the target.
pub fn meets(value: &MeValue, target: f64) -> bool {
    match value {
        MeValue::Count { .. } => value.share().is_some_and(|s| s >= target - 1e-9),
        MeValue::Mean(m) => m.is_some_and(|m| m >= target - 1e-9),
    }
}

/// The Secretariat's targets of the cycle's year (by line id) put on the M&E lines: each takes
/// the place of the plan's target, and says met or not met.
pub fn apply_targets(me: &mut [MeIndicator], targets: &BTreeMap<String, f64>) {
    for m in me.iter_mut() {
        let Some(&t) = targets.get(&m.id) else { continue };
        let Some(latest) = m.latest else { continue };
        m.set_target = Some(t);
        m.met = Some(meets(&latest, t));
    }
}

/// The M&E indicators the self-assessment cannot measure that the Secretariat's own records
/// can: national policy and legislation reviews submitted (3.4.1), the Pacific Tariff Framework
/// adopted (4.1.1).
pub const RECORDED: [&str; 2] = ["policy_reports", "ptf"];

/// The Secretariat's records up to the cycle's year put on the lines it measures: the members
/// with a record of the indicator in any year up to the cycle's (a review submitted, the framework
/// adopted), out of the 23.
pub fn apply_records(me: &mut [MeIndicator], records: &[crate::store::MeRecord]) {
    for m in me.iter_mut().filter(|m| m.kind.is_none() && RECORDED.contains(&m.indicator.as_str())) {
        let members: std::collections::BTreeSet<&str> =
            records.iter().filter(|r| r.indicator == m.indicator).map(|r| r.member.as_str()).collect();
        if members.is_empty() {
            continue;
        }
        m.latest = Some(MeValue::Count { count: members.len(), of: framework::members().len() });
        m.from_records = true;
    }
}

/// Notes that go under every M&E table: members carried from an earlier cycle, and the
/// small-administration assumption with the members it names.
pub fn me_notes(me: &[MeIndicator], lang: Lang) -> Vec<String> {
    let mut out = vec![lang.t("me.counts_note").to_string()];
    if let Some((from, to)) = me.iter().filter_map(|m| m.baseline_cycles).reduce(|(a, b), (c, d)| (a.min(c), b.max(d)))
    {
        let cycles = if from == to { from.to_string() } else { format!("{from}–{to}") };
        out.push(lang.f("me.change_note", &[("cycles", &cycles)]));
    }
    if let Some(n) = me.iter().map(|m| m.carried).max().filter(|n| *n > 0) {
        out.push(lang.f("me.carried", &[("n", &n)]));
    }
    let small: Vec<&str> =
        framework::members().iter().filter(|m| m.small_administration).map(|m| m.name.get(lang)).collect();
    out.push(lang.f("me.sma_note", &[("members", &small.join(", "))]));
    out
}

/// What the M&E indicators know of one member: its latest known return (this cycle's, else the
/// latest of an earlier cycle) or, without any, its baseline profile.
#[derive(Debug, Clone)]
pub struct MeInput<'a> {
    pub member: &'a framework::Member,
    pub profile: Profile,
    pub scores: Option<Scores>,
    /// The cycle of an earlier return used for want of one this cycle.
    pub carried_from: Option<i32>,
    /// The member's first return (its baseline for the change measures): the cycle and its
    /// scores, when that cycle is earlier than the one of `scores`.
    pub first: Option<(i32, Scores)>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Trend {
    pub cycles: Vec<i32>,
    /// (pillar, regional mean per cycle)
    pub pillars: Vec<(String, Vec<Option<f64>>)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Consolidation {
    pub cycle: i32,
    /// All 23 members, in registry order.
    pub members: Vec<MemberReturn>,
    pub regional: Vec<PillarAverage>,
    pub overall: Option<f64>,
    /// (sub-region, averages per pillar)
    pub subregional: Vec<(String, Vec<PillarAverage>)>,
    /// Largest first.
    pub gaps: Vec<RegionalGap>,
    pub demand: Vec<Demand>,
    pub requests: Vec<Request>,
    pub me: Vec<MeIndicator>,
    /// The Secretariat's own M&E records up to the cycle's year (see [`apply_records`]).
    pub records: Vec<crate::store::MeRecord>,
    pub trend: Trend,
    /// Did the delivered interventions help (`effect::summary`): filled for the regional report
    /// and workbook only, empty in the window's consolidation.
    pub effects: Vec<crate::secretariat::effect::EffectLine>,
}

impl Consolidation {
    pub fn received(&self) -> usize {
        self.members.iter().filter(|m| m.status != ReturnStatus::NotReceived).count()
    }

    pub fn not_received(&self) -> impl Iterator<Item = &MemberReturn> {
        self.members.iter().filter(|m| m.status == ReturnStatus::NotReceived)
    }

    /// The content revisions of the framework the returns counted were written under, oldest
    /// first, each with its members in registry order (a return from before revisions were named
    /// is revision 1).
    pub fn content_revisions(&self) -> Vec<(u32, Vec<String>)> {
        let mut out: BTreeMap<u32, Vec<String>> = BTreeMap::new();
        for m in &self.members {
            if let Some(a) = &m.assessment {
                out.entry(a.header.content_revision.unwrap_or(1)).or_default().push(m.member.clone());
            }
        }
        out.into_iter().collect()
    }

    /// [`Self::content_revisions`] in a sentence ("revision 2: PG, SB; revision 3: FJ"), or
    /// `None` when every return is on one revision (nothing to say beside the scores).
    pub fn content_revisions_text(&self, t: Lang) -> Option<String> {
        let revs = self.content_revisions();
        (revs.len() > 1).then(|| {
            let parts: Vec<String> = revs
                .iter()
                .map(|(r, members)| {
                    t.f("dash.content_revision_members", &[("revision", r), ("members", &members.join(", "))])
                })
                .collect();
            t.f("dash.content_revisions", &[("list", &parts.join("; "))])
        })
    }
}

/// THE rule for which revision of one assessment counts, given the revisions held: revision 1
/// (or the lowest held, if a person confirmed it); then revision n+1 as long as it is held and
/// chains to revision n (its `previous_digest` is n's digest) or a person confirmed it. The
/// highest revision reached counts. Over what is stored, the register, the dashboard, the trends
/// and every report read the same rule as one query ([`Store::counting_revisions`], which also
/// picks the member's assessment that is not set aside); this form over plain values serves the
/// import's message for a file not stored yet. `tests/it/scale.rs` holds the two together on
/// random histories. Nothing else ranks revisions.
pub fn counting_revision(links: &[Link]) -> Option<u32> {
    let by_rev: BTreeMap<u32, &Link> = links.iter().map(|l| (l.revision, l)).collect();
    let (&first, start) = by_rev.iter().next()?;
    if first != 1 && !start.confirmed {
        return None;
    }
    let mut at = *start;
    while let Some(next) = by_rev.get(&(at.revision + 1)) {
        let chains = !at.digest.is_empty() && next.previous_digest.as_deref() == Some(at.digest.as_str());
        if !(chains || next.confirmed) {
            break;
        }
        at = next;
    }
    Some(at.revision)
}

/// The revision that counts for one member and cycle, by the rule as a query
/// ([`Store::counting_revision`]).
pub fn counting_for(store: &Store, member: &str, cycle: i32) -> Result<Option<u32>> {
    Ok(store.counting_revision(member, cycle)?.map(|c| c.revision))
}

/// The version of the scoring rules whose numbers are stored per revision. Raise it when a change
/// to `scoring` changes a stored number: [`fill_scores`] then computes every revision again.
/// 2: the readiness verdict of issue 21 (axes, "not rated"); pillar scores are unchanged.
/// 3: each revision scored against its own content revision (issue 22), not the newest held.
pub const SCORING: i64 = 3;

/// What is stored of a revision's scores, computed with the content it was answered against (its
/// framework version and content revision: `framework::of`).
pub fn stored_scores(
    framework_version: u32,
    content_revision: Option<u32>,
    responses: &[crate::assessment::Response],
) -> RevisionScores {
    let s = scoring::score(content_of(framework_version, content_revision), responses);
    RevisionScores {
        scoring: SCORING,
        overall: s.overall,
        ability: s.readiness.ability,
        willingness: s.readiness.willingness,
        quadrant: s.readiness.quadrant.map(|q| q.code().to_string()),
        pillars: s.pillars.iter().map(|p| (p.code.clone(), p.level, p.score)).collect(),
    }
}

/// The content a revision is scored against ([`framework::of`]; the current one for a version
/// this build does not know, which the import refuses anyway).
fn content_of(framework_version: u32, content_revision: Option<u32>) -> &'static Framework {
    framework::of(framework_version, content_revision).unwrap_or_else(framework::current)
}

/// An assessment's scores, against the content it was answered under.
fn score_of(a: &crate::assessment::Assessment) -> Scores {
    scoring::score(content_of(a.header.framework_version, a.header.content_revision), &a.responses)
}

/// How many revisions [`fill_scores`] scores per transaction.
const FILL_STEP: usize = 200;

/// Stores the scores of every imported revision that has none of this version ([`SCORING`]):
/// revisions imported before the scores were stored (schema 6), or scored by older rules. Runs
/// after the migrations, when the Secretariat's data is first loaded; each step of
/// [`FILL_STEP`] revisions is committed on its own, so an interrupted fill loses nothing and
/// the next one carries on. `progress` gets the number done so far. Returns how many were scored.
pub fn fill_scores(store: &mut Store, progress: impl FnMut(usize)) -> Result<usize> {
    fill_scores_in_steps(store, FILL_STEP, progress)
}

/// [`fill_scores`], `step` revisions per transaction.
pub fn fill_scores_in_steps(store: &mut Store, step: usize, mut progress: impl FnMut(usize)) -> Result<usize> {
    if store.all_scored(SCORING)? {
        return Ok(0);
    }
    let mut done = 0;
    loop {
        let ids = store.unscored_revisions(SCORING, step.max(1))?;
        if ids.is_empty() {
            return Ok(done);
        }
        let mut items = Vec::with_capacity(ids.len());
        for id in ids {
            let a = store.load(id)?;
            items.push((id, stored_scores(a.header.framework_version, a.header.content_revision, &a.responses)));
        }
        store.store_scores(&items)?;
        done += items.len();
        progress(done);
    }
}

fn averages(fw: &Framework, members: &[&MemberReturn]) -> Vec<PillarAverage> {
    fw.meta
        .pillars
        .iter()
        .map(|p| {
            let values: Vec<f64> =
                members.iter().filter_map(|m| m.scores.as_ref()).filter_map(|s| s.pillar_score(&p.code)).collect();
            PillarAverage { pillar: p.code.clone(), mean: mean(values.iter().copied()), members: values.len() }
        })
        .collect()
}

fn hs_at_least(v: &str, year: u32) -> bool {
    v.parse::<u32>().is_ok_and(|y| y >= year)
}

fn has_automation(v: &str) -> bool {
    !matches!(v, "none" | "unknown" | "not_implemented" | "")
}

/// A profile field's value matches one of `values` (`"hs>=YEAR"`: an HS edition of YEAR or later).
fn profile_matches(p: &Profile, field: &str, values: &[String]) -> bool {
    let v = match field {
        "hs_version" => &p.hs_version,
        "rkc" => &p.rkc,
        "wto_valuation" => &p.wto_valuation,
        "risk_management" => &p.risk_management,
        "automation" => &p.automation,
        "arusha" => &p.arusha,
        "pca" => &p.pca,
        _ => return false,
    };
    values.iter().any(|want| match want.strip_prefix("hs>=") {
        Some(year) => year.parse().is_ok_and(|y| hs_at_least(v, y)),
        None => v == want,
    })
}

/// The level an indicator measure counts as reached: the measure's own, else the indicator's
/// default target.
fn reached(fw: &Framework, code: &str, at_least: Option<u8>) -> Option<u8> {
    at_least.or_else(|| fw.indicator(code).map(|i| i.default_target))
}

/// One measure over a set of members (`profiles` and `scores` per member).
fn measure_value(
    fw: &Framework,
    basis: &MeBasis,
    at_least: Option<u8>,
    set: &[(&framework::Member, &Profile, Option<&Scores>)],
) -> MeValue {
    match basis {
        MeBasis::Returns => MeValue::Count { count: set.iter().filter(|(_, _, s)| s.is_some()).count(), of: set.len() },
        MeBasis::Profile { field, values } => MeValue::Count {
            count: set.iter().filter(|(_, p, _)| profile_matches(p, field, values)).count(),
            of: set.len(),
        },
        MeBasis::SmallAdministrationsAutomated => {
            let small: Vec<_> = set.iter().filter(|(m, _, _)| m.small_administration).collect();
            MeValue::Count {
                count: small.iter().filter(|(_, p, _)| has_automation(&p.automation)).count(),
                of: small.len(),
            }
        }
        // Only measured as change (see `change_value`): here, the members with a score.
        MeBasis::Overall => MeValue::Count {
            count: set.iter().filter(|(_, _, s)| s.is_some_and(|s| s.overall.is_some())).count(),
            of: set.len(),
        },
        MeBasis::Indicators { indicators } => {
            let mut count = 0;
            let mut of = 0;
            for s in set.iter().filter_map(|(_, _, s)| *s) {
                let answered: Vec<(u8, u8)> = indicators
                    .iter()
                    .filter_map(|code| {
                        let target = reached(fw, code, at_least)?;
                        let value = s.indicators.iter().find(|i| &i.code == code)?.value?;
                        Some((value, target))
                    })
                    .collect();
                if answered.is_empty() {
                    continue;
                }
                of += 1;
                count += usize::from(answered.iter().all(|(v, t)| v >= t));
            }
            MeValue::Count { count, of }
        }
    }
}

type MeSet<'a> = Vec<(&'a framework::Member, &'a Profile, Option<&'a Scores>)>;

/// The members of a set, or only its small administrations.
fn small<'a>(set: &MeSet<'a>, only: bool) -> MeSet<'a> {
    set.iter().filter(|(m, _, _)| !only || m.small_administration).copied().collect()
}

/// A change measure over the members with a first return earlier than their latest: how many
/// improved (the sum of their levels on the serving indicators scored in both, or their overall
/// score, is higher now), out of those that can be compared; and the range of first cycles.
fn change_value(basis: &MeBasis, pairs: &[(i32, &Scores, &Scores)]) -> (MeValue, Option<(i32, i32)>) {
    let (mut count, mut of) = (0, 0);
    let (mut from, mut to) = (i32::MAX, i32::MIN);
    for (cycle, first, now) in pairs {
        let (was, is) = match basis {
            MeBasis::Indicators { indicators } => {
                let level = |s: &Scores, code: &str| s.indicators.iter().find(|i| i.code == code).and_then(|i| i.value);
                let both: Vec<(u8, u8)> =
                    indicators.iter().filter_map(|c| level(first, c).zip(level(now, c))).collect();
                if both.is_empty() {
                    continue;
                }
                (both.iter().map(|b| b.0 as f64).sum::<f64>(), both.iter().map(|b| b.1 as f64).sum::<f64>())
            }
            MeBasis::Overall => match first.overall.zip(now.overall) {
                Some(x) => x,
                None => continue,
            },
            _ => continue,
        };
        of += 1;
        count += usize::from(is > was + 1e-9);
        from = from.min(*cycle);
        to = to.max(*cycle);
    }
    (MeValue::Count { count, of }, (of > 0).then_some((from, to)))
}

/// The plan's M&E indicators (framework data, `meta.me_indicators`) over the latest known
/// return of each member; profile measures also over the plan's baseline; change measures
/// against each member's first return. Pure: the tests recompute every figure from hand-built
/// inputs.
pub fn me_indicators(fw: &Framework, inputs: &[MeInput]) -> Vec<MeIndicator> {
    let latest: MeSet = inputs.iter().map(|i| (i.member, &i.profile, i.scores.as_ref())).collect();
    let baseline: MeSet = inputs.iter().map(|i| (i.member, &i.member.baseline, None)).collect();

    let carried = inputs.iter().filter(|i| i.carried_from.is_some()).count();
    let mut out = Vec::new();
    for d in &fw.meta.me_indicators {
        let added_by_framework =
            d.key_actions.iter().any(|k| fw.meta.key_actions.iter().any(|x| &x.code == k && x.me_added_by_framework));
        let line = |id: &str, kind: Option<MeKind>, method: &Text| MeIndicator {
            id: id.to_string(),
            indicator: d.id.clone(),
            name: d.name.clone(),
            key_actions: d.key_actions.join(" "),
            added_by_framework,
            kind,
            method: method.clone(),
            why: d.why.clone(),
            baseline: None,
            baseline_cycles: None,
            change: false,
            latest: None,
            target_share: None,
            set_target: None,
            met: None,
            from_records: false,
            carried: 0,
        };
        if d.measures.is_empty() {
            out.push(line(&d.id, None, &Text::default()));
            continue;
        }
        for ms in &d.measures {
            let mut l = line(&ms.id, Some(ms.kind), &ms.method);
            let value = if ms.change {
                let pairs: Vec<(i32, &Scores, &Scores)> = inputs
                    .iter()
                    .filter(|i| !ms.small_administrations || i.member.small_administration)
                    .filter_map(|i| Some((i.first.as_ref()?, i.scores.as_ref()?)))
                    .map(|((c, f), s)| (*c, f, s))
                    .collect();
                let (value, cycles) = change_value(&ms.basis, &pairs);
                l.change = true;
                l.baseline_cycles = cycles;
                value
            } else {
                let from_profiles =
                    matches!(ms.basis, MeBasis::Profile { .. } | MeBasis::SmallAdministrationsAutomated);
                let base = small(&baseline, ms.small_administrations);
                l.baseline = from_profiles.then(|| measure_value(fw, &ms.basis, ms.at_least, &base));
                measure_value(fw, &ms.basis, ms.at_least, &small(&latest, ms.small_administrations))
            };
            l.target_share = ms.target_share;
            l.met = ms.target_share.map(|t| value.share().is_some_and(|s| s >= t));
            l.latest = Some(value);
            l.carried = carried;
            out.push(l);
        }
    }
    out
}

/// The latest known return of every member for the M&E indicators: this cycle's counting
/// revision, else the counting revision of the latest earlier cycle, else the baseline profile.
pub fn me_inputs(store: &Store, cycle: i32, members: &[MemberReturn]) -> Result<Vec<MeInput<'static>>> {
    // Earlier cycles, newest first; what counts in each, by the one rule (a query per member and
    // cycle, only for members without a return this cycle).
    let earlier: Vec<i32> = store.imported_cycles()?.into_iter().filter(|c| *c < cycle).collect();
    // Each member's first return before `before` (its baseline for the change measures), by the
    // same rule, oldest cycle first.
    let first = |code: &str, before: i32| -> Result<Option<(i32, Scores)>> {
        for &c in earlier.iter().rev().filter(|c| **c < before) {
            if let Some(h) = store.counting_revision(code, c)? {
                let a = store.load(h.id)?;
                return Ok(Some((c, score_of(&a))));
            }
        }
        Ok(None)
    };
    let mut out = Vec::new();
    for fm in framework::members() {
        let this = members.iter().find(|m| m.member == fm.code);
        if let Some((a, s)) = this.and_then(|m| m.assessment.as_ref().zip(m.scores.as_ref())) {
            out.push(MeInput {
                member: fm,
                profile: a.profile.clone(),
                scores: Some(s.clone()),
                carried_from: None,
                first: first(&fm.code, cycle)?,
            });
            continue;
        }
        let mut found = None;
        for &c in &earlier {
            if let Some(h) = store.counting_revision(&fm.code, c)? {
                found = Some((c, h));
                break;
            }
        }
        out.push(match found {
            Some((c, h)) => {
                let a = store.load(h.id)?;
                let scores = score_of(&a);
                let first = first(&fm.code, c)?;
                MeInput { member: fm, profile: a.profile, scores: Some(scores), carried_from: Some(c), first }
            }
            None => MeInput { member: fm, profile: fm.baseline.clone(), scores: None, carried_from: None, first: None },
        });
    }
    Ok(out)
}

/// Consolidates one cycle from the store.
pub fn consolidate(store: &Store, cycle: i32) -> Result<Consolidation> {
    let mut c = consolidate_without_trend(store, cycle)?;
    c.trend = trend(store, framework::current())?;
    Ok(c)
}

/// [`consolidate`] without the trend over every cycle held (left empty): for what does not
/// show it (the CSV tables and the workbook), as it is the one part that grows with the database.
pub fn consolidate_without_trend(store: &Store, cycle: i32) -> Result<Consolidation> {
    let fw = framework::current();
    let counting = store.counting_revisions(Some(cycle))?;
    let latest: BTreeMap<&str, &Counting> = counting.iter().map(|c| (c.member.as_str(), c)).collect();
    let conflicts = store.open_conflicts(cycle)?;
    let waiting = store.open_waiting(cycle)?;
    let mut members = Vec::new();
    for m in framework::members() {
        let mine: Vec<FileId> = conflicts.iter().filter(|(c, _)| c == &m.code).map(|(_, id)| *id).collect();
        let line = match latest.get(m.code.as_str()) {
            None => MemberReturn {
                member: m.code.clone(),
                status: if !mine.is_empty() {
                    ReturnStatus::Conflict
                } else if waiting.iter().any(|(w, _)| w == &m.code) {
                    ReturnStatus::Waiting
                } else {
                    ReturnStatus::NotReceived
                },
                assessment: None,
                scores: None,
                received_at: None,
                revisions_held: 0,
                conflicts: mine,
            },
            Some(h) => {
                let a = store.load(h.id)?;
                let scores = score_of(&a);
                MemberReturn {
                    member: m.code.clone(),
                    status: if mine.is_empty() { ReturnStatus::Received } else { ReturnStatus::Conflict },
                    assessment: Some(a),
                    scores: Some(scores),
                    received_at: h.received_at.clone(),
                    revisions_held: h.revisions_held,
                    conflicts: mine,
                }
            }
        };
        members.push(line);
    }
    let all: Vec<&MemberReturn> = members.iter().collect();
    let regional = averages(fw, &all);
    let overall = mean(members.iter().filter_map(|m| m.scores.as_ref().and_then(|s| s.overall)));
    let subregional = framework::SUBREGIONS
        .iter()
        .map(|r| {
            let mine: Vec<&MemberReturn> =
                members.iter().filter(|m| framework::member(&m.member).is_some_and(|x| x.subregion == *r)).collect();
            (r.to_string(), averages(fw, &mine))
        })
        .collect();

    let scored: Vec<&Scores> = members.iter().filter_map(|m| m.scores.as_ref()).collect();
    let mut gaps: Vec<RegionalGap> = fw
        .indicators
        .iter()
        .map(|ind| {
            let vals: Vec<&scoring::IndicatorScore> = scored
                .iter()
                .filter_map(|s| s.indicators.iter().find(|i| Framework::counts_for(ind, &i.code)))
                .filter(|i| i.value.is_some())
                .collect();
            let n = vals.len();
            RegionalGap {
                indicator: ind.code.clone(),
                mean_gap: mean(vals.iter().map(|i| i.gap as f64)).unwrap_or(0.0),
                mean_priority: mean(vals.iter().map(|i| i.priority as f64)).unwrap_or(0.0),
                mean_level: mean(vals.iter().filter_map(|i| i.value.map(f64::from))).unwrap_or(0.0),
                members_with_gap: vals.iter().filter(|i| i.gap > 0).count(),
                members_scored: n,
            }
        })
        .filter(|g| g.members_scored > 0)
        .collect();
    gaps.sort_by(|a, b| b.mean_priority.total_cmp(&a.mean_priority).then(b.members_with_gap.cmp(&a.members_with_gap)));

    let demand = fw
        .meta
        .interventions
        .iter()
        .map(|iv| {
            let per_member: Vec<(usize, usize)> = scored
                .iter()
                .map(|s| {
                    let g: Vec<_> = s.indicators.iter().filter(|i| i.gap > 0 && i.intervention == iv.code).collect();
                    (g.len(), g.iter().filter(|i| i.requests_assistance()).count())
                })
                .collect();
            Demand {
                intervention: iv.code.clone(),
                members: per_member.iter().filter(|(g, _)| *g > 0).count(),
                gaps: per_member.iter().map(|(g, _)| g).sum(),
                requests: per_member.iter().map(|(_, c)| c).sum(),
                members_requesting: per_member.iter().filter(|(_, c)| *c > 0).count(),
            }
        })
        .collect();

    let mut requests = Vec::new();
    for m in &members {
        let (Some(a), Some(s)) = (&m.assessment, &m.scores) else { continue };
        for g in scoring::ranked_gaps(s).into_iter().filter(|g| g.requests_assistance()) {
            requests.push(Request {
                member: m.member.clone(),
                indicator: g.code.clone(),
                intervention: g.intervention.clone(),
                gap: g.gap,
                priority: g.priority,
                comment: a.response(&g.code).map(|r| r.comment.clone()).unwrap_or_default(),
            });
        }
    }

    let mut me = me_indicators(fw, &me_inputs(store, cycle, &members)?);
    let records = store.me_records(cycle)?;
    apply_records(&mut me, &records);
    apply_targets(&mut me, &store.me_targets(cycle)?);
    let trend = Trend { cycles: Vec::new(), pillars: Vec::new() };
    Ok(Consolidation {
        cycle,
        members,
        regional,
        overall,
        subregional,
        gaps,
        demand,
        requests,
        me,
        records,
        trend,
        effects: Vec::new(),
    })
}

/// Regional mean per pillar for every cycle held, from the scores stored per revision (a
/// revision without them, e.g. before [`fill_scores`] has run, is scored from its answers).
pub fn trend(store: &Store, fw: &Framework) -> Result<Trend> {
    let mut cycles = store.imported_cycles()?;
    cycles.sort_unstable();
    let mut per_cycle: BTreeMap<i32, Vec<PillarScores>> = BTreeMap::new();
    for (cycle, _member, id, stored) in store.counting_pillar_scores(SCORING)? {
        let pillars = match stored {
            Some(p) => p,
            None => {
                let a = store.load(id)?;
                stored_scores(a.header.framework_version, a.header.content_revision, &a.responses)
                    .pillars
                    .into_iter()
                    .map(|(code, _, score)| (code, score))
                    .collect()
            }
        };
        per_cycle.entry(cycle).or_default().push(pillars);
    }
    let pillars = fw
        .meta
        .pillars
        .iter()
        .map(|p| {
            let series = cycles
                .iter()
                .map(|c| {
                    let members = per_cycle.get(c).map(Vec::as_slice).unwrap_or_default();
                    mean(members.iter().filter_map(|m| m.iter().find(|(code, _)| *code == p.code).and_then(|x| x.1)))
                })
                .collect();
            (p.code.clone(), series)
        })
        .collect();
    Ok(Trend { cycles, pillars })
}
