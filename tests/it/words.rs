//! One language at a time, and never nothing on screen: messages in the user's language (and
//! again in the new one when it changes), OS errors in plain words, the return's language, and
//! what the pages show when the computer has no dialog or no program to open files with.

use crate::ui::{answer, app_over, harness, setup};
use cdf_assess::app::{Dest, ExportKind, Role};
use cdf_assess::app::{ExportCmd, FeedbackCmd, ImportCmd, ReviewCmd, SessionCmd, SettingsCmd};
use cdf_assess::assessment::{Answer, NewAssessment};
use cdf_assess::i18n::{self, IoCause};
use cdf_assess::lang::Lang;
use cdf_assess::store::Store;
use cdf_assess::ui::{CdfApp, Page};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

/// Every label and value the window shows (its accessibility tree).
fn texts(h: &Harness<'_, CdfApp>) -> Vec<String> {
    h.root()
        .children_recursive()
        .flat_map(|n| {
            let a = n.accesskit_node();
            [a.label(), a.value()]
        })
        .flatten()
        .filter(|s| !s.trim().is_empty())
        .collect()
}

/// English on screen in French mode: a text equal to an English catalogue value that differs
/// from its French one, or holding a long English sentence of the catalogue (the fixed words
/// before a placeholder), or a raw system error.
fn english_in(texts: &[String]) -> Vec<String> {
    let mut found = Vec::new();
    for key in i18n::keys(Lang::En) {
        let (en, fr) = (i18n::tr(Lang::En, key), i18n::tr(Lang::Fr, key));
        if en == fr {
            continue;
        }
        let head = en.split('{').next().unwrap_or("").trim();
        for t in texts {
            if t == en || (head.len() >= 24 && t.contains(head)) {
                found.push(format!("{key}: {t}"));
            }
        }
    }
    for t in texts {
        if t.contains("os error") || t.contains("No such file") || t.contains("Permission denied") {
            found.push(format!("system error: {t}"));
        }
    }
    found
}

fn set_lang(app: &mut CdfApp, lang: Lang) {
    let mut s = app.snapshot().settings.clone();
    s.lang = lang;
    app.send(SettingsCmd::Save(s));
}

/// Fiji, with a new assessment open.
fn fiji_with_assessment() -> Harness<'static, CdfApp> {
    let mut h = harness(app_over(Store::open_in_memory()));
    setup(h.state_mut(), Role::Administration, Some("FJ"));
    h.state_mut().send(SessionCmd::CreateAssessment(NewAssessment {
        member: "FJ".into(),
        cycle: 2026,
        assessor_name: "Mere Naivalu".into(),
        assessor_role: "Policy officer".into(),
        language: "en".into(),
    }));
    h.run();
    assert!(h.state().session().is_some());
    h
}

/// Runs frames until `done` holds (what a dialog thread reports arrives on its own time).
fn run_until(h: &mut Harness<'static, CdfApp>, done: impl Fn(&CdfApp) -> bool) {
    for _ in 0..200 {
        h.run();
        if done(h.state()) {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    panic!("the window never showed it");
}

#[test]
fn in_french_a_bad_file_and_an_os_error_are_said_in_french_only() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("FJ_2026_r1.ocoreturn");
    std::fs::write(&bad, b"this is not a return file at all").unwrap();
    let gone = dir.path().join("WS_2026_r1.ocoreturn");
    let mut h = harness(app_over(Store::open_in_memory()));
    setup(h.state_mut(), Role::Secretariat, None);
    set_lang(h.state_mut(), Lang::Fr);
    h.state_mut().send(ImportCmd::Files(vec![bad, gone]));
    h.state_mut().go(Page::Import);
    h.run();
    let shown = texts(&h);
    // Both reasons are there, in French: the system's "not found" in plain words.
    let not_json = Lang::Fr.t("reject.not_json");
    let not_found = Lang::Fr.f("reject.unreadable", &[("detail", &IoCause::NotFound.words(Lang::Fr))]);
    assert!(shown.iter().any(|t| t == not_json), "{shown:#?}");
    assert!(shown.iter().any(|t| t == &not_found), "{not_found} not in {shown:#?}");
    let english = english_in(&shown);
    assert!(english.is_empty(), "English on a French screen: {english:#?}");
    // The check itself finds English when there is some.
    set_lang(h.state_mut(), Lang::En);
    h.run();
    assert!(!english_in(&texts(&h)).is_empty());
}

#[test]
fn a_notice_is_said_again_in_the_new_language_when_it_changes() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = fiji_with_assessment();
    let missing = dir.path().join("no-such-folder");
    h.state_mut().send(ExportCmd::Results { kind: ExportKind::Csv, dest: Dest::Folder(missing) });
    run_until(&mut h, |a| a.snapshot().notice.is_some() && !a.snapshot().writing);
    h.run();
    let en = Lang::En.t("os.not_found");
    assert!(texts(&h).iter().any(|t| t.starts_with("Could not save") && t.contains(en)), "{:#?}", texts(&h));
    set_lang(h.state_mut(), Lang::Fr);
    h.run();
    let shown = texts(&h);
    let fr = Lang::Fr.t("os.not_found");
    assert!(shown.iter().any(|t| t.starts_with("Impossible d'enregistrer") && t.contains(fr)), "{shown:#?}");
    let english = english_in(&shown);
    assert!(english.is_empty(), "English left after switching to French: {english:#?}");
}

