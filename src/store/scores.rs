//! What counts, by query, and the scores stored per imported revision.
//!
//! Which revision of a member's assessment counts for a cycle is one rule, written once here as a
//! query ([`COUNTING`]): of the member's assessments that are not set aside, the first received
//! (lowest row id); of its revisions, revision 1 (or the lowest held, if a person confirmed it),
//! then revision n+1 as long as it is held and chains to revision n (its `previous_digest` is
//! n's digest) or a person confirmed it; the highest revision reached counts.
//! `secretariat::consolidate::counting_revision` is the same rule over plain values, for a file
//! that is not stored yet (the import's message); a property test holds the two together.

use super::{Result, Store};
use crate::ids::AssessmentId;
use rusqlite::{Connection, params};

/// The scores of one revision as stored (computed by `secretariat`, which knows the scoring).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RevisionScores {
    /// The version of the scoring rules that computed them.
    pub scoring: i64,
    pub overall: Option<f64>,
    pub ability: Option<f64>,
    pub willingness: Option<f64>,
    /// The readiness quadrant's code, if placed.
    pub quadrant: Option<String>,
    /// (pillar, level 0-4, score 0-100), in framework order.
    pub pillars: Vec<(String, Option<f64>, Option<f64>)>,
}

/// The revision that counts for a member and cycle.
#[derive(Debug, Clone, PartialEq)]
pub struct Counting {
    pub id: AssessmentId,
    pub uuid: String,
    pub member: String,
    pub cycle: i32,
    pub revision: u32,
    /// When its file was first received.
    pub received_at: Option<String>,
    /// How many revisions of the member's assessments for the cycle are held (all of them).
    pub revisions_held: usize,
}

/// The rule of what counts, as a recursive query over the imported revisions. `{filter}` narrows
/// the member/cycle groups (`AND a.cycle = ?1`, …) so that one member's answer reads one member's
/// rows; the result is the table `counting (member, cycle, id, revision, held)`.
const COUNTING: &str = "WITH RECURSIVE
    grp (member, cycle, held, uuid) AS (
        SELECT a.member, a.cycle, count(*),
            (SELECT b.uuid FROM assessment b WHERE b.imported = 1 AND b.retired = 0 AND b.member = a.member
                AND b.cycle = a.cycle ORDER BY b.id LIMIT 1)
        FROM assessment a WHERE a.imported = 1 {filter} GROUP BY a.member, a.cycle
    ),
    chain (member, cycle, held, uuid, id, revision, digest) AS (
        SELECT g.member, g.cycle, g.held, g.uuid, s.id, s.revision, coalesce(s.digest, '')
        FROM grp g JOIN assessment s ON s.uuid = g.uuid AND s.imported = 1 AND s.member = g.member
            AND s.cycle = g.cycle
        WHERE s.revision = (SELECT min(x.revision) FROM assessment x WHERE x.uuid = g.uuid AND x.imported = 1
                AND x.member = g.member AND x.cycle = g.cycle)
            AND (s.revision = 1 OR s.confirmed = 1)
        UNION ALL
        SELECT c.member, c.cycle, c.held, c.uuid, n.id, n.revision, coalesce(n.digest, '')
        FROM chain c JOIN assessment n ON n.uuid = c.uuid AND n.revision = c.revision + 1 AND n.imported = 1
            AND n.member = c.member AND n.cycle = c.cycle
        WHERE (c.digest <> '' AND n.previous_digest = c.digest) OR n.confirmed = 1
    ),
    counting (member, cycle, held, id, revision) AS (
        SELECT member, cycle, held, id, max(revision) FROM chain GROUP BY member, cycle
    )";

/// Which member/cycle groups a counting query covers.
#[derive(Debug, Clone, Copy)]
enum Filter<'a> {
    All,
    Cycle(i32),
    Member(&'a str, i32),
}

fn counting_sql(filter: &Filter, select: &str) -> String {
    let f = match filter {
        Filter::All => "",
        Filter::Cycle(_) => "AND a.cycle = ?1",
        Filter::Member(..) => "AND a.cycle = ?1 AND a.member = ?2",
    };
    format!("{} {select}", COUNTING.replace("{filter}", f))
}

/// (pillar, 0-100 score) of one revision.
pub type PillarScores = Vec<(String, Option<f64>)>;

