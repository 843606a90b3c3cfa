//! The Secretariat's work programme (issue 24): the needs against an independent computation over
//! the demo returns, the proposal rule and its memory, the work programme's workbook and PDF, the
//! page opened by its label, and the command line.
#![cfg(feature = "demo")]

use crate::pdf::pdf_text;
use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use cdf_assess::assessment::{Answer, NeedCategory};
use cdf_assess::demo::{self, DemoFile};
use cdf_assess::exchange;
use cdf_assess::framework;
use cdf_assess::lang::Lang;
use cdf_assess::report::programme as report;
use cdf_assess::secretariat::consolidate::consolidate_without_trend;
use cdf_assess::secretariat::import::import_bytes;
use cdf_assess::secretariat::programme::{
    self as prog, GroupBy, Intervention, InterventionStatus, NeedFilter, Request, Scope, SortBy,
};
use cdf_assess::store::Store;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Cursor;
use std::sync::OnceLock;

const CYCLE: i32 = 2026;

fn demo_files() -> &'static [DemoFile] {
    static FILES: OnceLock<Vec<DemoFile>> = OnceLock::new();
    FILES.get_or_init(|| demo::generate(7, CYCLE, 2, 2))
}

fn demo_store() -> Store {
    let mut store = Store::open_in_memory().unwrap();
    for f in demo_files() {
        import_bytes(&mut store, &f.file_name, &f.bytes, &[]).unwrap();
    }
    store
}

/// (member, indicator, request) of every gap, from the return files alone: each member's highest
/// revision of the cycle, level below target (insufficient counts as 0), need C.
fn expected_gaps() -> Vec<(String, String, bool)> {
    let mut latest: BTreeMap<&str, &DemoFile> = BTreeMap::new();
    for f in demo_files().iter().filter(|f| f.cycle == CYCLE) {
        let e = latest.entry(f.member.as_str()).or_insert(f);
        if f.revision > e.revision {
            *e = f;
        }
    }
    let mut out = Vec::new();
    for (m, f) in latest {
        let body = exchange::read(&f.bytes, &[]).unwrap().body;
        for r in &body.responses {
            let level = match r.answer {
                Answer::Insufficient => Some(0u8),
                Answer::Level(l) => Some(l),
                _ => None,
            };
            if level.is_some_and(|l| r.target.min(4) > l) {
                out.push((m.to_string(), r.indicator.clone(), r.need == Some(NeedCategory::C)));
            }
        }
    }
    out
}