#[test]
fn the_return_records_the_language_it_was_signed_off_in() {
    let dir = tempfile::tempdir().unwrap();
    // Made in English, signed off in French.
    let mut h = fiji_with_assessment();
    let app = h.state_mut();
    let n = app.session().unwrap().data.responses.len();
    for i in 0..n {
        answer(app, i, Answer::Level(3));
    }
    set_lang(app, Lang::Fr);
    let id = app.session().unwrap().id();
    app.send(SessionCmd::Finalise { id, approver: "Contrôleur des douanes".into() });
    assert_eq!(app.session().unwrap().data.header.language, "fr");
    app.send(ExportCmd::Return { dest: Dest::Folder(dir.path().to_path_buf()) });
    let bytes = std::fs::read(dir.path().join("FJ_2026_r1.ocoreturn")).expect("return written");
    let v = cdf_assess::exchange::read(&bytes, &[]).expect("a valid, signed return");
    assert_eq!(v.body.language, "fr");
    // And one signed off in English says so.
    let mut h = fiji_with_assessment();
    let app = h.state_mut();
    for i in 0..n {
        answer(app, i, Answer::Level(1));
    }
    let id = app.session().unwrap().id();
    app.send(SessionCmd::Finalise { id, approver: "Comptroller".into() });
    assert_eq!(app.session().unwrap().data.header.language, "en");
}

#[test]
fn without_a_save_dialog_the_page_says_so_and_shows_its_folder_field() {
    let mut h = fiji_with_assessment();
    h.state().client.without_desktop();
    h.state_mut().go(Page::Results);
    h.run();
    // Before: the folder field is folded away.
    assert!(h.query_by_label("Save PDF here").is_none());
    h.get_by_label("Summary (PDF)…").click();
    run_until(&mut h, |a| a.snapshot().no_dialog);
    h.run();
    h.get_by_label_contains("No save dialog could be opened on this computer");
    h.get_by_label("Folder");
    h.get_by_label("Save PDF here");
    h.get_by_label("Save CSV here");
}

#[test]
fn without_a_file_dialog_the_import_page_points_to_its_folder_field_in_french() {
    let mut h = harness(app_over(Store::open_in_memory()));
    setup(h.state_mut(), Role::Secretariat, None);
    set_lang(h.state_mut(), Lang::Fr);
    h.state().client.without_desktop();
    h.state_mut().go(Page::Import);
    h.run();
    h.get_by_label("Choisir des fichiers…").click();
    run_until(&mut h, |a| a.snapshot().no_dialog);
    h.run();
    h.get_all_by_label(Lang::Fr.t("dialog.none_import")).next().expect("the message, in French");
    h.get_by_label("Importer ce dossier");
    assert!(english_in(&texts(&h)).is_empty());
}

#[test]
fn without_an_e_mail_program_the_message_is_shown_ready_to_copy() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = fiji_with_assessment();
    {
        let app = h.state_mut();
        let mut s = app.snapshot().settings.clone();
        s.secretariat_email = "returns@oco.example".into();
        app.send(SettingsCmd::Save(s));
        let n = app.session().unwrap().data.responses.len();
        for i in 0..n {
            answer(app, i, Answer::Level(2));
        }
        let id = app.session().unwrap().id();
        app.send(SessionCmd::Finalise { id, approver: "Comptroller".into() });
        app.send(ExportCmd::Return { dest: Dest::Folder(dir.path().to_path_buf()) });
        app.client.without_desktop();
    }
    h.state_mut().go(Page::Finalise);
    h.run();
    assert!(h.query_by_label("Subject").is_none());
    h.get_by_label("Open e-mail").click();
    run_until(&mut h, |a| a.snapshot().no_program.is_some());
    h.run();
    h.get_by_label_contains("No e-mail program could be opened");
    h.get_by_label("Subject");
    h.get_by_label("File to attach");
    let shown = texts(&h);
    assert!(shown.iter().any(|t| t == "returns@oco.example"), "{shown:#?}");
    assert!(shown.iter().any(|t| t.ends_with("FJ_2026_r1.ocoreturn")), "{shown:#?}");
    // "Open folder" without a file manager: the folder is named.
    h.get_by_label("Open folder").click();
    run_until(&mut h, |a| {
        a.snapshot().notice.as_ref().is_some_and(|n| n.msg.text(Lang::En).contains("The folder could not be opened"))
    });
}

