//! Feedback from the Secretariat (issue 10): the signed `.ocofeedback` file, from the Secretariat's
//! review to the member's import, with two databases; what is refused and why; benchmarks checked
//! against a computation made here; interop with the minisign reference tool; the command line.

use crate::exchange::key;
use crate::store::new_assessment;
use cdf_assess::assessment::{Answer, NeedCategory, ResponseChange};
use cdf_assess::exchange::feedback::{self, Refusal, Stat};
use cdf_assess::exchange::sign::SigningKey;
use cdf_assess::exchange::{self, export};
use cdf_assess::feedback::{ImportError, Match, import, views};
use cdf_assess::framework;
use cdf_assess::ids::AssessmentId;
use cdf_assess::lang::Lang;
use cdf_assess::scoring;
use cdf_assess::secretariat::consolidate::consolidate;
use cdf_assess::secretariat::import::{Outcome, import_bytes};
use cdf_assess::secretariat::review::{feedback_body, write_feedback};
use cdf_assess::store::Store;
use std::process::Command;

pub const CYCLE: i32 = 2026;

/// The Secretariat's signing key in these tests.
pub fn sec_key() -> SigningKey {
    SigningKey::from_seed([42; 32], *b"oco-secr")
}

/// A finalised assessment whose answers depend on `seed`, so members differ.
pub fn varied(store: &mut Store, member: &str, seed: usize) -> AssessmentId {
    let id = store.create_assessment(&new_assessment(member, CYCLE)).unwrap();
    for (i, ind) in framework::current().indicators.iter().enumerate() {
        let answer = match (i * 7 + seed * 3) % 13 {
            11 => Answer::NotApplicable,
            k => Answer::Level(((k + seed) % 5) as u8),
        };
        store.update_response(id, &ind.code, &ResponseChange::Answer(answer)).unwrap();
        let need = if (i + seed).is_multiple_of(4) { Some(NeedCategory::C) } else { Some(NeedCategory::A) };
        store.update_response(id, &ind.code, &ResponseChange::Need(need)).unwrap();
    }
    store.finalise(id, "Comptroller of Customs").unwrap();
    id
}

/// The return file of a member's revision 1 (made in its own database) and that database.
pub fn member_return(member: &str, seed: usize) -> (Store, AssessmentId, Vec<u8>) {
    let mut s = Store::open_in_memory().unwrap();
    let id = varied(&mut s, member, seed);
    // Each member signs with its own key (one key for two members is a conflict at import).
    let k = if member == "FJ" { key() } else { cdf_assess::demo::member_key(7, member) };
    let e = export::export(&s.revision_chain(id).unwrap(), None, &k).unwrap();
    (s, id, e.bytes)
}

/// The Secretariat, with returns from FJ and the other members listed.
pub fn secretariat_with(others: &[&str]) -> (Store, Store, AssessmentId) {
    let mut sec = Store::open_in_memory().unwrap();
    let (fiji, id, bytes) = member_return("FJ", 0);
    assert_eq!(import_bytes(&mut sec, "FJ.ocoreturn", &bytes, &[]).unwrap().outcome, Outcome::Accepted);
    for (i, m) in others.iter().enumerate() {
        let (_, _, b) = member_return(m, i + 1);
        assert_eq!(import_bytes(&mut sec, "x.ocoreturn", &b, &[]).unwrap().outcome, Outcome::Accepted);
    }
    (sec, fiji, id)
}

/// Four Melanesian members and three Polynesian ones besides Fiji.
const OTHERS: [&str; 7] = ["PG", "SB", "VU", "NC", "TO", "WS", "CK"];

fn review(sec: &mut Store) {
    sec.set_review_state("FJ", CYCLE, "queries").unwrap();
    sec.set_review_remark("FJ", CYCLE, "WF-06", "query", "Level 4 needs the e-learning completion report.").unwrap();
    sec.set_review_remark(
        "FJ",
        CYCLE,
        "LP-01",
        "note",
        "Programmed: OCO regional valuation workshop, Suva, March 2027.",
    )
    .unwrap();
}

fn write(sec: &mut Store, member: &str) -> Vec<u8> {
    let c = consolidate(sec, CYCLE).unwrap();
    write_feedback(sec, &c, member, &sec_key()).unwrap().bytes
}

