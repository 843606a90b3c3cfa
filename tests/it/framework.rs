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
    let french: BTreeSet<&str> =
        members.iter().filter(|m| m.languages.iter().any(|l| l == "fr")).map(|m| m.code.as_str()).collect();
    assert_eq!(french, ["NC", "PF", "VU", "WF"].into_iter().collect(), "French is among their languages");
    // The first language is the one the administration works in: Vanuatu's is English.
    let working_fr: BTreeSet<&str> =
        members.iter().filter(|m| m.languages.first().is_some_and(|l| l == "fr")).map(|m| m.code.as_str()).collect();
    assert_eq!(working_fr, ["NC", "PF", "WF"].into_iter().collect());
}

#[test]
fn every_indicator_serving_a_key_action_carries_its_priority_area() {
    let fw = framework::current();
    for i in &fw.indicators {
        for k in &i.key_actions {
            let area = format!("P{}", &k[..1]);
            assert!(i.priority_areas.contains(&area), "{} serves {k} but lacks {area}", i.code);
        }
    }
    // The four the review found missing.
    for (code, area) in [("LP-09", "P2"), ("DC-02", "P5"), ("DC-05", "P4"), ("DC-10", "P3")] {
        assert!(fw.indicator(code).unwrap().priority_areas.iter().any(|p| p == area), "{code} {area}");
    }
    // And validation refuses a missing one.
    let mut broken = fw.clone();
    let lp09 = broken.indicators.iter_mut().find(|i| i.code == "LP-09").unwrap();
    lp09.priority_areas.retain(|p| p != "P2");
    assert!(
        broken
            .validate()
            .iter()
            .any(|e| e == "indicator LP-09: serves key action 2.2.2 but lacks its priority area P2")
    );
}

#[test]
fn content_revision_2_corrections() {
    let fw = framework::current();
    assert_eq!(fw.meta.version, 1);
    assert!(fw.meta.revision >= 2, "revision 2's corrections stay in later revisions");
    // The new indicators, and who serves what.
    let lp13 = fw.indicator("LP-13").expect("national intelligence capability");
    assert_eq!((lp13.since, lp13.key_actions.as_slice()), (2, ["2.2.1".to_string()].as_slice()));
    let wf12 = fw.indicator("WF-12").expect("Customs agency of the future");
    assert!(wf12.title.en.contains("agency of the future") && wf12.since == 2);
    let serving_221: Vec<&str> =
        fw.indicators.iter().filter(|i| i.key_actions.iter().any(|k| k == "2.2.1")).map(|i| i.code.as_str()).collect();
    assert!(serving_221.contains(&"LP-13") && serving_221.len() >= 2, "{serving_221:?}");
    // Key action 1.3.2's indicator, and the three blank in the plan.
    let ka = |c: &str| fw.meta.key_actions.iter().find(|k| k.code == c).unwrap();
    assert_eq!(ka("1.3.2").me_indicator.en, "Effective implementation of OCO annual conference decisions");
    let added: Vec<&str> =
        fw.meta.key_actions.iter().filter(|k| k.me_added_by_framework).map(|k| k.code.as_str()).collect();
    assert_eq!(added, ["1.1.4", "2.1.3", "3.3.1"]);
    // LP-01's guidance no longer says a compliant law alone reaches level 3.
    let lp01 = fw.indicator("LP-01").unwrap();
    assert!(!lp01.guidance.en.contains("is enough to reach level 3"));
    assert!(lp01.levels[3].en.contains("accession is completed or formally initiated"));
    // LP-06 says which HS edition it measures.
    assert!(fw.indicator("LP-06").unwrap().guidance.en.contains("HS 2022 at the time of writing"));
    // Readiness: the ability and willingness items, as framework data.
    use framework::Axis;
    let of = |axis| -> Vec<&str> {
        fw.indicators.iter().filter(|i| i.axis == Some(axis)).map(|i| i.code.as_str()).collect()
    };
    // Issue 21: willingness is what shows willingness (leadership, the use of the self-assessment);
    // the diagnostic-based plan and government support are on the ability side.
    assert_eq!(of(Axis::Ability), ["RD-02", "RD-04", "RD-05", "RD-06", "RD-07", "RD-08", "RD-09"]);
    assert_eq!(of(Axis::Willingness), ["RD-01", "RD-03"]);
}

