//! Several officers, one assessment (issue 26): sections handed out, answered in other
//! databases, merged, signed off; what is refused, kept as a conflict, or survives a kill.

use crate::store::new_assessment;
use assert_cmd::Command;
use cdf_assess::app::ops;
use cdf_assess::assessment::{Answer, ResponseChange};
use cdf_assess::exchange::section::{self, Read, Refusal};
use cdf_assess::framework;
use cdf_assess::ids::AssessmentId;
use cdf_assess::sections::{self, Error, HandOut, Imported};
use cdf_assess::store::Store;
use std::path::{Path, PathBuf};

fn cli(db: &Path) -> Command {
    let mut c = Command::cargo_bin("cdf-assess").unwrap();
    c.arg("--db").arg(db).env("LANG", "en_US.UTF-8");
    c
}

/// Runs the command line, returning its standard output; fails the test on a non-zero status.
fn run(db: &Path, args: &[&str]) -> String {
    let o = cli(db).args(args).output().unwrap();
    let out = String::from_utf8_lossy(&o.stdout).to_string();
    assert!(o.status.success(), "{args:?}: {out}\n{}", String::from_utf8_lossy(&o.stderr));
    out
}

pub fn codes(prefix: &str) -> Vec<String> {
    framework::current().indicators.iter().map(|i| i.code.clone()).filter(|c| c.starts_with(prefix)).collect()
}

/// A coordinator's draft with every indicator answered at level 2 (sign-off needs them all).
fn coordinator(db: &Path) -> AssessmentId {
    let mut s = Store::open(db).unwrap();
    let id = s.create_assessment(&new_assessment("FJ", 2026)).unwrap();
    for ind in &framework::current().indicators {
        s.update_response(id, &ind.code, &ResponseChange::Answer(Answer::Level(2))).unwrap();
    }
    id
}

/// Every row of every table, as text: what "nothing changed" compares.
pub fn dump(db: &Path) -> String {
    let c = rusqlite::Connection::open(db).unwrap();
    let tables: Vec<String> = c
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut out = String::new();
    for t in tables {
        let mut stmt = c.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
        let n = stmt.column_count();
        let rows: Vec<String> = stmt
            .query_map([], |r| Ok((0..n).map(|i| format!("{:?}", r.get_ref(i).unwrap())).collect::<Vec<_>>().join("|")))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        out.push_str(&format!("{t}\n{}\n", rows.join("\n")));
    }
    out
}

/// A colleague answers every indicator of the section their database holds at `level`, with
/// evidence naming them.
pub fn answer_all(db: &Path, level: u8, who: &str) -> AssessmentId {
    let mut s = Store::open(db).unwrap();
    let id = *s.section_drafts().unwrap().last().unwrap();
    let asked = s.section_in(id).unwrap().unwrap().indicators;
    for i in &asked {
        s.update_response(id, i, &ResponseChange::Answer(Answer::Level(level))).unwrap();
        s.update_response(id, i, &ResponseChange::Evidence(format!("{who}: policy on file"))).unwrap();
    }
    id
}

