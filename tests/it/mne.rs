//! The plan's M&E indicators: every one present (measured or said not to be), each measure
//! recomputed independently, the latest-known-return rule, the HS 2017 target, and returns of
//! the earlier content revision.

use crate::exchange::{finalised, key};
use cdf_assess::assessment::{Answer, Response};
use cdf_assess::exchange::{self, export};
use cdf_assess::framework::{self, MeBasis, MeKind, MeMeasure, Member, Profile};
use cdf_assess::scoring::{self, Scores};
use cdf_assess::secretariat::consolidate::{self, MeInput, MeValue};
use cdf_assess::secretariat::import::import_bytes;
use cdf_assess::store::Store;
use std::collections::BTreeSet;

/// A profile field by name, read through serde (not through the code under test).
#[cfg(feature = "demo")]
fn field(p: &Profile, name: &str) -> String {
    serde_json::to_value(p).unwrap()[name].as_str().unwrap().to_string()
}

/// The independent computation of one measure of a state (not of change).
#[cfg(feature = "demo")]
fn expected(ms: &MeMeasure, inputs: &[(&Member, Profile, Option<Scores>)]) -> MeValue {
    let fw = framework::current();
    let inputs: Vec<&(&Member, Profile, Option<Scores>)> =
        inputs.iter().filter(|i| !ms.small_administrations || i.0.small_administration).collect();
    match &ms.basis {
        MeBasis::Overall => unreachable!("the overall score is measured as change only"),
        MeBasis::Returns => MeValue::Count { count: inputs.iter().filter(|i| i.2.is_some()).count(), of: 23 },
        MeBasis::Profile { field: f, values } => {
            let mut count = 0;
            for (_, p, _) in inputs.iter().copied() {
                let v = field(p, f);
                let hit = values.iter().any(|want| {
                    if let Some(y) = want.strip_prefix("hs>=") {
                        matches!(v.parse::<u32>(), Ok(year) if year >= y.parse::<u32>().unwrap())
                    } else {
                        &v == want
                    }
                });
                if hit {
                    count += 1;
                }
            }
            MeValue::Count { count, of: inputs.len() }
        }
        MeBasis::SmallAdministrationsAutomated => {
            let small: Vec<_> = inputs.iter().filter(|i| i.0.small_administration).collect();
            let automated =
                small.iter().filter(|i| !["none", "unknown", "not_implemented", ""].contains(&i.1.automation.as_str()));
            MeValue::Count { count: automated.count(), of: small.len() }
        }
        MeBasis::Indicators { indicators } => {
            let (mut count, mut of) = (0, 0);
            for s in inputs.iter().filter_map(|i| i.2.as_ref()) {
                let mut answered = 0;
                let mut all_met = true;
                for code in indicators {
                    let target = ms.at_least.unwrap_or(fw.indicator(code).unwrap().default_target);
                    if let Some(v) = s.indicators.iter().find(|i| &i.code == code).and_then(|i| i.value) {
                        answered += 1;
                        all_met &= v >= target;
                    }
                }
                if answered > 0 {
                    of += 1;
                    if all_met {
                        count += 1;
                    }
                }
            }
            MeValue::Count { count, of }
        }
    }
}

/// The independent computation of a change measure: (member's first cycle, first scores, latest
/// scores) for the members with an earlier return; gives (improved of comparable, first cycles).
fn expected_change(ms: &MeMeasure, pairs: &[(&Member, i32, Scores, Scores)]) -> (MeValue, Option<(i32, i32)>) {
    let (mut count, mut of, mut cycles) = (0, 0, Vec::new());
    for (m, cycle, first, now) in pairs {
        if ms.small_administrations && !m.small_administration {
            continue;
        }
        let (was, is): (f64, f64) = match &ms.basis {
            MeBasis::Overall => match (first.overall, now.overall) {
                (Some(a), Some(b)) => (a, b),
                _ => continue,
            },
            MeBasis::Indicators { indicators } => {
                let (mut a, mut b, mut n) = (0.0, 0.0, 0);
                for code in indicators {
                    let f = first.indicators.iter().find(|i| &i.code == code).and_then(|i| i.value);
                    let l = now.indicators.iter().find(|i| &i.code == code).and_then(|i| i.value);
                    if let (Some(f), Some(l)) = (f, l) {
                        a += f as f64;
                        b += l as f64;
                        n += 1;
                    }
                }
                if n == 0 {
                    continue;
                }
                (a, b)
            }
            other => panic!("{other:?} is not measured as change"),
        };
        of += 1;
        if is > was {
            count += 1;
        }
        cycles.push(*cycle);
    }
    let range = cycles.iter().min().copied().zip(cycles.iter().max().copied());
    (MeValue::Count { count, of }, range)
}