#[test]
fn needs_match_an_independent_computation_over_the_demo_returns() {
    let store = demo_store();
    let c = consolidate_without_trend(&store, CYCLE).unwrap();
    let needs = prog::needs(&c);
    let gaps = expected_gaps();
    assert!(gaps.len() > 100, "the demo region has real needs");
    assert_eq!(needs.len(), gaps.len());
    assert_eq!(needs.iter().filter(|n| n.request).count(), gaps.iter().filter(|g| g.2).count());
    let fw = framework::current();
    // Each grouping, independently: the keys of an indicator, from the framework data.
    let keys = |by: GroupBy, code: &str| -> Vec<String> {
        let i = fw.indicator(code).unwrap();
        match by {
            GroupBy::Indicator => vec![code.to_string()],
            GroupBy::Intervention => vec![i.intervention.clone()],
            GroupBy::Competency => vec![i.competency.clone().unwrap_or_default()],
            GroupBy::Capability => i.core_capabilities.clone(),
        }
    };
    for by in GroupBy::ALL {
        let mut want: BTreeMap<String, (BTreeSet<String>, BTreeSet<String>, usize, usize)> = BTreeMap::new();
        for (m, ind, req) in &gaps {
            for k in keys(by, ind) {
                let e = want.entry(k).or_default();
                e.0.insert(m.clone());
                e.2 += 1;
                if *req {
                    e.1.insert(m.clone());
                    e.3 += 1;
                }
            }
        }
        let got = prog::groups(&needs, by, &NeedFilter::default(), SortBy::Code);
        assert_eq!(got.len(), want.len(), "{by:?}");
        for g in &got {
            let w = &want[&g.key];
            assert_eq!(g.members, w.0.iter().cloned().collect::<Vec<_>>(), "{by:?} {}", g.key);
            assert_eq!(g.requesting, w.1.iter().cloned().collect::<Vec<_>>(), "{by:?} {}", g.key);
            assert_eq!((g.gaps, g.requests), (w.2, w.3), "{by:?} {}", g.key);
        }
    }
    // Filters: territories only, Melanesia only, requests only.
    let territories = NeedFilter { kind: Some(framework::MemberKind::Territory), ..Default::default() };
    let n: usize = prog::groups(&needs, GroupBy::Indicator, &territories, SortBy::Code).iter().map(|g| g.gaps).sum();
    let want =
        gaps.iter().filter(|g| framework::member(&g.0).unwrap().kind == framework::MemberKind::Territory).count();
    assert_eq!(n, want);
    let mel = NeedFilter { subregion: Some("melanesia".into()), requests_only: true, ..Default::default() };
    let n: usize = prog::groups(&needs, GroupBy::Intervention, &mel, SortBy::Requests).iter().map(|g| g.gaps).sum();
    let want = gaps.iter().filter(|g| g.2 && framework::member(&g.0).unwrap().subregion == "melanesia").count();
    assert_eq!(n, want);
    // Sorted by requests: most members asking first.
    let by_req = prog::groups(&needs, GroupBy::Indicator, &NeedFilter::default(), SortBy::Requests);
    assert!(by_req.windows(2).all(|w| w[0].requesting.len() >= w[1].requesting.len()));
    // The drill-down holds the group's needs.
    let first = &by_req[0];
    let rows = prog::group_needs(&needs, GroupBy::Indicator, &first.key, &NeedFilter::default());
    assert_eq!(rows.len(), first.gaps);
    // The requests are the need-C gaps, with their text.
    let requests = prog::requests(&store, CYCLE).unwrap();
    assert_eq!(requests.len(), gaps.iter().filter(|g| g.2).count());
}

fn req(member: &str, indicator: &str) -> Request {
    Request { member: member.into(), indicator: indicator.into(), text: String::new() }
}

#[test]
fn proposals_follow_the_thresholds_and_a_dismissed_one_does_not_come_back() {
    let fw = framework::current();
    let (a, b, c) = (&fw.indicators[0].code, &fw.indicators[1].code, &fw.indicators[2].code);
    let requests = vec![req("FJ", a), req("TO", a), req("WS", a), req("FJ", b), req("VU", b), req("PG", c)];
    let p = prog::proposals(CYCLE, Lang::En, &requests, &[], &[]);
    assert_eq!(p.len(), 3);
    assert_eq!((p[0].scope, p[0].members.len(), p[0].draft.mode.as_str()), (Scope::Regional, 3, "regional_workshop"));
    assert_eq!((p[1].scope, p[1].members.len(), p[1].draft.mode.as_str()), (Scope::National, 2, "national_mission"));
    assert_eq!((p[2].scope, p[2].members.len()), (Scope::National, 1));
    assert!(prog::words::why(&p[0], Lang::En).contains("3 members"), "{}", prog::words::why(&p[0], Lang::En));
    assert!(prog::words::why(&p[0], Lang::Fr).contains("activité régionale"));
    for q in &p {
        assert_eq!(prog::check(&q.draft), Ok(()), "a proposal is a valid intervention");
    }

    let mut store = Store::open_in_memory().unwrap();
    prog::dismiss(&mut store, &p[0]).unwrap();
    let id = prog::accept(&mut store, &p[1], p[1].draft.clone()).unwrap();
    let again = |store: &Store, requests: &[Request]| {
        prog::proposals(
            CYCLE,
            Lang::En,
            requests,
            &store.interventions().unwrap(),
            &store.proposal_decisions(CYCLE).unwrap(),
        )
    };
    let left = again(&store, &requests);
    assert_eq!(
        left.iter().map(|q| q.indicator.as_str()).collect::<Vec<_>>(),
        vec![c.as_str()],
        "dismissed and accepted stay decided"
    );
    // Merged: the third into the accepted intervention, which now serves PG on c.
    prog::merge(&mut store, &left[0], id).unwrap();
    let i = store.intervention(id).unwrap().unwrap();
    assert!(i.indicators.contains(c) && i.members.contains(&"PG".to_string()));
    assert!(again(&store, &requests).is_empty());
    // New needs (a fourth member on a): a new proposal, not the dismissed one.
    let mut more = requests.clone();
    more.push(req("KI", a));
    let back = again(&store, &more);
    assert_eq!(back.len(), 1);
    assert_eq!(back[0].members.len(), 4);
    // Nothing is kept that is not valid.
    let bad = Intervention { title: " ".into(), ..p[2].draft.clone() };
    assert!(matches!(prog::save(&mut store, bad), Err(prog::SaveError::Invalid("programme.invalid.title"))));
}

