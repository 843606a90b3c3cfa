//! Content revision 3 (issue 21): level 4 stated per indicator, LP-06 without holes, LP-04 for
//! members outside the WTO, priority areas implied by key actions, French everywhere, the current
//! HS edition as data, and the revision's change log. Checked over the embedded framework.

use cdf_assess::framework::{self, Framework};
use cdf_assess::i18n;
use cdf_assess::lang::Lang;
use serde_json::Value;
use std::collections::BTreeSet;

const OLD_SENTENCE_EN: [&str; 2] = ["one path to level 4", "Sharing with the OCO or the region is"];
const OLD_SENTENCE_FR: [&str; 2] = ["une voie vers le niveau 4", "Le partage avec l'OCO ou la région est"];

#[test]
fn no_level_4_descriptor_keeps_the_appended_sentence() {
    let fw = framework::current();
    let mut checked = 0;
    for i in fw.indicators.iter() {
        checked += 1;
        let l4 = &i.levels[4];
        for s in OLD_SENTENCE_EN {
            assert!(!l4.en.contains(s), "{}: level 4 still says {s:?}", i.code);
        }
        for s in OLD_SENTENCE_FR {
            assert!(!l4.fr.contains(s), "{}: level 4 still says {s:?}", i.code);
        }
        // Where level 4 names the OCO, it is one alternative among named ones, never the only way.
        if l4.en.contains("OCO") {
            assert!(l4.en.contains(" or "), "{}: level 4 makes the OCO a condition: {}", i.code, l4.en);
        }
        if l4.fr.contains("OCO") {
            assert!(l4.fr.contains(" ou "), "{}: level 4 makes the OCO a condition: {}", i.code, l4.fr);
        }
    }
    assert_eq!(checked, 35, "the WF, LP and DC indicators");
    // Nor the level scale's own summary.
    let summary = &fw.meta.levels[4].summary;
    assert!(!summary.en.contains("Sharing with the OCO") && !summary.fr.contains("Le partage avec l'OCO"));
}

#[test]
fn every_priority_area_is_implied_by_one_of_its_key_actions() {
    let fw = framework::current();
    for i in &fw.indicators {
        // Key action "5.2.1" belongs to priority area P5: worked out here on its own.
        let implied: BTreeSet<String> = i
            .key_actions
            .iter()
            .map(|k| {
                let area = k.split('.').next().unwrap();
                assert!(fw.meta.key_actions.iter().any(|x| &x.code == k), "{}: unknown key action {k}", i.code);
                format!("P{area}")
            })
            .collect();
        let carried: BTreeSet<String> = i.priority_areas.iter().cloned().collect();
        assert_eq!(carried, implied, "{}: priority areas vs its key actions {:?}", i.code, i.key_actions);
        assert!(framework::priority_area_problems(i).is_empty(), "{}", i.code);
    }
    // The review's example: WF-12 serves only 5.2.1, so it carries P5 only.
    assert_eq!(fw.indicator("WF-12").unwrap().priority_areas, ["P5"]);

    // The build refuses an area no key action implies (the same function runs in build.rs).
    let mut broken: Framework = fw.clone();
    broken.indicators.iter_mut().find(|i| i.code == "WF-12").unwrap().priority_areas.push("P1".into());
    let errors = broken.validate();
    assert!(
        errors.iter().any(|e| e == "indicator WF-12: priority area P1 is implied by none of its key actions"),
        "{errors:?}"
    );
    assert_eq!(framework::key_action_area("2.2.1"), "P2");
}

/// Every `{en, fr}` text (or list) in a JSON value: (where, English, French).
fn bilingual(v: &Value, at: &str, out: &mut Vec<(String, String, String)>) {
    match v {
        Value::Object(m) => {
            if let (Some(en), Some(fr)) = (m.get("en"), m.get("fr")) {
                match (en, fr) {
                    (Value::String(en), Value::String(fr)) => out.push((at.into(), en.clone(), fr.clone())),
                    (Value::Array(en), Value::Array(fr)) => {
                        assert_eq!(en.len(), fr.len(), "{at}: lists of different lengths");
                        for (n, (e, f)) in en.iter().zip(fr).enumerate() {
                            let s = |x: &Value| x.as_str().unwrap_or_default().to_string();
                            out.push((format!("{at}[{n}]"), s(e), s(f)));
                        }
                    }
                    _ => panic!("{at}: en and fr of different kinds"),
                }
            }
            for (k, x) in m {
                if k != "en" && k != "fr" {
                    let name = x.get("code").or_else(|| x.get("id")).and_then(|c| c.as_str()).unwrap_or(k);
                    bilingual(x, &format!("{at}.{name}"), out);
                }
            }
        }
        Value::Array(a) => {
            for (n, x) in a.iter().enumerate() {
                let name = x.get("code").or_else(|| x.get("id")).and_then(|c| c.as_str());
                bilingual(x, &name.map_or_else(|| format!("{at}[{n}]"), |c| format!("{at}.{c}")), out);
            }
        }
        _ => {}
    }
}

