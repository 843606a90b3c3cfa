//! The command line: no command opens the GUI; the commands serve batch work and scripts.

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(name = "cdf-assess", version = env!("CDF_BUILD_VERSION"), about = "OCO Capability Development Framework self-assessment")]
pub struct Cli {
    /// Database file (default: the platform data directory).
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Print where the database is and what it holds.
    Info,
}

pub fn db_path(cli: &Cli) -> anyhow::Result<PathBuf> {
    match &cli.db {
        Some(p) => Ok(p.clone()),
        None => crate::store::default_path()
            .ok_or_else(|| anyhow::anyhow!("no data directory on this system; use --db PATH")),
    }
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let db = db_path(&cli)?;
    match cli.command {
        None => {
            crate::ui::run(db)?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Info) => {
            let store = crate::store::Store::open(&db)?;
            println!("database: {}", db.display());
            println!("schema version: {}", store.schema_version()?);
            for s in store.list()? {
                let h = &s.header;
                println!(
                    "#{} {} {} r{} {} {}/{}",
                    h.id,
                    h.member,
                    h.cycle,
                    h.revision,
                    h.status.code(),
                    s.answered,
                    s.total
                );
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