fn intervention(title: &str, indicator: &str, members: &[&str], status: InterventionStatus, q: u8) -> Intervention {
    Intervention {
        title: title.into(),
        kind: "training".into(),
        competency: Some("operational".into()),
        mode: "regional_workshop".into(),
        expert: Some("expert_trainer".into()),
        partner: "Partner Fund".into(),
        funding: "committed".into(),
        year: CYCLE,
        quarter: Some(q),
        status,
        cycle: Some(CYCLE),
        indicators: vec![indicator.into()],
        members: members.iter().map(|m| m.to_string()).collect(),
        ..Intervention::default()
    }
}

#[test]
fn the_work_programme_workbook_and_pdf_hold_every_confirmed_intervention() {
    let mut store = demo_store();
    let requests = prog::requests(&store, CYCLE).unwrap();
    let first = &requests[0];
    let fw = framework::current();
    let titles = ["Risk management regional workshop", "Valuation mission", "Leadership attachment"];
    let ind = |n: usize| fw.indicators[n].code.clone();
    prog::save(
        &mut store,
        intervention(titles[0], &first.indicator, &[&first.member], InterventionStatus::Confirmed, 1),
    )
    .unwrap();
    prog::save(&mut store, intervention(titles[1], &ind(5), &["FJ"], InterventionStatus::Confirmed, 2)).unwrap();
    prog::save(&mut store, intervention(titles[2], &ind(9), &["TO", "WS"], InterventionStatus::Confirmed, 3)).unwrap();
    let cancelled =
        prog::save(&mut store, intervention("Cancelled one", &ind(3), &["FJ"], InterventionStatus::Cancelled, 4))
            .unwrap();
    let retired =
        prog::save(&mut store, intervention("Retired one", &ind(3), &["FJ"], InterventionStatus::Confirmed, 4))
            .unwrap();
    let mut r = store.intervention(retired).unwrap().unwrap();
    r.retired = true;
    store.save_intervention(&r).unwrap();
    assert!(store.intervention(cancelled).unwrap().is_some());

    let wp = prog::work_programme_from(&store, CYCLE).unwrap();
    assert_eq!(wp.cycle, Some(CYCLE));
    assert_eq!(wp.items.len(), 3, "the cancelled and the retired are out");
    assert_eq!(wp.requests, requests.len());
    assert_eq!(
        wp.unanswered.len(),
        requests.len()
            - 1
            - usize::from(requests.iter().any(|r| r.member == "FJ" && r.indicator == ind(5)))
            - requests.iter().filter(|r| ["TO", "WS"].contains(&r.member.as_str()) && r.indicator == ind(9)).count()
    );
    assert!(!wp.unanswered.iter().any(|r| r.member == first.member && r.indicator == first.indicator));
    assert_eq!(wp.partners.len(), 1);
    assert_eq!((wp.partners[0].interventions, wp.partners[0].funded), (3, 3));

    for t in [Lang::En, Lang::Fr] {
        let bytes = report::workbook(&wp, t).unwrap();
        let mut xl: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
        let names = xl.sheet_names().to_vec();
        assert_eq!(names.len(), 3);
        let range = xl.worksheet_range(&names[0]).unwrap();
        let cells: Vec<String> = range
            .rows()
            .flat_map(|r| {
                r.iter().map(|c| match c {
                    Data::String(s) => s.clone(),
                    other => other.to_string(),
                })
            })
            .collect();
        for title in titles {
            assert!(cells.iter().any(|c| c == title), "{t:?}: {title} in the workbook");
        }
        assert!(!cells.iter().any(|c| c == "Cancelled one" || c == "Retired one"));
        let unanswered = xl.worksheet_range(&names[1]).unwrap();
        assert_eq!(unanswered.height(), wp.unanswered.len() + 1);

        let text = pdf_text(&report::pdf(&wp, t).unwrap());
        for title in titles {
            assert!(text.contains(title), "{t:?}: the PDF names {title}");
        }
        let heading =
            if t == Lang::En { "Annual Work Programme 2026" } else { "Programme de travail annuel de l'OCO 2026" };
        assert!(text.contains(heading), "{t:?}: {}", &text[..200.min(text.len())]);
    }
}

