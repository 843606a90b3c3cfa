use cdf_assess::framework::{self, Framework};
use cdf_assess::lang::Lang;
use std::collections::BTreeSet;

fn key_actions_fixture() -> Vec<(String, String)> {
    include_str!("../fixtures/me_key_actions.tsv")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let (code, text) = l.split_once('\t').expect("code<TAB>text");
            (code.to_string(), text.to_string())
        })
        .collect()
}

#[test]
fn framework_v1_loads_and_is_valid() {
    let fw = framework::load_v1().expect("framework v1 is valid");
    assert!(fw.validate().is_empty());
    assert!((36..=48).contains(&fw.indicators.len()), "{} indicators", fw.indicators.len());
    let codes: BTreeSet<&str> = fw.indicators.iter().map(|i| i.code.as_str()).collect();
    assert_eq!(codes.len(), fw.indicators.len(), "indicator codes are unique");
    for p in ["WF", "LP", "DC", "RD"] {
        assert!(fw.indicators_of(p).count() >= 8, "pillar {p} has too few indicators");
    }
}

#[test]
fn every_indicator_has_five_specific_descriptors_in_both_languages() {
    let fw = framework::current();
    let mut all_level2 = BTreeSet::new();
    for ind in &fw.indicators {
        assert_eq!(ind.levels.len(), 5, "{}", ind.code);
        for lang in Lang::ALL {
            let texts: BTreeSet<&str> = ind.levels.iter().map(|l| l.get(lang)).collect();
            assert_eq!(texts.len(), 5, "{} has repeated descriptors in {lang:?}", ind.code);
            assert!(texts.iter().all(|t| t.len() > 20), "{} has a too-short descriptor", ind.code);
            assert!(!ind.title.get(lang).is_empty() && !ind.guidance.get(lang).is_empty());
            assert!(!ind.evidence.get(lang).is_empty());
        }
        assert_ne!(ind.levels[2].en, ind.levels[2].fr, "{}: French descriptor is not translated", ind.code);
        all_level2.insert(ind.levels[2].en.as_str());
    }
    // Descriptors are written for each indicator, not a generic scale.
    assert_eq!(all_level2.len(), fw.indicators.len());
}

#[test]
fn every_me_key_action_of_the_plan_is_served_by_an_indicator() {
    let fixture = key_actions_fixture();
    assert_eq!(fixture.len(), 38, "the plan's M&E table has 38 key actions");
    let fw = framework::current();
    for (code, text) in &fixture {
        let ka =
            fw.meta.key_actions.iter().find(|k| &k.code == code).unwrap_or_else(|| panic!("key action {code} missing"));
        assert_eq!(&ka.text.en, text, "key action {code} text differs from the plan");
        let served = fw.indicators.iter().filter(|i| i.key_actions.contains(code)).count();
        assert!(served >= 1, "key action {code} ({text}) is served by no indicator");
    }
}

#[test]
fn indicators_carry_tags_targets_weights_and_interventions() {
    let fw = framework::current();
    let interventions: BTreeSet<&str> = fw.indicators.iter().map(|i| i.intervention.as_str()).collect();
    assert_eq!(interventions.len(), 4, "all four intervention types are used");
    let areas: BTreeSet<&str> =
        fw.indicators.iter().flat_map(|i| i.priority_areas.iter().map(|s| s.as_str())).collect();
    assert_eq!(areas, ["P1", "P2", "P3", "P4", "P5"].into_iter().collect());
    let comps: BTreeSet<&str> = fw.indicators.iter().filter_map(|i| i.competency.as_deref()).collect();
    assert_eq!(comps, ["expert", "management", "operational"].into_iter().collect());
    for i in &fw.indicators {
        assert!(i.default_target <= 4 && (1..=3).contains(&i.weight));
    }
}

#[test]
fn validation_names_what_is_broken() {
    let mut fw: Framework = framework::current().clone();
    fw.indicators[0].levels.pop();
    let dup = fw.indicators[1].code.clone();
    fw.indicators[2].code = dup.clone();
    fw.indicators[3].intervention = "magic".into();
    let errors = fw.validate().join("\n");
    assert!(errors.contains("4 level descriptors, need 5"), "{errors}");
    assert!(errors.contains(&format!("indicator {dup} is defined twice")), "{errors}");
    assert!(errors.contains("unknown intervention magic"), "{errors}");

    let mut fw = framework::current().clone();
    for i in &mut fw.indicators {
        i.key_actions.retain(|k| k != "4.1.1");
        if i.key_actions.is_empty() {
            i.key_actions.push("4.1.2".into());
        }
    }
    assert!(fw.validate().iter().any(|e| e == "key action 4.1.1 is served by no indicator"));
}

#[test]
fn the_registry_holds_the_23_members_with_their_baseline() {
    let members = framework::members();
    assert_eq!(members.len(), 23);
    let codes: BTreeSet<&str> = members.iter().map(|m| m.code.as_str()).collect();
    assert_eq!(codes.len(), 23);
    for m in members {
        assert!(!m.name.en.is_empty() && !m.name.fr.is_empty());
        assert!(framework::SUBREGIONS.contains(&m.subregion.as_str()));
    }
    // Appendix 1b: HS 2017 in AU, FJ, NZ, PG, VU only.
    let hs2017: BTreeSet<&str> =
        members.iter().filter(|m| m.baseline.hs_version == "2017").map(|m| m.code.as_str()).collect();
    assert_eq!(hs2017, ["AU", "FJ", "NZ", "PG", "VU"].into_iter().collect());
    let fj = framework::member("FJ").expect("Fiji");
    assert_eq!(fj.baseline.automation, "ASYCUDA World");
    assert_eq!(fj.country.as_ref().and_then(|c| c.population), Some(867_000.0));
    let french: Vec<&str> =
        members.iter().filter(|m| m.languages.iter().any(|l| l == "fr")).map(|m| m.code.as_str()).collect();
    assert_eq!(french.len(), 3, "NC, PF, WF are French-speaking: {french:?}");
}
