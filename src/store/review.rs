//! Feedback: the Secretariat's review (state, queries, notes) per member and cycle, the feedback
//! files it wrote, and on a member's side the feedback files it imported.

use super::{Result, Store, now};
use rusqlite::{OptionalExtension, params};

/// A received return as a receipt needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct ReceiptRow {
    pub uuid: String,
    pub revision: u32,
    pub digest: String,
    pub received_at: String,
    /// `accepted`, `supersedes`, `conflict` or `held`.
    pub outcome: String,
}

/// One member's review for a cycle, as the Review page lists it.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewRow {
    pub member: String,
    /// `received` when no one has set it yet.
    pub state: String,
    pub queries: usize,
    pub notes: usize,
    /// Feedback files written so far.
    pub feedback_written: u32,
}

impl Store {
    /// The review state of a member's return for a cycle (`received` if never set). A state of
    /// `queries` reads `answered` once a newer revision than the one held when it was set has
    /// been received (issue 25).
    pub fn review_state(&self, member: &str, cycle: i32) -> Result<String> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT CASE WHEN r.state = 'queries' AND coalesce((SELECT max(a.revision) FROM assessment a
                    WHERE a.imported = 1 AND a.member = r.member AND a.cycle = r.cycle), 0)
                    > coalesce(r.queried_revision, 0) THEN 'answered' ELSE r.state END
                 FROM review r WHERE r.member = ?1 AND r.cycle = ?2",
            )?
            .query_row(params![member, cycle], |r| r.get(0))
            .optional()?
            .unwrap_or_else(|| "received".to_string()))
    }

    /// The newest revision of a member's return held for a cycle when its review state was last
    /// set (what its queries were asked on), if set since the query loop (issue 25).
    pub fn queried_revision(&self, member: &str, cycle: i32) -> Result<Option<u32>> {
        Ok(self
            .conn
            .query_row(
                "SELECT queried_revision FROM review WHERE member = ?1 AND cycle = ?2",
                params![member, cycle],
                |r| r.get(0),
            )
            .optional()?
            .flatten())
    }

    /// Sets the review state (`answered` is never set: a revision received makes it).
    pub fn set_review_state(&mut self, member: &str, cycle: i32, state: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO review (member, cycle, state, updated_at, queried_revision)
             VALUES (?1, ?2, ?3, ?4, (SELECT max(revision) FROM assessment WHERE imported = 1 AND member = ?1 AND cycle = ?2))
             ON CONFLICT(member, cycle) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at,
                queried_revision = excluded.queried_revision",
            params![member, cycle, state, now()],
        )?;
        Ok(())
    }

    /// Queries (`kind` = `query`) or notes (`note`) of a member's review: (indicator, text), by
    /// indicator code.
    pub fn review_remarks(&self, member: &str, cycle: i32, kind: &str) -> Result<Vec<(String, String)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT indicator, text FROM review_remark WHERE member = ?1 AND cycle = ?2 AND kind = ?3 ORDER BY indicator",
        )?;
        let rows = stmt.query_map(params![member, cycle, kind], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Sets a query or note; empty text removes it.
    pub fn set_review_remark(
        &mut self,
        member: &str,
        cycle: i32,
        indicator: &str,
        kind: &str,
        text: &str,
    ) -> Result<()> {
        if text.trim().is_empty() {
            self.conn.execute(
                "DELETE FROM review_remark WHERE member = ?1 AND cycle = ?2 AND indicator = ?3 AND kind = ?4",
                params![member, cycle, indicator, kind],
            )?;
        } else {
            self.conn.execute(
                "INSERT INTO review_remark (member, cycle, indicator, kind, text, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT(member, cycle, indicator, kind) DO UPDATE SET text = excluded.text,
                     updated_at = excluded.updated_at",
                params![member, cycle, indicator, kind, text.trim(), now()],
            )?;
        }
        Ok(())
    }

    /// Every return received from a member for a cycle (accepted, superseding, in conflict or
    /// held), oldest first; a file received twice once, with where it stands now: a file held
    /// and then released, or a conflict settled by using the file, is accepted (or supersedes).
    pub fn receipts(&self, member: &str, cycle: i32) -> Result<Vec<ReceiptRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT uuid, revision, digest, min(received_at),
                CASE
                    WHEN max(outcome = 'supersedes') THEN 'supersedes'
                    WHEN max(outcome = 'accepted' OR (outcome = 'conflict' AND resolved = 1
                        AND assessment_id IS NOT NULL)) THEN 'accepted'
                    WHEN max(outcome = 'conflict') THEN 'conflict'
                    ELSE 'held'
                END
             FROM return_file
             WHERE member = ?1 AND cycle = ?2 AND outcome IN ('accepted', 'supersedes', 'conflict', 'held')
             GROUP BY uuid, revision, digest ORDER BY min(id)",
        )?;
        let rows = stmt.query_map(params![member, cycle], |r| {
            Ok(ReceiptRow {
                uuid: r.get(0)?,
                revision: r.get(1)?,
                digest: r.get(2)?,
                received_at: r.get(3)?,
                outcome: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Members with at least one return received for a cycle, by code.
    pub fn members_received(&self, cycle: i32) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare("SELECT DISTINCT member FROM return_file WHERE cycle = ?1 ORDER BY member")?;
        let rows = stmt.query_map([cycle], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The review of every member who returned in a cycle.
    pub fn reviews(&self, cycle: i32) -> Result<Vec<ReviewRow>> {
        let mut out = Vec::new();
        for member in self.members_received(cycle)? {
            let count = |kind: &str| -> Result<usize> {
                Ok(self.conn.query_row(
                    "SELECT count(*) FROM review_remark WHERE member = ?1 AND cycle = ?2 AND kind = ?3",
                    params![member, cycle, kind],
                    |r| r.get::<_, i64>(0),
                )? as usize)
            };
            out.push(ReviewRow {
                state: self.review_state(&member, cycle)?,
                queries: count("query")?,
                notes: count("note")?,
                feedback_written: self.last_feedback_issued(&member, cycle)?.unwrap_or(0),
                member,
            });
        }
        Ok(out)
    }

    /// The highest sequence of the feedback written to a member for a cycle.
    pub fn last_feedback_issued(&self, member: &str, cycle: i32) -> Result<Option<u32>> {
        self.last_sequence("SELECT max(sequence) FROM feedback_issued WHERE member = ?1 AND cycle = ?2", member, cycle)
    }

    fn last_sequence(&self, sql: &str, member: &str, cycle: i32) -> Result<Option<u32>> {
        Ok(self.conn.prepare_cached(sql)?.query_row(params![member, cycle], |r| r.get(0))?)
    }

    /// Records a feedback file written.
    pub fn record_feedback_issued(
        &mut self,
        member: &str,
        cycle: i32,
        sequence: u32,
        issued_at: &str,
        digest: &str,
    ) -> Result<()> {
        self.conn.execute(
            "INSERT INTO feedback_issued (member, cycle, sequence, issued_at, digest) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![member, cycle, sequence, issued_at, digest],
        )?;
        Ok(())
    }

    /// The highest sequence of the feedback imported for a member and cycle signed by `signer`
    /// (the Secretariat key's one-line form; member's side). Numbering is kept per Secretariat
    /// key: a file signed by another key, once accepted, never shadows the Secretariat's own.
    pub fn last_feedback_received(&self, member: &str, cycle: i32, signer: &str) -> Result<Option<u32>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT max(sequence) FROM feedback_received WHERE member = ?1 AND cycle = ?2 AND signer = ?3",
            )?
            .query_row(params![member, cycle, signer], |r| r.get(0))?)
    }

    /// Keeps an imported feedback file (already verified and accepted).
    #[allow(clippy::too_many_arguments)]
    pub fn store_feedback(
        &mut self,
        member: &str,
        cycle: i32,
        sequence: u32,
        issued_at: &str,
        digest: &str,
        signer: &str,
        bytes: &[u8],
    ) -> Result<()> {
        self.conn.execute(
            "INSERT INTO feedback_received (member, cycle, sequence, issued_at, digest, signer, imported_at, bytes)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![member, cycle, sequence, issued_at, digest, signer, now(), bytes],
        )?;
        Ok(())
    }

    /// The bytes of the latest feedback imported per member and cycle, newest cycle first; with
    /// `signer` (the card's key, one-line form), of those it signed only: files signed by another
    /// key are not shown.
    pub fn latest_feedback(&self, signer: Option<&str>) -> Result<Vec<Vec<u8>>> {
        let mut stmt = self.conn.prepare(
            "SELECT f.bytes FROM feedback_received f
             WHERE (?1 IS NULL OR f.signer = ?1)
                AND f.sequence = (SELECT max(g.sequence) FROM feedback_received g
                                  WHERE g.member = f.member AND g.cycle = f.cycle AND (?1 IS NULL OR g.signer = ?1))
             ORDER BY f.cycle DESC, f.member",
        )?;
        let rows = stmt.query_map([signer], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// How many feedback files were imported (all cycles).
    pub fn feedback_count(&self) -> Result<usize> {
        Ok(self.conn.query_row("SELECT count(*) FROM feedback_received", [], |r| r.get::<_, i64>(0))? as usize)
    }
}
