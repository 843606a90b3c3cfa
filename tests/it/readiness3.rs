//! Issue 21, readiness: the redesigned verdict (docs/scoring.md). Willingness is measured by what
//! shows willingness, a first assessment is not penalised, "not applicable" can never raise the
//! verdict, "insufficient information" everywhere is "not rated", the verdict and the pillar never
//! contradict, and the officer sees which answers decide the verdict.

use cdf_assess::app::{Client, Command, Mode, Role, SessionCmd, Settings, SettingsCmd, TextField, Warning};
use cdf_assess::assessment::{Answer, Response, ResponseChange};
use cdf_assess::exchange;
use cdf_assess::framework::{self, Axis, Framework};
use cdf_assess::lang::Lang;
use cdf_assess::scoring::{self, Decider, Quadrant, Scores};
use cdf_assess::store::Store;

/// A small seeded generator (xorshift64*): the property tests need no crate and repeat exactly.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    /// A level within one of `base` (0-4).
    fn level(&mut self, base: u64) -> Answer {
        Answer::Level((base + self.below(3)).saturating_sub(1).min(4) as u8)
    }
    /// Mostly levels around `base`, some insufficient, not applicable and unanswered.
    fn answer(&mut self, base: u64) -> Answer {
        match self.below(40) {
            0 => Answer::Unanswered,
            1 => Answer::NotApplicable,
            2 => Answer::Insufficient,
            _ => self.level(base),
        }
    }
}

fn answers(fw: &Framework, rng: &mut Rng) -> Vec<Response> {
    // Levels around one base per set, so that every quadrant is met; half of the sets have no
    // N/A and no unanswered, so that most of them are rated.
    let base = rng.below(5);
    let clean = rng.below(2) == 0;
    fw.indicators
        .iter()
        .map(|i| {
            let mut a = rng.answer(base);
            if clean && matches!(a, Answer::NotApplicable | Answer::Unanswered) {
                a = rng.level(base);
            }
            Response::new(&i.code, a, i.default_target)
        })
        .collect()
}

fn all(fw: &Framework, f: impl Fn(&str) -> Answer) -> Vec<Response> {
    fw.indicators.iter().map(|i| Response::new(&i.code, f(&i.code), i.default_target)).collect()
}

fn axis_codes(fw: &Framework, axis: Axis) -> Vec<&str> {
    fw.indicators.iter().filter(|i| i.axis == Some(axis)).map(|i| i.code.as_str()).collect()
}

/// Rank of a side: 1 at or above its threshold, 0 below.
fn sides(s: &Scores, fw: &Framework) -> Option<(bool, bool)> {
    let r = fw.meta.readiness;
    s.readiness.quadrant?;
    Some((s.readiness.ability? >= r.ability_threshold, s.readiness.willingness? >= r.willingness_threshold))
}

#[test]
fn willingness_is_leadership_and_the_use_of_the_self_assessment() {
    let fw = framework::current();
    assert_eq!(axis_codes(fw, Axis::Willingness), ["RD-01", "RD-03"]);
    assert_eq!(axis_codes(fw, Axis::Ability), ["RD-02", "RD-04", "RD-05", "RD-06", "RD-07", "RD-08", "RD-09"]);
}

