//! Messages kept as data (`Msg`, `Cause`, `Notice`) and put into words only when they are drawn,
//! in the language of that moment ([`Words`]).

use crate::lang::{Lang, Words};
use crate::store::StoreError;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    Info,
    Error,
}

/// A message kept as data and put into words only when shown, so it follows the language.
#[derive(Debug, Clone)]
pub enum Msg {
    /// An i18n key with its arguments (already sanitised text).
    Key(&'static str, Vec<(&'static str, String)>),
    /// A store error.
    Store(Arc<StoreError>),
    /// A refused return file.
    Rejected(crate::exchange::Rejection),
    /// Typed text that could not be written: it stays on screen and is tried again.
    TextNotSaved(Arc<StoreError>),
    /// An automatic backup failed (the work itself is saved).
    Backup(Arc<StoreError>),
    /// What import would refuse, found before signing off.
    Problems(Vec<crate::exchange::Rejection>),
    /// Text already in the user's language (from a lower layer that words its own errors).
    Text(String),
    /// The same message already put into each language (indexed by `Lang`), for an error that
    /// cannot be kept as a value.
    Langs([String; 2]),
    /// `key` with `args`, whose `{detail}` says why, put into words when shown.
    Failed(&'static str, Vec<(&'static str, String)>, Cause),
    /// A feedback file refused or ignored.
    FeedbackRefused(crate::exchange::feedback::Refusal),
    /// Any value that says itself in words ([`Words`]): an error of a lower layer, kept as it is.
    Said(Arc<dyn Words>),
}

/// Why something failed, kept as a value and put into words when shown.
#[derive(Debug, Clone)]
pub enum Cause {
    /// The system refused a file (the message names it).
    Os(crate::i18n::IoCause),
    /// The system refused this file or folder.
    OsAt(String, crate::i18n::IoCause),
    Store(Arc<StoreError>),
    /// A catalogue key.
    Key(&'static str),
    /// A library's own technical wording (a PDF or workbook writer), shown as is.
    Detail(String),
}

impl Cause {
    pub fn io(e: &std::io::Error) -> Cause {
        Cause::Os(crate::i18n::IoCause::of(e))
    }

    pub fn text(&self, t: Lang) -> String {
        match self {
            Cause::Os(c) => c.words(t),
            Cause::OsAt(path, c) => t.f("os.at", &[("path", path), ("cause", &c.words(t))]),
            Cause::Store(e) => e.message(t),
            Cause::Key(k) => t.t(k).to_string(),
            Cause::Detail(d) => crate::exchange::clean_text(d),
        }
    }

    /// A signing-key error as a value.
    pub fn of_sign(e: &crate::exchange::sign::SignError) -> Cause {
        use crate::exchange::sign::SignError as E;
        match e {
            E::Io { path, source } => Cause::OsAt(path.clone(), crate::i18n::IoCause::of(source)),
            E::BadSecretKey(_) | E::BadPublicKey => Cause::Key("keys.damaged"),
            E::Generate(d) => Cause::Detail(d.clone()),
            E::BadSignature | E::Mismatch => Cause::Key("reject.bad_signature"),
        }
    }

    /// An age key-file error as a value.
    pub fn of_key(e: &crate::exchange::keys::KeyError) -> Cause {
        use crate::exchange::keys::KeyError as E;
        match e {
            E::Io { path, source } => Cause::OsAt(path.clone(), crate::i18n::IoCause::of(source)),
            E::NoKey(_) | E::Invalid(_) => Cause::Key("keys.damaged"),
        }
    }

    /// A return that could not be written, as a value.
    pub fn of_export(e: &crate::exchange::ExportError) -> Cause {
        use crate::exchange::ExportError as E;
        match e {
            E::NotFinalised => Cause::Key("export.err_not_finalised"),
            E::UnknownFramework(_) => Cause::Key("export.err_framework"),
            E::BadKey(_) => Cause::Key("export.err_bad_key"),
            E::Encrypt(d) => Cause::Detail(d.clone()),
        }
    }
}

impl Msg {
    pub fn key(key: &'static str) -> Msg {
        Msg::Key(key, Vec::new())
    }
    pub fn with(key: &'static str, args: &[(&'static str, &dyn std::fmt::Display)]) -> Msg {
        Msg::Key(key, args.iter().map(|(k, v)| (*k, v.to_string())).collect())
    }
    /// A value that says itself in words, kept as it is until shown.
    pub fn said(w: impl Words + 'static) -> Msg {
        Msg::Said(Arc::new(w))
    }

    /// The same message in every language, for a lower layer that words its own errors.
    pub fn langs(words: impl Fn(Lang) -> String) -> Msg {
        Msg::Langs([words(Lang::En), words(Lang::Fr)])
    }

    pub fn text(&self, t: Lang) -> String {
        match self {
            Msg::Key(key, args) => {
                let args: Vec<(&str, &dyn std::fmt::Display)> =
                    args.iter().map(|(k, v)| (*k, v as &dyn std::fmt::Display)).collect();
                t.f(key, &args)
            }
            Msg::Store(e) => e.message(t),
            Msg::Rejected(r) => r.message(t),
            Msg::Text(s) => s.clone(),
            Msg::Langs(texts) => texts[t as usize].clone(),
            Msg::Failed(key, args, cause) => {
                let detail = cause.text(t);
                let mut all: Vec<(&str, &dyn std::fmt::Display)> =
                    args.iter().map(|(k, v)| (*k, v as &dyn std::fmt::Display)).collect();
                all.push(("detail", &detail));
                t.f(key, &all)
            }
            Msg::Backup(e) => e.backup_message(t),
            Msg::Problems(list) => {
                let items: Vec<String> = list.iter().take(5).map(|r| r.message(t)).collect();
                t.f("finalise.problems", &[("n", &list.len()), ("list", &items.join(" · "))])
            }
            Msg::TextNotSaved(e) => t.f("text.not_saved", &[("detail", &e.message(t))]),
            Msg::FeedbackRefused(r) => r.message(t),
            Msg::Said(w) => w.words(t),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Notice {
    pub kind: NoticeKind,
    pub msg: Msg,
}

impl Notice {
    pub fn info(msg: Msg) -> Notice {
        Notice { kind: NoticeKind::Info, msg }
    }
    pub fn error(msg: Msg) -> Notice {
        Notice { kind: NoticeKind::Error, msg }
    }
}

/// Every error and refusal the window shows says itself through [`Words`] (its own `message`).
macro_rules! words {
    ($($t:ty),* $(,)?) => {$(
        impl Words for $t {
            fn words(&self, t: Lang) -> String {
                self.message(t)
            }
        }
    )*};
}
words!(
    crate::store::StoreError,
    crate::exchange::Rejection,
    crate::exchange::card::CardRefusal,
    crate::exchange::feedback::Refusal,
    crate::exchange::section::Refusal,
    crate::feedback::CardChange,
    crate::feedback::CardImportError,
    crate::secretariat::keys::PinError,
    crate::secretariat::import::Reason,
    crate::ids::CodeError,
    super::files::ArgProblem,
);
