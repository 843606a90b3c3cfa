//! One app layer for both front ends (issue 19): the window (through its client) and the command
//! line run the same operations, so they write the same return and feedback files and report the
//! same import outcomes; codes are refused at the edge, with their reason.

use crate::store::new_assessment;
use assert_cmd::Command;
use cdf_assess::app::{Client, Dest, Event, Mode, Role, Settings};
use cdf_assess::app::{ExportCmd, ImportCmd, ReviewCmd, SecCmd, SessionCmd, SettingsCmd};
use cdf_assess::assessment::{Answer, ResponseChange};
use cdf_assess::ids::{AssessmentId, MemberCode, RemarkKind, ReviewState};
use cdf_assess::store::Store;
use std::path::{Path, PathBuf};

fn cli(db: &Path) -> Command {
    let mut c = Command::cargo_bin("cdf-assess").unwrap();
    c.env("LANG", "en_GB.UTF-8").arg("--db").arg(db);
    c
}

fn client(db: &Path, role: Role, member: Option<&str>) -> Client {
    let mut c = Client::over(Store::open(db), Mode::Sync);
    c.without_desktop();
    let s = Settings { role: Some(role), member: member.map(String::from), ..c.snapshot().settings.clone() };
    c.send(SettingsCmd::FinishSetup(s));
    c
}

/// Fiji's database with its 2026 assessment answered and signed off.
fn finalised(dir: &Path) -> (PathBuf, AssessmentId) {
    let db = dir.join("fj.sqlite3");
    let mut c = client(&db, Role::Administration, Some("FJ"));
    c.send(SessionCmd::CreateAssessment(new_assessment("FJ", 2026)));
    let s = c.snapshot().session.clone().unwrap();
    for (i, r) in s.data.responses.iter().enumerate() {
        let change = ResponseChange::Answer(Answer::Level((i % 5) as u8));
        c.send(SessionCmd::Change { id: s.id(), indicator: r.indicator.clone(), change });
    }
    c.send(SessionCmd::Finalise { id: s.id(), approver: "Comptroller".into() });
    assert!(c.snapshot().session.as_ref().unwrap().read_only(), "signed off");
    (db, s.id())
}

#[test]
fn the_window_and_the_command_line_write_the_same_return() {
    let dir = tempfile::tempdir().unwrap();
    let (db, id) = finalised(dir.path());
    let (by_window, by_cli) = (dir.path().join("window.ocoreturn"), dir.path().join("cli.ocoreturn"));
    let mut c = client(&db, Role::Administration, Some("FJ"));
    c.send(SessionCmd::Open(id));
    c.send(ExportCmd::Return { dest: Dest::Path(by_window.clone()) });
    drop(c);
    cli(&db).args(["export", "--assessment", &id.0.to_string(), "--out"]).arg(&by_cli).assert().success();
    let (a, b) = (std::fs::read(&by_window).unwrap(), std::fs::read(&by_cli).unwrap());
    assert!(a.len() > 1000, "a whole return was written");
    assert_eq!(a, b, "the same return, byte for byte");
}

/// Outcomes as (file name, outcome code), sorted.
fn sorted(mut v: Vec<(String, String)>) -> Vec<(String, String)> {
    v.sort();
    v
}

#[test]
fn the_window_and_the_command_line_give_the_same_import_outcomes() {
    let dir = tempfile::tempdir().unwrap();
    let inbox = dir.path().join("inbox");
    cli(&dir.path().join("demo.sqlite3"))
        .args(["demo-data", "--cycles", "2", "--revisions", "2", "--revised", "50", "--out"])
        .arg(&inbox)
        .assert()
        .success();
    // A file that is no return, and a return whose bytes were changed after signing.
    std::fs::write(inbox.join("junk.ocoreturn"), b"not a return").unwrap();
    let first = cdf_assess::app::files::returns_in(&inbox)[0].clone();
    let mut bytes = std::fs::read(&first).unwrap();
    let at = bytes.len() / 2;
    bytes[at] ^= 0x20;
    std::fs::write(inbox.join("zz_damaged.ocoreturn"), bytes).unwrap();

    let mut c = client(&dir.path().join("window.sqlite3"), Role::Secretariat, None);
    c.poll();
    c.send(ImportCmd::Files(vec![inbox.clone()]));
    let window: Vec<(String, String)> = c
        .poll()
        .into_iter()
        .filter_map(|e| match e {
            Event::Imported(r) => Some((r.file_name.clone(), r.outcome.code().to_string())),
            _ => None,
        })
        .collect();
    drop(c);
    let out = cli(&dir.path().join("cli.sqlite3")).arg("import").arg(&inbox).assert().code(1).get_output().clone();
    let by_cli: Vec<(String, String)> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            let name = Path::new(f[1]).file_name().unwrap().to_string_lossy().to_string();
            (name, f[0].to_string())
        })
        .collect();
    assert!(window.len() > 40, "every file has an outcome: {}", window.len());
    assert!(window.iter().any(|(_, o)| o == "rejected") && window.iter().any(|(_, o)| o == "accepted"));
    assert_eq!(sorted(window), sorted(by_cli), "the same outcome for every file");
}

/// The body of a feedback file, its time of issue left out (the two are written seconds apart).
fn feedback_body(path: &Path) -> serde_json::Value {
    let bytes = std::fs::read(path).unwrap();
    let f = cdf_assess::exchange::feedback::read(&bytes).unwrap();
    let mut v = serde_json::to_value(f.body).unwrap();
    v.as_object_mut().unwrap().remove("issued_at");
    v
}

