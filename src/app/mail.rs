//! The e-mail that sends a file: subject and text in the user's language, the file to attach,
//! and the same as a `mailto:` link (which cannot attach it) for the fallback.

pub use super::desktop::{Mail, percent_encode};
use super::model::{LastExport, Snapshot};
use crate::lang::Lang;

/// The subject and text of the e-mail that sends a return just written.
pub fn mail_parts(e: &LastExport, t: Lang) -> (String, String) {
    let member = crate::framework::member(&e.member).map(|m| m.name.get(t)).unwrap_or(&e.member);
    let subject = t.f("email.subject", &[("member", &member), ("cycle", &e.cycle), ("revision", &e.revision)]);
    let file = e.path.file_name().map(|f| f.to_string_lossy().to_string()).unwrap_or_default();
    let body = t.f("email.body", &[("member", &member), ("cycle", &e.cycle), ("file", &file)]);
    (subject, body)
}

impl Snapshot {
    /// A mailto: link with subject and body filled in, for the last export.
    pub fn mailto(&self) -> Option<String> {
        self.mail().map(|m| m.mailto())
    }

    /// The e-mail that sends the last export, the return file attached.
    pub fn mail(&self) -> Option<Mail> {
        let e = self.last_export.as_ref()?;
        let (subject, body) = mail_parts(e, self.lang());
        Some(Mail {
            to: self.settings.secretariat_email.trim().to_string(),
            subject,
            body,
            files: vec![e.path.clone()],
        })
    }

    /// The e-mail for the feedback files just written (the Secretariat addresses it).
    pub fn feedback_mail(&self) -> Option<Mail> {
        let w = self.feedback.written.as_ref()?;
        let files: Vec<std::path::PathBuf> = w.files.iter().map(|(_, p)| p.clone()).collect();
        let (subject, body) = feedback_mail_parts(w.cycle, &files, self.lang());
        Some(Mail { to: String::new(), subject, body, files })
    }
}

/// The subject and text of the e-mail that sends feedback files of a cycle.
pub fn feedback_mail_parts(cycle: i32, files: &[std::path::PathBuf], t: Lang) -> (String, String) {
    let names: Vec<String> =
        files.iter().filter_map(|p| p.file_name().map(|f| f.to_string_lossy().to_string())).collect();
    let subject = t.f("feedback.email_subject", &[("cycle", &cycle)]);
    let body = t.f("feedback.email_body", &[("cycle", &cycle), ("files", &names.join(", "))]);
    (subject, body)
}
