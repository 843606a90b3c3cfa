//! Application state, separate from the pages that draw it. Pages call these methods; this is
//! where changes go to the store (never SQL here: the store owns it) and derived values are
//! recomputed, once per change, never per frame.

use crate::assessment::{
    Answer, Assessment, Commitment, Confidence, NeedCategory, NewAssessment, ResponseChange, Status, Summary,
};
use crate::framework::{self, Framework, Profile};
use crate::i18n::Lang;
use crate::scoring::{self, Comparison, Scores};
use crate::store::{Store, StoreError};
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Administration,
    Secretariat,
}

impl Role {
    pub fn code(self) -> &'static str {
        match self {
            Role::Administration => "administration",
            Role::Secretariat => "secretariat",
        }
    }
    pub fn from_code(s: &str) -> Option<Role> {
        match s {
            "administration" => Some(Role::Administration),
            "secretariat" => Some(Role::Secretariat),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThemeChoice {
    Light,
    Dark,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    Setup,
    Home,
    Assess,
    Profile,
    Finalise,
    Results,
    Settings,
    Import,
    Register,
    Dashboard,
    Monitoring,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub lang: Lang,
    pub role: Option<Role>,
    pub member: Option<String>,
    pub theme: ThemeChoice,
    pub ui_scale: f32,
    pub secretariat_email: String,
    /// The Secretariat's public key (`age1...`): returns are encrypted to it when set.
    pub secretariat_key: String,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            lang: system_lang(),
            role: None,
            member: None,
            theme: ThemeChoice::Light,
            ui_scale: 1.0,
            secretariat_email: String::new(),
            secretariat_key: String::new(),
        }
    }
}

/// French if the system says so (used before any setting can be read).
pub fn system_lang() -> Lang {
    let env = ["LC_ALL", "LC_MESSAGES", "LANG"].iter().find_map(|k| std::env::var(k).ok().filter(|v| !v.is_empty()));
    match env {
        Some(v) if v.to_lowercase().starts_with("fr") => Lang::Fr,
        _ => Lang::En,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    Info,
    Error,
}

/// Progress of one assessment: answered / total per pillar (framework order) and overall.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Progress {
    pub pillars: Vec<(String, usize, usize)>,
    pub answered: usize,
    pub total: usize,
}

impl Progress {
    pub fn of(fw: &Framework, a: &Assessment) -> Progress {
        let mut p = Progress::default();
        for pillar in &fw.meta.pillars {
            let codes: Vec<&str> = fw.indicators_of(&pillar.code).map(|i| i.code.as_str()).collect();
            let answered =
                a.responses.iter().filter(|r| codes.contains(&r.indicator.as_str()) && r.answer.is_answered()).count();
            p.pillars.push((pillar.code.clone(), answered, codes.len()));
            p.answered += answered;
            p.total += codes.len();
        }
        p
    }

    pub fn fraction(&self) -> f32 {
        if self.total == 0 { 0.0 } else { self.answered as f32 / self.total as f32 }
    }
}

/// An assessment open for work.
pub struct Session {
    pub data: Assessment,
    pub current: usize,
    pub progress: Progress,
    /// Recomputed when an answer changes, never per frame.
    pub scores: Scores,
    /// The same member's previous cycle (latest revision), for comparison.
    pub previous: Option<Previous>,
    /// Text being typed for the current indicator; written after a pause, on leaving, or on exit.
    pub evidence: String,
    pub comment: String,
    pub text_dirty_since: Option<Instant>,
}

impl Session {
    pub fn framework(&self) -> &'static Framework {
        framework::get(self.data.header.framework_version).unwrap_or_else(framework::current)
    }

    pub fn read_only(&self) -> bool {
        self.data.header.status == Status::Finalised || self.data.header.imported
    }

    /// Recomputes scores and the comparison after a change.
    pub fn rescore(&mut self) {
        self.scores = scoring::score(self.framework(), &self.data.responses);
        if let Some(p) = self.previous.as_mut() {
            p.comparison = scoring::compare(&p.scores, &self.scores);
        }
    }

    pub fn indicator_code(&self) -> &str {
        &self.data.responses[self.current].indicator
    }
}

