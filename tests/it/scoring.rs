use cdf_assess::assessment::{Answer, Commitment, NeedCategory, Response};
use cdf_assess::framework::{self, Framework};
use cdf_assess::scoring::{self, Quadrant};
use proptest::prelude::*;

fn resp(code: &str, answer: Answer, target: u8) -> Response {
    Response::new(code, answer, target)
}

/// The real metadata with five indicators whose weights make the arithmetic easy to check by hand:
/// Workforce (average) WF-01 w1, WF-02 w2, WF-03 w3; Readiness (weakest link) RD-01 w1, RD-02 w2.
fn mini() -> Framework {
    let real = framework::current();
    let pick = |code: &str, weight: u8| {
        let mut i = real.indicator(code).expect(code).clone();
        i.weight = weight;
        i
    };
    Framework {
        meta: real.meta.clone(),
        indicators: vec![pick("WF-01", 1), pick("WF-02", 2), pick("WF-03", 3), pick("RD-01", 1), pick("RD-02", 2)],
    }
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 1e-9)
}

#[test]
fn worked_example_average_weakest_link_insufficient_and_readiness() {
    let fw = mini();
    let mut r = vec![
        resp("WF-01", Answer::Level(2), 3),
        resp("WF-02", Answer::Level(3), 3),
        resp("WF-03", Answer::Insufficient, 4),
        resp("RD-01", Answer::Level(3), 3),
        resp("RD-02", Answer::Level(1), 3),
    ];
    r[0].commitment = Some(Commitment::Willing);
    r[1].commitment = Some(Commitment::Partly);
    let s = scoring::score(&fw, &r);

    // Workforce: (2x1 + 3x2 + 0x3) / 6 = 1.333.. -> 33.3; the insufficient one is flagged.
    let wf = &s.pillars[0];
    assert!(close(wf.level, 8.0 / 6.0) && close(wf.score, 100.0 / 3.0), "{wf:?}");
    assert_eq!((wf.scored, wf.insufficient, wf.not_applicable), (3, 1, 0));
    assert_eq!(scoring::level_label(wf), "1.3");
    // Targets 3, 3, 4 with the same weights: (3 + 6 + 12) / 6 = 3.5.
    assert!(close(wf.target_level, 3.5));
    // Legislation and Digital have no indicator here: no score, not zero.
    assert_eq!((s.pillars[1].score, s.pillars[2].score), (None, None));

    // Readiness is a weakest link: levels 3 and 1 -> "1+", 25.
    let rd = &s.pillars[3];
    assert!(close(rd.level, 1.0) && rd.plus && close(rd.score, 25.0));
    assert_eq!(scoring::level_label(rd), "1+");

    // Overall = mean of the scored pillars = (33.33 + 25) / 2.
    assert!(close(s.overall, (100.0 / 3.0 + 25.0) / 2.0));

    // Willingness = the willingness items here, RD-01 alone (RD-02 measures ability) = 75; the
    // commitment answers (100 + 50)/2 = 75 are shown beside it and do not move it.
    assert!(close(s.readiness.willingness, 75.0));
    assert!(close(s.readiness.stated_commitment, 75.0));
    // Ability has no Readiness ability item and two capability pillars unscored: no position,
    // so no verdict.
    assert_eq!(s.readiness.ability, None);
    assert_eq!(s.readiness.quadrant, None);

    // Gaps: WF-03 4 x 3 = 12, WF-01 1 x 1 = 1, RD-01 0, RD-02 2 x 2 = 4.
    let ranked: Vec<(&str, u8, u32)> =
        scoring::ranked_gaps(&s).iter().map(|g| (g.code.as_str(), g.gap, g.priority)).collect();
    assert_eq!(ranked, vec![("WF-03", 4, 12), ("RD-02", 2, 4), ("WF-01", 1, 1)]);
    assert_eq!(s.insufficient, 1);
}