fn inputs_of<'a>(list: &'a [(&'a Member, Profile, Option<Scores>)]) -> Vec<MeInput<'a>> {
    list.iter()
        .map(|(m, p, s)| MeInput { member: m, profile: p.clone(), scores: s.clone(), carried_from: None, first: None })
        .collect()
}

#[test]
fn all_27_indicators_of_the_plan_are_listed_measured_or_not() {
    let fw = framework::current();
    let distinct: BTreeSet<&str> = fw.meta.key_actions.iter().map(|k| k.me_indicator.en.as_str()).collect();
    assert_eq!(distinct.len(), 27, "the plan's M&E table names 27 distinct indicators");
    let baseline: Vec<(&Member, Profile, Option<Scores>)> =
        framework::members().iter().map(|m| (m, m.baseline.clone(), None)).collect();
    let me = consolidate::me_indicators(fw, &inputs_of(&baseline));
    let listed: BTreeSet<&str> = me.iter().map(|m| m.name.en.as_str()).collect();
    assert_eq!(listed, distinct, "every indicator of the plan has a line");
    let not_measurable: Vec<&str> = me.iter().filter(|m| m.kind.is_none()).map(|m| m.indicator.as_str()).collect();
    assert_eq!(not_measurable, ["policy_reports", "ptf"]);
    for m in &me {
        match m.kind {
            None => assert!(m.latest.is_none() && m.why.is_some(), "{}", m.id),
            Some(_) => assert!(m.latest.is_some() && !m.method.en.is_empty(), "{}", m.id),
        }
    }
    let measured: BTreeSet<&str> = me.iter().filter(|m| m.kind.is_some()).map(|m| m.indicator.as_str()).collect();
    assert_eq!(measured.len(), 25);
    // Issue 21: education (WF-10) and border coordination (RD-07, national) are indirect now; the
    // small administrations' systems are measured directly by DC-01 at 2 or more.
    let direct: BTreeSet<&str> =
        me.iter().filter(|m| m.kind == Some(MeKind::Direct)).map(|m| m.indicator.as_str()).collect();
    assert_eq!(direct.len(), 11, "{direct:?}");
    for id in ["education", "border_coordination", "plan_objectives", "reform_progress"] {
        assert!(!direct.contains(id), "{id} is not measured directly");
    }
    // The seven indicators the plan phrases as change are measured as change, and only they.
    let change: BTreeSet<&str> =
        fw.meta.me_indicators.iter().filter(|d| d.measures.iter().any(|m| m.change)).map(|d| d.id.as_str()).collect();
    let phrased: BTreeSet<&str> = fw
        .meta
        .me_indicators
        .iter()
        .filter(|d| {
            let n = d.name.en.to_lowercase();
            ["increased", "enhanced", "strengthened", "improved", "progress", "better"].iter().any(|w| n.contains(w))
        })
        .map(|d| d.id.as_str())
        .collect();
    assert_eq!(phrased.len(), 7, "{phrased:?}");
    assert_eq!(change, phrased);
    // No method text left garbled (a clause spliced into the sentence), in either language.
    for ms in fw.meta.me_indicators.iter().flat_map(|d| &d.measures) {
        for t in [&ms.method.en, &ms.method.fr] {
            assert!(!t.contains(") ;") && !t.contains("); "), "{}: {t}", ms.id);
        }
        assert_ne!(ms.method.en, ms.method.fr);
    }
    // The TFA measure claims key action 3.3.1 (single window): it counts DC-04.
    let tfa = fw.meta.me_indicators.iter().find(|d| d.id == "tfa").unwrap();
    assert!(tfa.key_actions.contains(&"3.3.1".to_string()));
    assert!(
        matches!(&tfa.measures[0].basis, MeBasis::Indicators { indicators } if indicators.contains(&"DC-04".to_string()))
    );
    // The three indicators the plan leaves blank are marked as added by the framework.
    let added: BTreeSet<&str> = me.iter().filter(|m| m.added_by_framework).map(|m| m.indicator.as_str()).collect();
    assert_eq!(added, ["border_coordination", "professional", "tfa"].into_iter().collect());
    assert!(me.iter().find(|m| m.id == "tfa").unwrap().name_text(cdf_assess::lang::Lang::En).contains("added by"));
}

#[test]
fn effective_leadership_counts_wf02_and_not_gender() {
    let fw = framework::current();
    let leadership = fw.meta.me_indicators.iter().find(|d| d.id == "leadership").unwrap();
    for ms in &leadership.measures {
        if let MeBasis::Indicators { indicators } = &ms.basis {
            assert!(!indicators.contains(&"WF-11".to_string()), "WF-11 (gender) is not leadership");
        }
    }
    // By hand: FJ WF-02 at 3 and WF-11 at 0 counts; TO WF-02 at 2 and WF-11 at 4 does not.
    let score = |levels: &[(&str, u8)]| {
        let r: Vec<Response> = levels.iter().map(|(c, l)| Response::new(c, Answer::Level(*l), 3)).collect();
        Some(scoring::score(fw, &r))
    };
    let list: Vec<(&Member, Profile, Option<Scores>)> = framework::members()
        .iter()
        .map(|m| {
            let s = match m.code.as_str() {
                "FJ" => score(&[("WF-02", 3), ("WF-11", 0)]),
                "TO" => score(&[("WF-02", 2), ("WF-11", 4)]),
                "WS" => score(&[("WF-11", 4)]),
                _ => None,
            };
            (m, m.baseline.clone(), s)
        })
        .collect();
    let me = consolidate::me_indicators(fw, &inputs_of(&list));
    let l = me.iter().find(|m| m.id == "leadership").unwrap();
    assert_eq!(l.latest, Some(MeValue::Count { count: 1, of: 2 }), "WS did not answer WF-02: not in the base");
    let cdf = me.iter().find(|m| m.id == "cdf_returns").unwrap();
    assert_eq!(cdf.latest, Some(MeValue::Count { count: 3, of: 23 }));
}

#[test]
fn hs2017_target_flips_when_enough_members_report_hs2017() {
    let fw = framework::current();
    // Baseline: AU, FJ, NZ, PG, VU (5 of 23). 16 of 23 is 69.6%, 17 is 73.9%.
    let with = |extra: usize| {
        let mut n = 0;
        let list: Vec<(&Member, Profile, Option<Scores>)> = framework::members()
            .iter()
            .map(|m| {
                let mut p = m.baseline.clone();
                if p.hs_version != "2017" && n < extra {
                    p.hs_version = if n % 2 == 0 { "2017".into() } else { "2022".into() };
                    n += 1;
                }
                (m, p, None)
            })
            .collect();
        consolidate::me_indicators(fw, &inputs_of(&list))
    };
    let at = |me: &[consolidate::MeIndicator], id: &str| me.iter().find(|m| m.id == id).unwrap().clone();
    let below = with(11);
    let hs = at(&below, "hs2017");
    assert_eq!((hs.latest, hs.met), (Some(MeValue::Count { count: 16, of: 23 }), Some(false)));
    assert_eq!(hs.baseline, Some(MeValue::Count { count: 5, of: 23 }));
    // The current edition (HS 2022) is counted on its own line: 5 of the 11 new ones.
    assert_eq!(at(&below, "hs_current").latest, Some(MeValue::Count { count: 5, of: 23 }));
    let above = with(12);
    let hs = at(&above, "hs2017");
    assert_eq!((hs.latest, hs.met), (Some(MeValue::Count { count: 17, of: 23 }), Some(true)));
}

#[test]
fn the_small_administration_rule_is_a_registry_flag_not_a_population_threshold_in_code() {
    let fw = framework::current();
    let mut members: Vec<Member> = framework::members().to_vec();
    let registry: Vec<(&Member, Profile, Option<Scores>)> =
        framework::members().iter().map(|m| (m, m.baseline.clone(), None)).collect();
    let before = consolidate::me_indicators(fw, &inputs_of(&registry));
    let before = before.iter().find(|m| m.id == "sma_electronic").unwrap().latest.unwrap();
    // The Secretariat changes the list: Fiji (ASYCUDA World) counted as small, American Samoa
    // (no system) not.
    for m in &mut members {
        match m.code.as_str() {
            "FJ" => m.small_administration = true,
            "AS" => m.small_administration = false,
            _ => {}
        }
    }
    let list: Vec<(&Member, Profile, Option<Scores>)> = members.iter().map(|m| (m, m.baseline.clone(), None)).collect();
    let me = consolidate::me_indicators(fw, &inputs_of(&list));
    let sma = me.iter().find(|m| m.id == "sma_electronic").unwrap();
    let flagged: Vec<&Member> = members.iter().filter(|m| m.small_administration).collect();
    let automated = flagged
        .iter()
        .filter(|m| !["none", "unknown", "not_implemented"].contains(&m.baseline.automation.as_str()))
        .count();
    assert_eq!(sma.latest, Some(MeValue::Count { count: automated, of: flagged.len() }));
    let MeValue::Count { count, of } = before else { panic!("a count") };
    assert_eq!((automated, flagged.len()), (count + 1, of), "one more automated, as many small");
}

#[cfg(feature = "demo")]
#[test]
fn every_measure_matches_an_independent_computation_with_the_latest_known_return() {
    // Two cycles of demo returns; 2026 imported for all members but the first four, which keep
    // only their 2025 return; the fifth member has no return at all.
    let files = cdf_assess::demo::generate(5, 2026, 2, 2);
    let codes: Vec<&str> = framework::members().iter().map(|m| m.code.as_str()).collect();
    let (carried, absent) = (&codes[..4], codes[4]);
    let mut store = Store::open_in_memory().unwrap();
    let mut latest: std::collections::BTreeMap<(String, i32), &cdf_assess::demo::DemoFile> = Default::default();
    for f in &files {
        if f.member == absent || (f.cycle == 2026 && carried.contains(&f.member.as_str())) {
            continue;
        }
        import_bytes(&mut store, &f.file_name, &f.bytes, &[]).unwrap();
        let e = latest.entry((f.member.clone(), f.cycle)).or_insert(f);
        if f.revision > e.revision {
            *e = f;
        }
    }
    let c = consolidate::consolidate(&store, 2026).unwrap();
    let fw = framework::current();
    // Independently: per member, this cycle's highest revision, else 2025's, else the baseline.
    let mut n_carried = 0;
    let list: Vec<(&Member, Profile, Option<Scores>)> = framework::members()
        .iter()
        .map(|m| {
            let f = latest.get(&(m.code.clone(), 2026)).or_else(|| {
                let f = latest.get(&(m.code.clone(), 2025));
                n_carried += usize::from(f.is_some());
                f
            });
            match f {
                Some(f) => {
                    let body = exchange::read(&f.bytes, &[]).unwrap().body;
                    let (profile, responses) = body.to_assessment_parts();
                    (m, profile, Some(scoring::score(fw, &responses)))
                }
                None => (m, m.baseline.clone(), None),
            }
        })
        .collect();
    assert_eq!(n_carried, 4);
    // Baselines, independently: each member's first return (2025) where its latest is later
    // (2026); the carried members' latest is their 2025 return, so they have none.
    let pairs: Vec<(&Member, i32, Scores, Scores)> = framework::members()
        .iter()
        .zip(&list)
        .filter(|(m, _)| latest.contains_key(&(m.code.clone(), 2026)))
        .filter_map(|(m, (_, _, now))| {
            let f = latest.get(&(m.code.clone(), 2025))?;
            let (_, responses) = exchange::read(&f.bytes, &[]).unwrap().body.to_assessment_parts();
            Some((m, 2025, scoring::score(fw, &responses), now.clone().unwrap()))
        })
        .collect();
    assert_eq!(pairs.len(), 23 - 5);
    let plan_baseline: Vec<(&Member, Profile, Option<Scores>)> =
        framework::members().iter().map(|m| (m, m.baseline.clone(), None)).collect();
    let (mut checked, mut changes) = (0, 0);
    for line in c.me.iter().filter(|m| m.kind.is_some()) {
        let ms = fw.meta.me_indicators.iter().flat_map(|d| &d.measures).find(|m| m.id == line.id).unwrap();
        if ms.change {
            let (value, cycles) = expected_change(ms, &pairs);
            assert_eq!((line.latest, line.baseline_cycles), (Some(value), cycles), "{}", line.id);
            assert_eq!(cycles, Some((2025, 2025)), "{}", line.id);
            assert_eq!(line.baseline_text(), "2025");
            assert!(line.change && line.baseline.is_none());
            changes += 1;
        } else {
            assert_eq!(line.latest, Some(expected(ms, &list)), "{}", line.id);
            let from_profiles = matches!(ms.basis, MeBasis::Profile { .. } | MeBasis::SmallAdministrationsAutomated);
            let baseline = from_profiles.then(|| expected(ms, &plan_baseline));
            assert_eq!(line.baseline, baseline, "{}", line.id);
            assert_eq!(line.baseline_cycles, None);
        }
        assert_eq!(line.carried, 4, "{}", line.id);
        checked += 1;
    }
    assert_eq!(changes, 7);
    let notes = consolidate::me_notes(&c.me, cdf_assess::lang::Lang::En);
    assert!(notes.iter().any(|n| n.contains("first cycles held: 2025")), "{notes:?}");
    assert_eq!(checked, fw.meta.me_indicators.iter().map(|d| d.measures.len()).sum::<usize>());
    // The fallback itself: the carried members' inputs are their 2025 returns.
    let inputs = consolidate::me_inputs(&store, 2026, &c.members).unwrap();
    for (i, code) in codes.iter().enumerate() {
        let input = inputs.iter().find(|x| &x.member.code == code).unwrap();
        if i < 4 {
            assert_eq!(input.carried_from, Some(2025), "{code}");
            assert_eq!(input.profile, list[i].1, "{code}: its 2025 profile, not the baseline");
        } else if *code == absent {
            assert_eq!((input.carried_from, input.scores.is_none()), (None, true));
            assert_eq!(input.profile, framework::member(code).unwrap().baseline);
        }
    }
}

/// A return written before content revision 2 (no `framework_revision`, no LP-13 or WF-12) still
/// verifies, imports and scores; the new indicators count as unanswered. A current return that
/// leaves them out is refused.
#[test]
fn returns_of_the_earlier_revision_still_import_and_score() {
    let fw = framework::current();
    assert_eq!(fw.meta.version, 1);
    assert!(fw.meta.revision >= 2);
    let added: Vec<&str> = fw.indicators.iter().filter(|i| i.since > 1).map(|i| i.code.as_str()).collect();
    assert_eq!(added, ["WF-12", "LP-13"]);
    let mut admin = Store::open_in_memory().unwrap();
    let id = finalised(&mut admin, "FJ", 2026);
    let e = export::export(&admin.revision_chain(id).unwrap(), None, &key()).unwrap();
    let mut body = exchange::read(&e.bytes, &[]).unwrap().body;
    assert_eq!(body.framework_revision, Some(fw.meta.revision));
    assert_eq!(body.responses.len(), fw.indicators.len());

    // As revision 1 wrote it.
    body.framework_revision = None;
    body.responses.retain(|r| !added.contains(&r.indicator.as_str()));
    assert_eq!(body.responses.len(), fw.indicators.len() - 2);
    let old = exchange::write(body.clone(), &key());
    assert!(!String::from_utf8_lossy(&old).contains("framework_revision"));
    let read = exchange::read(&old, &[]).expect("an earlier-revision return is read");
    let mut sec = Store::open_in_memory().unwrap();
    import_bytes(&mut sec, "FJ_2026_r1.ocoreturn", &old, &[]).unwrap();
    let c = consolidate::consolidate(&sec, 2026).unwrap();
    let fj = c.members.iter().find(|m| m.member == "FJ").unwrap();
    let s = fj.scores.as_ref().expect("scored");
    for code in &added {
        let i = s.indicators.iter().find(|i| &i.code == code).unwrap();
        assert_eq!((i.answer, i.value), (Answer::Unanswered, None), "{code}");
    }
    let (_, responses) = read.body.to_assessment_parts();
    assert_eq!(s, &scoring::score(fw, &responses));

    // Claiming revision 2 without the new indicators is a missing indicator.
    body.framework_revision = Some(2);
    let bad = exchange::write(body, &key());
    let err = exchange::read(&bad, &[]).unwrap_err();
    assert!(format!("{err:?}").contains("WF-12"), "{err:?}");
}

/// Change against each member's first cycle, by hand: Fiji rose on WF-09 (1 -> 3), Tonga stayed
/// (3 -> 3), Samoa fell (2 -> 1), New Zealand has no earlier return: 1 of 3 improved, first
/// cycles 2024 (Tonga) to 2025. The overall score counts the same way for reform progress.
#[test]
fn change_is_counted_against_each_members_first_cycle() {
    let fw = framework::current();
    let score = |levels: &[(&str, u8)]| {
        let r: Vec<Response> = levels.iter().map(|(c, l)| Response::new(c, Answer::Level(*l), 3)).collect();
        scoring::score(fw, &r)
    };
    let inputs: Vec<MeInput> = framework::members()
        .iter()
        .map(|m| {
            let (now, first) = match m.code.as_str() {
                "FJ" => (Some(score(&[("WF-09", 3)])), Some((2025, score(&[("WF-09", 1)])))),
                "TO" => (Some(score(&[("WF-09", 3)])), Some((2024, score(&[("WF-09", 3)])))),
                "WS" => (Some(score(&[("WF-09", 1)])), Some((2025, score(&[("WF-09", 2)])))),
                "NZ" => (Some(score(&[("WF-09", 4)])), None),
                _ => (None, None),
            };
            MeInput { member: m, profile: m.baseline.clone(), scores: now, carried_from: None, first }
        })
        .collect();
    let me = consolidate::me_indicators(fw, &inputs);
    let integrity = me.iter().find(|m| m.id == "integrity").unwrap();
    assert_eq!(integrity.latest, Some(MeValue::Count { count: 1, of: 3 }));
    assert_eq!((integrity.baseline_cycles, integrity.baseline_text()), (Some((2024, 2025)), "2024–2025".to_string()));
    // Overall: Fiji's overall rose with WF-09, Tonga's did not, Samoa's fell.
    let reform = me.iter().find(|m| m.id == "reform_progress").unwrap();
    assert_eq!(reform.latest, Some(MeValue::Count { count: 1, of: 3 }));
    // An indicator none of them answered twice: nobody to compare.
    let analytical = me.iter().find(|m| m.id == "analytical").unwrap();
    assert_eq!((analytical.latest, analytical.baseline_text()), (Some(MeValue::Count { count: 0, of: 0 }), "–".into()));
}

/// The Secretariat's own targets (issue 24, item 7): kept per line and year, shown beside the
/// baseline and latest, met or not met, in the table, the workbook's CSV twin and the PDF.
#[cfg(feature = "demo")]
#[test]
fn the_secretariats_targets_say_met_or_not_met() {
    use cdf_assess::lang::Lang;
    use cdf_assess::report::regional_files::{Format, files};
    use consolidate::{TargetKind, parse_target};

    let mut store = Store::open_in_memory().unwrap();
    for f in cdf_assess::demo::generate(7, 2026, 2, 1) {
        import_bytes(&mut store, &f.file_name, &f.bytes, &[]).unwrap();
    }
    let before = consolidate::consolidate_without_trend(&store, 2026).unwrap();
    let count = before.me.iter().find(|m| m.target_kind() == Some(TargetKind::Share)).unwrap().clone();
    let share = count.latest.unwrap().share().unwrap();
    let other = before
        .me
        .iter()
        .filter(|m| m.target_kind() == Some(TargetKind::Share) && m.id != count.id)
        .find(|m| m.latest.unwrap().share().unwrap() < 0.99)
        .unwrap()
        .clone();
    let mean = before.me.iter().find(|m| m.target_kind() == Some(TargetKind::Level));
    assert!(before.me.iter().all(|m| m.set_target.is_none()));

    store.set_me_target(&count.id, 2026, Some(share)).unwrap();
    store.set_me_target(&other.id, 2026, Some(1.0)).unwrap();
    store.set_me_target(&other.id, 2025, Some(0.0)).unwrap();
    if let Some(m) = mean {
        store.set_me_target(&m.id, 2026, Some(4.0)).unwrap();
    }
    assert_eq!(store.me_targets(2026).unwrap().len(), 2 + usize::from(mean.is_some()));
    let c = consolidate::consolidate_without_trend(&store, 2026).unwrap();
    let line = |id: &str| c.me.iter().find(|m| m.id == id).unwrap();
    assert_eq!((line(&count.id).set_target, line(&count.id).met), (Some(share), Some(true)));
    assert_eq!((line(&other.id).set_target, line(&other.id).met), (Some(1.0), Some(false)), "the year's target");
    assert_eq!(line(&other.id).target_text(Lang::En).unwrap(), "At least 100% of members (set by the Secretariat)");
    assert!(line(&other.id).target_text(Lang::Fr).unwrap().contains("fixée par le Secrétariat"));
    if let Some(m) = mean {
        let l = line(&m.id);
        assert_eq!(l.met, Some(l.latest.unwrap() == MeValue::Mean(Some(4.0))));
        assert_eq!(l.target_text(Lang::Fr).unwrap(), "Au moins 4,0 (fixée par le Secrétariat)");
    }
    // The baseline and latest are unchanged; the other lines keep the plan's target.
    for (a, b) in before.me.iter().zip(&c.me) {
        assert_eq!((a.baseline, a.latest), (b.baseline, b.latest));
        if a.id != count.id && a.id != other.id && mean.is_none_or(|m| m.id != a.id) {
            assert_eq!(a, b);
        }
    }
    // The reports carry them.
    let csv = files(&c, Lang::En, Format::Csv, std::path::Path::new("/nowhere/r.csv")).unwrap();
    let me = String::from_utf8(csv.iter().find(|(p, _)| p.ends_with("r_me.csv")).unwrap().1.clone()).unwrap();
    assert!(me.contains("At least 100% of members (set by the Secretariat)"), "{me}");
    let pdf = files(&c, Lang::En, Format::Pdf, std::path::Path::new("/nowhere/r.pdf")).unwrap();
    let text = crate::pdf::pdf_text(&pdf[0].1);
    assert!(text.contains("set by the Secretariat"));
    // Removed: the plan's again.
    store.set_me_target(&count.id, 2026, None).unwrap();
    let c = consolidate::consolidate_without_trend(&store, 2026).unwrap();
    assert_eq!(c.me.iter().find(|m| m.id == count.id).unwrap(), &count);
    // As typed.
    assert_eq!(parse_target(TargetKind::Share, " 60 % "), Ok(Some(0.6)));
    assert_eq!(parse_target(TargetKind::Level, "2,5"), Ok(Some(2.5)));
    assert_eq!(parse_target(TargetKind::Share, ""), Ok(None));
    assert_eq!(parse_target(TargetKind::Share, "120"), Err("me.target_invalid"));
    assert_eq!(parse_target(TargetKind::Level, "5"), Err("me.target_invalid"));
    assert_eq!(parse_target(TargetKind::Level, "abc"), Err("me.target_invalid"));
}

/// The monitoring page: a target typed on a line is kept for the cycle's year and said met or not.
#[cfg(feature = "demo")]
#[test]
fn a_target_typed_on_the_monitoring_page_is_kept() {
    use crate::ui::{app_over, harness, setup};
    use cdf_assess::app::Role;
    use cdf_assess::lang::Lang;
    use egui_kittest::kittest::Queryable;

    let mut store = Store::open_in_memory().unwrap();
    for f in cdf_assess::demo::generate(7, 2026, 1, 1) {
        import_bytes(&mut store, &f.file_name, &f.bytes, &[]).unwrap();
    }
    let mut h = harness(app_over(Ok(store)));
    setup(h.state_mut(), Role::Secretariat, None);
    h.run();
    h.get_by_label("M&E indicators").click();
    h.run();
    let c = h.state().snapshot().sec.consolidation.clone().unwrap();
    let line = c.me.iter().find(|m| m.target_kind() == Some(consolidate::TargetKind::Share)).unwrap().clone();
    let first = c.me.iter().position(|m| m.target_kind().is_some()).unwrap();
    assert_eq!(c.me[first].id, line.id, "the first line with a target field");
    // Lines of one indicator share its name: the first field is the first line's.
    let field = format!("Target: {}", line.name.get(Lang::En));
    h.get_all_by_label(&field).next().unwrap().scroll_to_me();
    h.run();
    h.get_all_by_label(&field).next().unwrap().click();
    h.run();
    h.get_all_by_label(&field).next().unwrap().type_text("100");
    h.run();
    h.get_all_by_label("Set target").next().unwrap().scroll_to_me();
    h.run();
    h.get_all_by_label("Set target").next().unwrap().click();
    for _ in 0..4 {
        h.run();
    }
    let c = h.state().snapshot().sec.consolidation.clone().unwrap();
    let now = c.me.iter().find(|m| m.id == line.id).unwrap();
    assert_eq!(now.set_target, Some(1.0));
    assert_eq!(now.met, Some(now.latest.unwrap().share() == Some(1.0)));
    h.get_all_by_label("At least 100% of members (set by the Secretariat)").next().unwrap();
}

/// The Secretariat's own records (issue 24, item 6): 3.4.1 and 4.1.1, which no return measures,
/// are computed once recorded, and the table says they come from the Secretariat's records.
#[cfg(feature = "demo")]
#[test]
fn the_secretariats_records_measure_what_the_returns_cannot() {
    use cdf_assess::lang::Lang;
    let mut store = Store::open_in_memory().unwrap();
    for f in cdf_assess::demo::generate(7, 2026, 1, 1) {
        import_bytes(&mut store, &f.file_name, &f.bytes, &[]).unwrap();
    }
    let before = consolidate::consolidate_without_trend(&store, 2026).unwrap();
    let unmeasured: Vec<&str> = before.me.iter().filter(|m| m.latest.is_none()).map(|m| m.indicator.as_str()).collect();
    assert_eq!(unmeasured, consolidate::RECORDED.to_vec(), "only 3.4.1 and 4.1.1 are not measured by the returns");
    for (m, y) in [("FJ", 2025), ("TO", 2026), ("WS", 2026), ("FJ", 2026)] {
        store.record_me("policy_reports", y, m, "Review of the Customs Act submitted").unwrap();
    }
    store.record_me("ptf", 2026, "PG", "").unwrap();
    store.record_me("ptf", 2027, "VU", "").unwrap();
    let c = consolidate::consolidate_without_trend(&store, 2026).unwrap();
    assert_eq!(c.me.len(), before.me.len());
    assert!(c.me.iter().all(|m| m.latest.is_some()), "every line computed");
    let line = |id: &str| c.me.iter().find(|m| m.indicator == id).unwrap();
    assert_eq!(line("policy_reports").latest, Some(MeValue::Count { count: 3, of: 23 }));
    assert_eq!(line("ptf").latest, Some(MeValue::Count { count: 1, of: 23 }), "a later year's record is not counted");
    for id in consolidate::RECORDED {
        assert!(line(id).from_records);
        assert_eq!(line(id).kind_text(Lang::En), "Secretariat's records");
        assert_eq!(line(id).kind_text(Lang::Fr), "Registres du Secrétariat");
    }
    assert_eq!(c.me.iter().filter(|m| m.from_records).count(), 2, "the others come from the returns");
    // A target works on them as on any count.
    store.set_me_target("policy_reports", 2026, Some(0.1)).unwrap();
    let c = consolidate::consolidate_without_trend(&store, 2026).unwrap();
    assert_eq!(c.me.iter().find(|m| m.indicator == "policy_reports").unwrap().met, Some(true));
    let id = store.me_records(2026).unwrap()[0].id;
    store.remove_me_record(id).unwrap();
    assert_eq!(store.me_records(2026).unwrap().len(), 4);
}

/// The monitoring page records a review submitted, and the line is computed from it.
#[cfg(feature = "demo")]
#[test]
fn a_record_made_on_the_monitoring_page_measures_its_line() {
    use crate::ui::{app_over, harness, setup};
    use cdf_assess::app::Role;
    use egui_kittest::kittest::Queryable;

    let mut store = Store::open_in_memory().unwrap();
    for f in cdf_assess::demo::generate(7, 2026, 1, 1) {
        import_bytes(&mut store, &f.file_name, &f.bytes, &[]).unwrap();
    }
    let mut h = harness(app_over(Ok(store)));
    setup(h.state_mut(), Role::Secretariat, None);
    h.run();
    h.get_by_label("M&E indicators").click();
    h.run();
    h.get_by_label("No record yet.");
    h.get_by_label("Record").scroll_to_me();
    h.run();
    h.get_by_label("Record").click();
    for _ in 0..4 {
        h.run();
    }
    let c = h.state().snapshot().sec.consolidation.clone().unwrap();
    assert_eq!(c.records.len(), 1);
    let line = c.me.iter().find(|m| m.indicator == "policy_reports").unwrap();
    assert_eq!((line.latest, line.from_records), (Some(MeValue::Count { count: 1, of: 23 }), true));
    h.get_all_by_label("Secretariat's records").next().unwrap();
}
