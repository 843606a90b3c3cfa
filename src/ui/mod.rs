//! The egui application: app state lives in [`state`], each page draws it and calls its
//! methods. No SQL and no file parsing here.

pub mod charts;
pub mod pages;
pub mod sec;
pub mod state;
pub mod theme;

use crate::store::Store;
use state::{AppState, NoticeKind, Page, Role, ThemeChoice};
use std::path::PathBuf;

pub struct CdfApp {
    pub state: AppState,
}

impl CdfApp {
    pub fn new(state: AppState) -> CdfApp {
        CdfApp { state }
    }

    /// Draws one frame into `ui` (the whole window). Used by eframe and by the UI tests.
    pub fn ui_root(&mut self, ui: &mut egui::Ui) {
        let st = &mut self.state;
        if st.style_dirty {
            theme::apply(ui.ctx(), st.settings.theme == ThemeChoice::Dark, st.settings.ui_scale);
            st.style_dirty = false;
        }
        if st.tick() {
            ui.ctx().request_repaint_after(state::TEXT_SAVE_DELAY);
        }
        st.poll_import();
        st.poll_report();
        // Files dropped on the window are imported (Secretariat).
        let dropped: Vec<PathBuf> = ui.ctx().input(|i| {
            i.raw.dropped_files.iter().map(|f| f.path().to_path_buf()).filter(|p| !p.as_os_str().is_empty()).collect()
        });
        if !dropped.is_empty() && st.settings.role == Some(Role::Secretariat) {
            let mut files = Vec::new();
            for p in dropped {
                if p.is_dir() {
                    files.extend(sec::returns_in(&p));
                } else {
                    files.push(p);
                }
            }
            st.start_import(files, ui.ctx());
        }
        if let Some(e) = &st.startup_error {
            let msg = e.message(st.lang());
            pages::startup_error_ui(ui, st, &msg);
            return;
        }
        if st.page == Page::Setup {
            egui::CentralPanel::default().show(ui, |ui| pages::setup::setup_ui(ui, st));
            return;
        }
        egui::Panel::top("top").show(ui, |ui| top_bar_ui(ui, st));
        egui::Panel::left("nav").resizable(false).exact_size(190.0).show(ui, |ui| nav_ui(ui, st));
        egui::CentralPanel::default().show(ui, |ui| {
            notice_ui(ui, st);
            match st.page {
                Page::Setup | Page::Home => pages::home::home_ui(ui, st),
                Page::Assess => pages::assess::assess_ui(ui, st),
                Page::Profile => pages::profile::profile_ui(ui, st),
                Page::Finalise => pages::finalise::finalise_ui(ui, st),
                Page::Results => pages::results::results_ui(ui, st),
                Page::Import => pages::import::import_ui(ui, st),
                Page::Register => pages::register::register_ui(ui, st),
                Page::Dashboard => pages::dashboard::dashboard_ui(ui, st),
                Page::Monitoring => pages::monitoring::monitoring_ui(ui, st),
                Page::Settings => pages::settings::settings_ui(ui, st),
            }
        });
    }
}

impl eframe::App for CdfApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.ui_root(ui);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        // Whatever was typed in the last second is written before the window goes.
        self.state.flush_text();
    }
}

fn top_bar_ui(ui: &mut egui::Ui, st: &mut AppState) {
    let t = st.lang();
    ui.horizontal(|ui| {
        ui.add_space(4.0);
        ui.label(egui::RichText::new(t.t("app.title")).strong().size(18.0).color(theme::accent(ui)));
        ui.separator();
        if let Some(s) = &st.session {
            let h = &s.data.header;
            let member = crate::framework::member(&h.member).map(|m| m.name.get(t)).unwrap_or(&h.member);
            ui.label(
                egui::RichText::new(
                    t.f("top.assessment", &[("member", &member), ("cycle", &h.cycle), ("revision", &h.revision)]),
                )
                .strong(),
            );
            status_badge(ui, t, s.data.header.status, h.imported);
            ui.add(
                egui::ProgressBar::new(s.progress.fraction())
                    .desired_width(180.0)
                    .text(t.f("top.progress", &[("answered", &s.progress.answered), ("total", &s.progress.total)])),
            );
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            for lang in crate::lang::Lang::ALL.iter().rev() {
                if ui.selectable_label(st.settings.lang == *lang, lang.native_name()).clicked() {
                    st.set_lang(*lang);
                }
            }
        });
    });
}

