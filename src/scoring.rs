//! Scores, gaps, priorities and readiness: pure functions over plain values, no I/O.
//!
//! - An indicator's *value* is its level (0-4); *Insufficient information* counts as 0 and is
//!   flagged; *Not applicable* and unanswered indicators are excluded from every score.
//! - *Gap* = target - value (never below 0); *priority* = gap x weight.
//! - A pillar aggregates its indicators with the method the framework names for it: a weighted
//!   average, or the weakest link (the lowest level, noted "+" when others are higher, as PEFA's M1).
//! - Scores run 0-100 (level / 4 x 100). *Overall* is the mean of the pillar scores.
//! - Readiness ("able and willing", docs/scoring.md): every Readiness indicator is marked in the
//!   framework as measuring *ability* or *willingness*. *Willingness* is the willingness items
//!   (leadership, use of the self-assessment), aggregated as the Readiness pillar is (weakest
//!   link). *Ability* is the mean of the capability pillars, capped by the ability items of the
//!   Readiness pillar (same aggregation): an administration that cannot plan, fund or run reform,
//!   or lacks its government's backing, is not able, whatever its procedures. So the verdict
//!   cannot contradict the pillar: "able and willing" implies a Readiness pillar at or above the
//!   lower threshold, and a pillar at or above the willingness threshold implies "willing".
//!   Each axis is compared with its threshold (framework data) to place the administration in one
//!   of four quadrants, but only once enough of its items are answered with a level
//!   (`min_answered_share` of the applicable items, and a score in every part) and none of its
//!   readiness items is "not applicable": otherwise *not rated*, as TADAT's "NR" ("insufficient
//!   information" scores 0 but is no answer for a verdict; N/A on a readiness item can never raise
//!   the verdict). The weakest answers of each side are kept as what decides it. The commitment
//!   answers are reported as *stated commitment* beside the verdict; a tick per gap is not graded
//!   against evidence and does not move it.

use crate::assessment::{Answer, Commitment, NeedCategory, Response};
use crate::framework::{Aggregation, Axis, Framework, Indicator, PillarKind};
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorScore {
    pub code: String,
    pub pillar: String,
    /// Position in the framework (ties in the ranking keep this order).
    pub position: usize,
    pub answer: Answer,
    /// The level counted in scores; `None` when excluded (not applicable or unanswered).
    pub value: Option<u8>,
    pub target: u8,
    pub weight: u8,
    pub gap: u8,
    pub priority: u32,
    /// Scored as 0 for want of evidence: flag it wherever it weighs.
    pub insufficient: bool,
    pub intervention: String,
    pub priority_areas: Vec<String>,
    pub need: Option<NeedCategory>,
    pub commitment: Option<Commitment>,
}