/// The three-person assessment through the command line: the coordinator hands the workforce
/// pillar to Mele (HR) and the digital pillar to Tevita (ICT); each opens the section in their
/// own database, answers and writes the answer file; the coordinator merges both, the head signs
/// off; the return verifies and names the contributors, and the Secretariat's import keeps them.
#[test]
fn three_databases_round_trip_through_the_command_line() {
    let tmp = tempfile::tempdir().unwrap();
    let (coord, mele, tevita, sec) = (
        tmp.path().join("coord.sqlite3"),
        tmp.path().join("mele.sqlite3"),
        tmp.path().join("tevita.sqlite3"),
        tmp.path().join("sec.sqlite3"),
    );
    let id = coordinator(&coord);
    let wf = codes("WF-");
    let dc = codes("DC-");
    assert!(wf.len() >= 5 && dc.len() >= 5, "{wf:?} {dc:?}");
    let f = |n: &str| tmp.path().join(n).to_string_lossy().to_string();
    let started = std::time::Instant::now();
    let mut steps = 0;
    let mut step = |db: &Path, args: &[&str]| {
        steps += 1;
        run(db, args)
    };
    let ids = id.0.to_string();
    step(
        &coord,
        &[
            "section",
            "--assessment",
            &ids,
            "--indicators",
            &wf.join(","),
            "--to",
            "Mele Kaufusi",
            "--unit",
            "Human resources",
            "--due",
            "2026-03-31",
            "--message",
            "The workforce pillar, please.",
            "--out",
            &f("mele.ocosection"),
        ],
    );
    step(
        &coord,
        &[
            "section",
            "--assessment",
            &ids,
            "--indicators",
            &dc.join(","),
            "--to",
            "Tevita Fonua",
            "--unit",
            "ICT",
            "--out",
            &f("tevita.ocosection"),
        ],
    );
    // Checked without importing, as returns are.
    let checked = run(&coord, &["verify", &f("mele.ocosection")]);
    assert!(checked.starts_with("ok\t") && checked.contains("\tsection FJ 2026 WF-01,"), "{checked}");
    std::fs::write(&mele, b"").unwrap();
    let opened = step(&mele, &["--new-database", "import-section", &f("mele.ocosection")]);
    assert!(opened.starts_with("opened\t"), "{opened}");
    assert!(
        opened.contains(&format!("{} indicators asked of you by Sela Tupou, due 2026-03-31", wf.len())),
        "{opened}"
    );
    step(&tevita, &["--new-database", "import-section", &f("tevita.ocosection")]);
    let answering = started.elapsed();
    answer_all(&mele, 3, "Mele");
    answer_all(&tevita, 4, "Tevita");
    let resumed = std::time::Instant::now();
    step(&mele, &["section-answer", "--out", &f("mele.ocosectionanswer")]);
    step(&tevita, &["section-answer", "--out", &f("tevita.ocosectionanswer")]);
    let merged = step(&coord, &["import-section", &f("mele.ocosectionanswer")]);
    assert!(merged.contains(&format!("{} answers taken, 0 to choose", wf.len())), "{merged}");
    assert!(merged.contains("is pinned at this first answer"), "{merged}");
    step(&coord, &["import-section", &f("tevita.ocosectionanswer")]);
    let progress = step(&coord, &["sections", "--assessment", &ids]);
    assert_eq!(progress.lines().filter(|l| l.starts_with("answered\t")).count(), 2, "{progress}");
    let cli_time = answering + resumed.elapsed();

    // The head signs off; the return verifies and names who answered what.
    let mut s = Store::open(&coord).unwrap();
    let a = s.load(id).unwrap();
    for i in &wf {
        assert_eq!(a.response(i).unwrap().answer, Answer::Level(3), "{i}");
        assert_eq!(a.response(i).unwrap().evidence, "Mele: policy on file");
    }
    assert_eq!(a.response(&dc[0]).unwrap().answer, Answer::Level(4));
    assert_eq!(a.response("LP-01").unwrap().answer, Answer::Level(2), "what was not handed out is untouched");
    assert_eq!(a.contributors.len(), wf.len() + dc.len());
    assert!(cdf_assess::exchange::finalise_problems(&a, "Head").is_empty());
    s.finalise(id, "Ana Head").unwrap();
    let key = ops::signing_key(&s).unwrap();
    let ret = ops::export_return(&s, id, None, &key).unwrap();
    drop(s);
    let v = cdf_assess::exchange::read(&ret.bytes, &[]).unwrap();
    let raw: serde_json::Value = serde_json::from_slice(&ret.bytes).unwrap();
    assert_eq!(raw["format_version"], 4);
    let named = v.body.contributors.clone().unwrap();
    assert!(named.iter().any(|c| c.indicator == wf[0] && c.name == "Mele Kaufusi" && c.unit == "Human resources"));
    assert!(named.iter().any(|c| c.indicator == dc[0] && c.name == "Tevita Fonua" && c.unit == "ICT"));
    let ret_path = tmp.path().join(&ret.file_name);
    std::fs::write(&ret_path, &ret.bytes).unwrap();
    let out = run(&sec, &["--new-database", "import", &ret_path.to_string_lossy()]);
    assert!(out.starts_with("accepted\t"), "{out}");
    let s = Store::open(&sec).unwrap();
    let held = s.imported_revisions(None).unwrap();
    assert_eq!(s.load(held[0].id).unwrap().contributors, named, "the Secretariat keeps the contributors");
    drop(s);
    // The Secretariat sees them with the member's results.
    {
        use crate::ui::{app_over, harness, setup};
        use egui_kittest::kittest::Queryable;
        let mut app = app_over(Store::open(&sec));
        setup(&mut app, cdf_assess::app::Role::Secretariat, None);
        app.send(cdf_assess::app::SessionCmd::Open(held[0].id));
        let mut h = harness(app);
        h.run();
        h.state_mut().page = cdf_assess::ui::Page::Results;
        h.run();
        let label = format!("Workforce: Mele Kaufusi, Human resources ({})", wf.len());
        let l = h.get_by_label("Contributors");
        l.scroll_to_me();
        h.run();
        assert!(h.query_by_label(&label).is_some(), "{label}");
    }

    let size = |n: &str| std::fs::metadata(tmp.path().join(n)).unwrap().len();
    eprintln!(
        "sections: {} steps on the command line in {:.2} s; section file of {} indicators {} bytes, its answer file {} bytes",
        steps,
        cli_time.as_secs_f64(),
        wf.len(),
        size("mele.ocosection"),
        size("mele.ocosectionanswer"),
    );
}

