//! Framework files (issue 22): the content workbook exported and built back byte for byte, a
//! broken workbook refused naming each problem's sheet, row and column, the signed
//! `.ocoframework` file refused for a changed byte, another key or an older revision (nothing
//! changing in the database), and the import through the command line and the worker.

use crate::feedback::sec_key;
use cdf_assess::exchange::framework_file::{self as ff, Content, Refusal};
use cdf_assess::exchange::sign::SigningKey;
use cdf_assess::framework::{self, Framework, Text};
use cdf_assess::fwfiles::book::{self, What};
use cdf_assess::fwfiles::{self, ImportError, diff::Change};
use cdf_assess::lang::Lang;
use cdf_assess::store::Store;
use std::path::Path;

/// The content built into the program (revision 2), whatever this process installed.
fn builtin() -> Framework {
    framework::built_in(1).unwrap().clone()
}

fn text(en: &str, fr: &str) -> Text {
    Text { en: en.into(), fr: fr.into() }
}

/// The built-in content revision, and the one these tests build after it.
fn old() -> u32 {
    builtin().meta.revision
}

fn new() -> u32 {
    old() + 1
}

/// The code of the indicator these tests add: the first workforce code the built-in content
/// does not use (WF-13 while it has twelve).
fn added() -> String {
    (1..100).map(|n| format!("WF-{n:02}")).find(|c| builtin().indicator(c).is_none()).unwrap()
}

/// The revision after the built-in one ("revision 3" below): WF-01's level 2 rewritten, LP-01
/// renamed, a workforce indicator added.
fn revision_3() -> (Framework, Vec<Text>) {
    let mut fw = builtin();
    fw.meta.revision = new();
    let wf01 = fw.indicators.iter_mut().find(|i| i.code == "WF-01").unwrap();
    wf01.levels[2] =
        text("A workforce plan exists and is partly applied.", "Un plan existe et est partiellement appliqué.");
    let lp01 = fw.indicators.iter_mut().find(|i| i.code == "LP-01").unwrap();
    lp01.title = text("Customs law, modernised", "Loi douanière modernisée");
    let mut new = fw.indicator("WF-01").unwrap().clone();
    new.code = added();
    new.title = text("Workforce data", "Données sur le personnel");
    new.since = fw.meta.revision;
    let at = fw.indicators.iter().rposition(|i| i.pillar == "WF").unwrap() + 1;
    fw.indicators.insert(at, new);
    let log = vec![
        text("WF-13 added: workforce data.", "WF-13 ajouté : données sur le personnel."),
        text("WF-01 level 2 rewritten.", "WF-01 niveau 2 réécrit."),
    ];
    // The workbook's change log is the content's own (`changes`).
    fw.meta.changes = log.clone();
    (fw, log)
}

/// The Secretariat's database, holding the built-in revision.
fn secretariat() -> Store {
    let s = Store::open_in_memory().unwrap();
    s.set_setting("role", "secretariat").unwrap();
    s
}

/// A member's database holding the Secretariat's card.
fn member(card: &SigningKey) -> Store {
    let s = Store::open_in_memory().unwrap();
    s.set_setting("role", "administration").unwrap();
    s.set_setting("member", "FJ").unwrap();
    s.set_setting("secretariat_signer", &card.public().to_base64()).unwrap();
    s
}

fn built_file(key: &SigningKey) -> fwfiles::Built {
    let (fw, log) = revision_3();
    let xlsx = book::write(&fw, &log).unwrap();
    fwfiles::build(&secretariat(), &xlsx, key, "2027-02-01T00:00:00Z".into()).unwrap()
}

#[test]
fn the_built_in_content_goes_to_a_workbook_and_back_byte_for_byte() {
    let fw = builtin();
    let xlsx = book::write(&fw, &[]).unwrap();
    let back = book::read(&xlsx)
        .unwrap_or_else(|p| panic!("{:#?}", p.iter().map(|p| p.message(Lang::En)).collect::<Vec<_>>()));
    let a = Content::of(&fw).canonical();
    let b = Content::of(&back.framework).canonical();
    assert!(a.len() > 100_000, "the whole content: {} bytes", a.len());
    assert!(a == b, "the content changed on its way through the workbook");
    assert_eq!(back.change_log, fw.meta.changes, "the change log sheet is the content's own");
    // And through the file: the content digest is the built-in content's.
    let (fw3, log) = revision_3();
    let back3 = book::read(&book::write(&fw3, &log).unwrap()).unwrap();
    assert_eq!(Content::of(&back3.framework).canonical(), Content::of(&fw3).canonical());
    assert_eq!(back3.change_log, log);
}

#[test]
fn every_field_of_the_model_has_a_column() {
    assert_eq!(book::uncovered_fields(&builtin()), Vec::<String>::new());
    // The sheets the issue names are there, one per pillar, English and French side by side.
    let xlsx = book::write(&builtin(), &[]).unwrap();
    let wb: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx)).unwrap();
    let names = calamine::Reader::sheet_names(&wb);
    for s in [
        "Framework",
        "WF",
        "LP",
        "DC",
        "RD",
        "Key actions",
        "M&E indicators",
        "M&E measures",
        "Change log",
        "Levels",
        "Pillars",
        "Priority areas",
    ] {
        assert!(names.iter().any(|n| n == s), "sheet {s} missing from {names:?}");
    }
    let headers: Vec<&str> = book::indicator_cols().iter().map(|c| c.header).collect();
    assert_eq!(&headers[..5], ["code", "title (EN)", "title (FR)", "guidance (EN)", "guidance (FR)"]);
}

/// Every problem of a broken workbook, said in English.
fn problems_of(fw: &Framework) -> Vec<book::Problem> {
    match book::read(&book::write(fw, &[]).unwrap()) {
        Ok(_) => panic!("a broken workbook was taken"),
        Err(p) => p,
    }
}

