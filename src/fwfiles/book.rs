//! The content workbook: the whole framework as an editable Excel workbook (written with
//! rust_xlsxwriter) and read back (calamine) into the model, every problem named by its sheet,
//! row and column.
//!
//! Each sheet is a list of columns ([`Col`]): a header, where its value sits in the record's
//! JSON (a JSON pointer into the model's own serialisation) and how a cell reads ([`Kind`]).
//! Writing serialises each record and reads the value at each column's pointer; reading sets each
//! cell's value at its pointer and deserialises the record. So a field added to the model is one
//! line here (and `every_field_of_the_model_has_a_column` fails until it is added).

use crate::exchange::clean_text;
use crate::framework::{Framework, FrameworkMeta, Indicator, Text};
use crate::lang::Lang;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// How a cell is read and written.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    /// A code (no spaces, at most [`CODE_MAX`] characters); required.
    Code,
    /// A code, or empty (then `null`).
    CodeOpt,
    /// Text in one language; required.
    Text,
    /// Text that may be empty.
    TextOpt,
    /// Half of an optional bilingual text: the field is left out when both halves are empty.
    TextOmit,
    /// A whole number.
    Int,
    /// A whole number, or empty (the field left out).
    IntOmit,
    /// A number.
    Float,
    /// A number, or empty (the field left out).
    FloatOmit,
    /// TRUE or FALSE.
    Bool,
    /// Codes separated by commas (empty: none).
    List,
    /// Codes separated by commas; the field left out when empty.
    ListOmit,
    /// Texts one per line.
    Lines,
    /// One of these values.
    Enum(&'static [&'static str]),
    /// One of these values, or empty (the field left out).
    EnumOmit(&'static [&'static str]),
}

/// What a code in a column must name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Ref {
    Indicator,
    PriorityArea,
    KeyAction,
    CoreCapability,
    Competency,
    Intervention,
    MeIndicator,
}

