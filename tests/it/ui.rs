//! The GUI driven by labels, as a person would, with egui_kittest (headless).

use cdf_assess::app::{Client, Mode, Role, Settings};
use cdf_assess::app::{SessionCmd, SettingsCmd};
use cdf_assess::assessment::{Answer, ResponseChange, Status};
use cdf_assess::lang::Lang;
use cdf_assess::store::{Store, StoreError};
use cdf_assess::ui::{CdfApp, Page};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

pub fn harness(app: CdfApp) -> Harness<'static, CdfApp> {
    Harness::builder()
        .with_size(egui::vec2(1366.0, 768.0))
        .with_max_steps(64)
        .build_ui_state(|ui, app: &mut CdfApp| app.ui_root(ui), app)
}

/// The app over a store, in English; each command is handled before the next frame.
pub fn app_over(store: Result<Store, StoreError>) -> CdfApp {
    let mut app = CdfApp::new(Client::over(store, Mode::Sync));
    let mut s = app.snapshot().settings.clone();
    s.lang = Lang::En;
    app.send(SettingsCmd::Save(s));
    app
}

/// A fresh app in English, as on first run.
pub fn fresh() -> Harness<'static, CdfApp> {
    harness(app_over(Store::open_in_memory()))
}

/// Settings of a set-up installation.
pub fn setup(app: &mut CdfApp, role: Role, member: Option<&str>) {
    let s = Settings { role: Some(role), member: member.map(String::from), ..app.snapshot().settings.clone() };
    app.send(SettingsCmd::FinishSetup(s));
}

/// An administration (Fiji) that has completed setup.
pub fn fiji() -> Harness<'static, CdfApp> {
    let mut h = fresh();
    setup(h.state_mut(), Role::Administration, Some("FJ"));
    h.run();
    h
}

/// Answers indicator `i` of the open assessment, as the Assess page does.
pub fn answer(app: &mut CdfApp, i: usize, a: Answer) {
    change(app, i, ResponseChange::Answer(a));
}

pub fn change(app: &mut CdfApp, i: usize, change: ResponseChange) {
    let s = app.session().expect("an open assessment");
    let (id, indicator) = (s.id(), s.data.responses[i].indicator.clone());
    app.send(SessionCmd::Change { id, indicator, change });
}

/// Opens an assessment again from the database.
pub fn reopen(app: &mut CdfApp) {
    let id = app.session().expect("open").id();
    app.send(SessionCmd::Open(id));
}

fn create_assessment(h: &mut Harness<'static, CdfApp>) {
    h.get_by_label("New assessment").click();
    h.run();
    h.get_by_label("Assessor name").focus();
    h.get_by_label("Assessor name").type_text("Mere Naivalu");
    h.run();
    h.get_by_label("Create assessment").click();
    h.run();
}

#[test]
fn first_run_setup_asks_language_role_and_member() {
    let mut h = fresh();
    h.run();
    assert_eq!(h.state().page, Page::Setup);
    h.get_by_label("Welcome to the CDF Self-Assessment");
    assert!(!h.get_by_label("Start").is_enabled_or_default(), "Start waits for the choices");
    h.get_by_label("Customs administration").click();
    h.run();
    h.get_by_label("OCO member").click();
    h.run();
    h.get_by_label("Samoa").scroll_to_me();
    h.run();
    h.get_by_label("Samoa").click();
    h.run();
    assert_eq!(h.state().pages.setup.draft.member.as_deref(), Some("WS"));
    h.get_by_label("Start").click();
    h.run();
    let st = h.state();
    assert_eq!(st.page, Page::Home);
    assert_eq!(st.snapshot().settings.member.as_deref(), Some("WS"));
    h.get_by_label("New assessment");
}

trait Enabled {
    fn is_enabled_or_default(&self) -> bool;
}

impl Enabled for egui_kittest::Node<'_> {
    fn is_enabled_or_default(&self) -> bool {
        !self.accesskit_node().is_disabled()
    }
}