/// A first assessment, done as the framework asks (complete, with evidence, by a team): RD-03's
/// level 2 says so in both languages, and level 0 or 1 cannot be the honest answer for it.
#[test]
fn a_first_assessment_with_rd01_at_4_and_an_honest_rd03_is_not_unwilling() {
    let fw = framework::current();
    let rd03 = fw.indicator("RD-03").unwrap();
    assert!(rd03.levels[2].en.contains("a first assessment done this way is at this level"), "{}", rd03.levels[2].en);
    assert!(rd03.levels[2].fr.contains("une première évaluation menée ainsi se situe à ce niveau"));
    for l in &rd03.levels[..2] {
        assert!(l.en.contains("evidence") && !l.en.contains("team"), "levels 0-1 are done without evidence or team");
    }
    // Only level 4 needs an earlier cycle.
    for (i, l) in rd03.levels.iter().enumerate() {
        assert_eq!(l.en.contains("repeated"), i == 4, "level {i}: {}", l.en);
    }
    let threshold = fw.meta.readiness.willingness_threshold;
    for honest in [2u8, 3] {
        // Capability middling, every other readiness item 3, RD-01 at 4.
        let r = all(fw, |c| match c {
            "RD-01" => Answer::Level(4),
            "RD-03" => Answer::Level(honest),
            c if c.starts_with("RD-") => Answer::Level(3),
            _ => Answer::Level(2),
        });
        let s = scoring::score(fw, &r);
        let w = s.readiness.willingness.expect("rated");
        assert!(w >= threshold, "RD-03 at {honest}: willingness {w}");
        assert!(matches!(s.readiness.quadrant, Some(Quadrant::AbleAndWilling | Quadrant::WillingNotAble)));
    }
    // RD-02 (a diagnostic-based plan) and RD-06 (government support) no longer decide
    // willingness: at 0 they make the administration not yet able, not unwilling.
    let r = all(fw, |c| match c {
        "RD-01" => Answer::Level(4),
        "RD-03" => Answer::Level(2),
        "RD-02" | "RD-06" => Answer::Level(0),
        c if c.starts_with("RD-") => Answer::Level(3),
        _ => Answer::Level(3),
    });
    let s = scoring::score(fw, &r);
    assert_eq!(s.readiness.quadrant, Some(Quadrant::WillingNotAble));
    let by: Vec<&str> = s
        .readiness
        .ability_by
        .iter()
        .filter_map(|d| match d {
            Decider::Item { code, .. } => Some(code.as_str()),
            Decider::Capability { .. } => None,
        })
        .collect();
    assert_eq!(by, ["RD-02", "RD-06"]);
}

/// For any answer set, changing any answered readiness item to "not applicable" never moves the
/// verdict up: the side becomes not rated (never a better position), and a set that had no verdict
/// gets none. 3,000 random sets, every readiness item of each.
#[test]
fn not_applicable_on_a_readiness_item_never_raises_the_verdict() {
    let fw = framework::current();
    let mut rng = Rng(0x21_2026);
    let rd: Vec<usize> = fw.indicators.iter().enumerate().filter(|(_, i)| i.axis.is_some()).map(|(k, _)| k).collect();
    let (mut checked, mut pillar_rose) = (0, 0);
    for _ in 0..3000 {
        let r = answers(fw, &mut rng);
        let before = scoring::score(fw, &r);
        for &k in &rd {
            if !r[k].answer.is_answered() || r[k].answer == Answer::NotApplicable {
                continue;
            }
            let mut na = r.clone();
            na[k].answer = Answer::NotApplicable;
            let after = scoring::score(fw, &na);
            match (sides(&before, fw), sides(&after, fw)) {
                (_, None) => {}
                (None, Some(_)) => panic!("N/A on {} gave a verdict where there was none", r[k].indicator),
                (Some((a0, w0)), Some((a1, w1))) => {
                    assert!(a1 <= a0 && w1 <= w0, "N/A on {} raised the verdict", r[k].indicator)
                }
            }
            // The rule itself: the side of a readiness N/A is not rated.
            let axis = fw.indicators[k].axis.unwrap();
            let side = if axis == Axis::Ability { after.readiness.ability } else { after.readiness.willingness };
            assert_eq!(side, None);
            assert!(after.readiness.not_applicable.contains(&r[k].indicator));
            pillar_rose += usize::from(after.pillar_score("RD") > before.pillar_score("RD"));
            checked += 1;
        }
    }
    assert!(checked > 10_000, "{checked}");
    // The pillar leaves N/A out (as it did), so it can rise; the verdict cannot follow it.
    assert!(pillar_rose > 0);
}

