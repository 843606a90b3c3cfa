//! The Annual Work Programme of a year as a workbook and a PDF, in the style of the regional
//! report: the interventions by priority area and quarter, the members each serves, the requests
//! left unanswered and partner coverage.

use crate::lang::Lang;
use crate::report::doc::{Block, Doc};
use crate::report::tables::{Cell, Sheet};
use crate::secretariat::programme::{WorkProgramme, words};

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

fn sheet(name: &str, columns: &[(&str, f64)], t: Lang) -> Sheet {
    Sheet {
        name: t.t(name).to_string(),
        headers: columns.iter().map(|(k, _)| t.t(k).to_string()).collect(),
        widths: columns.iter().map(|(_, w)| *w).collect(),
        rows: Vec::new(),
    }
}

/// The work programme's tables: interventions, unanswered requests, partners.
pub fn sheets(wp: &WorkProgramme, t: Lang) -> Vec<Sheet> {
    let mut items = sheet(
        "programme.sheet_interventions",
        &[
            ("programme.col_area", 28.0),
            ("programme.col_quarter", 10.0),
            ("programme.col_title", 40.0),
            ("programme.col_type", 24.0),
            ("programme.col_competency", 22.0),
            ("programme.col_mode", 20.0),
            ("programme.col_expert", 22.0),
            ("programme.col_indicators", 16.0),
            ("programme.col_members", 40.0),
            ("programme.col_partner", 20.0),
            ("programme.col_funding", 14.0),
            ("programme.col_status", 12.0),
        ],
        t,
    );
    for (area, i) in &wp.items {
        items.rows.push(vec![
            text(words::area(area, t)),
            text(words::quarter(i.quarter, t)),
            text(&i.title),
            text(words::intervention_type(&i.kind, t)),
            text(words::competency(i.competency.as_deref(), t)),
            text(words::mode(&i.mode, t)),
            text(words::expert(i.expert.as_deref(), t)),
            text(i.indicators.join(", ")),
            text(words::members(&i.members, t)),
            text(words::partner(&i.partner, t)),
            text(words::funding(&i.funding, t)),
            text(words::status(i.status, t)),
        ]);
    }
    let mut open = sheet(
        "programme.sheet_unanswered",
        &[("programme.col_member", 24.0), ("programme.col_indicator", 50.0), ("programme.col_text", 60.0)],
        t,
    );
    let fw = crate::framework::current();
    for r in &wp.unanswered {
        open.rows.push(vec![
            text(words::member(&r.member, t)),
            text(format!("{} {}", r.indicator, fw.indicator_title(&r.indicator, t))),
            text(&r.text),
        ]);
    }
    let mut partners = sheet(
        "programme.sheet_partners",
        &[
            ("programme.col_partner", 30.0),
            ("programme.col_interventions", 14.0),
            ("programme.col_members_n", 12.0),
            ("programme.col_funded", 14.0),
        ],
        t,
    );
    for p in &wp.partners {
        partners.rows.push(vec![
            text(words::partner(&p.partner, t)),
            Cell::Int(p.interventions as i64),
            Cell::Int(p.members as i64),
            Cell::Int(p.funded as i64),
        ]);
    }
    vec![items, open, partners]
}

/// The workbook's bytes.
pub fn workbook(wp: &WorkProgramme, t: Lang) -> Result<Vec<u8>, String> {
    crate::report::xlsx::workbook(&sheets(wp, t)).map_err(|e| e.to_string())
}