/// The assessment a comparison is made against.
pub struct Previous {
    pub cycle: i32,
    pub revision: u32,
    pub scores: Scores,
    pub comparison: Comparison,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GapSort {
    Priority,
    Gap,
    Code,
    Pillar,
}

/// Filters and sort of the gap list, and the export form of the Results page.
#[derive(Debug, Clone)]
pub struct ResultsView {
    pub pillar: Option<String>,
    pub area: Option<String>,
    pub intervention: Option<String>,
    pub sort: GapSort,
    pub export_dir: String,
}

impl Default for ResultsView {
    fn default() -> Self {
        let dir = directories::UserDirs::new()
            .and_then(|u| u.document_dir().map(|d| d.to_path_buf()))
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_default();
        ResultsView {
            pillar: None,
            area: None,
            intervention: None,
            sort: GapSort::Priority,
            export_dir: dir.display().to_string(),
        }
    }
}

/// The form that starts a new assessment.
#[derive(Debug, Clone, Default)]
pub struct NewForm {
    pub open: bool,
    pub cycle: String,
    pub assessor_name: String,
    pub assessor_role: String,
}

pub struct AppState {
    /// `None` while a background import holds it (or if the database could not be opened).
    pub(super) store: Option<Store>,
    /// Why the database could not be opened; the app then shows only that, and touches nothing.
    /// (Kept as the error, so its message follows a change of language.)
    pub startup_error: Option<StoreError>,
    pub settings: Settings,
    pub page: Page,
    pub list: Vec<Summary>,
    pub session: Option<Session>,
    pub notice: Option<(NoticeKind, String)>,
    pub new_form: NewForm,
    pub approver: String,
    pub results: ResultsView,
    /// The last return written, for the "how to send it" panel.
    pub last_export: Option<LastExport>,
    /// The Secretariat's own public key, once its key pair exists.
    pub own_public_key: Option<String>,
    /// The Secretariat's workspace.
    pub sec: super::sec::SecState,
    /// Set when theme/scale/language changed, so the frame applies them once.
    pub style_dirty: bool,
}

/// Pause after the last keystroke before typed text is written.
pub const TEXT_SAVE_DELAY: Duration = Duration::from_millis(800);

impl AppState {
    /// Opens the state over an opened store, or over the error that prevented it.
    pub fn new(store: Result<Store, StoreError>) -> AppState {
        let mut state = AppState {
            store: None,
            startup_error: None,
            settings: Settings::default(),
            page: Page::Setup,
            list: Vec::new(),
            session: None,
            notice: None,
            new_form: NewForm::default(),
            approver: String::new(),
            results: ResultsView::default(),
            last_export: None,
            own_public_key: None,
            sec: Default::default(),
            style_dirty: true,
        };
        match store {
            Ok(store) => {
                state.store = Some(store);
                state.load_settings();
                state.own_public_key = state
                    .identity_path()
                    .and_then(|p| std::fs::read_to_string(p).ok())
                    .and_then(|t| crate::exchange::keys::public_of(&t).ok());
                state.page = if state.setup_done() { Page::Home } else { Page::Setup };
                state.refresh_list();
                if state.settings.role == Some(Role::Secretariat) {
                    state.refresh_secretariat();
                    if state.page == Page::Home {
                        state.page = Page::Dashboard;
                    }
                }
            }
            Err(e) => state.startup_error = Some(e),
        }
        state
    }

    pub fn lang(&self) -> Lang {
        self.settings.lang
    }

    pub fn db_path(&self) -> Option<String> {
        self.store.as_ref().map(|s| s.path().display().to_string())
    }