/// The case: N/A on every readiness item but RD-01, RD-01 at 4, gave "willing".
#[test]
fn not_applicable_beside_leadership_at_4_gives_no_verdict() {
    let fw = framework::current();
    let r = all(fw, |c| match c {
        "RD-01" => Answer::Level(4),
        c if c.starts_with("RD-") => Answer::NotApplicable,
        _ => Answer::Level(3),
    });
    let s = scoring::score(fw, &r);
    assert_eq!((s.readiness.quadrant, s.readiness.willingness), (None, None));
    let why = scoring::words::not_rated(Lang::En, &s.readiness);
    assert!(why.contains("RD-03") && why.contains("Not applicable"), "{why}");
}

#[test]
fn insufficient_information_everywhere_is_not_rated() {
    let fw = framework::current();
    let s = scoring::score(fw, &all(fw, |_| Answer::Insufficient));
    assert_eq!(s.readiness.quadrant, None, "not 'not yet able nor willing'");
    assert_eq!((s.readiness.ability, s.readiness.willingness), (None, None));
    // The scores still count it as 0, flagged.
    assert_eq!(s.pillar_score("RD"), Some(0.0));
    assert_eq!(s.insufficient, fw.indicators.len());
    for lang in [Lang::En, Lang::Fr] {
        let (title, _) = scoring::words::quadrant(lang, s.readiness.quadrant);
        assert_eq!(title, lang.t("verdict.none"));
        let why = scoring::words::not_rated(lang, &s.readiness);
        assert!(why.contains(&fw.indicators.len().to_string()), "{why}");
    }
    assert_eq!(scoring::words::quadrant(Lang::En, None).0, "Not rated");
    assert_eq!(scoring::words::quadrant(Lang::Fr, None).0, "Non noté");
    // Most insufficient, a few levels: still not rated on the side with too few levels.
    let r = all(fw, |c| if c == "RD-01" { Answer::Level(4) } else { Answer::Insufficient });
    let s = scoring::score(fw, &r);
    assert_eq!(s.readiness.quadrant, None);
}

/// The verdict never contradicts the Readiness pillar, over 20,000 random answer sets, and what
/// it names as deciding it gives its values back.
#[test]
fn the_verdict_and_the_pillar_never_contradict() {
    let fw = framework::current();
    let rule = fw.meta.readiness;
    let mut rng = Rng(0x5EED_0021);
    let mut seen = std::collections::BTreeMap::new();
    for _ in 0..20_000 {
        let r = answers(fw, &mut rng);
        let s = scoring::score(fw, &r);
        let rd = &s.readiness;
        *seen.entry(rd.quadrant.map(|q| q.code()).unwrap_or("not_rated")).or_insert(0) += 1;
        let Some(q) = rd.quadrant else {
            // A side without a position names nothing as deciding it.
            assert_eq!(rd.ability_by.is_empty(), rd.ability.is_none());
            assert_eq!(rd.willingness_by.is_empty(), rd.willingness.is_none());
            assert!(scoring::words::decided_by(Lang::En, rd).is_empty());
            continue;
        };
        let pillar = s.pillar_score("RD").expect("a verdict has a readiness pillar");
        let (a, w) = (rd.ability.unwrap(), rd.willingness.unwrap());
        // Rated: no readiness item is N/A, so the pillar is the weakest of both sides.
        assert!(rd.not_applicable.is_empty());
        assert!(pillar <= w + 1e-9, "pillar {pillar} above willingness {w}");
        if q == Quadrant::AbleAndWilling {
            assert!(pillar >= rule.ability_threshold.min(rule.willingness_threshold) - 1e-9, "pillar {pillar}");
        }
        if pillar >= rule.willingness_threshold {
            assert!(matches!(q, Quadrant::AbleAndWilling | Quadrant::WillingNotAble), "{q:?} beside {pillar}");
        }
        // A pillar at or above the ability threshold beside "not yet able" is the capability
        // pillars, and the officer is told so.
        if pillar >= rule.ability_threshold && a < rule.ability_threshold {
            assert!(rd.ability_by.iter().any(|d| matches!(d, Decider::Capability { .. })), "{rd:?}");
        }
        // What decides each side gives its value back.
        let value = |d: &Decider| match d {
            Decider::Item { level, .. } => scoring::to_score(*level as f64),
            Decider::Capability { score } => *score,
        };
        for (by, v) in [(&rd.ability_by, a), (&rd.willingness_by, w)] {
            assert!(!by.is_empty());
            for d in by.iter() {
                assert!((value(d) - v).abs() < 1e-9, "{d:?} for {v}");
            }
        }
    }
    // Every outcome was met, so the checks above were exercised.
    for k in ["able_and_willing", "willing_not_able", "able_not_willing", "not_yet", "not_rated"] {
        assert!(seen.get(k).copied().unwrap_or(0) > 50, "{k}: {seen:?}");
    }
}

