//! The query loop (issue 25), with two databases: the Secretariat queries an indicator, the member
//! answers it in revision 2 with a reply, signs off seeing what changed and sends it; the
//! Secretariat's Review shows "answer received" with the answer when asked and now. And the
//! query picker: a search narrows the list, the member's answer is shown beside.

use crate::feedback::{CYCLE, member_return, sec_key, varied};
use crate::ui::{app_over, harness, setup};
use cdf_assess::app::{Command, Dest, ExportCmd, ImportCmd, Role, SessionCmd, SettingsCmd};
use cdf_assess::assessment::{Answer, ResponseChange};
use cdf_assess::exchange::{self, export, keys};
use cdf_assess::framework;
use cdf_assess::ids::AssessmentId;
use cdf_assess::lang::Lang;
use cdf_assess::secretariat::consolidate::consolidate;
use cdf_assess::secretariat::import::{Outcome, import_bytes};
use cdf_assess::secretariat::review::write_feedback;
use cdf_assess::store::Store;
use cdf_assess::ui::Page;
use egui_kittest::kittest::Queryable;
use std::path::Path;

const QUERY: &str = "Level 4 needs the e-learning completion report.";
const REPLY: &str = "The completion report is now attached: 212 officers of 230 completed the course.";

/// Fiji's database (its revision 1 signed with its own key, as the window would) and the
/// Secretariat's, holding that return and five others.
fn two_databases(fiji: &Path, sec: &Path) -> (Store, AssessmentId, Store) {
    let mut fiji = Store::create_new(fiji).unwrap();
    let id = varied(&mut fiji, "FJ", 0);
    let key = cdf_assess::app::ops::signing_key(&fiji).unwrap();
    let e = export::export(&fiji.revision_chain(id).unwrap(), None, &key).unwrap();
    let mut sec = Store::create_new(sec).unwrap();
    assert_eq!(import_bytes(&mut sec, "FJ.ocoreturn", &e.bytes, &[]).unwrap().outcome, Outcome::Accepted);
    for (i, m) in ["PG", "SB", "VU", "TO", "WS"].iter().enumerate() {
        let (_, _, b) = member_return(m, i + 1);
        import_bytes(&mut sec, "x.ocoreturn", &b, &[]).unwrap();
    }
    (fiji, id, sec)
}

fn french_at_1024(h: &mut H) {
    let mut settings = h.state().snapshot().settings.clone();
    settings.lang = Lang::Fr;
    h.state_mut().send(SettingsCmd::Save(settings));
    h.set_size(egui::vec2(1024.0, 700.0));
    h.run();
}

type H = egui_kittest::Harness<'static, cdf_assess::ui::CdfApp>;

/// The Secretariat's window over its database.
fn secretariat(sec: Store) -> H {
    let mut h = harness(app_over(Ok(sec)));
    setup(h.state_mut(), Role::Secretariat, None);
    h.run();
    h
}

/// The Review page, Fiji's review open.
fn review_of_fiji(h: &mut H) {
    h.state_mut().page = Page::Review;
    h.run();
    h.get_by_label("Fiji").scroll_to_me();
    h.run();
    h.get_by_label("Fiji").click();
    h.run();
}