#[test]
fn store_and_system_errors_are_plain_words_in_both_languages() {
    let e = cdf_assess::store::StoreError::Io {
        path: "/media/usb/cdf.sqlite3".into(),
        source: std::io::Error::from(std::io::ErrorKind::PermissionDenied),
    };
    for lang in Lang::ALL {
        let m = e.message(lang);
        assert!(
            m.contains("/media/usb/cdf.sqlite3") && m.contains(IoCause::PermissionDenied.words(lang).as_str()),
            "{m}"
        );
        assert!(!m.contains("os error") && !m.contains("denied ("), "{m}");
    }
    assert_ne!(e.message(Lang::En), e.message(Lang::Fr));
}

#[test]
fn the_workforce_pillar_has_one_french_name() {
    let fw = cdf_assess::framework::current();
    let name = fw.pillar_name("WF", Lang::Fr);
    assert_eq!(name, "Personnel");
    for key in i18n::keys(Lang::Fr) {
        assert!(!i18n::tr(Lang::Fr, key).contains("Effectifs"), "{key} calls the pillar Effectifs");
    }
}

/// The feedback loop in French, both roles: the Secretariat's Review page (a member's review
/// with a query and a note, the feedback written) and the administration's Assess and Results
/// pages after the feedback is imported hold no English.
#[test]
fn in_french_the_review_page_and_the_feedback_panels_hold_no_english() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let (fiji, id, sec) =
        crate::feedback::fiji_and_secretariat(&tmp.path().join("fiji.sqlite3"), &tmp.path().join("sec.sqlite3"));

    // The Secretariat, in French.
    let mut h = harness(app_over(Ok(sec)));
    setup(h.state_mut(), Role::Secretariat, None);
    set_lang(h.state_mut(), Lang::Fr);
    let member = || "FJ".to_string();
    h.state_mut().send(ReviewCmd::SetState { member: member(), state: cdf_assess::ids::ReviewState::Queries });
    for (indicator, kind, text) in
        [("WF-06", "query", "Niveau 4 : joindre le rapport."), ("LP-01", "note", "Atelier, mars 2027.")]
    {
        h.state_mut().send(ReviewCmd::SetRemark {
            member: member(),
            indicator: indicator.into(),
            kind: cdf_assess::ids::RemarkKind::parse(kind).unwrap(),
            text: text.into(),
        });
    }
    h.state_mut().go(Page::Review);
    h.run();
    let mut english = english_in(&texts(&h));
    h.get_by_label("Fidji").click();
    h.run();
    h.get_by_label("Revue : Fidji, cycle 2026");
    h.get_by_label("Niveau 4 : joindre le rapport.").scroll_to_me();
    h.run();
    english.extend(english_in(&texts(&h)));
    h.state_mut().send(ReviewCmd::WriteFeedback { member: Some(member()), dest: Dest::Folder(out.clone()) });
    h.state_mut().send(ReviewCmd::ExportCard { dest: Dest::Folder(out.clone()) });
    h.run();
    english.extend(english_in(&texts(&h)));
    assert!(english.is_empty(), "English on the Secretariat's French screens: {english:#?}");
    drop(h);
    let feedback: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "ocofeedback"))
        .collect();
    let card = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "ococard"))
        .expect("the card was written");
    assert_eq!(feedback.len(), 1);

    // Fiji, in French: the card, the feedback, then Assess and Results.
    let mut h = harness(app_over(Ok(fiji)));
    setup(h.state_mut(), Role::Administration, Some("FJ"));
    set_lang(h.state_mut(), Lang::Fr);
    h.state_mut().send(FeedbackCmd::ImportCardFile(card));
    h.state_mut().send(FeedbackCmd::Import(feedback));
    h.state_mut().send(SessionCmd::Open(id));
    h.run();
    assert_eq!(h.state().page, Page::Assess);
    // The feedback is there: one query badge, and the receipt line.
    assert_eq!(h.query_all_by_label(Lang::Fr.t("feedback.badge")).count(), 1, "{:#?}", texts(&h));
    let mut english = english_in(&texts(&h));
    h.state_mut().go(Page::Results);
    h.run();
    english.extend(english_in(&texts(&h)));
    assert!(english.is_empty(), "English on the administration's French screens: {english:#?}");
}