#[test]
fn french_text_corrections() {
    let fw = framework::current();
    let all_fr: Vec<String> = {
        let v = serde_json::to_value(&fw.indicators).unwrap().to_string();
        let m = serde_json::to_value(&fw.meta).unwrap().to_string();
        vec![v, m]
    };
    for text in &all_fr {
        for wrong in ["autoévaluation", "compétences managériales", "Direction efficace", "retour à 360°", "(vacances,"]
        {
            assert!(!text.contains(wrong), "{wrong}");
        }
    }
    assert!(fw.indicator("WF-01").unwrap().levels[4].fr.contains("postes vacants"));
    assert!(fw.indicator("WF-02").unwrap().levels[4].fr.contains("évaluation à 360°"));
    assert!(!fw.indicator("WF-08").unwrap().levels[3].fr.contains("matières clés, qui"));
    assert!(
        fw.indicator("DC-06")
            .unwrap()
            .guidance
            .fr
            .contains("Réseau de lutte contre la criminalité transnationale du Pacifique")
    );
    assert_eq!(fw.priority_area("P2").unwrap().name.fr, "Lutte contre la fraude et sécurité des frontières");
}

#[test]
fn the_registry_notes_and_timor_leste() {
    let tl = framework::member("TL").unwrap();
    assert_eq!(tl.name.fr, "Timor-Leste");
    assert_eq!(tl.subregion, "other", "Timor-Leste is not in Melanesia");
    let melanesia: BTreeSet<&str> =
        framework::members().iter().filter(|m| m.subregion == "melanesia").map(|m| m.code.as_str()).collect();
    assert_eq!(melanesia, ["FJ", "NC", "PG", "SB", "VU"].into_iter().collect());
    for code in ["PG", "GU", "TL"] {
        let note = framework::member(code).unwrap().note.as_ref().expect(code);
        assert!(!note.en.is_empty() && !note.fr.is_empty());
    }
    for lang in Lang::ALL {
        assert_ne!(lang.t("subregion.other"), "subregion.other");
    }
    // The small-administration flag is registry data; today's list is the population < 150,000
    // assumption (documented as an assumption, not as the plan's rule).
    let small: Vec<&str> =
        framework::members().iter().filter(|m| m.small_administration).map(|m| m.code.as_str()).collect();
    let by_population: Vec<&str> = framework::members()
        .iter()
        .filter(|m| m.country.as_ref().and_then(|c| c.population).is_some_and(|p| p < 150_000.0))
        .map(|m| m.code.as_str())
        .collect();
    assert_eq!(small, by_population);
}

/// Member code WF (Wallis and Futuna) is also pillar code WF (Workforce): every lookup is typed by
/// what it looks up, so neither can stand for the other.
#[test]
fn member_wf_and_pillar_wf_are_never_confused() {
    let fw = framework::current();
    let members: BTreeSet<&str> = framework::members().iter().map(|m| m.code.as_str()).collect();
    let pillars: BTreeSet<&str> = fw.meta.pillars.iter().map(|p| p.code.as_str()).collect();
    assert_eq!(members.intersection(&pillars).copied().collect::<Vec<_>>(), ["WF"], "the one shared code");
    assert_eq!(framework::member("WF").unwrap().name.en, "Wallis and Futuna");
    assert_eq!(fw.pillar_name("WF", Lang::En), "Workforce");
    assert!(fw.indicator("WF").is_none() && framework::member("LP").is_none());
    assert_eq!(cdf_assess::report::tables::member_name("WF", Lang::Fr), "Wallis-et-Futuna");
    // Indicator codes carry a dash, so a member code is never an indicator code.
    assert!(fw.indicators.iter().all(|i| i.code.starts_with(&format!("{}-", i.pillar))));
    // i18n keys built from codes are namespaced (subregion.*, verdict.*): no bare "WF" key.
    for lang in Lang::ALL {
        assert_eq!(lang.t("WF"), "WF", "no catalogue key is a bare code");
    }
}
