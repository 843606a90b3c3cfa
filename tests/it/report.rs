//! The Secretariat's consolidated exports: the workbook, the CSV files and the regional PDF, built
//! from realistic demo returns and checked against counts computed from the return files.
//!
//! Set `CDF_REGIONAL_SAMPLE=/tmp/regional` to also write `/tmp/regional.pdf`, `/tmp/regional.xlsx`,
//! `/tmp/regional-fr.pdf`, `/tmp/regional-partial.pdf` (three members missing) and the French CSV
//! files `/tmp/regional-1.csv`.. for a look.
#![cfg(feature = "demo")]

use crate::pdf::pdf_text;
use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use cdf_assess::assessment::{Answer, NeedCategory};
use cdf_assess::demo::{self, DemoFile};
use cdf_assess::exchange;
use cdf_assess::framework;
use cdf_assess::lang::Lang;
use cdf_assess::report::doc::Block;
use cdf_assess::report::tables::{self, Cell, Sheet};
use cdf_assess::report::{pdf, regional, xlsx};
use cdf_assess::secretariat::consolidate::{Consolidation, consolidate};
use cdf_assess::secretariat::import::{Outcome, import_bytes};
use cdf_assess::store::Store;
use std::collections::BTreeMap;
use std::io::Cursor;
use std::sync::OnceLock;

const CYCLE: i32 = 2026;

fn demo_files() -> &'static [DemoFile] {
    static FILES: OnceLock<Vec<DemoFile>> = OnceLock::new();
    FILES.get_or_init(|| demo::generate(7, CYCLE, 2, 2))
}

/// A Secretariat store holding the demo returns, except those of `skip`, consolidated for 2026.
fn consolidated(skip: &[&str]) -> Consolidation {
    let mut store = Store::open_in_memory().unwrap();
    for f in demo_files().iter().filter(|f| !skip.contains(&f.member.as_str())) {
        let r = import_bytes(&mut store, &f.file_name, &f.bytes, &[]).unwrap();
        assert!(
            matches!(r.outcome, Outcome::Accepted | Outcome::Supersedes),
            "{}: {}",
            f.file_name,
            r.reason.message(Lang::En)
        );
    }
    consolidate(&store, CYCLE).unwrap()
}

fn full() -> &'static Consolidation {
    static C: OnceLock<Consolidation> = OnceLock::new();
    C.get_or_init(|| consolidated(&[]))
}

/// What the return files themselves say, without the store or the consolidation: members that
/// returned for the cycle, gaps and category C gaps of each member's latest revision.
struct Expected {
    returned: usize,
    gaps: usize,
    requests: usize,
}

fn expected(skip: &[&str]) -> Expected {
    let mut latest: BTreeMap<&str, &DemoFile> = BTreeMap::new();
    for f in demo_files().iter().filter(|f| f.cycle == CYCLE && !skip.contains(&f.member.as_str())) {
        let e = latest.entry(f.member.as_str()).or_insert(f);
        if f.revision > e.revision {
            *e = f;
        }
    }
    let (mut gaps, mut requests) = (0, 0);
    for f in latest.values() {
        let body = exchange::read(&f.bytes, &[]).unwrap().body;
        for r in &body.responses {
            let level = match r.answer {
                Answer::Insufficient => Some(0u8),
                Answer::NotApplicable | Answer::Unanswered => None,
                Answer::Level(l) => Some(l),
            };
            if level.is_some_and(|l| r.target.min(4) > l) {
                gaps += 1;
                requests += usize::from(r.need == Some(NeedCategory::C));
            }
        }
    }
    Expected { returned: latest.len(), gaps, requests }
}

fn sample_path() -> Option<String> {
    std::env::var("CDF_REGIONAL_SAMPLE").ok().filter(|p| !p.is_empty())
}