/// A coordinator's database with one section handed out to Mele (its file), and Mele's
/// database with it open.
pub struct Pair {
    _tmp: tempfile::TempDir,
    pub dir: PathBuf,
    pub coord: PathBuf,
    pub id: AssessmentId,
    pub mele: PathBuf,
    pub section: Vec<u8>,
}

pub fn pair(indicators: &[&str]) -> Pair {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().to_path_buf();
    let coord = dir.join("coord.sqlite3");
    let id = coordinator(&coord);
    let mut s = Store::open(&coord).unwrap();
    let h = HandOut {
        assessment: id,
        indicators: indicators.iter().map(|s| s.to_string()).collect(),
        colleague: "Mele Kaufusi".into(),
        unit: "Human resources".into(),
        due: Some("2026-03-31".into()),
        message: String::new(),
    };
    let section = ops::hand_out_section(&mut s, &h).unwrap().bytes;
    let mele = dir.join("mele.sqlite3");
    let mut m = Store::create_new(&mele).unwrap();
    assert!(matches!(sections::import_bytes(&mut m, &section, "en").unwrap(), Imported::Opened { .. }));
    Pair { _tmp: tmp, dir, coord, id, mele, section }
}

/// Mele answers `indicator` at `level` and writes her answer file.
fn mele_answers(p: &Pair, indicator: &str, level: u8) -> Vec<u8> {
    let mut m = Store::open(&p.mele).unwrap();
    let mid = m.section_drafts().unwrap()[0];
    m.update_response(mid, indicator, &ResponseChange::Answer(Answer::Level(level))).unwrap();
    ops::write_section_answer(&m, mid).unwrap().bytes
}

/// Imports into the coordinator's database; on a refusal the database is unchanged.
fn refused(p: &Pair, bytes: &[u8]) -> Refusal {
    let before = dump(&p.coord);
    let mut s = Store::open(&p.coord).unwrap();
    let e = sections::import_bytes(&mut s, bytes, "en").unwrap_err();
    drop(s);
    assert_eq!(dump(&p.coord), before, "nothing changed");
    match e {
        Error::Refused(r) => {
            let said = r.message(cdf_assess::lang::Lang::En);
            assert!(!said.contains('{') && said.len() > 20, "{said}");
            assert_ne!(said, r.message(cdf_assess::lang::Lang::Fr));
            r
        }
        Error::Store(e) => panic!("a store error: {e}"),
    }
}

