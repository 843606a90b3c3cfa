//! Exporting a stored revision as a return file.

use super::{ExportError, ReturnBody, body_from, digest_of, encrypt, write};
use crate::store::{Store, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum ExportFailure {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Export(#[from] ExportError),
}

/// The version written into returns made by this build.
pub fn app_version() -> &'static str {
    env!("CDF_BUILD_VERSION")
}

/// The body of a stored finalised revision. Imported revisions are rebuilt exactly as they
/// arrived (same writer version and chain), so exporting one again gives the same digest.
pub fn body_of(store: &Store, id: i64) -> Result<ReturnBody, ExportFailure> {
    let a = store.load(id)?;
    let (_, stored_version, stored_previous) = store.return_meta(id)?;
    if a.header.imported {
        let version = stored_version.unwrap_or_else(|| app_version().to_string());
        return Ok(body_from(&a, stored_previous, &version)?);
    }
    // A local revision links to the digest of the revision before it.
    let previous = match a.header.revision {
        1 => None,
        r => match store.revision_id(&a.header.uuid, r - 1)? {
            Some(prev_id) => Some(digest_of(&body_of(store, prev_id)?)),
            None => None,
        },
    };
    Ok(body_from(&a, previous, app_version())?)
}

/// A finished return: file name, bytes (encrypted if a key is given) and content digest.
pub struct Exported {
    pub file_name: String,
    pub bytes: Vec<u8>,
    pub digest: String,
    pub encrypted: bool,
}

pub fn export(store: &Store, id: i64, recipient: Option<&str>) -> Result<Exported, ExportFailure> {
    let body = body_of(store, id)?;
    let file_name = super::file_name(&body);
    let digest = digest_of(&body);
    let plain = write(body);
    let (bytes, encrypted) = match recipient.map(str::trim).filter(|r| !r.is_empty()) {
        Some(r) => (encrypt(&plain, r)?, true),
        None => (plain, false),
    };
    Ok(Exported { file_name, bytes, digest, encrypted })
}