impl Ref {
    /// The sheet where the codes are defined (the pillars' sheets for indicators).
    fn sheet(self) -> &'static str {
        match self {
            Ref::Indicator => "WF, LP, DC, RD",
            Ref::PriorityArea => PRIORITY_AREAS,
            Ref::KeyAction => KEY_ACTIONS,
            Ref::CoreCapability => CORE_CAPABILITIES,
            Ref::Competency => COMPETENCIES,
            Ref::Intervention => INTERVENTIONS,
            Ref::MeIndicator => ME_INDICATORS,
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Col {
    pub header: &'static str,
    pub ptr: &'static str,
    pub kind: Kind,
    pub refs: Option<Ref>,
    /// Column width (characters).
    pub width: f64,
}

const fn col(header: &'static str, ptr: &'static str, kind: Kind, width: f64) -> Col {
    Col { header, ptr, kind, refs: None, width }
}

const fn refcol(header: &'static str, ptr: &'static str, kind: Kind, r: Ref, width: f64) -> Col {
    Col { header, ptr, kind, refs: Some(r), width }
}

pub const CODE_MAX: usize = 40;
/// Longest text in a cell, in characters.
pub const CELL_MAX: usize = 20_000;
/// Most data rows on a sheet.
pub const ROWS_MAX: usize = 1000;
/// Largest workbook read, in bytes.
pub const BOOK_MAX_BYTES: u64 = 20 * 1024 * 1024;

pub const FRAMEWORK: &str = "Framework";
pub const LEVELS: &str = "Levels";
pub const PILLARS: &str = "Pillars";
pub const PRIORITY_AREAS: &str = "Priority areas";
pub const INTERVENTIONS: &str = "Interventions";
pub const CORE_CAPABILITIES: &str = "Core capabilities";
pub const COMPETENCIES: &str = "Competencies";
pub const KEY_ACTIONS: &str = "Key actions";
pub const ME_INDICATORS: &str = "M&E indicators";
pub const ME_MEASURES: &str = "M&E measures";
pub const CHANGE_LOG: &str = "Change log";

const TEXT_W: f64 = 45.0;

fn framework_cols() -> Vec<Col> {
    vec![
        col("id", "/id", Kind::Code, 10.0),
        col("version", "/version", Kind::Int, 9.0),
        col("revision", "/revision", Kind::Int, 9.0),
        col("current HS edition", "/current_hs_edition", Kind::Int, 10.0),
        col("name (EN)", "/name/en", Kind::Text, 30.0),
        col("name (FR)", "/name/fr", Kind::Text, 30.0),
        col("description (EN)", "/description/en", Kind::Text, TEXT_W),
        col("description (FR)", "/description/fr", Kind::Text, TEXT_W),
        col("readiness: ability threshold", "/readiness/ability_threshold", Kind::Float, 14.0),
        col("readiness: willingness threshold", "/readiness/willingness_threshold", Kind::Float, 14.0),
        col("readiness: min answered share", "/readiness/min_answered_share", Kind::Float, 14.0),
    ]
}

fn level_cols() -> Vec<Col> {
    vec![
        col("value", "/value", Kind::Int, 7.0),
        col("name (EN)", "/name/en", Kind::Text, 18.0),
        col("name (FR)", "/name/fr", Kind::Text, 18.0),
        col("summary (EN)", "/summary/en", Kind::Text, TEXT_W),
        col("summary (FR)", "/summary/fr", Kind::Text, TEXT_W),
    ]
}

const AGGREGATIONS: &[&str] = &["average", "weakest_link"];
const PILLAR_KINDS: &[&str] = &["capability", "readiness"];
const AXES: &[&str] = &["ability", "willingness"];
const ME_KINDS: &[&str] = &["direct", "proxy"];
const BASES: &[&str] = &["returns", "indicators", "profile", "small_administrations_automated", "overall"];

fn pillar_cols() -> Vec<Col> {
    vec![
        col("code", "/code", Kind::Code, 8.0),
        col("name (EN)", "/name/en", Kind::Text, 25.0),
        col("name (FR)", "/name/fr", Kind::Text, 25.0),
        col("description (EN)", "/description/en", Kind::Text, TEXT_W),
        col("description (FR)", "/description/fr", Kind::Text, TEXT_W),
        col("aggregation", "/aggregation", Kind::Enum(AGGREGATIONS), 14.0),
        col("kind", "/kind", Kind::Enum(PILLAR_KINDS), 12.0),
    ]
}

fn priority_area_cols() -> Vec<Col> {
    vec![
        col("code", "/code", Kind::Code, 8.0),
        col("name (EN)", "/name/en", Kind::Text, 30.0),
        col("name (FR)", "/name/fr", Kind::Text, 30.0),
        col("objective (EN)", "/objective/en", Kind::Text, TEXT_W),
        col("objective (FR)", "/objective/fr", Kind::Text, TEXT_W),
    ]
}

fn coded_cols() -> Vec<Col> {
    vec![
        col("code", "/code", Kind::Code, 22.0),
        col("name (EN)", "/name/en", Kind::Text, 30.0),
        col("name (FR)", "/name/fr", Kind::Text, 30.0),
        col("description (EN)", "/description/en", Kind::TextOpt, TEXT_W),
        col("description (FR)", "/description/fr", Kind::TextOpt, TEXT_W),
    ]
}

fn key_action_cols() -> Vec<Col> {
    vec![
        col("code", "/code", Kind::Code, 8.0),
        col("text (EN)", "/text/en", Kind::Text, TEXT_W),
        col("text (FR)", "/text/fr", Kind::Text, TEXT_W),
        col("strategy (EN)", "/strategy/en", Kind::Text, TEXT_W),
        col("strategy (FR)", "/strategy/fr", Kind::Text, TEXT_W),
        col("M&E indicator (EN)", "/me_indicator/en", Kind::Text, 35.0),
        col("M&E indicator (FR)", "/me_indicator/fr", Kind::Text, 35.0),
        col("M&E indicator added by the framework", "/me_added_by_framework", Kind::Bool, 14.0),
    ]
}

fn me_indicator_cols() -> Vec<Col> {
    vec![
        col("id", "/id", Kind::Code, 22.0),
        col("name (EN)", "/name/en", Kind::Text, 35.0),
        col("name (FR)", "/name/fr", Kind::Text, 35.0),
        refcol("key actions", "/key_actions", Kind::List, Ref::KeyAction, 14.0),
        col("why not measured (EN)", "/why/en", Kind::TextOmit, TEXT_W),
        col("why not measured (FR)", "/why/fr", Kind::TextOmit, TEXT_W),
    ]
}

/// The column of the M&E measures' sheet naming the M&E indicator each measure belongs to.
const ME_OF: &str = "M&E indicator";

fn me_measure_cols() -> Vec<Col> {
    vec![
        refcol(ME_OF, "/me_indicator", Kind::Code, Ref::MeIndicator, 22.0),
        col("id", "/id", Kind::Code, 22.0),
        col("kind", "/kind", Kind::Enum(ME_KINDS), 9.0),
        col("basis", "/basis", Kind::Enum(BASES), 16.0),
        refcol("indicators", "/indicators", Kind::ListOmit, Ref::Indicator, 18.0),
        col("profile field", "/field", Kind::EnumOmit(&crate::framework::PROFILE_FIELDS), 14.0),
        col("profile values", "/values", Kind::ListOmit, 14.0),
        col("target share", "/target_share", Kind::FloatOmit, 9.0),
        col("at least level", "/at_least", Kind::IntOmit, 9.0),
        col("small administrations only", "/small_administrations", Kind::Bool, 12.0),
        col("change since the first cycle", "/change", Kind::Bool, 12.0),
        col("method (EN)", "/method/en", Kind::Text, TEXT_W),
        col("method (FR)", "/method/fr", Kind::Text, TEXT_W),
    ]
}

/// The columns of a pillar's sheet (one indicator a row; the pillar is the sheet's name).
pub fn indicator_cols() -> Vec<Col> {
    let mut c = vec![
        col("code", "/code", Kind::Code, 8.0),
        col("title (EN)", "/title/en", Kind::Text, 30.0),
        col("title (FR)", "/title/fr", Kind::Text, 30.0),
        col("guidance (EN)", "/guidance/en", Kind::Text, TEXT_W),
        col("guidance (FR)", "/guidance/fr", Kind::Text, TEXT_W),
    ];
    const LEVEL: [[(&str, &str); 2]; 5] = [
        [("level 0 (EN)", "/levels/0/en"), ("level 0 (FR)", "/levels/0/fr")],
        [("level 1 (EN)", "/levels/1/en"), ("level 1 (FR)", "/levels/1/fr")],
        [("level 2 (EN)", "/levels/2/en"), ("level 2 (FR)", "/levels/2/fr")],
        [("level 3 (EN)", "/levels/3/en"), ("level 3 (FR)", "/levels/3/fr")],
        [("level 4 (EN)", "/levels/4/en"), ("level 4 (FR)", "/levels/4/fr")],
    ];
    for pair in LEVEL {
        for (h, p) in pair {
            c.push(col(h, p, Kind::Text, TEXT_W));
        }
    }
    c.extend([
        col("evidence examples (EN), one a line", "/evidence/en", Kind::Lines, TEXT_W),
        col("evidence examples (FR), one a line", "/evidence/fr", Kind::Lines, TEXT_W),
        col("default target", "/default_target", Kind::Int, 9.0),
        refcol("priority areas", "/priority_areas", Kind::List, Ref::PriorityArea, 12.0),
        refcol("key actions", "/key_actions", Kind::List, Ref::KeyAction, 14.0),
        refcol("intervention", "/intervention", Kind::Code, Ref::Intervention, 20.0),
        refcol("competency", "/competency", Kind::CodeOpt, Ref::Competency, 14.0),
        col("readiness axis", "/axis", Kind::EnumOmit(AXES), 12.0),
        col("weight", "/weight", Kind::Int, 8.0),
        refcol("core capabilities", "/core_capabilities", Kind::List, Ref::CoreCapability, 14.0),
        col("since revision", "/since", Kind::Int, 9.0),
        col("replaces (indicators of an earlier revision)", "/replaces", Kind::ListOmit, 14.0),
    ]);
    c
}

fn change_log_cols() -> Vec<Col> {
    vec![col("change (EN)", "/en", Kind::Text, 70.0), col("change (FR)", "/fr", Kind::Text, 70.0)]
}

/// Every sheet of the workbook but the pillars', with its columns, in workbook order
/// (the pillars' sheets come after [`FRAMEWORK`]).
fn fixed_sheets() -> Vec<(&'static str, Vec<Col>)> {
    vec![
        (LEVELS, level_cols()),
        (PILLARS, pillar_cols()),
        (PRIORITY_AREAS, priority_area_cols()),
        (INTERVENTIONS, coded_cols()),
        (CORE_CAPABILITIES, coded_cols()),
        (COMPETENCIES, coded_cols()),
        (KEY_ACTIONS, key_action_cols()),
        (ME_INDICATORS, me_indicator_cols()),
        (ME_MEASURES, me_measure_cols()),
        (CHANGE_LOG, change_log_cols()),
    ]
}

/// The meta field each fixed sheet holds (as a JSON array).
fn meta_field(sheet: &str) -> Option<&'static str> {
    Some(match sheet {
        LEVELS => "levels",
        PILLARS => "pillars",
        PRIORITY_AREAS => "priority_areas",
        INTERVENTIONS => "interventions",
        CORE_CAPABILITIES => "core_capabilities",
        COMPETENCIES => "competencies",
        KEY_ACTIONS => "key_actions",
        ME_INDICATORS => "me_indicators",
        // The revision's change log is the content's own (`changes`).
        CHANGE_LOG => "changes",
        _ => return None,
    })
}

/// Excel's name of a column (0 → A, 26 → AA).
pub fn col_letter(mut c: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (c % 26) as u8);
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// Writing

/// The cell written for a value.
enum Out {
    Str(String),
    Num(f64),
    Bool(bool),
    Empty,
}

fn out_of(v: Option<&Value>, kind: Kind) -> Out {
    let Some(v) = v else { return Out::Empty };
    match (kind, v) {
        (_, Value::Null) => Out::Empty,
        (Kind::List | Kind::ListOmit, Value::Array(a)) => {
            Out::Str(a.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(", "))
        }
        (Kind::Lines, Value::Array(a)) => Out::Str(a.iter().filter_map(Value::as_str).collect::<Vec<_>>().join("\n")),
        (_, Value::Bool(b)) => Out::Bool(*b),
        (_, Value::Number(n)) => Out::Num(n.as_f64().unwrap_or_default()),
        (_, Value::String(s)) => Out::Str(s.clone()),
        (_, other) => Out::Str(other.to_string()),
    }
}

struct SheetOut {
    name: String,
    cols: Vec<Col>,
    rows: Vec<Value>,
}

fn to_values<T: serde::Serialize>(items: &[T]) -> Vec<Value> {
    items.iter().map(|x| serde_json::to_value(x).unwrap_or(Value::Null)).collect()
}

/// The sheets of a framework's content, with `change_log` (empty for the content alone).
fn sheets_of(fw: &Framework, change_log: &[Text]) -> Vec<SheetOut> {
    let meta = serde_json::to_value(&fw.meta).unwrap_or(Value::Null);
    let mut out = vec![SheetOut { name: FRAMEWORK.into(), cols: framework_cols(), rows: vec![meta.clone()] }];
    for p in &fw.meta.pillars {
        let rows = to_values(&fw.indicators_of(&p.code).collect::<Vec<_>>());
        out.push(SheetOut { name: p.code.clone(), cols: indicator_cols(), rows });
    }
    for (name, cols) in fixed_sheets() {
        let rows = match name {
            ME_MEASURES => fw
                .meta
                .me_indicators
                .iter()
                .flat_map(|d| {
                    d.measures.iter().map(move |m| {
                        let mut v = serde_json::to_value(m).unwrap_or(Value::Null);
                        if let Value::Object(o) = &mut v {
                            o.insert("me_indicator".into(), Value::String(d.id.clone()));
                        }
                        v
                    })
                })
                .collect(),
            CHANGE_LOG if !change_log.is_empty() => to_values(change_log),
            _ => meta_field(name)
                .and_then(|f| meta.get(f))
                .and_then(Value::as_array)
                .map(|rows| {
                    rows.iter()
                        .map(|r| {
                            let mut r = r.clone();
                            // The measures have their own sheet.
                            if name == ME_INDICATORS
                                && let Value::Object(o) = &mut r
                            {
                                o.remove("measures");
                            }
                            r
                        })
                        .collect()
                })
                .unwrap_or_default(),
        };
        out.push(SheetOut { name: name.into(), cols, rows });
    }
    out
}

/// The workbook of a framework's content and a change log (bytes of an `.xlsx`).
pub fn write(fw: &Framework, change_log: &[Text]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook};
    let header = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xE2EBF5))
        .set_border_bottom(FormatBorder::Thin)
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    let body = Format::new().set_align(FormatAlign::Top);
    let wrapped = Format::new().set_align(FormatAlign::Top).set_text_wrap();
    let mut wb = Workbook::new();
    for sheet in sheets_of(fw, change_log) {
        let ws = wb.add_worksheet();
        ws.set_name(&sheet.name)?;
        for (c, col) in sheet.cols.iter().enumerate() {
            let c = c as u16;
            ws.set_column_width(c, col.width)?;
            ws.write_string_with_format(0, c, col.header, &header)?;
        }
        ws.set_freeze_panes(1, 1)?;
        for (r, rec) in sheet.rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, col) in sheet.cols.iter().enumerate() {
                let c = c as u16;
                let f = if col.width >= TEXT_W || col.kind == Kind::Lines { &wrapped } else { &body };
                match out_of(rec.pointer(col.ptr), col.kind) {
                    Out::Str(s) => ws.write_string_with_format(r, c, s, f).map(|_| ())?,
                    Out::Num(n) => ws.write_number_with_format(r, c, n, f).map(|_| ())?,
                    Out::Bool(b) => ws.write_boolean_with_format(r, c, b, f).map(|_| ())?,
                    Out::Empty => {}
                }
            }
        }
    }
    wb.save_to_buffer()
}

