//! Framework files imported (issue 22): each content revision's signed file, kept with its bytes.

use super::{Result, Store, now};
use rusqlite::{OptionalExtension, params};

/// A framework file as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameworkFileRow {
    pub revision: u32,
    pub framework_version: u32,
    pub replaces: u32,
    pub issued_at: String,
    pub content_digest: String,
    pub digest: String,
    pub signer: String,
    pub imported_at: String,
}

impl Store {
    /// Keeps a verified framework file (one per revision: a revision held is never replaced).
    #[allow(clippy::too_many_arguments)]
    pub fn store_framework_file(
        &mut self,
        revision: u32,
        framework_version: u32,
        replaces: u32,
        issued_at: &str,
        content_digest: &str,
        digest: &str,
        signer: &str,
        bytes: &[u8],
    ) -> Result<()> {
        self.conn.execute(
            "INSERT INTO framework_file (revision, framework_version, replaces, issued_at, content_digest, digest,
                 signer, imported_at, bytes)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![revision, framework_version, replaces, issued_at, content_digest, digest, signer, now(), bytes],
        )?;
        Ok(())
    }

    /// The framework files held, newest revision first.
    pub fn framework_files(&self) -> Result<Vec<FrameworkFileRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT revision, framework_version, replaces, issued_at, content_digest, digest, signer, imported_at
             FROM framework_file ORDER BY revision DESC",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(FrameworkFileRow {
                revision: r.get(0)?,
                framework_version: r.get(1)?,
                replaces: r.get(2)?,
                issued_at: r.get(3)?,
                content_digest: r.get(4)?,
                digest: r.get(5)?,
                signer: r.get(6)?,
                imported_at: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Marks the answers of every draft on these indicators "check your answer" (their level
    /// descriptors changed in content `revision`); unanswered ones are left alone. Returns how many
    /// answers were marked.
    pub fn mark_recheck(&mut self, indicators: &[String], revision: u32) -> Result<usize> {
        let tx = self.conn.transaction()?;
        let mut n = 0;
        {
            let mut stmt = tx.prepare_cached(
                "INSERT OR REPLACE INTO response_recheck (assessment_id, indicator, revision)
                 SELECT r.assessment_id, r.indicator, ?2 FROM response r JOIN assessment a ON a.id = r.assessment_id
                 WHERE a.status = 'draft' AND r.answer IS NOT NULL AND r.indicator = ?1",
            )?;
            for i in indicators {
                n += stmt.execute(params![i, revision])?;
            }
        }
        tx.commit()?;
        Ok(n)
    }

    /// How many drafts are open (each moves to a newly imported content revision).
    pub fn draft_count(&self) -> Result<usize> {
        Ok(self.conn.query_row("SELECT count(*) FROM assessment WHERE status = 'draft'", [], |r| r.get::<_, i64>(0))?
            as usize)
    }

    /// The indicators of an assessment whose answer is marked "check your answer", by code.
    pub fn rechecks(&self, id: crate::ids::AssessmentId) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT indicator FROM response_recheck WHERE assessment_id = ?1 ORDER BY indicator")?;
        let rows = stmt.query_map([id], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Keeps a return written under a content revision not held yet, as it came (once per file).
    pub fn hold_for_content(&mut self, file_name: &str, file_sha256: &str, revision: u32, bytes: &[u8]) -> Result<()> {
        self.conn.execute(
            "INSERT OR IGNORE INTO return_waiting_content (file_name, file_sha256, content_revision, received_at, bytes)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![file_name, file_sha256, revision, now(), bytes],
        )?;
        Ok(())
    }

    /// The returns held for a content revision up to `revision`: (id, file name, bytes), oldest
    /// first.
    pub fn waiting_for_content(&self, revision: u32) -> Result<Vec<(i64, String, Vec<u8>)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, file_name, bytes FROM return_waiting_content WHERE content_revision <= ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([revision], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// How many returns wait for a content revision: (revision, files), by revision.
    pub fn waiting_content_revisions(&self) -> Result<Vec<(u32, usize)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT content_revision, count(*) FROM return_waiting_content GROUP BY content_revision ORDER BY 1",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as usize)))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// A return held for its content revision is no longer waiting.
    pub fn release_for_content(&mut self, id: i64) -> Result<()> {
        self.conn.execute("DELETE FROM return_waiting_content WHERE id = ?1", [id])?;
        Ok(())
    }

    /// The bytes of the framework file of a revision, if held.
    pub fn framework_file_bytes(&self, revision: u32) -> Result<Option<Vec<u8>>> {
        Ok(self
            .conn
            .query_row("SELECT bytes FROM framework_file WHERE revision = ?1", [revision], |r| r.get(0))
            .optional()?)
    }
}