/// The pillar's title speaks of conditions for reform, the verdict of able and willing: a pillar
/// at 100 beside "willing, not yet able" reads as it is (the capability pillars decide ability).
#[test]
fn the_pillar_and_the_verdict_use_words_that_cannot_contradict() {
    let fw = framework::current();
    let rd = fw.pillar("RD").unwrap();
    for word in ["able", "willing", "ability", "willingness"] {
        assert!(!rd.name.en.to_lowercase().contains(word), "{}", rd.name.en);
    }
    for word in ["apte", "aptitude", "capacité", "volonté", "disposé"] {
        assert!(!rd.name.fr.to_lowercase().contains(word), "{}", rd.name.fr);
    }
    // One French term for readiness (Préparation), for ability (aptitude), for the verdict.
    assert!(rd.name.fr.starts_with("Préparation"));
    assert!(Lang::Fr.t("report.col.verdict").contains("Préparation"));
    assert!(Lang::Fr.t("results.verdict").starts_with("Verdict de préparation"));
    assert!(Lang::Fr.t("report.col.ability").contains("Aptitude"));
    assert_eq!(Lang::Fr.t("me.kind_proxy"), "Indirecte");
    for key in cdf_assess::i18n::keys(Lang::Fr) {
        let fr = Lang::Fr.t(key);
        if key.starts_with("verdict.") || key.starts_with("readiness.") || key.starts_with("results.verdict") {
            assert!(!fr.contains("Disposition") && !fr.contains("avis") && !fr.contains("apacité {"), "{key}: {fr}");
        }
    }
    // The case: every readiness item at 4, capability at 1.
    let r = all(fw, |c| if c.starts_with("RD-") { Answer::Level(4) } else { Answer::Level(1) });
    let s = scoring::score(fw, &r);
    assert_eq!(s.pillar_score("RD"), Some(100.0));
    assert_eq!(s.readiness.quadrant, Some(Quadrant::WillingNotAble));
    let lines = scoring::words::decided_by(Lang::En, &s.readiness);
    assert_eq!(lines[0], "Ability decided by the capability pillars (mean 25/100).");
    assert_eq!(lines[1], "Willingness decided by RD-01 (level 4), RD-03 (level 4).");
}

#[test]
fn the_verdict_names_the_answers_that_decide_it() {
    let fw = framework::current();
    let r = all(fw, |c| match c {
        "RD-05" => Answer::Level(1),
        "RD-03" => Answer::Insufficient,
        "RD-01" => Answer::Level(4),
        _ => Answer::Level(3),
    });
    let s = scoring::score(fw, &r);
    assert_eq!(s.readiness.quadrant, Some(Quadrant::NotYet));
    assert_eq!(
        scoring::words::decided_by(Lang::En, &s.readiness),
        [
            "Ability decided by RD-05 (level 1).",
            "Willingness decided by RD-03 (insufficient information, counted as 0)."
        ]
    );
    assert_eq!(scoring::words::decided_by(Lang::Fr, &s.readiness)[0], "Aptitude déterminée par RD-05 (niveau 1).");
}

