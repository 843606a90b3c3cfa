//! Trust nothing in a file's schema: what SQLite reads from a database file (its tables, indexes,
//! triggers and views) is code that runs at the next insert or query. A database, or a backup
//! about to be restored, must hold exactly the schema the migrations make for its version: nothing
//! more (an added trigger could rewrite a member's key at the next import), nothing less (a
//! dropped trigger would let a finalised revision change), nothing in another form (a view in
//! place of a table).
//!
//! The expected schema of each version is built once, by running the migrations on a database in
//! memory, and compared object by object (type, name, table, and the SQL with its spacing and
//! identifier quotes normalised). SQLite's own objects (`sqlite_sequence`, `sqlite_stat*`, the
//! automatic indexes of `UNIQUE` and `PRIMARY KEY`) are left out.
//!
//! Every connection the store opens is also hardened ([`harden`]): `SQLITE_DBCONFIG_DEFENSIVE`
//! (no `writable_schema`, no writing pages directly) and `trusted_schema` off (functions with side
//! effects never run from a trigger or a view).

use super::{Result, SCHEMA_VERSION, StoreError, migrations};
use rusqlite::Connection;
use rusqlite::config::DbConfig;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

/// The most differences named in one refusal.
const SHOWN: usize = 3;

/// The kind of a schema object, as `sqlite_master.type` says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectKind {
    Table,
    Index,
    Trigger,
    View,
}

impl ObjectKind {
    fn of(s: &str) -> Option<ObjectKind> {
        match s {
            "table" => Some(ObjectKind::Table),
            "index" => Some(ObjectKind::Index),
            "trigger" => Some(ObjectKind::Trigger),
            "view" => Some(ObjectKind::View),
            _ => None,
        }
    }

    fn code(self) -> &'static str {
        match self {
            ObjectKind::Table => "table",
            ObjectKind::Index => "index",
            ObjectKind::Trigger => "trigger",
            ObjectKind::View => "view",
        }
    }
}

/// One way a file's schema differs from the expected one. Names come from the file: they are
/// cleaned (no control characters, bounded length) before they are kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemaDiff {
    /// An object the schema does not have (`kind` is None for a type SQLite does not know).
    Unexpected { kind: Option<ObjectKind>, name: String },
    /// An object the schema has and the file does not.
    Missing { kind: ObjectKind, name: String },
    /// The object exists under another type (a view in place of a table).
    OtherKind { name: String, found: Option<ObjectKind>, expected: ObjectKind },
    /// Same name and type, another definition (or on another table).
    Changed { kind: ObjectKind, name: String },
}

impl SchemaDiff {
    /// In the user's words.
    pub fn message(&self, lang: crate::lang::Lang) -> String {
        let kind = |k: Option<ObjectKind>| {
            lang.t(match k {
                Some(ObjectKind::Table) => "store.schema.kind.table",
                Some(ObjectKind::Index) => "store.schema.kind.index",
                Some(ObjectKind::Trigger) => "store.schema.kind.trigger",
                Some(ObjectKind::View) => "store.schema.kind.view",
                None => "store.schema.kind.other",
            })
        };
        let kind_a = |k: Option<ObjectKind>| {
            lang.t(match k {
                Some(ObjectKind::Table) => "store.schema.kind_a.table",
                Some(ObjectKind::Index) => "store.schema.kind_a.index",
                Some(ObjectKind::Trigger) => "store.schema.kind_a.trigger",
                Some(ObjectKind::View) => "store.schema.kind_a.view",
                None => "store.schema.kind_a.other",
            })
        };
        match self {
            SchemaDiff::Unexpected { kind: k, name } => {
                lang.f("store.schema.unexpected", &[("kind", &kind(*k)), ("kind_a", &kind_a(*k)), ("name", name)])
            }
            SchemaDiff::Missing { kind: k, name } => lang
                .f("store.schema.missing", &[("kind", &kind(Some(*k))), ("kind_a", &kind_a(Some(*k))), ("name", name)]),
            SchemaDiff::OtherKind { name, found, expected } => lang.f(
                "store.schema.other_kind",
                &[("name", name), ("found", &kind_a(*found)), ("expected", &kind_a(Some(*expected)))],
            ),
            SchemaDiff::Changed { kind: k, name } => lang
                .f("store.schema.changed", &[("kind", &kind(Some(*k))), ("kind_a", &kind_a(Some(*k))), ("name", name)]),
        }
    }

