//! Consolidation of the returns of a cycle: who has returned, scores by member and pillar,
//! regional and sub-regional averages, the largest regional gaps, demand for help, trends, and
//! the M&E indicators of the Strategic Plan. Only the latest revision of each member's
//! assessment counts; the history stays in the store.

use crate::assessment::{Assessment, NeedCategory};
use crate::framework::{self, Framework, Profile};
use crate::ids::FileId;
use crate::scoring::{self, Scores, mean};
use crate::store::{HeldRevision, Link, Result, Store};
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
}

/// One M&E indicator of the plan, computed from the returns and the profiles.
#[derive(Debug, Clone, PartialEq)]
pub struct MeIndicator {
    /// i18n key of its name (`me.<id>`); the method is `me.<id>_method`.
    pub id: &'static str,
    /// Key action(s) it reports on.
    pub key_actions: &'static str,
    pub baseline: Option<MeValue>,
    pub latest: MeValue,
    /// i18n key of the target, where the plan names one.
    pub target: Option<&'static str>,
    /// Whether the latest value meets the target (when there is one).
    pub met: Option<bool>,
}

#[derive(Debug, Clone, PartialEq)]
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
    pub trend: Trend,
}

impl Consolidation {
    pub fn received(&self) -> usize {
        self.members.iter().filter(|m| m.status != ReturnStatus::NotReceived).count()
    }

    pub fn not_received(&self) -> impl Iterator<Item = &MemberReturn> {
        self.members.iter().filter(|m| m.status == ReturnStatus::NotReceived)
    }
}

/// THE rule for which revision of one assessment counts, given the revisions held: revision 1
/// (or the lowest held, if a person confirmed it); then revision n+1 as long as it is held and
/// chains to revision n (its `previous_digest` is n's digest) or a person confirmed it. The
/// highest revision reached counts. The import message, the register, the dashboard and every
/// report use this rule (through [`latest_per_member`]); nothing else ranks revisions.
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

/// The revision that counts per member (with the number of revisions of the member held for
/// the cycle): of the member's assessment that is not set aside (the first received, should an
/// old database hold two), the revision [`counting_revision`] gives. Members with nothing that
/// counts are absent.
pub fn latest_per_member(held: &[HeldRevision]) -> BTreeMap<String, (HeldRevision, usize)> {
    let mut by_member: BTreeMap<&str, Vec<&HeldRevision>> = BTreeMap::new();
    for h in held {
        by_member.entry(h.member.as_str()).or_default().push(h);
    }
    let mut out = BTreeMap::new();
    for (member, revs) in by_member {
        // The first received assessment that is not set aside (held is ordered by row id).
        let Some(uuid) = revs.iter().filter(|h| !h.retired).min_by_key(|h| h.id.0).map(|h| h.uuid.as_str()) else {
            continue;
        };
        let mine: Vec<&HeldRevision> = revs.iter().copied().filter(|h| h.uuid == uuid).collect();
        let links: Vec<Link> = mine.iter().map(|h| h.link()).collect();
        if let Some(r) = counting_revision(&links)
            && let Some(h) = mine.iter().find(|h| h.revision == r)
        {
            out.insert(member.to_string(), ((*h).clone(), revs.len()));
        }
    }
    out
}

