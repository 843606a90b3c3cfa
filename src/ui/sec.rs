//! The Secretariat's workspace state: background import, the register, the consolidation of a
//! cycle. Consolidation is computed after an import or a change of cycle, never per frame.

use super::state::{AppState, NoticeKind, Page};
use crate::secretariat::consolidate::{self, Consolidation};
use crate::secretariat::import::{self, FileResult, Outcome};
use crate::store::{ReceivedFile, Store};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, channel};

/// Messages from the import thread.
pub enum ImportMsg {
    File(FileResult),
    Done(Box<Store>),
}

/// An import running in the background. The store travels to the import thread and back.
pub struct ImportJob {
    pub total: usize,
    pub done: usize,
    pub cancel: Arc<AtomicBool>,
    rx: Receiver<ImportMsg>,
}

#[derive(Default)]
pub struct SecState {
    pub cycles: Vec<i32>,
    pub cycle: Option<i32>,
    /// Shared, so pages can hold it while drawing without copying it every frame.
    pub consolidation: Option<Arc<Consolidation>>,
    pub received: Vec<ReceivedFile>,
    /// Results of the imports of this session, newest first.
    pub results: Vec<FileResult>,
    pub job: Option<ImportJob>,
    /// Dashboard drill-down: members x indicators of this pillar.
    pub drill: Option<String>,
    /// Typed folder for machines without a file dialog.
    pub folder: String,
    /// A report being written in the background: the files written, or why not.
    pub report_job: Option<Receiver<Result<Vec<PathBuf>, String>>>,
}

/// The return files in a folder (not recursive), sorted.
pub fn returns_in(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x.eq_ignore_ascii_case(crate::exchange::EXTENSION)))
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

impl AppState {
    /// Reloads what the Secretariat pages show (after start, an import, a resolution).
    pub fn refresh_secretariat(&mut self) {
        let Some(store) = self.store.as_ref() else { return };
        let cycles = store.imported_cycles().unwrap_or_default();
        let received = store.received_files().unwrap_or_default();
        self.sec.cycles = cycles;
        self.sec.received = received;
        if self.sec.cycle.is_none_or(|c| !self.sec.cycles.contains(&c)) {
            self.sec.cycle = self.sec.cycles.first().copied();
        }
        self.refresh_list();
        self.consolidate();
    }

    pub fn consolidate(&mut self) {
        let Some(cycle) = self.sec.cycle else {
            self.sec.consolidation = None;
            return;
        };
        let result = match self.store.as_ref() {
            Some(store) => consolidate::consolidate(store, cycle),
            None => return,
        };
        match result {
            Ok(c) => self.sec.consolidation = Some(Arc::new(c)),
            Err(e) => self.error(&e),
        }
    }

    pub fn set_cycle(&mut self, cycle: i32) {
        if self.sec.cycle != Some(cycle) {
            self.sec.cycle = Some(cycle);
            self.consolidate();
        }
    }

    pub fn importing(&self) -> bool {
        self.sec.job.is_some()
    }

    /// Starts importing files in the background; the window stays responsive.
    pub fn start_import(&mut self, files: Vec<PathBuf>, ctx: &egui::Context) {
        if files.is_empty() || self.importing() {
            return;
        }
        // Everything that needs the store happens before it goes to the import thread.
        self.flush_text();
        let identities = self.identities();
        let t = self.lang();
        let Some(mut store) = self.store.take() else { return };
        let (tx, rx) = channel();
        let cancel = Arc::new(AtomicBool::new(false));
        let stop = cancel.clone();
        let total = files.len();
        let ctx = ctx.clone();
        std::thread::spawn(move || {
            for f in files {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                let r = import::import_path(&mut store, &f, &identities).unwrap_or_else(|e| {
                    FileResult::rejected(&f.display().to_string(), import::Reason::Other(e.message(t)))
                });
                let _ = tx.send(ImportMsg::File(r));
                ctx.request_repaint();
            }
            let _ = tx.send(ImportMsg::Done(Box::new(store)));
            ctx.request_repaint();
        });
        self.sec.job = Some(ImportJob { total, done: 0, cancel, rx });
        self.page = Page::Import;
    }