    /// Short and in English, for logs and `Display`.
    pub fn code(&self) -> String {
        match self {
            SchemaDiff::Unexpected { kind, name } => {
                format!("unexpected {} {name}", kind.map_or("object", ObjectKind::code))
            }
            SchemaDiff::Missing { kind, name } => format!("missing {} {name}", kind.code()),
            SchemaDiff::OtherKind { name, found, expected } => {
                format!("{name} is a {}, expected a {}", found.map_or("object", ObjectKind::code), expected.code())
            }
            SchemaDiff::Changed { kind, name } => format!("{} {name} is not defined as expected", kind.code()),
        }
    }
}

/// Every difference, in English (`StoreError`'s `Display`).
pub(super) fn codes(diffs: &[SchemaDiff]) -> String {
    let mut v: Vec<String> = diffs.iter().take(SHOWN).map(SchemaDiff::code).collect();
    if diffs.len() > SHOWN {
        v.push(format!("… ({} in all)", diffs.len()));
    }
    v.join("; ")
}

/// Every difference, in the user's words.
pub(super) fn messages(diffs: &[SchemaDiff], lang: crate::lang::Lang) -> String {
    let mut v: Vec<String> = diffs.iter().take(SHOWN).map(|d| d.message(lang)).collect();
    if diffs.len() > SHOWN {
        v.push(lang.f("store.schema.more", &[("count", &diffs.len())]));
    }
    v.join("; ")
}

/// One object of a schema: its type, the table it belongs to and its normalised SQL.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Object {
    kind: String,
    table: String,
    sql: String,
}

type Schema = BTreeMap<String, Object>;

/// Defensive mode on and `trusted_schema` off, for every connection the store opens.
pub(super) fn harden(conn: &Connection) -> Result<()> {
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)?;
    conn.pragma_update(None, "trusted_schema", false)?;
    Ok(())
}

/// Whether an object is SQLite's own, not part of the schema the migrations make.
fn internal(kind: &str, name: &str, sql: Option<&str>) -> bool {
    match kind {
        "table" => name == "sqlite_sequence" || name.starts_with("sqlite_stat"),
        "index" => name.starts_with("sqlite_autoindex_") && sql.is_none(),
        _ => false,
    }
}

/// The schema as the file holds it.
fn read(conn: &Connection) -> rusqlite::Result<Schema> {
    let mut stmt = conn.prepare("SELECT type, name, tbl_name, sql FROM main.sqlite_master")?;
    let rows = stmt.query_map([], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, Option<String>>(3)?))
    })?;
    let mut schema = Schema::new();
    for row in rows {
        let (kind, name, table, sql) = row?;
        if internal(&kind, &name, sql.as_deref()) {
            continue;
        }
        schema.insert(name, Object { kind, table, sql: normalise(sql.as_deref().unwrap_or("")) });
    }
    Ok(schema)
}

