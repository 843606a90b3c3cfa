//! The egui window. Each page is a struct owning its view state (filters, buffers, drill-down)
//! and draws from the application's read-only [`Snapshot`], sending [`Command`]s. No SQL, no
//! file I/O and nothing slow here: the `app` worker does that.

#[cfg(windows)]
mod endsession;
pub mod pages;
pub mod widgets;
pub mod window;

use crate::app::{self, Client, Command, Event, NoticeKind, Role, Snapshot, ThemeChoice};
use crate::app::{ImportCmd, SettingsCmd};
use crate::lang::Lang;
use std::path::PathBuf;
use widgets::theme;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    Setup,
    Home,
    Assess,
    Profile,
    Finalise,
    Results,
    Plan,
    Settings,
    Import,
    Register,
    Review,
    Dashboard,
    Monitoring,
    Programme,
}

/// What a page has to draw with, and where its wishes go.
pub struct View<'a> {
    pub snap: &'a Snapshot,
    /// Commands for the worker, sent after the frame in this order.
    pub out: Vec<Command>,
    /// The page to show next.
    pub go: Option<Page>,
    /// The folder files are saved into (shared by the pages that save files).
    pub export_dir: &'a mut String,
}

impl View<'_> {
    pub fn lang(&self) -> Lang {
        self.snap.lang()
    }
    pub fn send(&mut self, c: impl Into<Command>) {
        self.out.push(c.into());
    }
    /// Where a save goes: the system's dialog, opened in the export folder.
    pub fn ask_dest(&self) -> app::Dest {
        app::Dest::Ask { dir: PathBuf::from(self.export_dir.trim()) }
    }
    /// Where a save goes without a dialog: the typed folder.
    pub fn folder_dest(&self) -> app::Dest {
        app::Dest::Folder(PathBuf::from(self.export_dir.trim()))
    }
}

/// Every page, each with its own state.
#[derive(Default)]
pub struct Pages {
    pub setup: pages::setup::SetupPage,
    pub home: pages::home::HomePage,
    pub assess: pages::assess::AssessPage,
    pub profile: pages::profile::ProfilePage,
    pub finalise: pages::finalise::FinalisePage,
    pub results: pages::results::ResultsPage,
    pub plan: pages::plan::PlanPage,
    pub settings: pages::settings::SettingsPage,
    pub import: pages::import::ImportPage,
    pub register: pages::register::RegisterPage,
    pub review: pages::review::ReviewPage,
    pub dashboard: pages::dashboard::DashboardPage,
    pub monitoring: pages::monitoring::MonitoringPage,
    pub programme: pages::programme::ProgrammePage,
}

pub struct CdfApp {
    pub client: Client,
    pub page: Page,
    pub pages: Pages,
    pub export_dir: String,
    /// The theme and scale last applied, so the style is set once per change.
    applied_style: Option<(ThemeChoice, f32)>,
    waker_set: bool,
    /// `Command::WindowShown` sent (after the first frame reached the screen).
    shown_sent: bool,
    /// The control that had the keyboard focus last frame (see [`keep_focus`]).
    last_focus: Option<egui::Id>,
}

impl CdfApp {
    pub fn new(client: Client) -> CdfApp {
        let mut app = CdfApp {
            client,
            page: Page::Setup,
            pages: Pages::default(),
            export_dir: app::desktop::default_export_dir().display().to_string(),
            applied_style: None,
            waker_set: false,
            shown_sent: false,
            last_focus: None,
        };
        app.follow_events();
        app
    }

    pub fn snapshot(&self) -> &Snapshot {
        self.client.snapshot()
    }

    /// Sends commands (the worker writes typed text before anything that follows it).
    pub fn send_all(&mut self, cmds: Vec<Command>) {
        self.client.send_all(cmds);
        self.follow_events();
    }

    /// Folds the worker's events into the snapshot and follows the ones that move the window.
    fn follow_events(&mut self) {
        for e in self.client.poll() {
            match e {
                Event::Started { settings, .. } => {
                    self.page = match settings.role {
                        _ if !settings.setup_done() => Page::Setup,
                        Some(Role::Secretariat) => Page::Dashboard,
                        _ => Page::Home,
                    };
                    self.pages.setup.draft = settings.clone();
                }
                Event::SetupDone => {
                    let sec = self.client.snapshot().settings.role == Some(Role::Secretariat);
                    self.page = if sec { Page::Dashboard } else { Page::Home };
                }
                Event::Opened { at, .. } => {
                    self.pages.assess.current = at;
                    self.pages.finalise.approver.clear();
                    self.pages.home.form = None;
                    self.page = Page::Assess;
                }
                Event::Finalised(_) => self.page = Page::Finalise,
                Event::MemberOpened => self.page = Page::Results,
                Event::ImportStarted { .. } => self.page = Page::Import,
                Event::ExportDir(d) => self.export_dir = d.display().to_string(),
                _ => {}
            }
        }
    }