    fn load_settings(&mut self) {
        let Some(store) = &self.store else { return };
        let get = |k: &str| store.setting(k).ok().flatten();
        if let Some(l) = get("lang").and_then(|v| Lang::from_code(&v)) {
            self.settings.lang = l;
        }
        self.settings.role = get("role").and_then(|v| Role::from_code(&v));
        self.settings.member = get("member").filter(|m| framework::member(m).is_some());
        self.settings.theme =
            if get("theme").as_deref() == Some("dark") { ThemeChoice::Dark } else { ThemeChoice::Light };
        self.settings.ui_scale =
            get("ui_scale").and_then(|v| v.parse().ok()).filter(|s| (0.75..=2.0).contains(s)).unwrap_or(1.0);
        self.settings.secretariat_email = get("secretariat_email").unwrap_or_default();
        self.settings.secretariat_key = get("secretariat_key").unwrap_or_default();
    }

    pub fn setup_done(&self) -> bool {
        match self.settings.role {
            Some(Role::Administration) => self.settings.member.is_some(),
            Some(Role::Secretariat) => true,
            None => false,
        }
    }

    /// Saves every setting (one small write each); reports a failure without losing the choice.
    pub fn save_settings(&mut self) {
        self.style_dirty = true;
        let s = self.settings.clone();
        let pairs = [
            ("lang", s.lang.code().to_string()),
            ("role", s.role.map(|r| r.code().to_string()).unwrap_or_default()),
            ("member", s.member.clone().unwrap_or_default()),
            ("theme", if s.theme == ThemeChoice::Dark { "dark" } else { "light" }.to_string()),
            ("ui_scale", format!("{:.2}", s.ui_scale)),
            ("secretariat_email", s.secretariat_email.clone()),
            ("secretariat_key", s.secretariat_key.trim().to_string()),
        ];
        for (k, v) in pairs {
            if let Err(e) = self.with_store(|st| st.set_setting(k, &v)) {
                self.error(&e);
                return;
            }
        }
    }

    pub fn set_lang(&mut self, lang: Lang) {
        if self.settings.lang != lang {
            self.settings.lang = lang;
            self.save_settings();
        }
    }

    /// Completes first-run setup.
    pub fn finish_setup(&mut self) {
        if self.setup_done() {
            self.save_settings();
            self.page = Page::Home;
            if self.settings.role == Some(Role::Secretariat) {
                self.refresh_secretariat();
                self.page = Page::Dashboard;
            }
        }
    }

    pub(super) fn with_store<T>(
        &mut self,
        f: impl FnOnce(&mut Store) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        match self.store.as_mut() {
            Some(s) => f(s),
            None => Err(StoreError::Busy),
        }
    }

    pub(super) fn error(&mut self, e: &StoreError) {
        self.notice = Some((NoticeKind::Error, e.message(self.lang())));
    }

    pub fn info(&mut self, text: String) {
        self.notice = Some((NoticeKind::Info, text));
    }

    pub fn refresh_list(&mut self) {
        match self.with_store(|s| s.list()) {
            Ok(list) => self.list = list,
            Err(e) => self.error(&e),
        }
    }

    /// The assessments of this administration (or all, for the Secretariat).
    pub fn visible_list(&self) -> impl Iterator<Item = &Summary> {
        let member = self.settings.member.clone();
        let admin = self.settings.role == Some(Role::Administration);
        self.list.iter().filter(move |s| !admin || Some(&s.header.member) == member.as_ref())
    }

    pub fn open_new_form(&mut self) {
        let year = chrono::Datelike::year(&chrono::Local::now());
        self.new_form = NewForm { open: true, cycle: year.to_string(), ..NewForm::default() };
    }

    /// Validates the new-assessment form; the message key of the first problem.
    pub fn new_form_problem(&self) -> Option<&'static str> {
        let f = &self.new_form;
        match f.cycle.trim().parse::<i32>() {
            Ok(y) if (2000..=2100).contains(&y) => {}
            _ => return Some("new.bad_cycle"),
        }
        if f.assessor_name.trim().is_empty() {
            return Some("new.need_name");
        }
        if self.settings.member.is_none() {
            return Some("new.need_member");
        }
        None
    }

