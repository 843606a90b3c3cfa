//! Issue 23: the administration's development plan: in the store, in the signed return, followed up
//! next cycle, on its page (keyboard only, in French at 1024x700), in the sign-off review and in
//! the Secretariat's plans table.

use crate::exchange::key;
use crate::store::new_assessment;
use crate::ui::fiji;
use cdf_assess::app::{SessionCmd, SettingsCmd};
use cdf_assess::assessment::{Answer, NeedCategory, ResponseChange};
use cdf_assess::exchange::{self, export, keys};
use cdf_assess::framework;
use cdf_assess::ids::AssessmentId;
use cdf_assess::lang::Lang;
use cdf_assess::plan::{Action, ActionStatus, Quarter, Resources};
use cdf_assess::secretariat::import::{Outcome, import_bytes};
use cdf_assess::store::Store;
use cdf_assess::ui::Page;
use egui_kittest::kittest::Queryable;

/// A draft with every indicator answered (about a third below target) and needs set.
fn answered(store: &mut Store, member: &str, cycle: i32) -> AssessmentId {
    let id = store.create_assessment(&new_assessment(member, cycle)).unwrap();
    for (i, ind) in framework::current().indicators.iter().enumerate() {
        let level = if i % 3 == 0 { 1 } else { 4 };
        store.update_response(id, &ind.code, &ResponseChange::Answer(Answer::Level(level))).unwrap();
        if level == 1 {
            let need = NeedCategory::ALL[i % 3];
            store.update_response(id, &ind.code, &ResponseChange::Need(Some(need))).unwrap();
        }
    }
    id
}

/// `n` actions over the framework's indicators, every field filled, non-ASCII text included.
fn actions(n: usize, cycle: i32) -> Vec<Action> {
    let fw = framework::current();
    (0..n)
        .map(|i| {
            let code = &fw.indicators[(i * 3) % fw.indicators.len()].code;
            let mut a = Action::new(code, cycle, Some(NeedCategory::ALL[i % 3]));
            a.what = format!("Action {i}: former les agents « frontière » et rédiger la procédure");
            a.owner = format!("Unit {}", i % 4);
            a.start = Quarter { year: cycle + 1, q: (i % 4) as u8 + 1 };
            a.end = Quarter { year: cycle + 2, q: 4 };
            if a.resources == Resources::Oco {
                a.request = "A short-term adviser for 4 weeks".into();
            }
            a.status = Some(ActionStatus::ALL[i % 4]);
            if a.status == Some(ActionStatus::Stopped) {
                a.reason = "Overtaken by the new Customs Act".into();
            }
            a
        })
        .collect()
}

fn export_bytes(store: &Store, id: AssessmentId) -> (Vec<u8>, String) {
    let e = export::export(&store.revision_chain(id).unwrap(), None, &key()).unwrap();
    (e.bytes, e.digest)
}