/// (cycle, member, revision that counts, its stored pillar scores if any).
pub type CountingScores = (i32, String, AssessmentId, Option<PillarScores>);

/// A file already imported, byte for byte (see [`Store::already_imported`]).
#[derive(Debug, Clone, PartialEq)]
pub struct KnownFile {
    pub member: String,
    pub cycle: i32,
    pub revision: u32,
    pub fingerprint: String,
}

impl Store {
    /// The file with these bytes (hex SHA-256), if it was accepted before, its revision is still
    /// the one held (not replaced by a person's choice) and it was signed by the member's active
    /// key (or no key is pinned): importing it again can only be "already imported", without
    /// reading it again. Anything else (a conflict, a file held, a replaced revision, a key that
    /// changed since) is None: the file is read and judged as any other.
    pub fn already_imported(&self, file_sha256: &str) -> Result<Option<KnownFile>> {
        use rusqlite::OptionalExtension;
        Ok(self
            .conn
            .prepare_cached(
                "SELECT f.member, f.cycle, f.revision, f.fingerprint FROM return_file f
                    JOIN assessment a ON a.id = f.assessment_id AND a.digest = f.digest
                 WHERE f.file_sha256 = ?1 AND f.outcome IN ('accepted', 'supersedes')
                    AND f.signer = coalesce((SELECT k.public_key FROM member_key k WHERE k.member = f.member
                        AND k.active = 1), f.signer)
                 LIMIT 1",
            )?
            .query_row([file_sha256], |r| {
                Ok(KnownFile { member: r.get(0)?, cycle: r.get(1)?, revision: r.get(2)?, fingerprint: r.get(3)? })
            })
            .optional()?)
    }

