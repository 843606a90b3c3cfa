//! The command line's arguments: what each command takes, and the values refused at the edge
//! (a member code, a cycle) with their reason.

use super::cli_lang;
use crate::ids::MemberCode;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(name = "cdf-assess", version = env!("CDF_BUILD_VERSION"), about = "OCO Capability Development Framework self-assessment")]
pub struct Cli {
    /// Database file (default: the platform data directory).
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Start a new, empty database at --db (refused if it already holds one). Without it, an
    /// existing file that holds no data is refused rather than started over.
    #[arg(long, global = true)]
    pub new_database: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Open the window with files (a return, feedback, framework or card file; what a
    /// double-click runs): it says what each is and asks before importing. With the window
    /// already open over the database, they are handed to it.
    Open {
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Print where the database is and what it holds.
    Info,
    /// Write the return file of a finalised revision.
    Export {
        /// The assessment revision's id (see `info`).
        #[arg(long)]
        assessment: i64,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Encrypt to the Secretariat's public key (a file holding `age1...`).
        #[arg(long, value_name = "KEYFILE")]
        encrypt_to: Option<PathBuf>,
    },
    /// Check return files (and feedback and framework files) without importing them. With --db,
    /// each return's signer is also checked against the key pinned there (a key conflict is said
    /// as import would say it).
    Verify {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Identity file (`AGE-SECRET-KEY-1...`) for encrypted returns.
        #[arg(long, value_name = "KEYFILE")]
        identity: Option<PathBuf>,
    },
    /// Import return files: one line per file with its outcome; exit status 1 if any was rejected.
    Import {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[arg(long, value_name = "KEYFILE")]
        identity: Option<PathBuf>,
    },
    /// Write realistic synthetic returns for all 23 members (deterministic for a seed).
    DemoData {
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        #[arg(long, default_value_t = 3)]
        cycles: u32,
        #[arg(long, default_value_t = 2)]
        revisions: u32,
        #[arg(long, default_value_t = 2017)]
        seed: u64,
        /// The most recent cycle (year).
        #[arg(long, default_value_t = 2026)]
        last_cycle: i32,
        /// Percent of assessments sent again at each revision step, up to --revisions (100: every
        /// assessment has all its revisions; 87 cycles x 23 members x 5 revisions = 10,005 returns).
        #[arg(long, default_value_t = 34, value_name = "PERCENT", value_parser = clap::value_parser!(u8).range(0..=100))]
        revised: u8,
        /// Also make a new Secretariat database (--db, which must not exist) holding the returns
        /// and, for each cycle, the interventions an analyst would keep from the proposals, some
        /// delivered.
        #[arg(long)]
        with_programme: bool,
    },
    /// Consolidated report of a cycle (default: the latest cycle held).
    Report {
        #[arg(long, value_enum)]
        format: crate::report::regional_files::Format,
        /// Output file (for csv: one `<stem>_<table>.csv` per table beside it).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        #[arg(long, value_name = "YEAR", value_parser = cycle)]
        cycle: Option<i32>,
    },
    /// Secretariat: the framework's content as an editable workbook (`framework export`), and the
    /// signed framework file built from it (`framework build`).
    Framework {
        #[command(subcommand)]
        command: FrameworkCommand,
    },
    /// Import a framework file from the Secretariat (checked against its card; newer than the
    /// content revision held); its change log is printed, then (the Secretariat) the returns
    /// held for that revision are imported. Exit status 1 if refused.
    ImportFramework {
        file: PathBuf,
        /// Identity file (`AGE-SECRET-KEY-1...`) for the encrypted returns held.
        #[arg(long, value_name = "KEYFILE")]
        identity: Option<PathBuf>,
    },
    /// Secretariat: the region's needs (every gap and request for assistance) and the proposed
    /// interventions of a cycle as CSV: `<stem>_needs.csv` and `<stem>_proposals.csv` beside
    /// FILE (default cycle: the latest held).
    Plan {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        #[arg(long, value_name = "YEAR", value_parser = cycle)]
        cycle: Option<i32>,
    },
    /// Secretariat: the Annual Work Programme of a year as a workbook or a PDF.
    WorkProgramme {
        #[arg(long, value_name = "YEAR", value_parser = cycle)]
        year: i32,
        #[arg(long, value_enum)]
        format: ProgrammeFormat,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Back up the database (consistently, even while it is in use) into FILE.
    /// The member's secret signing key is left out unless --with-key.
    Backup {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Keep the secret signing key in the copy: whoever holds it can sign as this member.
        #[arg(long)]
        with_key: bool,
    },
    /// Replace the database with a backup: shows what the backup holds and asks first.
    /// The database as it was is backed up into the `backups` folder beside it.
    Restore {
        /// The backup file.
        file: PathBuf,
        /// Do not ask.
        #[arg(long)]
        yes: bool,
    },
    /// Check the database: integrity, foreign keys, schema version (exit status 1 on a problem).
    Check,
    /// Create a Secretariat key pair: writes the identity file, prints the public key.
    Keygen {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Print this installation's signing key (made beside the database if missing): fingerprint
    /// and public key.
    SigningKey,
    /// List the members' signing keys pinned by the Secretariat (active and history).
    Keys,
    /// Secretariat: write the feedback file of one member (`--member FJ --out FILE`) or of every
    /// member who returned in the cycle (`--all --out DIR`), signed with this installation's key.
    #[command(group(clap::ArgGroup::new("who").required(true).args(["member", "all"])))]
    Feedback {
        #[arg(long, value_parser = member_code)]
        member: Option<MemberCode>,
        #[arg(long)]
        all: bool,
        /// A file for one member, a folder for all.
        #[arg(long, value_name = "FILE_OR_DIR")]
        out: PathBuf,
        /// The cycle (default: the latest cycle held).
        #[arg(long, value_name = "YEAR", value_parser = cycle)]
        cycle: Option<i32>,
    },
    /// Administration: import a feedback file from the Secretariat (checked against its card).
    ImportFeedback { file: PathBuf },
    /// Secretariat: write (or print, without --out) the public card members import: signing
    /// key, encryption key and e-mail address.
    Card {
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// The identity file `keygen` wrote (default: `secretariat-identity.txt` beside the
        /// database): its public key is the card's encryption key.
        #[arg(long, value_name = "KEYFILE")]
        identity: Option<PathBuf>,
    },
    /// Administration: import the Secretariat's public card (a file, or its text).
    ImportCard {
        #[arg(value_name = "FILE_OR_TEXT")]
        card: String,
        /// Replace the card held although its signing or encryption key differs.
        #[arg(long)]
        replace: bool,
    },
    /// Pin a member's signing key by hand (the `RW...` public key, or a file holding it).
    PinKey {
        #[arg(long, value_parser = member_code)]
        member: MemberCode,
        #[arg(long, value_name = "FILE_OR_TEXT")]
        key: String,
        /// Replace the member's pinned key, or pin a key another member has.
        #[arg(long)]
        replace: bool,
    },
    /// Hand a section of a draft to a colleague (issue 26): writes the section file, signed with
    /// this installation's key.
    Section {
        /// The draft's id (see `info`).
        #[arg(long)]
        assessment: i64,
        /// The indicators asked, e.g. WF-01,WF-02.
        #[arg(long, value_delimiter = ',', required = true)]
        indicators: Vec<String>,
        /// The colleague's name.
        #[arg(long)]
        to: String,
        /// The colleague's unit.
        #[arg(long, default_value = "")]
        unit: String,
        /// YYYY-MM-DD.
        #[arg(long, value_parser = due_date)]
        due: Option<String>,
        #[arg(long, default_value = "")]
        message: String,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Import a section file (a colleague opens it as a draft) or a section answer file (the
    /// coordinator merges it), decided by the file's kind. Exit status 1 if refused.
    ImportSection { file: PathBuf },
    /// A colleague: write the answer file of the section a draft answers (default: the only one).
    SectionAnswer {
        #[arg(long)]
        assessment: Option<i64>,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// The sections handed out from a draft: out, answered, late; then who answered what.
    Sections {
        #[arg(long)]
        assessment: i64,
    },
    /// Settle a conflict a merge kept: take the colleague's answer (--take) or keep ours.
    SettleSection {
        #[arg(long)]
        assessment: i64,
        #[arg(long)]
        indicator: String,
        #[arg(long)]
        take: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum FrameworkCommand {
    /// Write the content in use as an editable workbook (one sheet per pillar, English and French
    /// side by side; key actions, M&E and the change log).
    Export {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Read a content workbook back, check every rule, print what changed against the revision
    /// in use, and write the signed framework file. Exit status 1 if the workbook is refused.
    Build {
        /// The workbook (`.xlsx`).
        workbook: PathBuf,
        #[arg(long, value_name = "FILE", required_unless_present = "check")]
        out: Option<PathBuf>,
        /// Only check the workbook and print what changed; sign nothing.
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