fn has(problems: &[book::Problem], sheet: &str, row: u32, header: &str, what: impl Fn(&What) -> bool) -> bool {
    problems.iter().any(|p| {
        p.place.sheet == sheet
            && p.place.row == Some(row)
            && p.place.col.as_ref().is_some_and(|(_, h)| h == header)
            && what(&p.what)
    })
}

#[test]
fn a_broken_workbook_is_refused_with_each_problems_sheet_row_and_column() {
    let mut fw = builtin();
    // WF-03 (row 4 of sheet WF): no French title; LP-02 (row 3 of LP): level 2 missing.
    fw.indicators.iter_mut().find(|i| i.code == "WF-03").unwrap().title.fr.clear();
    let lp02 = fw.indicators.iter_mut().find(|i| i.code == "LP-02").unwrap();
    lp02.levels[2] = text("", "");
    // DC-01: an unknown priority area.
    fw.indicators.iter_mut().find(|i| i.code == "DC-01").unwrap().priority_areas.push("P9".into());
    // RD-02 takes RD-01's code.
    fw.indicators.iter_mut().find(|i| i.code == "RD-02").unwrap().code = "RD-01".into();
    // A key action served by no indicator.
    fw.meta.key_actions.push(cdf_assess::framework::KeyAction {
        code: "9.9.9".into(),
        text: text("Orphan", "Orpheline"),
        strategy: text("S", "S"),
        me_indicator: text("M", "M"),
        me_added_by_framework: false,
    });
    let p = problems_of(&fw);
    let shown: Vec<String> = p.iter().map(|p| p.message(Lang::En)).collect();
    let all = shown.join("\n");
    assert!(has(&p, "WF", 4, "title (FR)", |w| *w == What::Empty(Some(Lang::Fr))), "{all}");
    assert!(has(&p, "LP", 3, "level 2 (EN)", |w| *w == What::Empty(Some(Lang::En))), "{all}");
    assert!(has(&p, "LP", 3, "level 2 (FR)", |w| *w == What::Empty(Some(Lang::Fr))), "{all}");
    assert!(has(&p, "DC", 2, "priority areas", |w| matches!(w, What::Unknown { code, .. } if code == "P9")), "{all}");
    assert!(has(&p, "RD", 3, "code", |w| matches!(w, What::Duplicate { code, .. } if code == "RD-01")), "{all}");
    let ka_row = fw.meta.key_actions.len() as u32 + 1;
    assert!(has(&p, "Key actions", ka_row, "code", |w| *w == What::KeyActionUnserved("9.9.9".into())), "{all}");
    // Said with its place, in both languages.
    assert!(all.contains("Sheet \"WF\", row 4, column C (title (FR)): the French text is missing"), "{all}");
    let fr: Vec<String> = p.iter().map(|p| p.message(Lang::Fr)).collect();
    assert!(fr.iter().any(|m| m.contains("Feuille « LP », ligne 3, colonne J (level 2 (EN))")), "{fr:?}");
}

#[test]
fn a_rule_of_the_framework_is_said_at_its_row() {
    // Passes the workbook's own checks but breaks Framework::validate (the build.rs rules): a
    // key action whose priority area the indicator lacks.
    let mut fw = builtin();
    let wf01 = fw.indicators.iter_mut().find(|i| i.code == "WF-01").unwrap();
    let area = format!("P{}", wf01.key_actions[0].split('.').next().unwrap());
    wf01.priority_areas.retain(|p| *p != area);
    let p = problems_of(&fw);
    let all: Vec<String> = p.iter().map(|p| p.message(Lang::En)).collect();
    assert!(
        p.iter().any(|x| x.place.sheet == "WF"
            && x.place.row == Some(2)
            && matches!(&x.what, What::Rule(r) if r.contains("lacks its priority area"))),
        "{all:?}"
    );
}

#[test]
fn hostile_cells_never_reach_a_message_raw() {
    let mut fw = builtin();
    let evil = format!("P1\u{1b}[31mRED\u{202e}{}", "x".repeat(5000));
    fw.indicators[0].priority_areas.push(evil);
    fw.indicators[1].competency = Some(format!("\u{7}bell{}", "y".repeat(300)));
    let p = problems_of(&fw);
    assert!(!p.is_empty());
    for lang in Lang::ALL {
        for m in p.iter().map(|p| p.message(lang)) {
            assert!(!m.chars().any(|c| c.is_control() || c == '\u{202e}'), "raw: {m:?}");
            assert!(m.chars().count() < 400, "not cut: {} chars", m.chars().count());
        }
    }
    // Not a workbook at all.
    let e = book::read(b"PK\x03\x04 not really a zip").unwrap_err();
    assert!(matches!(e[0].what, What::Unreadable(_)));
}