#[test]
fn the_page_opens_by_its_label_and_shows_the_needs() {
    use crate::ui::{app_over, harness, setup};
    use cdf_assess::app::Role;
    use cdf_assess::ui::Page;
    use egui_kittest::kittest::Queryable;

    let mut h = harness(app_over(Ok(demo_store())));
    setup(h.state_mut(), Role::Secretariat, None);
    h.run();
    h.get_by_label("Work programme").click();
    h.run();
    h.run();
    assert_eq!(h.state().page, Page::Programme);
    let view = h.state().snapshot().programme.clone();
    assert_eq!(view.cycle, Some(CYCLE));
    assert!(!view.needs.is_empty() && !view.proposals.is_empty());
    h.get_by_label_contains("gaps in the cycle");
    h.get_by_label("Proposals").click();
    h.run();
    h.get_by_label_contains("Rule: 3 or more members");
    let before = h.state().snapshot().programme.proposals.len();
    h.get_all_by_label("Accept").next().unwrap().scroll_to_me();
    h.run();
    h.get_all_by_label("Accept").next().unwrap().click();
    h.run();
    h.run();
    let after = h.state().snapshot().programme.clone();
    assert_eq!(after.proposals.len(), before - 1);
    assert_eq!(after.interventions.len(), 1);
    h.get_by_label("Annual Work Programme").click();
    h.run();
    h.get_by_label_contains("Work programme 2026: 1 interventions");
}

#[test]
fn the_command_line_writes_the_plan_and_the_work_programme() {
    use assert_cmd::Command;
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("sec.sqlite3");
    {
        let mut store = Store::create_new(&db).unwrap();
        for f in demo_files() {
            import_bytes(&mut store, &f.file_name, &f.bytes, &[]).unwrap();
        }
    }
    let run = |args: &[&str]| {
        Command::cargo_bin("cdf-assess")
            .unwrap()
            .arg("--db")
            .arg(&db)
            .env("LANG", "en_US.UTF-8")
            .args(args)
            .assert()
            .success()
    };
    let plan = tmp.path().join("plan.csv");
    run(&["plan", "--out", plan.to_str().unwrap()]);
    let needs = std::fs::read_to_string(tmp.path().join("plan_needs.csv")).unwrap();
    assert_eq!(needs.lines().count(), expected_gaps().len() + 1);
    let proposals = std::fs::read_to_string(tmp.path().join("plan_proposals.csv")).unwrap();
    assert!(proposals.lines().count() > 1);
    let out = tmp.path().join("wp.xlsx");
    run(&["work-programme", "--year", "2026", "--format", "xlsx", "--out", out.to_str().unwrap()]);
    assert!(std::fs::metadata(&out).unwrap().len() > 1000);
    let out = tmp.path().join("wp.pdf");
    run(&["work-programme", "--year", "2026", "--format", "pdf", "--out", out.to_str().unwrap()]);
    assert!(pdf_text(&std::fs::read(&out).unwrap()).contains("Annual Work Programme 2026"));
}