impl IndicatorScore {
    /// A gap the administration cannot close alone nor in time: need C is its request for the
    /// OCO's assistance (the one rule, for the pages, the reports and the consolidation).
    pub fn requests_assistance(&self) -> bool {
        self.gap > 0 && self.need == Some(NeedCategory::C)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PillarScore {
    pub code: String,
    pub aggregation: Aggregation,
    /// 0.0-4.0; `None` when no indicator of the pillar is scored.
    pub level: Option<f64>,
    /// Weakest link only: at least one other indicator is above the lowest ("2+").
    pub plus: bool,
    /// 0-100.
    pub score: Option<f64>,
    pub target_level: Option<f64>,
    pub target_score: Option<f64>,
    pub scored: usize,
    pub not_applicable: usize,
    pub unanswered: usize,
    pub insufficient: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Quadrant {
    /// Able and willing: ready to lead reform.
    AbleAndWilling,
    /// Willing, not yet able: needs capability support.
    WillingNotAble,
    /// Able, not yet willing: needs commitment before help will stick.
    AbleNotWilling,
    /// Neither yet: build foundations and commitment first.
    NotYet,
}

impl Quadrant {
    pub fn code(self) -> &'static str {
        match self {
            Quadrant::AbleAndWilling => "able_and_willing",
            Quadrant::WillingNotAble => "willing_not_able",
            Quadrant::AbleNotWilling => "able_not_willing",
            Quadrant::NotYet => "not_yet",
        }
    }
}

/// How many of the items behind one readiness axis are answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Coverage {
    /// Items answered with a level (evidence): "insufficient information" is not counted here.
    pub answered: usize,
    /// Items that apply: capability indicators not "not applicable", and every readiness item
    /// (a readiness item answered "not applicable" leaves its side not rated instead).
    pub applicable: usize,
    /// Answers needed for a position on the axis.
    pub needed: usize,
    /// Every part of the axis (each capability pillar, the readiness items) has a score.
    pub every_part: bool,
    /// Items answered "insufficient information" (scored 0, not counted as answered).
    #[serde(default)]
    pub insufficient: usize,
}

impl Coverage {
    pub fn enough(&self) -> bool {
        self.applicable > 0 && self.answered >= self.needed && self.every_part
    }
}

/// One answer that decides a side of the verdict: the weakest item, or the capability pillars
/// when their mean is below the readiness items on ability.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum Decider {
    /// A readiness item at the side's lowest level (ties all named).
    Item { code: String, level: u8, insufficient: bool },
    /// The mean of the capability pillars (0-100), below the ability items.
    Capability { score: f64 },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Readiness {
    /// 0-100: mean of the capability pillars, capped by the Readiness pillar's ability items.
    /// `None` when not rated.
    pub ability: Option<f64>,
    /// 0-100: the Readiness pillar's willingness items (weakest link). `None` when not rated.
    pub willingness: Option<f64>,
    /// `None` ("not rated") while either axis is.
    pub quadrant: Option<Quadrant>,
    #[serde(default)]
    pub ability_items: Coverage,
    #[serde(default)]
    pub willingness_items: Coverage,
    /// 0-100, mean of the commitment answers given on gaps; shown, not part of the verdict.
    #[serde(default)]
    pub stated_commitment: Option<f64>,
    /// Readiness items answered "not applicable", in framework order: each leaves its side not
    /// rated (a readiness condition cannot be set aside, so N/A can never raise the verdict).
    #[serde(default)]
    pub not_applicable: Vec<String>,
    /// What decides ability, when rated: the weakest answers.
    #[serde(default)]
    pub ability_by: Vec<Decider>,
    /// What decides willingness, when rated: the weakest answers.
    #[serde(default)]
    pub willingness_by: Vec<Decider>,
}

impl Readiness {
    /// Why there is no verdict: too few answers with a level on either side, or a readiness item
    /// answered "not applicable".
    pub fn not_rated(&self) -> bool {
        self.quadrant.is_none()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scores {
    /// In framework order.
    pub indicators: Vec<IndicatorScore>,
    /// In framework order.
    pub pillars: Vec<PillarScore>,
    pub overall: Option<f64>,
    pub readiness: Readiness,
    pub insufficient: usize,
    pub unanswered: usize,
}

impl Scores {
    /// The 0-100 score of a pillar, if it has one.
    pub fn pillar_score(&self, code: &str) -> Option<f64> {
        self.pillars.iter().find(|p| p.code == code).and_then(|p| p.score)
    }
}

/// Level 0-4 to score 0-100.
pub fn to_score(level: f64) -> f64 {
    level / 4.0 * 100.0
}

/// What one indicator contributes, from its definition and its response.
pub fn indicator_score(position: usize, ind: &Indicator, r: &Response) -> IndicatorScore {
    let value = match r.answer {
        Answer::Level(l) => Some(l.min(4)),
        Answer::Insufficient => Some(0),
        Answer::NotApplicable | Answer::Unanswered => None,
    };
    let target = r.target.min(4);
    let gap = value.map(|v| target.saturating_sub(v)).unwrap_or(0);
    IndicatorScore {
        code: ind.code.clone(),
        pillar: ind.pillar.clone(),
        position,
        answer: r.answer,
        value,
        target,
        weight: ind.weight,
        gap,
        priority: gap as u32 * ind.weight as u32,
        insufficient: r.answer == Answer::Insufficient,
        intervention: ind.intervention.clone(),
        priority_areas: ind.priority_areas.clone(),
        need: r.need,
        commitment: r.commitment,
    }
}

/// Aggregates (level, weight) pairs: the level (0-4) and, for the weakest link, the "+" flag.
pub fn aggregate(method: Aggregation, items: &[(u8, u8)]) -> (Option<f64>, bool) {
    if items.is_empty() {
        return (None, false);
    }
    match method {
        Aggregation::Average => {
            let total_weight: u32 = items.iter().map(|(_, w)| *w as u32).sum();
            if total_weight == 0 {
                let sum: u32 = items.iter().map(|(l, _)| *l as u32).sum();
                return (Some(sum as f64 / items.len() as f64), false);
            }
            let sum: u32 = items.iter().map(|(l, w)| *l as u32 * *w as u32).sum();
            (Some(sum as f64 / total_weight as f64), false)
        }
        Aggregation::WeakestLink => {
            let min = items.iter().map(|(l, _)| *l).min().unwrap_or(0);
            let plus = items.iter().any(|(l, _)| *l > min);
            (Some(min as f64), plus)
        }
    }
}

/// The arithmetic mean; `None` for no values.
pub fn mean(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, n) = values.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| sum / n as f64)
}

/// Scores an assessment. Responses are matched to indicators by code; an indicator without a
/// response counts as unanswered.
pub fn score(fw: &Framework, responses: &[Response]) -> Scores {
    let indicators: Vec<IndicatorScore> = fw
        .indicators
        .iter()
        .enumerate()
        .map(|(pos, ind)| match responses.iter().find(|r| r.indicator == ind.code) {
            Some(r) => indicator_score(pos, ind, r),
            None => indicator_score(pos, ind, &Response::new(&ind.code, Answer::Unanswered, ind.default_target)),
        })
        .collect();

    let pillars: Vec<PillarScore> = fw
        .meta
        .pillars
        .iter()
        .map(|p| {
            let mine: Vec<&IndicatorScore> = indicators.iter().filter(|i| i.pillar == p.code).collect();
            let levels: Vec<(u8, u8)> = mine.iter().filter_map(|i| i.value.map(|v| (v, i.weight))).collect();
            let targets: Vec<(u8, u8)> =
                mine.iter().filter(|i| i.value.is_some()).map(|i| (i.target, i.weight)).collect();
            let (level, plus) = aggregate(p.aggregation, &levels);
            let (target_level, _) = aggregate(p.aggregation, &targets);
            PillarScore {
                code: p.code.clone(),
                aggregation: p.aggregation,
                level,
                plus,
                score: level.map(to_score),
                target_level,
                target_score: target_level.map(to_score),
                scored: levels.len(),
                not_applicable: mine.iter().filter(|i| i.answer == Answer::NotApplicable).count(),
                unanswered: mine.iter().filter(|i| i.answer == Answer::Unanswered).count(),
                insufficient: mine.iter().filter(|i| i.insufficient).count(),
            }
        })
        .collect();

    let overall = mean(pillars.iter().filter_map(|p| p.score));
    let readiness = readiness(fw, &indicators, &pillars);
    Scores {
        insufficient: indicators.iter().filter(|i| i.insufficient).count(),
        unanswered: indicators.iter().filter(|i| i.answer == Answer::Unanswered).count(),
        indicators,
        pillars,
        overall,
        readiness,
    }
}

/// Answers needed out of `applicable` items for a share `min` (at least one).
fn needed(applicable: usize, min: f64) -> usize {
    ((applicable as f64 * min).ceil() as usize).max(1)
}

/// Ability, willingness and the verdict (see the module documentation and docs/scoring.md).
pub fn readiness(fw: &Framework, indicators: &[IndicatorScore], pillars: &[PillarScore]) -> Readiness {
    let rule = fw.meta.readiness;
    let kind = |code: &str| fw.pillar(code).map(|p| p.kind);
    let axis_of = |code: &str| fw.indicator(code).and_then(|i| i.axis);
    let applies = |i: &IndicatorScore| i.answer != Answer::NotApplicable;
    let with_level = |i: &IndicatorScore| matches!(i.answer, Answer::Level(_));
    struct Side<'a> {
        score: Option<f64>,
        items: Vec<&'a IndicatorScore>,
        answered: usize,
        insufficient: usize,
        not_applicable: usize,
    }
    // The readiness items of one axis, aggregated as their pillar is.
    let side = |axis: Axis| {
        let items: Vec<&IndicatorScore> = indicators.iter().filter(|i| axis_of(&i.code) == Some(axis)).collect();
        let method = items.first().and_then(|i| fw.pillar(&i.pillar)).map(|p| p.aggregation);
        let levels: Vec<(u8, u8)> = items.iter().filter_map(|i| i.value.map(|v| (v, i.weight))).collect();
        let score = method.and_then(|m| aggregate(m, &levels).0).map(to_score);
        Side {
            score,
            answered: items.iter().filter(|i| with_level(i)).count(),
            insufficient: items.iter().filter(|i| i.insufficient).count(),
            not_applicable: items.iter().filter(|i| !applies(i)).count(),
            items,
        }
    };
    let able = side(Axis::Ability);
    let willing = side(Axis::Willingness);