#[test]
fn build_says_what_changed_and_the_file_verifies() {
    let built = built_file(&sec_key());
    assert_eq!((built.revision, built.replaces), (new(), old()));
    assert_eq!(built.file_name, format!("oco-cdf_v1_r{}.ocoframework", new()));
    let c = &built.changes;
    assert!(c.iter().any(|x| matches!(x, Change::Added { code, .. } if *code == added())), "{c:?}");
    assert!(c.iter().any(
        |x| matches!(x, Change::Renamed { code, new, .. } if code == "LP-01" && new.en == "Customs law, modernised")
    ));
    let d = c.iter().find(|x| matches!(x, Change::Descriptor { code, level: 2, .. } if code == "WF-01")).unwrap();
    let m = d.message(Lang::En);
    assert!(
        m.contains("A workforce plan exists and is partly applied.")
            && m.contains(&builtin().indicator("WF-01").unwrap().levels[2].en),
        "{m}"
    );
    // No other descriptor is said changed.
    assert_eq!(c.iter().filter(|x| matches!(x, Change::Descriptor { .. })).count(), 1);
    let v = ff::read(&built.bytes).unwrap();
    assert_eq!(v.body.revision, new());
    assert_eq!(v.body.content_digest, Content::of(&revision_3().0).digest());
    assert_eq!(v.signer, *sec_key().public());
    // Not newer than the revision in use, or no change log: refused before signing.
    let same = book::write(&builtin(), &[text("x", "x")]).unwrap();
    assert!(matches!(
        fwfiles::build(&secretariat(), &same, &sec_key(), "2027-01-01T00:00:00Z".into()),
        Err(fwfiles::BuildError::NotNewer(a, b)) if a == old() && b == old()
    ));
    let (mut fw, _) = revision_3();
    fw.meta.changes.clear();
    let no_log = book::write(&fw, &[]).unwrap();
    let r = fwfiles::build(&secretariat(), &no_log, &sec_key(), "2027-01-01T00:00:00Z".into());
    // Refused: no change log (said by the build, or by the content rule that a revision after
    // the first has one).
    match r {
        Err(fwfiles::BuildError::NoChangeLog) => {}
        Err(fwfiles::BuildError::Problems(p)) => {
            assert!(
                p.iter().any(|p| p.message(Lang::En).contains("change")),
                "{:?}",
                p.iter().map(|p| p.message(Lang::En)).collect::<Vec<_>>()
            )
        }
        other => panic!("a workbook without a change log was taken: {:?}", other.map(|b| b.revision)),
    }
}

fn held(s: &Store) -> usize {
    s.framework_files().unwrap().len()
}

#[test]
fn a_changed_byte_another_key_or_an_older_revision_is_refused_and_nothing_changes() {
    let built = built_file(&sec_key());
    let mut m = member(&sec_key());
    // A changed byte anywhere: a descriptor's letter, the revision, the signature.
    let file_text = String::from_utf8(built.bytes.clone()).unwrap();
    for (from, to) in [
        ("partly applied", "partly applies"),
        (&format!("\"revision\":{}", new()), &format!("\"revision\":{}", new() + 1)),
        ("\"signer\":\"RW", "\"signer\":\"RX"),
    ] {
        let changed = file_text.replacen(from, to, 1);
        assert_ne!(changed, file_text);
        let e = fwfiles::import(&mut m, changed.as_bytes(), Some(sec_key().public())).unwrap_err();
        assert!(
            matches!(e, ImportError::Refused(Refusal::Changed | Refusal::BadSignature | Refusal::Malformed(_))),
            "{from}: {e:?}"
        );
        assert_eq!(held(&m), 0);
    }
    let mut flipped = built.bytes.clone();
    let mid = flipped.len() / 2;
    flipped[mid] ^= 0x01;
    assert!(fwfiles::import(&mut m, &flipped, Some(sec_key().public())).is_err());
    // Another key (a well-formed file, signed by someone else).
    let other = SigningKey::from_seed([9; 32], *b"intruder");
    let forged = built_file(&other);
    match fwfiles::import(&mut m, &forged.bytes, Some(sec_key().public())) {
        Err(ImportError::Refused(Refusal::WrongSigner(fp))) => assert_eq!(fp, other.public().fingerprint()),
        e => panic!("{e:?}"),
    }
    // No card: refused.
    assert!(matches!(fwfiles::import(&mut m, &built.bytes, None), Err(ImportError::Refused(Refusal::NoCard))));
    assert_eq!(held(&m), 0);
    assert_eq!(fwfiles::current(&m).unwrap().revision(), old());
    // The real one is taken; then again, and an older revision (2, the built-in), are not newer.
    let i = fwfiles::import(&mut m, &built.bytes, Some(sec_key().public())).unwrap();
    assert_eq!((i.revision, i.replaces, i.change_log.len()), (new(), old(), 2));
    assert_eq!(fwfiles::current(&m).unwrap().revision(), new());
    let again = fwfiles::import(&mut m, &built.bytes, Some(sec_key().public())).unwrap_err();
    assert!(matches!(again, ImportError::Refused(Refusal::NotNewer(a, b)) if a == new() && b == new()), "{again:?}");
    let older =
        ff::write(ff::body(&builtin(), old() - 1, vec![text("r2", "r2")], "2026-01-01T00:00:00Z".into()), &sec_key());
    assert!(ff::read(&older).is_ok());
    let e = fwfiles::import(&mut m, &older, Some(sec_key().public())).unwrap_err();
    assert!(matches!(e, ImportError::Refused(Refusal::NotNewer(a, b)) if a == old() && b == new()), "{e:?}");
    assert_eq!(held(&m), 1);
    assert_eq!(fwfiles::current(&m).unwrap().framework().indicators.len(), builtin().indicators.len() + 1);
    // Messages are said in both languages.
    assert!(e.message(Lang::Fr).contains("pas plus récent"));
}

#[test]
fn a_newer_format_is_said_as_such() {
    let built = built_file(&sec_key());
    let text = String::from_utf8(built.bytes).unwrap().replacen("\"format_version\":1", "\"format_version\":2", 1);
    let e = ff::read(text.as_bytes()).unwrap_err();
    assert_eq!(e, Refusal::UnknownVersion(2));
    assert!(e.message(Lang::En).contains("newer than this program reads"));
}