#[test]
fn create_an_assessment_answer_by_clicking_a_level_and_see_progress() {
    let mut h = fiji();
    create_assessment(&mut h);
    assert_eq!(h.state().page, Page::Assess);
    let total = h.state().session().unwrap().data.responses.len();
    h.get_by_label_contains("WF-01 ·");
    h.get_by_label(&format!("0 / {total} answered"));
    h.get_by_label_contains("Level 2 · Developing").click();
    h.run();
    h.get_by_label(&format!("1 / {total} answered"));
    let s = h.state().session().unwrap();
    assert_eq!(s.data.responses[0].answer, Answer::Level(2));
    assert_eq!(s.progress.pillars[0].1, 1, "Workforce progress moved");

    // Next, then keyboard: "3" answers the second indicator.
    h.get_by_label("Next ›").click();
    h.run();
    h.get_by_label_contains("WF-02 ·");
    h.key_press(egui::Key::Num3);
    h.run();
    h.get_by_label(&format!("2 / {total} answered"));
    // Alt+Left goes back.
    h.key_press_modifiers(egui::Modifiers::ALT, egui::Key::ArrowLeft);
    h.run();
    h.get_by_label_contains("WF-01 ·");
}

#[test]
fn typed_evidence_is_saved_when_moving_on() {
    let mut h = fiji();
    create_assessment(&mut h);
    h.get_by_label("Evidence note").focus();
    h.get_by_label("Evidence note").type_text("HR plan 2025");
    h.run();
    h.get_by_label("Next ›").click();
    h.run();
    reopen(h.state_mut());
    let s = h.state().session().unwrap();
    assert_eq!(s.data.responses[0].evidence, "HR plan 2025");
}

#[test]
fn switching_to_french_shows_french_labels_and_framework_content() {
    let mut h = fiji();
    create_assessment(&mut h);
    h.get_by_label("Current level");
    h.get_by_label("Français").click();
    h.run();
    h.get_by_label("Niveau actuel");
    h.get_by_label_contains("Niveau 2 · En développement");
    h.get_by_label("Suivant ›");
    let fr_title = cdf_assess::framework::current().indicators[0].title.fr.clone();
    assert!(!h.get_all_by_label_contains(&fr_title).collect::<Vec<_>>().is_empty());
    assert!(h.query_by_label("Current level").is_none());
    h.get_by_label("English").click();
    h.run();
    h.get_by_label("Current level");
}

#[test]
fn finalise_makes_the_revision_read_only_then_a_revision_reopens_it() {
    let mut h = fiji();
    create_assessment(&mut h);
    // Answer everything but the last through the state, as the pages do.
    let n = h.state().session().unwrap().data.responses.len();
    for i in 0..n - 1 {
        answer(h.state_mut(), i, Answer::Level((i % 5) as u8));
    }
    h.get_by_label("Finalise").click();
    h.run();
    h.get_by_label_contains("still to answer");
    let last = cdf_assess::framework::current().indicators[n - 1].code.clone();
    h.get_by_label(&last).click();
    h.run();
    h.get_by_label_contains("Level 1 · Initial").click();
    h.run();
    h.get_by_label("Finalise").click();
    h.run();
    h.get_by_label("Head of administration").focus();
    h.get_by_label("Head of administration").type_text("Comptroller of Customs");
    h.run();
    // The review warns of gaps without a need category: read, then signed off as it is.
    // (The review is long enough, with the plan, to put them below the window: scrolled to.)
    h.get_by_label("Finalise this revision").scroll_to_me();
    h.run();
    h.get_by_label("I have read these warnings and sign off as it is").click();
    h.run();
    h.get_by_label("Finalise this revision").click();
    h.run();
    // One last look at what is signed off, then confirm.
    h.get_by_label("Sign off this revision?");
    assert!(h.query_all_by_label_contains("gaps have a need category").count() >= 1);
    h.get_by_label("Sign off").click();
    h.run();
    assert_eq!(h.state().session().unwrap().data.header.status, Status::Finalised);
    h.get_by_label_contains("Finalised by Comptroller of Customs");

    // Read-only: clicking a level changes nothing.
    h.get_by_label("Assess").click();
    h.run();
    h.get_by_label_contains("finalised and read-only");
    let before = h.state().session().unwrap().data.responses.clone();
    h.get_by_label_contains("Level 4 · Advanced").click();
    h.run();
    assert_eq!(h.state().session().unwrap().data.responses, before);

    h.get_by_label("Start a revision").click();
    h.run();
    h.get_by_label("Start revision 2").click();
    h.run();
    let s = h.state().session().unwrap();
    assert_eq!((s.data.header.revision, s.data.header.status), (2, Status::Draft));
    assert_eq!(s.data.responses, before);
}

