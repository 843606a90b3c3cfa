//! The e-mail that sends a file: subject and text in the user's language, as a `mailto:` link.

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

/// A mailto: link with subject and body filled in for a return just written.
pub fn mailto(e: &LastExport, to: &str, t: Lang) -> String {
    let (subject, body) = mail_parts(e, t);
    format!("mailto:{}?subject={}&body={}", to, percent_encode(&subject), percent_encode(&body))
}

impl Snapshot {
    /// A mailto: link with subject and body filled in, for the last export.
    pub fn mailto(&self) -> Option<String> {
        let e = self.last_export.as_ref()?;
        Some(mailto(e, self.settings.secretariat_email.trim(), self.lang()))
    }

    /// A mailto: link for feedback just written to one member (the Secretariat attaches the file).
    pub fn feedback_mailto(&self) -> Option<String> {
        let w = self.feedback.written.as_ref()?;
        let t = self.lang();
        let files: Vec<String> =
            w.files.iter().filter_map(|(_, p)| p.file_name().map(|f| f.to_string_lossy().to_string())).collect();
        let subject = t.f("feedback.email_subject", &[("cycle", &w.cycle)]);
        let body = t.f("feedback.email_body", &[("cycle", &w.cycle), ("files", &files.join(", "))]);
        Some(format!("mailto:?subject={}&body={}", percent_encode(&subject), percent_encode(&body)))
    }
}