#[test]
fn round_trip_with_two_databases_receipt_state_queries_and_benchmarks() {
    let (mut sec, mut fiji, id) = secretariat_with(&OTHERS);
    review(&mut sec);
    let bytes = write(&mut sec, "FJ");
    assert!(bytes.len() < 64 * 1024, "small: {} bytes", bytes.len());

    let body = import(&mut fiji, &bytes, Some(sec_key().public()), "FJ").unwrap();
    assert_eq!(body.sequence, 1);
    let v = views(&fiji).unwrap();
    assert_eq!(v.len(), 1);
    let v = &v[0];
    // The receipt: the Secretariat holds exactly the file exported here.
    assert_eq!(v.receipts.len(), 1);
    let r = &v.receipts[0];
    let h = fiji.header(id).unwrap();
    assert_eq!((r.receipt.assessment_uuid.as_str(), r.receipt.revision), (h.uuid.as_str(), 1));
    let local = exchange::digest_of(&export::body_of(&fiji.revision_chain(id).unwrap()).unwrap());
    assert_eq!(r.receipt.digest, local);
    assert_eq!(r.matches, Match::Same);
    assert_eq!(r.receipt.outcome, "accepted");
    assert_eq!(v.body.review_state, "queries");
    assert_eq!(v.query("WF-06"), Some("Level 4 needs the e-learning completion report."));
    assert_eq!(v.note("LP-01"), Some("Programmed: OCO regional valuation workshop, Suva, March 2027."));
    let bm = v.body.benchmarks.as_ref().expect("benchmarks over 8 members");
    assert_eq!(bm.subregion, "melanesia");
    assert_eq!(bm.pillars.len(), framework::current().meta.pillars.len());
    assert!(bm.pillars.iter().all(|p| p.region.is_some_and(|s| s.n == 8) && p.subregion.is_some_and(|s| s.n == 5)));
}

#[test]
fn a_receipt_of_another_file_than_the_one_held_here_is_told() {
    let (mut sec, mut fiji, id) = secretariat_with(&OTHERS);
    let bytes = write(&mut sec, "FJ");
    // Another installation's database: the same assessment id is not held there.
    let mut other = Store::open_in_memory().unwrap();
    import(&mut other, &bytes, Some(sec_key().public()), "FJ").unwrap();
    assert_eq!(views(&other).unwrap()[0].receipts[0].matches, Match::NotHere);
    import(&mut fiji, &bytes, Some(sec_key().public()), "FJ").unwrap();
    assert_eq!(views(&fiji).unwrap()[0].receipts[0].matches, Match::Same);
    let _ = id;
}

/// Imports and checks nothing changed: the count of feedback held and what the member sees.
fn refused(store: &mut Store, bytes: &[u8], member: &str) -> Refusal {
    let before = (store.feedback_count().unwrap(), views(store).unwrap());
    let r = match import(store, bytes, Some(sec_key().public()), member) {
        Err(ImportError::Refused(r)) => r,
        other => panic!("not refused: {other:?}"),
    };
    assert_eq!((store.feedback_count().unwrap(), views(store).unwrap()), before, "nothing changes");
    assert!(!r.message(Lang::En).is_empty() && !r.message(Lang::Fr).starts_with("feedback."));
    r
}

#[test]
fn changed_byte_other_key_other_member_and_older_files_are_refused_with_their_reason() {
    let (mut sec, mut fiji, _) = secretariat_with(&OTHERS);
    review(&mut sec);
    let first = write(&mut sec, "FJ");
    sec.set_review_state("FJ", CYCLE, "accepted").unwrap();
    let second = write(&mut sec, "FJ");
    import(&mut fiji, &second, Some(sec_key().public()), "FJ").unwrap();

    // Older than (or the same as) the one held: ignored.
    assert_eq!(refused(&mut fiji, &first, "FJ"), Refusal::Older(1, 2));
    assert_eq!(refused(&mut fiji, &second, "FJ"), Refusal::Older(2, 2));

    // One changed byte, anywhere: refused.
    let third = write(&mut sec, "FJ");
    let before = views(&fiji).unwrap();
    for pos in 0..third.len() {
        let mut b = third.clone();
        b[pos] ^= if b[pos].is_ascii_digit() { 0x01 } else { 0x20 };
        let r = match import(&mut fiji, &b, Some(sec_key().public()), "FJ") {
            Err(ImportError::Refused(r)) => r,
            other => panic!("byte {pos} changed, not refused: {other:?}"),
        };
        assert_eq!(fiji.feedback_count().unwrap(), 1);
        assert!(
            matches!(
                r,
                Refusal::Changed
                    | Refusal::BadSignature
                    | Refusal::NotFeedback
                    | Refusal::Malformed(_)
                    | Refusal::UnknownVersion(_)
            ),
            "byte {pos}: {r:?}"
        );
    }
    assert_eq!(views(&fiji).unwrap(), before, "nothing changed");
    // The query text changed and the digest made again: the signature no longer matches.
    let mut f: feedback::FeedbackFile = serde_json::from_slice(&third).unwrap();
    f.body.queries.clear();
    f.digest = exchange::sha256_hex(&serde_json::to_vec(&f.body).unwrap());
    assert_eq!(refused(&mut fiji, &serde_json::to_vec(&f).unwrap(), "FJ"), Refusal::BadSignature);

    // Signed by another key (a valid signature, but not the Secretariat's card).
    let verified = feedback::read(&third).unwrap();
    let forged = feedback::write(verified.body.clone(), &key());
    assert!(
        matches!(refused(&mut fiji, &forged, "FJ"), Refusal::WrongSigner(fp) if fp == key().public().fingerprint())
    );

    // Without the Secretariat's card nothing is imported.
    match import(&mut fiji, &third, None, "FJ") {
        Err(ImportError::Refused(Refusal::NoCard)) => {}
        other => panic!("{other:?}"),
    }

    // For another member.
    let png = write(&mut sec, "PG");
    assert_eq!(refused(&mut fiji, &png, "FJ"), Refusal::OtherMember("PG".into()));

    // The newest imports.
    assert_eq!(import(&mut fiji, &third, Some(sec_key().public()), "FJ").unwrap().sequence, 3);
    assert_eq!(fiji.feedback_count().unwrap(), 2);
}