#[test]
fn refusals_each_say_why_and_change_nothing() {
    let p = pair(&["WF-01", "WF-02"]);
    let answer = mele_answers(&p, "WF-01", 4);

    // For another assessment: Mele's answer to a section of another coordinator's draft.
    let other = pair(&["WF-01"]);
    let elsewhere = mele_answers(&other, "WF-01", 1);
    assert!(matches!(refused(&p, &elsewhere), Refusal::OtherAssessment(_)));

    // A changed byte (a level inside the file).
    let text = String::from_utf8(answer.clone()).unwrap();
    let changed = text.replacen("\"answer\":\"4\"", "\"answer\":\"3\"", 1);
    assert_ne!(changed, text);
    assert!(matches!(refused(&p, changed.as_bytes()), Refusal::Changed));

    // An indicator not asked: a well-signed answer (Mele's own key) with LP-01 in it.
    let key = {
        let m = Store::open(&p.mele).unwrap();
        ops::signing_key(&m).unwrap()
    };
    let Read::Answer(v) = section::read(&answer).unwrap() else { panic!() };
    let mut body = v.body.clone();
    let mut extra = body.answers[0].clone();
    extra.indicator = "LP-01".into();
    body.answers.push(extra);
    assert_eq!(refused(&p, &section::write_answer(&body, &key)), Refusal::NotAsked("LP-01".into()));

    // The first answer is merged; its key pinned.
    let mut s = Store::open(&p.coord).unwrap();
    let Imported::Merged { outcome, .. } = sections::import_bytes(&mut s, &answer, "en").unwrap() else { panic!() };
    assert_eq!(outcome.taken, vec!["WF-01".to_string()]);
    assert!(outcome.pinned.is_some());
    drop(s);

    // The same file again, and an older one: replayed.
    assert!(matches!(refused(&p, &answer), Refusal::Replayed(_)));
    let mut older = v.body.clone();
    older.written_at = "2020-01-01T00:00:00.000Z".into();
    assert!(matches!(refused(&p, &section::write_answer(&older, &key)), Refusal::Replayed(_)));

    // A newer answer signed by another key than the one pinned for Mele.
    let stranger = cdf_assess::exchange::sign::SigningKey::generate().unwrap();
    let mut newer = v.body.clone();
    newer.written_at = "2099-01-01T00:00:00.000Z".into();
    assert!(matches!(refused(&p, &section::write_answer(&newer, &stranger)), Refusal::OtherKey(_)));
    // The same with her own key is merged.
    let mut s = Store::open(&p.coord).unwrap();
    sections::import_bytes(&mut s, &section::write_answer(&newer, &key), "en").unwrap();
    drop(s);

    // The section file itself, back at the coordinator: their own.
    assert_eq!(refused(&p, &p.section), Refusal::OwnSection);
}

/// WF-01 and WF-02 handed to Mele; the coordinator then sets `changed` to level 1; Mele answers
/// WF-02 at 3 and WF-01 at 4; her answer file is merged.
fn conflicted(changed: &[&str]) -> (Pair, cdf_assess::store::MergeOutcome) {
    let p = pair(&["WF-01", "WF-02"]);
    let mut s = Store::open(&p.coord).unwrap();
    for code in changed {
        s.update_response(p.id, code, &ResponseChange::Answer(Answer::Level(1))).unwrap();
    }
    drop(s);
    let mut m = Store::open(&p.mele).unwrap();
    let mid = m.section_drafts().unwrap()[0];
    m.update_response(mid, "WF-02", &ResponseChange::Answer(Answer::Level(3))).unwrap();
    drop(m);
    let answer = mele_answers(&p, "WF-01", 4);
    let mut s = Store::open(&p.coord).unwrap();
    let Imported::Merged { outcome, .. } = sections::import_bytes(&mut s, &answer, "en").unwrap() else { panic!() };
    (p, outcome)
}

/// The coordinator changed WF-01 after handing it out, and Mele answered it too: both are kept,
/// sign-off waits until a person chooses; taking hers keeps her answer and who gave it.
#[test]
fn a_conflict_keeps_both_until_a_person_chooses() {
    let (p, outcome) = conflicted(&["WF-01"]);
    assert_eq!((outcome.taken, outcome.conflicts), (vec!["WF-02".to_string()], vec!["WF-01".to_string()]));
    let mut s = Store::open(&p.coord).unwrap();
    let a = s.load(p.id).unwrap();
    assert_eq!(a.response("WF-01").unwrap().answer, Answer::Level(1), "ours kept");
    let c = s.section_conflicts(p.id).unwrap();
    assert_eq!((c[0].theirs.answer, c[0].name.as_str()), (Answer::Level(4), "Mele Kaufusi"), "theirs kept");
    assert!(s.finalise(p.id, "Head").is_err(), "no sign-off with a choice open");
    s.settle_conflict(p.id, "WF-01", true).unwrap();
    let a = s.load(p.id).unwrap();
    assert_eq!(a.response("WF-01").unwrap().answer, Answer::Level(4));
    assert!(a.contributors.iter().any(|c| c.indicator == "WF-01" && c.name == "Mele Kaufusi"));
    assert!(s.section_conflicts(p.id).unwrap().is_empty());
    s.finalise(p.id, "Head").unwrap();
}

/// A colleague's draft answers only what was asked, and is never signed off.
#[test]
fn a_colleague_answers_only_what_was_asked_and_does_not_sign_off() {
    let p = pair(&["WF-01"]);
    let mut m = Store::open(&p.mele).unwrap();
    let mid = m.section_drafts().unwrap()[0];
    assert!(m.update_response(mid, "LP-01", &ResponseChange::Answer(Answer::Level(1))).is_err());
    assert!(m.finalise(mid, "Mele").is_err());
    let a = m.load(mid).unwrap();
    assert_eq!(a.response("WF-01").unwrap().answer, Answer::Level(2), "the answer already there came with it");
    let e = sections::import_bytes(&mut m, &p.section, "en").unwrap_err();
    assert!(matches!(e, Error::Refused(Refusal::AlreadyOpen)), "{e}");
    let _ = p.dir;
}