#[test]
fn not_applicable_is_excluded_and_weakest_link_without_plus() {
    let fw = mini();
    let r = vec![
        resp("WF-01", Answer::Level(2), 3),
        resp("WF-02", Answer::Level(3), 3),
        resp("WF-03", Answer::NotApplicable, 4),
        resp("RD-01", Answer::Level(1), 3),
        resp("RD-02", Answer::Level(1), 3),
    ];
    let s = scoring::score(&fw, &r);
    // (2x1 + 3x2) / 3 = 2.667 -> 66.7; N/A counts nowhere.
    assert!(close(s.pillars[0].level, 8.0 / 3.0) && close(s.pillars[0].score, 200.0 / 3.0));
    assert_eq!((s.pillars[0].scored, s.pillars[0].not_applicable), (2, 1));
    assert!(s.indicators[2].value.is_none() && s.indicators[2].gap == 0);
    assert_eq!(scoring::level_label(&s.pillars[3]), "1");
    assert!(!s.pillars[3].plus);
    // Willingness: RD-01 at 1 -> 25; ability has two capability pillars unscored, so no verdict.
    assert!(close(s.readiness.willingness, 25.0));
    assert_eq!(s.readiness.quadrant, None);

    // All N/A: nothing to score, no verdict.
    let none: Vec<Response> = fw.indicators.iter().map(|i| resp(&i.code, Answer::NotApplicable, 3)).collect();
    let s = scoring::score(&fw, &none);
    assert!(s.overall.is_none() && s.readiness.quadrant.is_none());
}

/// One indicator per capability pillar, two willingness items and two ability items, all weight 1.
fn readiness_mini() -> Framework {
    let real = framework::current();
    let pick = |code: &str| {
        let mut i = real.indicator(code).expect(code).clone();
        i.weight = 1;
        i
    };
    let fw = Framework {
        meta: real.meta.clone(),
        indicators: ["WF-01", "LP-01", "DC-01", "RD-01", "RD-03", "RD-05", "RD-07"].into_iter().map(pick).collect(),
    };
    use cdf_assess::framework::Axis;
    let axes: Vec<Option<Axis>> = fw.indicators.iter().map(|i| i.axis).collect();
    let (a, w) = (Some(Axis::Ability), Some(Axis::Willingness));
    assert_eq!(axes, vec![None, None, None, w, w, a, a], "RD-01/03 measure willingness, RD-05/07 ability");
    fw
}

fn levels(codes_levels: &[(&str, u8)]) -> Vec<Response> {
    codes_levels.iter().map(|(c, l)| resp(c, Answer::Level(*l), 3)).collect()
}

#[test]
fn worked_readiness_examples_pillar_and_verdict_agree() {
    let fw = readiness_mini();
    assert_eq!((fw.meta.readiness.ability_threshold, fw.meta.readiness.willingness_threshold), (50.0, 50.0));
    // A: capability 3, 3, 2 -> (75 + 75 + 50) / 3 = 66.7; ability items 3, 2 -> weakest 2 -> 50;
    // ability = min(66.7, 50) = 50 (able, on the threshold). Willingness items 3, 3 -> 75.
    // Readiness pillar = weakest of 3, 3, 3, 2 -> "2+" = 50: able and willing, pillar at 50.
    let a = scoring::score(
        &fw,
        &levels(&[("WF-01", 3), ("LP-01", 3), ("DC-01", 2), ("RD-01", 3), ("RD-03", 3), ("RD-05", 3), ("RD-07", 2)]),
    );
    assert!(close(a.readiness.ability, 50.0) && close(a.readiness.willingness, 75.0), "{:?}", a.readiness);
    assert_eq!(a.readiness.quadrant, Some(Quadrant::AbleAndWilling));
    assert!(close(a.pillar_score("RD"), 50.0));
    assert_eq!(scoring::level_label(&a.pillars[3]), "2+");

    // B: the contradiction of the old rule. No budget for reform (RD-05 at 1): the pillar reads
    // 25 ("1+"). Before, ability was the capability pillars alone (66.7) and willingness blended
    // the pillar with a "willing" commitment answer ((25 + 100) / 2 = 62.5): "able and willing"
    // beside a pillar of 25. Now ability = min(66.7, 25) = 25: willing, not yet able.
    let mut r =
        levels(&[("WF-01", 3), ("LP-01", 3), ("DC-01", 2), ("RD-01", 3), ("RD-03", 3), ("RD-05", 1), ("RD-07", 3)]);
    r[0].commitment = Some(Commitment::Willing);
    let b = scoring::score(&fw, &r);
    assert!(close(b.pillar_score("RD"), 25.0));
    assert!(close(b.readiness.ability, 25.0) && close(b.readiness.willingness, 75.0));
    assert_eq!(b.readiness.quadrant, Some(Quadrant::WillingNotAble));
    assert!(close(b.readiness.stated_commitment, 100.0));

    // C: leadership not committed (RD-01 at 1) although able: pillar 25, not willing.
    let c = scoring::score(
        &fw,
        &levels(&[("WF-01", 4), ("LP-01", 3), ("DC-01", 3), ("RD-01", 1), ("RD-03", 3), ("RD-05", 3), ("RD-07", 3)]),
    );
    assert!(close(c.readiness.ability, 75.0) && close(c.readiness.willingness, 25.0));
    assert_eq!(c.readiness.quadrant, Some(Quadrant::AbleNotWilling));
    assert!(close(c.pillar_score("RD"), 25.0));
}