#[test]
fn queryloop_two_databases_query_reply_in_revision_2_answer_received_and_what_changed() {
    let tmp = tempfile::tempdir().unwrap();
    let (fiji, id, mut sec) = two_databases(&tmp.path().join("fiji.sqlite3"), &tmp.path().join("sec.sqlite3"));
    let fw = framework::current();
    let wf06 = fw.indicator("WF-06").unwrap();
    let level_1 = fiji.load(id).unwrap().response("WF-06").unwrap().answer;
    let evidence_1 = fiji.load(id).unwrap().response("WF-06").unwrap().evidence.clone();

    // The Secretariat queries WF-06 and writes the feedback (its review as the Review page sets it).
    sec.set_review_state("FJ", CYCLE, "queries").unwrap();
    sec.set_review_remark("FJ", CYCLE, "WF-06", "query", QUERY).unwrap();
    assert_eq!(sec.review_state("FJ", CYCLE).unwrap(), "queries");
    let c = consolidate(&sec, CYCLE).unwrap();
    let feedback = write_feedback(&mut sec, &c, "FJ", &sec_key()).unwrap().bytes;
    drop(sec);

    // Fiji, in French at 1024x700: the feedback imported, revision 2 started from the panel.
    let mut fiji = fiji;
    cdf_assess::feedback::import(&mut fiji, &feedback, Some(sec_key().public()), "FJ").unwrap();
    let mut h = harness(app_over(Ok(fiji)));
    setup(h.state_mut(), Role::Administration, Some("FJ"));
    french_at_1024(&mut h);
    h.state_mut().send(SessionCmd::Open(id));
    h.run();
    assert_eq!(h.state().page, Page::Assess);
    h.get_by_label("Commencer une révision pour répondre aux questions").scroll_to_me();
    h.run();
    h.get_by_label("Commencer une révision pour répondre aux questions").click();
    h.run();
    let r2 = h.state().session().unwrap().id();
    assert_eq!(h.state().session().unwrap().data.header.revision, 2);
    // WF-06, from the query's link: the reply is typed under the query.
    h.get_by_label_contains("WF-06 — ").click();
    h.run();
    h.get_by_label("Question du Secrétariat de l'OCO");
    h.get_by_label("Votre réponse à cette question").scroll_to_me();
    h.run();
    h.get_by_label("Votre réponse à cette question").focus();
    h.get_by_label("Votre réponse à cette question").type_text(REPLY);
    h.run();
    let app = h.state_mut();
    let i = app.session().unwrap().data.responses.iter().position(|r| r.indicator == "WF-06").unwrap();
    let level_2 = if level_1 == Answer::Level(4) { Answer::Level(3) } else { Answer::Level(4) };
    crate::ui::answer(app, i, level_2);
    crate::ui::change(app, i, ResponseChange::Evidence("E-learning completion report, 2026.".into()));
    // Sign-off waits for a reason beside each readiness item answered "not applicable".
    let na: Vec<usize> = (app.session().unwrap().data.responses.iter().enumerate())
        .filter(|(_, r)| r.indicator.starts_with("RD") && r.answer == Answer::NotApplicable)
        .map(|(i, _)| i)
        .collect();
    for i in na {
        crate::ui::change(app, i, ResponseChange::Comment("No such programme in our administration.".into()));
    }
    app.send(Command::SaveText);
    h.run();
    assert_eq!(h.state().session().unwrap().data.reply("WF-06"), Some(REPLY), "the reply is in the revision");

    // Finalise lists what changed since revision 1 and keeps the head's name.
    h.state_mut().page = Page::Finalise;
    h.run();
    h.get_by_label("Ce qui a changé depuis la révision 1");
    h.get_by_label(&format!("WF-06 · {}", wf06.title.get(Lang::Fr)));
    let level = |a: Answer| match a {
        Answer::Level(n) => n.to_string(),
        Answer::NotApplicable => "Sans objet".into(),
        _ => "Information insuffisante".into(),
    };
    h.get_by_label(&format!(
        "niveau {}, désormais {} · note sur les preuves · réponse à la question",
        level(level_1),
        level(level_2)
    ));
    assert_eq!(h.state().pages.finalise.approver, "Comptroller of Customs", "the head's name kept");
    let r = h.get_by_label("Ce qui a changé depuis la révision 1").rect();
    assert!(r.max.x <= 1024.0 && r.max.y <= 700.0, "what changed is in view at 1024x700: {r:?}");
    h.state_mut().send(SessionCmd::Finalise { id: r2, approver: "Comptroller of Customs".into() });
    h.run();
    let path = tmp.path().join("FJ_2026_r2.ocoreturn");
    h.state_mut().send(ExportCmd::Return { dest: Dest::Path(path.clone()) });
    h.run();
    assert!(path.is_file());
    // The "how to send it" panel says where the file stands.
    h.state_mut().page = Page::Finalise;
    h.run();
    h.get_by_label("Écrit, pas encore envoyé").scroll_to_me();
    h.run();
    // Sent: the panel waits for the receipt instead of offering another revision.
    h.state_mut().page = Page::Assess;
    h.run();
    h.get_by_label("Révision 2 envoyée, en attente de l'accusé de réception du Secrétariat.");
    assert_eq!(h.query_all_by_label("Commencer une révision pour répondre aux questions").count(), 0);
    let bytes = std::fs::read(&path).unwrap();
    let with = exchange::read(&bytes, &[]).unwrap();
    assert_eq!(
        with.body.replies.as_deref().map(|r| r.iter().map(|r| (r.indicator.as_str(), r.text.as_str())).collect()),
        Some(vec![("WF-06", REPLY)])
    );
    // The outbox, on the Assessments page: written, then sent as the officer says.
    h.state_mut().page = Page::Home;
    h.run();
    h.get_by_label("Boîte d'envoi : les fichiers de retour écrits");
    h.get_by_label_contains("révision 2 : FJ_2026_r2.ocoreturn, écrit le");
    h.get_by_label("Écrit, pas encore envoyé");
    h.get_by_label("Je l'ai envoyé").click();
    h.run();
    h.get_by_label_contains("en attente de l'accusé de réception du Secrétariat");
    assert!(h.state().snapshot().feedback.outbox[0].export.sent_at.is_some());
    drop(h);

    // The Secretariat: the member's results open on revision 1, then revision 2 imported.
    let sec = Store::open(&tmp.path().join("sec.sqlite3")).unwrap();
    let mut h = secretariat(sec);
    h.state_mut().send(cdf_assess::app::SecCmd::OpenMember("FJ".into()));
    h.run();
    assert_eq!(h.state().session().unwrap().data.header.revision, 1);
    review_of_fiji(&mut h);
    h.get_by_label("Waiting for the member's answer");
    h.state_mut().send(ImportCmd::Files(vec![path.clone()]));
    h.run();
    // The detail follows the newest revision at once; the review too.
    assert_eq!(h.state().session().unwrap().data.header.revision, 2, "the member open follows revision 2");
    let review = h.state().snapshot().feedback.review.clone().unwrap();
    assert_eq!(review.state, "answered");
    let answers = review.answers();
    assert_eq!(answers.len(), 1);
    assert!(answers[0].received());
    assert_eq!(answers[0].reply.as_deref(), Some(REPLY));
    assert_eq!(answers[0].before.as_ref().map(|(r, a)| (*r, a.answer)), Some((1, level_1)));
    assert_eq!(answers[0].now.as_ref().map(|(r, a)| (*r, a.answer)), Some((2, level_2)));
    h.state_mut().page = Page::Review;
    h.run();
    h.get_by_label("Answer received (revision 2)").scroll_to_me();
    h.run();
    h.get_by_label("Revision 1, when asked");
    h.get_by_label("Revision 2, now");
    h.get_by_label(&format!("The member's reply: {REPLY}"));
    h.get_by_label("Evidence: E-learning completion report, 2026.");
    if !evidence_1.trim().is_empty() {
        h.get_by_label(&format!("Evidence: {}", exchange::clean_text_max(&evidence_1, 600)));
    }
    // The state in the list of members and on the review.
    assert!(h.query_all_by_label("Answered").count() >= 2, "the list and the review say Answered");
    // The query with its code AND title.
    assert_eq!(
        h.query_all_by_label(&format!("WF-06 · {}", wf06.title.get(Lang::En))).count(),
        2,
        "in the query list, and in the picker below it"
    );
    drop(h);

    // The Secretariat's next feedback carries the receipt of revision 2: Fiji's outbox says so.
    let mut sec = Store::open(&tmp.path().join("sec.sqlite3")).unwrap();
    let c = consolidate(&sec, CYCLE).unwrap();
    let feedback = write_feedback(&mut sec, &c, "FJ", &sec_key()).unwrap().bytes;
    let mut fiji = Store::open(&tmp.path().join("fiji.sqlite3")).unwrap();
    let body = cdf_assess::feedback::import(&mut fiji, &feedback, Some(sec_key().public()), "FJ").unwrap();
    assert_eq!(body.review_state, "answered");
    let mut h = harness(app_over(Ok(fiji)));
    setup(h.state_mut(), Role::Administration, Some("FJ"));
    h.run();
    h.get_by_label_contains("Receipt received: the Secretariat holds this file since");
    // And the feedback panel of revision 2: the answers are in, the reply shown with its query.
    h.state_mut().send(SessionCmd::Open(r2));
    h.run();
    h.get_by_label_contains("The Secretariat has received your answers (revision 2)");
    h.get_by_label(&format!("Your reply: {REPLY}"));
    assert_eq!(h.query_all_by_label("Start a revision to answer the queries").count(), 0);
}

