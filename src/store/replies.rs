//! The query loop (issue 25, migration `014_query_replies.sql`): the replies to the
//! Secretariat's queries kept with the revision that answers them, and an administration's
//! outbox (every return file written, and whether the officer said it was sent).

use super::{Result, Store, StoreError, now};
use crate::assessment::{Reply, limits::REPLY_MAX};
use crate::ids::AssessmentId;
use rusqlite::{Connection, OptionalExtension, params};

/// One return file written (the outbox).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportRow {
    pub id: i64,
    pub assessment_id: AssessmentId,
    pub member: String,
    pub cycle: i32,
    pub revision: u32,
    pub path: String,
    pub digest: String,
    pub written_at: String,
    /// When the officer said it was sent.
    pub sent_at: Option<String>,
}

impl Store {
    /// Sets the reply to the query on an indicator of a draft (empty text removes it).
    pub fn set_reply(&mut self, id: AssessmentId, indicator: &str, text: &str) -> Result<()> {
        self.ensure_draft(id)?;
        if crate::framework::current().indicator(indicator).is_none() {
            return Err(StoreError::Invalid(format!("unknown indicator {indicator}")));
        }
        if text.chars().count() > REPLY_MAX {
            return Err(StoreError::Invalid(format!("reply longer than {REPLY_MAX} characters")));
        }
        let tx = self.conn.transaction()?;
        if text.trim().is_empty() {
            tx.execute("DELETE FROM query_reply WHERE assessment_id = ?1 AND indicator = ?2", params![id, indicator])?;
        } else {
            tx.execute(
                "INSERT INTO query_reply (assessment_id, indicator, text) VALUES (?1, ?2, ?3)
                 ON CONFLICT(assessment_id, indicator) DO UPDATE SET text = excluded.text",
                params![id, indicator, text],
            )?;
        }
        tx.execute("UPDATE assessment SET updated_at = ?1 WHERE id = ?2", params![now(), id])?;
        tx.commit()?;
        Ok(())
    }

    /// Records a return file written for a revision (the outbox).
    pub fn record_export(&mut self, id: AssessmentId, path: &str, digest: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO return_export (assessment_id, path, digest, written_at) VALUES (?1, ?2, ?3, ?4)",
            params![id, path, digest, now()],
        )?;
        Ok(())
    }

    /// The officer says a return file written was sent.
    pub fn mark_sent(&mut self, export: i64) -> Result<()> {
        self.conn.execute(
            "UPDATE return_export SET sent_at = ?1 WHERE id = ?2 AND sent_at IS NULL",
            params![now(), export],
        )?;
        Ok(())
    }

    /// Every return file written, newest first.
    pub fn exports(&self) -> Result<Vec<ExportRow>> {
        self.export_rows("", None)
    }

    /// The return files written of one revision, newest first.
    pub fn exports_of(&self, id: AssessmentId) -> Result<Vec<ExportRow>> {
        self.export_rows("WHERE e.assessment_id = ?1", Some(id))
    }

    fn export_rows(&self, filter: &str, id: Option<AssessmentId>) -> Result<Vec<ExportRow>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT e.id, e.assessment_id, a.member, a.cycle, a.revision, e.path, e.digest, e.written_at, e.sent_at
             FROM return_export e JOIN assessment a ON a.id = e.assessment_id {filter} ORDER BY e.id DESC"
        ))?;
        let params: Vec<&dyn rusqlite::ToSql> = id.iter().map(|id| id as &dyn rusqlite::ToSql).collect();
        let rows = stmt.query_map(params.as_slice(), |r| {
            Ok(ExportRow {
                id: r.get(0)?,
                assessment_id: r.get(1)?,
                member: r.get(2)?,
                cycle: r.get(3)?,
                revision: r.get(4)?,
                path: r.get(5)?,
                digest: r.get(6)?,
                written_at: r.get(7)?,
                sent_at: r.get(8)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The revision a draft is compared with: of the revisions of the same assessment before it,
    /// the last one whose return was written (the outbox), else the last one signed off.
    pub fn previous_sent(&self, id: AssessmentId) -> Result<Option<AssessmentId>> {
        Ok(self
            .conn
            .query_row(
                "SELECT b.id FROM assessment a JOIN assessment b ON b.uuid = a.uuid AND b.revision < a.revision
                 WHERE a.id = ?1 AND b.status = 'finalised'
                 ORDER BY EXISTS (SELECT 1 FROM return_export e WHERE e.assessment_id = b.id) DESC, b.revision DESC
                 LIMIT 1",
                [id],
                |r| r.get(0),
            )
            .optional()?)
    }
}

/// The replies kept with a revision, by indicator code.
pub(super) fn load_replies(conn: &Connection, id: AssessmentId) -> Result<Vec<Reply>> {
    let mut stmt =
        conn.prepare_cached("SELECT indicator, text FROM query_reply WHERE assessment_id = ?1 ORDER BY indicator")?;
    let rows = stmt.query_map([id], |r| Ok(Reply { indicator: r.get(0)?, text: r.get(1)? }))?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Writes the replies of a revision that has none yet (an imported one).
pub(super) fn insert_replies(conn: &Connection, id: AssessmentId, replies: &[Reply]) -> Result<()> {
    for r in replies {
        conn.prepare_cached("INSERT INTO query_reply (assessment_id, indicator, text) VALUES (?1, ?2, ?3)")?
            .execute(params![id, r.indicator, r.text])?;
    }
    Ok(())
}