/// Quartiles computed here, independently: the value at fractional rank p·(n−1) of the sorted
/// values, interpolated.
fn expected(values: &mut [f64]) -> Option<(usize, f64, f64, f64, f64)> {
    if values.len() < 3 {
        return None;
    }
    values.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let q = |p: f64| {
        let rank = p * (values.len() as f64 - 1.0);
        let (i, frac) = (rank as usize, rank.fract());
        if i + 1 < values.len() { values[i] * (1.0 - frac) + values[i + 1] * frac } else { values[i] }
    };
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    Some((values.len(), mean, q(0.25), q(0.5), q(0.75)))
}

fn close(s: Option<Stat>, e: Option<(usize, f64, f64, f64, f64)>, what: &str) {
    match (s, e) {
        (None, None) => {}
        (Some(s), Some((n, mean, q1, med, q3))) => {
            assert_eq!(s.n as usize, n, "{what}");
            for (got, want) in [(s.mean, mean), (s.q1, q1), (s.median, med), (s.q3, q3)] {
                assert!((got - want).abs() <= 0.005 + 1e-9, "{what}: {got} vs {want}");
            }
        }
        (s, e) => panic!("{what}: sent {s:?}, expected {e:?}"),
    }
}

#[test]
fn benchmarks_match_an_independent_computation_and_name_no_other_member() {
    // Melanesia: FJ, PG, SB (3); Polynesia: TO, WS (2, under the minimum); Micronesia: KI.
    let others = ["PG", "SB", "TO", "WS", "KI"];
    let (mut sec, _, _) = secretariat_with(&others);
    let fw = framework::current();
    // Each member's scores, from its own return file made again here.
    let members: Vec<(&str, usize)> =
        std::iter::once(("FJ", 0)).chain(others.iter().enumerate().map(|(i, m)| (*m, i + 1))).collect();
    let scores: Vec<(&str, scoring::Scores)> = members
        .iter()
        .map(|(m, seed)| {
            let (_, _, b) = member_return(m, *seed);
            let body = exchange::read(&b, &[]).unwrap().body;
            (*m, scoring::score(fw, &body.to_assessment_parts().1))
        })
        .collect();
    let sub = |m: &str| framework::member(m).unwrap().subregion.clone();

    for me in ["FJ", "TO"] {
        let c = consolidate(&sec, CYCLE).unwrap();
        let body = feedback_body(&sec, &c, me, "2027-05-12T09:00:00Z").unwrap();
        let bm = body.benchmarks.as_ref().unwrap();
        for p in &fw.meta.pillars {
            let mut region: Vec<f64> = scores.iter().filter_map(|(_, s)| s.pillar_score(&p.code)).collect();
            let mut mine: Vec<f64> =
                scores.iter().filter(|(m, _)| sub(m) == sub(me)).filter_map(|(_, s)| s.pillar_score(&p.code)).collect();
            let sent = bm.pillars.iter().find(|b| b.code == p.code);
            close(sent.and_then(|b| b.region), expected(&mut region), &format!("{me} {} region", p.code));
            close(sent.and_then(|b| b.subregion), expected(&mut mine), &format!("{me} {} sub-region", p.code));
        }
        for ind in &fw.indicators {
            let level = |s: &scoring::Scores| {
                s.indicators.iter().find(|i| i.code == ind.code).and_then(|i| i.value).map(f64::from)
            };
            let mut region: Vec<f64> = scores.iter().filter_map(|(_, s)| level(s)).collect();
            let mut mine: Vec<f64> =
                scores.iter().filter(|(m, _)| sub(m) == sub(me)).filter_map(|(_, s)| level(s)).collect();
            let sent = bm.indicators.iter().find(|b| b.code == ind.code);
            close(sent.and_then(|b| b.region), expected(&mut region), &format!("{me} {} region", ind.code));
            close(sent.and_then(|b| b.subregion), expected(&mut mine), &format!("{me} {} sub-region", ind.code));
        }
        // No figure over fewer than 3 members, anywhere.
        for b in bm.pillars.iter().chain(&bm.indicators) {
            for s in [b.region, b.subregion].into_iter().flatten() {
                assert!(s.n >= 3, "{me} {}: n = {}", b.code, s.n);
            }
        }
        if me == "TO" {
            assert!(bm.pillars.iter().all(|b| b.subregion.is_none()), "Polynesia has 2 returns: no sub-region figure");
        }
    }

    // The file names no other member: no code as a value, no name anywhere (English or French),
    // and the signature's trusted comment names only FJ.
    review(&mut sec);
    let bytes = write(&mut sec, "FJ");
    let text = String::from_utf8(bytes.clone()).unwrap();
    let json: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    let mut strings = Vec::new();
    fn collect(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::String(s) => out.push(s.clone()),
            serde_json::Value::Array(a) => a.iter().for_each(|x| collect(x, out)),
            serde_json::Value::Object(o) => o.iter().for_each(|(k, x)| {
                out.push(k.clone());
                collect(x, out)
            }),
            _ => {}
        }
    }
    collect(&json, &mut strings);
    let sig = feedback::read(&bytes).unwrap();
    let comment = {
        use base64::Engine;
        let f: feedback::FeedbackFile = serde_json::from_slice(&bytes).unwrap();
        let s = String::from_utf8(base64::engine::general_purpose::STANDARD.decode(f.signature).unwrap()).unwrap();
        exchange::sign::trusted_comment(&s).unwrap()
    };
    assert!(comment.contains(" FJ "), "{comment}");
    strings.push(comment);
    let _ = sig;
    // Pillar and indicator codes (`WF`, `WF-01`: Workforce) are the framework's, not members'.
    let fw_codes: Vec<&str> =
        fw.meta.pillars.iter().map(|p| p.code.as_str()).chain(fw.indicators.iter().map(|i| i.code.as_str())).collect();
    strings.retain(|s| !fw_codes.contains(&s.as_str()));
    // The key and signature are base64 (their trusted comment, signed, is checked above).
    strings.retain(|s| Some(s.as_str()) != json["signature"].as_str() && Some(s.as_str()) != json["signer"].as_str());
    for m in framework::members().iter().filter(|m| m.code != "FJ") {
        for s in &strings {
            assert!(s.split(|c: char| !c.is_ascii_alphanumeric()).all(|w| w != m.code), "{} in {s:?}", m.code);
        }
        for name in [&m.name.en, &m.name.fr] {
            assert!(!text.contains(name.as_str()), "{name} in the file");
        }
    }
}