    pub fn create_assessment(&mut self) {
        if self.new_form_problem().is_some() {
            return;
        }
        let Some(member) = self.settings.member.clone() else { return };
        let new = NewAssessment {
            member,
            cycle: self.new_form.cycle.trim().parse().unwrap_or_default(),
            assessor_name: self.new_form.assessor_name.trim().to_string(),
            assessor_role: self.new_form.assessor_role.trim().to_string(),
            language: self.lang().code().to_string(),
        };
        match self.with_store(|s| s.create_assessment(&new)) {
            Ok(id) => {
                self.new_form.open = false;
                self.refresh_list();
                self.open(id);
            }
            Err(e) => self.error(&e),
        }
    }

    /// Loads an assessment and goes to its first unanswered indicator.
    pub fn open(&mut self, id: crate::ids::AssessmentId) {
        self.flush_text();
        match self.with_store(|s| s.load(id)) {
            Ok(data) => {
                let fw = framework::get(data.header.framework_version).unwrap_or_else(framework::current);
                let progress = Progress::of(fw, &data);
                let current = data.responses.iter().position(|r| !r.answer.is_answered()).unwrap_or(0);
                let scores = scoring::score(fw, &data.responses);
                let previous = self.previous_of(&data, &scores);
                let mut session = Session {
                    data,
                    current,
                    progress,
                    scores,
                    previous,
                    evidence: String::new(),
                    comment: String::new(),
                    text_dirty_since: None,
                };
                load_text(&mut session);
                self.session = Some(session);
                self.page = Page::Assess;
                self.approver.clear();
            }
            Err(e) => self.error(&e),
        }
    }

    /// The latest revision of the same member's most recent earlier cycle, scored.
    fn previous_of(&mut self, data: &Assessment, now: &Scores) -> Option<Previous> {
        let h = &data.header;
        let prev = self
            .list
            .iter()
            .filter(|r| r.header.member == h.member && r.header.cycle < h.cycle)
            .max_by_key(|r| (r.header.cycle, r.header.revision))?
            .header
            .clone();
        let a = self.with_store(|s| s.load(prev.id)).ok()?;
        let fw = framework::get(a.header.framework_version)?;
        let scores = scoring::score(fw, &a.responses);
        let comparison = scoring::compare(&scores, now);
        Some(Previous { cycle: prev.cycle, revision: prev.revision, scores, comparison })
    }

    /// Sets the need category of a gap (A act now alone, B needs time, C needs time and assistance).
    pub fn set_need_of(&mut self, indicator: &str, need: Option<NeedCategory>) {
        let Some(i) =
            self.session.as_ref().and_then(|s| s.data.responses.iter().position(|r| r.indicator == indicator))
        else {
            return;
        };
        self.change_at(i, ResponseChange::Need(need));
    }

    /// Reloads the open assessment from the store (after an error, so screen and disk agree).
    fn reload(&mut self) {
        if let Some(id) = self.session.as_ref().map(|s| s.data.header.id) {
            let current = self.session.as_ref().map(|s| s.current).unwrap_or(0);
            if let Ok(data) = self.with_store(|s| s.load(id))
                && let Some(s) = self.session.as_mut()
            {
                s.data = data;
                s.current = current.min(s.data.responses.len().saturating_sub(1));
                s.progress = Progress::of(s.framework(), &s.data);
                s.rescore();
                load_text(s);
            }
        }
    }

    /// Writes one change of the current indicator, then updates memory and progress.
    /// Writes one change of the current indicator.
    pub fn change(&mut self, change: ResponseChange) {
        if let Some(idx) = self.session.as_ref().map(|s| s.current) {
            self.change_at(idx, change);
        }
    }

