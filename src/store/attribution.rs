//! Who gave each answer (issue 26), and the rules a section puts on a draft: what the rest of the
//! store asks before it changes an answer or signs off.

use super::{Result, StoreError};
use crate::assessment::Contribution;
use crate::ids::AssessmentId;
use rusqlite::{Connection, OptionalExtension, params};

pub(super) fn from_json<T: serde::de::DeserializeOwned>(s: &str) -> rusqlite::Result<T> {
    serde_json::from_str(s)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e)))
}

pub(super) fn set_attribution(
    tx: &Connection,
    id: AssessmentId,
    indicator: &str,
    name: &str,
    unit: &str,
    at: &str,
    source: &str,
) -> Result<()> {
    tx.execute(
        "INSERT OR REPLACE INTO attribution (assessment_id, indicator, name, unit, given_at, source)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![id, indicator, name, unit, at, source],
    )?;
    Ok(())
}

/// Who gave each answer of an assessment, in framework order.
pub(super) fn contributors(conn: &Connection, id: AssessmentId) -> Result<Vec<Contribution>> {
    Ok(conn
        .prepare_cached(
            "SELECT a.indicator, a.name, a.unit FROM attribution a
             LEFT JOIN response r ON r.assessment_id = a.assessment_id AND r.indicator = a.indicator
             WHERE a.assessment_id = ?1 ORDER BY r.position, a.indicator",
        )?
        .query_map([id], |r| Ok(Contribution { indicator: r.get(0)?, name: r.get(1)?, unit: r.get(2)? }))?
        .collect::<rusqlite::Result<_>>()?)
}

/// Keeps who gave a received revision's answers (as its return says).
pub(super) fn insert_contributors(tx: &Connection, id: AssessmentId, list: &[Contribution], at: &str) -> Result<()> {
    for c in list {
        set_attribution(tx, id, &c.indicator, &c.name, &c.unit, at, "return")?;
    }
    Ok(())
}

/// An answer saved on this laptop is the current contributor's, when one is chosen.
pub(super) fn attribute_local(tx: &Connection, id: AssessmentId, indicator: &str, at: &str) -> Result<()> {
    let who: Option<(String, String)> = tx
        .prepare_cached("SELECT name, unit FROM contributor_current WHERE assessment_id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    if let Some((name, unit)) = who {
        set_attribution(tx, id, indicator, &name, &unit, at, "local")?;
    }
    Ok(())
}

/// A colleague's draft answers only the indicators asked.
pub(super) fn check_asked(conn: &Connection, id: AssessmentId, indicator: &str) -> Result<()> {
    let asked: Option<String> = conn
        .prepare_cached("SELECT indicators FROM section_in WHERE assessment_id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?;
    if let Some(asked) = asked
        && !from_json::<Vec<String>>(&asked)?.iter().any(|i| i == indicator)
    {
        return Err(StoreError::Refused("store.section_not_asked", vec![("indicator", indicator.to_string())]));
    }
    Ok(())
}

/// A colleague's section is never signed off, nor a draft with a conflict no one has settled.
pub(super) fn check_can_sign_off(conn: &Connection, id: AssessmentId) -> Result<()> {
    let is_section: bool =
        conn.query_row("SELECT count(*) FROM section_in WHERE assessment_id = ?1", [id], |r| r.get::<_, i64>(0))? > 0;
    if is_section {
        return Err(StoreError::Refused("store.section_no_sign_off", Vec::new()));
    }
    let open: i64 =
        conn.query_row("SELECT count(*) FROM section_conflict WHERE assessment_id = ?1", [id], |r| r.get(0))?;
    if open > 0 {
        return Err(StoreError::Refused("store.section_conflicts_open", vec![("n", open.to_string())]));
    }
    Ok(())
}