#[test]
fn workbook_reads_back_with_every_sheet_and_row() {
    let c = full();
    let exp = expected(&[]);
    // Counts follow the framework (44 indicators in content revision 2, 42 before).
    let n_ind = framework::current().indicators.len();
    assert!((36..=48).contains(&n_ind));
    assert_eq!(exp.returned, 23, "the demo has every member return");
    assert!(exp.gaps > 100 && exp.requests > 10, "gaps {} requests {}", exp.gaps, exp.requests);

    let sheets = tables::sheets(c, Lang::En);
    let bytes = xlsx::workbook(&sheets).unwrap();
    if let Some(p) = sample_path() {
        std::fs::write(format!("{p}.xlsx"), &bytes).unwrap();
    }
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let names = wb.sheet_names();
    assert_eq!(names, xlsx::sheet_names(&sheets));
    assert_eq!(names.len(), 6);

    let rows: Vec<usize> = names.iter().map(|n| wb.worksheet_range(n).unwrap().height()).collect();
    let want = [23 + 1, 23 + 1, exp.returned * n_ind + 1, exp.gaps + 1, exp.requests + 1, c.me.len() + 1];
    assert_eq!(rows, want, "rows per sheet (with header)");

    // Headers come through (existing keys are translated), numbers stay numbers.
    let register = wb.worksheet_range(&names[0]).unwrap();
    assert_eq!(register.get((0, 1)), Some(&Data::String("Member".into())));
    assert_eq!(register.get((1, 0)), Some(&Data::String(framework::members()[0].code.clone())));
    let scores = wb.worksheet_range(&names[1]).unwrap();
    assert_eq!(scores.get((0, 3)), Some(&Data::String(framework::current().meta.pillars[0].name.en.clone())));
    assert!(matches!(scores.get((1, 3)), Some(Data::Float(v)) if (0.0..=100.0).contains(v)));
    let responses = wb.worksheet_range(&names[2]).unwrap();
    assert!(matches!(responses.get((1, 1)), Some(Data::Float(v)) if *v == CYCLE as f64));
    let me = wb.worksheet_range(&names[5]).unwrap();
    // Columns: indicator, key actions, basis, baseline, its share, latest, its share, ...
    assert_eq!(me.get((0, 2)), Some(&Data::String("Basis".into())));
    assert!(me.rows().skip(1).any(|r| matches!(r.get(6), Some(Data::Float(v)) if (0.0..=1.0).contains(v))));
}

fn csv_records(bytes: &[u8]) -> (Vec<String>, Vec<csv::StringRecord>) {
    assert!(bytes.starts_with("\u{feff}".as_bytes()), "UTF-8 byte-order mark");
    let mut r = csv::Reader::from_reader(&bytes[3..]);
    let headers = r.headers().unwrap().iter().map(String::from).collect();
    (headers, r.records().map(Result::unwrap).collect())
}

#[test]
fn every_sheet_writes_csv_with_the_same_rows() {
    let c = full();
    let exp = expected(&[]);
    let sheets = tables::sheets(c, Lang::Fr);
    let n_ind = framework::current().indicators.len();
    let want = [23, 23, exp.returned * n_ind, exp.gaps, exp.requests, c.me.len()];
    for (i, (s, want)) in sheets.iter().zip(want).enumerate() {
        let bytes = tables::sheet_csv(s);
        if let Some(p) = sample_path() {
            std::fs::write(format!("{p}-{}.csv", i + 1), &bytes).unwrap();
        }
        let (headers, records) = csv_records(&bytes);
        assert_eq!(headers, s.headers, "{}", s.name);
        assert_eq!(records.len(), want, "{}", s.name);
        assert_eq!(s.rows.len(), want, "{}", s.name);
        assert!(records.iter().all(|r| r.len() == s.headers.len()), "{}: ragged rows", s.name);
        assert_eq!(s.widths.len(), s.headers.len(), "{}: one width per column", s.name);
    }
    // French names and accents survive; shares are written 0-100 with one decimal.
    let (_, register) = csv_records(&tables::sheet_csv(&sheets[0]));
    assert!(register.iter().any(|r| &r[1] == "Îles Salomon"));
    let me = &sheets[5];
    let (_, rows) = csv_records(&tables::sheet_csv(me));
    for (row, rec) in me.rows.iter().zip(&rows) {
        for (cell, text) in row.iter().zip(rec.iter()) {
            if let Cell::Pct(v) = cell {
                assert_eq!(text, format!("{:.1}", v * 100.0));
            }
        }
    }
}