    let capability: Vec<&PillarScore> =
        pillars.iter().filter(|p| kind(&p.code) == Some(PillarKind::Capability)).collect();
    let cap_items: Vec<&IndicatorScore> =
        indicators.iter().filter(|i| kind(&i.pillar) == Some(PillarKind::Capability)).collect();
    let cap_answered = cap_items.iter().filter(|i| with_level(i)).count();
    let cap_applicable = cap_items.iter().filter(|i| applies(i)).count();
    let capability_mean = mean(capability.iter().filter_map(|p| p.score));
    let share = rule.min_answered_share;

    let ability_items = Coverage {
        answered: cap_answered + able.answered,
        applicable: cap_applicable + able.items.len(),
        needed: needed(cap_applicable, share) + needed(able.items.len(), share),
        every_part: capability.iter().all(|p| p.score.is_some())
            && able.score.is_some()
            && cap_answered >= needed(cap_applicable, share)
            && able.answered >= needed(able.items.len(), share),
        insufficient: cap_items.iter().filter(|i| i.insufficient).count() + able.insufficient,
    };
    let willingness_items = Coverage {
        answered: willing.answered,
        applicable: willing.items.len(),
        needed: needed(willing.items.len(), share),
        every_part: willing.score.is_some(),
        insufficient: willing.insufficient,
    };
    let ability = match (capability_mean, able.score) {
        (Some(c), Some(r)) if ability_items.enough() && able.not_applicable == 0 => Some(c.min(r)),
        _ => None,
    };
    let willingness = willing.score.filter(|_| willingness_items.enough() && willing.not_applicable == 0);
    let quadrant = match (ability, willingness) {
        (Some(a), Some(w)) => Some(match (a >= rule.ability_threshold, w >= rule.willingness_threshold) {
            (true, true) => Quadrant::AbleAndWilling,
            (false, true) => Quadrant::WillingNotAble,
            (true, false) => Quadrant::AbleNotWilling,
            (false, false) => Quadrant::NotYet,
        }),
        _ => None,
    };
    // The weakest items of a side (all tied ones), as what decides it.
    let weakest = |items: &[&IndicatorScore]| -> Vec<Decider> {
        let min = items.iter().filter_map(|i| i.value).min();
        items
            .iter()
            .filter(|i| i.value.is_some() && i.value == min)
            .map(|i| Decider::Item { code: i.code.clone(), level: i.value.unwrap_or(0), insufficient: i.insufficient })
            .collect()
    };
    let ability_by = match (ability, capability_mean, able.score) {
        (Some(_), Some(c), Some(r)) => {
            let mut by = Vec::new();
            if c <= r {
                by.push(Decider::Capability { score: c });
            }
            if r <= c {
                by.extend(weakest(&able.items));
            }
            by
        }
        _ => Vec::new(),
    };
    let willingness_by = if willingness.is_some() { weakest(&willing.items) } else { Vec::new() };
    let not_applicable = indicators
        .iter()
        .filter(|i| axis_of(&i.code).is_some() && i.answer == Answer::NotApplicable)
        .map(|i| i.code.clone())
        .collect();
    let stated_commitment = mean(indicators.iter().filter_map(|i| i.commitment.map(|c| c.willingness() * 100.0)));
    Readiness {
        ability,
        willingness,
        quadrant,
        ability_items,
        willingness_items,
        stated_commitment,
        not_applicable,
        ability_by,
        willingness_by,
    }
}