/// The results PDF says the same as the page.
#[test]
fn the_results_pdf_names_what_decides_the_verdict() {
    use cdf_assess::assessment::Assessment;
    let fw = framework::current();
    let r = all(fw, |c| if c == "RD-05" { Answer::Level(1) } else { Answer::Level(3) });
    let s = scoring::score(fw, &r);
    let mut store = Store::open_in_memory().unwrap();
    let id = store.create_assessment(&crate::store::new_assessment("FJ", 2026)).unwrap();
    let mut a: Assessment = store.load(id).unwrap();
    a.responses = r;
    let doc = cdf_assess::report::results::results_doc(fw, &a, &s, None, Lang::En);
    let text = format!("{doc:?}");
    assert!(text.contains("Ability decided by RD-05 (level 1)."), "{text}");
}

fn admin() -> Client {
    let mut c = Client::over(Store::open_in_memory(), Mode::Sync);
    c.without_desktop();
    let s = Settings { role: Some(Role::Administration), member: Some("FJ".into()), ..c.snapshot().settings.clone() };
    c.send(SettingsCmd::FinishSetup(s));
    c.send(SessionCmd::CreateAssessment(crate::store::new_assessment("FJ", 2026)));
    c
}

/// Sign-off asks for a reason for a readiness item answered "not applicable": the warning
/// cannot be acknowledged away, and the session room refuses to sign off without it.
#[test]
fn sign_off_asks_a_reason_for_a_readiness_item_not_applicable() {
    let mut c = admin();
    let s = c.snapshot().session.clone().unwrap();
    let id = s.id();
    for r in &s.data.responses {
        let a = if r.indicator == "RD-07" || r.indicator == "LP-04" { Answer::NotApplicable } else { Answer::Level(3) };
        c.send(SessionCmd::Change { id, indicator: r.indicator.clone(), change: ResponseChange::Answer(a) });
    }
    let w = c.snapshot().session.as_ref().unwrap().signoff_warnings();
    assert!(w.contains(&Warning::ReadinessNaWithoutReason(vec!["RD-07".into()])), "{w:?}");
    assert!(w.iter().any(Warning::blocks));
    // A capability item N/A (LP-04, a member outside the WTO) is warned about, not blocked.
    assert!(w.contains(&Warning::NotApplicable(vec!["LP-04".into(), "RD-07".into()])));
    c.send(SessionCmd::Finalise { id, approver: "Comptroller".into() });
    assert!(!c.snapshot().session.as_ref().unwrap().read_only(), "not signed off without a reason");
    // With the reason, it signs off; the verdict is not rated and says why.
    c.send(Command::Text {
        id,
        indicator: "RD-07".into(),
        field: TextField::Comment,
        text: "Customs is the only border agency on the island.".into(),
    });
    c.send(Command::SaveText);
    let s = c.snapshot().session.clone().unwrap();
    assert!(!s.signoff_warnings().iter().any(Warning::blocks));
    assert_eq!(s.scores.readiness.quadrant, None);
    c.send(SessionCmd::Finalise { id, approver: "Comptroller".into() });
    assert!(c.snapshot().session.as_ref().unwrap().read_only(), "signed off");
}