pub fn status_badge(ui: &mut egui::Ui, t: crate::lang::Lang, status: crate::assessment::Status, imported: bool) {
    use crate::assessment::Status;
    let (key, color) = match (status, imported) {
        (_, true) => ("status.imported", theme::ACCENT),
        (Status::Draft, _) => ("status.draft", theme::WARN),
        (Status::Finalised, _) => ("status.finalised", theme::GOOD),
    };
    egui::Frame::new().fill(color).corner_radius(8.0).inner_margin(egui::Margin::symmetric(8, 2)).show(ui, |ui| {
        ui.label(egui::RichText::new(t.t(key)).color(egui::Color32::WHITE).small().strong());
    });
}

fn nav_ui(ui: &mut egui::Ui, st: &mut AppState) {
    let t = st.lang();
    ui.add_space(8.0);
    let has_session = st.session.is_some();
    let item = |ui: &mut egui::Ui, st: &mut AppState, page: Page, key: &str, enabled: bool| {
        let selected = st.page == page;
        let b = egui::Button::selectable(selected, t.t(key)).min_size(egui::vec2(ui.available_width(), 32.0));
        if ui.add_enabled(enabled, b).clicked() {
            st.go(page);
        }
    };
    if st.settings.role == Some(Role::Secretariat) {
        item(ui, st, Page::Dashboard, "nav.dashboard", true);
        item(ui, st, Page::Register, "nav.register", true);
        item(ui, st, Page::Monitoring, "nav.monitoring", true);
        item(ui, st, Page::Import, "nav.import", true);
        ui.separator();
    }
    item(ui, st, Page::Home, "nav.home", true);
    item(ui, st, Page::Assess, "nav.assess", has_session);
    item(ui, st, Page::Profile, "nav.profile", has_session);
    item(ui, st, Page::Results, "nav.results", has_session);
    item(ui, st, Page::Finalise, "nav.finalise", has_session);
    ui.separator();
    item(ui, st, Page::Settings, "nav.settings", true);
    ui.with_layout(egui::Layout::bottom_up(egui::Align::Min), |ui| {
        ui.add_space(6.0);
        ui.label(egui::RichText::new(t.f("nav.version", &[("version", &env!("CDF_BUILD_VERSION"))])).small().weak());
        if let Some(role) = st.settings.role {
            let who = match (role, &st.settings.member) {
                (Role::Administration, Some(code)) => {
                    crate::framework::member(code).map(|m| m.name.get(t).to_string()).unwrap_or_default()
                }
                _ => t.t("role.secretariat").to_string(),
            };
            ui.label(egui::RichText::new(who).small());
        }
    });
}

fn notice_ui(ui: &mut egui::Ui, st: &mut AppState) {
    let Some((kind, text)) = st.notice.clone() else { return };
    let t = st.lang();
    let color = match kind {
        NoticeKind::Info => theme::GOOD,
        NoticeKind::Error => theme::BAD,
    };
    egui::Frame::new().stroke(egui::Stroke::new(1.5, color)).corner_radius(6.0).inner_margin(8.0).show(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            ui.label(egui::RichText::new(&text).color(color));
            if ui.small_button(t.t("common.dismiss")).clicked() {
                st.notice = None;
            }
        });
    });
    ui.add_space(6.0);
}

/// Opens the window. `db` is the database file (default: the platform data directory).
pub fn run(db: PathBuf) -> anyhow::Result<()> {
    let state = AppState::new(Store::open(&db));
    let title = crate::i18n::tr(state.lang(), "app.title").to_string();
    let mut app = Some(CdfApp::new(state));
    let options = |renderer| eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title(title.clone())
            .with_inner_size([1280.0, 760.0])
            .with_min_inner_size([900.0, 560.0]),
        renderer,
        ..Default::default()
    };
    // wgpu first; some old Windows machines (Remote Desktop, basic display driver) need the other.
    let first = eframe::run_native(
        &title,
        options(eframe::Renderer::Wgpu),
        Box::new(|_cc| Ok(Box::new(app.take().expect("app is created once")))),
    );
    match first {
        Ok(()) => Ok(()),
        Err(e) => {
            eprintln!("wgpu renderer failed ({e}); trying OpenGL");
            // If the first attempt never built the app, it still holds the database: reuse it.
            let app = app.take().unwrap_or_else(|| CdfApp::new(AppState::new(Store::open(&db))));
            eframe::run_native(&title, options(eframe::Renderer::Glow), Box::new(move |_cc| Ok(Box::new(app))))
                .map_err(|e| anyhow::anyhow!("cannot open a window: {e}"))
        }
    }
}