fn cli(db: &Path) -> assert_cmd::Command {
    let mut c = assert_cmd::Command::cargo_bin("cdf-assess").unwrap();
    c.arg("--db").arg(db).env("LANG", "en_US.UTF-8");
    c
}

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn export_build_and_import_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let sec = dir.path().join("sec.db");
    let mem = dir.path().join("fj.db");
    // The Secretariat exports the content and builds a new revision from an edited workbook.
    let xlsx = dir.path().join("content.xlsx");
    let o = cli(&sec).arg("--new-database").args(["framework", "export", "--out"]).arg(&xlsx).output().unwrap();
    assert!(o.status.success(), "{o:?}");
    let exported = book::read(&std::fs::read(&xlsx).unwrap()).unwrap();
    assert_eq!(Content::of(&exported.framework).canonical(), Content::of(&builtin()).canonical());
    let (fw, log) = revision_3();
    let edited = dir.path().join("edited.xlsx");
    std::fs::write(&edited, book::write(&fw, &log).unwrap()).unwrap();
    let o = cli(&sec).args(["framework", "build"]).arg(&edited).arg("--check").output().unwrap();
    assert!(o.status.success() && stdout(&o).contains(&format!("Added: {}", added())), "{}", stdout(&o));
    let file = dir.path().join("r3.ocoframework");
    let o = cli(&sec).args(["framework", "build"]).arg(&edited).arg("--out").arg(&file).output().unwrap();
    let out = stdout(&o);
    assert!(o.status.success(), "{out}");
    assert!(out.contains("Descriptor changed: WF-01 level 2") && out.contains("Renamed: LP-01"), "{out}");
    assert!(out.contains(&format!("content revision {} (replaces {})", new(), old())), "{out}");
    let o = cli(&sec).arg("verify").arg(&file).output().unwrap();
    assert!(
        o.status.success()
            && stdout(&o).starts_with("ok\t")
            && stdout(&o).contains(&format!("framework oco-cdf v1 r{} (replaces {})", new(), old())),
        "{}",
        stdout(&o)
    );
    // A broken workbook: exit 1, each problem with its place.
    let mut broken = fw.clone();
    broken.indicators[0].title.fr.clear();
    let bad = dir.path().join("bad.xlsx");
    std::fs::write(&bad, book::write(&broken, &log).unwrap()).unwrap();
    let o = cli(&sec)
        .args(["framework", "build"])
        .arg(&bad)
        .arg("--out")
        .arg(dir.path().join("no.ocoframework"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("Sheet \"WF\", row 2, column C (title (FR)): the French text is missing"),
        "{}",
        stdout(&o)
    );
    assert!(!dir.path().join("no.ocoframework").exists());
    // The member: refused without the card, imported with it; the change log printed.
    let o = cli(&mem).arg("--new-database").arg("import-framework").arg(&file).output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("No Secretariat card"), "{}", stdout(&o));
    let card = dir.path().join("oco.ococard");
    assert!(cli(&sec).arg("card").arg("--out").arg(&card).output().unwrap().status.success());
    assert!(cli(&mem).arg("import-card").arg(&card).output().unwrap().status.success());
    let o = cli(&mem).arg("import-framework").arg(&file).output().unwrap();
    let out = stdout(&o);
    assert!(o.status.success(), "{out}");
    assert!(
        out.contains(&format!("revision {} imported", new())) && out.contains("• WF-13 added: workforce data."),
        "{out}"
    );
    let o = cli(&mem).arg("import-framework").arg(&file).output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("not newer"), "{}", stdout(&o));
    // In French, the change log is French.
    let fr = dir.path().join("fj-fr.db");
    assert!(cli(&fr).arg("--new-database").arg("import-card").arg(&card).output().unwrap().status.success());
    let s = Store::open(&fr).unwrap();
    s.set_setting("lang", "fr").unwrap();
    drop(s);
    let o = cli(&fr).arg("import-framework").arg(&file).output().unwrap();
    assert!(stdout(&o).contains("• WF-13 ajouté : données sur le personnel."), "{}", stdout(&o));
}

#[test]
fn the_worker_imports_a_framework_file_and_says_its_change_log_in_the_users_language() {
    use cdf_assess::app::{Client, FrameworkCmd, Mode, NoticeKind, Role, Settings, SettingsCmd};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("fj.sqlite3");
    let good = dir.path().join("oco-cdf_v1_r3.ocoframework");
    let bytes = built_file(&sec_key()).bytes;
    std::fs::write(&good, &bytes).unwrap();
    let bad = dir.path().join("changed.ocoframework");
    let mut changed = bytes.clone();
    let at = changed.len() - 300;
    changed[at] ^= 0x02;
    std::fs::write(&bad, &changed).unwrap();

    let mut c = Client::over(Store::open(&db), Mode::Sync);
    c.without_desktop();
    let s = Settings {
        role: Some(Role::Administration),
        member: Some("FJ".into()),
        secretariat_signer: sec_key().public().to_base64(),
        ..c.snapshot().settings.clone()
    };
    c.send(SettingsCmd::FinishSetup(s));
    c.send(FrameworkCmd::SendState);
    let f = c.snapshot().framework.clone().unwrap();
    assert_eq!((f.revision, f.imported), (old(), false));
    // A changed file: refused, said as an error, nothing kept.
    c.send(FrameworkCmd::Import(vec![bad]));
    let n = c.snapshot().notice.clone().unwrap();
    assert_eq!(n.kind, NoticeKind::Error);
    assert!(
        n.msg.text(Lang::En).contains("changed") || n.msg.text(Lang::En).contains("signature"),
        "{}",
        n.msg.text(Lang::En)
    );
    assert_eq!(c.snapshot().framework.as_ref().unwrap().revision, old());
    // The real file: imported, its change log said in each language.
    c.send(FrameworkCmd::Import(vec![good.clone()]));
    let n = c.snapshot().notice.clone().unwrap();
    assert_eq!(n.kind, NoticeKind::Info);
    assert!(n.msg.text(Lang::En).contains("• WF-13 added: workforce data."), "{}", n.msg.text(Lang::En));
    assert!(n.msg.text(Lang::Fr).contains("• WF-13 ajouté : données sur le personnel."), "{}", n.msg.text(Lang::Fr));
    let f = c.snapshot().framework.clone().unwrap();
    assert_eq!((f.revision, f.imported, f.change_log.len()), (new(), true, 2));
    // Again: not newer, said as information; still one file held.
    c.send(FrameworkCmd::Import(vec![good]));
    assert!(c.snapshot().notice.as_ref().unwrap().msg.text(Lang::En).contains("not newer"));
    drop(c);
    let s = Store::open(&db).unwrap();
    assert_eq!(held(&s), 1);
    assert_eq!(fwfiles::current(&s).unwrap().revision(), new());
}