    /// Writes one change of the indicator at `idx`, then updates memory, progress and scores.
    pub fn change_at(&mut self, idx: usize, change: ResponseChange) {
        let Some(s) = self.session.as_ref() else { return };
        if s.read_only() || idx >= s.data.responses.len() {
            return;
        }
        let id = s.data.header.id;
        let code = s.data.responses[idx].indicator.clone();
        match self.with_store(|st| st.update_response(id, &code, &change)) {
            Ok(()) => {
                if let Some(s) = self.session.as_mut() {
                    let r = &mut s.data.responses[idx];
                    match change {
                        ResponseChange::Answer(a) => r.answer = a,
                        ResponseChange::Target(t) => r.target = t,
                        ResponseChange::Confidence(c) => r.confidence = c,
                        ResponseChange::Commitment(c) => r.commitment = c,
                        ResponseChange::Evidence(t) => r.evidence = t,
                        ResponseChange::Comment(t) => r.comment = t,
                        ResponseChange::Need(n) => r.need = n,
                    }
                    s.progress = Progress::of(s.framework(), &s.data);
                    s.rescore();
                }
                self.after_write();
            }
            Err(e) => {
                self.error(&e);
                self.reload();
            }
        }
    }

    fn after_write(&mut self) {
        // Keep the list's progress figures right without re-querying on every frame.
        if let Some(s) = &self.session {
            let id = s.data.header.id;
            let answered = s.progress.answered;
            if let Some(row) = self.list.iter_mut().find(|r| r.header.id == id) {
                row.answered = answered;
            }
        }
    }

    pub fn set_answer(&mut self, a: Answer) {
        self.change(ResponseChange::Answer(a));
    }
    pub fn set_target(&mut self, t: u8) {
        self.change(ResponseChange::Target(t));
    }
    pub fn set_confidence(&mut self, c: Option<Confidence>) {
        self.change(ResponseChange::Confidence(c));
    }
    pub fn set_commitment(&mut self, c: Option<Commitment>) {
        self.change(ResponseChange::Commitment(c));
    }
    pub fn set_need(&mut self, n: Option<NeedCategory>) {
        self.change(ResponseChange::Need(n));
    }

    /// Notes that the text buffers changed; they are written after a short pause.
    pub fn text_edited(&mut self) {
        if let Some(s) = self.session.as_mut() {
            s.text_dirty_since = Some(Instant::now());
        }
    }

    /// Writes pending typed text if the pause has passed. Returns true while text is pending.
    pub fn tick(&mut self) -> bool {
        let due = self.session.as_ref().and_then(|s| s.text_dirty_since).map(|t| t.elapsed() >= TEXT_SAVE_DELAY);
        match due {
            Some(true) => {
                self.flush_text();
                false
            }
            Some(false) => true,
            None => false,
        }
    }

    /// Writes the typed evidence note and comment of the current indicator, if changed.
    pub fn flush_text(&mut self) {
        let Some(s) = self.session.as_mut() else { return };
        if s.text_dirty_since.take().is_none() {
            return;
        }
        let r = &s.data.responses[s.current];
        let (ev, cm) = (s.evidence.clone(), s.comment.clone());
        let ev_changed = r.evidence != ev;
        let cm_changed = r.comment != cm;
        if ev_changed {
            self.change(ResponseChange::Evidence(ev));
        }
        if cm_changed {
            self.change(ResponseChange::Comment(cm));
        }
    }

    /// Moves to another indicator (saving typed text first).
    pub fn go_to(&mut self, index: usize) {
        self.flush_text();
        if let Some(s) = self.session.as_mut()
            && index < s.data.responses.len()
        {
            s.current = index;
            load_text(s);
        }
    }

    pub fn next(&mut self) {
        if let Some(i) = self.session.as_ref().map(|s| s.current + 1) {
            self.go_to(i);
        }
    }

    pub fn previous(&mut self) {
        if let Some(i) = self.session.as_ref().and_then(|s| s.current.checked_sub(1)) {
            self.go_to(i);
        }
    }