    /// Draws one frame into `ui` (the whole window). Used by eframe and by the UI tests.
    pub fn ui_root(&mut self, ui: &mut egui::Ui) {
        if !self.waker_set {
            let ctx = ui.ctx().clone();
            self.client.set_waker(move || ctx.request_repaint());
            self.waker_set = true;
        }
        // The first frame shows the data if it comes soon (a few ms after the window is made),
        // not a spinner that a software renderer would take 50-100 ms to draw.
        self.client.wait_first_state(std::time::Duration::from_millis(FIRST_STATE_WAIT_MS));
        self.follow_events();
        theme::follow(ui.ctx());
        let page_before = self.page;
        let snap: &Snapshot = self.client.snapshot();
        let style = (snap.settings.theme, snap.settings.ui_scale);
        if self.applied_style != Some(style) {
            theme::apply(ui.ctx(), style.0 == ThemeChoice::Dark, style.1);
            self.applied_style = Some(style);
        }
        let mut v = View { snap, out: Vec::new(), go: None, export_dir: &mut self.export_dir };
        // Files dropped on the window are imported (Secretariat).
        let dropped: Vec<PathBuf> = ui.ctx().input(|i| {
            i.raw.dropped_files.iter().map(|f| f.path().to_path_buf()).filter(|p| !p.as_os_str().is_empty()).collect()
        });
        // A section file dropped during first-run setup waits: the colleague finishes setup, then
        // opens it from Home (issue 26).
        let dropped: Vec<PathBuf> = if self.page == Page::Setup {
            dropped.into_iter().filter(|p| !crate::exchange::section::is_section_path(p)).collect()
        } else {
            dropped
        };
        route_files(&mut v, dropped);
        opened_ui(ui.ctx(), &mut v, self.page);
        let p = &mut self.pages;
        if !snap.ready {
            egui::CentralPanel::default().frame(theme::unfilled(egui::Frame::central_panel(ui.style()))).show(
                ui,
                |ui| {
                    ui.centered_and_justified(|ui| ui.spinner());
                },
            );
        } else if let Some(e) = &snap.startup_error {
            let msg = app::Msg::Store(e.clone()).text(snap.lang());
            pages::startup_error_ui(ui, &mut v, &msg);
        } else if self.page == Page::Setup {
            egui::CentralPanel::default()
                .frame(theme::unfilled(egui::Frame::central_panel(ui.style())))
                .show(ui, |ui| p.setup.ui(ui, &mut v));
        } else {
            let page = self.page;
            egui::Panel::top("top")
                .frame(theme::unfilled(egui::Frame::side_top_panel(ui.style())))
                .show(ui, |ui| top_bar_ui(ui, &mut v, page));
            // Narrower on a small screen (1024 px at 125 %), never so narrow a label is cut.
            let nav_w = (ui.ctx().content_rect().width() * 0.16).clamp(160.0, 190.0);
            egui::Panel::left("nav")
                .frame(theme::unfilled(egui::Frame::side_top_panel(ui.style())))
                .resizable(false)
                .exact_size(nav_w)
                .show(ui, |ui| nav_ui(ui, &mut v, page));
            // Each page with its own ids: a page opens at its own scroll position, not the last one's.
            egui::CentralPanel::default().frame(theme::unfilled(egui::Frame::central_panel(ui.style()))).show(
                ui,
                |ui| {
                    ui.push_id(("page", page as u8), |ui| match page {
                        Page::Setup | Page::Home => p.home.ui(ui, &mut v),
                        Page::Assess => p.assess.ui(ui, &mut v),
                        Page::Profile => p.profile.ui(ui, &mut v),
                        Page::Finalise => p.finalise.ui(ui, &mut v),
                        Page::Results => p.results.ui(ui, &mut v),
                        Page::Plan => p.plan.ui(ui, &mut v),
                        Page::Import => p.import.ui(ui, &mut v),
                        Page::Register => p.register.ui(ui, &mut v),
                        Page::Review => p.review.ui(ui, &mut v),
                        Page::Dashboard => p.dashboard.ui(ui, &mut v),
                        Page::Monitoring => p.monitoring.ui(ui, &mut v),
                        Page::Programme => p.programme.ui(ui, &mut v),
                        Page::Settings => p.settings.ui(ui, &mut v),
                    })
                },
            );
        }
        // Over the page, never pushing it down under the pointer.
        if snap.ready && snap.startup_error.is_none() && self.page != Page::Setup {
            notice_ui(ui, &mut v);
        }
        focus_ring(ui);
        let View { mut out, go, .. } = v;
        if go.is_some_and(|p| p != self.page) && !snap.unsaved.is_empty() {
            out.push(Command::SaveText);
        }
        // A notice belongs to the page it was given on: going to another page dismisses it.
        if go.is_some_and(|p| p != self.page) && snap.notice.is_some() {
            out.push(Command::Dismiss);
        }
        if let Some(page) = go {
            self.page = page;
        }
        if let Some(i) = self.pages.finalise.go_to.take() {
            self.pages.assess.current = i;
        }
        self.last_focus = keep_focus(ui.ctx(), self.last_focus, self.page != page_before);
        if !out.is_empty() || go.is_some() {
            self.send_all(out);
        }
    }

