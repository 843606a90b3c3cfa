//! The administration's side of feedback: importing a feedback file from the Secretariat
//! (checked against the Secretariat's card, for this member, newer than the one held) and
//! reading back what the Secretariat said, each receipt compared with the revision held here.
//! The Secretariat's side is `secretariat::review`; the format is `exchange::feedback`.

use crate::exchange::feedback::{self, FeedbackBody, Receipt, Refusal};
use crate::exchange::sign::PublicKey;
use crate::store::{Store, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file was refused or ignored, with its reason; nothing changed.
    #[error("{0}")]
    Refused(Refusal),
    #[error("{0}")]
    Store(#[from] StoreError),
}

/// How a receipt compares with the revision this installation holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Match {
    /// The return the Secretariat holds is the one exported from here (same digest).
    Same,
    /// This installation holds that revision, but its return has another digest.
    Different,
    /// That revision is not held here (e.g. exported from another installation).
    NotHere,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReceiptView {
    pub receipt: Receipt,
    pub matches: Match,
}

/// The latest feedback of one cycle, as the pages show it.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedbackView {
    pub body: FeedbackBody,
    pub receipts: Vec<ReceiptView>,
}

impl FeedbackView {
    /// The query on an indicator, if any.
    pub fn query(&self, indicator: &str) -> Option<&str> {
        self.body.queries.iter().find(|q| q.indicator == indicator).map(|q| q.text.as_str())
    }
    pub fn note(&self, indicator: &str) -> Option<&str> {
        self.body.notes.iter().find(|q| q.indicator == indicator).map(|q| q.text.as_str())
    }
    /// The Secretariat's interventions planned or delivered for an indicator (format 3).
    pub fn planned(&self, indicator: &str) -> impl Iterator<Item = &feedback::Planned> {
        self.body.interventions.iter().flatten().filter(move |p| p.indicator == indicator)
    }
}

/// Imports a feedback file: read and verified, accepted (card's key, this member, newer), then
/// kept. Returns what it said.
pub fn import(
    store: &mut Store,
    bytes: &[u8],
    card: Option<&PublicKey>,
    member: &str,
) -> Result<FeedbackBody, ImportError> {
    import_both(store, bytes, card, member).map(|(body, _)| body)
}

/// [`import`], and the framework file it carries, if any (imported first, checked against the
/// same card; one not newer than the revision held is left aside). Returns the framework file
/// imported, if one was.
pub fn import_both(
    store: &mut Store,
    bytes: &[u8],
    card: Option<&PublicKey>,
    member: &str,
) -> Result<(FeedbackBody, Option<crate::fwfiles::Imported>), ImportError> {
    let v = feedback::read(bytes).map_err(ImportError::Refused)?;
    // Numbered per Secretariat key: what another key signed (a card swapped, then put back) never
    // makes the Secretariat's own feedback "not newer".
    let held = store.last_feedback_received(&v.body.member, v.body.cycle, &v.signer.to_base64())?;
    feedback::accept(&v, card, member, held).map_err(ImportError::Refused)?;
    let framework = match &v.body.framework {
        None => None,
        Some(f) => match crate::fwfiles::import(store, f.as_bytes(), card) {
            Ok(i) => Some(i),
            Err(crate::fwfiles::ImportError::Refused(crate::exchange::framework_file::Refusal::NotNewer(..))) => None,
            Err(crate::fwfiles::ImportError::Refused(r)) => {
                return Err(ImportError::Refused(Refusal::Malformed(format!("framework: {r}"))));
            }
            Err(crate::fwfiles::ImportError::Store(e)) => return Err(ImportError::Store(e)),
        },
    };
    store.store_feedback(
        &v.body.member,
        v.body.cycle,
        v.body.sequence,
        &v.body.issued_at,
        &v.digest,
        &v.signer.to_base64(),
        bytes,
    )?;
    Ok((v.body, framework))
}

/// Reads a file from disk (size-limited) and imports it.
pub fn import_path(
    store: &mut Store,
    path: &std::path::Path,
    card: Option<&PublicKey>,
    member: &str,
) -> Result<FeedbackBody, ImportError> {
    import_path_both(store, path, card, member).map(|(body, _)| body)
}

/// [`import_path`], and the framework file it carries ([`import_both`]).
pub fn import_path_both(
    store: &mut Store,
    path: &std::path::Path,
    card: Option<&PublicKey>,
    member: &str,
) -> Result<(FeedbackBody, Option<crate::fwfiles::Imported>), ImportError> {
    let bytes = crate::exchange::read_file_limited(path).map_err(|r| match r {
        crate::exchange::Rejection::TooLarge(_) => ImportError::Refused(Refusal::TooLarge),
        other => ImportError::Refused(Refusal::Unreadable(other.to_string())),
    })?;
    if bytes.len() as u64 > feedback::MAX_FILE_BYTES {
        return Err(ImportError::Refused(Refusal::TooLarge));
    }
    import_both(store, &bytes, card, member)
}

/// The digest of the return of a revision held here, if it is held and finalised.
fn local_digest(store: &Store, uuid: &str, revision: u32) -> Option<String> {
    let id = store.revision_id(uuid, revision).ok()??;
    let chain = store.revision_chain(id).ok()?;
    let body = crate::exchange::export::body_of(&chain).ok()?;
    Some(crate::exchange::digest_of(&body))
}