    pub fn go(&mut self, page: Page) {
        self.flush_text();
        self.page = page;
    }

    pub fn update_profile(&mut self, profile: Profile) {
        let Some(s) = self.session.as_ref() else { return };
        if s.read_only() {
            return;
        }
        let id = s.data.header.id;
        match self.with_store(|st| st.update_profile(id, &profile)) {
            Ok(()) => {
                if let Some(s) = self.session.as_mut() {
                    s.data.profile = profile;
                }
            }
            Err(e) => {
                self.error(&e);
                self.reload();
            }
        }
    }

    pub fn update_assessor(&mut self, name: String, role: String) {
        let Some(s) = self.session.as_ref() else { return };
        if s.read_only() {
            return;
        }
        let id = s.data.header.id;
        match self.with_store(|st| st.update_assessor(id, &name, &role)) {
            Ok(()) => {
                if let Some(s) = self.session.as_mut() {
                    s.data.header.assessor_name = name;
                    s.data.header.assessor_role = role;
                }
            }
            Err(e) => self.error(&e),
        }
    }

    pub fn finalise(&mut self) {
        self.flush_text();
        let Some(id) = self.session.as_ref().map(|s| s.data.header.id) else { return };
        let approver = self.approver.trim().to_string();
        match self.with_store(|st| st.finalise(id, &approver)) {
            Ok(()) => {
                self.refresh_list();
                self.open(id);
                self.page = Page::Finalise;
                let msg = self.lang().t("finalise.done").to_string();
                self.info(msg);
            }
            Err(e) => self.error(&e),
        }
    }

    pub fn start_revision(&mut self) {
        let Some(id) = self.session.as_ref().map(|s| s.data.header.id) else { return };
        match self.with_store(|st| st.start_revision(id)) {
            Ok(new_id) => {
                self.refresh_list();
                self.open(new_id);
            }
            Err(e) => self.error(&e),
        }
    }

    /// True if a newer revision of the open assessment exists (then no new revision from this one).
    pub fn has_newer_revision(&self) -> bool {
        let Some(s) = &self.session else { return false };
        self.list.iter().any(|r| r.header.uuid == s.data.header.uuid && r.header.revision > s.data.header.revision)
    }

    pub fn delete_draft(&mut self, id: crate::ids::AssessmentId) {
        if self.session.as_ref().map(|s| s.data.header.id) == Some(id) {
            self.session = None;
        }
        match self.with_store(|st| st.delete_draft(id)) {
            Ok(()) => self.refresh_list(),
            Err(e) => self.error(&e),
        }
    }
}