/// The figures of the note (`cargo test --test it fwfiles::figures -- --ignored
/// --nocapture`): a framework file's size, and the time to export, build and verify one. Leaves
/// the file in target/fwfigures/ to be zipped.
#[test]
#[ignore]
fn figures() {
    use std::time::Instant;
    let (fw, log) = revision_3();
    let t = Instant::now();
    let xlsx = book::write(&fw, &log).unwrap();
    let write = t.elapsed();
    let t = Instant::now();
    let built = fwfiles::build(&secretariat(), &xlsx, &sec_key(), "2027-02-01T00:00:00Z".into()).unwrap();
    let build = t.elapsed();
    let t = Instant::now();
    for _ in 0..10 {
        ff::read(&built.bytes).unwrap();
    }
    let verify = t.elapsed() / 10;
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fwfigures");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(&built.file_name), &built.bytes).unwrap();
    std::fs::write(dir.join("content.xlsx"), &xlsx).unwrap();
    let (mut sec, _) = secretariat_with_revision_3();
    let feedback = feedback_for_fiji(&mut sec);
    std::fs::write(dir.join("FJ_2026_feedback_1.ocofeedback"), &feedback).unwrap();
    println!("feedback file carrying it: {} bytes", feedback.len());
    // Moving drafts: a member's database with 3 drafts of 44 answers each imports the file (the
    // drafts are marked where descriptors changed and get the new indicator).
    let mut fiji = member(&sec_key());
    for cycle in [2025, 2026, 2027] {
        let id = fiji.create_assessment(&crate::store::new_assessment("FJ", cycle)).unwrap();
        for ind in &builtin().indicators {
            let change = cdf_assess::assessment::ResponseChange::Answer(cdf_assess::assessment::Answer::Level(2));
            fiji.update_response(id, &ind.code, &change).unwrap();
        }
    }
    let t = Instant::now();
    let i = fwfiles::import(&mut fiji, &built.bytes, Some(sec_key().public())).unwrap();
    println!("import and move {} drafts ({} answers to check): {:?}", i.drafts, i.to_check, t.elapsed());
    println!(
        "workbook {} bytes, written in {write:?}; framework file {} bytes; build (read workbook, rules, diff, sign) {build:?}; verify {verify:?}",
        xlsx.len(),
        built.bytes.len()
    );
}

