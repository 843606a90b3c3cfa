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
}

/// Imports a feedback file: read and verified, accepted (card's key, this member, newer), then
/// kept. Returns what it said.
pub fn import(
    store: &mut Store,
    bytes: &[u8],
    card: Option<&PublicKey>,
    member: &str,
) -> Result<FeedbackBody, ImportError> {
    let v = feedback::read(bytes).map_err(ImportError::Refused)?;
    let held = store.last_feedback_received(&v.body.member, v.body.cycle)?;
    feedback::accept(&v, card, member, held).map_err(ImportError::Refused)?;
    store.store_feedback(
        &v.body.member,
        v.body.cycle,
        v.body.sequence,
        &v.body.issued_at,
        &v.digest,
        &v.signer.to_base64(),
        bytes,
    )?;
    Ok(v.body)
}

/// Reads a file from disk (size-limited) and imports it.
pub fn import_path(
    store: &mut Store,
    path: &std::path::Path,
    card: Option<&PublicKey>,
    member: &str,
) -> Result<FeedbackBody, ImportError> {
    let bytes = crate::exchange::read_file_limited(path).map_err(|r| match r {
        crate::exchange::Rejection::TooLarge(_) => ImportError::Refused(Refusal::TooLarge),
        other => ImportError::Refused(Refusal::Unreadable(other.to_string())),
    })?;
    if bytes.len() as u64 > feedback::MAX_FILE_BYTES {
        return Err(ImportError::Refused(Refusal::TooLarge));
    }
    import(store, &bytes, card, member)
}

/// The digest of the return of a revision held here, if it is held and finalised.
fn local_digest(store: &Store, uuid: &str, revision: u32) -> Option<String> {
    let id = store.revision_id(uuid, revision).ok()??;
    let chain = store.revision_chain(id).ok()?;
    let body = crate::exchange::export::body_of(&chain).ok()?;
    Some(crate::exchange::digest_of(&body))
}

/// The latest feedback of every cycle held (newest cycle first), each receipt compared with the
/// revision held here. A stored file that no longer reads is left out.
pub fn views(store: &Store) -> Result<Vec<FeedbackView>, StoreError> {
    let mut out = Vec::new();
    for bytes in store.latest_feedback()? {
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
