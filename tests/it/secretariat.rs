//! Consolidation over the demo data, the M&E indicators, and the Secretariat pages (kittest).
#![cfg(feature = "demo")]

use crate::ui::{app_over, harness, setup};
use cdf_assess::app::KeysCmd;
use cdf_assess::app::Role;
use cdf_assess::demo;
use cdf_assess::exchange;
use cdf_assess::framework;
use cdf_assess::lang::Lang;
use cdf_assess::scoring;
use cdf_assess::secretariat::consolidate::{self, MeValue, ReturnStatus};
use cdf_assess::secretariat::import::import_bytes;
use cdf_assess::store::Store;
use cdf_assess::ui::Page;
use egui_kittest::kittest::Queryable;
use std::collections::BTreeMap;

fn store_with(files: &[demo::DemoFile]) -> Store {
    let mut s = Store::open_in_memory().unwrap();
    for f in files {
        import_bytes(&mut s, &f.file_name, &f.bytes, &[]).unwrap();
    }
    s
}

#[test]
fn consolidation_matches_an_independent_computation_and_ignores_superseded_revisions() {
    let files = demo::generate(11, 2026, 2, 3);
    let store = store_with(&files);
    let c = consolidate::consolidate(&store, 2026).unwrap();
    assert_eq!(c.members.len(), 23);

    // Independently: the highest revision per member in 2026, read straight from the files.
    let mut latest: BTreeMap<String, &demo::DemoFile> = BTreeMap::new();
    for f in files.iter().filter(|f| f.cycle == 2026) {
        let e = latest.entry(f.member.clone()).or_insert(f);
        if f.revision > e.revision {
            *e = f;
        }
    }
    assert_eq!(c.received(), latest.len());
    let fw = framework::current();
    let mut sums = vec![(0.0, 0usize); fw.meta.pillars.len()];
    let mut revised = 0;
    for (code, f) in &latest {
        let m = c.members.iter().find(|m| &m.member == code).unwrap();
        assert_eq!(m.status, ReturnStatus::Received);
        assert_eq!(m.revision(), Some(f.revision), "{code}: the latest revision counts");
        revised += usize::from(f.revision > 1);
        let body = exchange::read(&f.bytes, &[]).unwrap().body;
        let (_, responses) = body.to_assessment_parts();
        let s = scoring::score(fw, &responses);
        for (k, p) in s.pillars.iter().enumerate() {
            if let Some(v) = p.score {
                sums[k].0 += v;
                sums[k].1 += 1;
            }
        }
    }
    assert!(revised > 0, "the demo data has revisions, so superseding is exercised");
    for (k, avg) in c.regional.iter().enumerate() {
        let expected = sums[k].0 / sums[k].1 as f64;
        assert!((avg.mean.unwrap() - expected).abs() < 1e-9, "{}: {:?} vs {expected}", avg.pillar, avg.mean);
        assert_eq!(avg.members, sums[k].1);
    }
    // Sub-regions partition the members.
    let n: usize = c.subregional.iter().map(|(_, a)| a[0].members).sum();
    assert_eq!(n, c.regional[0].members);
    // M&E: members with post-clearance audit, counted from the latest known profiles: this
    // cycle's return, else the latest revision of 2025, else the baseline.
    let mut earlier: BTreeMap<String, &demo::DemoFile> = BTreeMap::new();
    for f in files.iter().filter(|f| f.cycle == 2025) {
        let e = earlier.entry(f.member.clone()).or_insert(f);
        if f.revision > e.revision {
            *e = f;
        }
    }
    let pca_of = |f: &demo::DemoFile| exchange::read(&f.bytes, &[]).unwrap().body.profile.pca == "yes";
    let mut pca = 0;
    let mut carried = 0;
    for m in framework::members() {
        pca += usize::from(match (latest.get(&m.code), earlier.get(&m.code)) {
            (Some(f), _) => pca_of(f),
            (None, Some(f)) => {
                carried += 1;
                pca_of(f)
            }
            (None, None) => m.baseline.pca == "yes",
        });
    }
    let me = c.me.iter().find(|m| m.id == "pca").unwrap();
    assert_eq!(me.latest, Some(MeValue::Count { count: pca, of: 23 }));
    assert_eq!(me.carried, carried);
    // Demand: members needing training = members with at least one training gap.
    let training = c.demand.iter().find(|d| d.intervention == "training").unwrap();
    let expected = c
        .members
        .iter()
        .filter_map(|m| m.scores.as_ref())
        .filter(|s| s.indicators.iter().any(|i| i.gap > 0 && i.intervention == "training"))
        .count();
    assert_eq!(training.members, expected);
    assert_eq!(c.trend.cycles, vec![2025, 2026]);
}

