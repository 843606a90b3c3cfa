//! Returns of two content revisions in one Secretariat (issue 22, item 5): each is checked and
//! scored against the content it was written under, a replaced indicator counts for the one
//! that replaces it, and the consolidation is checked against a computation made here from the
//! answers and each revision's weights. Also: the return names its content by digest, and
//! another edition of a revision held is refused.
//!
//! Installing a content revision changes the whole process's content, so the Secretariat's side
//! runs in a child process (`child_*`), as in `fwfiles.rs`.
use crate::feedback::{sec_key, varied};
use cdf_assess::assessment::Answer;
use cdf_assess::exchange::framework_file as ff;
use cdf_assess::exchange::{self, Rejection, export};
use cdf_assess::framework::{self, Framework, Text};
use cdf_assess::fwfiles;
use cdf_assess::secretariat::consolidate::consolidate;
use cdf_assess::secretariat::import::{Outcome, import_bytes};
use cdf_assess::store::Store;
use std::collections::BTreeMap;

fn builtin() -> Framework {
    framework::built_in(1).unwrap().clone()
}

/// The revision after the built-in one (\"revision 3\" here) as these tests make it: WF-12 leaves the content, replaced by WF-13; WF-02 weighs
/// differently, so a return scored against the wrong revision would get another WF score.
fn revision_3() -> Framework {
    let mut fw = builtin();
    fw.meta.revision += 1;
    let wf02 = fw.indicators.iter_mut().find(|i| i.code == "WF-02").unwrap();
    wf02.weight = if wf02.weight == 3 { 1 } else { 3 };
    let at = fw.indicators.iter().position(|i| i.code == "WF-12").unwrap();
    let mut wf13 = fw.indicators.remove(at);
    wf13.code = "WF-13".into();
    wf13.title = Text { en: "Workforce data and planning".into(), fr: "Données et planification du personnel".into() };
    wf13.since = fw.meta.revision;
    wf13.replaces = vec!["WF-12".into()];
    fw.indicators.insert(at, wf13);
    fw.meta.changes = vec![Text {
        en: "WF-12 becomes WF-13 (workforce data and planning); WF-02 weighs differently.".into(),
        fr: "WF-12 devient WF-13 (données et planification du personnel) ; WF-02 pèse autrement.".into(),
    }];
    fw
}

fn framework_file() -> Vec<u8> {
    let fw = revision_3();
    let log = fw.meta.changes.clone();
    ff::write(ff::body(&fw, builtin().meta.revision, log, "2027-02-01T00:00:00Z".into()), &sec_key())
}

/// A member's return file, written under the content this process uses.
fn member_return(member: &str, seed: usize) -> Vec<u8> {
    let mut s = Store::open_in_memory().unwrap();
    let id = varied(&mut s, member, seed);
    let k = cdf_assess::demo::member_key(7, member);
    export::export(&s.revision_chain(id).unwrap(), None, &k).unwrap().bytes
}

const OLD: [&str; 3] = ["PG", "SB", "VU"];
const NEW: [&str; 3] = ["FJ", "TO", "WS"];

#[test]
fn a_return_names_its_content_by_digest_and_another_edition_is_refused() {
    let bytes = member_return("PG", 1);
    let v = exchange::read(&bytes, &[]).unwrap();
    let fw = builtin();
    assert_eq!(v.body.framework_revision, Some(fw.meta.revision));
    assert_eq!(v.body.content_digest.as_deref(), Some(ff::Content::of(&fw).digest().as_str()));
    // The same revision number, another edition: signed as any member would, still refused.
    let mut other = v.body.clone();
    other.content_digest = Some("ab".repeat(32));
    let forged = exchange::write(other, &cdf_assess::demo::member_key(7, "PG"));
    assert!(
        matches!(exchange::read(&forged, &[]), Err(Rejection::OtherContent(r)) if r == fw.meta.revision),
        "{:?}",
        exchange::read(&forged, &[]).err()
    );
    let sec = &mut Store::open_in_memory().unwrap();
    let r = import_bytes(sec, "PG.ocoreturn", &forged, &[]).unwrap();
    assert!(matches!(r.outcome, Outcome::Rejected), "{:?}", r.outcome);
    assert!(sec.list().unwrap().is_empty(), "nothing kept");
    // A return written before the digest was carried (none) still reads, and the Secretariat
    // rebuilds it as it came (the same digest).
    let mut older = v.body.clone();
    (older.content_digest, older.targets_confirmed) = (None, None);
    let bytes = exchange::write(older, &cdf_assess::demo::member_key(7, "PG"));
    let digest = exchange::read(&bytes, &[]).unwrap().digest;
    let mut sec = Store::open_in_memory().unwrap();
    assert_eq!(import_bytes(&mut sec, "PG.ocoreturn", &bytes, &[]).unwrap().outcome, Outcome::Accepted);
    let held = sec.list().unwrap()[0].header.id;
    let again = export::body_of(&sec.revision_chain(held).unwrap()).unwrap();
    assert_eq!(exchange::digest_of(&again), digest);
}

