//! Sections (issue 26): what a coordinator handed out, colleagues' pinned keys, who gave each
//! answer, the conflicts a merge kept, and (a colleague's side) the section a draft answers.
//! A merge is one transaction: every answer of a file, or none.

use super::assessments::{RESPONSE_COLS, insert_assessment, response_from_row, write_response};
use super::attribution::{from_json, set_attribution};
use super::{Result, Store, StoreError, now};
use crate::assessment::limits::CONTRIBUTOR_MAX;
use crate::assessment::{NewAssessment, Response};
use crate::ids::AssessmentId;
use rusqlite::{Connection, OptionalExtension, params};

/// A section handed out.
#[derive(Debug, Clone, PartialEq)]
pub struct SectionOut {
    pub id: String,
    pub assessment: AssessmentId,
    pub colleague: String,
    pub unit: String,
    pub indicators: Vec<String>,
    pub due: Option<String>,
    pub message: String,
    pub written_at: String,
    pub digest: String,
    /// The `written_at` of the last answer file merged.
    pub answered_at: Option<String>,
}

/// The section a colleague's draft answers (its file as it came).
#[derive(Debug, Clone, PartialEq)]
pub struct SectionIn {
    pub assessment: AssessmentId,
    pub section_id: String,
    pub indicators: Vec<String>,
    pub digest: String,
    pub coordinator_key: String,
    pub bytes: Vec<u8>,
}

/// A colleague's key, pinned at their first answer.
#[derive(Debug, Clone, PartialEq)]
pub struct ColleagueKey {
    pub name: String,
    pub unit: String,
    pub public_key: String,
    pub fingerprint: String,
    pub first_seen: String,
}

/// A colleague's answer kept beside ours until a person chooses.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    pub indicator: String,
    pub section_id: String,
    pub name: String,
    pub unit: String,
    pub theirs: Response,
}

/// A verified answer file, to merge.
#[derive(Debug, Clone)]
pub struct ToMerge {
    pub section_id: String,
    pub colleague: String,
    pub unit: String,
    pub public_key: String,
    pub fingerprint: String,
    pub written_at: String,
    /// Each answer's time is when it was given.
    pub answers: Vec<Response>,
}

/// What a merge did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MergeOutcome {
    /// Indicators whose answer was taken.
    pub taken: Vec<String>,
    /// Indicators changed on both sides: both kept, a person chooses.
    pub conflicts: Vec<String>,
    /// Indicators the colleague left as they were.
    pub unchanged: usize,
    /// The colleague's key was pinned by this merge (its fingerprint).
    pub pinned: Option<String>,
}

fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// The key a colleague's name is pinned under: trimmed, case folded.
fn name_key(name: &str) -> String {
    name.trim().to_lowercase()
}

const OUT_COLS: &str = "id, assessment_id, colleague, unit, indicators, due, message, written_at, digest, answered_at";

fn out_from_row(r: &rusqlite::Row) -> rusqlite::Result<SectionOut> {
    Ok(SectionOut {
        id: r.get(0)?,
        assessment: AssessmentId(r.get(1)?),
        colleague: r.get(2)?,
        unit: r.get(3)?,
        indicators: from_json(&r.get::<_, String>(4)?)?,
        due: r.get(5)?,
        message: r.get(6)?,
        written_at: r.get(7)?,
        digest: r.get(8)?,
        answered_at: r.get(9)?,
    })
}

fn responses(conn: &Connection, id: AssessmentId, indicators: &[String]) -> Result<Vec<Response>> {
    let mut stmt = conn
        .prepare_cached(&format!("SELECT {RESPONSE_COLS} FROM response WHERE assessment_id = ?1 AND indicator = ?2"))?;
    let mut out = Vec::new();
    for i in indicators {
        if let Some(r) = stmt.query_row(params![id, i], response_from_row).optional()? {
            out.push(r);
        }
    }
    Ok(out)
}

/// The crash test's hook (tests/it/crash.rs), in debug builds only: with
/// `CDF_TEST_KILL_IN_MERGE=n`, the process is killed (SIGKILL) after the (n+1)th answer of a merge
/// is written, inside its transaction, as a power cut or a task manager would.
#[cfg(all(unix, debug_assertions))]
fn killed_here_in_tests(taken: usize) {
    if std::env::var("CDF_TEST_KILL_IN_MERGE").ok().and_then(|n| n.parse::<usize>().ok()) == Some(taken) {
        // SAFETY: sends a signal to this process; nothing is shared.
        unsafe {
            libc::kill(libc::getpid(), libc::SIGKILL);
        }
    }
}

#[cfg(not(all(unix, debug_assertions)))]
fn killed_here_in_tests(_: usize) {}

