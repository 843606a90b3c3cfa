//! Exporting a stored revision as a return file. Pure: the caller loads the revision (and the
//! revisions before it) from the store, e.g. with `Store::revision_chain`.

use super::sign::SigningKey;
use super::{ExportError, ReturnBody, body_from, digest_of, encrypt, write};
use crate::assessment::{RevisionChain, StoredRevision};

/// The version written into returns made by this build.
pub fn app_version() -> &'static str {
    env!("CDF_BUILD_VERSION")
}

/// The body of a stored finalised revision. Imported revisions are rebuilt exactly as they
/// arrived (same writer version and chain), so exporting one again gives the same digest.
pub fn body_of(chain: &RevisionChain) -> Result<ReturnBody, ExportError> {
    body_at(&chain.revision, &chain.earlier)
}

/// `earlier`: revisions of the same assessment before `rev`, oldest first.
fn body_at(rev: &StoredRevision, earlier: &[StoredRevision]) -> Result<ReturnBody, ExportError> {
    let a = &rev.assessment;
    if a.header.imported {
        let version = rev.app_version.clone().unwrap_or_else(|| app_version().to_string());
        let mut body = body_from(a, rev.previous_digest.clone(), &version)?;
        // A return written before returns named their content's digest (issue 22) and confirmed
        // targets (issue 25), or before they named their content revision, arrived without
        // them: rebuilt without them, it is the same bytes again.
        if let Some(d) = rev.digest.as_deref().filter(|d| *d != digest_of(&body)) {
            let without = ReturnBody { content_digest: None, targets_confirmed: None, ..body.clone() };
            let older = ReturnBody { framework_revision: None, ..without.clone() };
            if let Some(b) = [without, older].into_iter().find(|b| digest_of(b) == d) {
                body = b;
            }
        }
        return Ok(body);
    }
    // A local revision links to the digest of the revision before it.
    let previous = match a.header.revision {
        1 => None,
        r => match earlier.iter().rposition(|e| e.assessment.header.revision == r - 1) {
            Some(i) => Some(digest_of(&body_at(&earlier[i], &earlier[..i])?)),
            None => None,
        },
    };
    body_from(a, previous, app_version())
}

/// A finished return: file name, bytes (encrypted if a key is given) and content digest.
pub struct Exported {
    pub file_name: String,
    pub bytes: Vec<u8>,
    pub digest: String,
    pub encrypted: bool,
}

/// The return file of a stored revision, signed with this installation's key
/// (`exchange::sign::ensure_key`) and encrypted to `recipient` if one is given.
pub fn export(chain: &RevisionChain, recipient: Option<&str>, key: &SigningKey) -> Result<Exported, ExportError> {
    let body = body_of(chain)?;
    let file_name = super::file_name(&body);
    let digest = digest_of(&body);
    let plain = write(body, key);
    let (bytes, encrypted) = match recipient.map(str::trim).filter(|r| !r.is_empty()) {
        Some(r) => (encrypt(&plain, r)?, true),
        None => (plain, false),
    };
    Ok(Exported { file_name, bytes, digest, encrypted })
}