    /// Sends one command (typed text first) and follows what it changed.
    pub fn send(&mut self, cmd: impl Into<Command>) {
        self.send_all(vec![cmd.into()]);
    }

    /// The open assessment, as the pages see it.
    pub fn session(&self) -> Option<&app::Session> {
        self.client.snapshot().session.as_deref()
    }

    /// Shows a page (typed text is written first).
    pub fn go(&mut self, page: Page) {
        self.send_all(vec![Command::SaveText]);
        self.page = page;
    }

    /// Writes what was typed and waits for the worker to finish everything (closing the window).
    pub fn close(&mut self) {
        self.send_all(Vec::new());
        self.client.shutdown();
    }
}

impl eframe::App for CdfApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.ui_root(ui);
        if !self.shown_sent {
            if ui.ctx().cumulative_frame_nr() == 0 {
                // The next frame starts once this one is on screen.
                ui.ctx().request_repaint();
            } else {
                self.shown_sent = true;
                self.client.send(Command::WindowShown);
            }
        }
        exit_after_first_frame(ui.ctx());
        exit_after_data(ui.ctx(), self.client.snapshot());
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        // Whatever was typed in the last second is written before the window goes.
        self.close();
    }
}

/// Enter in a one-line field, or Escape in a list, lets go of the keyboard focus in egui, and
/// the next Tab then starts again at the top bar (5 to 10 Tabs back to where the hand was).
/// Unless the page changed, that control gets the focus back: the next Tab goes on from there.
/// (Escape in a text field still lets go of it, so that the level keys work again.) Returns
/// the control that has the focus now.
fn keep_focus(ctx: &egui::Context, last: Option<egui::Id>, page_changed: bool) -> Option<egui::Id> {
    let now = ctx.memory(|m| m.focused());
    if now.is_some() {
        return now;
    }
    let was_text = last.is_some_and(|id| egui::TextEdit::load_state(ctx, id).is_some());
    let let_go =
        ctx.input(|i| (was_text && i.key_pressed(egui::Key::Enter)) || (!was_text && i.key_pressed(egui::Key::Escape)));
    match last {
        Some(id) if let_go && !page_changed => {
            ctx.memory_mut(|m| m.request_focus(id));
            Some(id)
        }
        _ => None,
    }
}

/// The regional pages are about every member, not the one opened last.
fn shows_session(page: Page) -> bool {
    !matches!(page, Page::Dashboard | Page::Register | Page::Monitoring | Page::Programme | Page::Import)
}