/// One laptop: named contributors take turns; each answer saved is theirs.
#[test]
fn contributors_taking_turns_are_each_named() {
    let mut s = Store::open_in_memory().unwrap();
    let id = s.create_assessment(&new_assessment("FJ", 2026)).unwrap();
    s.set_contributor(id, Some(("Mele", "HR"))).unwrap();
    s.update_response(id, "WF-01", &ResponseChange::Answer(Answer::Level(2))).unwrap();
    s.set_contributor(id, Some(("Tevita", "ICT"))).unwrap();
    s.update_response(id, "DC-01", &ResponseChange::Answer(Answer::Level(3))).unwrap();
    s.set_contributor(id, None).unwrap();
    s.update_response(id, "LP-01", &ResponseChange::Answer(Answer::Level(3))).unwrap();
    let who: Vec<(String, String)> =
        s.load(id).unwrap().contributors.into_iter().map(|c| (c.indicator, c.name)).collect();
    assert_eq!(who, vec![("WF-01".into(), "Mele".into()), ("DC-01".into(), "Tevita".into())]);
}

/// Hostile section files: each refused with a clear reason, the database unchanged.
#[test]
fn hostile_section_files_are_refused_clearly() {
    let p = pair(&["WF-01"]);
    let dir = &p.dir;
    let mut cases: Vec<(PathBuf, &str)> = Vec::new();
    let huge = dir.join("huge.ocosection");
    std::fs::write(&huge, vec![b' '; 2 * 1024 * 1024]).unwrap();
    cases.push((huge, "too large"));
    let not_json = dir.join("not.ocosection");
    std::fs::write(&not_json, b"PK\x03\x04 not json at all").unwrap();
    cases.push((not_json, "not a section"));
    // Control characters in the colleague's name, in a file otherwise well signed.
    let key = cdf_assess::exchange::sign::SigningKey::generate().unwrap();
    let Read::Section(v) = section::read(&p.section).unwrap() else { panic!() };
    let mut b = v.body.clone();
    b.colleague = "Mele\u{1b}[31m\nKaufusi".into();
    let ctl = dir.join("ctl.ocosection");
    std::fs::write(&ctl, section::write_section(&b, &key)).unwrap();
    cases.push((ctl, "wrong values (colleague)"));
    #[cfg(unix)]
    {
        let fifo = dir.join("fifo.ocosection");
        assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
        cases.push((fifo, "not an ordinary file"));
        let link = dir.join("link.ocosection");
        std::os::unix::fs::symlink(dir.join("coord.sqlite3"), &link).unwrap();
        cases.push((link, "not an ordinary file"));
    }
    let fresh = dir.join("fresh.sqlite3");
    drop(Store::create_new(&fresh).unwrap());
    for (path, why) in cases {
        let before = dump(&fresh);
        let mut s = Store::open(&fresh).unwrap();
        let e = ops::import_section(&mut s, &path).unwrap_err();
        drop(s);
        let said = e.message(cdf_assess::lang::Lang::En);
        assert!(said.contains(why), "{}: {said}", path.display());
        assert!(!said.chars().any(|c| c.is_control()), "{said:?}");
        assert_eq!(dump(&fresh), before, "{}", path.display());
        // The command line says the same, with exit status 1.
        let o = cli(&fresh).arg("import-section").arg(&path).output().unwrap();
        assert_eq!(o.status.code(), Some(1), "{}", path.display());
        assert!(String::from_utf8_lossy(&o.stdout).contains(why));
    }
}

