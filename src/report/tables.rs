//! The consolidated data of a cycle as typed tables, shared by the XLSX workbook and the CSV
//! files: one [`Sheet`] per subject, with translated names and headers.
//!
//! Cells keep their type (text, integer, number, share) so the workbook can format numbers as
//! numbers; CSV writes them as plain text with a dot as decimal separator, for scripts.

use crate::assessment::{Answer, NeedCategory};
use crate::framework::{self, Framework};
use crate::lang::Lang;
use crate::scoring;
use crate::secretariat::consolidate::{Consolidation, MeValue, MemberReturn, ReturnStatus};

/// One cell of a sheet.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Int(i64),
    /// Shown with one decimal.
    Num(f64),
    /// A share 0-1, shown as a percentage.
    Pct(f64),
    Empty,
}

impl Cell {
    /// The cell as people read it: numbers with one decimal, shares as "45%".
    pub fn display(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Int(n) => n.to_string(),
            Cell::Num(v) => format!("{v:.1}"),
            Cell::Pct(v) => format!("{:.0}%", v * 100.0),
            Cell::Empty => String::new(),
        }
    }

    /// The cell as written to CSV: shares as a number 0-100 with one decimal.
    pub fn csv(&self) -> String {
        match self {
            Cell::Pct(v) => format!("{:.1}", v * 100.0),
            other => other.display(),
        }
    }
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

fn opt_text(s: Option<impl Into<String>>) -> Cell {
    match s {
        Some(s) => {
            let s = s.into();
            if s.is_empty() { Cell::Empty } else { Cell::Text(s) }
        }
        None => Cell::Empty,
    }
}

fn num(v: Option<f64>) -> Cell {
    v.filter(|v| v.is_finite()).map_or(Cell::Empty, Cell::Num)
}

fn int(v: impl Into<i64>) -> Cell {
    Cell::Int(v.into())
}

/// One table: a worksheet of the workbook, or one CSV file.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    /// Translated; the workbook shortens and cleans it to a valid worksheet name.
    pub name: String,
    pub headers: Vec<String>,
    /// Column widths in characters (Excel's unit), one per header.
    pub widths: Vec<f64>,
    pub rows: Vec<Vec<Cell>>,
}

impl Sheet {
    fn new(name: &str, columns: &[(&str, f64)], lang: Lang) -> Sheet {
        Sheet {
            name: lang.t(name).to_string(),
            headers: columns.iter().map(|(k, _)| lang.t(k).to_string()).collect(),
            widths: columns.iter().map(|(_, w)| *w).collect(),
            rows: Vec::new(),
        }
    }
}

/// "2026-04-10 14:15" from an RFC 3339 time (or an ISO local time); anything else as given.
pub fn when(s: &str) -> String {
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
        return t.format("%Y-%m-%d %H:%M").to_string();
    }
    for f in ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"] {
        if let Ok(t) = chrono::NaiveDateTime::parse_from_str(s, f) {
            return t.format("%Y-%m-%d %H:%M").to_string();
        }
    }
    s.to_string()
}

pub fn member_name(code: &str, lang: Lang) -> String {
    framework::member(code).map(|m| m.name.get(lang).to_string()).unwrap_or_else(|| code.to_string())
}

pub fn subregion_name(code: &str, lang: Lang) -> String {
    framework::member(code).map(|m| lang.t(&format!("subregion.{}", m.subregion)).to_string()).unwrap_or_default()
}

pub fn status_text(s: ReturnStatus, lang: Lang) -> &'static str {
    lang.t(match s {
        ReturnStatus::NotReceived => "register.not_received",
        ReturnStatus::Received => "register.received_status",
        ReturnStatus::Conflict => "register.conflict",
        ReturnStatus::Waiting => "register.waiting",
    })
}

fn answer_cell(a: Answer, lang: Lang) -> Cell {
    match a {
        Answer::Level(l) => int(l),
        Answer::NotApplicable => text(lang.t("answer.na")),
        Answer::Insufficient => text(lang.t("answer.insufficient")),
        Answer::Unanswered => Cell::Empty,
    }
}