#[test]
fn a_locked_database_shows_a_clear_message_instead_of_the_app() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cdf.sqlite3");
    let _first = Store::open(&path).unwrap();
    let mut h = harness(app_over(Store::open(&path)));
    h.run();
    h.get_by_label("The assessment database cannot be opened");
    h.get_by_label_contains("already open in another cdf-assess window");
    // The message follows the language.
    h.get_by_label("Français").click();
    h.run();
    h.get_by_label_contains("déjà ouverte dans une autre fenêtre");
}

#[test]
fn a_damaged_database_offers_its_backups_and_a_restored_one_opens() {
    use cdf_assess::assessment::NewAssessment;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cdf.sqlite3");
    {
        let mut s = Store::open(&path).unwrap();
        s.set_setting("role", "administration").unwrap();
        s.set_setting("member", "FJ").unwrap();
        s.set_setting("lang", "en").unwrap();
        let new = NewAssessment {
            member: "FJ".into(),
            cycle: 2026,
            assessor_name: "Mere Naivalu".into(),
            assessor_role: String::new(),
            language: "en".into(),
        };
        s.create_assessment(&new).unwrap();
        s.backup_now("daily").unwrap().expect("a backup written");
    }
    // The file is emptied (a copy taken without its -wal, a bad disk...).
    std::fs::write(&path, b"").unwrap();
    let _ = std::fs::remove_file(path.with_extension("sqlite3-wal"));

    let mut h = harness(CdfApp::new(Client::open(path.clone(), Mode::Sync)));
    h.run();
    h.get_by_label("The assessment database cannot be opened");
    h.get_by_label("Backups of this database");
    // The newest first (opening the database had also made one, before the assessment).
    assert_eq!(h.query_all_by_label("Restore…").count(), 2);
    h.query_all_by_label("Restore…").next().unwrap().click();
    h.run();
    // What it holds, then the confirmation; nothing has changed yet.
    h.get_by_label_contains("It holds 1 assessment revision(s)");
    assert_eq!(std::fs::metadata(&path).unwrap().len(), 0);
    h.get_by_label("Restore this backup").click();
    h.run();
    h.run();
    // The app opens on the restored database; the emptied file was kept as a backup.
    assert!(h.state().snapshot().startup_error.is_none(), "{:?}", h.state().snapshot().startup_error);
    assert_eq!(h.state().snapshot().list.len(), 1);
    assert!(Store::backups_of(&path).iter().any(|b| b.reason == "before-restore"));
}

#[test]
fn a_damaged_backup_is_refused_with_its_reason_and_the_message_goes_once_another_is_restored() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cdf.sqlite3");
    Store::open(&path).unwrap().backup_now("daily").unwrap();
    // A damaged file among the backups, newer than the good one.
    let bad = dir.path().join("backups/cdf-29991231T000000Z-daily.sqlite3");
    std::fs::write(&bad, vec![7u8; 5000]).unwrap();
    std::fs::write(&path, b"").unwrap();
    let mut h = harness(CdfApp::new(Client::open(path.clone(), Mode::Sync)));
    h.run();
    h.query_all_by_label("Restore…").next().unwrap().click();
    h.run();
    h.get_by_label_contains("is not a cdf-assess database, or it is damaged");
    assert_eq!(std::fs::metadata(&path).unwrap().len(), 0, "nothing changed");
    h.query_all_by_label("Restore…").last().unwrap().click();
    h.run();
    h.get_by_label("Restore this backup").click();
    h.run();
    h.run();
    assert!(h.state().snapshot().startup_error.is_none());
    assert!(h.state().snapshot().notice.is_none(), "{:?}", h.state().snapshot().notice);
}

#[test]
fn a_database_open_in_another_window_is_not_offered_a_backup() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cdf.sqlite3");
    let mut first = Store::open(&path).unwrap();
    first.backup_now("daily").unwrap();
    let mut h = harness(CdfApp::new(Client::open(path.clone(), Mode::Sync)));
    h.run();
    h.get_by_label("The assessment database cannot be opened");
    assert!(h.query_by_label("Backups of this database").is_none());
}