    /// Collects progress from the import thread (cheap: drains a channel). Returns true while running.
    pub fn poll_import(&mut self) -> bool {
        let Some(job) = self.sec.job.as_mut() else { return false };
        let mut finished = None;
        while let Ok(msg) = job.rx.try_recv() {
            match msg {
                ImportMsg::File(r) => {
                    job.done += 1;
                    self.sec.results.insert(0, r);
                }
                ImportMsg::Done(store) => finished = Some(store),
            }
        }
        if let Some(store) = finished {
            self.store = Some(*store);
            let job = self.sec.job.take().expect("job present");
            let t = self.lang();
            let rejected = self.sec.results.iter().take(job.done).filter(|r| r.outcome == Outcome::Rejected).count();
            let msg = t.f("import.summary", &[("done", &job.done), ("total", &job.total), ("rejected", &rejected)]);
            self.notice = Some((if rejected > 0 { NoticeKind::Error } else { NoticeKind::Info }, msg));
            self.refresh_secretariat();
            return false;
        }
        true
    }

    pub fn cancel_import(&mut self) {
        if let Some(job) = &self.sec.job {
            job.cancel.store(true, Ordering::Relaxed);
        }
    }

    /// Settles a conflict: keep the held revision, or let the conflicting file stand.
    pub fn resolve_conflict(&mut self, file_id: crate::ids::FileId, use_new: bool) {
        let ids = self.identities();
        let t = self.lang();
        let Some(store) = self.store.as_mut() else { return };
        let result = if use_new {
            match store.received_bytes(file_id) {
                Ok(bytes) => match crate::exchange::read(&bytes, &ids) {
                    Ok(v) => store.resolve_conflict(file_id, Some(&v.imported())).map_err(|e| e.message(t)),
                    Err(r) => Err(r.message(t)),
                },
                Err(e) => Err(e.message(t)),
            }
        } else {
            store.resolve_conflict(file_id, None).map_err(|e| e.message(t))
        };
        match result {
            Ok(()) => {
                self.info(t.t("register.resolved").to_string());
                self.refresh_secretariat();
            }
            Err(msg) => self.notice = Some((NoticeKind::Error, msg)),
        }
    }

    /// Opens a member's latest return of the cycle on the Results page, as the administration sees it.
    pub fn open_member(&mut self, member: &str) {
        let id = self
            .sec
            .consolidation
            .as_ref()
            .and_then(|c| c.members.iter().find(|m| m.member == member))
            .and_then(|m| m.assessment.as_ref())
            .map(|a| a.header.id);
        if let Some(id) = id {
            self.open(id);
            self.page = Page::Results;
        }
    }
}

impl AppState {
    pub fn export_regional_with_dialog(&mut self, format: crate::report::regional_files::Format, ctx: &egui::Context) {
        let Some(c) = self.sec.consolidation.as_ref() else { return };
        let name = crate::report::regional_files::default_name(c.cycle, format);
        if let Some(path) = self.ask_save_path(&name, None) {
            self.export_regional(format, path, ctx);
        }
    }

    pub fn export_regional_to_folder(&mut self, format: crate::report::regional_files::Format, ctx: &egui::Context) {
        let Some(c) = self.sec.consolidation.as_ref() else { return };
        let name = crate::report::regional_files::default_name(c.cycle, format);
        let path = self.path_in_export_folder(&name);
        self.export_regional(format, path, ctx);
    }

    /// Writes the report files in the background from the consolidation already in memory.
    pub fn export_regional(
        &mut self,
        format: crate::report::regional_files::Format,
        out: PathBuf,
        ctx: &egui::Context,
    ) {
        let Some(c) = self.sec.consolidation.clone() else { return };
        let t = self.lang();
        let (tx, rx) = channel();
        let ctx = ctx.clone();
        std::thread::spawn(move || {
            let result = crate::report::regional_files::files(&c, t, format, &out).and_then(|files| {
                let mut written = Vec::new();
                for (path, bytes) in files {
                    super::state::write_atomically(&path, &bytes)
                        .map_err(|e| t.f("export.failed", &[("path", &path.display()), ("detail", &e)]))?;
                    written.push(path);
                }
                Ok(written)
            });
            let _ = tx.send(result);
            ctx.request_repaint();
        });
        self.sec.report_job = Some(rx);
    }

    /// Collects a finished report job (cheap channel poll).
    pub fn poll_report(&mut self) {
        let Some(rx) = &self.sec.report_job else { return };
        let Ok(result) = rx.try_recv() else { return };
        self.sec.report_job = None;
        let t = self.lang();
        match result {
            Ok(paths) => {
                let list: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
                self.info(t.f("export.saved", &[("path", &list.join(", "))]));
            }
            Err(msg) => self.notice = Some((NoticeKind::Error, msg)),
        }
    }
}
