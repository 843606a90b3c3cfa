//! Assessments: drafts, answers, sign-off, revisions.

use super::rows::{HEADER_COLS, header_from_row, insert_profile, opt_text};
use super::{Result, Store, StoreError, now};
use crate::assessment::limits::{COMMENT_MAX, EVIDENCE_MAX, NAME_MAX, ROLE_MAX};
use crate::assessment::{
    Answer, Assessment, Commitment, Confidence, Header, NeedCategory, NewAssessment, Response, ResponseChange,
    RevisionChain, Status, StoredRevision, Summary,
};
use crate::framework::{self, Profile};
use crate::ids::AssessmentId;
use rusqlite::{OptionalExtension, params};

impl Store {
    /// Starts a draft for a member and cycle: every indicator of the current framework with its
    /// default target, and the member's baseline profile (Appendix 1 of the plan).
    pub fn create_assessment(&mut self, new: &NewAssessment) -> Result<AssessmentId> {
        let uuid = uuid::Uuid::new_v4().to_string();
        let tx = self.conn.transaction()?;
        let id = insert_assessment(&tx, new, &uuid)?;
        tx.commit()?;
        Ok(id)
    }

    pub fn list(&self) -> Result<Vec<Summary>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {HEADER_COLS},
                (SELECT count(*) FROM response r WHERE r.assessment_id = a.id AND r.answer IS NOT NULL),
                (SELECT count(*) FROM response r WHERE r.assessment_id = a.id)
             FROM assessment a ORDER BY a.cycle DESC, a.member, a.revision DESC"
        ))?;
        let rows = stmt.query_map([], |r| {
            Ok(Summary {
                header: header_from_row(r)?,
                answered: r.get::<_, i64>(16)? as usize,
                total: r.get::<_, i64>(17)? as usize,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    pub fn header(&self, id: AssessmentId) -> Result<Header> {
        self.conn
            .prepare_cached(&format!("SELECT {HEADER_COLS} FROM assessment a WHERE a.id = ?1"))?
            .query_row([id], header_from_row)
            .optional()?
            .ok_or(StoreError::NotFound)
    }

    pub fn load(&self, id: AssessmentId) -> Result<Assessment> {
        let header = self.header(id)?;
        let profile = self.conn.prepare_cached(
            "SELECT hs_version, rkc, wto_valuation, risk_management, automation, arusha, pca FROM profile WHERE assessment_id = ?1",
        )?.query_row(
            [id],
            |r| {
                Ok(Profile {
                    hs_version: r.get(0)?,
                    rkc: r.get(1)?,
                    wto_valuation: r.get(2)?,
                    risk_management: r.get(3)?,
                    automation: r.get(4)?,
                    arusha: r.get(5)?,
                    pca: r.get(6)?,
                })
            },
        )?;
        let responses = self
            .conn
            .prepare_cached(&format!(
                "SELECT {RESPONSE_COLS} FROM response WHERE assessment_id = ?1 ORDER BY position"
            ))?
            .query_map([id], response_from_row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let plan = super::plan::load_plan(&self.conn, id)?;
        let replies = super::replies::load_replies(&self.conn, id)?;
        let contributors = super::attribution::contributors(&self.conn, id)?;
        Ok(Assessment { header, profile, responses, plan, replies, contributors })
    }

    /// Gives every draft started under an earlier content revision of the framework the rows of
    /// the indicators added since (unanswered, default target), so the officer sees and can answer
    /// them. Finalised revisions are never touched. Returns how many drafts were completed.
    pub fn complete_drafts(&mut self) -> Result<usize> {
        let n = framework::current().indicators.len() as i64;
        let ids: Vec<AssessmentId> = self
            .conn
            .prepare_cached(
                "SELECT id FROM assessment a WHERE status = 'draft'
                 AND (SELECT count(*) FROM response r WHERE r.assessment_id = a.id) < ?1",
            )?
            .query_map([n], |r| r.get(0).map(AssessmentId))?
            .collect::<rusqlite::Result<_>>()?;
        if ids.is_empty() {
            return Ok(0);
        }
        let tx = self.conn.transaction()?;
        for id in &ids {
            add_new_indicators(&tx, *id)?;
        }
        tx.commit()?;
        Ok(ids.len())
    }

    pub(super) fn ensure_draft(&self, id: AssessmentId) -> Result<()> {
        match self.header(id)?.status {
            Status::Draft => Ok(()),
            Status::Finalised => Err(StoreError::Finalised),
        }
    }

    /// Writes one change to one response, in its own transaction.
    pub fn update_response(&mut self, id: AssessmentId, indicator: &str, change: &ResponseChange) -> Result<()> {
        self.ensure_draft(id)?;
        super::attribution::check_asked(&self.conn, id, indicator)?;
        // Nothing longer than a return may carry is kept: it could not be sent.
        match change {
            ResponseChange::Evidence(s) => too_long("evidence", s, EVIDENCE_MAX)?,
            ResponseChange::Comment(s) => too_long("comment", s, COMMENT_MAX)?,
            _ => {}
        }
        let (column, value): (&str, rusqlite::types::Value) = match change {
            ResponseChange::Answer(a) => ("answer", opt_text(a.code())),
            ResponseChange::Target(t) if *t <= 4 => ("target", rusqlite::types::Value::Integer(*t as i64)),
            ResponseChange::Target(t) => return Err(StoreError::Invalid(format!("target {t} out of range"))),
            ResponseChange::Confidence(c) => ("confidence", opt_text(c.map(|c| c.code().to_string()))),
            ResponseChange::Commitment(c) => ("commitment", opt_text(c.map(|c| c.code().to_string()))),
            ResponseChange::Evidence(s) => ("evidence", rusqlite::types::Value::Text(s.clone())),
            ResponseChange::Comment(s) => ("comment", rusqlite::types::Value::Text(s.clone())),
            ResponseChange::Need(n) => ("need", opt_text(n.map(|n| n.code().to_string()))),
            ResponseChange::Reply(text) => return self.set_reply(id, indicator, text),
        };
        let ts = now();
        let tx = self.conn.transaction()?;
        // Choosing a target (the suggested one too) makes it the officer's.
        let also = if matches!(change, ResponseChange::Target(_)) { ", target_confirmed = 1" } else { "" };
        let sql = format!(
            "UPDATE response SET {column} = ?1{also}, updated_at = ?2 WHERE assessment_id = ?3 AND indicator = ?4"
        );
        let mut n = tx.execute(&sql, params![value, ts, id, indicator])?;
        if n == 0 && framework::current().indicator(indicator).is_some() {
            // A draft started before this indicator joined the framework: give it its row, then
            // the answer, rather than refusing what the officer just chose.
            add_new_indicators(&tx, id)?;
            n = tx.execute(&sql, params![value, ts, id, indicator])?;
        }
        if n != 1 {
            return Err(StoreError::Invalid(format!("unknown indicator {indicator}")));
        }
        tx.execute("UPDATE assessment SET updated_at = ?1 WHERE id = ?2", params![ts, id])?;
        if matches!(change, ResponseChange::Answer(_)) {
            // Answered again: checked against the descriptors now in use (framework files).
            tx.execute(
                "DELETE FROM response_recheck WHERE assessment_id = ?1 AND indicator = ?2",
                params![id, indicator],
            )?;
        }
        super::attribution::attribute_local(&tx, id, indicator, &ts)?;
        tx.commit()?;
        Ok(())
    }

    pub fn update_profile(&mut self, id: AssessmentId, profile: &Profile) -> Result<()> {
        self.ensure_draft(id)?;
        let tx = self.conn.transaction()?;
        tx.execute(
            "UPDATE profile SET hs_version = ?1, rkc = ?2, wto_valuation = ?3, risk_management = ?4, automation = ?5,
                arusha = ?6, pca = ?7 WHERE assessment_id = ?8",
            params![
                profile.hs_version,
                profile.rkc,
                profile.wto_valuation,
                profile.risk_management,
                profile.automation,
                profile.arusha,
                profile.pca,
                id
            ],
        )?;
        tx.execute("UPDATE assessment SET updated_at = ?1 WHERE id = ?2", params![now(), id])?;
        tx.commit()?;
        Ok(())
    }

    pub fn update_assessor(&mut self, id: AssessmentId, name: &str, role: &str) -> Result<()> {
        self.ensure_draft(id)?;
        too_long("name", name, NAME_MAX)?;
        too_long("role", role, ROLE_MAX)?;
        self.conn.execute(
            "UPDATE assessment SET assessor_name = ?1, assessor_role = ?2, updated_at = ?3 WHERE id = ?4",
            params![name, role, now(), id],
        )?;
        Ok(())
    }

    /// Signs off a draft: it becomes read-only. Then makes the automatic `finalise` backup; if
    /// that fails the sign-off stands ([`Store::last_backup_problem`] says why).
    ///
    /// The store does not know the return file's rules: the app calls
    /// `exchange::finalise_problems` first, so what is signed off can be sent.
    pub fn finalise(&mut self, id: AssessmentId, approved_by: &str) -> Result<()> {
        self.finalise_as(id, approved_by, None)
    }

    /// Finalises, recording `lang` as the language the revision was signed off in (the return
    /// carries it).
    pub fn finalise_in(&mut self, id: AssessmentId, approved_by: &str, lang: crate::lang::Lang) -> Result<()> {
        self.finalise_as(id, approved_by, Some(lang))
    }

    fn finalise_as(&mut self, id: AssessmentId, approved_by: &str, lang: Option<crate::lang::Lang>) -> Result<()> {
        self.ensure_draft(id)?;
        super::attribution::check_can_sign_off(&self.conn, id)?;
        if approved_by.trim().is_empty() {
            return Err(StoreError::Refused("store.approver_required", Vec::new()));
        }
        too_long("name", approved_by.trim(), NAME_MAX)?;
        let ts = now();
        self.conn.execute(
            "UPDATE assessment SET status = 'finalised', approved_by = ?1, finalised_at = ?2, updated_at = ?2,
                language = coalesce(?4, language), content_revision = ?5 WHERE id = ?3",
            params![approved_by.trim(), ts, id, lang.map(|l| l.code()), framework::current().meta.revision],
        )?;
        self.auto_backup("finalise");
        Ok(())
    }

    /// Opens revision n+1 of a finalised assessment as a draft copy; returns its id.
    pub fn start_revision(&mut self, id: AssessmentId) -> Result<AssessmentId> {
        let h = self.header(id)?;
        if h.status != Status::Finalised {
            return Err(StoreError::Refused("store.revise_finalised_only", Vec::new()));
        }
        let tx = self.conn.transaction()?;
        let latest: u32 =
            tx.query_row("SELECT max(revision) FROM assessment WHERE uuid = ?1", [&h.uuid], |r| r.get(0))?;
        if latest != h.revision {
            return Err(StoreError::Refused("store.revision_exists", vec![("revision", latest.to_string())]));
        }
        let ts = now();
        tx.execute(
            "INSERT INTO assessment (uuid, member, cycle, revision, framework_version, status, assessor_name,
                assessor_role, language, created_at, updated_at)
             SELECT uuid, member, cycle, revision + 1, framework_version, 'draft', assessor_name, assessor_role,
                language, ?1, ?1 FROM assessment WHERE id = ?2",
            params![ts, id],
        )?;
        let new_id = AssessmentId(tx.last_insert_rowid());
        tx.execute(
            "INSERT INTO response (assessment_id, indicator, position, answer, target, confidence, commitment,
                evidence, comment, need, updated_at, target_confirmed)
             SELECT ?1, indicator, position, answer, target, confidence, commitment, evidence, comment, need, updated_at,
                target_confirmed
             FROM response WHERE assessment_id = ?2",
            params![new_id, id],
        )?;
        tx.execute(
            "INSERT INTO profile SELECT ?1, hs_version, rkc, wto_valuation, risk_management, automation, arusha, pca
             FROM profile WHERE assessment_id = ?2",
            params![new_id, id],
        )?;
        tx.execute(
            "INSERT INTO plan_action SELECT ?1, position, indicator, what, owner, start_quarter, end_quarter,
                resources, request, status, reason, progress, from_cycle FROM plan_action WHERE assessment_id = ?2",
            params![new_id, id],
        )?;
        tx.execute(
            "INSERT INTO attribution SELECT ?1, indicator, name, unit, given_at, source FROM attribution
             WHERE assessment_id = ?2",
            params![new_id, id],
        )?;
        add_new_indicators(&tx, new_id)?;
        tx.commit()?;
        Ok(new_id)
    }

    /// Deletes a draft (a finalised revision is kept forever).
    pub fn delete_draft(&mut self, id: AssessmentId) -> Result<()> {
        self.ensure_draft(id)?;
        self.conn.execute("DELETE FROM assessment WHERE id = ?1", [id])?;
        Ok(())
    }

    /// Digest and app version an imported revision was written with (None for local ones).
    pub fn return_meta(&self, id: AssessmentId) -> Result<(Option<String>, Option<String>, Option<String>)> {
        Ok(self.conn.query_row(
            "SELECT digest, app_version, previous_digest FROM assessment WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?)
    }

    /// A revision with what it was received with (see [`StoredRevision`]).
    pub fn stored_revision(&self, id: AssessmentId) -> Result<StoredRevision> {
        let assessment = self.load(id)?;
        let (digest, app_version, previous_digest) = self.return_meta(id)?;
        Ok(StoredRevision { assessment, app_version, previous_digest, digest })
    }

    /// A revision and every earlier revision of the same assessment held: what its return file is
    /// built from (`exchange::export`).
    pub fn revision_chain(&self, id: AssessmentId) -> Result<RevisionChain> {
        let revision = self.stored_revision(id)?;
        let h = &revision.assessment.header;
        let ids = {
            let mut stmt =
                self.conn.prepare("SELECT id FROM assessment WHERE uuid = ?1 AND revision < ?2 ORDER BY revision")?;
            stmt.query_map(params![h.uuid, h.revision], |r| r.get::<_, AssessmentId>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?
        };
        let earlier = ids.into_iter().map(|id| self.stored_revision(id)).collect::<Result<Vec<_>>>()?;
        Ok(RevisionChain { revision, earlier })
    }

    /// The id of a revision of an assessment, if held.
    pub fn revision_id(&self, uuid: &str, revision: u32) -> Result<Option<AssessmentId>> {
        Ok(self
            .conn
            .query_row("SELECT id FROM assessment WHERE uuid = ?1 AND revision = ?2", params![uuid, revision], |r| {
                r.get(0)
            })
            .optional()?)
    }
}

/// Starts a draft in a transaction (see [`Store::create_assessment`]).
pub(super) fn insert_assessment(tx: &rusqlite::Transaction, new: &NewAssessment, uuid: &str) -> Result<AssessmentId> {
    let member =
        framework::member(&new.member).ok_or_else(|| StoreError::Invalid(format!("unknown member {}", new.member)))?;
    let fw = framework::current();
    let ts = now();
    tx.execute(
        "INSERT INTO assessment (uuid, member, cycle, revision, framework_version, status, assessor_name,
            assessor_role, language, created_at, updated_at)
         VALUES (?1, ?2, ?3, 1, ?4, 'draft', ?5, ?6, ?7, ?8, ?8)",
        params![uuid, member.code, new.cycle, fw.meta.version, new.assessor_name, new.assessor_role, new.language, ts],
    )?;
    let id = AssessmentId(tx.last_insert_rowid());
    {
        let mut ins =
            tx.prepare("INSERT INTO response (assessment_id, indicator, position, target) VALUES (?1, ?2, ?3, ?4)")?;
        for (pos, ind) in fw.indicators.iter().enumerate() {
            ins.execute(params![id, ind.code, pos as i64, ind.default_target])?;
        }
    }
    insert_profile(tx, id, &member.baseline)?;
    // Last cycle's plan, its open actions' status asked again (issue 23).
    if let Some((from, actions)) = super::plan::previous_plan(tx, member.code.as_str(), new.cycle)? {
        super::plan::insert_plan(tx, id, &crate::plan::carried_forward(&actions, from))?;
    }
    Ok(id)
}

/// The columns [`response_from_row`] reads, in its order.
pub(super) const RESPONSE_COLS: &str =
    "indicator, answer, target, confidence, commitment, evidence, comment, need, updated_at, target_confirmed";

pub(super) fn response_from_row(r: &rusqlite::Row) -> rusqlite::Result<Response> {
    let answer: Option<String> = r.get(1)?;
    let confidence: Option<String> = r.get(3)?;
    let commitment: Option<String> = r.get(4)?;
    let need: Option<String> = r.get(7)?;
    Ok(Response {
        indicator: r.get(0)?,
        answer: Answer::from_code(answer.as_deref()).unwrap_or_default(),
        target: r.get(2)?,
        target_confirmed: r.get::<_, i64>(9)? != 0,
        confidence: confidence.as_deref().and_then(Confidence::from_code),
        commitment: commitment.as_deref().and_then(Commitment::from_code),
        evidence: r.get(5)?,
        comment: r.get(6)?,
        need: need.as_deref().and_then(NeedCategory::from_code),
        updated_at: r.get(8)?,
    })
}

/// Writes a whole response (every field, its time as given) over the draft's row.
pub(super) fn write_response(tx: &rusqlite::Connection, id: AssessmentId, r: &Response) -> Result<()> {
    if r.target > 4 {
        return Err(StoreError::Invalid(format!("target {} out of range", r.target)));
    }
    too_long("evidence", &r.evidence, EVIDENCE_MAX)?;
    too_long("comment", &r.comment, COMMENT_MAX)?;
    let n = tx.execute(
        "UPDATE response SET answer = ?1, target = ?2, target_confirmed = ?3, confidence = ?4, commitment = ?5,
            evidence = ?6, comment = ?7, need = ?8, updated_at = ?9 WHERE assessment_id = ?10 AND indicator = ?11",
        params![
            r.answer.code(),
            r.target,
            r.target_confirmed,
            r.confidence.map(|c| c.code()),
            r.commitment.map(|c| c.code()),
            r.evidence,
            r.comment,
            r.need.map(|n| n.code()),
            r.updated_at,
            id,
            r.indicator
        ],
    )?;
    if n != 1 {
        return Err(StoreError::Invalid(format!("unknown indicator {}", r.indicator)));
    }
    Ok(())
}

/// Refuses a text longer than `max` characters.
/// Gives a draft a row for every indicator of the current framework it lacks (indicators added by a
/// later content revision) and puts every row in the framework's order. Existing answers are kept.
fn add_new_indicators(tx: &rusqlite::Transaction, id: AssessmentId) -> Result<()> {
    let mut ins = tx.prepare_cached(
        "INSERT OR IGNORE INTO response (assessment_id, indicator, position, target) VALUES (?1, ?2, ?3, ?4)",
    )?;
    let mut pos = tx.prepare_cached("UPDATE response SET position = ?1 WHERE assessment_id = ?2 AND indicator = ?3")?;
    for (i, ind) in framework::current().indicators.iter().enumerate() {
        ins.execute(params![id, ind.code, i as i64, ind.default_target])?;
        pos.execute(params![i as i64, id, ind.code])?;
    }
    Ok(())
}

fn too_long(field: &str, s: &str, max: usize) -> Result<()> {
    let n = s.chars().count();
    if n > max {
        return Err(StoreError::Invalid(format!("the {field} has {n} characters; at most {max} can be kept")));
    }
    Ok(())
}