fn need_cell(n: Option<NeedCategory>) -> Cell {
    opt_text(n.map(|n| n.code()))
}

/// Every sheet of the consolidation, in the order of the workbook.
pub fn sheets(c: &Consolidation, lang: Lang) -> Vec<Sheet> {
    let fw = framework::current();
    vec![
        register(c, lang),
        scores(c, fw, lang),
        responses(c, fw, lang),
        gaps(c, fw, lang),
        requests(c, fw, lang),
        me(c, lang),
    ]
    .into_iter()
    .chain((!c.effects.is_empty()).then(|| effects(c, lang)))
    .collect()
}

/// Did the delivered interventions help: the figures behind the regional report's table.
fn effects(c: &Consolidation, lang: Lang) -> Sheet {
    let mut s = Sheet::new(
        "report.regional.effects",
        &[
            ("programme.col_title", 36.0),
            ("programme.col_indicators", 16.0),
            ("report.col.effect_from", 10.0),
            ("report.col.effect_to", 10.0),
            ("report.col.effect_served_n", 12.0),
            ("report.col.effect_served", 12.0),
            ("report.col.effect_others_n", 12.0),
            ("report.col.effect_others", 12.0),
            ("report.col.effect_difference", 12.0),
        ],
        lang,
    );
    for e in &c.effects {
        let x = &e.effect;
        s.rows.push(vec![
            text(crate::exchange::clean_text(&e.title)),
            text(e.indicators.join(", ")),
            int(x.from as i64),
            int(x.to as i64),
            int(x.served.members as i64),
            num(x.served.change),
            int(x.comparison.members as i64),
            num(x.comparison.change),
            num(x.difference),
        ]);
    }
    s
}

fn register(c: &Consolidation, lang: Lang) -> Sheet {
    let mut s = Sheet::new(
        "register.title",
        &[
            ("report.col.code", 8.0),
            ("col.member", 28.0),
            ("register.subregion", 22.0),
            ("col.status", 16.0),
            ("col.revision", 10.0),
            ("register.received", 18.0),
            ("report.col.finalised", 18.0),
            ("report.col.approved_by", 28.0),
            ("report.col.revisions_held", 12.0),
            ("report.col.open_conflicts", 12.0),
            ("report.col.content_revision", 12.0),
        ],
        lang,
    );
    for m in &c.members {
        let h = m.assessment.as_ref().map(|a| &a.header);
        s.rows.push(vec![
            text(&m.member),
            text(member_name(&m.member, lang)),
            text(subregion_name(&m.member, lang)),
            text(status_text(m.status, lang)),
            m.revision().map_or(Cell::Empty, int),
            opt_text(m.received_at.as_deref().map(when)),
            opt_text(h.and_then(|h| h.finalised_at.as_deref()).map(when)),
            opt_text(h.and_then(|h| h.approved_by.clone())),
            int(m.revisions_held as i64),
            int(m.conflicts.len() as i64),
            h.map_or(Cell::Empty, |h| int(h.content_revision.unwrap_or(1) as i64)),
        ]);
    }
    s
}