fn minisign() -> bool {
    let ok = Command::new("minisign").arg("-v").output().is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("note: `minisign` is not installed (apt-get install -y minisign); interop test skipped");
    }
    ok
}

#[test]
fn the_feedback_signature_verifies_with_the_reference_minisign_tool() {
    if !minisign() {
        return;
    }
    let (mut sec, _, _) = secretariat_with(&OTHERS);
    review(&mut sec);
    let bytes = write(&mut sec, "FJ");
    let tmp = tempfile::tempdir().unwrap();
    let f = tmp.path().join("FJ_2026_feedback_1.ocofeedback");
    std::fs::write(&f, &bytes).unwrap();
    // The commands of docs/feedback-format.md.
    let sh = |cmd: &str| {
        let o = Command::new("sh").arg("-c").arg(cmd).current_dir(tmp.path()).output().unwrap();
        (o.status.success(), String::from_utf8_lossy(&o.stdout).to_string() + &String::from_utf8_lossy(&o.stderr))
    };
    let name = f.file_name().unwrap().to_string_lossy().to_string();
    assert!(sh(&format!("sed -e 's/^{{[^{{]*\"body\"://' -e 's/}}$//' {name} > body.json")).0);
    assert!(
        sh(&format!("sed -e 's/.*\"signature\":\"\\([^\"]*\\)\".*/\\1/' {name} | base64 -d > body.json.minisig")).0
    );
    let pk = sec_key().public().to_base64();
    let (ok, out) = sh(&format!("minisign -Vm body.json -P {pk}"));
    assert!(ok, "{out}");
    assert!(out.contains("oco-cdf-feedback FJ 2026 n1"), "{out}");
    // Another key: refused by the tool too.
    let (ok, _) = sh(&format!("minisign -Vm body.json -P {}", key().public().to_base64()));
    assert!(!ok);
    // A changed byte in the body: refused by the tool.
    assert!(sh("sed -i 's/Level 4/Level 3/' body.json").0);
    assert!(!sh(&format!("minisign -Vm body.json -P {pk}")).0);
}