// ---------------------------------------------------------------------------------------------
// Reading

/// Where a problem is: a sheet, and within it a row (1-based, as the spreadsheet shows it) and a
/// column (its letter and header), when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub sheet: String,
    pub row: Option<u32>,
    pub col: Option<(String, String)>,
}

/// What is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum What {
    /// Not a workbook (or one that cannot be read): the reader's words.
    Unreadable(String),
    MissingSheet,
    MissingColumn(String),
    UnknownColumn(String),
    TooManyRows,
    /// A required cell is empty (`Some(lang)`: its text in that language).
    Empty(Option<Lang>),
    NotText,
    NotNumber(String),
    NotWhole(String),
    NotYesNo(String),
    NotOneOf(String, String),
    BadCode(String),
    ControlCharacter,
    TooLong,
    /// A code that names nothing on its sheet.
    Unknown {
        code: String,
        sheet: String,
    },
    /// A code already defined (on `first`, row).
    Duplicate {
        code: String,
        first: String,
    },
    /// A key action no indicator serves.
    KeyActionUnserved(String),
    /// A rule of `Framework::validate` (its English sentence, cleaned).
    Rule(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub place: Place,
    pub what: What,
}

impl Problem {
    /// The problem in the user's language: "Sheet WF, row 5, column H (level 1 (FR)): …".
    pub fn message(&self, t: Lang) -> String {
        let p = &self.place;
        let sheet = clean_text(&p.sheet);
        let at = match (&p.row, &p.col) {
            (Some(r), Some((letter, header))) => t.f(
                "fwbook.at_cell",
                &[("sheet", &sheet), ("row", r), ("col", letter), ("header", &clean_text(header))],
            ),
            (Some(r), None) => t.f("fwbook.at_row", &[("sheet", &sheet), ("row", r)]),
            (None, Some((letter, header))) => {
                t.f("fwbook.at_col", &[("sheet", &sheet), ("col", letter), ("header", &clean_text(header))])
            }
            (None, None) => t.f("fwbook.at_sheet", &[("sheet", &sheet)]),
        };
        let c = |s: &str| clean_text(s);
        let what = match &self.what {
            What::Unreadable(d) => t.f("fwbook.unreadable", &[("detail", &c(d))]),
            What::MissingSheet => t.t("fwbook.missing_sheet").to_string(),
            What::MissingColumn(h) => t.f("fwbook.missing_column", &[("header", &c(h))]),
            What::UnknownColumn(h) => t.f("fwbook.unknown_column", &[("header", &c(h))]),
            What::TooManyRows => t.f("fwbook.too_many_rows", &[("max", &ROWS_MAX)]),
            What::Empty(Some(Lang::En)) => t.t("fwbook.empty_en").to_string(),
            What::Empty(Some(Lang::Fr)) => t.t("fwbook.empty_fr").to_string(),
            What::Empty(None) => t.t("fwbook.empty").to_string(),
            What::NotText => t.t("fwbook.not_text").to_string(),
            What::NotNumber(v) => t.f("fwbook.not_number", &[("value", &c(v))]),
            What::NotWhole(v) => t.f("fwbook.not_whole", &[("value", &c(v))]),
            What::NotYesNo(v) => t.f("fwbook.not_yes_no", &[("value", &c(v))]),
            What::NotOneOf(v, list) => t.f("fwbook.not_one_of", &[("value", &c(v)), ("allowed", &c(list))]),
            What::BadCode(v) => t.f("fwbook.bad_code", &[("value", &c(v)), ("max", &CODE_MAX)]),
            What::ControlCharacter => t.t("fwbook.control_character").to_string(),
            What::TooLong => t.f("fwbook.too_long", &[("max", &CELL_MAX)]),
            What::Unknown { code, sheet } => t.f("fwbook.unknown_code", &[("code", &c(code)), ("sheet", &c(sheet))]),
            What::Duplicate { code, first } => t.f("fwbook.duplicate", &[("code", &c(code)), ("first", &c(first))]),
            What::KeyActionUnserved(k) => t.f("fwbook.key_action_unserved", &[("code", &c(k))]),
            What::Rule(r) => t.f("fwbook.rule", &[("rule", &c(r))]),
        };
        format!("{at}: {what}")
    }
}

