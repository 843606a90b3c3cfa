//! The members' development plans (issue 23) as one table of the Secretariat's report: one row
//! per action of the revision that counts, members in registry order, actions in the order
//! written. The work programme reads its requests (resources `oco`) from here.

use crate::lang::Lang;
use crate::plan::words;
use crate::report::tables::{Cell, Sheet, member_name};
use crate::secretariat::consolidate::Consolidation;

/// The columns: (catalogue key, width in characters).
const COLUMNS: [(&str, f64); 16] = [
    ("plan.csv.member", 8.0),
    ("col.member", 24.0),
    ("plan.csv.revision", 8.0),
    ("plan.csv.indicator", 10.0),
    ("plan.csv.need", 7.0),
    ("plan.csv.what", 40.0),
    ("plan.csv.owner", 22.0),
    ("plan.csv.start", 9.0),
    ("plan.csv.end", 9.0),
    ("plan.csv.resources", 18.0),
    ("plan.csv.request", 36.0),
    ("plan.csv.status", 14.0),
    ("plan.csv.reason", 24.0),
    ("plan.csv.progress", 30.0),
    ("plan.csv.from_cycle", 9.0),
    ("plan.csv.cycle", 8.0),
];

fn text(s: &str) -> Cell {
    if s.is_empty() { Cell::Empty } else { Cell::Text(s.to_string()) }
}

/// The plans table of a cycle.
pub fn sheet(c: &Consolidation, lang: Lang) -> Sheet {
    let mut s = Sheet {
        name: lang.t("plan.report.sheet").to_string(),
        headers: COLUMNS.iter().map(|(k, _)| lang.t(k).to_string()).collect(),
        widths: COLUMNS.iter().map(|(_, w)| *w).collect(),
        rows: Vec::new(),
    };
    for m in &c.members {
        let Some(a) = &m.assessment else { continue };
        for action in &a.plan {
            let need = a.response(&action.indicator).and_then(|r| r.need).map(|n| n.code()).unwrap_or("");
            s.rows.push(vec![
                Cell::Text(m.member.clone()),
                Cell::Text(member_name(&m.member, lang)),
                Cell::Int(a.header.revision as i64),
                Cell::Text(action.indicator.clone()),
                text(need),
                text(&action.what),
                text(&action.owner),
                Cell::Text(action.start.to_string()),
                Cell::Text(action.end.to_string()),
                Cell::Text(words::resources(action.resources, lang).to_string()),
                text(&action.request),
                Cell::Text(words::status(action.status, lang).to_string()),
                text(&action.reason),
                text(&action.progress),
                action.from_cycle.map_or(Cell::Empty, |c| Cell::Int(c as i64)),
                Cell::Int(c.cycle as i64),
            ]);
        }
    }
    s
}

/// The plan in an administration's results PDF: one row per action, in the order of their gaps'
/// priority (`gaps`: the ranked gap codes, most urgent first).
pub fn pdf_blocks(
    fw: &crate::framework::Framework,
    a: &crate::assessment::Assessment,
    gaps: &[&str],
    t: Lang,
) -> Vec<crate::report::doc::Block> {
    use crate::report::doc::Block;
    let mut blocks = vec![Block::Heading(t.t("plan.pdf.title").into())];
    if a.plan.is_empty() {
        blocks.push(Block::Paragraph(t.t("plan.pdf.none").into()));
        return blocks;
    }
    let order = crate::plan::ordered(
        &a.plan,
        |code| gaps.iter().position(|g| *g == code),
        |code| fw.indicators.iter().position(|i| i.code == code).unwrap_or(usize::MAX),
    );
    let rows = order
        .into_iter()
        .map(|i| {
            let x = &a.plan[i];
            let mut what = x.what.clone();
            if x.is_request() && !x.request.is_empty() {
                what = format!("{what} — {}: {}", t.t("plan.label.request"), x.request);
            }
            if !x.progress.is_empty() {
                what = format!("{what} — {}: {}", t.t("plan.label.progress"), x.progress);
            }
            vec![
                x.indicator.clone(),
                what,
                x.owner.clone(),
                t.f("plan.dates", &[("start", &x.start), ("end", &x.end)]),
                words::resources(x.resources, t).to_string(),
                words::status(x.status, t).to_string(),
            ]
        })
        .collect();
    blocks.push(Block::Table {
        headers: [
            "plan.csv.indicator",
            "plan.csv.what",
            "plan.csv.owner",
            "plan.csv.when",
            "plan.csv.resources",
            "plan.csv.status",
        ]
        .iter()
        .map(|k| t.t(k).to_string())
        .collect(),
        widths: vec![1.0, 5.0, 2.2, 2.0, 2.0, 1.6],
        rows,
    });
    blocks
}