/// Readiness items answered "not applicable" without a reason (an empty comment): sign-off asks
/// for one (the rule beside the verdict's; the Finalise page and the session room use it).
pub fn readiness_na_without_reason(fw: &Framework, responses: &[Response]) -> Vec<String> {
    fw.indicators
        .iter()
        .filter(|i| i.axis.is_some())
        .filter_map(|i| responses.iter().find(|r| r.indicator == i.code))
        .filter(|r| r.answer == Answer::NotApplicable && r.comment.trim().is_empty())
        .map(|r| r.indicator.clone())
        .collect()
}

/// The ranking order of gaps: priority, then gap, then weight (all descending), then framework order.
pub fn gap_order(a: &IndicatorScore, b: &IndicatorScore) -> Ordering {
    b.priority.cmp(&a.priority).then(b.gap.cmp(&a.gap)).then(b.weight.cmp(&a.weight)).then(a.position.cmp(&b.position))
}

/// Every indicator below its target, most pressing first. A total order, so the ranking is stable.
pub fn ranked_gaps(scores: &Scores) -> Vec<&IndicatorScore> {
    let mut gaps: Vec<&IndicatorScore> = scores.indicators.iter().filter(|i| i.gap > 0).collect();
    gaps.sort_by(|a, b| gap_order(a, b));
    gaps
}

