//! The member's signing key: one per database.
//!
//! The key is kept twice: in a key file beside the database, named after it
//! (`<database file name>.signing-key`, owner-only, and `.signing-key.pub`: [`key_files`]), and in
//! the database's settings (`signing_key`), so that an automatic backup, restored, brings its key
//! back. An exported backup leaves it out unless asked (`Store::backup_to`).
//!
//! The store knows no cryptography: the caller gives two functions (`exchange::sign::new_key_text`
//! and `describe_key_text`), and keys are compared by fingerprint. [`Store::signing_key_text`]
//! decides which key signs:
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
use super::disk::{create_private, io, make_private, sibling, sync_dir};
use super::{Result, Store, StoreError};
use std::io::Write;
use std::path::{Path, PathBuf};

/// What is added to a database's file name to name its own key files.
pub const SECRET_KEY_SUFFIX: &str = ".signing-key";
pub const PUBLIC_KEY_SUFFIX: &str = ".signing-key.pub";
/// The fixed names of earlier versions (`exchange::sign::SECRET_KEY_FILE`, `PUBLIC_KEY_FILE`).
const LEGACY_SECRET: &str = "signing-key.minisign";
const LEGACY_PUBLIC: &str = "signing-key.pub";

/// Makes a new key: the text of its secret key file.
pub type NewKey = fn() -> Option<String>;
/// Reads a secret key file's text: its fingerprint and its public key file's text.
pub type DescribeKey = fn(&str) -> Option<(String, String)>;

/// The secret and public key files of the database `db`: beside it, named after it.
pub fn key_files(db: &Path) -> (PathBuf, PathBuf) {
    (sibling(db, SECRET_KEY_SUFFIX), sibling(db, PUBLIC_KEY_SUFFIX))
}

/// Why a key file beside a database is not used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyProblem {
    /// It holds another key than the one the database signs with (fingerprints of both).
    OtherDatabase { file: String, database: String },
    /// It does not read as an unencrypted minisign secret key.
    Damaged,
}

/// Writes a secret key file, owner-only before the key goes in, then the public one.
fn write_key(sk: &Path, pk: &Path, secret: &str, public: &str) -> Result<()> {
    let mut f = create_private(sk).map_err(io(sk))?;
    f.write_all(secret.as_bytes()).and_then(|_| f.sync_all()).map_err(io(sk))?;
    std::fs::write(pk, public).map_err(io(pk))?;
    sync_dir(sk);
    Ok(())
}

impl Store {
    /// The text of this database's secret signing key (a minisign secret key file), chosen as the
    /// module says. A key made or adopted here is kept in the database too.
    pub fn signing_key_text(&self, new_key: NewKey, describe: DescribeKey) -> Result<String> {
        let stored = self.setting(SIGNING_KEY_SETTING)?.and_then(|t| describe(&t).map(|(fp, _)| (t, fp)));
        let keep = |text: &str, fingerprint: &str| -> Result<()> {
            if stored.as_ref().map(|(_, fp)| fp.as_str()) != Some(fingerprint) {
                self.set_setting(SIGNING_KEY_SETTING, text)?;
            }
            Ok(())
        };
        let generate = || new_key().ok_or_else(|| StoreError::Invalid("no key could be made".into()));
        let Some(db) = self.file.as_deref() else {
            // In memory: one key for the life of the store, kept nowhere else.
            if let Some((text, _)) = &stored {
                return Ok(text.clone());
            }
            let text = generate()?;
            self.set_setting(SIGNING_KEY_SETTING, &text)?;
            return Ok(text);
        };
        let (sk, pk) = key_files(db);
        let read = |p: &Path| -> Result<(String, String, String)> {
            let text = std::fs::read_to_string(p).map_err(io(p))?;
            let (fp, public) =
                describe(&text).ok_or_else(|| StoreError::KeyFile { path: p.into(), problem: KeyProblem::Damaged })?;
            Ok((text, fp, public))
        };
        // 1. Its own key file.
        if sk.exists() {
            let (text, fp, public) = read(&sk)?;
            if let Some((_, held)) = &stored
                && *held != fp
            {
                let problem = KeyProblem::OtherDatabase { file: fp, database: held.clone() };
                return Err(StoreError::KeyFile { path: sk, problem });
            }
            if !pk.exists() {
                std::fs::write(&pk, public).map_err(io(&pk))?;
            }
            keep(&text, &fp)?;
            return Ok(text);
        }
        // 2. The fixed-name key of an earlier version, if it is this database's.
        let dir = db.parent().unwrap_or(Path::new("."));
        let legacy = dir.join(LEGACY_SECRET);
        if legacy.exists()
            && let Ok((text, fp, public)) = read(&legacy)
            && stored.as_ref().is_none_or(|(_, held)| *held == fp)
        {
            std::fs::rename(&legacy, &sk).map_err(io(&sk))?;
            make_private(&sk);
            let old_pub = dir.join(LEGACY_PUBLIC);
            if std::fs::read_to_string(&old_pub).is_ok_and(|t| t.trim() == public.trim()) {
                let _ = std::fs::remove_file(&old_pub);
            }
            std::fs::write(&pk, public).map_err(io(&pk))?;
            sync_dir(&sk);
            keep(&text, &fp)?;
            return Ok(text);
        }
        // 3. The key the database holds: no key file written at a new place.
        if let Some((text, _)) = stored {
            return Ok(text);
        }
        // 4. A new key.
        let text = generate()?;
        let (fp, public) = describe(&text).ok_or_else(|| StoreError::Invalid("the new key does not read".into()))?;
        write_key(&sk, &pk, &text, &public)?;
        keep(&text, &fp)?;
        Ok(text)
    }

    /// The secret key file of this database, if there is one (None in memory).
    pub fn signing_key_file(&self) -> Option<PathBuf> {
        self.file.as_deref().map(|db| key_files(db).0).filter(|p| p.exists())
    }
}