/// Both roles in the window, by labels: the Secretariat reviews Fiji's return, writes a query and
/// the feedback file; Fiji takes the Secretariat's card, drops the file on its window and sees the
/// receipt line, a badge on the queried indicator, the query beside it, a revision started to
/// answer it, and the benchmark columns on Results.
/// Fiji's database (at `fiji`) with its finalised return, and the Secretariat's (at `sec`)
/// holding that return, exported from Fiji's database, and six others.
pub fn fiji_and_secretariat(fiji: &std::path::Path, sec: &std::path::Path) -> (Store, AssessmentId, Store) {
    let mut fiji = Store::create_new(fiji).unwrap();
    let id = varied(&mut fiji, "FJ", 0);
    let e = export::export(&fiji.revision_chain(id).unwrap(), None, &key()).unwrap();
    let mut sec = Store::create_new(sec).unwrap();
    import_bytes(&mut sec, "FJ.ocoreturn", &e.bytes, &[]).unwrap();
    for (i, m) in ["PG", "SB", "VU", "TO", "WS", "KI"].iter().enumerate() {
        let (_, _, b) = member_return(m, i + 1);
        import_bytes(&mut sec, "x.ocoreturn", &b, &[]).unwrap();
    }
    (fiji, id, sec)
}

#[test]
fn kittest_both_roles_queries_become_badges_receipt_line_and_benchmark_column() {
    use crate::ui::{app_over, harness, setup};
    use cdf_assess::app::Role;
    use cdf_assess::ui::Page;
    use egui_kittest::kittest::Queryable;

    let tmp = tempfile::tempdir().unwrap();
    for d in ["sec", "fiji", "out"] {
        std::fs::create_dir(tmp.path().join(d)).unwrap();
    }
    let out = tmp.path().join("out");
    let (fiji, id, sec) =
        fiji_and_secretariat(&tmp.path().join("fiji/cdf.sqlite3"), &tmp.path().join("sec/cdf.sqlite3"));

    // The Secretariat.
    let mut h = harness(app_over(Ok(sec)));
    setup(h.state_mut(), Role::Secretariat, None);
    h.state_mut().export_dir = out.display().to_string();
    h.run();
    h.get_by_label("Review").click();
    h.run();
    assert_eq!(h.state().page, Page::Review);
    h.get_by_label("Fiji").scroll_to_me();
    h.run();
    h.get_by_label("Fiji").click();
    h.run();
    h.get_by_label("Review: Fiji, cycle 2026");
    h.get_by_label("Under review").scroll_to_me();
    h.run();
    h.get_by_label("Under review").click();
    h.run();
    // The query picker: searched by code, then chosen from the list it narrows to.
    h.get_by_label("Find an indicator (code or words of its title)").scroll_to_me();
    h.run();
    h.get_by_label("Find an indicator (code or words of its title)").focus();
    h.get_by_label("Find an indicator (code or words of its title)").type_text("WF-06");
    h.run();
    h.get_by_label_contains("WF-06 · ").scroll_to_me();
    h.run();
    h.get_by_label_contains("WF-06 · ").click();
    h.run();
    h.get_by_label("Query").scroll_to_me();
    h.run();
    h.get_by_label("Query").focus();
    h.get_by_label("Query").type_text("Level 4 needs the e-learning completion report.");
    h.run();
    let rp = &h.state().pages.review;
    assert_eq!(
        (rp.query_indicator.as_deref(), rp.query_text.as_str()),
        (Some("WF-06"), "Level 4 needs the e-learning completion report.")
    );
    h.get_by_label("Add query").scroll_to_me();
    h.run();
    h.get_by_label("Add query").click();
    h.run();
    h.get_by_label("Level 4 needs the e-learning completion report.");
    h.get_by_label("Write feedback for Fiji").scroll_to_me();
    h.run();
    h.get_by_label("Write feedback for Fiji").click();
    h.run();
    let file = out.join("FJ_2026_feedback_1.ocofeedback");
    assert!(file.is_file(), "feedback written into the folder");
    h.get_by_label(&format!("Fiji: {}", file.display()));
    h.get_by_label("Open e-mail");
    // Its card, for members.
    h.get_by_label("Settings").click();
    h.run();
    h.get_by_label("Save our card in the export folder").scroll_to_me();
    h.run();
    h.get_by_label("Save our card in the export folder").click();
    h.run();
    let card = std::fs::read_to_string(out.join("oco-secretariat.ococard")).unwrap();
    drop(h);

    // Fiji.
    drop(fiji);
    let fiji = Store::open(&tmp.path().join("fiji/cdf.sqlite3")).unwrap();
    let mut h = harness(app_over(Ok(fiji)));
    setup(h.state_mut(), Role::Administration, Some("FJ"));
    h.run();
    h.get_by_label("Settings").click();
    h.run();
    h.get_by_label("No Secretariat card yet: feedback files cannot be checked.");
    h.get_by_label("Paste the card's text").scroll_to_me();
    h.run();
    h.get_by_label("Paste the card's text").focus();
    h.get_by_label("Paste the card's text").type_text(&card);
    h.run();
    h.get_by_label("Use this card").scroll_to_me();
    h.run();
    h.get_by_label("Use this card").click();
    h.run();
    h.get_by_label_contains("Secretariat card imported; signing key fingerprint");
    // The file dropped on the window.
    h.input_mut().dropped_files.push(std::sync::Arc::new(Dropped(file.clone())));
    h.run();
    h.get_by_label("Feedback from the OCO Secretariat imported (cycle 2026, 1 queries).");
    h.state_mut().send(cdf_assess::app::SessionCmd::Open(id));
    h.run();
    assert_eq!(h.state().page, Page::Assess);
    h.get_by_label_contains("— the file they hold matches yours");
    h.get_by_label("Review: Under review");
    assert_eq!(h.query_all_by_label("Query").count(), 1, "one badge: the one queried indicator");
    h.get_by_label_contains("WF-06 — ").click();
    h.run();
    h.get_by_label_contains("WF-06 ·");
    h.get_by_label("Query from the OCO Secretariat");
    h.get_by_label("Start a revision to answer the queries").scroll_to_me();
    h.run();
    h.get_by_label("Start a revision to answer the queries").click();
    h.run();
    let s = h.state().session().unwrap();
    assert_eq!((s.data.header.revision, s.read_only()), (2, false), "revision 2 opened to answer");
    assert_eq!(h.query_all_by_label("Query").count(), 1, "the badge stays on revision 2");
    // Results: you, your sub-region, the region.
    h.get_by_label("Results").click();
    h.run();
    h.get_by_label("You, your sub-region, the region");
    // In the table and as the radar's legend (the radar draws both outlines: every pillar has a
    // figure over 8 members, 5 of them in Melanesia).
    assert_eq!(h.query_all_by_label("Melanesia (mean)").count(), 2);
    assert_eq!(h.query_all_by_label("Region (mean)").count(), 2);
    // And a column of the gap table: the sub-region's and the region's mean level per gap.
    h.get_by_label("Sub-region · region");
    let expected: Vec<String> = {
        let snap = h.state().snapshot();
        let s = snap.session.as_deref().unwrap();
        let bm = snap.session_feedback().unwrap().body.benchmarks.clone().unwrap();
        let mean = |x: Option<cdf_assess::exchange::feedback::Stat>| {
            x.map(|x| format!("{:.1}", x.mean)).unwrap_or_else(|| "–".into())
        };
        s.gaps
            .iter()
            .map(|g| {
                let b = bm.indicators.iter().find(|b| b.code == g.code).unwrap();
                format!("{} · {}", mean(b.subregion), mean(b.region))
            })
            .collect()
    };
    assert!(!expected.is_empty(), "the member has gaps");
    for cell in &expected {
        assert!(h.query_all_by_label(cell).count() >= 1, "benchmark cell {cell} shown");
    }
}