/// Change between two assessments of the same member (e.g. last cycle and this one).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// (pillar, change in score 0-100) when both are scored.
    pub pillars: Vec<(String, Option<f64>)>,
    /// (indicator, change in level) when both are scored.
    pub indicators: Vec<(String, Option<i32>)>,
    pub overall: Option<f64>,
    /// Gaps of the earlier assessment that are closed now.
    pub closed: Vec<String>,
    /// Gaps that are new now.
    pub opened: Vec<String>,
}

pub fn compare(before: &Scores, now: &Scores) -> Comparison {
    let pillars = now
        .pillars
        .iter()
        .map(|p| {
            let b = before.pillar_score(&p.code);
            (p.code.clone(), p.score.zip(b).map(|(n, b)| n - b))
        })
        .collect();
    let mut indicators = Vec::new();
    let mut closed = Vec::new();
    let mut opened = Vec::new();
    for i in &now.indicators {
        let b = before.indicators.iter().find(|x| x.code == i.code);
        let delta = i.value.zip(b.and_then(|b| b.value)).map(|(n, b)| n as i32 - b as i32);
        indicators.push((i.code.clone(), delta));
        if let Some(b) = b {
            if b.gap > 0 && i.value.is_some() && i.gap == 0 {
                closed.push(i.code.clone());
            }
            if b.value.is_some() && b.gap == 0 && i.gap > 0 {
                opened.push(i.code.clone());
            }
        }
    }
    Comparison { pillars, indicators, overall: now.overall.zip(before.overall).map(|(n, b)| n - b), closed, opened }
}

/// Gaps grouped by a key (intervention type or priority area).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupSummary {
    pub key: String,
    pub gaps: usize,
    pub priority: u32,
    /// Of which the administration asks for assistance (category C).
    pub requests: usize,
}

fn summarise<'a>(
    scores: &'a Scores,
    keys: impl Fn(&'a IndicatorScore) -> Vec<&'a str>,
    order: &[&str],
) -> Vec<GroupSummary> {
    let mut out: Vec<GroupSummary> =
        order.iter().map(|k| GroupSummary { key: k.to_string(), gaps: 0, priority: 0, requests: 0 }).collect();
    for i in scores.indicators.iter().filter(|i| i.gap > 0) {
        for k in keys(i) {
            if let Some(g) = out.iter_mut().find(|g| g.key == k) {
                g.gaps += 1;
                g.priority += i.priority;
                g.requests += usize::from(i.requests_assistance());
            }
        }
    }
    out
}