/// The work programme as a document.
pub fn doc(wp: &WorkProgramme, t: Lang) -> Doc {
    let mut blocks = Vec::new();
    blocks.push(Block::Heading(t.t("programme.pdf_summary").into()));
    let cycle = wp.cycle.map(|c| c.to_string()).unwrap_or_else(|| "–".into());
    blocks.push(Block::Paragraph(t.f(
        "programme.summary",
        &[
            ("year", &wp.year),
            ("n", &wp.items.len()),
            ("cycle", &cycle),
            ("requests", &wp.requests),
            ("unanswered", &wp.unanswered.len()),
        ],
    )));
    let all = sheets(wp, t);
    let mut area: Option<&str> = None;
    let mut rows = Vec::new();
    let headers: Vec<String> = [
        "programme.col_quarter",
        "programme.col_title",
        "programme.col_mode",
        "programme.col_members",
        "programme.col_partner",
        "programme.col_status",
    ]
    .iter()
    .map(|k| t.t(k).to_string())
    .collect();
    let flush = |rows: &mut Vec<Vec<String>>, blocks: &mut Vec<Block>| {
        if !rows.is_empty() {
            blocks.push(Block::Table {
                headers: headers.clone(),
                widths: vec![1.0, 3.0, 1.6, 3.0, 1.5, 1.1],
                rows: std::mem::take(rows),
            });
        }
    };
    if wp.items.is_empty() {
        blocks.push(Block::Paragraph(t.t("programme.none_in_year").into()));
    }
    for (a, i) in &wp.items {
        if area != Some(a.as_str()) {
            flush(&mut rows, &mut blocks);
            blocks.push(Block::Subheading(words::area(a, t)));
            area = Some(a.as_str());
        }
        rows.push(vec![
            words::quarter(i.quarter, t),
            format!("{} ({}; {})", i.title, words::intervention_type(&i.kind, t), i.indicators.join(", ")),
            words::mode(&i.mode, t),
            words::members(&i.members, t),
            format!("{} · {}", words::partner(&i.partner, t), words::funding(&i.funding, t)),
            words::status(i.status, t),
        ]);
    }
    flush(&mut rows, &mut blocks);
    for s in all.into_iter().skip(1) {
        blocks.push(Block::Heading(s.name.clone()));
        if s.rows.is_empty() {
            blocks.push(Block::Paragraph(t.t("programme.nothing").into()));
            continue;
        }
        let n = s.headers.len();
        blocks.push(Block::Table {
            headers: s.headers,
            widths: s.widths.iter().map(|w| *w as f32).collect::<Vec<_>>().into_iter().take(n).collect(),
            rows: s.rows.iter().map(|r| r.iter().map(Cell::display).collect()).collect(),
        });
    }
    Doc {
        title: t.f("programme.pdf_title", &[("year", &wp.year)]),
        subtitle: t.f("programme.pdf_subtitle", &[("cycle", &cycle)]),
        footer: t.f(
            "pdf.footer",
            &[("version", &env!("CDF_BUILD_VERSION")), ("date", &chrono::Local::now().format("%Y-%m-%d").to_string())],
        ),
        page_label: t.t("pdf.page").into(),
        blocks,
    }
}

/// The PDF's bytes.
pub fn pdf(wp: &WorkProgramme, t: Lang) -> Result<Vec<u8>, String> {
    crate::report::pdf::render(&doc(wp, t)).map_err(|e| e.to_string())
}

/// Default file name of a year's programme.
pub fn default_name(year: i32, pdf: bool) -> String {
    format!("OCO_work_programme_{year}.{}", if pdf { "pdf" } else { "xlsx" })
}

/// The needs and proposals of a cycle as two CSV files beside `out`: `<stem>_needs.csv` and
/// `<stem>_proposals.csv`. Codes as stored (for scripts); the reasons in the reader's language.
pub fn plan_csv(
    out: &std::path::Path,
    cycle: i32,
    needs: &[crate::secretariat::programme::Need],
    proposals: &[crate::secretariat::programme::Proposal],
    t: Lang,
) -> Result<Vec<(std::path::PathBuf, Vec<u8>)>, csv::Error> {
    use crate::secretariat::programme::Scope;
    let stem = out.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_else(|| "oco_plan".into());
    let dir = out.parent().unwrap_or(std::path::Path::new("."));
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "cycle",
        "member",
        "subregion",
        "kind",
        "indicator",
        "intervention",
        "competency",
        "core_capabilities",
        "level",
        "target",
        "gap",
        "request",
        "text",
    ])?;
    for n in needs {
        w.write_record([
            cycle.to_string(),
            n.member.clone(),
            n.subregion.clone(),
            n.kind.code().to_string(),
            n.indicator.clone(),
            n.intervention.clone(),
            n.competency.clone().unwrap_or_default(),
            n.capabilities.join(" "),
            n.level.to_string(),
            n.target.to_string(),
            n.gap.to_string(),
            if n.request { "C".into() } else { String::new() },
            n.text.clone(),
        ])?;
    }
    let needs_bytes = w.into_inner().map_err(|e| e.into_error())?;
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["key", "cycle", "indicator", "scope", "mode", "intervention", "members", "why"])?;
    for p in proposals {
        w.write_record([
            p.key.clone(),
            cycle.to_string(),
            p.indicator.clone(),
            match p.scope {
                Scope::Regional => "regional".into(),
                Scope::National => "national".into(),
            },
            p.draft.mode.clone(),
            p.draft.kind.clone(),
            p.members.join(" "),
            words::why(p, t),
        ])?;
    }
    let prop_bytes = w.into_inner().map_err(|e| e.into_error())?;
    Ok(vec![
        (dir.join(format!("{stem}_needs.csv")), needs_bytes),
        (dir.join(format!("{stem}_proposals.csv")), prop_bytes),
    ])
}