#[test]
fn queryloop_a_return_without_replies_still_verifies_and_imports() {
    // A signed fixture written before replies existed (never edited).
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let ids = keys::load_identities(&corpus.join("secretariat-test.key")).unwrap();
    let raw = std::fs::read(corpus.join("encrypted-to-secretariat.ocoreturn")).unwrap();
    let v = exchange::read(&raw, &ids).expect("the old return still verifies");
    assert_eq!(v.body.replies, None);
    // Written again as read, it is the same bytes: the digest holds.
    assert_eq!(exchange::digest_of(&v.body), v.digest);
    let mut sec = Store::open_in_memory().unwrap();
    let r = import_bytes(&mut sec, "old.ocoreturn", &raw, &ids).unwrap();
    assert_eq!(r.outcome, Outcome::Accepted);
    let id = sec.revision_id(&v.body.assessment_uuid, v.body.revision).unwrap().unwrap();
    assert!(sec.load(id).unwrap().replies.is_empty());
    // Exported again from the Secretariat's database: still no replies field.
    let again = export::body_of(&sec.revision_chain(id).unwrap()).unwrap();
    assert_eq!(again.replies, None);
}

#[test]
fn queryloop_replies_are_checked_cleaned_and_their_size_is_known() {
    let mut fiji = Store::open_in_memory().unwrap();
    let id = varied(&mut fiji, "FJ", 0);
    let r2 = fiji.start_revision(id).unwrap();
    let key = cdf_assess::app::ops::signing_key(&fiji).unwrap();
    let without = {
        fiji.finalise(r2, "Comptroller of Customs").unwrap();
        export::export(&fiji.revision_chain(r2).unwrap(), None, &key).unwrap().bytes
    };
    // The same revision with two replies (a fresh database: a signed-off revision never changes).
    let mut fiji = Store::open_in_memory().unwrap();
    let id = varied(&mut fiji, "FJ", 0);
    let r2 = fiji.start_revision(id).unwrap();
    // A reply longer than a return may carry is not kept; one on an unknown indicator neither.
    let long = "x".repeat(cdf_assess::assessment::limits::REPLY_MAX + 1);
    assert!(fiji.update_response(r2, "WF-06", &ResponseChange::Reply(long)).is_err());
    assert!(fiji.set_reply(r2, "XX-99", "no").is_err());
    fiji.update_response(r2, "WF-06", &ResponseChange::Reply(REPLY.into())).unwrap();
    // Control characters and a bidirectional override, as a hostile writer could put them.
    fiji.update_response(r2, "LP-01", &ResponseChange::Reply("Done\u{202e}\u{7}\nsee annex".into())).unwrap();
    fiji.finalise(r2, "Comptroller of Customs").unwrap();
    let with = export::export(&fiji.revision_chain(r2).unwrap(), None, &key).unwrap().bytes;
    println!(
        "return of revision 2: {} bytes without replies, {} bytes with two ({} more)",
        without.len(),
        with.len(),
        with.len() - without.len()
    );
    let v = exchange::read(&with, &[]).unwrap();
    let replies = v.body.replies.clone().unwrap();
    assert_eq!(replies.len(), 2);
    // What the Secretariat shows of it: one line, no control or bidirectional character.
    let mut sec = Store::open_in_memory().unwrap();
    // Revision 1 first (the chain), then 2.
    let r1 = export::export(&fiji.revision_chain(id).unwrap(), None, &key).unwrap().bytes;
    assert_eq!(import_bytes(&mut sec, "r1", &r1, &[]).unwrap().outcome, Outcome::Accepted);
    sec.set_review_state("FJ", CYCLE, "queries").unwrap();
    sec.set_review_remark("FJ", CYCLE, "LP-01", "query", "Which law?").unwrap();
    assert_eq!(sec.review_state("FJ", CYCLE).unwrap(), "queries");
    assert!(matches!(
        import_bytes(&mut sec, "r2", &with, &[]).unwrap().outcome,
        Outcome::Supersedes | Outcome::Accepted
    ));
    assert_eq!(sec.review_state("FJ", CYCLE).unwrap(), "answered", "a newer revision answers the queries");
    let latest = sec.revision_id(&v.body.assessment_uuid, 2).unwrap().unwrap();
    let held = sec.load(latest).unwrap();
    assert_eq!(held.reply("LP-01"), Some("Done\u{202e}\u{7}\nsee annex"), "kept as sent");
    assert_eq!(exchange::clean_text_max(held.reply("LP-01").unwrap(), 600), "Done see annex");
    // Setting the state again by hand ends "answered".
    sec.set_review_state("FJ", CYCLE, "queries").unwrap();
    assert_eq!(sec.review_state("FJ", CYCLE).unwrap(), "queries");
    // A body with an empty or blank reply list is refused.
    let mut body = v.body.clone();
    body.replies = Some(Vec::new());
    assert!(exchange::validate(&body).is_err());
    body.replies = Some(vec![cdf_assess::assessment::Reply { indicator: "WF-06".into(), text: "  ".into() }]);
    assert!(exchange::validate(&body).is_err());
}