#[test]
fn no_verdict_below_the_minimum_of_answers() {
    let fw = readiness_mini();
    assert_eq!(fw.meta.readiness.min_answered_share, 0.5);
    // Every capability pillar and one of two ability items answered (1 of 2 is the minimum):
    // ability has a position; no willingness item answered: no verdict.
    let s = scoring::score(&fw, &levels(&[("WF-01", 3), ("LP-01", 3), ("DC-01", 3), ("RD-05", 3)]));
    assert!(close(s.readiness.ability, 75.0));
    assert_eq!((s.readiness.willingness, s.readiness.quadrant), (None, None));
    assert_eq!((s.readiness.willingness_items.answered, s.readiness.willingness_items.needed), (0, 1));
    // A capability pillar without any answer: no ability either.
    let s = scoring::score(&fw, &levels(&[("WF-01", 3), ("LP-01", 3), ("RD-01", 3), ("RD-05", 3)]));
    assert_eq!((s.readiness.ability, s.readiness.quadrant), (None, None));
    assert!(close(s.readiness.willingness, 75.0));
    // A readiness item answered not applicable is not left out: its side (ability) is not rated,
    // so that N/A can never raise the verdict; willingness still has its position.
    let mut r = levels(&[("WF-01", 3), ("LP-01", 3), ("DC-01", 3), ("RD-01", 3), ("RD-05", 3)]);
    r.push(resp("RD-07", Answer::NotApplicable, 3));
    let s = scoring::score(&fw, &r);
    assert_eq!((s.readiness.ability, s.readiness.quadrant), (None, None));
    assert!(close(s.readiness.willingness, 75.0));
    assert_eq!(s.readiness.not_applicable, vec!["RD-07".to_string()]);
    assert_eq!(s.readiness.ability_items.applicable, 5);
    // Insufficient information is no answer for a verdict (it still scores 0 in the pillar).
    let mut r = levels(&[("WF-01", 3), ("LP-01", 3), ("DC-01", 3), ("RD-05", 3), ("RD-07", 3)]);
    r.push(resp("RD-01", Answer::Insufficient, 3));
    r.push(resp("RD-03", Answer::Insufficient, 3));
    let s = scoring::score(&fw, &r);
    assert_eq!((s.readiness.willingness, s.readiness.quadrant), (None, None));
    assert_eq!((s.readiness.willingness_items.answered, s.readiness.willingness_items.insufficient), (0, 2));
    assert!(close(s.pillar_score("RD"), 0.0));
}