#[test]
fn the_demo_keeps_believable_interventions_some_delivered() {
    let mut store = demo_store();
    let (_, before) = prog::plan(&store, CYCLE - 1, Lang::En).unwrap();
    let made = demo::interventions(&mut store, CYCLE - 1).unwrap();
    assert!(made.accepted >= 5 && made.dismissed >= 1, "{made:?}");
    let all = store.interventions().unwrap();
    assert_eq!(all.len(), made.accepted);
    let with = |s: InterventionStatus| all.iter().filter(|i| i.status == s).collect::<Vec<_>>();
    assert!(!with(InterventionStatus::Confirmed).is_empty());
    assert!(!with(InterventionStatus::Planned).is_empty());
    assert_eq!(with(InterventionStatus::Cancelled).len(), 1);
    let delivered = with(InterventionStatus::Delivered);
    assert!(delivered.len() >= 2);
    for i in &delivered {
        assert!(i.started.is_some() && i.ended.is_some() && i.participants.is_some() && !i.report.is_empty());
        assert_eq!(prog::check(i), Ok(()));
    }
    assert!(all.iter().any(|i| i.mode == "regional_workshop") && all.iter().any(|i| i.mode == "national_mission"));
    // They answer requests of the cycle: fewer are left unanswered in its work programme.
    let requests = prog::requests(&store, CYCLE - 1).unwrap();
    let wp = prog::work_programme(CYCLE - 1, Some(CYCLE - 1), &requests, &all);
    assert!(wp.unanswered.len() < requests.len());
    assert!(all.iter().all(|i| i.year == CYCLE - 1 && i.cycle == Some(CYCLE - 1)));
    // Decided: the same proposals are not made again.
    let (_, again) = prog::plan(&store, CYCLE - 1, Lang::En).unwrap();
    assert_eq!(again.len(), before.len() - made.accepted - made.dismissed);
}

#[test]
fn demo_data_with_programme_makes_a_secretariat_database() {
    use assert_cmd::Command;
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("demo.sqlite3");
    Command::cargo_bin("cdf-assess")
        .unwrap()
        .arg("--db")
        .arg(&db)
        .args(["demo-data", "--cycles", "2", "--with-programme", "--out"])
        .arg(tmp.path().join("returns"))
        .assert()
        .success();
    let store = Store::open(&db).unwrap();
    let all = store.interventions().unwrap();
    assert!(all.iter().any(|i| i.status == InterventionStatus::Delivered && i.cycle == Some(2025)));
    assert!(all.iter().any(|i| i.cycle == Some(2026)));
    // The M&E table: every line computed, targets set, some met and some not.
    let c = consolidate_without_trend(&store, 2026).unwrap();
    assert!(c.me.iter().all(|m| m.latest.is_some()));
    assert!(c.me.iter().any(|m| m.from_records));
    assert!(c.me.iter().any(|m| m.set_target.is_some()));
    assert!(!store.me_targets(2026).unwrap().is_empty());
    // And the effect view has something to show.
    let effects = cdf_assess::secretariat::effect::effects(&store, &all).unwrap();
    assert!(effects.values().any(|e| e.served.change.is_some() && e.comparison.change.is_some()));
    store.set_setting("lang", "en").unwrap();
    drop(store);
    // The regional report summarises it: a table in the PDF, a sheet in the workbook.
    for (format, file) in [("pdf", "r.pdf"), ("xlsx", "r.xlsx")] {
        Command::cargo_bin("cdf-assess")
            .unwrap()
            .arg("--db")
            .arg(&db)
            .args(["report", "--format", format, "--cycle", "2026", "--out"])
            .arg(tmp.path().join(file))
            .assert()
            .success();
    }
    let text = pdf_text(&std::fs::read(tmp.path().join("r.pdf")).unwrap());
    assert!(text.contains("Did the interventions help?") && text.contains("association, not proof"), "{text}");
    let mut wb: Xlsx<_> =
        open_workbook_from_rs(Cursor::new(std::fs::read(tmp.path().join("r.xlsx")).unwrap())).unwrap();
    let name = wb.sheet_names().into_iter().find(|n| n.starts_with("Did the interventions")).expect("an effects sheet");
    let range = wb.worksheet_range(&name).unwrap();
    let delivered = effects.len();
    assert_eq!(range.height(), delivered + 1, "one row per delivered intervention with an effect, and the header");
    // The register names each member's content revision.
    let reg = wb.worksheet_range(&wb.sheet_names()[0]).unwrap();
    let col = reg.rows().next().unwrap().iter().position(|c| *c == Data::String("Content revision".into())).unwrap();
    assert!(reg.rows().skip(1).any(|r| r[col] == Data::Float(framework::current().meta.revision as f64)));
}