/// LibreOffice opens the workbook and saves it again, and the content read back from its copy is
/// still byte for byte the built-in content. Skipped, saying so, where LibreOffice is not
/// installed.
#[test]
fn libreoffice_opens_and_saves_the_workbook_unchanged() {
    let Some(office) = ["soffice", "libreoffice"]
        .into_iter()
        .find(|p| std::process::Command::new(p).arg("--version").output().is_ok_and(|o| o.status.success()))
    else {
        eprintln!("LibreOffice is not installed (no soffice or libreoffice on PATH): this test is skipped");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("content.xlsx");
    std::fs::write(&src, book::write(&builtin(), &[]).unwrap()).unwrap();
    let out = dir.path().join("out");
    let o = std::process::Command::new(office)
        .args(["--headless", "--norestore", "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir"])
        .arg(&out)
        .arg(&src)
        .env("HOME", dir.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{o:?}");
    let saved = std::fs::read(out.join("content.xlsx")).unwrap();
    let back = book::read(&saved)
        .unwrap_or_else(|p| panic!("{:?}", p.iter().map(|p| p.message(Lang::En)).collect::<Vec<_>>()));
    assert!(Content::of(&back.framework).canonical() == Content::of(&builtin()).canonical());
}

/// A file dropped on the window, as a windowing backend hands it to egui.
#[derive(Debug)]
struct Dropped(std::path::PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }
    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

#[test]
fn kittest_a_member_drops_a_framework_file_and_sees_its_change_log_in_settings() {
    use crate::ui::{app_over, harness, setup};
    use cdf_assess::app::{Role, SettingsCmd};
    use egui_kittest::kittest::Queryable;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("oco-cdf_v1_r3.ocoframework");
    std::fs::write(&file, built_file(&sec_key()).bytes).unwrap();
    let store = member(&sec_key());
    let mut h = harness(app_over(Ok(store)));
    setup(h.state_mut(), Role::Administration, Some("FJ"));
    h.run();
    h.get_by_label("Settings").click();
    h.run();
    h.get_by_label(&format!("Content revision in use: {} (built into this program)", old()));
    h.input_mut().dropped_files.push(std::sync::Arc::new(Dropped(file)));
    h.run();
    h.get_by_label_contains(&format!("Framework content revision {} imported (it replaces revision {})", new(), old()));
    h.get_by_label(&format!("Content revision in use: {}", new())).scroll_to_me();
    h.run();
    h.get_by_label("• WF-13 added: workforce data.");
    h.get_by_label("• WF-01 level 2 rewritten.");
    // In French, the change log is French.
    let mut s = h.state().snapshot().settings.clone();
    s.lang = Lang::Fr;
    h.state_mut().send(SettingsCmd::Save(s));
    h.run();
    h.get_by_label(&format!("Révision du contenu en usage : {}", new()));
    h.get_by_label("• WF-13 ajouté : données sur le personnel.");
    assert!(h.query_all_by_label("• WF-13 added: workforce data.").next().is_none());
}

/// The child of `an_imported_revision_is_the_content_in_use`: runs only when the parent starts
/// this test binary with CDF_FW_CHILD_DB set, because the content a worker over a database
/// installs is the whole process's.
#[test]
fn child_over_a_database_holding_revision_3() {
    use cdf_assess::app::{Client, Dest, ExportCmd, FrameworkCmd, Mode, SessionCmd};
    use cdf_assess::assessment::{Answer, ResponseChange};
    let (Ok(db), Ok(out)) = (std::env::var("CDF_FW_CHILD_DB"), std::env::var("CDF_FW_CHILD_OUT")) else {
        return;
    };
    let mut c = Client::open(db.into(), Mode::Sync);
    c.without_desktop();
    c.send(FrameworkCmd::SendState);
    let f = c.snapshot().framework.clone().unwrap();
    assert_eq!((f.revision, f.imported), (new(), true));
    assert_eq!(framework::current().meta.revision, new());
    // A new assessment is on revision 3: WF-13 among its indicators.
    c.send(SessionCmd::CreateAssessment(crate::store::new_assessment("FJ", 2027)));
    let s = c.snapshot().session.clone().unwrap();
    let codes: Vec<&str> = s.data.responses.iter().map(|r| r.indicator.as_str()).collect();
    assert_eq!(codes.len(), builtin().indicators.len() + 1);
    assert!(codes.contains(&added().as_str()));
    for (i, r) in s.data.responses.iter().enumerate() {
        let change = ResponseChange::Answer(Answer::Level((i % 5) as u8));
        c.send(SessionCmd::Change { id: s.id(), indicator: r.indicator.clone(), change });
    }
    c.send(SessionCmd::Finalise { id: s.id(), approver: "Comptroller".into() });
    c.send(ExportCmd::Return { dest: Dest::Path(out.into()) });
    // The revision signed off under revision 2, exported again: on revision 2, as before.
    let (Ok(old_id), Ok(again)) = (std::env::var("CDF_FW_CHILD_OLD"), std::env::var("CDF_FW_CHILD_AGAIN")) else {
        panic!("no old revision")
    };
    let old_id = cdf_assess::ids::AssessmentId(old_id.parse().unwrap());
    c.send(SessionCmd::Open(old_id));
    let s = c.snapshot().session.clone().unwrap();
    assert_eq!(s.data.responses.len(), builtin().indicators.len(), "no WF-13 in what was signed off");
    assert_eq!(s.framework().meta.revision, old());
    c.send(ExportCmd::Return { dest: Dest::Path(again.into()) });
    println!("CHILD-OK {}", codes.len());
}

#[test]
fn an_imported_revision_is_the_content_in_use_for_new_assessments_drafts_and_returns() {
    if std::env::var("CDF_FW_CHILD_DB").is_ok() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("fj.sqlite3");
    let file = dir.path().join("oco-cdf_v1_r3.ocoframework");
    let ret = dir.path().join("FJ_2027_r1.ocoreturn");
    std::fs::write(&file, built_file(&sec_key()).bytes).unwrap();
    let old_id = {
        let mut s = Store::open(&db).unwrap();
        for (k, v) in [("role", "administration"), ("member", "FJ")] {
            s.set_setting(k, v).unwrap();
        }
        s.set_setting("secretariat_signer", &sec_key().public().to_base64()).unwrap();
        // A draft begun on revision 2.
        s.create_assessment(&crate::store::new_assessment("FJ", 2026)).unwrap();
        // A revision signed off under revision 2, and its return as then exported.
        let signed = crate::feedback::varied(&mut s, "FJ", 1);
        assert_eq!(s.header(signed).unwrap().content_revision, Some(old()));
        let key = cdf_assess::app::ops::signing_key(&s).unwrap();
        let before =
            cdf_assess::exchange::export::export(&s.revision_chain(signed).unwrap(), None, &key).unwrap().bytes;
        std::fs::write(dir.path().join("before.ocoreturn"), before).unwrap();
        fwfiles::import_path(&mut s, &file, Some(sec_key().public())).unwrap();
        signed
    };
    let o = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["fwfiles::child_over_a_database_holding_revision_3", "--exact", "--nocapture", "--test-threads=1"])
        .env("CDF_FW_CHILD_DB", &db)
        .env("CDF_FW_CHILD_OUT", &ret)
        .env("CDF_FW_CHILD_OLD", old_id.0.to_string())
        .env("CDF_FW_CHILD_AGAIN", dir.path().join("again.ocoreturn"))
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    let n = builtin().indicators.len() + 1;
    assert!(
        o.status.success() && out.contains(&format!("CHILD-OK {n}")),
        "{out}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    // What was signed off under revision 2 is the same return, byte for byte.
    assert_eq!(
        std::fs::read(dir.path().join("again.ocoreturn")).unwrap(),
        std::fs::read(dir.path().join("before.ocoreturn")).unwrap()
    );
    // The draft begun on revision 2 got WF-13 (unanswered); the return names revision 3.
    let s = Store::open(&db).unwrap();
    let draft = s.list().unwrap().into_iter().find(|x| x.header.cycle == 2026).unwrap();
    assert_eq!(draft.total, n);
    // (This process holds revision 2 only: it reads the return as JSON.)
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&ret).unwrap()).unwrap();
    assert_eq!(v["body"]["framework_revision"], new());
    assert_eq!(v["body"]["responses"].as_array().unwrap().len(), n);
    // A Secretariat that holds revision 3 accepts the return; the command line installs it too.
    let sec = dir.path().join("sec.db");
    assert!(cli(&sec).arg("--new-database").arg("signing-key").output().unwrap().status.success());
    // (Its own file: the Secretariat's key signs it in these tests, imported with that key.)
    let st = Store::open(&sec).unwrap();
    st.set_setting("secretariat_signer", &sec_key().public().to_base64()).unwrap();
    drop(st);
    // Revision 3 not held there yet: the return is held, not rejected ...
    let o = cli(&sec).arg("import").arg(&ret).output().unwrap();
    assert!(o.status.success(), "{}", stdout(&o));
    assert!(
        stdout(&o).starts_with("held\t")
            && stdout(&o).contains(&format!("content revision {} of the framework", new())),
        "{}",
        stdout(&o)
    );
    assert_eq!(Store::open(&sec).unwrap().waiting_content_revisions().unwrap(), vec![(new(), 1)]);
    // ... and imported by itself when its framework file is.
    let o = cli(&sec).arg("import-framework").arg(&file).output().unwrap();
    assert!(o.status.success(), "{}", stdout(&o));
    assert!(stdout(&o).contains("\naccepted\tFJ_2027_r1.ocoreturn"), "{}", stdout(&o));
    assert!(Store::open(&sec).unwrap().waiting_content_revisions().unwrap().is_empty());
    // The Secretariat knows which content revision the member used.
    let list = Store::open(&sec).unwrap().list().unwrap();
    let fj = list.iter().find(|x| x.header.member == "FJ" && x.header.cycle == 2027).unwrap();
    assert_eq!(fj.header.content_revision, Some(new()));
    let o = cli(&sec).arg("import").arg(&ret).output().unwrap();
    assert!(o.status.success() && stdout(&o).starts_with("already_imported"), "{}", stdout(&o));
}

