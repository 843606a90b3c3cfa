//! The e-mail that sends a file: subject and text in the user's language, the file to attach,
//! and the same as a `mailto:` link (which cannot attach it) for the fallback.

use super::model::{LastExport, Snapshot};
use crate::lang::Lang;

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

/// The subject and text of the e-mail that sends a return just written.
pub fn mail_parts(e: &LastExport, t: Lang) -> (String, String) {
    let member = crate::framework::member(&e.member).map(|m| m.name.get(t)).unwrap_or(&e.member);
    let subject = t.f("email.subject", &[("member", &member), ("cycle", &e.cycle), ("revision", &e.revision)]);
    let file = e.path.file_name().map(|f| f.to_string_lossy().to_string()).unwrap_or_default();
    let body = t.f("email.body", &[("member", &member), ("cycle", &e.cycle), ("file", &file)]);
    (subject, body)
}

/// A new message to open in the user's e-mail program, with files to attach
/// (`desktop::send_mail`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    /// Empty: the user fills it in.
    pub to: String,
    pub subject: String,
    pub body: String,
    pub files: Vec<std::path::PathBuf>,
}

impl Mail {
    /// The same message as a `mailto:` link: no attachment (RFC 6068 has none).
    pub fn mailto(&self) -> String {
        format!("mailto:{}?subject={}&body={}", self.to, percent_encode(&self.subject), percent_encode(&self.body))
    }
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
        let t = self.lang();
        let files: Vec<String> =
            w.files.iter().filter_map(|(_, p)| p.file_name().map(|f| f.to_string_lossy().to_string())).collect();
        let subject = t.f("feedback.email_subject", &[("cycle", &w.cycle)]);
        let body = t.f("feedback.email_body", &[("cycle", &w.cycle), ("files", &files.join(", "))]);
        Some(Mail { to: String::new(), subject, body, files: w.files.iter().map(|(_, p)| p.clone()).collect() })
    }
}