fn framework_texts(fw: &Framework) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    bilingual(&serde_json::to_value(&fw.meta).unwrap(), "framework", &mut out);
    bilingual(&serde_json::to_value(&fw.indicators).unwrap(), "indicators", &mut out);
    out
}

#[test]
fn every_french_string_of_the_framework_is_there_and_translated() {
    // Proper nouns and codes that are the same in both languages: none today.
    const SAME_IN_BOTH: &[&str] = &[];
    let fw = framework::current();
    let texts = framework_texts(fw);
    assert!(texts.len() > 700, "{} texts found: the walk misses some", texts.len());
    for (at, en, fr) in &texts {
        if en.is_empty() && fr.is_empty() && at.ends_with(".description") {
            continue; // an optional description left out of the data (core capabilities)
        }
        assert!(!en.trim().is_empty(), "{at}: English empty");
        assert!(!fr.trim().is_empty(), "{at}: French empty");
        assert!(en != fr || SAME_IN_BOTH.contains(&en.as_str()), "{at}: French equals English: {en:?}");
    }
    // The level names, which the old check let through ("Initial").
    assert_eq!(fw.level_name(1, Lang::Fr), "Amorcé");
}

/// Every (case, level) the LP-06 levels must cover, by the words of the descriptor that takes it.
const LP06_CASES: [(&str, usize); 7] = [
    ("not based on the HS", 0),
    ("two or more editions behind the current HS edition and no work to move it has started", 0),
    ("one edition behind the current HS edition and no work to move it has started", 1),
    ("two or more editions behind and work has started", 1),
    ("one edition behind the current HS edition and its transposition is under way", 2),
    ("in force in law or in the Customs system but not yet in both", 2),
    ("in force in law and in the Customs system", 3),
];

#[test]
fn lp06_levels_cover_every_tariff_including_one_edition_behind_with_no_work_started() {
    let fw = framework::current();
    let lp06 = fw.indicator("LP-06").unwrap();
    for (case, level) in LP06_CASES {
        let holders: Vec<usize> = (0..5).filter(|l| lp06.levels[*l].en.contains(case)).collect();
        assert_eq!(holders, [level], "LP-06 case {case:?}");
    }
    // Level 3 (and below) no longer needs the Pacific Tariff Framework, which the M&E cannot
    // measure; it appears at level 4 only, as a condition where a member adopted it.
    for l in 0..4 {
        assert!(!lp06.levels[l].en.contains("Pacific Tariff Framework"), "LP-06 level {l}");
        assert!(!lp06.levels[l].fr.contains("Cadre tarifaire du Pacifique"), "LP-06 level {l}");
    }
    assert!(lp06.levels[4].en.contains("where the member has adopted it"));
    // The levels say "the current HS edition", never a year; the year is framework data.
    for l in &lp06.levels {
        assert!(framework::hs_editions_named(&l.en).is_empty() && framework::hs_editions_named(&l.fr).is_empty());
    }
    assert_eq!(fw.meta.current_hs_edition, 2022);
    assert!(lp06.guidance.en.contains(&format!("HS {}", fw.meta.current_hs_edition)));
    assert_eq!(fw.meta.hs_editions(), ["2022", "2017", "2012", "2007", "2002"]);

    // A text naming another edition than the current one (or the plan's HS 2017) is refused.
    let mut broken = fw.clone();
    broken.meta.current_hs_edition = 2027;
    let errors = broken.validate();
    assert!(errors.iter().any(|e| e.starts_with("indicator LP-06: names HS 2022")), "{errors:?}");
    broken.meta.current_hs_edition = 2023;
    assert!(broken.validate().iter().any(|e| e.contains("current_hs_edition 2023 is not an HS edition")));
}

#[test]
fn lp04_speaks_of_categories_and_notifications_only_for_wto_members() {
    let lp04 = framework::current().indicator("LP-04").unwrap();
    for (n, l) in lp04.levels.iter().enumerate() {
        if l.en.contains("categor") || l.en.contains("notified") {
            assert!(l.en.contains("WTO members"), "LP-04 level {n}: {}", l.en);
        }
        if l.fr.contains("catégorie") || l.fr.contains("notifié") {
            assert!(l.fr.contains("membres de l'OMC"), "LP-04 level {n}: {}", l.fr);
        }
    }
    assert!(lp04.levels[4].en.contains("other members"), "the non-member's level 4");
    assert!(lp04.guidance.en.contains("outside the WTO"));
}