#[test]
fn a_revision_may_drop_an_indicator_that_a_newer_one_replaces() {
    let fw = revision_3();
    assert!(ff::compatible(&builtin(), &fw).is_empty(), "{:?}", ff::compatible(&builtin(), &fw));
    assert!(ff::read(&framework_file()).is_ok());
    // Through the workbook and back, `replaces` included, byte for byte.
    let back =
        cdf_assess::fwfiles::book::read(&cdf_assess::fwfiles::book::write(&fw, &fw.meta.changes).unwrap()).unwrap();
    assert_eq!(back.framework.indicator("WF-13").unwrap().replaces, ["WF-12"]);
    assert!(ff::Content::of(&back.framework).canonical() == ff::Content::of(&fw).canonical());
    // Replacing an indicator that is still there is a mistake the rules name.
    let mut wrong = revision_3();
    wrong.indicators.iter_mut().find(|i| i.code == "WF-13").unwrap().replaces = vec!["WF-11".into()];
    let e = wrong.validate();
    assert!(e.iter().any(|m| m.contains("WF-13: replaces WF-11, which is still an indicator")), "{e:?}");
}

/// WF pillar score as this test computes it: the weighted mean of the levels given, weights from
/// `fw`, on the 0-100 scale.
fn wf_score(fw: &Framework, answers: &BTreeMap<String, Answer>) -> Option<f64> {
    let (mut sum, mut weight) = (0u32, 0u32);
    for ind in fw.indicators.iter().filter(|i| i.pillar == "WF") {
        let level = match answers.get(&ind.code) {
            Some(Answer::Level(l)) => *l as u32,
            Some(Answer::Insufficient) => 0,
            _ => continue,
        };
        sum += level * ind.weight as u32;
        weight += ind.weight as u32;
    }
    (weight > 0).then(|| sum as f64 / weight as f64 / 4.0 * 100.0)
}

#[test]
fn child_mixed_revisions() {
    let Ok(dir) = std::env::var("CDF_REV_CHILD") else { return };
    let dir = std::path::PathBuf::from(dir);
    let mut sec = Store::open_in_memory().unwrap();
    sec.set_setting("role", "secretariat").unwrap();
    for m in OLD {
        let b = std::fs::read(dir.join(format!("{m}.ocoreturn"))).unwrap();
        assert_eq!(import_bytes(&mut sec, "x.ocoreturn", &b, &[]).unwrap().outcome, Outcome::Accepted);
    }
    fwfiles::import(&mut sec, &std::fs::read(dir.join("r3.ocoframework")).unwrap(), Some(sec_key().public())).unwrap();
    assert_eq!(fwfiles::install_held(&sec).unwrap(), Some(revision_3().meta.revision));
    // Members write on revision 3 now (this process's content).
    for (i, m) in NEW.iter().enumerate() {
        let b = member_return(m, i + 4);
        let v = exchange::read(&b, &[]).unwrap();
        assert!(v.body.responses.iter().any(|r| r.indicator == "WF-13"));
        assert!(!v.body.responses.iter().any(|r| r.indicator == "WF-12"));
        assert_eq!(import_bytes(&mut sec, "x.ocoreturn", &b, &[]).unwrap().outcome, Outcome::Accepted);
    }
    // A revision-2 return imported after revision 3 is held: still checked against revision 2.
    let late = std::fs::read(dir.join("CK.ocoreturn")).unwrap();
    assert_eq!(import_bytes(&mut sec, "x.ocoreturn", &late, &[]).unwrap().outcome, Outcome::Accepted);

    let c = consolidate(&sec, crate::feedback::CYCLE).unwrap();
    let (r2, r3) = (builtin(), revision_3());
    let mut wf13_levels = Vec::new();
    for code in OLD.iter().chain(NEW.iter()).chain(["CK"].iter()) {
        let m = c.members.iter().find(|m| m.member == *code).unwrap();
        let a = m.assessment.as_ref().unwrap();
        let answers: BTreeMap<String, Answer> = a.responses.iter().map(|r| (r.indicator.clone(), r.answer)).collect();
        let (fw, old) = if NEW.contains(code) { (&r3, false) } else { (&r2, true) };
        // The dashboard knows which content each member used.
        assert_eq!(a.header.content_revision, Some(fw.meta.revision), "{code}");
        let expected = wf_score(fw, &answers);
        let got = m.scores.as_ref().unwrap().pillar_score("WF");
        assert!(
            expected.zip(got).is_some_and(|(e, g)| (e - g).abs() < 1e-9),
            "{code}: WF {got:?}, computed here {expected:?}"
        );
        // Scored against the other revision, the figure would differ (the test can tell).
        let other = if old { &r3 } else { &r2 };
        let mut as_other = answers.clone();
        if old {
            as_other.insert("WF-13".into(), answers["WF-12"]);
        }
        assert_ne!(wf_score(other, &as_other), expected, "{code}: WF-02's weight makes no difference");
        let wf13 = if old { answers["WF-12"] } else { answers["WF-13"] };
        if let Answer::Level(l) = wf13 {
            wf13_levels.push(l as f64);
        }
    }
    // WF-12's answers count for WF-13, which replaces it; WF-12 is gone from the region's list.
    let g = c.gaps.iter().find(|g| g.indicator == "WF-13").unwrap();
    assert_eq!(g.members_scored, wf13_levels.len());
    let mean = wf13_levels.iter().sum::<f64>() / wf13_levels.len() as f64;
    assert!((g.mean_level - mean).abs() < 1e-9, "{} vs {mean}", g.mean_level);
    assert!(c.gaps.iter().all(|g| g.indicator != "WF-12"));
    // The stored scores (what the trend and the register read) agree with the above.
    let n = cdf_assess::secretariat::consolidate::fill_scores(&mut sec, |_| {}).unwrap();
    assert_eq!(n, 0, "every import stored its scores, by its own revision");
    let said = c.content_revisions_text(cdf_assess::lang::Lang::En).unwrap();
    let (old, new) = (r2.meta.revision, r3.meta.revision);
    assert!(said.contains(&format!("revision {old} (CK, PG, SB, VU)")), "{said}");
    assert!(said.contains(&format!("revision {new} (FJ, WS, TO)")), "{said}");
    let pdf_text = format!("{:?}", cdf_assess::report::regional::regional_doc(&c, cdf_assess::lang::Lang::Fr));
    assert!(pdf_text.contains(&format!("révision {new} (FJ, WS, TO)")), "the regional report says it");
    println!("CHILD-OK {}", c.members.iter().filter(|m| m.assessment.is_some()).count());
}

