//! The command line's arguments: what each command takes, and the values refused at the edge
//! (a member code, a cycle) with their reason. What each command and option is for is said in
//! `assets/i18n/{en,fr}/cli_help.json` (`cli.cmd.<command>`, `cli.arg.<command>.<option>`), the
//! help `--help` prints in the user's language (`super::help`).

use super::cli_lang;
use crate::ids::MemberCode;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(name = "cdf-assess", version = env!("CDF_BUILD_VERSION"))]
pub struct Cli {
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    #[arg(long, global = true)]
    pub new_database: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    Open {
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    Info,
    Export {
        #[arg(long)]
        assessment: i64,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        #[arg(long, value_name = "KEYFILE")]
        encrypt_to: Option<PathBuf>,
        #[command(flatten)]
        mail: SendMail,
    },
    Verify {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[arg(long, value_name = "KEYFILE")]
        identity: Option<PathBuf>,
    },
    Import {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[arg(long, value_name = "KEYFILE")]
        identity: Option<PathBuf>,
    },
    DemoData {
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        #[arg(long, default_value_t = 3)]
        cycles: u32,
        #[arg(long, default_value_t = 2)]
        revisions: u32,
        #[arg(long, default_value_t = 2017)]
        seed: u64,
        #[arg(long, default_value_t = 2026)]
        last_cycle: i32,
        #[arg(long, default_value_t = 34, value_name = "PERCENT", value_parser = clap::value_parser!(u8).range(0..=100))]
        revised: u8,
        #[arg(long)]
        with_programme: bool,
    },
    Report {
        #[arg(long, value_enum)]
        format: crate::report::regional_files::Format,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        #[arg(long, value_name = "YEAR", value_parser = cycle)]
        cycle: Option<i32>,
    },
    Framework {
        #[command(subcommand)]
        command: FrameworkCommand,
    },
    ImportFramework {
        file: PathBuf,
        #[arg(long, value_name = "KEYFILE")]
        identity: Option<PathBuf>,
    },
    Plan {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        #[arg(long, value_name = "YEAR", value_parser = cycle)]
        cycle: Option<i32>,
    },
    WorkProgramme {
        #[arg(long, value_name = "YEAR", value_parser = cycle)]
        year: i32,
        #[arg(long, value_enum)]
        format: ProgrammeFormat,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    Backup {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        #[arg(long)]
        with_key: bool,
    },
    Restore {
        file: PathBuf,
        #[arg(long)]
        yes: bool,
    },
    Check,
    Keygen {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    SigningKey,
    Keys,
    #[command(group(clap::ArgGroup::new("who").required(true).args(["member", "all"])))]
    Feedback {
        #[arg(long, value_parser = member_code)]
        member: Option<MemberCode>,
        #[arg(long)]
        all: bool,
        #[arg(long, value_name = "FILE_OR_DIR")]
        out: PathBuf,
        #[arg(long, value_name = "YEAR", value_parser = cycle)]
        cycle: Option<i32>,
        #[command(flatten)]
        mail: SendMail,
    },
    ImportFeedback {
        file: PathBuf,
    },
    Card {
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        #[arg(long, value_name = "KEYFILE")]
        identity: Option<PathBuf>,
    },
    ImportCard {
        #[arg(value_name = "FILE_OR_TEXT")]
        card: String,
        #[arg(long)]
        replace: bool,
    },
    PinKey {
        #[arg(long, value_parser = member_code)]
        member: MemberCode,
        #[arg(long, value_name = "FILE_OR_TEXT")]
        key: String,
        #[arg(long)]
        replace: bool,
    },
    Section {
        #[arg(long)]
        assessment: i64,
        #[arg(long, value_delimiter = ',', required = true)]
        indicators: Vec<String>,
        #[arg(long)]
        to: String,
        #[arg(long, default_value = "")]
        unit: String,
        #[arg(long, value_parser = due_date)]
        due: Option<String>,
        #[arg(long, default_value = "")]
        message: String,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    ImportSection {
        file: PathBuf,
    },
    SectionAnswer {
        #[arg(long)]
        assessment: Option<i64>,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    Sections {
        #[arg(long)]
        assessment: i64,
    },
    SettleSection {
        #[arg(long)]
        assessment: i64,
        #[arg(long)]
        indicator: String,
        #[arg(long)]
        take: bool,
    },
}

/// After writing a file, a new e-mail with it attached (`--send`, to `--to` or the address held).
#[derive(clap::Args, Debug)]
pub struct SendMail {
    #[arg(long)]
    pub send: bool,
    #[arg(long, value_name = "ADDRESS", requires = "send")]
    pub to: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum FrameworkCommand {
    Export {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    Build {
        workbook: PathBuf,
        #[arg(long, value_name = "FILE", required_unless_present = "check")]
        out: Option<PathBuf>,
        #[arg(long)]
        check: bool,
    },
}

/// The work programme's file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ProgrammeFormat {
    Xlsx,
    Pdf,
}

/// A member's code as an argument: refused at the edge, with its reason, if it is not one.
fn member_code(s: &str) -> Result<MemberCode, String> {
    MemberCode::parse(&s.to_uppercase()).map_err(|e| e.message(cli_lang(None)))
}

/// A cycle as an argument: a year in the one range every file and form uses.
fn cycle(s: &str) -> Result<i32, String> {
    crate::ids::parse_cycle(s).map_err(|e| e.message(cli_lang(None)))
}

/// A due date as an argument: `YYYY-MM-DD`.
fn due_date(s: &str) -> Result<String, String> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map(|d| d.to_string())
        .map_err(|_| cli_lang(None).f("section.cli.bad_due", &[("date", &crate::exchange::clean_text(s))]))
}