/// Issue 25: without a file dialog, the card, feedback and backup choices each show their own
/// path field under their own button, with their own words, and the card imports from it.
#[test]
fn without_a_file_dialog_card_feedback_and_backup_each_show_their_own_field() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = fiji_with_assessment();
    h.state().client.without_desktop();
    h.state_mut().go(Page::Settings);
    h.run();
    let card_button = "Import the card file…";
    h.get_by_label(card_button).scroll_to_me();
    h.run();
    h.get_by_label(card_button).click();
    run_until(&mut h, |a| a.snapshot().no_dialog_for.contains(&cdf_assess::app::Dialog::Card));
    h.run();
    h.get_by_label_contains("the Secretariat's card file");
    assert!(h.query_by_label("Backup file").is_none(), "not the backup's field");
    assert!(h.query_by_label("Feedback file").is_none(), "nor the feedback's");
    // The card imports from its field.
    let key = cdf_assess::exchange::sign::SigningKey::from_seed([7; 32], *b"oco-sec1");
    let card = cdf_assess::exchange::card::Card {
        signing_key: key.public().clone(),
        age_recipient: cdf_assess::exchange::keys::generate().1,
        email: "cdf@oco.example".into(),
    };
    let path = dir.path().join("oco.ococard");
    std::fs::write(&path, card.to_text()).unwrap();
    h.get_by_label("Card file").scroll_to_me();
    h.run();
    h.get_by_label("Card file").focus();
    h.get_by_label("Card file").type_text(&path.display().to_string());
    h.run();
    h.get_by_label("Import this card").click();
    run_until(&mut h, |a| a.snapshot().settings.secretariat_signer == key.public().to_base64());
    // Feedback and backup: their own fields, their own words.
    h.get_by_label("Import feedback from the Secretariat…").scroll_to_me();
    h.run();
    h.get_by_label("Import feedback from the Secretariat…").click();
    run_until(&mut h, |a| a.snapshot().no_dialog_for.contains(&cdf_assess::app::Dialog::Feedback));
    h.run();
    h.get_by_label("Feedback file");
    h.get_by_label("Import this feedback");
    assert!(h.query_by_label("Backup file").is_none());
    h.get_by_label("Restore from a backup…").scroll_to_me();
    h.run();
    h.get_by_label("Restore from a backup…").click();
    run_until(&mut h, |a| a.snapshot().no_dialog_for.contains(&cdf_assess::app::Dialog::Backup));
    h.run();
    h.get_by_label("Backup file");
    h.get_by_label("Read this backup");
}

/// Issue 25: an informational notice goes by itself after a while; an error stays until closed.
#[test]
fn an_informational_notice_goes_by_itself_and_an_error_stays() {
    use cdf_assess::app::{BackupCmd, NoticeKind};
    let dir = tempfile::tempdir().unwrap();
    let mut h =
        harness(CdfApp::new(cdf_assess::app::Client::open(dir.path().join("n.sqlite3"), cdf_assess::app::Mode::Sync)));
    setup(h.state_mut(), Role::Administration, Some("FJ"));
    h.state_mut().send(BackupCmd::Now);
    h.run();
    assert_eq!(h.state().snapshot().notice.as_ref().map(|n| n.kind), Some(NoticeKind::Info), "the backup said so");
    // kittest moves the clock a quarter of a second a step.
    let steps = (cdf_assess::ui::INFO_NOTICE_SECS * 4.0) as usize + 8;
    for _ in 0..steps {
        h.step();
    }
    h.run();
    assert!(h.state().snapshot().notice.is_none(), "gone by itself");
    // An error stays.
    h.state().client.without_desktop();
    h.state_mut().send(BackupCmd::Pick);
    run_until(&mut h, |a| a.snapshot().notice.as_ref().is_some_and(|n| n.kind == NoticeKind::Error));
    for _ in 0..steps {
        h.step();
    }
    h.run();
    assert_eq!(h.state().snapshot().notice.as_ref().map(|n| n.kind), Some(NoticeKind::Error));
}