fn load_text(s: &mut Session) {
    let r = &s.data.responses[s.current];
    s.evidence = r.evidence.clone();
    s.comment = r.comment.clone();
    s.text_dirty_since = None;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportKind {
    Pdf,
    Csv,
}

impl AppState {
    /// "FJ_2026_r1_results.pdf" or "FJ_2026_r1_responses.csv".
    pub fn export_file_name(&self, kind: ExportKind) -> Option<String> {
        let h = &self.session.as_ref()?.data.header;
        Some(match kind {
            ExportKind::Pdf => format!("{}_{}_r{}_results.pdf", h.member, h.cycle, h.revision),
            ExportKind::Csv => format!("{}_{}_r{}_responses.csv", h.member, h.cycle, h.revision),
        })
    }

    /// The file's bytes, made from what is in memory (no query).
    pub fn export_bytes(&self, kind: ExportKind) -> Result<Vec<u8>, String> {
        let s = self.session.as_ref().ok_or_else(|| "no assessment".to_string())?;
        let fw = s.framework();
        let t = self.lang();
        match kind {
            ExportKind::Csv => crate::report::csv::responses_csv(fw, &s.data, &s.scores, t).map_err(|e| e.to_string()),
            ExportKind::Pdf => {
                let prev = s.previous.as_ref().map(|p| (p.cycle, &p.scores, &p.comparison));
                let doc = crate::report::results::results_doc(fw, &s.data, &s.scores, prev, t);
                crate::report::pdf::render(&doc).map_err(|e| e.to_string())
            }
        }
    }

    /// Asks where to save with the system's dialog; cancelling does nothing.
    pub fn export_results_with_dialog(&mut self, kind: ExportKind) {
        let Some(name) = self.export_file_name(kind) else { return };
        let (filter, ext) = match kind {
            ExportKind::Pdf => ("PDF", "pdf"),
            ExportKind::Csv => ("CSV", "csv"),
        };
        if let Some(path) = self.ask_save_path(&name, Some((filter, ext))) {
            self.write_export(&path, kind);
        }
    }

    /// The system's save dialog, opened in the export folder (remembered for next time).
    /// `None` when cancelled, or when the system has no dialog (the pages then offer a folder field).
    pub fn ask_save_path(&mut self, name: &str, filter: Option<(&str, &str)>) -> Option<std::path::PathBuf> {
        let mut dialog = rfd::FileDialog::new().set_directory(&self.results.export_dir).set_file_name(name);
        if let Some((label, ext)) = filter {
            dialog = dialog.add_filter(label, &[ext]);
        }
        let path = dialog.save_file()?;
        if let Some(dir) = path.parent() {
            self.results.export_dir = dir.display().to_string();
        }
        Some(path)
    }

    /// `name` in the folder typed on the page.
    pub fn path_in_export_folder(&self, name: &str) -> std::path::PathBuf {
        std::path::Path::new(self.results.export_dir.trim()).join(name)
    }

    /// Saves into the folder typed on the page (for machines without a file dialog).
    pub fn export_results_to_folder(&mut self, kind: ExportKind) {
        let Some(name) = self.export_file_name(kind) else { return };
        let path = self.path_in_export_folder(&name);
        self.write_export(&path, kind);
    }

    fn write_export(&mut self, path: &std::path::Path, kind: ExportKind) {
        let t = self.lang();
        let result =
            self.export_bytes(kind).and_then(|bytes| write_atomically(path, &bytes).map_err(|e| e.to_string()));
        match result {
            Ok(()) => self.info(t.f("export.saved", &[("path", &path.display())])),
            Err(e) => {
                self.notice =
                    Some((NoticeKind::Error, t.f("export.failed", &[("path", &path.display()), ("detail", &e)])))
            }
        }
    }
}

/// Writes to a temporary file beside `path`, then renames it: a full disk never leaves half a file
/// in place of a good one.
pub fn write_atomically(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
    let mut tmp = tempfile_in(dir)?;
    let result = (|| {
        tmp.1.write_all(bytes)?;
        tmp.1.sync_all()?;
        std::fs::rename(&tmp.0, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp.0);
    }
    result
}

fn tempfile_in(dir: &std::path::Path) -> std::io::Result<(std::path::PathBuf, std::fs::File)> {
    for i in 0..100u32 {
        let p = dir.join(format!(".cdf-assess-{}-{i}.tmp", std::process::id()));
        match std::fs::OpenOptions::new().write(true).create_new(true).open(&p) {
            Ok(f) => return Ok((p, f)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::other("cannot create a temporary file"))
}

/// A return just written.
#[derive(Debug, Clone, PartialEq)]
pub struct LastExport {
    pub path: std::path::PathBuf,
    pub size: usize,
    pub encrypted: bool,
    pub member: String,
    pub cycle: i32,
    pub revision: u32,
}

impl AppState {
    /// True if the Secretariat key in Settings is a valid `age1...` key.
    pub fn secretariat_key_valid(&self) -> bool {
        crate::exchange::keys::parse_recipient(&self.settings.secretariat_key).is_ok()
    }

    pub fn return_file_name(&self) -> Option<String> {
        let h = &self.session.as_ref()?.data.header;
        Some(format!("{}_{}_r{}.{}", h.member, h.cycle, h.revision, crate::exchange::EXTENSION))
    }

    pub fn export_return_with_dialog(&mut self) {
        let Some(name) = self.return_file_name() else { return };
        if let Some(path) = self.ask_save_path(&name, Some(("OCO return", crate::exchange::EXTENSION))) {
            self.export_return_to(&path);
        }
    }

    pub fn export_return_to_folder(&mut self) {
        let Some(name) = self.return_file_name() else { return };
        let path = self.path_in_export_folder(&name);
        self.export_return_to(&path);
    }

    /// Writes the return of the open (finalised) revision, encrypted if a key is set.
    pub fn export_return_to(&mut self, path: &std::path::Path) {
        let t = self.lang();
        let Some(id) = self.session.as_ref().map(|s| s.data.header.id) else { return };
        let key = self.settings.secretariat_key.trim().to_string();
        let recipient = crate::exchange::keys::parse_recipient(&key).ok();
        let Some(store) = self.store.as_ref() else { return };
        let result = store
            .revision_chain(id)
            .map_err(|e| e.to_string())
            .and_then(|chain| crate::exchange::export::export(&chain, recipient.as_deref()).map_err(|e| e.to_string()))
            .and_then(|e| write_atomically(path, &e.bytes).map(|_| e).map_err(|e| e.to_string()));
        match result {
            Ok(e) => {
                let h = &self.session.as_ref().expect("open").data.header;
                self.last_export = Some(LastExport {
                    path: path.to_path_buf(),
                    size: e.bytes.len(),
                    encrypted: e.encrypted,
                    member: h.member.clone(),
                    cycle: h.cycle,
                    revision: h.revision,
                });
                self.info(t.f("export.saved", &[("path", &path.display())]));
            }
            Err(e) => {
                self.notice =
                    Some((NoticeKind::Error, t.f("export.failed", &[("path", &path.display()), ("detail", &e)])))
            }
        }
    }

    /// A mailto: link with subject and body filled in, for the last export.
    pub fn mailto(&self) -> Option<String> {
        let e = self.last_export.as_ref()?;
        let t = self.lang();
        let member = crate::framework::member(&e.member).map(|m| m.name.get(t)).unwrap_or(&e.member);
        let subject = t.f("email.subject", &[("member", &member), ("cycle", &e.cycle), ("revision", &e.revision)]);
        let file = e.path.file_name().map(|f| f.to_string_lossy().to_string()).unwrap_or_default();
        let body = t.f("email.body", &[("member", &member), ("cycle", &e.cycle), ("file", &file)]);
        Some(format!(
            "mailto:{}?subject={}&body={}",
            self.settings.secretariat_email.trim(),
            percent_encode(&subject),
            percent_encode(&body)
        ))
    }

    /// Where the Secretariat's identity file lives: beside the database.
    pub fn identity_path(&self) -> Option<std::path::PathBuf> {
        let db = self.store.as_ref()?.path();
        if db.as_os_str() == ":memory:" {
            return None;
        }
        Some(db.with_file_name("secretariat-identity.txt"))
    }

    /// Creates the Secretariat's key pair (never replaces an existing one).
    pub fn generate_keypair(&mut self) {
        let t = self.lang();
        let Some(path) = self.identity_path() else { return };
        let (text, public) = crate::exchange::keys::generate();
        match crate::exchange::keys::write_identity_file(&path, &text) {
            Ok(()) => {
                self.own_public_key = Some(public);
                self.info(t.f("keys.created", &[("path", &path.display())]));
            }
            Err(e) => self.notice = Some((NoticeKind::Error, t.f("keys.failed", &[("detail", &e)]))),
        }
    }

    /// The Secretariat's identities for opening encrypted returns (none if no key pair).
    pub fn identities(&self) -> Vec<age::x25519::Identity> {
        self.identity_path().and_then(|p| crate::exchange::keys::load_identities(&p).ok()).unwrap_or_default()
    }
}

/// Percent-encoding for a mailto: query value (RFC 6068).
pub fn percent_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}