impl Store {
    /// Records a section handed out, with its indicators' answers as they stand now.
    pub fn record_section_out(&mut self, s: &SectionOut) -> Result<()> {
        let tx = self.conn.transaction()?;
        let base = responses(&tx, s.assessment, &s.indicators)?;
        tx.execute(
            &format!(
                "INSERT INTO section_out ({OUT_COLS}, base) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, NULL, ?10)"
            ),
            params![
                s.id,
                s.assessment,
                s.colleague,
                s.unit,
                json(&s.indicators),
                s.due,
                s.message,
                s.written_at,
                s.digest,
                json(&base)
            ],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// The sections handed out from an assessment, oldest first.
    pub fn sections_out(&self, id: AssessmentId) -> Result<Vec<SectionOut>> {
        Ok(self
            .conn
            .prepare_cached(&format!(
                "SELECT {OUT_COLS} FROM section_out WHERE assessment_id = ?1 ORDER BY written_at, id"
            ))?
            .query_map([id], out_from_row)?
            .collect::<rusqlite::Result<_>>()?)
    }

    pub fn section_out(&self, section_id: &str) -> Result<Option<SectionOut>> {
        Ok(self
            .conn
            .prepare_cached(&format!("SELECT {OUT_COLS} FROM section_out WHERE id = ?1"))?
            .query_row([section_id], out_from_row)
            .optional()?)
    }

    /// The key pinned for a colleague's name, if any.
    pub fn colleague_key(&self, name: &str) -> Result<Option<ColleagueKey>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT name, unit, public_key, fingerprint, first_seen FROM colleague_key WHERE name = ?1",
            )?
            .query_row([name_key(name)], |r| {
                Ok(ColleagueKey {
                    name: r.get(0)?,
                    unit: r.get(1)?,
                    public_key: r.get(2)?,
                    fingerprint: r.get(3)?,
                    first_seen: r.get(4)?,
                })
            })
            .optional()?)
    }

    /// Merges a verified answer file, all or nothing. The caller has checked that it belongs to
    /// this section, its signer and its time ([`crate::sections`]); here each answer is taken
    /// where ours has not changed since the section was written, else kept as a conflict.
    pub fn merge_section(&mut self, m: &ToMerge) -> Result<MergeOutcome> {
        let tx = self.conn.transaction()?;
        let (id, base): (AssessmentId, String) = tx
            .query_row("SELECT assessment_id, base FROM section_out WHERE id = ?1", [&m.section_id], |r| {
                Ok((AssessmentId(r.get(0)?), r.get(1)?))
            })
            .optional()?
            .ok_or(StoreError::NotFound)?;
        let mut base: Vec<Response> = from_json(&base)?;
        let mut out = MergeOutcome::default();
        let ts = now();
        let key = name_key(&m.colleague);
        let pinned = tx.execute(
            "INSERT OR IGNORE INTO colleague_key (name, unit, public_key, fingerprint, first_seen)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![key, m.unit, m.public_key, m.fingerprint, ts],
        )?;
        if pinned == 1 {
            out.pinned = Some(m.fingerprint.clone());
        }
        let indicators: Vec<String> = m.answers.iter().map(|a| a.indicator.clone()).collect();
        let ours = responses(&tx, id, &indicators)?;
        for theirs in &m.answers {
            let Some(our) = ours.iter().find(|r| r.indicator == theirs.indicator) else { continue };
            let was = base.iter().find(|r| r.indicator == theirs.indicator);
            if was.is_some_and(|b| b.same_answer(theirs)) || our.same_answer(theirs) {
                out.unchanged += 1;
            } else if was.is_none_or(|b| b.same_answer(our)) {
                write_response(&tx, id, theirs)?;
                killed_here_in_tests(out.taken.len());
                let at = theirs.updated_at.clone().unwrap_or_else(|| m.written_at.clone());
                set_attribution(&tx, id, &theirs.indicator, &m.colleague, &m.unit, &at, "section")?;
                tx.execute(
                    "DELETE FROM section_conflict WHERE assessment_id = ?1 AND indicator = ?2",
                    params![id, theirs.indicator],
                )?;
                out.taken.push(theirs.indicator.clone());
            } else {
                tx.execute(
                    "INSERT OR REPLACE INTO section_conflict (assessment_id, indicator, section_id, name, unit, theirs)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![id, theirs.indicator, m.section_id, m.colleague, m.unit, json(theirs)],
                )?;
                out.conflicts.push(theirs.indicator.clone());
            }
            // The colleague's answer is now what a later file from them is compared with.
            base.retain(|b| b.indicator != theirs.indicator);
            base.push(theirs.clone());
        }
        tx.execute(
            "UPDATE section_out SET base = ?1, answered_at = ?2, merged_at = ?3 WHERE id = ?4",
            params![json(&base), m.written_at, ts, m.section_id],
        )?;
        tx.execute("UPDATE assessment SET updated_at = ?1 WHERE id = ?2", params![ts, id])?;
        tx.commit()?;
        Ok(out)
    }

    /// The conflicts a person has to settle on an assessment.
    pub fn section_conflicts(&self, id: AssessmentId) -> Result<Vec<Conflict>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT c.indicator, c.section_id, c.name, c.unit, c.theirs FROM section_conflict c
                 LEFT JOIN response r ON r.assessment_id = c.assessment_id AND r.indicator = c.indicator
                 WHERE c.assessment_id = ?1 ORDER BY r.position",
            )?
            .query_map([id], |r| {
                Ok(Conflict {
                    indicator: r.get(0)?,
                    section_id: r.get(1)?,
                    name: r.get(2)?,
                    unit: r.get(3)?,
                    theirs: from_json(&r.get::<_, String>(4)?)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?)
    }

    /// Settles a conflict: the colleague's answer taken (`take`), or ours kept.
    pub fn settle_conflict(&mut self, id: AssessmentId, indicator: &str, take: bool) -> Result<()> {
        let c =
            self.section_conflicts(id)?.into_iter().find(|c| c.indicator == indicator).ok_or(StoreError::NotFound)?;
        let tx = self.conn.transaction()?;
        if take {
            write_response(&tx, id, &c.theirs)?;
            let at = c.theirs.updated_at.clone().unwrap_or_else(now);
            set_attribution(&tx, id, indicator, &c.name, &c.unit, &at, "section")?;
        }
        tx.execute("DELETE FROM section_conflict WHERE assessment_id = ?1 AND indicator = ?2", params![id, indicator])?;
        tx.execute("UPDATE assessment SET updated_at = ?1 WHERE id = ?2", params![now(), id])?;
        tx.commit()?;
        Ok(())
    }

    /// Who is answering on this laptop now (`None`: nobody named; answers are not attributed).
    pub fn set_contributor(&mut self, id: AssessmentId, who: Option<(&str, &str)>) -> Result<()> {
        match who {
            Some((name, unit)) if !name.trim().is_empty() => {
                // One line within its limit: the return carries it (docs/return-format.md).
                let bad = |s: &str| s.chars().count() > CONTRIBUTOR_MAX || s.chars().any(char::is_control);
                if bad(name) || bad(unit) {
                    return Err(StoreError::Refused("store.contributor_invalid", Vec::new()));
                }
                self.conn.execute(
                    "INSERT OR REPLACE INTO contributor_current (assessment_id, name, unit) VALUES (?1, ?2, ?3)",
                    params![id, name.trim(), unit.trim()],
                )?;
            }
            _ => {
                self.conn.execute("DELETE FROM contributor_current WHERE assessment_id = ?1", [id])?;
            }
        }
        Ok(())
    }

    pub fn contributor(&self, id: AssessmentId) -> Result<Option<(String, String)>> {
        Ok(self
            .conn
            .prepare_cached("SELECT name, unit FROM contributor_current WHERE assessment_id = ?1")?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?)
    }

    /// A colleague's side: a draft for a section received, holding the answers already there, in
    /// one transaction. Its uuid is its own (the coordinator's is in the section file).
    pub fn open_section_draft(
        &mut self,
        new: &NewAssessment,
        answers: &[Response],
        s: &SectionIn,
    ) -> Result<AssessmentId> {
        let tx = self.conn.transaction()?;
        if tx.query_row("SELECT count(*) FROM section_in WHERE section_id = ?1", [&s.section_id], |r| {
            r.get::<_, i64>(0)
        })? > 0
        {
            return Err(StoreError::Refused("store.section_open_already", Vec::new()));
        }
        let id = insert_assessment(&tx, new, &uuid::Uuid::new_v4().to_string())?;
        for a in answers {
            write_response(&tx, id, a)?;
        }
        tx.execute(
            "INSERT INTO section_in (assessment_id, section_id, indicators, digest, coordinator_key, bytes)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![id, s.section_id, json(&s.indicators), s.digest, s.coordinator_key, s.bytes],
        )?;
        tx.commit()?;
        Ok(id)
    }

    /// The section a draft answers, if it is a colleague's.
    pub fn section_in(&self, id: AssessmentId) -> Result<Option<SectionIn>> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT assessment_id, section_id, indicators, digest, coordinator_key, bytes FROM section_in
                 WHERE assessment_id = ?1",
            )?
            .query_row([id], |r| {
                Ok(SectionIn {
                    assessment: AssessmentId(r.get(0)?),
                    section_id: r.get(1)?,
                    indicators: from_json(&r.get::<_, String>(2)?)?,
                    digest: r.get(3)?,
                    coordinator_key: r.get(4)?,
                    bytes: r.get(5)?,
                })
            })
            .optional()?)
    }

    /// The drafts that answer a section here.
    pub fn section_drafts(&self) -> Result<Vec<AssessmentId>> {
        Ok(self
            .conn
            .prepare_cached("SELECT assessment_id FROM section_in ORDER BY assessment_id")?
            .query_map([], |r| r.get(0).map(AssessmentId))?
            .collect::<rusqlite::Result<_>>()?)
    }
}
