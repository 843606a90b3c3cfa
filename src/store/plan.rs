//! The administration's development plan (issue 23, migration `010_plan.sql`): the actions of a
//! revision, kept in the order written.

use super::{Result, Store, StoreError, now};
use crate::ids::AssessmentId;
use crate::plan::{Action, ActionStatus, Quarter, Resources};
use rusqlite::{Connection, params};

const COLS: &str =
    "indicator, what, owner, start_quarter, end_quarter, resources, request, status, reason, progress, from_cycle";

impl Store {
    /// The plan of a revision, in the order written.
    pub fn plan(&self, id: AssessmentId) -> Result<Vec<Action>> {
        load_plan(&self.conn, id)
    }

    /// Replaces the plan of a draft, in one transaction. Every action is checked
    /// (`plan::check_plan`): nothing a return could not carry is kept.
    pub fn replace_plan(&mut self, id: AssessmentId, actions: &[Action]) -> Result<()> {
        let h = self.header(id)?;
        if h.status != crate::assessment::Status::Draft {
            return Err(StoreError::Finalised);
        }
        let fw = crate::framework::get(h.framework_version);
        crate::plan::check_plan(actions, fw).map_err(|(i, e)| StoreError::Invalid(format!("action {}: {e}", i + 1)))?;
        let tx = self.conn.transaction()?;
        tx.execute("DELETE FROM plan_action WHERE assessment_id = ?1", [id])?;
        insert_plan(&tx, id, actions)?;
        tx.execute("UPDATE assessment SET updated_at = ?1 WHERE id = ?2", params![now(), id])?;
        tx.commit()?;
        Ok(())
    }
}

/// The plan of a revision, in the order written.
pub(super) fn load_plan(conn: &Connection, id: AssessmentId) -> Result<Vec<Action>> {
    let mut stmt =
        conn.prepare_cached(&format!("SELECT {COLS} FROM plan_action WHERE assessment_id = ?1 ORDER BY position"))?;
    let rows = stmt.query_map([id], |r| {
        let q = |i: usize| -> rusqlite::Result<Quarter> {
            let s: String = r.get(i)?;
            Quarter::parse(&s).ok_or_else(|| rusqlite::Error::InvalidColumnType(i, s, rusqlite::types::Type::Text))
        };
        let resources: String = r.get(5)?;
        let status: Option<String> = r.get(7)?;
        Ok(Action {
            indicator: r.get(0)?,
            what: r.get(1)?,
            owner: r.get(2)?,
            start: q(3)?,
            end: q(4)?,
            resources: Resources::from_code(&resources).unwrap_or(Resources::Own),
            request: r.get(6)?,
            status: status.as_deref().and_then(ActionStatus::from_code),
            reason: r.get(8)?,
            progress: r.get(9)?,
            from_cycle: r.get(10)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Writes actions as the plan of `id` (which has none yet).
pub(super) fn insert_plan(conn: &Connection, id: AssessmentId, actions: &[Action]) -> Result<()> {
    let mut ins = conn.prepare_cached(&format!(
        "INSERT INTO plan_action (assessment_id, position, {COLS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
    ))?;
    for (i, a) in actions.iter().enumerate() {
        ins.execute(params![
            id,
            i as i64,
            a.indicator,
            a.what,
            a.owner,
            a.start.to_string(),
            a.end.to_string(),
            a.resources.code(),
            a.request,
            a.status.map(|s| s.code()),
            a.reason,
            a.progress,
            a.from_cycle
        ])?;
    }
    Ok(())
}

/// The plan of the latest revision of `member`'s most recent cycle before `cycle` that was
/// signed off (a local one, not a copy received), with that cycle.
pub(super) fn previous_plan(conn: &Connection, member: &str, cycle: i32) -> Result<Option<(i32, Vec<Action>)>> {
    use rusqlite::OptionalExtension;
    let prev: Option<(AssessmentId, i32)> = conn
        .query_row(
            "SELECT id, cycle FROM assessment WHERE member = ?1 AND cycle < ?2 AND status = 'finalised'
             ORDER BY cycle DESC, revision DESC LIMIT 1",
            params![member, cycle],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    match prev {
        Some((id, c)) => Ok(Some((c, load_plan(conn, id)?))),
        None => Ok(None),
    }
}
