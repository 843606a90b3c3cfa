//! The member's signing key: one per database.
//!
//! The key is kept twice: in a key file beside the database, named after it
//! (`<database file name>.signing-key`, owner-only, and `.signing-key.pub`), and in the database's
//! settings (`signing_key`), so that an automatic backup, restored, brings its key back. An
//! exported backup leaves it out unless asked (`Store::backup_to`).
//!
//! [`Store::signing_key`] decides which key signs:
//!
//! 1. the database's own key file; refused if the database holds another key (the file was made
//!    for another database: a loud stop, never a silent switch);
//! 2. else a key file under the fixed name of earlier versions (one per folder), adopted (renamed
//!    after this database) when it is the key this database holds, or when the database holds
//!    none yet (an installation from before keys were kept in the database); a fixed-name key of
//!    another database is left alone;
//! 3. else the key the database holds, *without* writing a key file: a copy opened at a new place
//!    (or a database whose key file was removed) does not scatter its secret key there;
//! 4. else a new key, written beside the database and into it.

use super::backup::SIGNING_KEY_SETTING;
use super::{Result, Store, StoreError};
use crate::exchange::sign::{self, SignError, SigningKey};
use std::path::{Path, PathBuf};

/// Why a key file beside a database is not used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyProblem {
    /// It holds another key than the one the database signs with (fingerprints of both).
    OtherDatabase { file: String, database: String },
    /// It does not read as an unencrypted minisign secret key.
    Damaged,
}

fn store_error(e: SignError, path: &Path) -> StoreError {
    match e {
        SignError::Io { path, source } => StoreError::Io { path: PathBuf::from(path), source },
        SignError::BadSecretKey(_) | SignError::BadPublicKey => {
            StoreError::KeyFile { path: path.into(), problem: KeyProblem::Damaged }
        }
        other => StoreError::Invalid(other.to_string()),
    }
}

impl Store {
    /// This database's signing key, chosen as the module says. A key made or adopted here is kept
    /// in the database too.
    pub fn signing_key(&self) -> Result<SigningKey> {
        let stored = self.setting(SIGNING_KEY_SETTING)?.and_then(|t| SigningKey::parse(&t).ok());
        let keep = |k: &SigningKey| -> Result<()> {
            if stored.as_ref().map(SigningKey::public) != Some(k.public()) {
                self.set_setting(SIGNING_KEY_SETTING, &k.to_file_text())?;
            }
            Ok(())
        };
        let Some(db) = self.file.as_deref() else {
            // In memory: one key for the life of the store.
            let k = match stored.clone() {
                Some(k) => k,
                None => SigningKey::generate().map_err(|e| store_error(e, Path::new(":memory:")))?,
            };
            keep(&k)?;
            return Ok(k);
        };
        let (sk, pk) = (sign::secret_key_path_for(db), sign::public_key_path_for(db));
        // 1. Its own key file.
        if sk.exists() {
            let k = sign::load(&sk).map_err(|e| store_error(e, &sk))?;
            if let Some(s) = &stored
                && s.public() != k.public()
            {
                return Err(StoreError::KeyFile {
                    path: sk,
                    problem: KeyProblem::OtherDatabase {
                        file: k.public().fingerprint(),
                        database: s.public().fingerprint(),
                    },
                });
            }
            if !pk.exists() {
                std::fs::write(&pk, k.public().to_file_text()).map_err(super::open::io(&pk))?;
            }
            keep(&k)?;
            return Ok(k);
        }
        // 2. The fixed-name key of an earlier version, if it is this database's.
        let dir = db.parent().unwrap_or(Path::new("."));
        let legacy = sign::secret_key_path(dir);
        if legacy.exists()
            && let Ok(k) = sign::load(&legacy)
            && stored.as_ref().is_none_or(|s| s.public() == k.public())
        {
            std::fs::rename(&legacy, &sk).map_err(super::open::io(&sk))?;
            let old_pub = sign::public_key_path(dir);
            if sign::load_public(&old_pub).is_ok_and(|p| p == *k.public()) {
                let _ = std::fs::remove_file(&old_pub);
            }
            std::fs::write(&pk, k.public().to_file_text()).map_err(super::open::io(&pk))?;
            super::open::sync_dir(&sk);
            keep(&k)?;
            return Ok(k);
        }
        // 3. The key the database holds: no key file written at a new place.
        if let Some(k) = stored {
            return Ok(k);
        }
        // 4. A new key.
        let k = SigningKey::generate().map_err(|e| store_error(e, &sk))?;
        sign::write_files(&sk, &pk, &k).map_err(|e| store_error(e, &sk))?;
        keep(&k)?;
        Ok(k)
    }

    /// The secret key file of this database, if there is one (None in memory).
    pub fn signing_key_file(&self) -> Option<PathBuf> {
        self.file.as_deref().map(sign::secret_key_path_for).filter(|p| p.exists())
    }
}