mod effect {
    use super::*;
    use cdf_assess::secretariat::effect::{self, Levels, Point};

    /// The demo region over two cycles with the demo's interventions answering the first, and the
    /// levels of the first cycle; the second cycle's levels are planted by `then`.
    fn planted(then: impl Fn(&str, &str, Point, bool) -> u8) -> (Vec<Intervention>, Levels) {
        let mut store = demo_store();
        demo::interventions(&mut store, CYCLE - 1).unwrap();
        let all = store.interventions().unwrap();
        let real = effect::levels(&store, &[CYCLE - 1]).unwrap();
        let mut levels = Levels::default();
        let members: Vec<String> = real.members().map(String::from).collect();
        for m in &members {
            for ind in framework::current().indicators.iter().map(|i| &i.code) {
                let Some(p) = real.get(m, ind, CYCLE - 1) else { continue };
                levels.set(m, ind, CYCLE - 1, p);
                let served = all.iter().any(|i| {
                    i.status == InterventionStatus::Delivered && i.members.contains(m) && i.indicators.contains(ind)
                });
                levels.set(m, ind, CYCLE, Point { level: then(m, ind, p, served), gap: false });
            }
        }
        (all, levels)
    }

    fn delivered(all: &[Intervention]) -> Vec<&Intervention> {
        all.iter().filter(|i| i.status == InterventionStatus::Delivered).collect()
    }

    #[test]
    fn a_planted_effect_is_found() {
        // Members served gain a level; nobody else moves.
        let (all, levels) = planted(|_, _, p, served| p.level + u8::from(served));
        let d = delivered(&all);
        assert!(!d.is_empty());
        let mut found = 0;
        for i in d {
            let e = effect::effect(i, &levels).unwrap();
            assert_eq!((e.from, e.to), (CYCLE - 1, CYCLE));
            if i.members.len() >= effect::MIN_MEMBERS {
                assert_eq!(e.served.members, i.members.len());
                assert_eq!(e.served.change, Some(1.0), "{}", i.title);
                assert!(e.comparison.members >= effect::MIN_MEMBERS, "{}: {:?}", i.title, e.comparison);
                assert_eq!(e.comparison.change, Some(0.0));
                assert_eq!(e.difference, Some(1.0));
                found += 1;
            }
        }
        assert!(found >= 2);
    }

    #[test]
    fn without_an_effect_the_difference_is_near_zero() {
        // The whole region gains a level on some indicators, served or not.
        let (all, levels) = planted(|m, ind, p, _| p.level + u8::from((m.len() + ind.len()) % 2 == 0));
        let mut checked = 0;
        for i in delivered(&all) {
            let e = effect::effect(i, &levels).unwrap();
            if let Some(d) = e.difference {
                assert!(d.abs() <= 0.5, "{}: {d}", i.title);
                checked += 1;
            }
        }
        assert!(checked >= 2);
        // And no drift at all: exactly zero.
        let (all, levels) = planted(|_, _, p, _| p.level);
        for i in delivered(&all) {
            if let Some(d) = effect::effect(i, &levels).unwrap().difference {
                assert_eq!(d, 0.0);
            }
        }
    }