/// A file dropped on the window, as a windowing backend hands it to egui.
#[derive(Debug)]
struct Dropped(std::path::PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &std::path::Path {
        &self.0
    }
    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

#[test]
fn command_line_feedback_card_import_feedback_and_verify() {
    use assert_cmd::Command as Cli;
    let cli = |db: &std::path::Path| {
        let mut c = Cli::cargo_bin("cdf-assess").unwrap();
        c.arg("--db").arg(db).env("LANG", "en_US.UTF-8");
        c
    };
    let tmp = tempfile::tempdir().unwrap();
    for d in ["sec", "fiji", "all"] {
        std::fs::create_dir(tmp.path().join(d)).unwrap();
    }
    let (sec_db, fiji_db) = (tmp.path().join("sec/cdf.sqlite3"), tmp.path().join("fiji/cdf.sqlite3"));
    let mut fiji = Store::create_new(&fiji_db).unwrap();
    fiji.set_setting("member", "FJ").unwrap();
    let id = varied(&mut fiji, "FJ", 0);
    let e = export::export(&fiji.revision_chain(id).unwrap(), None, &key()).unwrap();
    drop(fiji);
    let mut sec = Store::create_new(&sec_db).unwrap();
    import_bytes(&mut sec, "FJ.ocoreturn", &e.bytes, &[]).unwrap();
    for (i, m) in ["PG", "SB", "TO"].iter().enumerate() {
        import_bytes(&mut sec, "x.ocoreturn", &member_return(m, i + 1).2, &[]).unwrap();
    }
    sec.set_review_remark("FJ", CYCLE, "WF-06", "query", "Level 4 needs the e-learning completion report.").unwrap();
    drop(sec);

    let one = tmp.path().join("FJ.ocofeedback");
    let o = cli(&sec_db).args(["feedback", "--member", "FJ", "--out"]).arg(&one).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let all = tmp.path().join("all");
    let o = cli(&sec_db).args(["feedback", "--all", "--out"]).arg(&all).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(std::fs::read_dir(&all).unwrap().count(), 4, "one file per member who returned");
    assert!(all.join("FJ_2026_feedback_2.ocofeedback").is_file(), "the second feedback to FJ");
    let card = tmp.path().join("oco.ococard");
    assert!(cli(&sec_db).args(["card", "--out"]).arg(&card).output().unwrap().status.success());

    // Before the card: refused, with its reason.
    let o = cli(&fiji_db).arg("import-feedback").arg(&one).output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("refused\t"), "{}", String::from_utf8_lossy(&o.stdout));
    assert!(cli(&fiji_db).arg("import-card").arg(&card).output().unwrap().status.success());
    let o = cli(&fiji_db).arg("import-feedback").arg(&one).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
    assert!(String::from_utf8_lossy(&o.stdout).contains("FJ 2026 n1\treceived\t1 query(ies)"));
    let o = cli(&fiji_db).arg("import-feedback").arg(&one).output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("ignored\t"));
    // Another member's feedback.
    let o = cli(&fiji_db).arg("import-feedback").arg(all.join("PG_2026_feedback_1.ocofeedback")).output().unwrap();
    assert!(String::from_utf8_lossy(&o.stdout).contains("for another member (PG)"));

    // verify: a folder of feedback files, and a changed one.
    let o = cli(&sec_db).arg("verify").arg(&all).output().unwrap();
    assert!(o.status.success());
    assert_eq!(String::from_utf8_lossy(&o.stdout).lines().filter(|l| l.starts_with("ok\t")).count(), 4);
    let bad = tmp.path().join("bad.ocofeedback");
    std::fs::write(&bad, String::from_utf8(std::fs::read(&one).unwrap()).unwrap().replace("Level 4", "Level 3"))
        .unwrap();
    let o = cli(&sec_db).arg("verify").arg(&bad).output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stdout).starts_with("rejected\t"));
}