fn scores(c: &Consolidation, fw: &Framework, lang: Lang) -> Sheet {
    let pillars: Vec<String> = fw.meta.pillars.iter().map(|p| p.name.get(lang).to_string()).collect();
    let mut s = Sheet::new("report.sheet.scores", &[("report.col.code", 8.0), ("col.member", 28.0)], lang);
    s.headers.push(lang.t("register.subregion").into());
    s.widths.push(22.0);
    for p in pillars {
        s.headers.push(p);
        s.widths.push(14.0);
    }
    for (k, w) in [
        ("results.overall", 10.0),
        ("report.col.verdict", 22.0),
        ("report.col.ability", 10.0),
        ("report.col.willingness", 12.0),
        ("pdf.insufficient", 14.0),
    ] {
        s.headers.push(lang.t(k).into());
        s.widths.push(w);
    }
    for m in &c.members {
        let mut row = vec![text(&m.member), text(member_name(&m.member, lang)), text(subregion_name(&m.member, lang))];
        match &m.scores {
            Some(sc) => {
                for p in &fw.meta.pillars {
                    row.push(num(sc.pillar_score(&p.code)));
                }
                row.push(num(sc.overall));
                row.push(opt_text(sc.readiness.quadrant.map(|q| lang.t(&format!("verdict.short_{}", q.code())))));
                row.push(num(sc.readiness.ability));
                row.push(num(sc.readiness.willingness));
                row.push(int(sc.insufficient as i64));
            }
            None => row.extend(std::iter::repeat_n(Cell::Empty, fw.meta.pillars.len() + 5)),
        }
        s.rows.push(row);
    }
    s
}

fn returned(
    c: &Consolidation,
) -> impl Iterator<Item = (&MemberReturn, &crate::assessment::Assessment, &scoring::Scores)> {
    c.members.iter().filter_map(|m| Some((m, m.assessment.as_ref()?, m.scores.as_ref()?)))
}

fn responses(c: &Consolidation, fw: &Framework, lang: Lang) -> Sheet {
    let mut s = Sheet::new(
        "report.sheet.responses",
        &[
            ("col.member", 8.0),
            ("col.cycle", 8.0),
            ("col.revision", 9.0),
            ("gap.indicator", 9.0),
            ("report.col.title", 40.0),
            ("gap.pillar", 18.0),
            ("report.col.answer", 12.0),
            ("report.col.level_scored", 10.0),
            ("results.target", 8.0),
            ("gap.gap", 7.0),
            ("report.col.weight", 8.0),
            ("gap.priority", 9.0),
            ("gap.intervention", 24.0),
            ("report.col.priority_areas", 30.0),
            ("assess.confidence", 12.0),
            ("assess.commitment", 14.0),
            ("gap.need", 7.0),
            ("assess.evidence_note", 60.0),
            ("assess.comment", 60.0),
        ],
        lang,
    );
    for (m, a, sc) in returned(c) {
        for i in &sc.indicators {
            let r = a.response(&i.code);
            let areas: Vec<&str> =
                i.priority_areas.iter().map(|p| fw.priority_area(p).map_or(p.as_str(), |x| x.name.get(lang))).collect();
            s.rows.push(vec![
                text(&m.member),
                int(a.header.cycle),
                int(a.header.revision),
                text(&i.code),
                text(fw.indicator_title(&i.code, lang)),
                text(fw.pillar_name(&i.pillar, lang)),
                answer_cell(i.answer, lang),
                i.value.map_or(Cell::Empty, int),
                int(i.target),
                int(i.gap),
                int(i.weight),
                int(i.priority),
                text(fw.intervention_name(&i.intervention, lang)),
                text(areas.join("; ")),
                opt_text(r.and_then(|r| r.confidence).map(|x| lang.t(&format!("confidence.{}", x.code())))),
                opt_text(i.commitment.map(|x| lang.t(&format!("commitment.{}", x.code())))),
                need_cell(i.need),
                opt_text(r.map(|r| r.evidence.clone())),
                opt_text(r.map(|r| r.comment.clone())),
            ]);
        }
    }
    s
}

fn gaps(c: &Consolidation, fw: &Framework, lang: Lang) -> Sheet {
    let mut s = Sheet::new(
        "report.sheet.gaps",
        &[
            ("col.member", 8.0),
            ("report.col.member_name", 24.0),
            ("gap.rank", 7.0),
            ("gap.indicator", 9.0),
            ("report.col.title", 44.0),
            ("report.col.level_scored", 10.0),
            ("results.target", 8.0),
            ("gap.gap", 7.0),
            ("gap.priority", 9.0),
            ("gap.intervention", 26.0),
            ("report.col.need_category", 10.0),
        ],
        lang,
    );
    for (m, _, sc) in returned(c) {
        for (rank, g) in scoring::ranked_gaps(sc).into_iter().enumerate() {
            s.rows.push(vec![
                text(&m.member),
                text(member_name(&m.member, lang)),
                int(rank as i64 + 1),
                text(&g.code),
                text(fw.indicator_title(&g.code, lang)),
                g.value.map_or(Cell::Empty, int),
                int(g.target),
                int(g.gap),
                int(g.priority),
                text(fw.intervention_name(&g.intervention, lang)),
                need_cell(g.need),
            ]);
        }
    }
    s
}