fn top_bar_ui(ui: &mut egui::Ui, v: &mut View, page: Page) {
    let t = v.lang();
    let snap = v.snap;
    ui.horizontal(|ui| {
        ui.add_space(4.0);
        // The first Tab stop: past the top bar and the navigation, to the page's first control
        // (the one after the navigation's last item in Tab order).
        let skip = ui.add(egui::Button::new(egui::RichText::new(t.t("top.skip")).small()).frame(false));
        if skip.clicked()
            && let Some(last) = ui.data(|d| d.get_temp::<egui::Id>(egui::Id::unique(NAV_LAST)))
        {
            ui.memory_mut(|m| {
                m.request_focus(last);
                m.move_focus(egui::FocusDirection::Next);
            });
        }
        ui.label(egui::RichText::new(t.t("app.title")).strong().size(18.0).color(theme::accent(ui)));
        ui.separator();
        if let Some(s) = snap.session.as_ref().filter(|_| shows_session(page)) {
            let h = &s.data.header;
            let member = widgets::member_name(&h.member, t);
            ui.label(
                egui::RichText::new(
                    t.f("top.assessment", &[("member", &member), ("cycle", &h.cycle), ("revision", &h.revision)]),
                )
                .strong(),
            );
            widgets::status_badge(ui, t, h.status, h.imported);
            ui.add(
                egui::ProgressBar::new(s.progress.fraction())
                    .desired_width(180.0)
                    .text(t.f("top.progress", &[("answered", &s.progress.answered), ("total", &s.progress.total)])),
            );
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            for lang in Lang::ALL.iter().rev() {
                if ui.selectable_label(t == *lang, lang.native_name()).clicked() && t != *lang {
                    let mut s = snap.settings.clone();
                    s.lang = *lang;
                    v.send(SettingsCmd::Save(s));
                }
            }
        });
    });
}

/// Where the navigation's last item's id is kept for "skip to content" (egui's temporary data).
const NAV_LAST: &str = "cdf_nav_last";

fn nav_ui(ui: &mut egui::Ui, v: &mut View, page: Page) {
    let t = v.lang();
    let snap = v.snap;
    ui.add_space(8.0);
    let has_session = snap.session.is_some();
    let mut item = |ui: &mut egui::Ui, to: Page, key: &str, enabled: bool| {
        let b = egui::Button::selectable(page == to, t.t(key)).wrap().min_size(egui::vec2(ui.available_width(), 32.0));
        let r = ui.add_enabled(enabled, b);
        if r.clicked() {
            v.go = Some(to);
        }
        ui.data_mut(|d| d.insert_temp(egui::Id::unique(NAV_LAST), r.id));
    };
    if snap.settings.role == Some(Role::Secretariat) {
        item(ui, Page::Dashboard, "nav.dashboard", true);
        item(ui, Page::Register, "nav.register", true);
        item(ui, Page::Review, "nav.review", true);
        item(ui, Page::Monitoring, "nav.monitoring", true);
        item(ui, Page::Programme, "nav.programme", true);
        item(ui, Page::Import, "nav.import", true);
        ui.separator();
    }
    item(ui, Page::Home, "nav.home", true);
    item(ui, Page::Assess, "nav.assess", has_session);
    item(ui, Page::Profile, "nav.profile", has_session);
    item(ui, Page::Results, "nav.results", has_session);
    item(ui, Page::Plan, "nav.plan", has_session);
    item(ui, Page::Finalise, "nav.finalise", has_session);
    ui.separator();
    item(ui, Page::Settings, "nav.settings", true);
    ui.with_layout(egui::Layout::bottom_up(egui::Align::Min), |ui| {
        ui.add_space(6.0);
        ui.label(egui::RichText::new(t.f("nav.version", &[("version", &env!("CDF_BUILD_VERSION"))])).small().weak());
        let fw = &crate::framework::current().meta;
        ui.label(
            egui::RichText::new(
                t.f("framework.revision_label", &[("version", &fw.version), ("revision", &fw.revision)]),
            )
            .small()
            .weak(),
        );
        if let Some(role) = snap.settings.role {
            let who = match (role, &snap.settings.member) {
                (Role::Administration, Some(code)) => widgets::member_name(code, t).to_string(),
                _ => t.t("role.secretariat").to_string(),
            };
            ui.label(egui::RichText::new(who).small());
        }
    });
}

/// The latest notice, in a box at the bottom right over the page (it moves nothing), until
/// dismissed or another page is shown.
/// How long an informational notice stays on screen; an error stays until it is closed.
pub const INFO_NOTICE_SECS: f64 = 8.0;