impl crate::lang::Words for Problem {
    fn words(&self, t: Lang) -> String {
        self.message(t)
    }
}

/// A workbook read back: the framework and the change log it carries.
#[derive(Debug, Clone)]
pub struct Book {
    pub framework: Framework,
    pub change_log: Vec<Text>,
    /// Where each indicator is: its sheet and row.
    pub rows: BTreeMap<String, (String, u32)>,
}

impl Book {
    /// A rule's sentence about an indicator ("indicator WF-01: …"), said at its row (or at least
    /// its pillar's sheet).
    pub fn problem_at(&self, rule: String) -> Problem {
        let rule = clean_text_long(&rule);
        let code = rule.strip_prefix("indicator ").and_then(|r| r.split(':').next()).unwrap_or("");
        let place = match self.rows.get(code) {
            Some((sheet, row)) => Place { sheet: sheet.clone(), row: Some(*row), col: None },
            None => Place { sheet: code.split('-').next().unwrap_or(FRAMEWORK).to_string(), row: None, col: None },
        };
        Problem { place, what: What::Rule(rule) }
    }
}

/// One sheet as read: each data row's number and record.
struct SheetIn {
    name: String,
    rows: Vec<(u32, Value)>,
    /// Where each column is (index), by header.
    cols: Vec<(Col, usize)>,
}

struct Reader {
    problems: Vec<Problem>,
}

fn cell_text(d: &calamine::Data) -> Result<String, What> {
    use calamine::Data;
    Ok(match d {
        Data::Empty => String::new(),
        Data::String(s) => s.replace("\r\n", "\n"),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        _ => return Err(What::NotText),
    })
}