#[test]
fn queryloop_what_changed_is_since_the_last_revision_sent() {
    let mut fiji = Store::open_in_memory().unwrap();
    let r1 = varied(&mut fiji, "FJ", 0);
    let r2 = fiji.start_revision(r1).unwrap();
    // Before anything was written: the last signed off.
    assert_eq!(fiji.previous_sent(r2).unwrap(), Some(r1));
    fiji.finalise(r2, "Comptroller of Customs").unwrap();
    let r3 = fiji.start_revision(r2).unwrap();
    assert_eq!(fiji.previous_sent(r3).unwrap(), Some(r2));
    // Revision 1's return was written, revision 2's never: revision 3 is compared with 1.
    fiji.record_export(r1, "/tmp/FJ_2026_r1.ocoreturn", &"0".repeat(64)).unwrap();
    assert_eq!(fiji.previous_sent(r3).unwrap(), Some(r1));
    assert_eq!(fiji.previous_sent(r1).unwrap(), None);
    let outbox = fiji.exports().unwrap();
    assert_eq!((outbox.len(), outbox[0].revision, outbox[0].sent_at.is_none()), (1, 1, true));
    fiji.mark_sent(outbox[0].id).unwrap();
    assert!(fiji.exports_of(r1).unwrap()[0].sent_at.is_some());
}