#[test]
fn the_window_and_the_command_line_write_the_same_feedback() {
    let dir = tempfile::tempdir().unwrap();
    let (fj, id) = finalised(&dir.path().join("fj").tap_mkdir());
    let ret = dir.path().join("FJ.ocoreturn");
    cli(&fj).args(["export", "--assessment", &id.0.to_string(), "--out"]).arg(&ret).assert().success();
    // The Secretariat imports it and queries one indicator.
    let sec_dir = dir.path().join("sec").tap_mkdir();
    let sec = sec_dir.join("sec.sqlite3");
    let mut c = client(&sec, Role::Secretariat, None);
    c.send(ImportCmd::Files(vec![ret]));
    c.send(SecCmd::SetCycle(2026));
    c.send(ReviewCmd::SetState { member: "FJ".into(), state: ReviewState::Queries });
    let remark = ReviewCmd::SetRemark {
        member: "FJ".into(),
        indicator: "WF-06".into(),
        kind: RemarkKind::Query,
        text: "Please attach the plan.".into(),
    };
    c.send(remark);
    drop(c);
    // The same database twice (with its key): one answers through the window, one by command.
    let twin_dir = dir.path().join("twin");
    std::fs::create_dir(&twin_dir).unwrap();
    for e in std::fs::read_dir(&sec_dir).unwrap() {
        let e = e.unwrap();
        if e.path().is_file() && !e.file_name().to_string_lossy().ends_with(".lock") {
            std::fs::copy(e.path(), twin_dir.join(e.file_name())).unwrap();
        }
    }
    let by_window = dir.path().join("window.ocofeedback");
    let mut c = client(&sec, Role::Secretariat, None);
    c.send(SecCmd::SetCycle(2026));
    c.send(ReviewCmd::WriteFeedback { member: Some("FJ".into()), dest: Dest::Path(by_window.clone()) });
    drop(c);
    let by_cli = dir.path().join("cli.ocofeedback");
    cli(&twin_dir.join("sec.sqlite3"))
        .args(["feedback", "--member", "FJ", "--cycle", "2026", "--out"])
        .arg(&by_cli)
        .assert()
        .success();
    let (a, b) = (feedback_body(&by_window), feedback_body(&by_cli));
    assert_eq!(a["member"], "FJ");
    assert!(a.to_string().contains("Please attach the plan."), "the query travels: {a}");
    assert_eq!(a, b, "the same feedback");
}

trait MkDir {
    fn tap_mkdir(self) -> Self;
}
impl MkDir for PathBuf {
    fn tap_mkdir(self) -> PathBuf {
        std::fs::create_dir_all(&self).unwrap();
        self
    }
}

#[test]
fn a_malformed_member_or_cycle_argument_is_refused_with_its_reason() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("x.sqlite3");
    let out = dir.path().join("f.ocofeedback");
    let a = cli(&db).args(["--new-database", "feedback", "--member", "F\u{1b}[2JJ", "--out"]).arg(&out).assert();
    let err = String::from_utf8(a.get_output().stderr.clone()).unwrap();
    assert!(!a.get_output().status.success());
    assert!(err.contains("is not an OCO member's code"), "{err}");
    assert!(!err.contains('\u{1b}'), "no escape sequence reaches the terminal: {err:?}");
    let a = cli(&db).args(["report", "--format", "csv", "--cycle", "1999", "--out"]).arg(&out).assert();
    let err = String::from_utf8(a.get_output().stderr.clone()).unwrap();
    assert!(err.contains("is not a cycle"), "{err}");
    assert!(!out.exists());
}

#[test]
fn a_malformed_code_in_a_database_row_is_an_error_that_names_it() {
    let conn = rusqlite::Connection::open_in_memory().unwrap();
    let ok: MemberCode = conn.query_row("SELECT 'FJ'", [], |r| r.get(0)).unwrap();
    assert_eq!(ok, "FJ");
    let bad = conn.query_row("SELECT 'ZZ'", [], |r| r.get::<_, MemberCode>(0)).unwrap_err();
    assert!(bad.to_string().contains("\"ZZ\" is not an OCO member's code"), "{bad}");
    let bad = conn.query_row("SELECT 'WF-99'", [], |r| r.get::<_, cdf_assess::ids::IndicatorCode>(0)).unwrap_err();
    assert!(bad.to_string().contains("WF-99"), "{bad}");
    let bad = conn.query_row("SELECT 'approved'", [], |r| r.get::<_, ReviewState>(0)).unwrap_err();
    assert!(bad.to_string().contains("not a review state"), "{bad}");
    assert_eq!(conn.query_row("SELECT 'queries'", [], |r| r.get::<_, ReviewState>(0)).unwrap(), ReviewState::Queries);
}

#[test]
fn a_malformed_code_in_a_file_is_refused_with_its_reason() {
    // A return whose member is no member's code, signed properly: refused for what it says.
    let dir = tempfile::tempdir().unwrap();
    let (db, id) = finalised(dir.path());
    let store = Store::open(&db).unwrap();
    let mut chain = store.revision_chain(id).unwrap();
    drop(store);
    chain.revision.assessment.header.member = "F\u{7}J".into();
    let key = cdf_assess::exchange::sign::SigningKey::generate().unwrap();
    let e = cdf_assess::exchange::export::export(&chain, None, &key).unwrap();
    let file = dir.path().join("bad.ocoreturn");
    std::fs::write(&file, &e.bytes).unwrap();
    let out = cli(&dir.path().join("sec.sqlite3")).args(["--new-database", "import"]).arg(&file).assert().code(1);
    let line = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(line.starts_with("rejected\t"), "{line}");
    assert!(!line.contains('\u{7}'), "the bad code is not printed raw: {line:?}");
}