#[test]
fn a_revision_that_removes_or_moves_an_indicator_is_refused_at_build_and_at_import() {
    let (mut fw, log) = revision_3();
    fw.indicators.retain(|i| i.code != "WF-12");
    let xlsx = book::write(&fw, &log).unwrap();
    match fwfiles::build(&secretariat(), &xlsx, &sec_key(), "2027-02-01T00:00:00Z".into()) {
        Err(fwfiles::BuildError::Problems(p)) => {
            let m: Vec<String> = p.iter().map(|p| p.message(Lang::En)).collect();
            assert!(m.iter().any(|m| m.starts_with("Sheet \"WF\"") && m.contains("WF-12: removed")), "{m:?}");
        }
        other => panic!("{other:?}"),
    }
    // An added indicator must say it came with a later revision.
    let (mut fw, log) = revision_3();
    fw.indicators.iter_mut().find(|i| i.code == added()).unwrap().since = old();
    let xlsx = book::write(&fw, &log).unwrap();
    match fwfiles::build(&secretariat(), &xlsx, &sec_key(), "2027-02-01T00:00:00Z".into()) {
        Err(fwfiles::BuildError::Problems(p)) => {
            let wf13 = fw.indicators.iter().filter(|i| i.pillar == "WF").position(|i| i.code == added()).unwrap();
            assert_eq!(p[0].place.sheet, "WF");
            assert_eq!(p[0].place.row, Some(wf13 as u32 + 2));
        }
        other => panic!("{other:?}"),
    }
    // A file signed with such content (never made by `build`) is refused by the reader.
    let (mut fw, log) = revision_3();
    fw.indicators.retain(|i| i.code != "WF-12");
    let bytes = ff::write(ff::body(&fw, old(), log, "2027-02-01T00:00:00Z".into()), &sec_key());
    assert!(matches!(ff::read(&bytes), Err(Refusal::Invalid(d)) if d.contains("WF-12")));
}

/// The Secretariat holding revision 3 and FJ's return; Fiji's database, with the card.
fn secretariat_with_revision_3() -> (Store, Store) {
    let (mut sec, fiji, _) = crate::feedback::secretariat_with(&["PG", "SB", "VU"]);
    fwfiles::import(&mut sec, &built_file(&sec_key()).bytes, Some(sec_key().public())).unwrap();
    fiji.set_setting("secretariat_signer", &sec_key().public().to_base64()).unwrap();
    (sec, fiji)
}

fn feedback_for_fiji(sec: &mut Store) -> Vec<u8> {
    let c = cdf_assess::secretariat::consolidate::consolidate(sec, crate::feedback::CYCLE).unwrap();
    cdf_assess::secretariat::review::write_feedback(sec, &c, "FJ", &sec_key()).unwrap().bytes
}

#[test]
fn a_feedback_file_carries_the_framework_file_and_the_member_imports_both() {
    use cdf_assess::exchange::feedback;
    let (mut sec, mut fiji) = secretariat_with_revision_3();
    let bytes = feedback_for_fiji(&mut sec);
    let text = String::from_utf8(bytes.clone()).unwrap();
    assert!(text.starts_with("{\"format\":\"oco-cdf-feedback\",\"format_version\":2,"), "{}", &text[..80]);
    let v = feedback::read(&bytes).unwrap();
    assert_eq!(ff::read(v.body.framework.as_deref().unwrap().as_bytes()).unwrap().body.revision, new());
    let (body, fw) = cdf_assess::feedback::import_both(&mut fiji, &bytes, Some(sec_key().public()), "FJ").unwrap();
    assert_eq!(body.sequence, 1);
    let fw = fw.expect("the framework file inside was imported");
    assert_eq!((fw.revision, fw.replaces), (new(), old()));
    assert_eq!(fiji.framework_files().unwrap().len(), 1);
    assert_eq!(fwfiles::current(&fiji).unwrap().revision(), new());
    // The next feedback carries it again: left aside (not newer), the feedback imported.
    let next = feedback_for_fiji(&mut sec);
    let (body, fw) = cdf_assess::feedback::import_both(&mut fiji, &next, Some(sec_key().public()), "FJ").unwrap();
    assert_eq!((body.sequence, fw), (2, None));
    // Version and content agree: a version 1 file with a framework, or the reverse, is refused.
    let as_v1 = text.replacen("\"format_version\":2", "\"format_version\":1", 1);
    assert!(matches!(feedback::read(as_v1.as_bytes()), Err(feedback::Refusal::Malformed(_))));
    // A Secretariat without framework files writes version 1, small, as before.
    let (mut plain, _, _) = crate::feedback::secretariat_with(&["PG", "SB", "VU"]);
    let small = feedback_for_fiji(&mut plain);
    assert!(small.starts_with(b"{\"format\":\"oco-cdf-feedback\",\"format_version\":1,"));
    assert!(small.len() < 20_000 && bytes.len() > 200_000, "{} / {}", small.len(), bytes.len());
}