/// The conflict in the window: the coordinator changed WF-01 and WF-02 after handing them out,
/// Mele answered both. The Assess page shows both answers of each; a person takes Mele's for
/// WF-01 and keeps ours for WF-02, by the buttons' labels; nothing is lost, then sign-off goes.
#[test]
fn a_conflict_is_settled_in_the_window_by_labels() {
    use crate::ui::{app_over, harness, setup};
    use egui_kittest::kittest::Queryable;
    let (p, outcome) = conflicted(&["WF-01", "WF-02"]);
    assert_eq!(outcome.conflicts, vec!["WF-01".to_string(), "WF-02".to_string()]);

    let mut app = app_over(Store::open(&p.coord));
    setup(&mut app, cdf_assess::app::Role::Administration, Some("FJ"));
    app.send(cdf_assess::app::SessionCmd::Open(p.id));
    let mut h = harness(app);
    h.set_size(egui::vec2(1024.0, 700.0));
    h.run();
    assert_eq!(h.state().session().unwrap().team.conflicts.len(), 2);
    let at = |h: &egui_kittest::Harness<'static, cdf_assess::ui::CdfApp>, code: &str| {
        h.state().session().unwrap().data.responses.iter().position(|r| r.indicator == code).unwrap()
    };
    for (code, take) in [("WF-01", true), ("WF-02", false)] {
        let i = at(&h, code);
        h.state_mut().pages.assess.current = i;
        h.state_mut().page = cdf_assess::ui::Page::Assess;
        h.run();
        // Both answers are in view: ours and hers, each with its level.
        h.get_by_label("The answer here");
        h.get_by_label("The answer of Mele Kaufusi");
        let label = if take { "Take the answer of Mele Kaufusi" } else { "Keep the answer here" };
        let b = h.get_by_label(label);
        b.scroll_to_me();
        h.run();
        h.get_by_label(label).click();
        h.run();
    }
    let s = h.state().session().unwrap();
    assert!(s.team.conflicts.is_empty(), "both settled");
    assert_eq!(s.data.response("WF-01").unwrap().answer, Answer::Level(4), "hers taken");
    assert_eq!(s.data.response("WF-02").unwrap().answer, Answer::Level(1), "ours kept");
    assert!(s.data.contributors.iter().any(|c| c.indicator == "WF-01" && c.name == "Mele Kaufusi"));
    drop(h);
    let mut s = Store::open(&p.coord).unwrap();
    assert!(s.section_conflicts(p.id).unwrap().is_empty());
    s.finalise(p.id, "Head").unwrap();
}

/// The colleague's window: the banner says whose assessment, how many indicators, by whom and
/// when; only the indicators asked are listed; sign-off is not offered.
#[test]
fn a_colleague_sees_the_banner_and_only_what_was_asked() {
    use crate::ui::{app_over, harness, setup};
    use egui_kittest::kittest::Queryable;
    let p = pair(&["WF-01", "WF-02"]);
    let mid = Store::open(&p.mele).unwrap().section_drafts().unwrap()[0];
    let mut app = app_over(Store::open(&p.mele));
    setup(&mut app, cdf_assess::app::Role::Administration, Some("FJ"));
    app.send(cdf_assess::app::SessionCmd::Open(mid));
    let mut h = harness(app);
    h.set_size(egui::vec2(1024.0, 700.0));
    h.run();
    h.state_mut().page = cdf_assess::ui::Page::Assess;
    h.run();
    h.get_by_label("Fiji's 2026 assessment: 2 indicators asked of you by Sela Tupou, due 2026-03-31");
    h.get_by_label("Write the answer file");
    assert!(h.query_all_by_label_contains("WF-02 ").next().is_some(), "asked: listed");
    assert!(h.query_all_by_label_contains("LP-01 ").next().is_none(), "not asked: not listed");
    assert!(h.query_all_by_label_contains("WF-03 ").next().is_none(), "not asked: not listed");
    h.state_mut().page = cdf_assess::ui::Page::Finalise;
    h.run();
    assert!(h.query_by_label("Finalise this revision").is_none());
    h.get_all_by_label("Write the answer file").next().unwrap();
}

