//! The GUI driven by labels, as a person would, with egui_kittest (headless).

use cdf_assess::assessment::{Answer, Status};
use cdf_assess::lang::Lang;
use cdf_assess::store::Store;
use cdf_assess::ui::CdfApp;
use cdf_assess::ui::state::{AppState, Page};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};

pub fn harness(state: AppState) -> Harness<'static, CdfApp> {
    Harness::builder()
        .with_size(egui::vec2(1366.0, 768.0))
        .with_max_steps(64)
        .build_ui_state(|ui, app: &mut CdfApp| app.ui_root(ui), CdfApp::new(state))
}

/// A fresh app in English, as on first run.
pub fn fresh() -> Harness<'static, CdfApp> {
    let mut state = AppState::new(Store::open_in_memory());
    state.settings.lang = Lang::En;
    harness(state)
}

/// An administration (Fiji) that has completed setup.
pub fn fiji() -> Harness<'static, CdfApp> {
    let mut h = fresh();
    {
        let st = &mut h.state_mut().state;
        st.settings.role = Some(cdf_assess::ui::state::Role::Administration);
        st.settings.member = Some("FJ".into());
        st.finish_setup();
    }
    h.run();
    h
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
    assert_eq!(h.state().state.page, Page::Setup);
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
    assert_eq!(h.state().state.settings.member.as_deref(), Some("WS"));
    h.get_by_label("Start").click();
    h.run();
    let st = &h.state().state;
    assert_eq!(st.page, Page::Home);
    assert_eq!(st.settings.member.as_deref(), Some("WS"));
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
    assert_eq!(h.state().state.page, Page::Assess);
    let total = h.state().state.session.as_ref().unwrap().data.responses.len();
    h.get_by_label_contains("WF-01 ·");
    h.get_by_label(&format!("0 / {total} answered"));
    h.get_by_label_contains("Level 2 · Developing").click();
    h.run();
    h.get_by_label(&format!("1 / {total} answered"));
    let s = h.state().state.session.as_ref().unwrap();
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
    let id = h.state().state.session.as_ref().unwrap().data.header.id;
    h.state_mut().state.open(id);
    let s = h.state().state.session.as_ref().unwrap();
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
    let n = h.state().state.session.as_ref().unwrap().data.responses.len();
    for i in 0..n - 1 {
        let st = &mut h.state_mut().state;
        st.go_to(i);
        st.set_answer(Answer::Level((i % 5) as u8));
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
    h.get_by_label("Finalise this revision").click();
    h.run();
    let st = &h.state().state;
    assert_eq!(st.session.as_ref().unwrap().data.header.status, Status::Finalised);
    h.get_by_label_contains("Finalised by Comptroller of Customs");

    // Read-only: clicking a level changes nothing.
    h.get_by_label("Assess").click();
    h.run();
    h.get_by_label_contains("finalised and read-only");
    let before = h.state().state.session.as_ref().unwrap().data.responses.clone();
    h.get_by_label_contains("Level 4 · Advanced").click();
    h.run();
    assert_eq!(h.state().state.session.as_ref().unwrap().data.responses, before);

    h.get_by_label("Start a revision").click();
    h.run();
    let s = h.state().state.session.as_ref().unwrap();
    assert_eq!((s.data.header.revision, s.data.header.status), (2, Status::Draft));
    assert_eq!(s.data.responses, before);
}

#[test]
fn a_locked_database_shows_a_clear_message_instead_of_the_app() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cdf.sqlite3");
    let _first = Store::open(&path).unwrap();
    let mut state = AppState::new(Store::open(&path));
    state.settings.lang = Lang::En;
    let mut h = harness(state);
    h.run();
    h.get_by_label("The assessment database cannot be opened");
    h.get_by_label_contains("already open in another cdf-assess window");
    // The message follows the language.
    h.get_by_label("Français").click();
    h.run();
    h.get_by_label_contains("déjà ouverte dans une autre fenêtre");
}

#[test]
fn answers_written_through_the_ui_are_in_the_store() {
    let mut h = fiji();
    create_assessment(&mut h);
    h.get_by_label_contains("Level 3 · Established").click();
    h.run();
    let id = h.state().state.session.as_ref().unwrap().data.header.id;
    // Reload from the database, not from memory.
    h.state_mut().state.session = None;
    h.state_mut().state.open(id);
    let s = h.state().state.session.as_ref().unwrap();
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
    let id = h.state().state.session.as_ref().unwrap().data.header.id;
    h.state_mut().state.open(id);
    assert_eq!(h.state().state.session.as_ref().unwrap().data.profile.hs_version, "2022");
}

#[test]
fn export_the_return_and_see_how_to_send_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = fiji();
    create_assessment(&mut h);
    {
        let st = &mut h.state_mut().state;
        st.settings.secretariat_email = "returns@oco.example".into();
        let n = st.session.as_ref().unwrap().data.responses.len();
        for i in 0..n {
            st.go_to(i);
            st.set_answer(Answer::Level(2));
        }
        st.approver = "Comptroller".into();
        st.finalise();
        st.results.export_dir = dir.path().display().to_string();
    }
    h.run();
    h.get_by_label("Send the return to the OCO Secretariat");
    h.get_by_label_contains("It will not be encrypted");
    h.get_by_label("No save dialog? Save into a folder").click();
    h.run();
    h.get_by_label("Save return here").click();
    h.run();
    let cycle = h.state().state.session.as_ref().unwrap().data.header.cycle;
    let file = dir.path().join(format!("FJ_{cycle}_r1.ocoreturn"));
    let bytes = std::fs::read(&file).expect("return written");
    let v = cdf_assess::exchange::read(&bytes, &[]).expect("a valid return");
    assert_eq!(v.body.member, "FJ");
    h.get_by_label("How to send it");
    h.get_by_label("Send it to: returns@oco.example");
    h.get_by_label("Open e-mail");
    h.get_by_label("Open folder");
    let mailto = h.state().state.mailto().unwrap();
    assert!(mailto.starts_with("mailto:returns@oco.example?subject=CDF%20self-assessment%20return"), "{mailto}");
}