/// The Fiji example: 14 indicators answered, none of the Readiness pillar, one commitment
/// answer. Before: "able and willing · willingness 100/100". Now: no verdict.
#[test]
fn fiji_with_14_answers_and_no_readiness_answer_has_no_verdict() {
    let fw = framework::current();
    let capability: Vec<&str> =
        fw.indicators.iter().filter(|i| i.axis.is_none()).map(|i| i.code.as_str()).take(14).collect();
    let mut r: Vec<Response> = capability.iter().map(|c| resp(c, Answer::Level(3), 3)).collect();
    r[0].commitment = Some(Commitment::Willing);
    let s = scoring::score(fw, &r);
    assert_eq!(s.indicators.len() - s.unanswered, 14);
    assert_eq!(s.pillar_score("RD"), None);
    assert_eq!(s.readiness.quadrant, None);
    assert_eq!(s.readiness.willingness, None);
    assert_eq!(s.readiness.ability, None, "no ability item of the Readiness pillar is answered");
    assert_eq!(s.readiness.willingness_items.answered, 0);
    let willingness_items = fw.indicators.iter().filter(|i| i.axis == Some(framework::Axis::Willingness)).count();
    assert_eq!(s.readiness.willingness_items.needed, willingness_items.div_ceil(2));
    assert!(close(s.readiness.stated_commitment, 100.0));
    assert_eq!(cdf_assess::scoring::words::quadrant(cdf_assess::lang::Lang::En, s.readiness.quadrant).0, "Not rated");
}

#[test]
fn comparison_and_summaries() {
    let fw = mini();
    let before = vec![
        resp("WF-01", Answer::Level(1), 3),
        resp("WF-02", Answer::Level(3), 3),
        resp("WF-03", Answer::Level(2), 3),
        resp("RD-01", Answer::Level(1), 3),
        resp("RD-02", Answer::Level(1), 3),
    ];
    let mut now = before.clone();
    now[0].answer = Answer::Level(3); // WF-01 closes its gap
    now[1].answer = Answer::Level(2); // WF-02 opens one
    now[4].need = Some(NeedCategory::C);
    let (b, n) = (scoring::score(&fw, &before), scoring::score(&fw, &now));
    let c = scoring::compare(&b, &n);
    assert_eq!(c.closed, vec!["WF-01".to_string()]);
    assert_eq!(c.opened, vec!["WF-02".to_string()]);
    assert_eq!(c.indicators[0], ("WF-01".to_string(), Some(2)));
    // Workforce: before (1 + 6 + 6)/6 = 13/6, now (3 + 4 + 6)/6 = 13/6: no change.
    assert!(close(c.pillars[0].1, 0.0));
    let by_int = scoring::by_intervention(&fw, &n);
    assert_eq!(by_int.iter().map(|g| g.gaps).sum::<usize>(), scoring::ranked_gaps(&n).len());
    assert_eq!(by_int.iter().map(|g| g.requests).sum::<usize>(), 1);
    let by_area = scoring::by_priority_area(&fw, &n);
    assert_eq!(by_area.len(), 5);
}

fn answer_strategy() -> impl Strategy<Value = Answer> {
    prop_oneof![
        1 => Just(Answer::Unanswered),
        1 => Just(Answer::NotApplicable),
        1 => Just(Answer::Insufficient),
        6 => (0u8..=4).prop_map(Answer::Level),
    ]
}

fn responses_strategy() -> impl Strategy<Value = Vec<Response>> {
    let fw = framework::current();
    let n = fw.indicators.len();
    (
        prop::collection::vec(answer_strategy(), n),
        prop::collection::vec(0u8..=4, n),
        prop::collection::vec(prop::option::of(0usize..3), n),
    )
        .prop_map(move |(answers, targets, commitments)| {
            let fw = framework::current();
            fw.indicators
                .iter()
                .enumerate()
                .map(|(i, ind)| {
                    let mut r = resp(&ind.code, answers[i], targets[i]);
                    r.commitment = commitments[i].map(|c| Commitment::ALL[c]);
                    r
                })
                .collect()
        })
}

