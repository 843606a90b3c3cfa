//! The worker's feedback commands (issue 10): the Secretariat's review and feedback files, its
//! public card; a member's import of feedback and of the card.

use super::Worker;
use crate::app::command::{Command, Dest, Dialog, Event};
use crate::app::model::{Cause, Msg, Notice, Role};
use crate::app::review::{ReviewView, WrittenFeedback};
use crate::exchange::card::{Card, CardError};
use crate::exchange::feedback::{self, Refusal};
use crate::exchange::sign::PublicKey;
use crate::framework;
use std::path::PathBuf;
use std::sync::Arc;

/// The message key of a card that does not read.
fn card_error_key(e: &CardError) -> &'static str {
    match e {
        CardError::NotACard => "card.error.not_a_card",
        CardError::BadSigningKey => "card.error.bad_signing_key",
        CardError::BadRecipient => "card.error.bad_recipient",
        CardError::BadEmail => "card.error.bad_email",
    }
}

/// Text typed into a query or note, fit to keep: no control characters but new lines, at most
/// `feedback::REMARK_MAX` characters.
fn clean_remark(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_control() || *c == '\n')
        .take(feedback::REMARK_MAX)
        .collect::<String>()
        .trim()
        .to_string()
}

impl Worker {
    pub(super) fn feedback_command(&mut self, cmd: Command) {
        match cmd {
            Command::OpenReview(member) => self.open_review(&member),
            Command::SetReviewState { member, state } => {
                let Some(cycle) = self.sec.cycle else { return };
                if !feedback::STATES.contains(&state.as_str()) || framework::member(&member).is_none() {
                    return;
                }
                if let Err(e) = self.store.set_review_state(&member, cycle, &state) {
                    self.error(e);
                }
                self.open_review(&member);
                self.send_feedback_state();
            }
            Command::SetRemark { member, indicator, kind, text } => {
                let Some(cycle) = self.sec.cycle else { return };
                if !matches!(kind.as_str(), "query" | "note")
                    || framework::current().indicator(&indicator).is_none()
                    || framework::member(&member).is_none()
                {
                    return;
                }
                if let Err(e) = self.store.set_review_remark(&member, cycle, &indicator, &kind, &clean_remark(&text)) {
                    self.error(e);
                }
                self.open_review(&member);
                self.send_feedback_state();
            }
            Command::WriteFeedback { member, dest } => self.write_feedback(member, dest),
            Command::ExportCard { dest } => self.export_card(dest),
            Command::ImportFeedback(paths) => self.import_feedback(paths),
            Command::PickFeedback => self.dialog(Dialog::Import, || {
                rfd::FileDialog::new()
                    .add_filter("OCO feedback", &[feedback::EXTENSION])
                    .pick_files()
                    .map(Command::ImportFeedback)
            }),
            Command::ImportCardFile(path) => match crate::exchange::read_file_limited(&path) {
                Ok(bytes) => self.import_card(&String::from_utf8_lossy(&bytes)),
                Err(r) => self.notice(Notice::error(Msg::Rejected(r))),
            },
            Command::ImportCardText(text) => self.import_card(&text),
            Command::PickCard => self.dialog(Dialog::Import, || {
                rfd::FileDialog::new()
                    .add_filter("OCO card", &[crate::exchange::card::EXTENSION, "txt"])
                    .pick_file()
                    .map(Command::ImportCardFile)
            }),
            _ => {}
        }
    }

    /// Sends what the feedback pages show: the Secretariat's reviews of the cycle, or a member's
    /// feedback received.
    pub(super) fn send_feedback_state(&mut self) {
        if self.settings.role == Some(Role::Secretariat) {
            let rows = match self.sec.cycle {
                Some(c) => self.store.reviews(c).unwrap_or_default(),
                None => Vec::new(),
            };
            self.out.send(Event::Reviews(Arc::new(rows)));
        } else {
            match crate::feedback::views(&self.store) {
                Ok(v) => self.out.send(Event::FeedbackReceived(Arc::new(v))),
                Err(e) => self.error(e),
            }
        }
    }

    fn open_review(&mut self, member: &str) {
        let Some(cycle) = self.sec.cycle else { return };
        let requests = self
            .sec
            .consolidation
            .as_ref()
            .map(|c| c.requests.iter().filter(|r| r.member == member).cloned().collect())
            .unwrap_or_default();
        let view = (|| -> crate::store::Result<ReviewView> {
            Ok(ReviewView {
                member: member.to_string(),
                cycle,
                state: self.store.review_state(member, cycle)?,
                queries: self.store.review_remarks(member, cycle, "query")?,
                notes: self.store.review_remarks(member, cycle, "note")?,
                requests,
                receipts: self.store.receipts(member, cycle)?,
                written: self.store.last_feedback_issued(member, cycle)?.unwrap_or(0),
            })
        })();
        match view {
            Ok(v) => self.out.send(Event::Review(Some(Arc::new(v)))),
            Err(e) => self.error(e),
        }
    }