#[test]
fn wf09_target_and_wf12_one_dimension() {
    let fw = framework::current();
    assert_eq!(fw.indicator("WF-09").unwrap().default_target, 3);
    // WF-12's levels grade the staffing model only: no level adds employer image or an
    // innovation culture as a further condition.
    let wf12 = fw.indicator("WF-12").unwrap();
    for (n, l) in wf12.levels.iter().enumerate() {
        assert!(l.en.to_lowercase().contains("staff"), "WF-12 level {n} is about staffing: {}", l.en);
        assert!(!l.en.contains("employer") && !l.en.contains("culture"), "WF-12 level {n}: {}", l.en);
    }
}

#[test]
fn revision_3_with_its_change_log_in_both_languages() {
    let fw = framework::current();
    assert_eq!((fw.meta.version, fw.meta.revision), (1, 3));
    assert!(fw.meta.changes.len() >= 5, "{} changes", fw.meta.changes.len());
    for c in &fw.meta.changes {
        assert!(!c.en.trim().is_empty() && !c.fr.trim().is_empty() && c.en != c.fr, "{c:?}");
    }
    let mut broken = fw.clone();
    broken.meta.changes.clear();
    assert!(broken.validate().iter().any(|e| e == "framework.json: revision 3 has no change log (changes)"));
}

#[test]
fn the_registry_corrections() {
    let pg = framework::member("PG").unwrap();
    let c = pg.country.as_ref().unwrap();
    assert_eq!((c.gdp_currency.as_deref(), c.gdp_total_thousands), (Some("USD"), Some(14_287_735.0)));
    let note = pg.note.as_ref().unwrap();
    assert!(note.en.contains("kina") && note.fr.contains("kina"));
    for code in ["AU", "NZ"] {
        let m = framework::member(code).unwrap();
        assert_eq!(m.baseline.automation, "ASYCUDA World", "kept as the plan has it");
        let note = m.note.as_ref().expect(code);
        assert!(note.en.contains("doubtful") && note.fr.contains("douteux"), "{code}");
    }
    let vu = framework::member("VU").unwrap();
    assert_eq!(vu.languages, ["en", "fr"]);
}

/// `word` in `text`, not as part of a longer word ("préférentiel" holds "référentiel",
/// "douane-fiscalité" holds "douane-fisc").
fn has_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(char::is_alphabetic) && !after.is_some_and(char::is_alphabetic)
    })
}

/// The terms the French review replaced are gone from the framework (apart from the M&E
/// indicators, kept with the M&E work) and from the catalogues (apart from the M&E and readiness
/// keys).
#[test]
fn french_terminology_is_one_term_per_notion() {
    const GONE: [&str; 14] = [
        "le fisc",
        "douane-fisc",
        "taux de découvertes",
        "en matière de répression",
        "informations de contrôle",
        "l'harmonisation des procédures et des systèmes d'accise",
        "retour d'information",
        "retours d'information",
        "Cher collègue",
        "moitié centrale",
        "main-d'œuvre future",
        "est-elle en mesure et disposée",
        "Une unité CAP formée",
        "cadre tarifaire pour le Pacifique",
    ];
    let fw = framework::current();
    let mut french: Vec<(String, String)> = framework_texts(fw)
        .into_iter()
        .filter(|(at, _, _)| !at.starts_with("framework.me_indicators"))
        .map(|(at, _, fr)| (at, fr))
        .collect();
    for key in i18n::keys(Lang::Fr) {
        if !key.starts_with("me.") && !key.starts_with("readiness.") {
            french.push((key.to_string(), i18n::tr(Lang::Fr, key).to_string()));
        }
    }
    for (at, fr) in &french {
        for term in GONE {
            assert!(!has_word(&fr.to_lowercase(), &term.to_lowercase()), "{at}: {term:?} in {fr:?}");
        }
        for (a, b) in [("référentiel", "cadre"), ("poids", "pondération"), ("accompagnement", "coaching")] {
            assert!(!has_word(&fr.to_lowercase(), a), "{at}: {a:?} (the term is {b:?}) in {fr:?}");
        }
    }
    assert_eq!(Lang::Fr.t("benchmark.quartiles"), "Région, écart interquartile");
    assert!(Lang::Fr.t("feedback.email_body").starts_with("Madame, Monsieur,"));
}

/// Placeholders stay the same in both languages for every key of the catalogues.
#[test]
fn catalogue_placeholders_match_between_languages() {
    let holes = |s: &str| -> BTreeSet<String> {
        s.split('{').skip(1).filter_map(|p| p.split_once('}')).map(|(name, _)| name.to_string()).collect()
    };
    for key in i18n::keys(Lang::En) {
        assert_eq!(holes(i18n::tr(Lang::En, key)), holes(i18n::tr(Lang::Fr, key)), "{key}");
    }
}
