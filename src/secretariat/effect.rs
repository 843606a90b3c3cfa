//! Did it help? (issue 24, item 5.) For each delivered intervention, from the next cycle on: the
//! level change on the indicators it addressed for the members it served, beside the change for
//! comparable members it did not serve, over the same cycles, with the number of members behind
//! each figure, and no figure over fewer than [`MIN_MEMBERS`] members.
//!
//! Comparable members: those not served who had a gap on one of the intervention's indicators in
//! the cycle it answered. A member's change is the mean, over the intervention's indicators it
//! has a level for in both cycles (the comparison: those it had a gap on), of its level in the
//! latest cycle held minus its level in the cycle answered. This is an association, not proof:
//! the members served were chosen because they asked, and much else changes between cycles.

use crate::lang::Lang;
use crate::secretariat::consolidate;
use crate::store::{Intervention, InterventionStatus, Result, Store};
use std::collections::BTreeMap;

/// No figure is given over fewer members than this.
pub const MIN_MEMBERS: usize = 3;

/// One member's level on one indicator in one cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Point {
    pub level: u8,
    /// Below its target in that cycle.
    pub gap: bool,
}

/// The levels held: member -> indicator -> cycle -> point.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Levels {
    map: BTreeMap<String, BTreeMap<String, BTreeMap<i32, Point>>>,
    cycles: Vec<i32>,
}

impl Levels {
    pub fn set(&mut self, member: &str, indicator: &str, cycle: i32, p: Point) {
        self.map.entry(member.into()).or_default().entry(indicator.into()).or_default().insert(cycle, p);
        if let Err(at) = self.cycles.binary_search(&cycle) {
            self.cycles.insert(at, cycle);
        }
    }
    pub fn get(&self, member: &str, indicator: &str, cycle: i32) -> Option<Point> {
        self.map.get(member)?.get(indicator)?.get(&cycle).copied()
    }
    /// The cycles held, oldest first.
    pub fn cycles(&self) -> &[i32] {
        &self.cycles
    }
    /// The members held.
    pub fn members(&self) -> impl Iterator<Item = &str> {
        self.map.keys().map(String::as_str)
    }
}

/// The levels of the cycles given, from each member's revision that counts (an indicator without
/// a level, not applicable or unanswered, is left out; insufficient evidence counts as 0).
pub fn levels(store: &Store, cycles: &[i32]) -> Result<Levels> {
    let mut out = Levels::default();
    for &cycle in cycles {
        let c = consolidate::consolidate_without_trend(store, cycle)?;
        for m in &c.members {
            let Some(s) = &m.scores else { continue };
            for i in &s.indicators {
                if let Some(level) = i.value {
                    out.set(&m.member, &i.code, cycle, Point { level, gap: i.gap > 0 });
                }
            }
        }
    }
    Ok(out)
}

/// One side of the comparison.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Side {
    /// Members behind the figure.
    pub members: usize,
    /// Mean level change per member; None under [`MIN_MEMBERS`].
    pub change: Option<f64>,
}

/// The effect of one delivered intervention.
#[derive(Debug, Clone, PartialEq)]
pub struct Effect {
    /// The cycle it answered, and the latest cycle held after it.
    pub from: i32,
    pub to: i32,
    pub served: Side,
    pub comparison: Side,
    /// Served minus comparison, when both have a figure.
    pub difference: Option<f64>,
}

fn side(changes: Vec<f64>) -> Side {
    let members = changes.len();
    let change = (members >= MIN_MEMBERS).then(|| changes.iter().sum::<f64>() / members as f64);
    Side { members, change }
}

/// The effect of an intervention: None unless it was delivered, answers a cycle, and a later
/// cycle is held.
pub fn effect(i: &Intervention, levels: &Levels) -> Option<Effect> {
    if i.status != InterventionStatus::Delivered || i.retired {
        return None;
    }
    let from = i.cycle?;
    let to = levels.cycles().iter().copied().filter(|c| *c > from).max()?;
    let change = |member: &str, gap_only: bool| -> Option<f64> {
        let d: Vec<f64> = i
            .indicators
            .iter()
            .filter_map(|ind| {
                let a = levels.get(member, ind, from)?;
                let b = levels.get(member, ind, to)?;
                (!gap_only || a.gap).then_some(f64::from(b.level) - f64::from(a.level))
            })
            .collect();
        (!d.is_empty()).then(|| d.iter().sum::<f64>() / d.len() as f64)
    };
    let served: Vec<f64> = i.members.iter().filter_map(|m| change(m, false)).collect();
    let others: Vec<f64> =
        levels.members().filter(|m| !i.members.iter().any(|s| s == m)).filter_map(|m| change(m, true)).collect();
    let (served, comparison) = (side(served), side(others));
    let difference = served.change.zip(comparison.change).map(|(a, b)| a - b);
    Some(Effect { from, to, served, comparison, difference })
}

/// The effects of the delivered interventions held, by id, from the store. Only the cycles the
/// figures read are consolidated: each one answered, and the latest held.
pub fn effects(store: &Store, interventions: &[Intervention]) -> Result<BTreeMap<i64, Effect>> {
    let Some(last) = store.imported_cycles()?.into_iter().max() else { return Ok(BTreeMap::new()) };
    let mut wanted: Vec<i32> = interventions
        .iter()
        .filter(|i| i.status == InterventionStatus::Delivered && !i.retired)
        .filter_map(|i| i.cycle)
        .filter(|c| *c < last)
        .collect();
    if wanted.is_empty() {
        return Ok(BTreeMap::new());
    }
    wanted.push(last);
    wanted.sort();
    wanted.dedup();
    let levels = levels(store, &wanted)?;
    Ok(interventions.iter().filter_map(|i| Some((i.id?, effect(i, &levels)?))).collect())
}

impl Effect {
    /// Did it help, in words: each side's figure and the members behind it.
    pub fn words(&self, t: Lang) -> String {
        let side = |s: &Side| match s.change {
            Some(c) => t.f("programme.effect_side", &[("change", &t.decimal(&format!("{c:+.1}"))), ("n", &s.members)]),
            None => t.f("programme.effect_too_few", &[("n", &s.members), ("min", &MIN_MEMBERS)]),
        };
        let difference = match self.difference {
            Some(d) => t.f("programme.effect_difference", &[("d", &t.decimal(&format!("{d:+.1}")))]),
            None => String::new(),
        };
        t.f(
            "programme.effect",
            &[
                ("from", &self.from),
                ("to", &self.to),
                ("served", &side(&self.served)),
                ("others", &side(&self.comparison)),
                ("difference", &difference),
            ],
        )
    }
}

/// A delivered intervention and its effect, for the regional report and workbook.
#[derive(Debug, Clone, PartialEq)]
pub struct EffectLine {
    pub title: String,
    pub indicators: Vec<String>,
    pub effect: Effect,
}

/// A consolidation with [`summary`] filled in, for the regional report and workbook (the window's
/// and the command line's).
pub fn with_effects(store: &Store, c: &consolidate::Consolidation) -> Result<consolidate::Consolidation> {
    Ok(consolidate::Consolidation { effects: summary(store)?, ..c.clone() })
}

/// The effect of every delivered intervention that has one, in the programme's order.
pub fn summary(store: &Store) -> Result<Vec<EffectLine>> {
    let list = store.interventions()?;
    let effects = effects(store, &list)?;
    Ok(list
        .into_iter()
        .filter_map(|i| {
            let effect = effects.get(&i.id?)?.clone();
            Some(EffectLine { title: i.title, indicators: i.indicators, effect })
        })
        .collect())
}