#[test]
fn answers_written_through_the_ui_are_in_the_store() {
    let mut h = fiji();
    create_assessment(&mut h);
    h.get_by_label_contains("Level 3 · Established").click();
    h.run();
    // Reload from the database, not from memory.
    reopen(h.state_mut());
    let s = h.state().session().unwrap();
    assert_eq!(s.data.responses[0].answer, Answer::Level(3));
}

#[test]
fn the_profile_is_prefilled_from_the_baseline_and_changes_are_saved() {
    let mut h = fiji();
    create_assessment(&mut h);
    h.get_by_label("Profile").click();
    h.run();
    h.get_by_label("Administration profile");
    // Fiji's baseline (Appendix 1b): HS 2017, ASYCUDA World.
    // The current value (in its combo box) and the baseline column both read HS 2017.
    assert!(h.query_all_by_value("HS 2017").count() >= 2);
    h.get_by_label("Post-clearance audit");
    h.get_by_label("Harmonized System version in use").click();
    h.run();
    h.get_by_label("HS 2022").click();
    h.run();
    reopen(h.state_mut());
    assert_eq!(h.state().session().unwrap().data.profile.hs_version, "2022");
}

#[test]
fn export_the_return_and_see_how_to_send_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = fiji();
    create_assessment(&mut h);
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
        app.export_dir = dir.path().display().to_string();
    }
    h.run();
    h.get_by_label("Send the return to the OCO Secretariat");
    h.get_by_label_contains("It will not be encrypted");
    h.get_by_label("No save dialog? Save into a folder").click();
    h.run();
    h.get_by_label("Save return here").click();
    h.run();
    let cycle = h.state().session().unwrap().data.header.cycle;
    let file = dir.path().join(format!("FJ_{cycle}_r1.ocoreturn"));
    let bytes = std::fs::read(&file).expect("return written");
    let v = cdf_assess::exchange::read(&bytes, &[]).expect("a valid return");
    assert_eq!(v.body.member, "FJ");
    h.get_by_label("How to send it");
    h.get_by_label("Send it to: returns@oco.example");
    h.get_by_label("Open e-mail");
    h.get_by_label("Open folder");
    let mailto = h.state().snapshot().mailto().unwrap();
    assert!(mailto.starts_with("mailto:returns@oco.example?subject=CDF%20self-assessment%20return"), "{mailto}");
}

/// Issue 20: typing then Alt+Right at once lost characters (the move was made before the text
/// field took the keys typed in the same frame). Every character is kept, whether the move comes
/// in the same frame as the typing or in the next.
#[test]
fn typing_then_alt_right_keeps_every_character() {
    let mut h = fiji();
    create_assessment(&mut h);
    let n = 6;
    let mut typed = Vec::new();
    for i in 0..n {
        let text = format!("evidence {i} typed then moved on");
        h.get_by_label("Evidence note").focus();
        h.run();
        if i % 2 == 0 {
            // The same frame (kittest's queue gives each event a frame of its own, so they go
            // into the frame's input directly): the characters, then Alt+Right, as a busy
            // window batches them.
            let alt = egui::Modifiers::ALT;
            let key = |pressed| egui::Event::Key {
                key: egui::Key::ArrowRight,
                pressed,
                modifiers: alt,
                repeat: false,
                physical_key: None,
            };
            let events = &mut h.input_mut().events;
            events.extend(text.chars().map(|c| egui::Event::Text(c.to_string())));
            events.extend([egui::Event::ModifiersChanged(alt), key(true), key(false)]);
            events.push(egui::Event::ModifiersChanged(egui::Modifiers::NONE));
            h.step();
        } else {
            // Consecutive frames: one character a frame, then Alt+Right.
            for c in text.chars() {
                h.get_by_label("Evidence note").type_text(&c.to_string());
                h.step();
            }
            h.key_press_modifiers(egui::Modifiers::ALT, egui::Key::ArrowRight);
        }
        h.run();
        typed.push(text);
    }
    let current = h.state().pages.assess.current;
    assert_eq!(current, n, "each Alt+Right moved on once");
    reopen(h.state_mut());
    let s = h.state().session().unwrap();
    for (i, text) in typed.iter().enumerate() {
        assert_eq!(&s.data.responses[i].evidence, text, "indicator {i}: every character kept");
    }
}