/// The revision that counts for one member and cycle, by the same rule.
pub fn counting_for(store: &Store, member: &str, cycle: i32) -> Result<Option<u32>> {
    let held: Vec<HeldRevision> =
        store.imported_revisions(Some(cycle))?.into_iter().filter(|h| h.member == member).collect();
    Ok(latest_per_member(&held).get(member).map(|(h, _)| h.revision))
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

/// Members whose administrations the plan treats as small (population under 150,000 in
/// Appendix 1a of the plan).
pub fn is_small(member: &framework::Member) -> bool {
    member.country.as_ref().and_then(|c| c.population).is_some_and(|p| p < 150_000.0)
}

fn hs_at_least_2017(v: &str) -> bool {
    v.parse::<u32>().is_ok_and(|y| y >= 2017)
}

fn has_automation(v: &str) -> bool {
    !matches!(v, "none" | "unknown" | "not_implemented" | "")
}

/// The M&E indicators computed over a set of profiles (latest known per member).
pub fn me_indicators(
    profiles: &[(&framework::Member, Profile)],
    returned: usize,
    fw: &Framework,
    scores: &[&Scores],
) -> Vec<MeIndicator> {
    let baseline: Vec<(&framework::Member, Profile)> =
        framework::members().iter().map(|m| (m, m.baseline.clone())).collect();
    let count = |set: &[(&framework::Member, Profile)], f: &dyn Fn(&Profile) -> bool| MeValue::Count {
        count: set.iter().filter(|(_, p)| f(p)).count(),
        of: set.len(),
    };
    let small_count = |set: &[(&framework::Member, Profile)]| {
        let small: Vec<_> = set.iter().filter(|(m, _)| is_small(m)).collect();
        MeValue::Count { count: small.iter().filter(|(_, p)| has_automation(&p.automation)).count(), of: small.len() }
    };
    let share = |v: &MeValue| match v {
        MeValue::Count { count, of } if *of > 0 => *count as f64 / *of as f64,
        _ => 0.0,
    };
    let mut out = Vec::new();
    let hs = count(profiles, &|p| hs_at_least_2017(&p.hs_version));
    out.push(MeIndicator {
        id: "hs2017",
        key_actions: "4.1.2",
        baseline: Some(count(&baseline, &|p| hs_at_least_2017(&p.hs_version))),
        met: Some(share(&hs) >= 0.70),
        latest: hs,
        target: Some("me.hs2017_target"),
    });
    for (id, ka, f) in [
        ("rkc", "3.1.1 5.1.1", (|p: &Profile| p.rkc == "yes") as fn(&Profile) -> bool),
        ("valuation", "4.1.3", |p: &Profile| p.wto_valuation == "yes"),
        ("risk", "2.2.2", |p: &Profile| p.risk_management == "yes"),
        ("pca", "4.2.2", |p: &Profile| p.pca == "yes"),
        ("arusha", "1.2.3", |p: &Profile| p.arusha == "yes"),
    ] {
        out.push(MeIndicator {
            id,
            key_actions: ka,
            baseline: Some(count(&baseline, &f)),
            latest: count(profiles, &f),
            target: None,
            met: None,
        });
    }
    out.push(MeIndicator {
        id: "sma_electronic",
        key_actions: "5.2.2",
        baseline: Some(small_count(&baseline)),
        latest: small_count(profiles),
        target: None,
        met: None,
    });
    out.push(MeIndicator {
        id: "cdf_returns",
        key_actions: "1.1.1",
        baseline: None,
        latest: MeValue::Count { count: returned, of: framework::members().len() },
        target: None,
        met: None,
    });
    // Mean Workforce leadership level (indicators serving 1.1.2) as "effective leadership".
    let leadership: Vec<&str> =
        fw.indicators.iter().filter(|i| i.key_actions.iter().any(|k| k == "1.1.2")).map(|i| i.code.as_str()).collect();
    let lv = mean(scores.iter().flat_map(|s| {
        s.indicators.iter().filter(|i| leadership.contains(&i.code.as_str())).filter_map(|i| i.value.map(f64::from))
    }));
    out.push(MeIndicator {
        id: "leadership",
        key_actions: "1.1.2",
        baseline: None,
        latest: MeValue::Mean(lv),
        target: None,
        met: None,
    });
    out
}

/// Consolidates one cycle from the store.
pub fn consolidate(store: &Store, cycle: i32) -> Result<Consolidation> {
    let fw = framework::current();
    let held = store.imported_revisions(Some(cycle))?;
    let latest = latest_per_member(&held);
    let conflicts = store.open_conflicts(cycle)?;
    let waiting = store.open_waiting(cycle)?;
    let mut members = Vec::new();
    for m in framework::members() {
        let mine: Vec<FileId> = conflicts.iter().filter(|(c, _)| c == &m.code).map(|(_, id)| *id).collect();
        let line = match latest.get(&m.code) {
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
            Some((h, n)) => {
                let a = store.load(h.id)?;
                let afw = framework::get(a.header.framework_version).unwrap_or(fw);
                let scores = scoring::score(afw, &a.responses);
                MemberReturn {
                    member: m.code.clone(),
                    status: if mine.is_empty() { ReturnStatus::Received } else { ReturnStatus::Conflict },
                    assessment: Some(a),
                    scores: Some(scores),
                    received_at: h.received_at.clone(),
                    revisions_held: *n,
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
                .filter_map(|s| s.indicators.iter().find(|i| i.code == ind.code))
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
                    (g.len(), g.iter().filter(|i| i.need == Some(NeedCategory::C)).count())
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
        for g in scoring::ranked_gaps(s).into_iter().filter(|g| g.need == Some(NeedCategory::C)) {
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

    // Latest profile per member: from its return this cycle, else the baseline of the plan.
    let profiles: Vec<(&framework::Member, Profile)> = framework::members()
        .iter()
        .map(|fm| {
            let p = members
                .iter()
                .find(|m| m.member == fm.code)
                .and_then(|m| m.assessment.as_ref())
                .map(|a| a.profile.clone())
                .unwrap_or_else(|| fm.baseline.clone());
            (fm, p)
        })
        .collect();
    let returned = members.iter().filter(|m| m.assessment.is_some()).count();
    let me = me_indicators(&profiles, returned, fw, &scored);
    let trend = trend(store, fw)?;
    Ok(Consolidation { cycle, members, regional, overall, subregional, gaps, demand, requests, me, trend })
}

/// Regional mean per pillar for every cycle held.
pub fn trend(store: &Store, fw: &Framework) -> Result<Trend> {
    let mut cycles = store.imported_cycles()?;
    cycles.sort_unstable();
    let all = store.imported_revisions(None)?;
    let mut per_cycle: Vec<Vec<Scores>> = Vec::new();
    for c in &cycles {
        let held: Vec<HeldRevision> = all.iter().filter(|h| h.cycle == *c).cloned().collect();
        let mut v = Vec::new();
        for (h, _) in latest_per_member(&held).values() {
            let a = store.load(h.id)?;
            v.push(scoring::score(framework::get(a.header.framework_version).unwrap_or(fw), &a.responses));
        }
        per_cycle.push(v);
    }
    let pillars = fw
        .meta
        .pillars
        .iter()
        .map(|p| {
            let series =
                per_cycle.iter().map(|scores| mean(scores.iter().filter_map(|s| s.pillar_score(&p.code)))).collect();
            (p.code.clone(), series)
        })
        .collect();
    Ok(Trend { cycles, pillars })
}