    fn write_feedback(&mut self, member: Option<String>, dest: Dest) {
        let (Some(cycle), Some(c)) = (self.sec.cycle, self.sec.consolidation.clone()) else { return };
        if let Dest::Ask { dir } = dest {
            match member {
                Some(m) => {
                    let n = self.store.last_feedback_issued(&m, cycle).ok().flatten().unwrap_or(0) + 1;
                    let name = format!("{m}_{cycle}_feedback_{n}.{}", feedback::EXTENSION);
                    self.ask(dir, name, Some(("OCO feedback", feedback::EXTENSION)), move |d| Command::WriteFeedback {
                        member: Some(m),
                        dest: d,
                    });
                }
                None => self.dialog(Dialog::Save, move || {
                    let dir = rfd::FileDialog::new().set_directory(&dir).pick_folder()?;
                    Some(Command::WriteFeedback { member: None, dest: Dest::Folder(dir) })
                }),
            }
            return;
        }
        let members = match &member {
            Some(m) => vec![m.clone()],
            None => match crate::secretariat::review::members_to_answer(&self.store, cycle) {
                Ok(list) => list,
                Err(e) => return self.error(e),
            },
        };
        if members.is_empty() {
            return self.info(Msg::key("feedback.nobody"));
        }
        let key = match self.signing_key() {
            Ok(k) => k,
            Err(e) => return self.notice(Notice::error(Msg::Failed("keys.failed", Vec::new(), e))),
        };
        let mut files = Vec::new();
        for m in members {
            let written = match crate::secretariat::review::write_feedback(&mut self.store, &c, &m, &key) {
                Ok(w) => w,
                Err(e) => return self.error(e),
            };
            let path = match &dest {
                Dest::Path(p) => p.clone(),
                Dest::Folder(dir) => dir.join(&written.file_name),
                Dest::Ask { .. } => return,
            };
            if let Err(e) = crate::app::files::write_atomically(&path, &written.bytes) {
                return self.notice(Notice::error(Msg::Failed(
                    "export.failed",
                    vec![("path", path.display().to_string())],
                    Cause::io(&e),
                )));
            }
            files.push((m, path));
        }
        let n = files.len();
        let first = files.first().map(|(_, p)| p.display().to_string()).unwrap_or_default();
        self.out.send(Event::FeedbackWritten(WrittenFeedback { cycle, files }));
        self.info(Msg::with("feedback.written", &[("n", &n), ("path", &first)]));
        if let Some(m) = member {
            self.open_review(&m);
        }
        self.send_feedback_state();
    }

    fn export_card(&mut self, dest: Dest) {
        if let Dest::Ask { dir } = dest {
            let name = crate::exchange::card::FILE_NAME.to_string();
            self.ask(dir, name, Some(("OCO card", crate::exchange::card::EXTENSION)), |d| Command::ExportCard {
                dest: d,
            });
            return;
        }
        let path = match dest {
            Dest::Path(p) => p,
            Dest::Folder(d) => d.join(crate::exchange::card::FILE_NAME),
            Dest::Ask { .. } => return,
        };
        let key = match self.signing_key() {
            Ok(k) => k,
            Err(e) => return self.notice(Notice::error(Msg::Failed("keys.failed", Vec::new(), e))),
        };
        let age_recipient = self
            .identity_path()
            .and_then(|p| std::fs::read_to_string(p).ok())
            .and_then(|t| crate::exchange::keys::public_of(&t).ok())
            .unwrap_or_default();
        let card = Card {
            signing_key: key.public().clone(),
            age_recipient,
            email: self.settings.secretariat_email.trim().to_string(),
        };
        match crate::app::files::write_atomically(&path, card.to_text().as_bytes()) {
            Ok(()) => self.info(Msg::with(
                "card.exported",
                &[("path", &path.display()), ("fingerprint", &card.signing_key.fingerprint())],
            )),
            Err(e) => self.notice(Notice::error(Msg::Failed(
                "export.failed",
                vec![("path", path.display().to_string())],
                Cause::io(&e),
            ))),
        }
    }

    fn import_card(&mut self, text: &str) {
        match Card::parse(text) {
            Ok(card) => {
                let held = (&self.settings.secretariat_signer, &self.settings.secretariat_key);
                if let Some(change) = crate::feedback::card_change(held.0, held.1, &card) {
                    return self.notice(Notice::error(Msg::Text(change.message(self.lang()))));
                }
                let mut s = self.settings.clone();
                s.secretariat_signer = card.signing_key.to_base64();
                if !card.age_recipient.is_empty() {
                    s.secretariat_key = card.age_recipient.clone();
                }
                if !card.email.is_empty() {
                    s.secretariat_email = card.email.clone();
                }
                self.save_settings(s);
                self.info(Msg::with("card.imported", &[("fingerprint", &card.signing_key.fingerprint())]));
            }
            Err(e) => self.notice(Notice::error(Msg::key(card_error_key(&e)))),
        }
    }

    fn import_feedback(&mut self, paths: Vec<PathBuf>) {
        let Some(member) = self.settings.member.clone().filter(|_| self.settings.role != Some(Role::Secretariat))
        else {
            return self.notice(Notice::error(Msg::key("feedback.not_administration")));
        };
        let card = PublicKey::parse(self.settings.secretariat_signer.trim()).ok();
        let mut last = None;
        for p in paths {
            last = Some(match crate::feedback::import_path(&mut self.store, &p, card.as_ref(), &member) {
                Ok(body) => Notice::info(Msg::with(
                    "feedback.imported",
                    &[("cycle", &body.cycle), ("queries", &body.queries.len())],
                )),
                Err(crate::feedback::ImportError::Refused(r)) => {
                    let older = matches!(r, Refusal::Older(..));
                    let n = Msg::FeedbackRefused(r);
                    if older { Notice::info(n) } else { Notice::error(n) }
                }
                Err(crate::feedback::ImportError::Store(e)) => Notice::error(Msg::Store(Arc::new(e))),
            });
        }
        self.send_feedback_state();
        if let Some(n) = last {
            self.notice(n);
        }
    }
}