#[test]
fn queryloop_kittest_the_query_picker_searches_and_shows_the_answer_beside() {
    let tmp = tempfile::tempdir().unwrap();
    let (fiji, id, sec) = two_databases(&tmp.path().join("fiji.sqlite3"), &tmp.path().join("sec.sqlite3"));
    let fw = framework::current();
    let mut h = secretariat(sec);
    review_of_fiji(&mut h);
    let shown = |h: &H| -> Vec<String> {
        fw.indicators
            .iter()
            .filter(|i| {
                let label = format!("{} · {}", i.code, i.title.get(Lang::En));
                h.query_by_role_and_label(egui::accesskit::Role::Button, &label).is_some()
            })
            .map(|i| i.code.clone())
            .collect()
    };
    h.get_by_label("Find an indicator (code or words of its title)").scroll_to_me();
    h.run();
    h.get_by_label("Find an indicator (code or words of its title)").focus();
    h.get_by_label("Find an indicator (code or words of its title)").type_text("DC-04");
    h.run();
    assert_eq!(shown(&h), vec!["DC-04".to_string()], "the code narrows the list to one");
    // Words of a title: every indicator whose title holds them, and no other.
    let word = fw.indicator("DC-04").unwrap().title.get(Lang::En).split_whitespace().last().unwrap().to_lowercase();
    let expected: Vec<String> = fw
        .indicators
        .iter()
        .filter(|i| i.title.get(Lang::En).to_lowercase().contains(&word) || i.code.to_lowercase().contains(&word))
        .map(|i| i.code.clone())
        .collect();
    h.state_mut().pages.review.query_search = word.clone();
    h.run();
    assert!(expected.len() < fw.indicators.len(), "{word:?} narrows the list");
    assert_eq!(shown(&h), expected, "the words {word:?}");
    h.state_mut().pages.review.query_search = "DC-04".into();
    h.run();
    let dc04 = format!("DC-04 · {}", fw.indicator("DC-04").unwrap().title.get(Lang::En));
    h.get_by_role_and_label(egui::accesskit::Role::Button, &dc04).click();
    h.run();
    // The member's answer beside it.
    let a = fiji.load(id).unwrap();
    let r = a.response("DC-04").unwrap();
    // Beside the list, not below it.
    let list = h.get_by_role_and_label(egui::accesskit::Role::Button, &dc04).rect();
    let beside = h.get_by_label("Their answer (revision 1)").rect();
    assert!(beside.min.x >= list.max.x - 1.0 && beside.min.y < list.max.y + 200.0, "{list:?} {beside:?}");
    let need = r.need.map(|n| Lang::En.t(&format!("need.{}", n.code())).to_string()).unwrap_or_else(|| "–".into());
    let level = match r.answer {
        Answer::Level(n) => n.to_string(),
        Answer::NotApplicable => "Not applicable".into(),
        _ => "Insufficient information".into(),
    };
    h.get_by_label(&format!("Level {level} · target {} · need {need}", r.target));
    h.get_by_label(&format!("Query on {dc04}"));
    // The query added is listed with its code and title.
    h.get_by_label("Query").focus();
    h.get_by_label("Query").type_text("Which system?");
    h.run();
    h.get_by_label("Add query").scroll_to_me();
    h.run();
    h.get_by_label("Add query").click();
    h.run();
    h.get_by_label("Which system?");
    assert!(h.query_all_by_label(&dc04).count() >= 2, "in the query list and in the picker");
    // In French at 1024x700: the picker and the answer beside it stay within the window's width.
    french_at_1024(&mut h);
    h.state_mut().pages.review.query_search = "DC-04".into();
    h.run();
    let fr = format!("DC-04 · {}", fw.indicator("DC-04").unwrap().title.get(Lang::Fr));
    h.get_by_role_and_label(egui::accesskit::Role::Button, &fr).scroll_to_me();
    h.run();
    h.get_by_role_and_label(egui::accesskit::Role::Button, &fr).click();
    h.run();
    for label in ["Trouver un indicateur (code ou mots du titre)", "Sa réponse (révision 1)"] {
        h.get_by_label(label).scroll_to_me();
        h.run();
        let r = h.get_by_label(label).rect();
        assert!(r.min.x >= 0.0 && r.max.x <= 1024.0, "{label}: {r:?}");
    }
    h.get_by_label("En attente de la réponse du membre");
}