/// The same indicator handed to two colleagues: the first answer merged is taken, the second
/// meets it (another colleague changed it since the section was written) and waits for a choice.
/// Progress: answered, out, late by the due date.
#[test]
fn two_colleagues_on_one_indicator_and_the_progress_view() {
    let p = pair(&["WF-01"]);
    let mut s = Store::open(&p.coord).unwrap();
    let h = HandOut {
        assessment: p.id,
        indicators: vec!["WF-01".into(), "WF-02".into()],
        colleague: "Tevita Fonua".into(),
        unit: "ICT".into(),
        due: Some("2026-01-15".into()),
        message: String::new(),
    };
    let second = ops::hand_out_section(&mut s, &h).unwrap().bytes;
    let late = sections::progress(&s, p.id, "2026-02-01").unwrap();
    let states: Vec<_> = late.iter().map(|(o, st)| (o.colleague.as_str(), *st)).collect();
    assert_eq!(states, vec![("Mele Kaufusi", sections::State::Out), ("Tevita Fonua", sections::State::Late)]);
    drop(s);
    let tevita = p.dir.join("tevita.sqlite3");
    let mut t = Store::create_new(&tevita).unwrap();
    sections::import_bytes(&mut t, &second, "en").unwrap();
    let tid = t.section_drafts().unwrap()[0];
    t.update_response(tid, "WF-01", &ResponseChange::Answer(Answer::Level(0))).unwrap();
    let tevita_answer = ops::write_section_answer(&t, tid).unwrap().bytes;
    drop(t);
    let mele_answer = mele_answers(&p, "WF-01", 4);

    let mut s = Store::open(&p.coord).unwrap();
    let Imported::Merged { outcome, .. } = sections::import_bytes(&mut s, &mele_answer, "en").unwrap() else {
        panic!()
    };
    assert_eq!(outcome.taken, vec!["WF-01".to_string()]);
    let Imported::Merged { outcome, .. } = sections::import_bytes(&mut s, &tevita_answer, "en").unwrap() else {
        panic!()
    };
    assert_eq!((outcome.taken.len(), outcome.conflicts), (0, vec!["WF-01".to_string()]));
    assert_eq!(s.load(p.id).unwrap().response("WF-01").unwrap().answer, Answer::Level(4), "Mele's stays");
    assert_eq!(s.section_conflicts(p.id).unwrap()[0].theirs.answer, Answer::Level(0), "Tevita's kept beside it");
    let states: Vec<_> = sections::progress(&s, p.id, "2026-02-01").unwrap().into_iter().map(|(_, st)| st).collect();
    assert_eq!(states, vec![sections::State::Answered, sections::State::Answered]);
}

/// Any file cut short or with one byte changed is refused, never a panic.
#[test]
fn a_section_file_cut_or_flipped_anywhere_is_refused() {
    let p = pair(&["WF-01", "WF-02"]);
    let bytes = &p.section;
    for cut in (0..bytes.len()).step_by(37) {
        assert!(section::read(&bytes[..cut]).is_err(), "cut at {cut}");
    }
    for at in (0..bytes.len()).step_by(29) {
        let mut b = bytes.clone();
        b[at] ^= 0x01;
        assert!(section::read(&b).is_err(), "byte {at} flipped");
    }
}

/// The whole flow in the window, by labels: the coordinator chooses a pillar and a colleague and
/// writes the section file; the colleague's window opens it (dropped) and writes the answer
/// file; the coordinator's window merges it (dropped) and the answers are there, attributed.
#[test]
fn hand_out_answer_and_merge_in_the_window() {
    use crate::ui::{app_over, harness, setup};
    use cdf_assess::app::{SectionsCmd, SessionCmd};
    use egui_kittest::kittest::Queryable;
    type H = egui_kittest::Harness<'static, cdf_assess::ui::CdfApp>;
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().to_path_buf();
    let coord = tmp.path().join("coord.sqlite3");
    let id = coordinator(&coord);
    let window = |db: &Path, open: Option<AssessmentId>| -> H {
        let mut app = app_over(Store::open(db));
        setup(&mut app, cdf_assess::app::Role::Administration, Some("FJ"));
        if let Some(id) = open {
            app.send(SessionCmd::Open(id));
        }
        let mut h = harness(app);
        h.run();
        h.state_mut().page = cdf_assess::ui::Page::Assess;
        h.state_mut().export_dir = out.display().to_string();
        h.run();
        h
    };
    let click = |h: &mut H, label: &str| {
        h.get_by_label(label).scroll_to_me();
        h.run();
        h.get_by_label(label).click();
        h.run();
    };
    let type_into = |h: &mut H, label: &str, text: &str| {
        h.get_by_label(label).scroll_to_me();
        h.run();
        h.get_by_label(label).focus();
        h.get_by_label(label).type_text(text);
        h.run();
    };

    let mut h = window(&coord, Some(id));
    click(&mut h, "Several officers: who is answering, sections handed out");
    // The pillar's button in the panel (the list's heading has the same name, drawn first).
    h.get_all_by_label("Workforce").last().unwrap().scroll_to_me();
    h.run();
    h.get_all_by_label("Workforce").last().unwrap().click();
    h.run();
    type_into(&mut h, "Colleague's name", "Mele Kaufusi");
    type_into(&mut h, "Colleague's unit", "Human resources");
    let folded = h.get_all_by_label("No save dialog? Save into a folder").count();
    assert!(folded >= 1);
    h.get_all_by_label("No save dialog? Save into a folder").last().unwrap().scroll_to_me();
    h.run();
    h.get_all_by_label("No save dialog? Save into a folder").last().unwrap().click();
    h.run();
    click(&mut h, "Write the section file here");
    let section = out.join("FJ_2026_section_Mele-Kaufusi.ocosection");
    assert!(section.exists(), "the section file is written");
    h.get_by_label_contains("Send it to Mele Kaufusi by e-mail or on a USB stick");
    assert_eq!(h.state().session().unwrap().team.out.len(), 1, "handed out: in the progress view");
    drop(h);

    let mele = tmp.path().join("mele.sqlite3");
    drop(Store::create_new(&mele).unwrap());
    let mut m = window(&mele, None);
    m.state_mut().send(SectionsCmd::Import(vec![section]));
    m.run();
    m.state_mut().page = cdf_assess::ui::Page::Assess;
    m.run();
    // The banner (and the notice that said it when the file was opened).
    assert!(m.get_all_by_label_contains("indicators asked of you by Sela Tupou").next().is_some());
    let mid = m.state().session().unwrap().id();
    for i in codes("WF-") {
        let s = m.state().session().unwrap();
        let indicator = s.data.responses.iter().find(|r| r.indicator == i).unwrap().indicator.clone();
        m.state_mut().send(SessionCmd::Change { id: mid, indicator, change: ResponseChange::Answer(Answer::Level(3)) });
    }
    m.run();
    click(&mut m, "No save dialog? Save into a folder");
    click(&mut m, "Write the answer file here");
    let answer = out.join("FJ_2026_answer_Mele-Kaufusi.ocosectionanswer");
    assert!(answer.exists(), "the answer file is written");
    m.get_by_label_contains("Send it back to Sela Tupou");
    drop(m);

    let mut h = window(&coord, Some(id));
    h.state_mut().send(SectionsCmd::Import(vec![answer]));
    h.run();
    let s = h.state().session().unwrap();
    assert!(codes("WF-").iter().all(|i| s.data.response(i).unwrap().answer == Answer::Level(3)));
    assert_eq!(s.data.contributors.len(), codes("WF-").len());
    assert_eq!(s.team.out[0].1, sections::State::Answered);
}