#[test]
fn regional_pdf_names_pillars_and_members_and_has_member_pages() {
    let c = full();
    let doc = regional::regional_doc(c, Lang::En);
    let started = std::time::Instant::now();
    let bytes = pdf::render(&doc).unwrap();
    let elapsed = started.elapsed();
    if let Some(p) = sample_path() {
        std::fs::write(format!("{p}.pdf"), &bytes).unwrap();
        eprintln!("regional PDF: {} bytes in {elapsed:?}", bytes.len());
        let fr = pdf::render(&regional::regional_doc(c, Lang::Fr)).unwrap();
        std::fs::write(format!("{p}-fr.pdf"), fr).unwrap();
    }
    let text = pdf_text(&bytes);
    for p in &framework::current().meta.pillars {
        assert!(text.contains(&p.name.en), "pillar {} missing", p.name.en);
    }
    let named = framework::members().iter().filter(|m| text.contains(&m.name.en)).count();
    assert!(named >= 3, "only {named} member names found");
    let pages = lopdf::Document::load_mem(&bytes).unwrap().get_pages().len();
    assert!(pages > 3, "{pages} pages");
    // One page (at least) per member that returned, after the regional part.
    let breaks = doc.blocks.iter().filter(|b| matches!(b, Block::PageBreak)).count();
    assert!(breaks >= c.received(), "{breaks} page breaks");
    assert!(pages > c.received());
}

#[test]
fn members_without_a_return_are_listed_blank_and_missing() {
    let skip = ["NU", "TV", "GU"];
    let c = consolidated(&skip);
    let exp = expected(&skip);
    assert_eq!((c.received(), exp.returned), (20, 20));
    let sheets = tables::sheets(&c, Lang::En);
    let rows: Vec<usize> = sheets.iter().map(|s: &Sheet| s.rows.len()).collect();
    let n_ind = framework::current().indicators.len();
    assert_eq!(rows, [23, 23, 20 * n_ind, exp.gaps, exp.requests, c.me.len()]);
    // Their score cells are empty, their register line says so.
    for row in sheets[1].rows.iter().filter(|r| matches!(&r[0], Cell::Text(code) if skip.contains(&code.as_str()))) {
        assert!(row[3..].iter().all(|c| *c == Cell::Empty), "{row:?}");
    }
    let doc = regional::regional_doc(&c, Lang::En);
    let heat = doc.blocks.iter().find_map(|b| match b {
        Block::HeatMap { rows, values, .. } => Some((rows, values)),
        _ => None,
    });
    let (labels, values) = heat.expect("a heat map");
    assert_eq!(labels.len(), 23);
    assert_eq!(values.iter().filter(|r| r.iter().all(Option::is_none)).count(), 3);
    let listed = doc.blocks.iter().any(|b| match b {
        Block::Table { rows, .. } => {
            rows.len() == 3 && skip.iter().all(|code| rows.iter().any(|r| r.first().map(String::as_str) == Some(code)))
        }
        _ => false,
    });
    assert!(listed, "the members not yet returned are listed");
    assert!(xlsx::workbook(&sheets).is_ok());
    // Rendering takes seconds in a debug build: only when asked for a look.
    if let Some(p) = sample_path() {
        std::fs::write(format!("{p}-partial.pdf"), pdf::render(&doc).unwrap()).unwrap();
    }
}