#[test]
fn with_the_baseline_profiles_alone_hs2017_reads_5_of_23() {
    let store = Store::open_in_memory().unwrap();
    let c = consolidate::consolidate(&store, 2026).unwrap();
    assert_eq!(c.received(), 0);
    assert!(c.members.iter().all(|m| m.status == ReturnStatus::NotReceived));
    let hs = c.me.iter().find(|m| m.id == "hs2017").unwrap();
    assert_eq!(hs.latest, Some(MeValue::Count { count: 5, of: 23 }));
    assert_eq!(hs.baseline, Some(MeValue::Count { count: 5, of: 23 }));
    assert_eq!(hs.met, Some(false), "target is 70%");
    assert_eq!(hs.latest_text(), "5 / 23 (22%)");
}

fn secretariat_app(db: &std::path::Path) -> egui_kittest::Harness<'static, cdf_assess::ui::CdfApp> {
    let mut app = app_over(Store::open(db));
    setup(&mut app, Role::Secretariat, None);
    app.go(Page::Import);
    harness(app)
}

fn wait_for_import(h: &mut egui_kittest::Harness<'static, cdf_assess::ui::CdfApp>) {
    for _ in 0..600 {
        h.step();
        if !h.state().client.busy() {
            h.run();
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    panic!("import did not finish");
}

#[test]
fn import_through_the_page_then_register_dashboard_and_a_member() {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    let files = demo::generate(5, 2026, 1, 1);
    for f in files.iter().filter(|f| ["FJ", "TO", "WS"].contains(&f.member.as_str())) {
        std::fs::write(inbox.join(&f.file_name), &f.bytes).unwrap();
    }
    std::fs::write(inbox.join("broken.ocoreturn"), b"{ not a return").unwrap();
    let mut h = secretariat_app(&tmp.path().join("sec.sqlite3"));
    h.run();
    h.state_mut().pages.import.folder = inbox.display().to_string();
    h.get_by_label("Import this folder").click();
    h.run();
    wait_for_import(&mut h);
    // Three in this session's results and the same three in the history of received files.
    assert_eq!(h.get_all_by_label("Accepted").count(), 6);
    h.get_by_label("Rejected");
    h.get_by_label_contains("not a return file");

    h.get_by_label("Returns register").click();
    h.run();
    h.get_by_label("3 of 23 members have returned for this cycle.");
    h.get_by_label("20 member(s) to chase");

    h.get_by_label("Dashboard").click();
    h.run();
    h.get_by_label("Members × pillars (score /100)");
    // Drill down into a pillar, then back.
    h.get_by_role_and_label(egui::accesskit::Role::Button, "Digital Customs").click();
    h.run();
    h.get_by_label_contains("Digital Customs: members × indicators");
    h.get_by_label("‹ All pillars").click();
    h.run();
    // Open a member from the heat map: its results, as the administration sees them.
    crate::results::scroll_into_view(&mut h, "Tonga");
    h.get_by_role_and_label(egui::accesskit::Role::Button, "Tonga").click();
    h.run();
    let st = h.state();
    assert_eq!(st.page, Page::Results);
    assert_eq!(st.session().unwrap().data.header.member, "TO");
    h.get_by_label("Readiness verdict: able and willing?");

    // Importing the same folder again changes nothing.
    h.get_by_label("Import returns").click();
    h.run();
    h.get_by_label("Import this folder").click();
    h.run();
    wait_for_import(&mut h);
    assert_eq!(h.get_all_by_label("Already imported").count(), 3);
}

#[test]
fn monitoring_page_shows_the_me_indicators() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("sec.sqlite3");
    {
        let mut s = Store::open(&db).unwrap();
        for f in demo::generate(3, 2026, 1, 1) {
            import_bytes(&mut s, &f.file_name, &f.bytes, &[]).unwrap();
        }
    }
    let mut h = secretariat_app(&db);
    h.get_by_label("M&E indicators").click();
    h.run();
    // Two measures for the first M&E indicator: returns (direct), RD-03 (proxy).
    assert_eq!(h.get_all_by_label("Capability Development Framework adopted and implemented").count(), 2);
    h.get_all_by_label("Proxy").next().expect("measures say direct or proxy");
    h.get_by_label("Effective Leadership at national administrations");
    h.get_by_label("Professional Customs Organisation (added by the framework)");
    h.get_by_label("Français").click();
    h.run();
    h.get_by_label("Suivi et évaluation");
}

#[test]
fn encrypted_returns_import_through_the_page_with_the_secretariat_key() {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    let mut h = secretariat_app(&tmp.path().join("sec.sqlite3"));
    h.state_mut().send(KeysCmd::GenerateKeypair);
    let public = h.state().snapshot().own_public_key.clone().expect("key pair created");
    let f = demo::generate(9, 2026, 1, 1).into_iter().find(|f| f.member == "WF").unwrap();
    std::fs::write(inbox.join(&f.file_name), exchange::encrypt(&f.bytes, &public).unwrap()).unwrap();
    h.state_mut().pages.import.folder = inbox.display().to_string();
    h.run();
    h.get_by_label("Import this folder").click();
    h.run();
    wait_for_import(&mut h);
    let r = &h.state().snapshot().import_results[0];
    assert_eq!(r.outcome, cdf_assess::secretariat::import::Outcome::Accepted, "{}", r.reason.message(Lang::En));
}

/// A return of FJ for 2026 from demo seed `seed` (signed with that seed's FJ key).
fn fj_2026(seed: u64) -> demo::DemoFile {
    demo::generate(seed, 2026, 1, 1).into_iter().find(|f| f.member == "FJ").unwrap()
}

fn counted_fj(h: &egui_kittest::Harness<'static, cdf_assess::ui::CdfApp>) -> Option<String> {
    let c = h.state().snapshot().sec.consolidation.clone()?;
    let m = c.members.iter().find(|m| m.member == "FJ")?;
    m.assessment.as_ref().map(|a| a.header.uuid.clone())
}

#[test]
fn the_secretariat_settles_a_different_key_and_a_second_assessment_in_the_window() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("sec.sqlite3");
    let (first, second) = (fj_2026(1), fj_2026(2));
    let uuid = |f: &demo::DemoFile| {
        exchange::canonical_uuid(&exchange::read(&f.bytes, &[]).unwrap().body.assessment_uuid).unwrap_or_default()
    };
    let (first_id, second_id) = (uuid(&first), uuid(&second));
    {
        let mut s = Store::open(&db).unwrap();
        let r = import_bytes(&mut s, &first.file_name, &first.bytes, &[]).unwrap();
        assert_eq!(r.outcome, cdf_assess::secretariat::import::Outcome::Accepted);
        // Another installation (another key) sends a second assessment of FJ for the same cycle.
        let r = import_bytes(&mut s, "FJ_2026_other.ocoreturn", &second.bytes, &[]).unwrap();
        assert_ne!(r.outcome, cdf_assess::secretariat::import::Outcome::Accepted, "{}", r.reason.message(Lang::En));
    }
    let mut h = secretariat_app(&db);
    h.get_by_label("Returns register").click();
    h.run();
    assert_eq!(counted_fj(&h).as_deref(), Some(first_id.as_str()), "the first still counts, the other nowhere");
    h.get_by_label("1 file(s) to settle");
    h.get_by_label_contains("signed by a different key");
    // The member confirmed the new key on the phone: use it.
    h.get_by_label("Use the new file").click();
    h.run();
    h.get_by_label("Conflict settled.");
    // Now the key is trusted, the file is what it is: a second assessment for the same cycle.
    h.get_by_label_contains("a second assessment for FJ 2026");
    assert_eq!(counted_fj(&h).as_deref(), Some(first_id.as_str()), "still nothing changed the figures");
    h.get_by_label("Use the new file").click();
    h.run();
    assert_eq!(counted_fj(&h).as_deref(), Some(second_id.as_str()), "the chosen assessment counts");
    assert!(h.query_by_label("Use the new file").is_none(), "nothing left to settle");
}