/// The SQL of an object in one form: runs of white space as one space (none next to
/// punctuation), and a plain identifier's double quotes dropped (SQLite writes `"return_file"`
/// after a rename). String literals are kept exactly as they are.
fn normalise(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    let mut space = false;
    let punct = |c: char| "(),;=<>+-*/|.".contains(c);
    while let Some(c) = chars.next() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space {
            if !out.is_empty() && !out.ends_with(punct) && !punct(c) {
                out.push(' ');
            }
            space = false;
        }
        match c {
            '\'' => {
                out.push(c);
                while let Some(d) = chars.next() {
                    out.push(d);
                    if d == '\'' {
                        if chars.peek() == Some(&'\'') {
                            out.push(chars.next().unwrap_or('\''));
                        } else {
                            break;
                        }
                    }
                }
            }
            '"' => {
                let mut ident = String::new();
                let mut closed = false;
                while let Some(d) = chars.next() {
                    if d == '"' {
                        if chars.peek() == Some(&'"') {
                            ident.push(chars.next().unwrap_or('"'));
                            continue;
                        }
                        closed = true;
                        break;
                    }
                    ident.push(d);
                }
                let plain = ident.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                    && ident.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
                if plain && closed {
                    out.push_str(&ident);
                } else {
                    out.push('"');
                    out.push_str(&ident.replace('"', "\"\""));
                    if closed {
                        out.push('"');
                    }
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// The schema the migrations make at each version (index 0: version 1), built once.
fn expected(version: i64) -> Option<&'static Schema> {
    static ALL: OnceLock<Vec<Schema>> = OnceLock::new();
    let all = ALL.get_or_init(|| {
        let build = || -> std::result::Result<Vec<Schema>, String> {
            let mut conn = Connection::open_in_memory().map_err(|e| e.to_string())?;
            harden(&conn).map_err(|e| e.to_string())?;
            let m = migrations();
            let mut v = Vec::new();
            for n in 1..=SCHEMA_VERSION {
                m.to_version(&mut conn, n as usize).map_err(|e| e.to_string())?;
                v.push(read(&conn).map_err(|e| e.to_string())?);
            }
            Ok(v)
        };
        // The migrations are part of the build: they run on an empty database or the build is broken.
        build().unwrap_or_else(|e| panic!("the migrations do not run on an empty database: {e}"))
    });
    usize::try_from(version).ok().and_then(|v| v.checked_sub(1)).and_then(|i| all.get(i))
}

/// The most characters of a name from a file kept in a message.
const NAME_MAX: usize = 80;

/// A name read from a file, as it may be shown: no control or direction characters (a name could
/// hold escape sequences or new lines to forge output), at most [`NAME_MAX`] characters.
fn clean(s: &str) -> String {
    let mut out = String::new();
    let kept = s.chars().filter(|c| {
        !c.is_control() && !matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    });
    for (n, c) in kept.enumerate() {
        if n == NAME_MAX {
            out.push('…');
            break;
        }
        out.push(c);
    }
    out
}

/// The differences between the schema of `conn` and the one its `version` must have, in order.
pub(super) fn differences(conn: &Connection, version: i64) -> rusqlite::Result<Vec<SchemaDiff>> {
    let found = read(conn)?;
    let Some(want) = expected(version) else { return Ok(Vec::new()) };
    let mut diffs = Vec::new();
    for (name, o) in &found {
        let kind = ObjectKind::of(&o.kind);
        match want.get(name) {
            None => diffs.push(SchemaDiff::Unexpected { kind, name: clean(name) }),
            Some(w) if w.kind != o.kind => {
                let expected = ObjectKind::of(&w.kind).unwrap_or(ObjectKind::Table);
                diffs.push(SchemaDiff::OtherKind { name: clean(name), found: kind, expected });
            }
            Some(w) if w != o => {
                diffs.push(SchemaDiff::Changed { kind: kind.unwrap_or(ObjectKind::Table), name: clean(name) })
            }
            Some(_) => {}
        }
    }
    for (name, w) in want {
        if !found.contains_key(name) {
            let kind = ObjectKind::of(&w.kind).unwrap_or(ObjectKind::Table);
            diffs.push(SchemaDiff::Missing { kind, name: clean(name) });
        }
    }
    Ok(diffs)
}

/// Refuses a database whose schema is not the expected one for `version`, naming the differences.
pub(super) fn verify(conn: &Connection, path: &Path, version: i64) -> Result<()> {
    let diffs = differences(conn, version)
        .map_err(|e| if super::disk::is_not_a_db(&e) { StoreError::NotADatabase(path.into()) } else { e.into() })?;
    if diffs.is_empty() { Ok(()) } else { Err(StoreError::UnexpectedSchema { path: path.into(), version, diffs }) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalising_keeps_literals_and_drops_plain_quotes_and_spacing() {
        assert_eq!(
            normalise("CREATE TABLE \"return_file\" (\n  id   INTEGER ,x)"),
            "CREATE TABLE return_file(id INTEGER,x)"
        );
        assert_eq!(normalise("SELECT 'a  b' , \"a b\""), "SELECT 'a  b',\"a b\"");
        assert_eq!(normalise("'it''s'  x"), "'it''s' x");
        assert_ne!(normalise("CHECK (x IN ('a'))"), normalise("CHECK (x IN ('A'))"));
    }

    #[test]
    fn every_version_has_an_expected_schema_and_migrations_run_defensively() {
        for v in 1..=SCHEMA_VERSION {
            let s = expected(v).expect("schema");
            assert!(s.contains_key("settings"), "version {v}");
        }
        assert!(expected(6).is_some_and(|s| s["member_key"].kind == "table"));
        assert!(expected(0).is_none() && expected(SCHEMA_VERSION + 1).is_none());
        let mut conn = Connection::open_in_memory().unwrap();
        harden(&conn).unwrap();
        migrations().to_latest(&mut conn).unwrap();
        assert!(differences(&conn, SCHEMA_VERSION).unwrap().is_empty());
        // Defensive mode is on: the schema cannot be written directly.
        assert!(
            conn.execute_batch("PRAGMA writable_schema = ON; DELETE FROM sqlite_master WHERE name = 'settings';")
                .is_err()
        );
        conn.execute_batch(
            "CREATE TRIGGER x AFTER INSERT ON settings BEGIN SELECT 1; END; DROP TRIGGER response_read_only;",
        )
        .unwrap();
        let d = differences(&conn, SCHEMA_VERSION).unwrap();
        assert_eq!(
            d,
            vec![
                SchemaDiff::Unexpected { kind: Some(ObjectKind::Trigger), name: "x".into() },
                SchemaDiff::Missing { kind: ObjectKind::Trigger, name: "response_read_only".into() }
            ]
        );
    }
}