/// First start on a colleague's laptop: the section file they double-clicked waits through
/// first-run setup, is then said for what it is and opened when they say so.
#[test]
fn a_section_file_opened_at_first_start_waits_for_setup() {
    use crate::ui::{fresh, setup};
    use egui_kittest::kittest::Queryable;
    let p = pair(&["WF-01", "WF-02"]);
    let file = p.dir.join("FJ_2026_section_Mele-Kaufusi.ocosection");
    std::fs::write(&file, &p.section).unwrap();
    let mut h = fresh();
    h.state_mut().client.offer_files(vec![file]);
    h.run();
    assert_eq!(h.state().page, cdf_assess::ui::Page::Setup);
    assert!(h.query_by_label("Open these files?").is_none(), "not during setup");
    setup(h.state_mut(), cdf_assess::app::Role::Administration, Some("FJ"));
    h.run();
    h.get_by_label("FJ_2026_section_Mele-Kaufusi.ocosection: a section of an assessment, asked of you by a colleague");
    h.get_by_label("Import").click();
    h.run();
    let s = h.state().session().expect("the section is open");
    assert_eq!(s.team.section.as_ref().unwrap().indicators, vec!["WF-01".to_string(), "WF-02".to_string()]);
}

/// A backup carries the sections handed out, the pinned keys, who answered and the conflicts.
#[test]
fn a_backup_carries_the_sections() {
    let (p, _) = conflicted(&["WF-01"]);
    let s = Store::open(&p.coord).unwrap();
    let backup = p.dir.join("backup.sqlite3");
    s.backup_to(&backup, false).unwrap();
    let want = (s.sections_out(p.id).unwrap(), s.section_conflicts(p.id).unwrap(), s.load(p.id).unwrap().contributors);
    drop(s);
    let restored = p.dir.join("restored.sqlite3");
    Store::restore_from(&backup, &restored).unwrap();
    let r = Store::open(&restored).unwrap();
    assert_eq!(
        (r.sections_out(p.id).unwrap(), r.section_conflicts(p.id).unwrap(), r.load(p.id).unwrap().contributors),
        want
    );
    assert!(r.colleague_key("Mele Kaufusi").unwrap().is_some());
    assert!(!want.1.is_empty() && !want.2.is_empty());
}