#[test]
fn the_secretariat_pins_a_member_key_by_hand_in_settings() {
    let tmp = tempfile::tempdir().unwrap();
    let mut h = secretariat_app(&tmp.path().join("sec.sqlite3"));
    h.get_by_label("Settings").click();
    h.run();
    h.get_by_label("No member key pinned yet.");
    // The member picker is the one of first-run setup (tested there); choose Tonga in it.
    h.state_mut().pages.settings.pin_member = Some("TO".into());
    h.run();
    let public = demo::member_key(1, "TO").public().to_base64();
    h.get_by_label("Member's public key (RW…)").scroll_to_me();
    h.run();
    h.get_by_label("Member's public key (RW…)").focus();
    h.get_by_label("Member's public key (RW…)").type_text(&public);
    h.run();
    h.get_by_label("Pin this key").scroll_to_me();
    h.run();
    h.get_by_label("Pin this key").click();
    h.run();
    let fp = demo::member_key(1, "TO").public().fingerprint();
    h.get_by_label(&fp);
    h.get_by_label_contains("pinned by hand");
    let keys = h.state().snapshot().member_keys.clone();
    assert_eq!((keys.len(), keys[0].member.as_str()), (1, "TO"));
}

#[test]
fn a_member_whose_only_file_waits_for_an_earlier_revision_shows_as_waiting() {
    let files = demo::generate(1, 2026, 1, 2);
    let r2 = files.iter().find(|f| f.revision == 2).expect("demo data has revisions");
    let mut s = Store::open_in_memory().unwrap();
    let r = import_bytes(&mut s, &r2.file_name, &r2.bytes, &[]).unwrap();
    assert_eq!(r.outcome, cdf_assess::secretariat::import::Outcome::Held);
    let c = consolidate::consolidate(&s, 2026).unwrap();
    let m = c.members.iter().find(|m| m.member == r2.member).unwrap();
    assert_eq!(m.status, ReturnStatus::Waiting);
    assert!(m.assessment.is_none(), "counted nowhere");
    assert!(c.not_received().all(|x| x.member != r2.member), "not chased as missing");
}