fn notice_ui(ui: &mut egui::Ui, v: &mut View) {
    let Some(n) = &v.snap.notice else { return };
    let t = v.lang();
    let color = match n.kind {
        NoticeKind::Info => theme::GOOD,
        NoticeKind::Error => theme::BAD,
    };
    let text = n.msg.text(t);
    // An informational notice goes by itself (issue 25: they waited for "Close" and covered the
    // fields under them); the time counts from when this text was first shown.
    if n.kind == NoticeKind::Info {
        let id = egui::Id::unique("notice_shown_since");
        let now = ui.input(|i| i.time);
        let since = ui.data_mut(|d| {
            let e = d.get_temp_mut_or_insert_with(id, || (text.clone(), now));
            if e.0 != text {
                *e = (text.clone(), now);
            }
            e.1
        });
        let left = INFO_NOTICE_SECS - (now - since);
        if left <= 0.0 {
            v.send(Command::Dismiss);
            return;
        }
        ui.ctx().request_repaint_after(std::time::Duration::from_secs_f64(left));
    }
    let width = (ui.ctx().content_rect().width() * 0.45).clamp(260.0, 480.0);
    egui::Area::new(egui::Id::unique("notice"))
        .order(egui::Order::Foreground)
        .anchor(egui::Align2::RIGHT_BOTTOM, [-14.0, -14.0])
        .show(ui.ctx(), |ui| {
            egui::Frame::popup(ui.style()).stroke(egui::Stroke::new(2.0, color)).inner_margin(10.0).show(ui, |ui| {
                ui.set_max_width(width);
                egui::ScrollArea::vertical().max_height(160.0).show(ui, |ui| {
                    ui.label(egui::RichText::new(&text).color(color));
                });
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Min), |ui| {
                    if ui.button(t.t("common.dismiss")).clicked() {
                        v.send(Command::Dismiss);
                    }
                });
            });
        });
}

/// A clear ring around the widget that has the keyboard focus, whatever its kind.
fn focus_ring(ui: &egui::Ui) {
    let ctx = ui.ctx();
    let Some(id) = ctx.memory(|m| m.focused()) else { return };
    let Some(r) = ctx.read_response(id) else { return };
    if !r.rect.is_positive() {
        return;
    }
    let color = theme::accent(ui);
    let painter = ctx.layer_painter(r.layer_id).with_clip_rect(r.interact_rect.expand(3.0));
    painter.rect_stroke(r.rect.expand(2.0), 4.0, egui::Stroke::new(2.0, color), egui::StrokeKind::Outside);
}

/// For measuring start-up (`benches/scale.rs`, "time to data"): with `CDF_EXIT_AFTER_DATA=1`,
/// once a frame has been drawn with the workspace's data in it (the Secretariat's dashboard: its
/// consolidation; an administration's list), says so on stderr and closes the window.
pub fn exit_after_data(ctx: &egui::Context, snap: &app::Snapshot) {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    // The frame that first drew the data (a frame may run its ui twice: counted by frame).
    static DRAWN_AT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(u64::MAX);
    if !*ON.get_or_init(|| std::env::var_os("CDF_EXIT_AFTER_DATA").is_some_and(|v| v == "1")) {
        return;
    }
    let shown = match snap.settings.role {
        Some(Role::Secretariat) => snap.sec.consolidation.is_some(),
        _ => snap.ready && !snap.list.is_empty(),
    };
    if !shown {
        return;
    }
    // This frame draws the data; the next starts once it is on screen.
    let frame = ctx.cumulative_frame_nr();
    let at = DRAWN_AT.fetch_min(frame, std::sync::atomic::Ordering::Relaxed).min(frame);
    if frame > at {
        eprintln!("cdf-assess: data shown");
        ctx.send_viewport_cmd(egui::ViewportCommand::Close);
    } else {
        ctx.request_repaint();
    }
}

/// For measuring start-up (`benches/scale.rs`): with `CDF_EXIT_AFTER_FIRST_FRAME=1`, once the
/// first frame has been painted, says so on stderr and closes the window.
pub fn exit_after_first_frame(ctx: &egui::Context) {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    if !*ON.get_or_init(|| std::env::var_os("CDF_EXIT_AFTER_FIRST_FRAME").is_some_and(|v| v == "1")) {
        return;
    }
    if ctx.cumulative_frame_nr() == 0 {
        ctx.request_repaint(); // the next frame starts once this one is on screen
    } else {
        eprintln!("cdf-assess: first frame painted");
        ctx.send_viewport_cmd(egui::ViewportCommand::Close);
    }
}