fn requests(c: &Consolidation, fw: &Framework, lang: Lang) -> Sheet {
    let mut s = Sheet::new(
        "report.sheet.requests",
        &[
            ("col.member", 8.0),
            ("report.col.member_name", 24.0),
            ("gap.indicator", 9.0),
            ("report.col.title", 44.0),
            ("gap.intervention", 26.0),
            ("gap.gap", 7.0),
            ("gap.priority", 9.0),
            ("assess.comment", 60.0),
        ],
        lang,
    );
    for r in &c.requests {
        s.rows.push(vec![
            text(&r.member),
            text(member_name(&r.member, lang)),
            text(&r.indicator),
            text(fw.indicator_title(&r.indicator, lang)),
            text(fw.intervention_name(&r.intervention, lang)),
            int(r.gap),
            int(r.priority),
            opt_text(Some(r.comment.clone())),
        ]);
    }
    s
}

/// An M&E value as text ("12 / 23 (52%)", "2.4"), and its share when it is a count.
pub fn me_value(v: &MeValue) -> (Cell, Cell) {
    match v {
        MeValue::Count { count, of } => {
            let share = if *of > 0 { Cell::Pct(*count as f64 / *of as f64) } else { Cell::Empty };
            (text(format!("{count} / {of}")), share)
        }
        MeValue::Mean(m) => (num(*m), Cell::Empty),
    }
}

pub fn yes_no(v: Option<bool>, lang: Lang) -> &'static str {
    match v {
        Some(true) => lang.t("value.yes"),
        Some(false) => lang.t("value.no"),
        None => "",
    }
}

fn me(c: &Consolidation, lang: Lang) -> Sheet {
    let mut s = Sheet::new(
        "nav.monitoring",
        &[
            ("me.col_indicator", 40.0),
            ("me.col_key_actions", 12.0),
            ("me.col_kind", 14.0),
            ("me.col_baseline", 12.0),
            ("report.col.baseline_share", 10.0),
            ("me.col_latest", 12.0),
            ("report.col.latest_share", 10.0),
            ("me.col_target", 28.0),
            ("report.col.met", 8.0),
            ("me.col_method", 70.0),
        ],
        lang,
    );
    for m in &c.me {
        let (baseline, baseline_share) = m.baseline.as_ref().map_or((Cell::Empty, Cell::Empty), me_value);
        let (latest, latest_share) = m.latest.as_ref().map_or((Cell::Empty, Cell::Empty), me_value);
        s.rows.push(vec![
            text(m.name_text(lang)),
            text(m.key_actions.clone()),
            text(m.kind_text(lang)),
            baseline,
            baseline_share,
            latest,
            latest_share,
            opt_text(m.target_text(lang)),
            opt_text(Some(yes_no(m.met, lang))),
            text(m.method_text(lang)),
        ]);
    }
    s
}

/// A sheet as CSV: UTF-8 with a byte-order mark (so Excel reads accents right), a header row,
/// numbers with a dot as decimal separator and shares as percentages 0-100.
pub fn sheet_csv(s: &Sheet) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new().flexible(true).from_writer(Vec::from("\u{feff}".as_bytes()));
    // Writing to memory cannot fail for I/O reasons; the records are plain strings.
    let _ = w.write_record(&s.headers);
    for row in &s.rows {
        let _ = w.write_record(row.iter().map(Cell::csv));
    }
    w.into_inner().unwrap_or_default()
}