#[test]
fn kittest_a_member_drops_a_feedback_file_and_sees_the_framework_change_log() {
    use crate::ui::{app_over, harness, setup};
    use cdf_assess::app::Role;
    use egui_kittest::kittest::Queryable;
    let dir = tempfile::tempdir().unwrap();
    let (mut sec, fiji) = secretariat_with_revision_3();
    let file = dir.path().join("FJ_2026_feedback_1.ocofeedback");
    std::fs::write(&file, feedback_for_fiji(&mut sec)).unwrap();
    let mut h = harness(app_over(Ok(fiji)));
    setup(h.state_mut(), Role::Administration, Some("FJ"));
    h.run();
    h.input_mut().dropped_files.push(std::sync::Arc::new(Dropped(file)));
    h.run();
    h.get_by_label_contains("Feedback from the OCO Secretariat imported (cycle 2026");
    h.get_by_label_contains("• WF-13 added: workforce data.");
    h.get_by_label("Settings").click();
    h.run();
    let in_use = format!("Content revision in use: {}", new());
    h.get_by_label(&in_use).scroll_to_me();
    h.run();
    h.get_by_label("• WF-01 level 2 rewritten.");
}

#[test]
fn a_draft_keeps_its_answers_and_an_answer_on_changed_descriptors_is_marked_until_given_again() {
    use cdf_assess::app::{Client, Mode, SessionCmd, Warning};
    use cdf_assess::assessment::{Answer, ResponseChange};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("fj.sqlite3");
    let draft = {
        let mut s = Store::open(&db).unwrap();
        let draft = s.create_assessment(&crate::store::new_assessment("FJ", 2026)).unwrap();
        // WF-01's level 2 is rewritten by revision 3, LP-01 only renamed, WF-02 untouched; WF-03
        // changes but is unanswered.
        for code in ["WF-01", "LP-01", "WF-02"] {
            s.update_response(draft, code, &ResponseChange::Answer(Answer::Level(2))).unwrap();
        }
        // A finalised revision (another cycle) answered on WF-01 is never marked.
        let done = crate::feedback::varied(&mut s, "FJ", 3);
        let (mut fw, log) = revision_3();
        fw.indicators.iter_mut().find(|i| i.code == "WF-03").unwrap().levels[4].en.push_str(" Reviewed yearly.");
        let bytes = ff::write(ff::body(&fw, old(), log, "2027-02-01T00:00:00Z".into()), &sec_key());
        let i = fwfiles::import(&mut s, &bytes, Some(sec_key().public())).unwrap();
        assert_eq!((i.drafts, i.to_check), (1, 1), "one draft moved, one answer to check");
        assert!(i.said(Lang::Fr).contains("Brouillons ouverts qui l'utilisent désormais : 1."), "{}", i.said(Lang::Fr));
        assert_eq!(s.rechecks(draft).unwrap(), vec!["WF-01".to_string()]);
        assert!(s.rechecks(done).unwrap().is_empty());
        // The answers are kept.
        let a = s.load(draft).unwrap();
        assert_eq!(a.response("WF-01").unwrap().answer, Answer::Level(2));
        draft
    };
    let mut c = Client::over(Store::open(&db), Mode::Sync);
    c.without_desktop();
    c.send(SessionCmd::Open(draft));
    let s = c.snapshot().session.clone().unwrap();
    assert_eq!(s.recheck, vec!["WF-01".to_string()]);
    assert!(s.signoff_warnings().contains(&Warning::Recheck(vec!["WF-01".into()])));
    // Given again (the same level): the mark goes, on screen and on disk.
    c.send(SessionCmd::Change {
        id: draft,
        indicator: "WF-01".into(),
        change: ResponseChange::Answer(Answer::Level(2)),
    });
    let s = c.snapshot().session.clone().unwrap();
    assert!(s.recheck.is_empty());
    assert!(!s.signoff_warnings().iter().any(|w| matches!(w, Warning::Recheck(_))));
    drop(c);
    assert!(Store::open(&db).unwrap().rechecks(draft).unwrap().is_empty());
}

#[test]
fn the_secretariat_exports_the_content_workbook_from_the_window_as_the_command_line_does() {
    use cdf_assess::app::{Client, Dest, FrameworkCmd, Mode, Role, Settings, SettingsCmd};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("sec.sqlite3");
    let mut c = Client::over(Store::open(&db), Mode::Sync);
    c.without_desktop();
    let s = Settings { role: Some(Role::Secretariat), ..c.snapshot().settings.clone() };
    c.send(SettingsCmd::FinishSetup(s));
    let by_window = dir.path().join("window.xlsx");
    c.send(FrameworkCmd::ExportBook { dest: Dest::Path(by_window.clone()) });
    assert!(
        c.snapshot()
            .notice
            .as_ref()
            .unwrap()
            .msg
            .text(Lang::En)
            .contains(&format!("the content of revision {}", old()))
    );
    drop(c);
    let by_cli = dir.path().join("cli.xlsx");
    assert!(cli(&db).args(["framework", "export", "--out"]).arg(&by_cli).output().unwrap().status.success());
    for f in [by_window, by_cli] {
        let b = book::read(&std::fs::read(&f).unwrap()).unwrap();
        assert!(Content::of(&b.framework).canonical() == Content::of(&builtin()).canonical());
    }
}