/// The card pasted at first-run setup sets the three settings at once.
#[test]
fn kittest_the_card_is_set_at_first_run_setup() {
    use egui_kittest::kittest::Queryable;
    let (_, age) = exchange::keys::generate();
    let card = exchange::card::Card {
        signing_key: sec_key().public().clone(),
        age_recipient: age.clone(),
        email: "cdf@oco.example".into(),
    };
    let mut h = crate::ui::fresh();
    h.run();
    h.get_by_label("Customs administration").click();
    h.run();
    h.get_by_label("Paste the card's text").focus();
    h.get_by_label("Paste the card's text").type_text("not a card");
    h.run();
    h.get_by_label("This is not an OCO Secretariat card.");
    h.get_by_label("OCO member").click();
    h.run();
    h.get_by_label("Fiji").scroll_to_me();
    h.run();
    h.get_by_label("Fiji").click();
    h.run();
    h.get_by_label("Paste the card's text").focus();
    // What was typed stays in front: lines that are not the card's are ignored.
    h.get_by_label("Paste the card's text").type_text(&format!("\n{}", card.to_text()));
    h.run();
    h.get_by_label_contains(&sec_key().public().fingerprint());
    h.get_by_label("Start").click();
    h.run();
    let s = &h.state().snapshot().settings;
    assert_eq!(
        (s.secretariat_signer.as_str(), s.secretariat_key.as_str(), s.secretariat_email.as_str()),
        (sec_key().public().to_base64().as_str(), age.as_str(), "cdf@oco.example")
    );
}