#[test]
fn a_plan_travels_in_the_signed_return_and_the_secretariat_holds_it_identical() {
    // The same assessment without a plan, then with 20 actions: the figures for the note.
    let mut bare = Store::open_in_memory().unwrap();
    let id = answered(&mut bare, "WS", 2026);
    bare.finalise(id, "Comptroller").unwrap();
    let (without, _) = export_bytes(&bare, id);
    // Format 4 (every return names its content's digest, issue 22), and no plan.
    let text = String::from_utf8_lossy(&without).to_string();
    assert!(text.contains(r#""format_version":4,"#) && !text.contains(r#""plan""#), "no plan");

    let mut admin = Store::open_in_memory().unwrap();
    let id = answered(&mut admin, "WS", 2026);
    let plan = actions(20, 2026);
    admin.replace_plan(id, &plan).unwrap();
    admin.finalise(id, "Comptroller").unwrap();
    assert!(admin.replace_plan(id, &[]).is_err(), "a signed-off plan is read-only");
    let (with, digest) = export_bytes(&admin, id);
    println!("return of WS 2026: {} bytes without a plan, {} bytes with 20 actions", without.len(), with.len());
    assert!(String::from_utf8_lossy(&with).contains(r#""format_version":4,"#));
    let v = exchange::read(&with, &[]).expect("verifies");
    assert_eq!(v.imported().plan, plan);

    let mut sec = Store::open_in_memory().unwrap();
    let r = import_bytes(&mut sec, "WS_2026_r1.ocoreturn", &with, &[]).unwrap();
    assert_eq!(r.outcome, Outcome::Accepted, "{}", r.reason.message(Lang::En));
    let held = sec.list().unwrap()[0].header.id;
    assert_eq!(sec.plan(held).unwrap(), plan, "the Secretariat holds the plan as written");
    let (again, again_digest) = export_bytes(&sec, held);
    assert_eq!(again_digest, digest);
    assert_eq!(again, with, "the same bytes");
    // The consolidation and its plans table have it.
    let c = cdf_assess::secretariat::consolidate::consolidate(&sec, 2026).unwrap();
    let sheet = cdf_assess::report::plans::sheet(&c, Lang::En);
    assert_eq!(sheet.rows.len(), 20);
    // The region's needs say what the member asked for: its plan's request on the indicator.
    let needs = cdf_assess::secretariat::programme::needs(&c);
    let asked: Vec<&Action> = plan.iter().filter(|a| !a.request.is_empty()).collect();
    assert!(!asked.is_empty());
    for a in asked {
        if let Some(n) = needs.iter().find(|n| n.indicator == a.indicator) {
            assert_eq!(n.text, a.request, "{}", a.indicator);
        }
    }
    assert!(needs.iter().any(|n| n.text == "A short-term adviser for 4 weeks"));
}

#[test]
fn an_old_return_without_a_plan_imports_unchanged() {
    let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let ids = keys::load_identities(&corpus.join("secretariat-test.key")).unwrap();
    let enc = std::fs::read(corpus.join("encrypted-to-secretariat.ocoreturn")).unwrap();
    let v = exchange::read(&enc, &ids).expect("an old return still verifies");
    let text = String::from_utf8(v.plain.clone()).unwrap();
    assert!(text.contains(r#""format_version":2,"#) && !text.contains(r#""plan""#));
    assert!(v.body.plan.is_none());
    let mut sec = Store::open_in_memory().unwrap();
    let r = import_bytes(&mut sec, "old.ocoreturn", &enc, &ids).unwrap();
    assert_eq!(r.outcome, Outcome::Accepted, "{}", r.reason.message(Lang::En));
    let held = sec.list().unwrap()[0].header.id;
    assert!(sec.plan(held).unwrap().is_empty(), "no plan");
    // Held as it came: every response, and the body's bytes as read are the file's own.
    let held = sec.load(held).unwrap();
    assert_eq!(held.responses.len(), v.body.responses.len());
    for r in &held.responses {
        let from_file = v.body.responses.iter().find(|x| x.indicator == r.indicator).unwrap();
        assert_eq!((r.answer, &r.comment, r.need), (from_file.answer, &from_file.comment, from_file.need));
    }
    assert_eq!(exchange::sha256_hex(&exchange::canonical_body(&v.body)), v.digest);
    // A format 3 file without its plan, or a format 2 file with one, is refused.
    let v3 = text.replacen(r#""format_version":2,"#, r#""format_version":3,"#, 1);
    assert_eq!(exchange::read(v3.as_bytes(), &[]).unwrap_err().code(), "malformed");
}

#[test]
fn next_cycle_carries_the_plan_forward_and_last_cycles_return_stays_as_signed() {
    let mut store = Store::open_in_memory().unwrap();
    let first = answered(&mut store, "FJ", 2025);
    let mut plan = actions(4, 2025);
    plan[0].status = Some(ActionStatus::UnderWay);
    plan[1].status = Some(ActionStatus::Done);
    plan[2].status = Some(ActionStatus::NotStarted);
    plan[3].status = Some(ActionStatus::Stopped);
    store.replace_plan(first, &plan).unwrap();
    // A revision within the cycle carries the plan as it is.
    store.finalise(first, "Comptroller").unwrap();
    let r2 = store.start_revision(first).unwrap();
    assert_eq!(store.plan(r2).unwrap(), plan);
    store.finalise(r2, "Comptroller").unwrap();
    let (signed, signed_digest) = export_bytes(&store, r2);

    // Next cycle: the open actions (not done, not stopped), their status asked.
    let next = answered(&mut store, "FJ", 2026);
    let carried = store.plan(next).unwrap();
    assert_eq!(carried.len(), 2);
    for (c, p) in carried.iter().zip([&plan[0], &plan[2]]) {
        assert_eq!(
            (c.indicator.as_str(), c.what.as_str(), c.owner.as_str()),
            (p.indicator.as_str(), p.what.as_str(), p.owner.as_str())
        );
        assert_eq!(c.status, None, "asked");
        assert_eq!(c.from_cycle, Some(2025));
        assert!(c.status_asked());
    }
    // The sign-off review says so.
    let a = store.load(next).unwrap();
    let s = cdf_assess::app::Session::new(a, None, false);
    assert!(s.signoff_warnings().iter().any(|w| matches!(w, cdf_assess::app::Warning::StatusAsked(c) if c.len() == 2)));

    // Answering them changes nothing of last cycle.
    let mut answered_plan = carried.clone();
    answered_plan[0].status = Some(ActionStatus::Done);
    answered_plan[0].progress = "Procedure adopted in March".into();
    answered_plan[1].status = Some(ActionStatus::UnderWay);
    answered_plan[1].progress = "Half the officers trained".into();
    store.replace_plan(next, &answered_plan).unwrap();
    assert_eq!(store.plan(next).unwrap(), answered_plan);
    assert_eq!(store.plan(r2).unwrap(), plan, "last cycle's plan as signed");
    let (again, again_digest) = export_bytes(&store, r2);
    assert_eq!((again, again_digest), (signed, signed_digest), "last cycle's return unchanged");
}

#[test]
fn the_domain_refuses_what_a_return_could_not_carry() {
    let mut store = Store::open_in_memory().unwrap();
    let id = answered(&mut store, "TO", 2026);
    let mut a = actions(1, 2026).remove(0);
    a.what = "x".repeat(cdf_assess::plan::limits::WHAT_MAX + 1);
    assert!(store.replace_plan(id, &[a.clone()]).is_err());
    a.what = "Train".into();
    a.indicator = "XX-99".into();
    assert!(store.replace_plan(id, &[a]).is_err());
    assert!(store.plan(id).unwrap().is_empty());
}

/// Text typed into whatever has the keyboard.
fn type_keys(h: &mut egui_kittest::Harness<'static, cdf_assess::ui::CdfApp>, text: &str) {
    h.input_mut().events.push(egui::Event::Text(text.into()));
    h.run();
}

fn press(h: &mut egui_kittest::Harness<'static, cdf_assess::ui::CdfApp>, key: egui::Key) {
    h.key_press(key);
    h.run();
}

#[test]
fn in_french_at_1024x700_an_action_is_added_by_keyboard_only_and_the_sign_off_review_lists_it() {
    let mut h = fiji();
    let app = h.state_mut();
    app.send(SessionCmd::CreateAssessment(new_assessment("FJ", 2026)));
    let s = app.session().expect("open").clone();
    for (i, r) in s.data.responses.iter().enumerate() {
        let level = if i % 4 == 0 { 1 } else { 4 };
        let id = s.id();
        app.send(SessionCmd::Change {
            id,
            indicator: r.indicator.clone(),
            change: ResponseChange::Answer(Answer::Level(level)),
        });
    }
    let mut settings = app.snapshot().settings.clone();
    settings.lang = Lang::Fr;
    app.send(SettingsCmd::Save(settings));
    h.set_size(egui::vec2(1024.0, 700.0));
    h.state_mut().page = Page::Plan;
    h.run();
    let top = h.state().session().unwrap().gaps[0].code.clone();
    // The page opens in "What will be done" for the most urgent gap: type, Tab, type, Enter.
    type_keys(&mut h, "Former les agents au contrôle a posteriori");
    press(&mut h, egui::Key::Tab);
    type_keys(&mut h, "Service des ressources humaines");
    press(&mut h, egui::Key::Enter);
    let plan = h.state().session().unwrap().data.plan.clone();
    assert_eq!(plan.len(), 1, "one action added");
    assert_eq!(plan[0].indicator, top);
    assert_eq!(plan[0].what, "Former les agents au contrôle a posteriori");
    assert_eq!(plan[0].owner, "Service des ressources humaines");
    assert_eq!(plan[0].start, Quarter { year: 2027, q: 1 });
    // The keyboard is back in "What will be done" for the next action.
    type_keys(&mut h, "Rédiger la procédure");
    press(&mut h, egui::Key::Tab);
    type_keys(&mut h, "Cellule juridique");
    press(&mut h, egui::Key::Enter);
    assert_eq!(h.state().session().unwrap().data.plan.len(), 2);
    // In the window at 1024x700.
    for label in ["Action prévue", "Service ou agent responsable", "Ajouter l'action"] {
        let r = h.get_by_label(label).rect();
        assert!(r.min.x >= 0.0 && r.max.x <= 1024.0 && r.max.y <= 700.0, "{label}: {r:?}");
    }
    // The ranked gaps beside it: the most urgent one on screen.
    let gap = h.get_by_label_contains(&format!("{top} ·")).rect();
    assert!(gap.max.x <= 1024.0 && gap.max.y <= 700.0, "{gap:?}");

    h.state_mut().page = Page::Finalise;
    h.run();
    h.get_by_label("Former les agents au contrôle a posteriori");
    h.get_by_label("Service des ressources humaines");
    h.get_by_label_contains("écart(s) sans action");
}

#[test]
fn the_secretariats_plans_table_matches_the_demo_returns() {
    let files = cdf_assess::demo::generate(7, 2026, 2, 2);
    let mut sec = Store::open_in_memory().unwrap();
    for f in &files {
        let r = import_bytes(&mut sec, &f.file_name, &f.bytes, &[]).unwrap();
        assert!(matches!(r.outcome, Outcome::Accepted | Outcome::Supersedes), "{}", f.file_name);
    }
    let c = cdf_assess::secretariat::consolidate::consolidate(&sec, 2026).unwrap();
    let sheet = cdf_assess::report::plans::sheet(&c, Lang::En);

    // Independently: each member's highest revision for 2026, its plan read as plain JSON.
    let mut latest: std::collections::BTreeMap<String, (u32, serde_json::Value)> = Default::default();
    for f in files.iter().filter(|f| f.cycle == 2026) {
        let v: serde_json::Value = serde_json::from_slice(&f.bytes).unwrap();
        if latest.get(&f.member).is_none_or(|(r, _)| *r < f.revision) {
            latest.insert(f.member.clone(), (f.revision, v));
        }
    }
    let mut expected = Vec::new();
    let (mut requests, mut followed, mut done) = (0, 0, 0);
    for (member, (_, v)) in &latest {
        assert_eq!(v["format_version"], 4, "{member}: a demo return (it names its content's digest)");
        assert!(v["body"]["plan"].is_array(), "{member}: a demo return carries a plan");
        for a in v["body"]["plan"].as_array().unwrap() {
            let s = |k: &str| a[k].as_str().unwrap_or("").to_string();
            expected.push((member.clone(), s("indicator"), s("what"), s("owner"), s("start"), s("end")));
            requests += (s("resources") == "oco" && !s("request").is_empty()) as usize;
            followed += a["from_cycle"].is_number() as usize;
            done += (a["from_cycle"].is_number() && s("status") == "done") as usize;
        }
    }
    let text = |c: &cdf_assess::report::tables::Cell| c.display();
    let mut got: Vec<_> = sheet
        .rows
        .iter()
        .map(|r| (text(&r[0]), text(&r[3]), text(&r[5]), text(&r[6]), text(&r[7]), text(&r[8])))
        .collect();
    expected.sort();
    got.sort();
    assert_eq!(got, expected);
    let oco = cdf_assess::plan::words::resources(Resources::Oco, Lang::En);
    assert_eq!(sheet.rows.iter().filter(|r| text(&r[9]) == oco && !text(&r[10]).is_empty()).count(), requests);
    assert!(requests > 0 && followed > 0 && done > 0, "requests {requests}, followed up {followed}, done {done}");
    // The CSV and the workbook carry the table.
    let out = std::path::Path::new("/tmp/x/OCO.csv");
    let csv =
        cdf_assess::report::regional_files::files(&c, Lang::En, cdf_assess::report::regional_files::Format::Csv, out)
            .unwrap();
    let (_, plans) = csv.iter().find(|(p, _)| p.ends_with("OCO_plans.csv")).expect("a plans CSV");
    assert_eq!(String::from_utf8_lossy(plans).lines().count(), expected.len() + 1);
}

fn cli(db: &std::path::Path) -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("cdf-assess").unwrap();
    c.arg("--db").arg(db).env("LANG", "en_US.UTF-8");
    c
}

#[test]
fn the_command_lines_export_carries_the_plan_and_report_writes_the_plans_table() {
    let tmp = tempfile::tempdir().unwrap();
    let fj = tmp.path().join("fj.sqlite3");
    let id = {
        let mut store = Store::open(&fj).unwrap();
        let id = answered(&mut store, "FJ", 2026);
        store.replace_plan(id, &actions(5, 2026)).unwrap();
        store.finalise(id, "Comptroller").unwrap();
        id
    };
    let ret = tmp.path().join("FJ_2026_r1.ocoreturn");
    cli(&fj).args(["export", "--assessment", &id.0.to_string(), "--out"]).arg(&ret).assert().success();
    let v = exchange::read(&std::fs::read(&ret).unwrap(), &[]).unwrap();
    assert_eq!(v.body.plan.as_ref().map(Vec::len), Some(5));

    let sec = tmp.path().join("sec.sqlite3");
    cli(&sec).arg("import").arg(&ret).assert().success();
    let out = tmp.path().join("OCO.csv");
    cli(&sec).args(["report", "--format", "csv", "--cycle", "2026", "--out"]).arg(&out).assert().success();
    let plans = std::fs::read_to_string(tmp.path().join("OCO_plans.csv")).unwrap();
    assert_eq!(plans.lines().count(), 1 + 5, "{plans}");
    assert!(plans.contains("Unit 0"));
    let xlsx = tmp.path().join("OCO.xlsx");
    cli(&sec).args(["report", "--format", "xlsx", "--cycle", "2026", "--out"]).arg(&xlsx).assert().success();
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    let name = wb.sheet_names().last().cloned().unwrap();
    assert_eq!(name, "Plans");
    assert_eq!(wb.worksheet_range(&name).unwrap().height(), 1 + 5);
}

#[test]
fn the_results_pdf_holds_the_plan_in_the_order_of_the_gaps() {
    let mut store = Store::open_in_memory().unwrap();
    let id = answered(&mut store, "FJ", 2026);
    let mut plan = actions(6, 2026);
    plan.reverse();
    store.replace_plan(id, &plan).unwrap();
    let a = store.load(id).unwrap();
    let fw = framework::current();
    let scores = cdf_assess::scoring::score(fw, &a.responses);
    let doc = cdf_assess::report::results::results_doc(fw, &a, &scores, None, Lang::Fr);
    let at = doc
        .blocks
        .iter()
        .position(|b| matches!(b, cdf_assess::report::doc::Block::Heading(h) if h == "Plan de développement"))
        .expect("the plan's heading");
    let cdf_assess::report::doc::Block::Table { rows, .. } = &doc.blocks[at + 1] else { panic!("a table") };
    assert_eq!(rows.len(), 6);
    // Gaps first, most urgent first.
    let gaps: Vec<String> = cdf_assess::scoring::ranked_gaps(&scores).iter().map(|g| g.code.clone()).collect();
    let ranks: Vec<usize> = rows.iter().map(|r| gaps.iter().position(|g| *g == r[0]).unwrap_or(usize::MAX)).collect();
    assert!(ranks.windows(2).all(|w| w[0] <= w[1]), "{ranks:?}");
}

#[test]
fn the_session_room_adds_updates_removes_and_refuses_with_a_reason() {
    use cdf_assess::plan::PlanEdit;
    let mut app = crate::ui::app_over(Store::open_in_memory());
    crate::ui::setup(&mut app, cdf_assess::app::Role::Administration, Some("FJ"));
    app.send(SessionCmd::CreateAssessment(new_assessment("FJ", 2026)));
    let id = app.session().unwrap().id();
    let mut a = actions(2, 2026);
    app.send(SessionCmd::Plan { id, edit: PlanEdit::Add(a[0].clone()) });
    app.send(SessionCmd::Plan { id, edit: PlanEdit::Add(a[1].clone()) });
    a[0].what = "  Rewritten\nover two lines ".into();
    app.send(SessionCmd::Plan { id, edit: PlanEdit::Update(0, a[0].clone()) });
    app.send(SessionCmd::Plan { id, edit: PlanEdit::Remove(1) });
    let plan = app.session().unwrap().data.plan.clone();
    assert_eq!(plan.len(), 1);
    assert_eq!(plan[0].what, "Rewritten over two lines", "made one line");
    // Refused: the end before the start; the plan stays, the notice says why.
    let mut bad = a[1].clone();
    bad.end = Quarter { year: 2026, q: 1 };
    app.send(SessionCmd::Plan { id, edit: PlanEdit::Add(bad) });
    assert_eq!(app.session().unwrap().data.plan.len(), 1);
    let notice = app.snapshot().notice.clone().expect("a notice");
    assert!(notice.msg.text(Lang::Fr).contains("se termine avant"), "{}", notice.msg.text(Lang::Fr));
    // What is shown is what is on disk.
    app.send(SessionCmd::Open(id));
    assert_eq!(app.session().unwrap().data.plan, plan);
}

#[test]
fn the_secretariat_sees_a_members_plan_and_its_follow_up_read_only() {
    let mut store = Store::open_in_memory().unwrap();
    for f in cdf_assess::demo::generate(5, 2026, 2, 1) {
        import_bytes(&mut store, &f.file_name, &f.bytes, &[]).unwrap();
    }
    let mut app = crate::ui::app_over(Ok(store));
    crate::ui::setup(&mut app, cdf_assess::app::Role::Secretariat, None);
    app.send(cdf_assess::app::SecCmd::OpenMember("FJ".into()));
    let mut h = crate::ui::harness(app);
    h.set_size(egui::vec2(1024.0, 700.0));
    h.run();
    let s = h.state().session().expect("the member's return open").clone();
    assert!(s.read_only() && !s.data.plan.is_empty());
    assert!(s.data.plan.iter().any(|a| a.from_cycle == Some(2025)), "followed up from 2025");
    h.state_mut().page = Page::Plan;
    h.run();
    let first = &s.data.plan[s.plan_order()[0]];
    h.get_by_label(&format!("{} — {}", first.indicator, first.what));
    assert!(h.query_by_label("Add action").is_none(), "read-only: no form");
    h.get_by_label("This revision is signed off: its plan can no longer change.");
}