fn is_code(s: &str) -> bool {
    !s.is_empty() && s.chars().count() <= CODE_MAX && s.chars().all(|c| c.is_alphanumeric() || "-_.=>".contains(c))
}

/// Sets `v` at a JSON pointer in `root`, making the objects and arrays on the way.
fn set_at(root: &mut Value, ptr: &str, v: Value) {
    let mut cur = root;
    let parts: Vec<&str> = ptr.split('/').skip(1).collect();
    for (i, part) in parts.iter().enumerate() {
        let last = i + 1 == parts.len();
        if let Ok(n) = part.parse::<usize>() {
            if !cur.is_array() {
                *cur = Value::Array(Vec::new());
            }
            let Value::Array(a) = cur else { return };
            while a.len() <= n {
                a.push(Value::Null);
            }
            if last {
                a[n] = v;
                return;
            }
            cur = &mut a[n];
        } else {
            if !cur.is_object() {
                *cur = Value::Object(Map::new());
            }
            let Value::Object(o) = cur else { return };
            if last {
                o.insert((*part).to_string(), v);
                return;
            }
            cur = o.entry((*part).to_string()).or_insert(Value::Null);
        }
    }
}

fn lang_of(header: &str) -> Option<Lang> {
    if header.contains("(EN)") {
        Some(Lang::En)
    } else if header.contains("(FR)") {
        Some(Lang::Fr)
    } else {
        None
    }
}

impl Reader {
    fn at(&mut self, sheet: &str, row: Option<u32>, col: Option<(usize, &str)>, what: What) {
        let col = col.map(|(i, h)| (col_letter(i), h.to_string()));
        self.problems.push(Problem { place: Place { sheet: sheet.to_string(), row, col }, what });
    }

    /// A sheet's records, each cell read by its column's kind.
    fn sheet(&mut self, range: &calamine::Range<calamine::Data>, name: &str, cols: &[Col]) -> SheetIn {
        let mut out = SheetIn { name: name.to_string(), rows: Vec::new(), cols: Vec::new() };
        let (height, width) = match range.end() {
            Some((r, c)) => (r as usize + 1, c as usize + 1),
            None => (0, 0),
        };
        // Headers on row 1, found by name (columns may be moved).
        let mut headers = BTreeMap::new();
        for c in 0..width {
            let h = range.get_value((0, c as u32)).map(cell_text).unwrap_or(Ok(String::new())).unwrap_or_default();
            let h = h.trim().to_string();
            if h.is_empty() {
                continue;
            }
            match cols.iter().find(|x| x.header == h) {
                Some(col) if !headers.contains_key(col.header) => {
                    headers.insert(col.header, c);
                }
                _ => self.at(name, Some(1), Some((c, "")), What::UnknownColumn(h)),
            }
        }
        for col in cols {
            match headers.get(col.header) {
                Some(&i) => out.cols.push((*col, i)),
                None => self.at(name, Some(1), None, What::MissingColumn(col.header.to_string())),
            }
        }
        if height > ROWS_MAX + 1 {
            self.at(name, None, None, What::TooManyRows);
            return out;
        }
        for r in 1..height {
            let row_no = r as u32 + 1;
            let cells: Vec<(Col, usize, Result<String, What>)> = out
                .cols
                .iter()
                .map(|(col, i)| {
                    let d = range.get_value((r as u32, *i as u32));
                    (*col, *i, d.map(cell_text).unwrap_or(Ok(String::new())))
                })
                .collect();
            if cells.iter().all(|(_, _, t)| matches!(t, Ok(s) if s.trim().is_empty())) {
                continue; // an empty row
            }
            let mut rec = Value::Object(Map::new());
            for (col, i, text) in cells {
                let text = match text {
                    Ok(t) => t,
                    Err(w) => {
                        self.at(name, Some(row_no), Some((i, col.header)), w);
                        continue;
                    }
                };
                if let Some(v) = self.cell(name, row_no, i, &col, &text, &range.get_value((r as u32, i as u32))) {
                    set_at(&mut rec, col.ptr, v);
                }
            }
            out.rows.push((row_no, rec));
        }
        out
    }

