//! Members' signing keys at the Secretariat: pinning one by hand (a key the member read out or
//! sent another way) and listing what is pinned. Pinning on first use happens at import.

use crate::exchange::sign::PublicKey;
use crate::framework;
use crate::store::{MemberKey, Store, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum PinError {
    #[error("{0} is not an OCO member")]
    UnknownMember(String),
    #[error("not a minisign public key")]
    BadKey,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Pins `public_key_text` (the `RW...` line, or a `.pub` file's text) as `member`'s key, by hand;
/// the key before stays in the history. Returns its fingerprint.
pub fn pin(store: &mut Store, member: &str, public_key_text: &str) -> Result<String, PinError> {
    if framework::member(member).is_none() {
        return Err(PinError::UnknownMember(crate::secretariat::import::clean(member)));
    }
    let pk = PublicKey::parse(public_key_text).map_err(|_| PinError::BadKey)?;
    let fp = pk.fingerprint();
    store.pin_member_key(member, &pk.to_base64(), &fp)?;
    Ok(fp)
}

/// Every key pinned, active and history, by member.
pub fn list(store: &Store) -> Result<Vec<MemberKey>, StoreError> {
    store.member_keys()
}