/// The latest feedback of every cycle held (newest cycle first), of those signed by the key of
/// the card held (if there is one: a card swapped and put back leaves the other key's files
/// unseen), each receipt compared with the revision held here. A stored file that no longer
/// reads is left out.
pub fn views(store: &Store) -> Result<Vec<FeedbackView>, StoreError> {
    let mut out = Vec::new();
    let card = held_card_key(store)?.map(|k| k.to_base64());
    for bytes in store.latest_feedback(card.as_deref())? {
        let Ok(v) = feedback::read(&bytes) else { continue };
        let receipts = v
            .body
            .receipts
            .iter()
            .map(|r| ReceiptView {
                matches: match local_digest(store, &r.assessment_uuid, r.revision) {
                    Some(d) if d == r.digest => Match::Same,
                    Some(_) => Match::Different,
                    None => Match::NotHere,
                },
                receipt: r.clone(),
            })
            .collect();
        out.push(FeedbackView { body: v.body, receipts });
    }
    Ok(out)
}

/// Where a return file written stands (the outbox, issue 25).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sending {
    /// Written; the officer has not said it was sent.
    Written,
    /// The officer said it was sent, at this time; no receipt yet.
    Sent(String),
    /// The Secretariat's feedback holds a receipt of this very file (same digest), received then.
    Received(String),
}

/// One return file written, and where it stands.
#[derive(Debug, Clone, PartialEq)]
pub struct OutboxItem {
    pub export: crate::store::ExportRow,
    pub state: Sending,
}

/// Every return file written (newest first) and where it stands, the receipts read from the
/// feedback held (`views`).
pub fn outbox(store: &Store, views: &[FeedbackView]) -> Result<Vec<OutboxItem>, StoreError> {
    Ok(store
        .exports()?
        .into_iter()
        .map(|export| {
            let receipt = views.iter().flat_map(|v| &v.receipts).find(|r| r.receipt.digest == export.digest);
            let state = match (receipt, &export.sent_at) {
                (Some(r), _) => Sending::Received(r.receipt.received_at.clone()),
                (None, Some(at)) => Sending::Sent(at.clone()),
                (None, None) => Sending::Written,
            };
            OutboxItem { export, state }
        })
        .collect())
}

/// The signing key of the Secretariat's card held (the `secretariat_signer` setting), if any.
fn held_card_key(store: &Store) -> Result<Option<PublicKey>, StoreError> {
    Ok(store.setting("secretariat_signer")?.and_then(|k| PublicKey::parse(k.trim()).ok()))
}

/// A card that changes what the card held says, which a person must confirm (`replace`): the
/// Secretariat's signing key, or the key returns are encrypted to. Like a changed host key in
/// SSH, it is a loud stop, never a silent replace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CardChange {
    /// Another signing key: the fingerprints of the card held and of the new one.
    SigningKey { old: String, new: String },
    /// Another encryption key (or none) than the one held: both, `none` when empty.
    Recipient { old: String, new: String },
}

impl CardChange {
    pub fn message(&self, t: crate::lang::Lang) -> String {
        let short = |s: &str| crate::exchange::clean_text(if s.is_empty() { "none" } else { s });
        match self {
            CardChange::SigningKey { old, new } => {
                t.f("card.changed_signing_key", &[("old", &short(old)), ("new", &short(new))])
            }
            CardChange::Recipient { old, new } => {
                t.f("card.changed_recipient", &[("old", &short(old)), ("new", &short(new))])
            }
        }
    }
}

/// What `card` changes against the card held (`held_signer`, `held_recipient`: the settings, as
/// stored), if a person must confirm it. A first card, or the same keys, changes nothing to
/// confirm; adding an encryption key where there was none needs no confirmation either.
pub fn card_change(held_signer: &str, held_recipient: &str, card: &crate::exchange::card::Card) -> Option<CardChange> {
    if let Ok(old) = PublicKey::parse(held_signer.trim())
        && old != card.signing_key
    {
        return Some(CardChange::SigningKey { old: old.fingerprint(), new: card.signing_key.fingerprint() });
    }
    let old = held_recipient.trim();
    (!old.is_empty() && old != card.age_recipient)
        .then(|| CardChange::Recipient { old: old.to_string(), new: card.age_recipient.clone() })
}

/// Why a card was not imported.
#[derive(Debug, thiserror::Error)]
pub enum CardImportError {
    /// Not a card, or not one read strictly (a field twice or missing).
    #[error("{}", .0.error)]
    Refused(crate::exchange::card::CardRefusal),
    /// The card changes a key held: refused unless `replace`.
    #[error("the card changes a key held")]
    Changed(CardChange),
    #[error("{0}")]
    Store(#[from] StoreError),
}

impl CardImportError {
    pub fn message(&self, t: crate::lang::Lang) -> String {
        match self {
            CardImportError::Refused(r) => r.message(t),
            CardImportError::Changed(c) => c.message(t),
            CardImportError::Store(e) => e.message(t),
        }
    }
}

/// Imports the Secretariat's card (its text): read strictly, checked against the card held
/// ([`card_change`]: refused unless `replace`), then its three settings are set as the card
/// says (a field `none` clears it). Returns the card.
pub fn import_card(
    store: &mut Store,
    text: &str,
    replace: bool,
) -> Result<crate::exchange::card::Card, CardImportError> {
    let card = crate::exchange::card::Card::parse_strictly(text).map_err(CardImportError::Refused)?;
    let held_signer = store.setting("secretariat_signer")?.unwrap_or_default();
    let held_recipient = store.setting("secretariat_key")?.unwrap_or_default();
    if !replace && let Some(change) = card_change(&held_signer, &held_recipient, &card) {
        return Err(CardImportError::Changed(change));
    }
    store.set_setting("secretariat_signer", &card.signing_key.to_base64())?;
    store.set_setting("secretariat_key", &card.age_recipient)?;
    store.set_setting("secretariat_email", &card.email)?;
    Ok(card)
}