    /// One cell's value (`None`: the field is left out).
    fn cell(
        &mut self,
        sheet: &str,
        row: u32,
        i: usize,
        col: &Col,
        text: &str,
        raw: &Option<&calamine::Data>,
    ) -> Option<Value> {
        let at = Some((i, col.header));
        if text.chars().count() > CELL_MAX {
            self.at(sheet, Some(row), at, What::TooLong);
            return None;
        }
        if text.chars().any(|c| c.is_control() && c != '\n') {
            self.at(sheet, Some(row), at, What::ControlCharacter);
            return None;
        }
        let t = text.trim();
        let number = |this: &mut Reader| -> Option<f64> {
            match raw {
                Some(calamine::Data::Float(f)) => Some(*f),
                Some(calamine::Data::Int(n)) => Some(*n as f64),
                _ => match t.parse::<f64>() {
                    Ok(f) if f.is_finite() => Some(f),
                    _ => {
                        this.at(sheet, Some(row), at, What::NotNumber(t.to_string()));
                        None
                    }
                },
            }
        };
        let codes = |this: &mut Reader| -> Vec<Value> {
            let mut out = Vec::new();
            for c in t.split(',').map(str::trim).filter(|c| !c.is_empty()) {
                if is_code(c) {
                    out.push(Value::String(c.to_string()));
                } else {
                    this.at(sheet, Some(row), at, What::BadCode(c.to_string()));
                }
            }
            out
        };
        match col.kind {
            Kind::Code | Kind::CodeOpt if t.is_empty() => {
                if col.kind == Kind::Code {
                    self.at(sheet, Some(row), at, What::Empty(None));
                }
                Some(Value::Null)
            }
            Kind::Code | Kind::CodeOpt => {
                if !is_code(t) {
                    self.at(sheet, Some(row), at, What::BadCode(t.to_string()));
                }
                Some(Value::String(t.to_string()))
            }
            Kind::Text => {
                if t.is_empty() {
                    self.at(sheet, Some(row), at, What::Empty(lang_of(col.header)));
                }
                Some(Value::String(text.to_string()))
            }
            Kind::TextOpt => Some(Value::String(text.to_string())),
            Kind::TextOmit => (!t.is_empty()).then(|| Value::String(text.to_string())),
            Kind::Int | Kind::IntOmit | Kind::Float | Kind::FloatOmit if t.is_empty() => {
                if col.kind != Kind::FloatOmit && col.kind != Kind::IntOmit {
                    self.at(sheet, Some(row), at, What::Empty(None));
                }
                None
            }
            Kind::Int | Kind::IntOmit => {
                let f = number(self)?;
                if f.fract() != 0.0 || !(0.0..=1e6).contains(&f) {
                    self.at(sheet, Some(row), at, What::NotWhole(t.to_string()));
                    return None;
                }
                Some(Value::from(f as u64))
            }
            Kind::Float | Kind::FloatOmit => number(self).map(Value::from),
            Kind::Bool => match (raw, t.to_ascii_lowercase().as_str()) {
                (Some(calamine::Data::Bool(b)), _) => Some(Value::Bool(*b)),
                (_, "true" | "yes" | "oui" | "vrai" | "1") => Some(Value::Bool(true)),
                (_, "false" | "no" | "non" | "faux" | "0" | "") => Some(Value::Bool(false)),
                _ => {
                    self.at(sheet, Some(row), at, What::NotYesNo(t.to_string()));
                    None
                }
            },
            Kind::List => Some(Value::Array(codes(self))),
            Kind::ListOmit => {
                let v = codes(self);
                (!v.is_empty()).then_some(Value::Array(v))
            }
            Kind::Lines => Some(Value::Array(
                text.split('\n')
                    .map(str::trim_end)
                    .filter(|l| !l.trim().is_empty())
                    .map(|l| Value::String(l.to_string()))
                    .collect(),
            )),
            Kind::Enum(list) | Kind::EnumOmit(list) => {
                if t.is_empty() {
                    if matches!(col.kind, Kind::Enum(_)) {
                        self.at(sheet, Some(row), at, What::Empty(None));
                    }
                    return None;
                }
                if !list.contains(&t) {
                    self.at(sheet, Some(row), at, What::NotOneOf(t.to_string(), list.join(", ")));
                    return None;
                }
                Some(Value::String(t.to_string()))
            }
        }
    }

    /// A record deserialised, or the serde error said at its row.
    fn record<T: serde::de::DeserializeOwned>(&mut self, sheet: &str, row: u32, v: Value) -> Option<T> {
        match serde_json::from_value(v) {
            Ok(x) => Some(x),
            Err(e) => {
                self.at(sheet, Some(row), None, What::Rule(e.to_string()));
                None
            }
        }
    }
}

/// The column index of a header on a sheet read.
fn col_of(s: &SheetIn, header: &str) -> Option<usize> {
    s.cols.iter().find(|(c, _)| c.header == header).map(|(_, i)| *i)
}