/// Content: no readiness level descriptor carries the old appended sentence, and every priority
/// area of a readiness item is implied by one of its key actions (key action a.b.c is area Pa).
#[test]
fn readiness_items_have_their_own_level_4_and_implied_priority_areas() {
    let fw = framework::current();
    for i in fw.indicators.iter().filter(|i| i.pillar == "RD") {
        for l in &i.levels {
            assert!(!l.en.contains("one path to level 4"), "{}: {}", i.code, l.en);
            assert!(!l.fr.contains("une voie vers le niveau 4"), "{}: {}", i.code, l.fr);
            assert_ne!(l.en, l.fr, "{}", i.code);
        }
        for p in &i.priority_areas {
            let implied = i.key_actions.iter().any(|k| format!("P{}", k.split('.').next().unwrap()) == *p);
            assert!(implied, "{}: {p} is implied by none of {:?}", i.code, i.key_actions);
            assert!(fw.meta.priority_areas.iter().any(|x| &x.code == p));
        }
    }
    // RD-09 measures regional cooperation: its level 4 is about the region, without a way around it.
    assert!(fw.indicator("RD-09").unwrap().levels[4].en.contains("regional programmes"));
}

/// Every `me.` and `readiness.` string of the catalogues is used by the code.
#[test]
fn no_unused_me_or_readiness_strings() {
    let mut src = String::new();
    let mut stack = vec![std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/src"))];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                src.push_str(&std::fs::read_to_string(p).unwrap());
            }
        }
    }
    for lang in [Lang::En, Lang::Fr] {
        for key in cdf_assess::i18n::keys(lang) {
            if key.starts_with("me.") || key.starts_with("readiness.") {
                assert!(src.contains(&format!("\"{key}\"")), "{key} is not used");
            }
        }
    }
}

/// A return signed before this change (the corpus' good return, encrypted to the test key)
/// still verifies, imports and scores as it did: its pillar scores and overall are the ones
/// written in the file when it was signed; only the readiness verdict follows the new rule.
#[test]
fn a_return_signed_before_still_verifies_imports_and_scores_as_it_did() {
    use cdf_assess::exchange::keys;
    use cdf_assess::secretariat::{consolidate, import::import_bytes};
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let ids = keys::load_identities(&dir.join("secretariat-test.key")).unwrap();
    let bytes = std::fs::read(dir.join("encrypted-to-secretariat.ocoreturn")).unwrap();
    let read = exchange::read(&bytes, &ids).expect("verifies");
    let written = read.body.scores.clone();
    let mut store = Store::open_in_memory().unwrap();
    import_bytes(&mut store, "r.ocoreturn", &bytes, &ids).unwrap();
    let c = consolidate::consolidate(&store, read.body.cycle).unwrap();
    let m = c.members.iter().find(|m| m.member == read.body.member).unwrap();
    let s = m.scores.as_ref().expect("scored");
    assert_eq!(s.overall, written.overall);
    for p in &written.pillars {
        let now = s.pillars.iter().find(|x| x.code == p.code).unwrap();
        assert_eq!((now.level, now.plus, now.score), (p.level, p.plus, p.score), "{}", p.code);
    }
}

/// The readiness verdicts of the 23 demo members (last cycle, latest revision), for the note:
/// `cargo test --test it readiness3::print_demo_verdicts -- --ignored --nocapture`.
#[cfg(feature = "demo")]
#[test]
#[ignore]
fn print_demo_verdicts() {
    let fw = framework::current();
    let files = cdf_assess::demo::generate(7, 2026, 1, 1);
    for f in &files {
        let body = exchange::read(&f.bytes, &[]).unwrap().body;
        let (_, responses) = body.to_assessment_parts();
        let s = scoring::score(fw, &responses);
        let r = &s.readiness;
        let rd: Vec<String> = responses
            .iter()
            .filter(|x| x.indicator.starts_with("RD-"))
            .map(|x| format!("{}={}", &x.indicator[3..], x.answer.code().unwrap_or_else(|| "-".into())))
            .collect();
        println!(
            "VERDICT {} {:?} ability={:?} willingness={:?} [{}]",
            f.member,
            r.quadrant.map(|q| q.code()),
            r.ability.map(|v| v.round()),
            r.willingness.map(|v| v.round()),
            rd.join(" ")
        );
    }
}
