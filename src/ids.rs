//! Typed identifiers: an assessment's row id is not a received file's row id, and a member code
//! is not an indicator code. Each converts to and from the database as its plain value.

use rusqlite::types::{FromSql, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! int_id {
    ($(#[$m:meta])* $name:ident) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
        impl ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                self.0.to_sql()
            }
        }
        impl FromSql for $name {
            fn column_result(v: ValueRef<'_>) -> FromSqlResult<Self> {
                i64::column_result(v).map($name)
            }
        }
    };
}

macro_rules! code_id {
    ($(#[$m:meta])* $name:ident) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            pub fn new(s: impl Into<String>) -> $name {
                $name(s.into())
            }
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }
        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }
        impl PartialEq<str> for $name {
            fn eq(&self, o: &str) -> bool {
                self.0 == o
            }
        }
        impl PartialEq<&str> for $name {
            fn eq(&self, o: &&str) -> bool {
                self.0 == *o
            }
        }
        impl From<&str> for $name {
            fn from(s: &str) -> $name {
                $name(s.to_string())
            }
        }
        impl From<String> for $name {
            fn from(s: String) -> $name {
                $name(s)
            }
        }
        impl ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                self.0.to_sql()
            }
        }
        /// A code read from a database row is checked there: a row that holds no such code
        /// is an error naming it, never a value that looks valid.
        impl FromSql for $name {
            fn column_result(v: ValueRef<'_>) -> FromSqlResult<Self> {
                $name::parse(v.as_str()?).map_err(|e| rusqlite::types::FromSqlError::Other(Box::new(e)))
            }
        }
    };
}

int_id!(
    /// Row id of an assessment revision in this database.
    AssessmentId
);
int_id!(
    /// Row id of a received return file in this database.
    FileId
);
code_id!(
    /// ISO code of an OCO member administration ("FJ").
    MemberCode
);
code_id!(
    /// Code of a framework indicator ("WF-06").
    IndicatorCode
);

/// The years an assessment cycle may be: the one rule, for files, forms and the command line.
pub const CYCLES: std::ops::RangeInclusive<i32> = 2000..=2100;

/// A cycle (year) as typed or read: a number within [`CYCLES`].
pub fn parse_cycle(s: &str) -> Result<i32, CodeError> {
    match s.trim().parse::<i32>() {
        Ok(y) if CYCLES.contains(&y) => Ok(y),
        _ => Err(CodeError::Cycle(clip(s))),
    }
}

/// Why a code was refused at the edge (a file, a database row, an argument). The text it holds
/// is the untrusted value, without control characters and at most 40 characters long.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    #[error("\"{0}\" is not an OCO member's code (such as FJ)")]
    Member(String),
    #[error("\"{0}\" is not an indicator's code (such as WF-06)")]
    Indicator(String),
    #[error("\"{0}\" is not a cycle: a year from 2000 to 2100")]
    Cycle(String),
    #[error("\"{0}\" is not a review state")]
    State(String),
    #[error("\"{0}\" is not a kind of remark (query or note)")]
    Remark(String),
}

impl CodeError {
    /// The reason in a language.
    pub fn message(&self, t: crate::lang::Lang) -> String {
        let (key, v) = match self {
            CodeError::Member(v) => ("code.bad_member", v),
            CodeError::Indicator(v) => ("code.bad_indicator", v),
            CodeError::Cycle(v) => ("code.bad_cycle", v),
            CodeError::State(v) => ("code.bad_state", v),
            CodeError::Remark(v) => ("code.bad_remark", v),
        };
        t.f(key, &[("value", v)])
    }
}

fn clip(s: &str) -> String {
    s.chars().filter(|c| !c.is_control()).take(40).collect()
}

impl MemberCode {
    /// A member of the OCO's registry ("FJ"), as written in a file, a row or an argument
    /// (upper case; surrounding spaces ignored).
    pub fn parse(s: &str) -> Result<MemberCode, CodeError> {
        let code = s.trim();
        match crate::framework::member(code) {
            Some(m) => Ok(MemberCode(m.code.clone())),
            None => Err(CodeError::Member(clip(s))),
        }
    }
}

impl IndicatorCode {
    /// An indicator of the current framework ("WF-06").
    pub fn parse(s: &str) -> Result<IndicatorCode, CodeError> {
        let code = s.trim();
        match crate::framework::current().indicator(code) {
            Some(i) => Ok(IndicatorCode(i.code.clone())),
            None => Err(CodeError::Indicator(clip(s))),
        }
    }
}

macro_rules! code_enum {
    ($(#[$m:meta])* $name:ident, $err:ident { $($variant:ident = $code:literal),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($variant),*
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// As stored and as written in files.
            pub fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code),*
                }
            }

            pub fn parse(s: &str) -> Result<$name, CodeError> {
                match s {
                    $($code => Ok($name::$variant),)*
                    _ => Err(CodeError::$err(clip(s))),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.code())
            }
        }
        impl ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                self.code().to_sql()
            }
        }
        impl FromSql for $name {
            fn column_result(v: ValueRef<'_>) -> FromSqlResult<Self> {
                let s = v.as_str()?;
                $name::parse(s).map_err(|e| rusqlite::types::FromSqlError::Other(Box::new(e)))
            }
        }
    };
}

code_enum!(
    /// Where the Secretariat's review of a member's return stands.
    ReviewState, State {
        Received = "received",
        UnderReview = "under_review",
        Queries = "queries",
        Accepted = "accepted",
    }
);

code_enum!(
    /// A remark of the Secretariat on an indicator: a query the member answers in a revision, or a
    /// note on a request for assistance.
    RemarkKind, Remark {
        Query = "query",
        Note = "note",
    }
);
