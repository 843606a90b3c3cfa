//! Row mapping helpers shared by the store's parts.

use super::Result;
use crate::assessment::{Header, Status};
use crate::framework::Profile;
use crate::ids::AssessmentId;
use rusqlite::{Connection, Row, params};

pub(super) fn opt_text(v: Option<String>) -> rusqlite::types::Value {
    v.map(rusqlite::types::Value::Text).unwrap_or(rusqlite::types::Value::Null)
}

pub(super) fn insert_profile(tx: &Connection, id: AssessmentId, p: &Profile) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO profile (assessment_id, hs_version, rkc, wto_valuation, risk_management, automation, arusha, pca)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        id,
        p.hs_version,
        p.rkc,
        p.wto_valuation,
        p.risk_management,
        p.automation,
        p.arusha,
        p.pca
    ])?;
    Ok(())
}

pub(super) const HEADER_COLS: &str =
    "a.id, a.uuid, a.member, a.cycle, a.revision, a.framework_version, a.status, a.assessor_name,
    a.assessor_role, a.language, a.created_at, a.updated_at, a.finalised_at, a.approved_by, a.imported,
    a.content_revision";

pub(super) fn header_from_row(r: &Row) -> rusqlite::Result<Header> {
    let status: String = r.get(6)?;
    Ok(Header {
        id: r.get(0)?,
        uuid: r.get(1)?,
        member: r.get(2)?,
        cycle: r.get(3)?,
        revision: r.get(4)?,
        framework_version: r.get(5)?,
        status: Status::from_code(&status).unwrap_or(Status::Draft),
        assessor_name: r.get(7)?,
        assessor_role: r.get(8)?,
        language: r.get(9)?,
        created_at: r.get(10)?,
        updated_at: r.get(11)?,
        finalised_at: r.get(12)?,
        approved_by: r.get(13)?,
        imported: r.get::<_, i64>(14)? != 0,
        content_revision: r.get(15)?,
    })
}