/// A receipt says where a file stands now: revision 2 received before revision 1 was held,
/// then released when revision 1 came; both are receipts of files in use, not "held".
#[test]
fn a_receipt_of_a_file_held_then_released_says_it_is_in_use() {
    let mut fiji = Store::open_in_memory().unwrap();
    let r1 = varied(&mut fiji, "FJ", 0);
    let first = export::export(&fiji.revision_chain(r1).unwrap(), None, &key()).unwrap().bytes;
    let r2 = fiji.start_revision(r1).unwrap();
    fiji.update_response(r2, "WF-01", &ResponseChange::Answer(Answer::Level(4))).unwrap();
    fiji.finalise(r2, "Comptroller of Customs").unwrap();
    let second = export::export(&fiji.revision_chain(r2).unwrap(), None, &key()).unwrap().bytes;

    let mut sec = Store::open_in_memory().unwrap();
    assert_eq!(import_bytes(&mut sec, "FJ_r2.ocoreturn", &second, &[]).unwrap().outcome, Outcome::Held);
    let outcomes = |sec: &Store| sec.receipts("FJ", CYCLE).unwrap().into_iter().map(|r| r.outcome).collect::<Vec<_>>();
    assert_eq!(outcomes(&sec), ["held"]);
    let r = import_bytes(&mut sec, "FJ_r1.ocoreturn", &first, &[]).unwrap();
    assert_eq!((r.outcome, r.released.len()), (Outcome::Accepted, 1));
    // Oldest first: revision 2 (received first, now superseding revision 1), then revision 1.
    assert_eq!(outcomes(&sec), ["supersedes", "accepted"]);
    let body = feedback_body(&sec, &consolidate(&sec, CYCLE).unwrap(), "FJ", "2026-11-26T00:00:00Z").unwrap();
    let json = serde_json::to_value(&body).unwrap();
    let written: Vec<_> = json["receipts"].as_array().unwrap().iter().map(|r| r["outcome"].clone()).collect();
    assert_eq!(written, [serde_json::json!("supersedes"), serde_json::json!("accepted")]);
}

/// A feedback file written for Fiji (beside `dir`), and Fiji's database holding the card.
fn fiji_with_a_feedback_file(dir: &std::path::Path) -> (Store, std::path::PathBuf) {
    let (mut sec, fiji, _) = secretariat_with(&["PG", "SB", "VU"]);
    fiji.set_setting("secretariat_signer", &sec_key().public().to_base64()).unwrap();
    let c = consolidate(&sec, CYCLE).unwrap();
    let w = write_feedback(&mut sec, &c, "FJ", &sec_key()).unwrap();
    let file = dir.join(&w.file_name);
    std::fs::write(&file, &w.bytes).unwrap();
    (fiji, file)
}

#[test]
fn kittest_a_file_opened_from_outside_is_said_and_imported_only_when_asked() {
    use crate::ui::{app_over, harness, setup};
    use cdf_assess::app::Role;
    use egui_kittest::kittest::Queryable;
    let tmp = tempfile::tempdir().unwrap();
    let (fiji, file) = fiji_with_a_feedback_file(tmp.path());
    let mut h = harness(app_over(Ok(fiji)));
    setup(h.state_mut(), Role::Administration, Some("FJ"));
    h.state_mut().client.offer_files(vec![file.clone(), tmp.path().join("notes.txt")]);
    h.run();
    h.get_by_label("Open these files?");
    h.get_by_label("FJ_2026_feedback_1.ocofeedback: a feedback file from the OCO Secretariat");
    h.get_by_label("notes.txt: not a kind of file this program reads");
    h.get_by_label("It is left aside.");
    // "Not now" imports nothing.
    h.get_by_label("Not now").click();
    h.run();
    assert!(h.query_by_label("Open these files?").is_none());
    assert!(h.state().snapshot().feedback.received.is_empty(), "nothing imported");
    // Offered again (a second double-click), and imported.
    h.state_mut().client.offer_files(vec![file]);
    h.run();
    h.get_by_label("Import").click();
    h.run();
    h.get_by_label("Feedback from the OCO Secretariat imported (cycle 2026, 0 queries).");
    assert_eq!(h.state().snapshot().feedback.received.len(), 1);

    // A return file is the Secretariat's to import: an administration is told so, and is not
    // offered an import that could only fail.
    let ret = tmp.path().join("FJ_2026_r1.ocoreturn");
    std::fs::write(&ret, b"{}").unwrap();
    h.state_mut().client.offer_files(vec![ret]);
    h.run();
    h.get_by_label("FJ_2026_r1.ocoreturn: a return file from a member administration");
    h.get_by_label_contains("imported by the OCO Secretariat");
    assert!(h.query_by_label("Import").is_none() && h.query_by_label("Not now").is_none());
    h.get_by_label("Close").click();
    h.run();
    assert!(h.query_by_label("Open these files?").is_none());
    assert!(h.state().snapshot().opened.is_empty());
}

#[test]
fn a_file_opened_while_the_window_has_the_database_is_handed_to_it() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("cdf.sqlite3");
    let window = Store::create_new(&db).unwrap(); // holds the database as the window does
    let file = tmp.path().join("FJ_2026_feedback_1.ocofeedback");
    std::fs::write(&file, b"{}").unwrap();
    let o =
        Command::new(env!("CARGO_BIN_EXE_cdf-assess")).arg("--db").arg(&db).arg("open").arg(&file).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("(1)"), "{}", String::from_utf8_lossy(&o.stdout));
    // The window's watcher takes it, once.
    assert_eq!(cdf_assess::app::inbox::take(&db), vec![file]);
    assert!(cdf_assess::app::inbox::take(&db).is_empty());
    drop(window);
}