pub fn by_intervention(fw: &Framework, scores: &Scores) -> Vec<GroupSummary> {
    let order: Vec<&str> = fw.meta.interventions.iter().map(|i| i.code.as_str()).collect();
    summarise(scores, |i| vec![i.intervention.as_str()], &order)
}

pub fn by_priority_area(fw: &Framework, scores: &Scores) -> Vec<GroupSummary> {
    let order: Vec<&str> = fw.meta.priority_areas.iter().map(|p| p.code.as_str()).collect();
    summarise(scores, |i| i.priority_areas.iter().map(|s| s.as_str()).collect(), &order)
}

/// "2.4", or "2+" for a weakest-link pillar with higher indicators.
pub fn level_label(p: &PillarScore) -> String {
    match (p.level, p.aggregation) {
        (None, _) => "–".into(),
        (Some(l), Aggregation::WeakestLink) => format!("{}{}", l as u8, if p.plus { "+" } else { "" }),
        (Some(l), Aggregation::Average) => format!("{l:.1}"),
    }
}

/// The readiness verdict in words: the rules are here, the words in the i18n catalogue
/// (`verdict.*`, `readiness.*`).
pub mod words {
    use super::{Decider, Quadrant, Readiness};
    use crate::lang::Lang;

    /// The readiness verdict's title and explanation ("Not rated" without a verdict; its reason
    /// is [`not_rated`]).
    pub fn quadrant(lang: Lang, q: Option<Quadrant>) -> (&'static str, &'static str) {
        match q {
            None => (lang.t("verdict.none"), ""),
            Some(q) => (lang.t(&format!("verdict.{}", q.code())), lang.t(&format!("verdict.{}_help", q.code()))),
        }
    }

    /// Why the verdict is not rated: readiness items answered "not applicable", and too few
    /// answers with a level (given and needed on each side). Empty when it is rated.
    pub fn not_rated(lang: Lang, r: &Readiness) -> String {
        if r.quadrant.is_some() {
            return String::new();
        }
        let mut out = Vec::new();
        if !r.not_applicable.is_empty() {
            out.push(lang.f("readiness.not_rated_na", &[("items", &r.not_applicable.join(", "))]));
        }
        if !(r.ability_items.enough() && r.willingness_items.enough()) {
            out.push(lang.f(
                "readiness.not_rated_answers",
                &[
                    ("ability", &r.ability_items.answered),
                    ("ability_needed", &r.ability_items.needed),
                    ("willingness", &r.willingness_items.answered),
                    ("willingness_needed", &r.willingness_items.needed),
                ],
            ));
            let insufficient = r.ability_items.insufficient + r.willingness_items.insufficient;
            if insufficient > 0 {
                out.push(lang.f("readiness.not_rated_insufficient", &[("n", &insufficient)]));
            }
        }
        out.join(" ")
    }

    fn deciders(lang: Lang, by: &[Decider]) -> String {
        by.iter()
            .map(|d| match d {
                Decider::Item { code, insufficient: true, .. } => {
                    lang.f("readiness.by_item_insufficient", &[("code", code)])
                }
                Decider::Item { code, level, .. } => lang.f("readiness.by_item", &[("code", code), ("level", level)]),
                Decider::Capability { score } => {
                    lang.f("readiness.by_capability", &[("score", &format!("{score:.0}"))])
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Which answers decide the verdict, one line per side ("Ability decided by RD-05 (level
    /// 1)"); empty when not rated.
    pub fn decided_by(lang: Lang, r: &Readiness) -> Vec<String> {
        if r.quadrant.is_none() {
            return Vec::new();
        }
        vec![
            lang.f("readiness.decided_ability", &[("by", &deciders(lang, &r.ability_by))]),
            lang.f("readiness.decided_willingness", &[("by", &deciders(lang, &r.willingness_by))]),
        ]
    }
}