/// Opens the window. `db` is the database file (default: the platform data directory).
/// The worker opens it on its own thread, so the first frame never waits for the database.
/// How long the first frame waits for the data it shows (the database open and, for the
/// Secretariat, the dashboard read).
const FIRST_STATE_WAIT_MS: u64 = 250;

/// Files dropped on the window, or opened from outside and accepted, each to the room that
/// imports its kind.
fn route_files(v: &mut View, files: Vec<PathBuf>) {
    if files.is_empty() {
        return;
    }
    // Framework files (a content revision from the Secretariat) go to their own room.
    let (frameworks, files): (Vec<PathBuf>, Vec<PathBuf>) = files.into_iter().partition(|p| {
        p.extension().is_some_and(|x| x.eq_ignore_ascii_case(crate::exchange::framework_file::EXTENSION))
    });
    if !frameworks.is_empty() {
        v.send(crate::app::FrameworkCmd::Import(frameworks));
    }
    // Section and section answer files (issue 26) go to theirs, whatever the role.
    let (sections, files): (Vec<PathBuf>, Vec<PathBuf>) =
        files.into_iter().partition(|p| crate::exchange::section::is_section_path(p));
    if !sections.is_empty() {
        v.send(crate::app::SectionsCmd::Import(sections));
    }
    if !files.is_empty() && v.snap.settings.role == Some(Role::Secretariat) {
        v.send(ImportCmd::Files(files));
    } else if !files.is_empty() {
        // An administration: feedback files (and the Secretariat's card) are imported.
        v.out.extend(widgets::feedback::dropped(files));
    }
}

/// What a file opened from outside is, by its name (the import checks what it holds).
fn opened_kind(p: &std::path::Path) -> &'static str {
    use crate::exchange;
    let ext = p.extension().map(|x| x.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        e if e == exchange::EXTENSION => "opened.kind.return",
        e if e == exchange::feedback::EXTENSION => "opened.kind.feedback",
        e if e == exchange::framework_file::EXTENSION => "opened.kind.framework",
        e if e == exchange::card::EXTENSION => "opened.kind.card",
        e if e == exchange::section::SECTION_EXTENSION => "section.opened_kind",
        e if e == exchange::section::ANSWER_EXTENSION => "section.opened_kind_answer",
        _ => "opened.kind.other",
    }
}

/// Why a file of this kind is left aside by this installation's role (`None`: it imports it):
/// returns are the Secretariat's to import; feedback and the card an administration's.
fn not_here(kind: &str, role: Option<Role>) -> Option<&'static str> {
    let secretariat = role == Some(Role::Secretariat);
    match kind {
        "opened.kind.other" => Some("opened.not_here.other"),
        "opened.kind.return" if !secretariat => Some("opened.not_here.return"),
        "opened.kind.feedback" if secretariat => Some("opened.not_here.feedback"),
        "opened.kind.card" if secretariat => Some("opened.not_here.card"),
        _ => None,
    }
}

/// Files opened from outside (a double-click, `cdf-assess FILE`, one handed over by a second
/// start): what each is, and a question before anything is imported.
fn opened_ui(ctx: &egui::Context, v: &mut View, page: Page) {
    let snap = v.snap;
    if snap.opened.is_empty() || !snap.ready || snap.startup_error.is_some() || page == Page::Setup {
        return;
    }
    let t = v.lang();
    let role = snap.settings.role;
    let (mut import, mut forget) = (false, false);
    let wanted: Vec<PathBuf> =
        snap.opened.iter().filter(|p| not_here(opened_kind(p), role).is_none()).cloned().collect();
    egui::Window::new(t.t("opened.title"))
        .collapsible(false)
        .resizable(false)
        .anchor(egui::Align2::CENTER_TOP, [0.0, 64.0])
        .show(ctx, |ui| {
            for (i, p) in snap.opened.iter().enumerate() {
                if i > 0 {
                    ui.add_space(4.0);
                }
                let name = crate::exchange::clean_path(std::path::Path::new(p.file_name().unwrap_or_default()));
                let kind = opened_kind(p);
                ui.label(t.f("opened.file", &[("name", &name), ("kind", &t.t(kind))]));
                if let Some(why) = not_here(kind, role) {
                    ui.label(egui::RichText::new(t.t(why)).weak());
                }
            }
            ui.horizontal(|ui| {
                if wanted.is_empty() {
                    forget = ui.button(t.t("opened.close")).clicked();
                } else {
                    import = ui.button(t.t("opened.import")).clicked();
                    forget = ui.button(t.t("opened.not_now")).clicked();
                }
            });
            if !wanted.is_empty() {
                ui.label(egui::RichText::new(t.t("opened.help")).weak());
            }
        });
    if import {
        route_files(v, wanted);
    }
    if import || forget {
        v.send(app::Command::ForgetOpened);
    }
}

