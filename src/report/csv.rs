//! All responses of an assessment as CSV (UTF-8 with BOM so Excel reads accents right).

use crate::assessment::Assessment;
use crate::framework::Framework;
use crate::lang::Lang;
use crate::scoring::Scores;

/// Column names, stable for scripts (English codes, not translated).
pub const HEADERS: [&str; 22] = [
    "member",
    "cycle",
    "revision",
    "status",
    "indicator",
    "pillar",
    "title",
    "answer",
    "level_scored",
    "insufficient_information",
    "target",
    "gap",
    "weight",
    "priority",
    "intervention",
    "priority_areas",
    "confidence",
    "commitment",
    "need",
    "evidence",
    "comment",
    "updated_at",
];

/// One row per indicator, in framework order.
pub fn responses_csv(fw: &Framework, a: &Assessment, scores: &Scores, lang: Lang) -> Result<Vec<u8>, csv::Error> {
    let mut out = Vec::from("\u{feff}".as_bytes());
    {
        let mut w = csv::Writer::from_writer(&mut out);
        w.write_record(HEADERS)?;
        let h = &a.header;
        for r in &a.responses {
            let s = scores.indicators.iter().find(|s| s.code == r.indicator);
            let ind = fw.indicator(&r.indicator);
            w.write_record([
                h.member.clone(),
                h.cycle.to_string(),
                h.revision.to_string(),
                h.status.code().to_string(),
                r.indicator.clone(),
                ind.map(|i| i.pillar.clone()).unwrap_or_default(),
                ind.map(|i| i.title.get(lang).to_string()).unwrap_or_default(),
                r.answer.code().unwrap_or_default(),
                s.and_then(|s| s.value).map(|v| v.to_string()).unwrap_or_default(),
                s.map(|s| s.insufficient.to_string()).unwrap_or_default(),
                r.target.to_string(),
                s.map(|s| s.gap.to_string()).unwrap_or_default(),
                s.map(|s| s.weight.to_string()).unwrap_or_default(),
                s.map(|s| s.priority.to_string()).unwrap_or_default(),
                ind.map(|i| i.intervention.clone()).unwrap_or_default(),
                ind.map(|i| i.priority_areas.join(" ")).unwrap_or_default(),
                r.confidence.map(|c| c.code().to_string()).unwrap_or_default(),
                r.commitment.map(|c| c.code().to_string()).unwrap_or_default(),
                r.need.map(|n| n.code().to_string()).unwrap_or_default(),
                r.evidence.clone(),
                r.comment.clone(),
                r.updated_at.clone().unwrap_or_default(),
            ])?;
        }
        w.flush()?;
    }
    Ok(out)
}