    /// The SHA-256 of every file received (any outcome): a file outside it cannot be "already
    /// imported" (see [`Store::already_imported`]). Read from the index, not the files.
    pub fn received_hashes(&self) -> Result<std::collections::HashSet<String>> {
        let mut stmt = self.conn.prepare_cached("SELECT DISTINCT file_sha256 FROM return_file")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The revision that counts per member and cycle (optionally of one cycle), by cycle then
    /// member. Members with nothing that counts are absent.
    pub fn counting_revisions(&self, cycle: Option<i32>) -> Result<Vec<Counting>> {
        self.counting(match cycle {
            Some(c) => Filter::Cycle(c),
            None => Filter::All,
        })
    }

    /// The revision of `member`'s assessment that counts for `cycle`, if any.
    pub fn counting_revision(&self, member: &str, cycle: i32) -> Result<Option<Counting>> {
        Ok(self.counting(Filter::Member(member, cycle))?.pop())
    }

    fn counting(&self, filter: Filter) -> Result<Vec<Counting>> {
        let sql = counting_sql(
            &filter,
            "SELECT k.id, a.uuid, k.member, k.cycle, k.revision,
                (SELECT min(f.received_at) FROM return_file f WHERE f.assessment_id = k.id), k.held
             FROM counting k JOIN assessment a ON a.id = k.id ORDER BY k.cycle, k.member",
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let map = |r: &rusqlite::Row| {
            Ok(Counting {
                id: r.get(0)?,
                uuid: r.get(1)?,
                member: r.get(2)?,
                cycle: r.get(3)?,
                revision: r.get(4)?,
                received_at: r.get(5)?,
                revisions_held: r.get::<_, i64>(6)? as usize,
            })
        };
        let rows = match filter {
            Filter::All => stmt.query_map([], map)?.collect::<rusqlite::Result<Vec<_>>>()?,
            Filter::Cycle(c) => stmt.query_map([c], map)?.collect::<rusqlite::Result<Vec<_>>>()?,
            Filter::Member(m, c) => stmt.query_map(params![c, m], map)?.collect::<rusqlite::Result<Vec<_>>>()?,
        };
        Ok(rows)
    }

    /// The stored pillar scores (pillar, 0-100 score) of every revision that counts, by cycle
    /// then member: `None` for a revision without stored scores of version `scoring`.
    pub fn counting_pillar_scores(&self, scoring: i64) -> Result<Vec<CountingScores>> {
        let sql = counting_sql(
            &Filter::All,
            "SELECT k.cycle, k.member, k.id, s.scoring, p.pillar, p.score
             FROM counting k LEFT JOIN revision_score s ON s.assessment_id = k.id AND s.scoring = ?1
                LEFT JOIN pillar_score p ON p.assessment_id = s.assessment_id
             ORDER BY k.cycle, k.member, p.pillar",
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([scoring])?;
        let mut out: Vec<CountingScores> = Vec::new();
        while let Some(r) = rows.next()? {
            let id: AssessmentId = r.get(2)?;
            let stored: Option<i64> = r.get(3)?;
            if out.last().is_none_or(|l| l.2 != id) {
                out.push((r.get(0)?, r.get(1)?, id, stored.map(|_| Vec::new())));
            }
            if let (Some(pillars), Some(p)) =
                (out.last_mut().and_then(|l| l.3.as_mut()), r.get::<_, Option<String>>(4)?)
            {
                pillars.push((p, r.get(5)?));
            }
        }
        Ok(out)
    }

    /// True when every imported revision has stored scores of version `scoring`: the cheap test
    /// made at every start before [`Store::unscored_revisions`], which reads every imported
    /// revision (9 ms against 75 ms from a cold disk at 10,005 returns). Scores are stored for
    /// imported revisions only, one row each, so equal counts mean none is missing.
    pub fn all_scored(&self, scoring: i64) -> Result<bool> {
        Ok(self.conn.query_row(
            "SELECT (SELECT count(*) FROM assessment WHERE imported = 1)
                 <= (SELECT count(*) FROM revision_score WHERE scoring = ?1)",
            [scoring],
            |r| r.get(0),
        )?)
    }

    /// Up to `limit` imported revisions without stored scores of version `scoring`, oldest first.
    pub fn unscored_revisions(&self, scoring: i64, limit: usize) -> Result<Vec<AssessmentId>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT a.id FROM assessment a LEFT JOIN revision_score s ON s.assessment_id = a.id
             WHERE a.imported = 1 AND (s.scoring IS NULL OR s.scoring <> ?1) ORDER BY a.id LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![scoring, limit as i64], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// The stored scores of a revision, if any.
    pub fn revision_scores(&self, id: AssessmentId) -> Result<Option<RevisionScores>> {
        use rusqlite::OptionalExtension;
        let head = self
            .conn
            .prepare_cached(
                "SELECT scoring, overall, ability, willingness, quadrant FROM revision_score WHERE assessment_id = ?1",
            )?
            .query_row([id], |r| {
                Ok(RevisionScores {
                    scoring: r.get(0)?,
                    overall: r.get(1)?,
                    ability: r.get(2)?,
                    willingness: r.get(3)?,
                    quadrant: r.get(4)?,
                    pillars: Vec::new(),
                })
            })
            .optional()?;
        let Some(mut s) = head else { return Ok(None) };
        let mut stmt = self
            .conn
            .prepare_cached("SELECT pillar, level, score FROM pillar_score WHERE assessment_id = ?1 ORDER BY pillar")?;
        s.pillars =
            stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<rusqlite::Result<_>>()?;
        Ok(Some(s))
    }

    /// Stores (or replaces) the scores of revisions, all in one transaction (inside an import
    /// batch, under a savepoint).
    pub fn store_scores(&mut self, items: &[(AssessmentId, RevisionScores)]) -> Result<()> {
        let sp = self.conn.savepoint()?;
        for (id, s) in items {
            insert_scores(&sp, *id, s)?;
        }
        sp.commit()?;
        Ok(())
    }
}

/// Writes a revision's scores (replacing any stored before).
pub(super) fn insert_scores(tx: &Connection, id: AssessmentId, s: &RevisionScores) -> Result<()> {
    tx.prepare_cached("DELETE FROM pillar_score WHERE assessment_id = ?1")?.execute([id])?;
    tx.prepare_cached("DELETE FROM revision_score WHERE assessment_id = ?1")?.execute([id])?;
    tx.prepare_cached(
        "INSERT INTO revision_score (assessment_id, scoring, overall, ability, willingness, quadrant)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![id, s.scoring, s.overall, s.ability, s.willingness, s.quadrant])?;
    let mut ins =
        tx.prepare_cached("INSERT INTO pillar_score (assessment_id, pillar, level, score) VALUES (?1, ?2, ?3, ?4)")?;
    for (pillar, level, score) in &s.pillars {
        ins.execute(params![id, pillar, level, score])?;
    }
    Ok(())
}