pub fn run(db: PathBuf, files: Vec<PathBuf>) -> anyhow::Result<()> {
    let title = crate::i18n::tr(app::desktop::system_lang(), "app.title").to_string();
    let start = |db: PathBuf| {
        let mut app = CdfApp::new(Client::open(db.clone(), app::Mode::Async));
        // Files opened from outside: those it was started with, and those handed over later.
        app.client.offer_files(files.clone());
        app.client.watch_inbox(db);
        app
    };
    let mut app = Some(start(db.clone()));
    // A released program makes its files open with a double-click, for this user (never a
    // development build: its path would stay registered).
    if !cfg!(debug_assertions)
        && let Ok(exe) = std::env::current_exe()
    {
        let t = app::desktop::system_lang();
        std::thread::spawn(move || {
            if let Err(e) = app::filetypes::register(&exe, t) {
                eprintln!("file types not registered: {e}");
            }
        });
    }
    #[cfg(unix)]
    if let Some(flush) = app.as_ref().and_then(|a| a.client.flusher()) {
        app::write_text_on_signal(flush);
    }
    // Inside the screen's work area, where it was last time if that still fits.
    let saved = app::desktop::load_window_state();
    let place = window::initial_window(window::work_area(saved.as_ref()), saved.as_ref());
    // The app's own icon in the title bar and the taskbar (eframe would show egui's).
    let icon = eframe::icon_data::from_png_bytes(include_bytes!("../../assets/icon.png")).ok().map(std::sync::Arc::new);
    let options = |renderer| {
        let mut viewport = egui::ViewportBuilder::default()
            .with_title(title.clone())
            .with_inner_size(place.size)
            .with_min_inner_size(place.min_size)
            .with_maximized(place.maximized);
        if let Some(pos) = place.pos {
            viewport = viewport.with_position(pos);
        }
        if let Some(icon) = &icon {
            viewport = viewport.with_icon(icon.clone());
        }
        eframe::NativeOptions { viewport, renderer, ..Default::default() }
    };
    // wgpu first; some old Windows machines (Remote Desktop, basic display driver) need the other.
    let first = eframe::run_native(
        &title,
        options(eframe::Renderer::Wgpu),
        Box::new(|cc| Ok(Box::new(hooked(cc, app.take().expect("app is created once"))))),
    );
    match first {
        Ok(()) => Ok(()),
        Err(e) => {
            eprintln!("wgpu renderer failed ({e}); trying OpenGL");
            // If the first attempt never built the app, it still holds the database: reuse it.
            let app = app.take().unwrap_or_else(|| start(db));
            eframe::run_native(
                &title,
                options(eframe::Renderer::Glow),
                Box::new(move |cc| Ok(Box::new(hooked(cc, app)))),
            )
            .map_err(|e| anyhow::anyhow!("cannot open a window: {e}"))
        }
    }
}

/// On Windows, the end of the session (logoff, shutdown) writes typed text first.
fn hooked(cc: &eframe::CreationContext<'_>, app: CdfApp) -> Windowed {
    #[cfg(windows)]
    if let Some(flush) = app.client.flusher() {
        endsession::write_text_at_end_session(cc, flush);
    }
    #[cfg(not(windows))]
    let _ = cc;
    Windowed { app, state: None }
}

/// The app in its window, which remembers its place and size at the close.
struct Windowed {
    app: CdfApp,
    state: Option<app::desktop::WindowState>,
}

impl eframe::App for Windowed {
    fn clear_color(&self, v: &egui::Visuals) -> [f32; 4] {
        widgets::theme::clear_color(v)
    }

    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        window::observe(ui.ctx(), &mut self.state);
        eframe::App::ui(&mut self.app, ui, frame);
    }

    fn on_exit(&mut self, gl: Option<&eframe::glow::Context>) {
        if let Some(s) = &self.state {
            app::desktop::save_window_state(s);
        }
        eframe::App::on_exit(&mut self.app, gl);
    }
}