#[test]
fn returns_of_two_revisions_consolidate_each_against_its_own_content() {
    if std::env::var("CDF_REV_CHILD").is_ok() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for (i, m) in OLD.iter().chain(["CK"].iter()).enumerate() {
        std::fs::write(dir.path().join(format!("{m}.ocoreturn")), member_return(m, i + 1)).unwrap();
    }
    std::fs::write(dir.path().join("r3.ocoframework"), framework_file()).unwrap();
    let o = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["revisions::child_mixed_revisions", "--exact", "--nocapture", "--test-threads=1"])
        .env("CDF_REV_CHILD", dir.path())
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success() && out.contains("CHILD-OK 7"), "{out}\n{}", String::from_utf8_lossy(&o.stderr));
}

/// The return says which targets the officer chose or confirmed (issue 25); the Secretariat
/// keeps it per answer; a return that does not say reads as every target the member's.
#[test]
fn the_return_says_which_targets_were_confirmed_and_the_secretariat_keeps_it() {
    use cdf_assess::assessment::ResponseChange;
    let mut s = Store::open_in_memory().unwrap();
    let id = s.create_assessment(&crate::store::new_assessment("SB", crate::feedback::CYCLE)).unwrap();
    let fw = framework::current();
    for (i, ind) in fw.indicators.iter().enumerate() {
        s.update_response(id, &ind.code, &ResponseChange::Answer(Answer::Level((i % 5) as u8))).unwrap();
    }
    for code in ["WF-03", "LP-01"] {
        let t = fw.indicator(code).unwrap().default_target;
        s.update_response(id, code, &ResponseChange::Target(t)).unwrap();
    }
    s.finalise(id, "Comptroller").unwrap();
    let key = cdf_assess::demo::member_key(7, "SB");
    let bytes = export::export(&s.revision_chain(id).unwrap(), None, &key).unwrap().bytes;
    let v = exchange::read(&bytes, &[]).unwrap();
    assert_eq!(v.body.targets_confirmed, Some(vec!["WF-03".to_string(), "LP-01".to_string()]));
    assert!(String::from_utf8_lossy(&bytes).contains(r#""format_version":4,"#));
    let mut sec = Store::open_in_memory().unwrap();
    assert_eq!(import_bytes(&mut sec, "SB.ocoreturn", &bytes, &[]).unwrap().outcome, Outcome::Accepted);
    let held = sec.load(sec.list().unwrap()[0].header.id).unwrap();
    let confirmed: Vec<&str> =
        held.responses.iter().filter(|r| r.target_confirmed).map(|r| r.indicator.as_str()).collect();
    assert_eq!(confirmed, ["WF-03", "LP-01"]);
    // Rebuilt from what the Secretariat holds: the same digest.
    let again = export::body_of(&sec.revision_chain(held.header.id).unwrap()).unwrap();
    assert_eq!(exchange::digest_of(&again), v.digest);
    // An unknown code is refused; a return without the field reads as all confirmed.
    let mut bad = v.body.clone();
    bad.targets_confirmed = Some(vec!["ZZ-99".into()]);
    assert!(matches!(exchange::read(&exchange::write(bad, &key), &[]), Err(Rejection::UnknownIndicator(_))));
    let mut old = v.body.clone();
    (old.targets_confirmed, old.content_digest) = (None, None);
    let read = exchange::read(&exchange::write(old, &key), &[]).unwrap();
    assert!(read.imported().responses.iter().all(|r| r.target_confirmed));
}