    #[test]
    fn fewer_than_three_members_give_no_figure() {
        let (all, levels) = planted(|_, _, p, served| p.level + u8::from(served));
        let mut i = delivered(&all)[0].clone();
        i.members.truncate(2);
        let e = effect::effect(&i, &levels).unwrap();
        assert_eq!((e.served.members, e.served.change, e.difference), (2, None, None));
        assert!(e.comparison.change.is_some());
        // Not delivered, or no later cycle: no effect at all.
        assert!(
            effect::effect(&Intervention { status: InterventionStatus::Confirmed, ..i.clone() }, &levels).is_none()
        );
        assert!(effect::effect(&Intervention { cycle: Some(CYCLE), ..i }, &levels).is_none());
    }
}

#[test]
fn the_page_shows_on_a_delivered_intervention_whether_it_helped() {
    use crate::ui::{app_over, harness, setup};
    use cdf_assess::app::Role;
    use egui_kittest::kittest::Queryable;

    let mut store = demo_store();
    demo::interventions(&mut store, CYCLE - 1).unwrap();
    let mut h = harness(app_over(Ok(store)));
    setup(h.state_mut(), Role::Secretariat, None);
    h.run();
    h.get_by_label("Work programme").click();
    h.run();
    h.run();
    assert!(!h.state().snapshot().programme.effects.is_empty());
    h.get_by_label("Interventions").click();
    h.run();
    h.get_all_by_label_contains("Did it help? Level change 2025 to 2026: members served").next().unwrap();
    h.get_all_by_label_contains("an association, not proof").next().unwrap();
}

/// (FJ's first two gaps, the Secretariat with FJ's, PG's, SB's and VU's returns, Fiji's database
/// holding the card, FJ's assessment) with five interventions: a regional one for FJ, PG and SB
/// (confirmed), a national mission for FJ (delivered), one for PG only, one proposed and one
/// cancelled for FJ.
fn secretariat_with_programme() -> ([String; 2], Store, Store, cdf_assess::ids::AssessmentId) {
    let (mut sec, fiji, id) = crate::feedback::secretariat_with(&["PG", "SB", "VU"]);
    fiji.set_setting("secretariat_signer", &crate::feedback::sec_key().public().to_base64()).unwrap();
    let c = consolidate_without_trend(&sec, CYCLE).unwrap();
    let fj = c.members.iter().find(|m| m.member == "FJ").unwrap().scores.clone().unwrap();
    let gaps: Vec<String> = fj.indicators.iter().filter(|i| i.gap > 0).map(|i| i.code.clone()).collect();
    let (g1, g2) = (gaps[0].clone(), gaps[1].clone());
    let fw = framework::current();
    let iv = |title: &str, ind: &str, members: &[&str], mode: &str, status: InterventionStatus| Intervention {
        title: title.into(),
        kind: fw.indicator(ind).unwrap().intervention.clone(),
        mode: mode.into(),
        funding: "secured".into(),
        year: 2027,
        quarter: Some(2),
        status,
        cycle: Some(CYCLE),
        indicators: vec![ind.to_string()],
        members: members.iter().map(|m| m.to_string()).collect(),
        ..Default::default()
    };
    for i in [
        iv("Regional valuation workshop", &g1, &["FJ", "PG", "SB"], "regional_workshop", InterventionStatus::Confirmed),
        Intervention {
            started: Some("2027-03-08".into()),
            ended: Some("2027-03-12".into()),
            participants: Some(14),
            report: "Done.".into(),
            ..iv("Records management mission", &g2, &["FJ"], "national_mission", InterventionStatus::Delivered)
        },
        iv("Mission to Port Moresby", &g1, &["PG"], "national_mission", InterventionStatus::Planned),
        iv("An idea for Fiji", &g1, &["FJ"], "remote_advice", InterventionStatus::Proposed),
        iv("Called off for Fiji", &g2, &["FJ"], "elearning", InterventionStatus::Cancelled),
    ] {
        sec.save_intervention(&i).unwrap();
    }
    ([g1, g2], sec, fiji, id)
}