fn all_scores(s: &scoring::Scores) -> Vec<Option<f64>> {
    let mut v: Vec<Option<f64>> = s.pillars.iter().map(|p| p.score).collect();
    v.extend([s.overall, s.readiness.ability, s.readiness.willingness]);
    v
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn every_score_is_within_its_range(r in responses_strategy()) {
        let s = scoring::score(framework::current(), &r);
        for v in all_scores(&s).into_iter().flatten() {
            prop_assert!((0.0..=100.0).contains(&v), "{v}");
        }
        for p in &s.pillars {
            if let Some(l) = p.level { prop_assert!((0.0..=4.0).contains(&l)); }
        }
        for i in &s.indicators {
            prop_assert!(i.gap <= 4 && i.priority <= 12);
            prop_assert_eq!(i.priority, i.gap as u32 * i.weight as u32);
        }
    }

    /// The verdict never contradicts the Readiness pillar, and never comes from too few answers.
    #[test]
    fn the_verdict_agrees_with_the_readiness_pillar(r in responses_strategy()) {
        let fw = framework::current();
        let s = scoring::score(fw, &r);
        let rule = fw.meta.readiness;
        let pillar = s.pillar_score("RD");
        if s.readiness.quadrant == Some(Quadrant::AbleAndWilling) {
            let p = pillar.expect("a verdict has a readiness pillar");
            prop_assert!(p >= rule.ability_threshold.min(rule.willingness_threshold) - 1e-9, "pillar {p}");
        }
        if let (Some(p), Some(_)) = (pillar, s.readiness.quadrant)
            && p >= rule.willingness_threshold
        {
            prop_assert!(matches!(s.readiness.quadrant, Some(Quadrant::AbleAndWilling | Quadrant::WillingNotAble)));
        }
        if s.readiness.quadrant.is_some() {
            for c in [s.readiness.ability_items, s.readiness.willingness_items] {
                prop_assert!(c.answered >= c.needed && c.answered as f64 >= rule.min_answered_share * c.applicable as f64);
            }
        }
    }

    #[test]
    fn raising_one_level_never_lowers_any_score(r in responses_strategy(), pick in 0usize..1000) {
        let fw = framework::current();
        let levels: Vec<usize> = r.iter().enumerate()
            .filter(|(_, x)| matches!(x.answer, Answer::Level(l) if l < 4)).map(|(i, _)| i).collect();
        prop_assume!(!levels.is_empty());
        let i = levels[pick % levels.len()];
        let mut raised = r.clone();
        if let Answer::Level(l) = raised[i].answer { raised[i].answer = Answer::Level(l + 1); }
        let (a, b) = (scoring::score(fw, &r), scoring::score(fw, &raised));
        for (x, y) in all_scores(&a).into_iter().zip(all_scores(&b)) {
            if let (Some(x), Some(y)) = (x, y) { prop_assert!(y >= x - 1e-9, "{x} -> {y}"); }
        }
    }

    #[test]
    fn marking_one_indicator_na_leaves_the_others_unchanged(r in responses_strategy(), pick in 0usize..1000) {
        let fw = framework::current();
        let i = pick % r.len();
        let mut na = r.clone();
        na[i].answer = Answer::NotApplicable;
        let (a, b) = (scoring::score(fw, &r), scoring::score(fw, &na));
        for (j, (x, y)) in a.indicators.iter().zip(&b.indicators).enumerate() {
            if j != i { prop_assert_eq!(x, y); }
        }
        prop_assert_eq!(b.indicators[i].value, None);
    }

    #[test]
    fn ranking_is_stable_and_independent_of_input_order(r in responses_strategy(), seed in any::<u64>()) {
        let fw = framework::current();
        let mut shuffled = r.clone();
        // Deterministic shuffle from the seed.
        let mut x = seed | 1;
        for k in (1..shuffled.len()).rev() {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17;
            shuffled.swap(k, (x % (k as u64 + 1)) as usize);
        }
        let a = scoring::score(fw, &r);
        let b = scoring::score(fw, &shuffled);
        let ra: Vec<&str> = scoring::ranked_gaps(&a).iter().map(|g| g.code.as_str()).collect();
        let rb: Vec<&str> = scoring::ranked_gaps(&b).iter().map(|g| g.code.as_str()).collect();
        prop_assert_eq!(&ra, &rb);
        let gaps = scoring::ranked_gaps(&a);
        for w in gaps.windows(2) {
            prop_assert!(scoring::gap_order(w[0], w[1]) == std::cmp::Ordering::Less);
        }
    }
}