/// Reads a content workbook back into a framework and its change log, refusing it with every
/// problem (sheet, row, column) found; then the framework's own rules (`Framework::validate`,
/// the ones `build.rs` runs), each said at the row it is about.
pub fn read(bytes: &[u8]) -> Result<Book, Vec<Problem>> {
    use calamine::Reader as _;
    let unreadable = |d: String| {
        vec![Problem { place: Place { sheet: "-".into(), row: None, col: None }, what: What::Unreadable(d) }]
    };
    if bytes.len() as u64 > BOOK_MAX_BYTES {
        return Err(unreadable(format!("{} bytes", bytes.len())));
    }
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes))
        .map_err(|e: calamine::XlsxError| unreadable(e.to_string()))?;
    let mut rd = Reader { problems: Vec::new() };
    let names = wb.sheet_names();
    let mut get = |rd: &mut Reader, name: &str, cols: &[Col]| -> Option<SheetIn> {
        if !names.iter().any(|n| n == name) {
            rd.at(name, None, None, What::MissingSheet);
            return None;
        }
        match wb.worksheet_range(name) {
            Ok(range) => Some(rd.sheet(&range, name, cols)),
            Err(e) => {
                rd.at(name, None, None, What::Unreadable(e.to_string()));
                None
            }
        }
    };
    let meta_sheet = get(&mut rd, FRAMEWORK, &framework_cols());
    let mut fixed: BTreeMap<&'static str, SheetIn> = BTreeMap::new();
    for (name, cols) in fixed_sheets() {
        if let Some(s) = get(&mut rd, name, &cols) {
            fixed.insert(name, s);
        }
    }
    // The pillars' sheets are named by the pillars sheet's codes.
    let pillar_codes: Vec<String> = fixed
        .get(PILLARS)
        .map(|s| {
            s.rows.iter().filter_map(|(_, v)| v.pointer("/code").and_then(Value::as_str).map(String::from)).collect()
        })
        .unwrap_or_default();
    let mut pillar_sheets = Vec::new();
    for code in &pillar_codes {
        if let Some(mut s) = get(&mut rd, code, &indicator_cols()) {
            for (_, v) in &mut s.rows {
                set_at(v, "/pillar", Value::String(code.clone()));
            }
            pillar_sheets.push(s);
        }
    }

    // Codes: each defined once; every reference names one.
    let mut defined: BTreeMap<Ref, BTreeMap<String, (String, u32)>> = BTreeMap::new();
    let key_col = |s: &SheetIn| s.cols.first().map(|(c, i)| (c.header, c.ptr, *i));
    let mut define = |rd: &mut Reader, r: Ref, s: &SheetIn| {
        let Some((header, ptr, i)) = key_col(s) else { return };
        let map = defined.entry(r).or_default();
        for (row, v) in &s.rows {
            let Some(code) = v.pointer(ptr).and_then(Value::as_str) else { continue };
            if let Some((sheet, first)) = map.get(code) {
                let first = format!("{sheet} {first}");
                rd.at(&s.name, Some(*row), Some((i, header)), What::Duplicate { code: code.to_string(), first });
            } else {
                map.insert(code.to_string(), (s.name.clone(), *row));
            }
        }
    };
    for s in &pillar_sheets {
        define(&mut rd, Ref::Indicator, s);
    }
    for (name, r) in [
        (PRIORITY_AREAS, Ref::PriorityArea),
        (KEY_ACTIONS, Ref::KeyAction),
        (CORE_CAPABILITIES, Ref::CoreCapability),
        (COMPETENCIES, Ref::Competency),
        (INTERVENTIONS, Ref::Intervention),
        (ME_INDICATORS, Ref::MeIndicator),
    ] {
        if let Some(s) = fixed.get(name) {
            define(&mut rd, r, s);
        }
    }
    for name in [LEVELS, PILLARS, ME_MEASURES] {
        if let Some(s) = fixed.get(name) {
            let mut seen: BTreeMap<String, u32> = BTreeMap::new();
            let (h, p, i) = match name {
                ME_MEASURES => ("id", "/id", col_of(s, "id")),
                LEVELS => ("value", "/value", col_of(s, "value")),
                _ => ("code", "/code", col_of(s, "code")),
            };
            for (row, v) in &s.rows {
                let Some(code) = v.pointer(p).map(|c| c.to_string().trim_matches('"').to_string()) else { continue };
                if let Some(first) = seen.get(&code) {
                    let first = format!("{name} {first}");
                    rd.at(name, Some(*row), i.map(|i| (i, h)), What::Duplicate { code, first });
                } else {
                    seen.insert(code, *row);
                }
            }
        }
    }
    let mut served: BTreeSet<String> = BTreeSet::new();
    for s in pillar_sheets.iter().chain(fixed.values()) {
        for (col, i) in &s.cols {
            let Some(r) = col.refs else { continue };
            let known = defined.get(&r);
            for (row, v) in &s.rows {
                let codes: Vec<&str> = match v.pointer(col.ptr) {
                    Some(Value::String(c)) => vec![c.as_str()],
                    Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
                    _ => vec![],
                };
                for code in codes {
                    if r == Ref::KeyAction && pillar_sheets.iter().any(|p| p.name == s.name) {
                        served.insert(code.to_string());
                    }
                    if !known.is_some_and(|k| k.contains_key(code)) {
                        let what = What::Unknown { code: code.to_string(), sheet: r.sheet().to_string() };
                        rd.at(&s.name, Some(*row), Some((*i, col.header)), what);
                    }
                }
            }
        }
    }
    if let Some(s) = fixed.get(KEY_ACTIONS)
        && !pillar_sheets.is_empty()
    {
        let i = col_of(s, "code");
        for (row, v) in &s.rows {
            if let Some(code) = v.pointer("/code").and_then(Value::as_str)
                && !served.contains(code)
            {
                rd.at(KEY_ACTIONS, Some(*row), i.map(|i| (i, "code")), What::KeyActionUnserved(code.to_string()));
            }
        }
    }
    // Texts in both languages: an indicator's evidence examples, as many in French as in English.
    for s in &pillar_sheets {
        let i = col_of(s, "evidence examples (FR), one a line");
        for (row, v) in &s.rows {
            let n = |l: &str| v.pointer(&format!("/evidence/{l}")).and_then(Value::as_array).map_or(0, Vec::len);
            if n("en") != n("fr") || n("en") == 0 {
                let what = if n("fr") < n("en") { What::Empty(Some(Lang::Fr)) } else { What::Empty(Some(Lang::En)) };
                rd.at(&s.name, Some(*row), i.map(|i| (i, "evidence examples (FR), one a line")), what);
            }
        }
    }
    if !rd.problems.is_empty() {
        return Err(rd.problems);
    }

    // The model, record by record.
    let mut meta = match meta_sheet.as_ref().and_then(|s| s.rows.first()) {
        Some((_, v)) => v.clone(),
        None => {
            rd.at(FRAMEWORK, Some(2), None, What::Empty(None));
            return Err(rd.problems);
        }
    };
    for (name, s) in &fixed {
        if let Some(field) = meta_field(name) {
            let rows: Vec<Value> = s.rows.iter().map(|(_, v)| v.clone()).collect();
            set_at(&mut meta, &format!("/{field}"), Value::Array(rows));
        }
    }
    if let Some(s) = fixed.get(ME_MEASURES) {
        for (row, v) in &s.rows {
            let of = v.pointer("/me_indicator").and_then(Value::as_str).unwrap_or_default().to_string();
            let mut m = v.clone();
            if let Value::Object(o) = &mut m {
                o.remove("me_indicator");
            }
            let list = meta
                .get_mut("me_indicators")
                .and_then(Value::as_array_mut)
                .and_then(|a| a.iter_mut().find(|d| d.get("id").and_then(Value::as_str) == Some(&of)));
            match list {
                Some(d) => match d.get_mut("measures").and_then(Value::as_array_mut) {
                    Some(ms) => ms.push(m),
                    None => set_at(d, "/measures", Value::Array(vec![m])),
                },
                None => {
                    rd.at(ME_MEASURES, Some(*row), None, What::Unknown { code: of, sheet: ME_INDICATORS.to_string() })
                }
            }
        }
    }
    let meta: Option<FrameworkMeta> = rd.record(FRAMEWORK, 2, meta);
    let mut indicators = Vec::new();
    for s in &pillar_sheets {
        for (row, v) in &s.rows {
            if let Some(i) = rd.record::<Indicator>(&s.name, *row, v.clone()) {
                indicators.push(i);
            }
        }
    }
    let change_log: Vec<Text> = fixed
        .get(CHANGE_LOG)
        .map(|s| s.rows.iter().filter_map(|(row, v)| rd.record::<Text>(CHANGE_LOG, *row, v.clone())).collect())
        .unwrap_or_default();
    let Some(meta) = meta else { return Err(rd.problems) };
    if !rd.problems.is_empty() {
        return Err(rd.problems);
    }
    let framework = Framework { meta, indicators };
    let rules = framework.validate();
    if !rules.is_empty() {
        let places = Places::of(&pillar_sheets, &fixed);
        return Err(rules.into_iter().map(|r| places.problem(r)).collect());
    }
    let rows = pillar_sheets
        .iter()
        .flat_map(|s| {
            s.rows.iter().filter_map(|(row, v)| {
                v.pointer("/code").and_then(Value::as_str).map(|c| (c.to_string(), (s.name.clone(), *row)))
            })
        })
        .collect();
    Ok(Book { framework, change_log, rows })
}