#[test]
fn feedback_carries_the_members_planned_and_delivered_interventions_and_names_no_other_member() {
    use cdf_assess::exchange::feedback;
    use cdf_assess::secretariat::review::write_feedback;
    let ([g1, g2], mut sec, mut fiji, _) = secretariat_with_programme();
    let c = consolidate_without_trend(&sec, CYCLE).unwrap();
    let bytes = write_feedback(&mut sec, &c, "FJ", &crate::feedback::sec_key()).unwrap().bytes;
    let text = String::from_utf8(bytes.clone()).unwrap();
    assert!(text.contains("\"format_version\":3,"), "{}", &text[..80]);
    for other in ["\"PG\"", "\"SB\"", "Papua", "Solomon", "Port Moresby", "An idea", "Called off"] {
        assert!(!text.contains(other), "{other} in Fiji's feedback");
    }
    let v = feedback::read(&bytes).unwrap();
    let planned = v.body.interventions.clone().unwrap();
    let got: BTreeSet<(&str, &str, &str, bool)> =
        planned.iter().map(|p| (p.indicator.as_str(), p.title.as_str(), p.status.as_str(), p.regional)).collect();
    let want = BTreeSet::from([
        (g1.as_str(), "Regional valuation workshop", "confirmed", true),
        (g2.as_str(), "Records management mission", "delivered", false),
    ]);
    assert_eq!(got, want);
    let delivered = planned.iter().find(|p| p.status == "delivered").unwrap();
    assert_eq!((delivered.started.as_deref(), delivered.ended.as_deref()), (Some("2027-03-08"), Some("2027-03-12")));
    // The format version is outside the signature: one that does not say "interventions" is refused.
    let flipped = text.replacen("\"format_version\":3,", "\"format_version\":2,", 1);
    assert!(feedback::read(flipped.as_bytes()).is_err());
    // A member with nothing planned gets the older format, which reads as before.
    let vu = write_feedback(&mut sec, &c, "VU", &crate::feedback::sec_key()).unwrap().bytes;
    let vu = feedback::read(&vu).unwrap();
    assert_eq!(vu.body.interventions, None);
    // Fiji imports it and reads them back per indicator.
    cdf_assess::feedback::import(&mut fiji, &bytes, Some(crate::feedback::sec_key().public()), "FJ").unwrap();
    let view = cdf_assess::feedback::views(&fiji).unwrap().into_iter().find(|v| v.body.cycle == CYCLE).unwrap();
    assert_eq!(view.planned(&g1).count(), 1);
    assert_eq!(view.planned(&g2).next().unwrap().title, "Records management mission");
}

#[test]
fn kittest_a_member_sees_what_is_planned_beside_its_gaps_on_assess_and_results() {
    use crate::ui::{app_over, harness, setup};
    use cdf_assess::app::{Role, SessionCmd};
    use cdf_assess::secretariat::review::write_feedback;
    use egui_kittest::kittest::Queryable;
    let ([g1, _], mut sec, mut fiji, id) = secretariat_with_programme();
    let c = consolidate_without_trend(&sec, CYCLE).unwrap();
    let bytes = write_feedback(&mut sec, &c, "FJ", &crate::feedback::sec_key()).unwrap().bytes;
    cdf_assess::feedback::import(&mut fiji, &bytes, Some(crate::feedback::sec_key().public()), "FJ").unwrap();
    let mut h = harness(app_over(Ok(fiji)));
    setup(h.state_mut(), Role::Administration, Some("FJ"));
    h.run();
    h.state_mut().send(SessionCmd::Open(id));
    h.run();
    // The indicator in the list, by its code and title.
    let item = format!("{g1} {}", framework::current().indicator_title(&g1, Lang::En));
    h.query_all_by_label_contains(&item).next().unwrap().scroll_to_me();
    h.run();
    h.query_all_by_label_contains(&item).next().unwrap().click();
    h.run();
    h.get_by_label("Planned by the OCO Secretariat");
    h.get_by_label_contains(
        "• Regional valuation workshop — Regional workshop · Q2 2027 · Confirmed (a regional activity",
    );
    h.get_by_label("Results").click();
    h.run();
    h.get_by_label("• Regional valuation workshop").scroll_to_me();
    h.get_by_label("• Records management mission");
}