/// Where each code is defined, to say a rule's sentence at its row (and column, by its words).
struct Places {
    rows: BTreeMap<(&'static str, String), (String, u32)>,
    cols: BTreeMap<String, Vec<(Col, usize)>>,
}

impl Places {
    fn of(pillars: &[SheetIn], fixed: &BTreeMap<&'static str, SheetIn>) -> Places {
        let mut rows = BTreeMap::new();
        let mut cols = BTreeMap::new();
        let mut add = |kind: &'static str, s: &SheetIn, ptr: &str| {
            cols.insert(s.name.clone(), s.cols.clone());
            for (row, v) in &s.rows {
                if let Some(code) = v.pointer(ptr) {
                    let code = code.as_str().map(String::from).unwrap_or_else(|| code.to_string());
                    rows.insert((kind, code), (s.name.clone(), *row));
                }
            }
        };
        for s in pillars {
            add("indicator", s, "/code");
        }
        for (name, kind, ptr) in [
            (KEY_ACTIONS, "key action", "/code"),
            (ME_INDICATORS, "M&E indicator", "/id"),
            (ME_MEASURES, "M&E measure", "/id"),
            (PILLARS, "pillar", "/code"),
            (LEVELS, "level", "/value"),
        ] {
            if let Some(s) = fixed.get(name) {
                add(kind, s, ptr);
            }
        }
        Places { rows, cols }
    }

    fn problem(&self, rule: String) -> Problem {
        let rule = clean_text_long(&rule);
        let mut place = Place { sheet: FRAMEWORK.into(), row: Some(2), col: None };
        for kind in ["M&E indicator", "M&E measure", "indicator", "key action", "pillar", "level"] {
            let Some(rest) = rule.strip_prefix(&format!("{kind} ")) else { continue };
            let code: String = rest.chars().take_while(|c| !c.is_whitespace() && *c != ':').collect();
            if let Some((sheet, row)) = self.rows.get(&(kind, code)) {
                place = Place { sheet: sheet.clone(), row: Some(*row), col: None };
                let after = rest.split_once(':').map(|(_, a)| a).unwrap_or(rest);
                place.col = self.cols.get(sheet).and_then(|cols| column_named(cols, after, &rule));
            }
            break;
        }
        Problem { place, what: What::Rule(rule) }
    }
}

/// The column a rule's sentence is about, by its words.
fn column_named(cols: &[(Col, usize)], after: &str, rule: &str) -> Option<(String, String)> {
    const WORDS: &[(&str, &str)] = &[
        ("priority area", "/priority_areas"),
        ("key action", "/key_actions"),
        ("axis", "/axis"),
        ("since", "/since"),
        ("replaces", "/replaces"),
        ("competency", "/competency"),
        ("core capability", "/core_capabilities"),
        ("default target", "/default_target"),
        ("weight", "/weight"),
        ("intervention", "/intervention"),
        ("evidence", "/evidence/en"),
        ("level descriptor", "/levels/0/en"),
    ];
    let lang = if rule.contains("French") { "fr" } else { "en" };
    let ptr = if let Some(n) = rule.split(" level ").nth(1).and_then(|r| r.chars().next()).filter(char::is_ascii_digit)
    {
        format!("/levels/{n}/{lang}")
    } else if rule.contains(" title") {
        format!("/title/{lang}")
    } else if rule.contains(" guidance") {
        format!("/guidance/{lang}")
    } else {
        WORDS.iter().find(|(w, _)| after.contains(w))?.1.to_string()
    };
    cols.iter().find(|(c, _)| c.ptr == ptr).map(|(c, i)| (col_letter(*i), c.header.to_string()))
}

/// A rule's sentence fit to be shown: control characters removed, at most 300 characters.
fn clean_text_long(s: &str) -> String {
    let t: String = s.chars().filter(|c| !c.is_control()).take(300).collect();
    t
}

/// Every field of a framework's serialised records that no column holds (empty when the
/// workbook keeps everything): what a new field in the model needs.
pub fn uncovered_fields(fw: &Framework) -> Vec<String> {
    fn leaves(v: &Value, path: String, out: &mut Vec<String>) {
        match v {
            Value::Object(o) => {
                for (k, x) in o {
                    leaves(x, format!("{path}/{k}"), out);
                }
            }
            // Arrays of texts or codes are one cell; arrays of objects are the levels' texts.
            Value::Array(a) if a.iter().any(Value::is_object) => {
                for (i, x) in a.iter().enumerate() {
                    leaves(x, format!("{path}/{i}"), out);
                }
            }
            _ => out.push(path),
        }
    }
    let mut missing = BTreeSet::new();
    for s in sheets_of(fw, &[]) {
        for rec in &s.rows {
            let mut paths = Vec::new();
            leaves(rec, String::new(), &mut paths);
            for p in paths {
                let covered = s.cols.iter().any(|c| c.ptr == p || c.ptr.starts_with(&format!("{p}/")))
                    || (s.name != FRAMEWORK && p == "/pillar");
                let elsewhere = s.name == FRAMEWORK && meta_field_of(&p);
                let measure_of = s.name == ME_MEASURES && p == "/me_indicator";
                if !covered && !elsewhere && !measure_of {
                    missing.insert(format!("{}: {p}", s.name));
                }
            }
        }
    }
    missing.into_iter().collect()
}

/// Whether a path of the metadata is held by another sheet.
fn meta_field_of(p: &str) -> bool {
    let first = p.split('/').nth(1).unwrap_or("");
    fixed_sheets().iter().any(|(n, _)| meta_field(n) == Some(first))
}
