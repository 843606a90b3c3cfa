//! The command line: no command opens the GUI; the commands serve batch work and scripts.

mod args;
pub mod help;

use crate::app::ops;
use crate::lang::Lang;
use crate::secretariat::keys::PinError;
pub use args::{Cli, Command, FrameworkCommand};
use clap::FromArgMatches;
use std::path::PathBuf;
use std::process::ExitCode;

pub fn db_path(cli: &Cli) -> anyhow::Result<PathBuf> {
    match &cli.db {
        Some(p) => Ok(p.clone()),
        None => {
            let db = crate::store::default_path()
                .ok_or_else(|| anyhow::anyhow!("{}", cli_lang(None).t("cli.no_data_dir")))?;
            Ok(crate::store::roaming_path().filter(|old| *old != db).map_or(db.clone(), |old| out_of_roaming(&old, db)))
        }
    }
}

/// Files kept beside the database that move with it out of the roaming profile.
const COMPANIONS: [&str; 3] =
    [crate::exchange::sign::SECRET_KEY_FILE, crate::exchange::sign::PUBLIC_KEY_FILE, "secretariat-identity.txt"];

/// Windows: moves a database that an earlier version kept in the roaming profile to the local
/// data folder (see `store::move_database`); the database to use, the old one if it could not move.
fn out_of_roaming(old: &std::path::Path, db: PathBuf) -> PathBuf {
    let t = cli_lang(None);
    match crate::store::move_database(old, &db, &COMPANIONS) {
        Ok(None) => db,
        Ok(Some(m)) => {
            eprintln!("{}", t.f("windows.moved_local", &[("from", &old.display()), ("to", &m.to.display())]));
            db
        }
        Err(e) => {
            eprintln!("{}", t.f("windows.move_failed", &[("path", &old.display()), ("error", &e.message(t))]));
            old.to_path_buf()
        }
    }
}

/// Files as given, with each folder's feedback files added (its return files come from `expand`).
fn with_feedback_files(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = paths.to_vec();
    for p in paths.iter().filter(|p| p.is_dir()) {
        let mut found: Vec<PathBuf> = std::fs::read_dir(p)
            .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).filter(|f| ops::is_feedback_file(f)).collect())
            .unwrap_or_default();
        found.sort();
        out.extend(found);
    }
    out
}

/// The window, given by the binary: the command line never depends on the GUI.
/// Opens the window over a database, offering the files it was started with.
pub type OpenWindow = fn(PathBuf, Vec<PathBuf>) -> anyhow::Result<()>;

pub fn main(window: OpenWindow) -> ExitCode {
    let args = help_rewritten(std::env::args_os().collect());
    let t = help_lang(&args);
    let cli = match help::command(t).try_get_matches_from(&args).and_then(|m| Cli::from_arg_matches(&m)) {
        Ok(cli) => cli,
        Err(e) => {
            let text = help::error_text(&e, t);
            if e.use_stderr() {
                eprint!("{text}");
            } else {
                print!("{text}");
            }
            return ExitCode::from(e.exit_code().clamp(0, 255) as u8);
        }
    };
    // A command whose output goes into `head` or a pager closed early ends quietly, as other
    // Unix tools do, instead of panicking at the next line it prints (Rust ignores SIGPIPE). An
    // import cut so loses at most its open batch, as after Ctrl+C; importing again finishes it.
    #[cfg(unix)]
    if cli.command.is_some() {
        // SAFETY: sets the default action of one signal, before this program starts a thread.
        unsafe {
            libc::signal(libc::SIGPIPE, libc::SIG_DFL);
        }
    }
    match run(cli, window) {
        Ok(code) => code,
        Err(e) => {
            // A store error in the user's words (it explains what to do), anything else as is.
            let t = cli_lang(None);
            match e.downcast_ref::<crate::store::StoreError>() {
                Some(se) => eprintln!("{}{}", t.t("cli.error.prefix"), se.message(t)),
                None => eprintln!("{}{e:#}", t.t("cli.error.prefix")),
            }
            ExitCode::from(2)
        }
    }
}

/// Opens a new message in the user's e-mail program with the files attached, as the window's
/// "Send by e-mail" does, and says what happened. The files are written already: a mail program
/// that cannot be opened is said, not an error.
fn send_mail(mail: crate::app::mail::Mail, t: Lang) {
    let files: Vec<String> = mail.files.iter().map(|p| crate::exchange::clean_path(p)).collect();
    match crate::app::desktop::send_mail(&mail) {
        Ok(true) => println!("{}", t.f("program.mail_attached", &[("files", &files.join(", "))])),
        Ok(false) => println!("{}", t.f("cli.mail_not_attached", &[("files", &files.join(", "))])),
        Err(_) => eprintln!("{}", t.f("cli.mail_no_program", &[("files", &files.join(", "))])),
    }
}

/// `cdf-assess help [COMMAND…]` as `cdf-assess [COMMAND…] --help` (clap's own `help` command
/// cannot be translated, so it is turned off).
fn help_rewritten(mut args: Vec<std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    // The first word that is not a global option (`--db PATH`, `--new-database`).
    let mut i = 1;
    while args.get(i).is_some_and(|a| a.to_string_lossy().starts_with('-')) {
        i += if args[i] == "--db" { 2 } else { 1 };
    }
    if args.get(i).is_some_and(|a| a == "help") {
        args.remove(i);
        args.push("--help".into());
    }
    args
}

/// The language of the help and of usage errors, chosen before the arguments are understood:
/// the setting of the database named by `--db` (or the default one) when it can be read, else
/// the system's, as for every other command.
fn help_lang(args: &[std::ffi::OsString]) -> Lang {
    let mut db = None;
    for (i, a) in args.iter().enumerate() {
        let a = a.to_string_lossy();
        if a == "--db" {
            db = args.get(i + 1).map(PathBuf::from);
        } else if let Some(p) = a.strip_prefix("--db=") {
            db = Some(PathBuf::from(p));
        }
    }
    db.or_else(crate::store::default_path)
        .and_then(|p| crate::store::peek_setting(&p, "lang"))
        .and_then(|l| Lang::from_code(&l))
        .unwrap_or_else(crate::app::desktop::system_lang)
}

/// Opens the database for a command (or creates it with `--new-database`).
fn open_store(cli_new: bool, db: &std::path::Path) -> Result<crate::store::Store, crate::store::StoreError> {
    use crate::store::{Holder, Store};
    let store = if cli_new { Store::create_new_as(db, Holder::Command) } else { Store::open_as(db, Holder::Command) }?;
    if let Some(p) = store.last_backup_problem() {
        eprintln!("{}", p.backup_message(cli_lang(Some(&store))));
    }
    // The newest framework file held is the content this command uses.
    crate::fwfiles::install_held(&store)?;
    Ok(store)
}

/// A line of what a backup holds.
fn describe(info: &crate::store::BackupInfo, t: Lang) -> String {
    let none = || "-".to_string();
    t.f(
        "cli.backup_holds",
        &[
            ("path", &info.path.display()),
            ("assessments", &info.assessments),
            ("members", &if info.members.is_empty() { none() } else { info.members.join(" ") }),
            (
                "cycles",
                &if info.cycles.is_empty() {
                    none()
                } else {
                    info.cycles.iter().map(|c| c.to_string()).collect::<Vec<_>>().join(" ")
                },
            ),
            ("updated", &info.newest_update.clone().unwrap_or_else(none)),
            ("finalised", &info.newest_finalised.clone().unwrap_or_else(none)),
            ("schema", &info.schema_version),
        ],
    )
}

fn identities(path: &Option<PathBuf>) -> anyhow::Result<Vec<age::x25519::Identity>> {
    match path {
        Some(p) => Ok(crate::exchange::keys::load_identities(p)?),
        None => Ok(Vec::new()),
    }
}

/// A section or answer file written to `out`, or why not (exit status 1).
fn section_result(
    store: &crate::store::Store,
    r: Result<crate::sections::Written, crate::sections::Error>,
    out: &std::path::Path,
) -> anyhow::Result<ExitCode> {
    let t = cli_lang(Some(store));
    match r {
        Ok(w) => {
            crate::app::files::write_atomically(out, &w.bytes)?;
            println!("written\t{}\t{} bytes", crate::exchange::clean_path(out), w.bytes.len());
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            println!("refused\t{}", e.message(t));
            Ok(ExitCode::from(1))
        }
    }
}

/// The language for messages: the database's setting if there is one, else the system's.
pub(crate) fn cli_lang(store: Option<&crate::store::Store>) -> Lang {
    store
        .and_then(|s| s.setting("lang").ok().flatten())
        .and_then(|l| Lang::from_code(&l))
        .unwrap_or_else(crate::app::desktop::system_lang)
}

fn run(cli: Cli, window: OpenWindow) -> anyhow::Result<ExitCode> {
    // Commands that need no database.
    match &cli.command {
        Some(Command::Verify { files, identity }) => {
            let ids = identities(identity)?;
            // With --db, each return's signer is checked against the key pinned for its member.
            let store = cli.db.as_ref().map(|db| open_store(false, db)).transpose()?;
            let t = cli_lang(store.as_ref());
            let mut rejected = 0;
            // A folder stands for the return files in it (and, for `verify`, its feedback files),
            // a pattern for the files it matches (Windows shells expand no wildcards); an argument
            // that stands for none is named.
            let (files, mut problems) = crate::app::files::expand_args(with_feedback_files(files));
            problems.retain(|(arg, p)| {
                *p != crate::app::files::ArgProblem::EmptyFolder
                    || !files.iter().any(|f| f.parent() == Some(arg.as_path()))
            });
            for (arg, problem) in &problems {
                rejected += 1;
                println!("rejected\t{}\t{}", crate::exchange::clean_path(arg), problem.message(t));
            }
            for f in &files {
                let shown = crate::exchange::clean_path(f);
                match ops::verify_file(store.as_ref(), &ids, f)? {
                    ops::Checked::Feedback(v) => println!(
                        "ok\t{}\tfeedback {} {} n{}\t{}\t{}",
                        shown,
                        v.body.member,
                        v.body.cycle,
                        v.body.sequence,
                        v.digest,
                        v.signer.fingerprint()
                    ),
                    ops::Checked::Return(v) => println!(
                        "ok\t{}\t{} {} r{}\t{}{}",
                        shown,
                        v.body.member,
                        v.body.cycle,
                        v.body.revision,
                        v.digest,
                        if v.encrypted { "\tencrypted" } else { "" }
                    ),
                    ops::Checked::Framework(v) => println!(
                        "ok\t{}\tframework {} v{} r{} (replaces {})\t{}\t{}",
                        shown,
                        v.body.framework_id,
                        v.body.framework_version,
                        v.body.revision,
                        v.body.replaces,
                        v.digest,
                        v.signer.fingerprint()
                    ),
                    ops::Checked::Section(r) => match *r {
                        crate::exchange::section::Read::Section(v) => println!(
                            "ok\t{}\tsection {} {} {}\t{}\t{}",
                            shown,
                            v.body.assessment.member,
                            v.body.assessment.cycle,
                            v.body.indicators.join(","),
                            v.digest,
                            v.signer.fingerprint()
                        ),
                        crate::exchange::section::Read::Answer(v) => println!(
                            "ok\t{}\tsection answer {} {} {}\t{}\t{}",
                            shown,
                            v.body.assessment.member,
                            v.body.assessment.cycle,
                            crate::exchange::clean_text(&v.body.colleague),
                            v.digest,
                            v.signer.fingerprint()
                        ),
                    },
                    ops::Checked::Conflict(m) => {
                        rejected += 1;
                        println!("conflict\t{shown}\t{}", m.text(t));
                    }
                    ops::Checked::Rejected(m) => {
                        rejected += 1;
                        println!("rejected\t{shown}\t{}", m.text(t));
                    }
                }
            }
            return Ok(if rejected > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS });
        }
        #[cfg(feature = "demo")]
        Some(Command::DemoData { out, cycles, revisions, seed, last_cycle, revised, with_programme }) => {
            std::fs::create_dir_all(out)?;
            let share = f64::from(*revised) / 100.0;
            let files = crate::demo::generate_revised(*seed, *last_cycle, *cycles, *revisions, share);
            for f in &files {
                std::fs::write(out.join(&f.file_name), &f.bytes)?;
            }
            println!("{}", cli_lang(None).f("cli.demo_written", &[("n", &files.len()), ("folder", &out.display())]));
            if *with_programme {
                let db = db_path(&cli)?;
                let t = cli_lang(None);
                let mut store = crate::store::Store::create_new(&db).map_err(|e| anyhow::anyhow!(e.message(t)))?;
                for f in &files {
                    crate::secretariat::import::import_bytes(&mut store, &f.file_name, &f.bytes, &[])
                        .map_err(|e| anyhow::anyhow!(e.message(t)))?;
                }
                let mut cycles = store.imported_cycles().map_err(|e| anyhow::anyhow!(e.message(t)))?;
                cycles.sort();
                let mut kept = 0;
                for c in cycles {
                    kept += crate::demo::interventions(&mut store, c)?.accepted;
                    crate::demo::secretariat_records(&mut store, c).map_err(|e| anyhow::anyhow!(e.message(t)))?;
                }
                println!("{}", t.f("cli.demo_kept", &[("n", &kept), ("db", &db.display())]));
            }
            return Ok(ExitCode::SUCCESS);
        }
        #[cfg(not(feature = "demo"))]
        Some(Command::DemoData { .. }) => {
            anyhow::bail!("{}", cli_lang(None).t("cli.no_demo"))
        }
        Some(Command::Keygen { out }) => {
            let (text, public) = crate::exchange::keys::generate();
            crate::exchange::keys::write_identity_file(out, &text)?;
            println!("{public}");
            return Ok(ExitCode::SUCCESS);
        }
        _ => {}
    }
    let db = db_path(&cli)?;
    let new = cli.new_database;
    match cli.command {
        None => {
            if new {
                drop(crate::store::Store::create_new(&db)?);
            }
            window(db, Vec::new())?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Open { files }) => {
            if new {
                drop(crate::store::Store::create_new(&db)?);
            }
            // A file opened (a double-click) while a window has this database: handed to it.
            if let Err(crate::store::StoreError::Locked { holder: Some(crate::store::Holder::Window), .. }) =
                crate::store::Store::open_as(&db, crate::store::Holder::Command)
            {
                crate::app::inbox::hand_over(&db, &files)?;
                println!("{}", cli_lang(None).f("opened.handed_over", &[("n", &files.len())]));
                return Ok(ExitCode::SUCCESS);
            }
            window(db, files)?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Backup { out, with_key }) => {
            let store = if new { open_store(new, &db)? } else { crate::store::Store::open_read_only(&db)? };
            let t = cli_lang(Some(&store));
            if with_key {
                eprintln!("{}", t.t("cli.backup_with_key_warning"));
            }
            store.backup_to(&out, with_key)?;
            // A fifo or a device was written into: there is no file to read back.
            if std::fs::metadata(&out).is_ok_and(|m| m.is_file()) {
                let info = crate::store::Store::inspect_backup(&out)?;
                println!("{}", describe(&info, t));
            } else {
                println!("{}", crate::exchange::clean_path(&out));
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Restore { file, yes }) => {
            use std::io::{BufRead, IsTerminal, Write};
            let t = cli_lang(None);
            let info = crate::store::Store::inspect_backup(&file)?;
            println!("{}", describe(&info, t));
            if !yes {
                if !std::io::stdin().is_terminal() {
                    eprintln!("{}", t.t("cli.restore_needs_yes"));
                    return Ok(ExitCode::from(1));
                }
                print!("{} ", t.f("cli.restore_confirm", &[("db", &db.display())]));
                std::io::stdout().flush()?;
                let mut answer = String::new();
                std::io::stdin().lock().read_line(&mut answer)?;
                let answer = answer.trim().to_lowercase();
                if !(answer == "y" || answer == "yes" || answer == "o" || answer == "oui") {
                    println!("{}", t.t("cli.restore_cancelled"));
                    return Ok(ExitCode::from(1));
                }
            }
            let r = crate::store::Store::restore_from(&file, &db)?;
            if let Some(before) = &r.before {
                println!("{}", t.f("cli.restore_before", &[("path", &before.display())]));
            }
            println!("{}", t.f("cli.restore_done", &[("db", &db.display())]));
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Check) => {
            let t = cli_lang(None);
            let opened = if new { open_store(new, &db) } else { crate::store::Store::open_for_reading(&db) };
            let store = match opened {
                Ok(s) => s,
                Err(e @ (crate::store::StoreError::NotADatabase(_) | crate::store::StoreError::NotInitialised(_))) => {
                    println!("{}", e.message(t));
                    return Ok(ExitCode::from(1));
                }
                Err(e) => return Err(e.into()),
            };
            let r = store.check()?;
            println!("{}", t.f("cli.check_integrity", &[("result", &r.integrity.join("; "))]));
            let fk = if r.foreign_keys.is_empty() { "ok".to_string() } else { r.foreign_keys.join("; ") };
            println!("{}", t.f("cli.check_foreign_keys", &[("result", &fk)]));
            println!("{}", t.f("cli.check_schema", &[("found", &r.schema_version), ("known", &r.known_version)]));
            Ok(if r.is_ok() { ExitCode::SUCCESS } else { ExitCode::from(1) })
        }
        Some(Command::Info) => {
            let store = if new { open_store(new, &db)? } else { crate::store::Store::open_for_reading(&db)? };
            let t = cli_lang(Some(&store));
            println!("{}", t.f("cli.info_database", &[("path", &db.display())]));
            println!("{}", t.f("cli.info_schema", &[("version", &store.schema_version()?)]));
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
        Some(Command::Export { assessment, out, encrypt_to, mail: args::SendMail { send, to } }) => {
            let mut store = open_store(new, &db)?;
            let t = cli_lang(Some(&store));
            let recipient = match encrypt_to {
                Some(p) => Some(crate::exchange::keys::parse_recipient(&std::fs::read_to_string(&p)?)?),
                None => None,
            };
            let key = ops::signing_key(&store)?;
            let e = ops::export_return(&store, crate::ids::AssessmentId(assessment), recipient.as_deref(), &key)
                .map_err(|c| anyhow::anyhow!(c.text(t)))?;
            crate::app::files::write_atomically(&out, &e.bytes)?;
            // The outbox, as the window's export records it.
            store.record_export(crate::ids::AssessmentId(assessment), &out.display().to_string(), &e.digest)?;
            println!(
                "{}\t{} bytes\t{}{}",
                out.display(),
                e.bytes.len(),
                e.digest,
                if e.encrypted { "\tencrypted" } else { "" }
            );
            if send {
                let h = store.header(crate::ids::AssessmentId(assessment))?;
                let written = crate::app::model::LastExport {
                    path: std::path::absolute(&out).unwrap_or(out),
                    size: e.bytes.len(),
                    encrypted: e.encrypted,
                    member: h.member,
                    cycle: h.cycle,
                    revision: h.revision,
                };
                let (subject, body) = crate::app::mail::mail_parts(&written, t);
                let to = to.or_else(|| store.setting("secretariat_email").ok().flatten()).unwrap_or_default();
                send_mail(crate::app::mail::Mail { to, subject, body, files: vec![written.path] }, t);
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Import { files, identity }) => {
            let ids = identities(&identity)?;
            let mut store = open_store(new, &db)?;
            let t = cli_lang(Some(&store));
            let mut rejected = 0;
            let (files, problems) = crate::app::files::expand_args(files);
            for (arg, problem) in &problems {
                rejected += 1;
                println!("rejected\t{}\t{}", crate::exchange::clean_path(arg), problem.message(t));
            }
            // The window's import: each line printed once its batch is committed; a file not
            // kept is "failed" and stops the import, what came before is kept.
            let never = std::sync::atomic::AtomicBool::new(false);
            let mut failed = None;
            let totals = ops::import_files(&mut store, files, &ids, &never, |f, r| match r {
                Ok(r) => {
                    println!("{}\t{}\t{}", r.outcome.code(), crate::exchange::clean_path(f), r.reason.message(t));
                    true
                }
                Err(e) => {
                    println!("failed\t{}\t{}", crate::exchange::clean_path(f), e.message(t));
                    failed.get_or_insert(e);
                    false
                }
            })?;
            if let Some(e) = failed {
                return Err(e.into());
            }
            rejected += totals.rejected;
            Ok(if rejected > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
        }
        Some(Command::SigningKey) => {
            let store = open_store(new, &db)?;
            let key = ops::signing_key(&store)?;
            let t = cli_lang(Some(&store));
            println!("{}\t{}", t.t("cli.key_fingerprint"), key.public().fingerprint());
            println!("{}\t{}", t.t("cli.key_public"), key.public().to_base64());
            let file = store.signing_key_file().map_or_else(|| "-".into(), |p| p.display().to_string());
            println!("{}\t{file}", t.t("cli.key_file"));
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Keys) => {
            let store = crate::store::Store::open(&db)?;
            for k in crate::secretariat::keys::list(&store)? {
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{}",
                    k.member,
                    k.fingerprint,
                    if k.active { "active" } else { "retired" },
                    k.how.code(),
                    k.pinned_at,
                    k.public_key
                );
                if !k.shared_with.is_empty() {
                    println!(
                        "\t{}",
                        cli_lang(Some(&store)).f("keys.shared_with", &[("members", &k.shared_with.join(", "))])
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::PinKey { member, key, replace }) => {
            let mut store = crate::store::Store::open(&db)?;
            let path = std::path::Path::new(&key);
            let text = if path.is_file() { std::fs::read_to_string(path)? } else { key.clone() };
            let fp = match crate::secretariat::keys::pin(&mut store, &member, &text, replace) {
                Ok(fp) => fp,
                Err(e @ crate::secretariat::keys::PinError::Store(_)) => return Err(e.into()),
                Err(e) => {
                    let t = cli_lang(Some(&store));
                    println!("{}", e.message(t));
                    if matches!(e, PinError::AlreadyPinned { .. } | PinError::SharedKey { .. }) {
                        println!("{}", t.t("cli.replace_pin"));
                    }
                    return Ok(ExitCode::from(1));
                }
            };
            println!("{member}\t{fp}");
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Feedback { member, all, out, cycle, mail: args::SendMail { send, to } }) => {
            let mut store = open_store(new, &db)?;
            let cycle = match cycle {
                Some(c) => c,
                None => ops::latest_cycle(&store)?
                    .ok_or_else(|| anyhow::anyhow!("{}", cli_lang(Some(&store)).t("cli.no_return_yet")))?,
            };
            let key = ops::signing_key(&store)?;
            let c = crate::secretariat::consolidate::consolidate(&store, cycle)?;
            let members = ops::feedback_members(&store, cycle, member.as_ref())?;
            if all {
                std::fs::create_dir_all(&out)?;
            }
            let files = ops::write_feedback(&mut store, &c, &members, &key, &out, all).map_err(|e| match e {
                ops::FeedbackWriteError::Store(e) => anyhow::Error::from(e),
                ops::FeedbackWriteError::Io(path, e) => anyhow::anyhow!("{}: {e}", path.display()),
            })?;
            for (w, path) in &files {
                println!("{}\t{}\t{} bytes\tn{}", w.member, path.display(), w.bytes.len(), w.sequence);
            }
            if send && !files.is_empty() {
                let t = cli_lang(Some(&store));
                let paths: Vec<PathBuf> =
                    files.iter().map(|(_, p)| std::path::absolute(p).unwrap_or(p.clone())).collect();
                let (subject, body) = crate::app::mail::feedback_mail_parts(cycle, &paths, t);
                send_mail(crate::app::mail::Mail { to: to.unwrap_or_default(), subject, body, files: paths }, t);
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Section { assessment, indicators, to, unit, due, message, out }) => {
            let mut store = open_store(new, &db)?;
            let h = crate::sections::HandOut {
                assessment: crate::ids::AssessmentId(assessment),
                indicators,
                colleague: to,
                unit,
                due,
                message,
            };
            let r = ops::hand_out_section(&mut store, &h);
            section_result(&store, r, &out)
        }
        Some(Command::SectionAnswer { assessment, out }) => {
            let store = open_store(new, &db)?;
            let t = cli_lang(Some(&store));
            let id = match assessment {
                Some(a) => crate::ids::AssessmentId(a),
                None => match store.section_drafts()?.as_slice() {
                    [one] => *one,
                    [] => anyhow::bail!("{}", t.t("section.cli.none_here")),
                    _ => anyhow::bail!("{}", t.t("section.cli.which")),
                },
            };
            section_result(&store, ops::write_section_answer(&store, id), &out)
        }
        Some(Command::ImportSection { file }) => {
            let mut store = open_store(new, &db)?;
            let t = cli_lang(Some(&store));
            let shown = crate::exchange::clean_path(&file);
            match ops::import_section(&mut store, &file) {
                Ok(crate::sections::Imported::Opened { assessment, section, coordinator_fingerprint }) => {
                    println!("opened\t{shown}\t{}\t{}", assessment.0, crate::sections::banner(&section, t));
                    println!("{}", t.f("section.cli.coordinator_key", &[("fingerprint", &coordinator_fingerprint)]));
                    Ok(ExitCode::SUCCESS)
                }
                Ok(crate::sections::Imported::Merged { assessment, colleague, fingerprint, outcome, .. }) => {
                    let args: [(&str, &dyn std::fmt::Display); 5] = [
                        ("name", &crate::exchange::clean_text(&colleague)),
                        ("taken", &outcome.taken.len()),
                        ("conflicts", &outcome.conflicts.len()),
                        ("unchanged", &outcome.unchanged),
                        ("fingerprint", &fingerprint),
                    ];
                    println!("merged\t{shown}\t{}\t{}", assessment.0, t.f("section.merged", &args));
                    for i in &outcome.conflicts {
                        println!("conflict\t{i}");
                    }
                    if outcome.pinned.is_some() {
                        println!("{}", t.f("section.pinned", &args));
                    }
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => {
                    println!("refused\t{shown}\t{}", e.message(t));
                    Ok(ExitCode::from(1))
                }
            }
        }
        Some(Command::Sections { assessment }) => {
            let store = open_store(new, &db)?;
            let t = cli_lang(Some(&store));
            let id = crate::ids::AssessmentId(assessment);
            let today = chrono::Local::now().date_naive().to_string();
            for (s, state) in
                crate::sections::progress(&store, id, &today).map_err(|e| anyhow::anyhow!(e.message(t)))?
            {
                println!(
                    "{}\t{}\t{}\t{}\t{}",
                    t.t(&format!("section.state.{}", state.code())),
                    crate::exchange::clean_text(&s.colleague),
                    crate::exchange::clean_text(&s.unit),
                    s.due.as_deref().unwrap_or("-"),
                    s.indicators.join(",")
                );
            }
            for c in store.load(id)?.contributors {
                println!(
                    "{}\t{}\t{}",
                    c.indicator,
                    crate::exchange::clean_text(&c.name),
                    crate::exchange::clean_text(&c.unit)
                );
            }
            for c in store.section_conflicts(id)? {
                println!("conflict\t{}\t{}", c.indicator, crate::exchange::clean_text(&c.name));
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::SettleSection { assessment, indicator, take }) => {
            let mut store = open_store(new, &db)?;
            store.settle_conflict(crate::ids::AssessmentId(assessment), &indicator, take)?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::ImportFeedback { file }) => {
            let mut store = open_store(new, &db)?;
            let t = cli_lang(Some(&store));
            match ops::import_feedback(&mut store, &file) {
                Ok(None) => {
                    eprintln!("{}", t.t("feedback.cli_no_member"));
                    Ok(ExitCode::from(1))
                }
                Ok(Some((b, framework))) => {
                    if let Some(i) = framework {
                        println!("{}", i.said(t));
                    }
                    println!(
                        "imported\t{}\t{} {} n{}\t{}\t{}",
                        crate::exchange::clean_path(&file),
                        b.member,
                        b.cycle,
                        b.sequence,
                        b.review_state,
                        t.f("cli.queries", &[("n", &b.queries.len())])
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Err(crate::feedback::ImportError::Refused(r)) => {
                    println!(
                        "{}\t{}\t{}",
                        if r.code() == "older" { "ignored" } else { "refused" },
                        crate::exchange::clean_path(&file),
                        r.message(t)
                    );
                    Ok(ExitCode::from(1))
                }
                Err(crate::feedback::ImportError::Store(e)) => Err(e.into()),
            }
        }
        Some(Command::Card { out, identity }) => {
            let store = open_store(new, &db)?;
            let email = store.setting("secretariat_email")?.unwrap_or_default();
            let (card, missing) = ops::card(&store, &email, identity.as_deref())?;
            if let Some(p) = missing {
                let path = crate::exchange::clean_path(&p);
                eprintln!("{}", cli_lang(Some(&store)).f("card.no_identity", &[("path", &path)]));
            }
            match out {
                Some(p) => {
                    crate::app::files::write_atomically(&p, card.to_text().as_bytes())?;
                    println!("{}\t{}", p.display(), card.signing_key.fingerprint());
                }
                None => print!("{}", card.to_text()),
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::ImportCard { card, replace }) => {
            let mut store = open_store(new, &db)?;
            let t = cli_lang(Some(&store));
            let path = std::path::Path::new(&card);
            let text = if path.is_file() {
                String::from_utf8_lossy(
                    &crate::exchange::read_file_limited(path).map_err(|r| anyhow::anyhow!(r.message(t)))?,
                )
                .into_owned()
            } else {
                card.clone()
            };
            match crate::feedback::import_card(&mut store, &text, replace) {
                Ok(c) => {
                    println!("{}", t.f("card.imported", &[("fingerprint", &c.signing_key.fingerprint())]));
                    Ok(ExitCode::SUCCESS)
                }
                Err(crate::feedback::CardImportError::Store(e)) => Err(e.into()),
                Err(e) => {
                    println!("{}", e.message(t));
                    if matches!(e, crate::feedback::CardImportError::Changed(_)) {
                        println!("{}", t.t("cli.replace_card"));
                    }
                    Ok(ExitCode::from(1))
                }
            }
        }
        Some(Command::Plan { out, cycle }) => {
            let mut store = open_store(new, &db)?;
            let t = cli_lang(Some(&store));
            for (path, bytes) in ops::plan_files(&mut store, cycle, &out, t)? {
                crate::app::files::write_atomically(&path, &bytes)?;
                println!("{}\t{} bytes", path.display(), bytes.len());
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::WorkProgramme { year, format, out }) => {
            let mut store = open_store(new, &db)?;
            let t = cli_lang(Some(&store));
            let bytes = ops::work_programme_file(&mut store, year, format == args::ProgrammeFormat::Pdf, t)?;
            crate::app::files::write_atomically(&out, &bytes)?;
            println!("{}\t{} bytes", out.display(), bytes.len());
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Report { format, out, cycle }) => {
            let mut store = open_store(new, &db)?;
            let t = cli_lang(Some(&store));
            for (path, bytes) in ops::report_files(&mut store, cycle, format, &out, t)? {
                crate::app::files::write_atomically(&path, &bytes)?;
                println!("{}\t{} bytes", path.display(), bytes.len());
            }
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Framework { command }) => framework_command(open_store(new, &db)?, command),
        Some(Command::ImportFramework { file, identity }) => {
            let ids = identities(&identity)?;
            let mut store = open_store(new, &db)?;
            let t = cli_lang(Some(&store));
            match ops::import_framework(&mut store, &file) {
                Ok(i) => {
                    println!("{}", i.said(t));
                    // The revision is now the one in use: the returns held for it come in.
                    crate::fwfiles::install_held(&store)?;
                    for r in crate::secretariat::import::release_for_content(&mut store, &ids)? {
                        println!(
                            "{}\t{}\t{}",
                            r.outcome.code(),
                            crate::exchange::clean_text(&r.file_name),
                            r.reason.message(t)
                        );
                    }
                    Ok(ExitCode::SUCCESS)
                }
                Err(crate::fwfiles::ImportError::Store(e)) => Err(e.into()),
                Err(crate::fwfiles::ImportError::Refused(r)) => {
                    println!("refused\t{}\t{}", crate::exchange::clean_path(&file), r.message(t));
                    Ok(ExitCode::from(1))
                }
            }
        }
        Some(Command::Verify { .. } | Command::DemoData { .. } | Command::Keygen { .. }) => Ok(ExitCode::SUCCESS),
    }
}

/// `framework export` and `framework build`.
fn framework_command(store: crate::store::Store, command: FrameworkCommand) -> anyhow::Result<ExitCode> {
    let t = cli_lang(Some(&store));
    match command {
        FrameworkCommand::Export { out } => {
            let (bytes, revision) = ops::export_framework_book(&store).map_err(|e| anyhow::anyhow!("{e}"))?;
            crate::app::files::write_atomically(&out, &bytes)?;
            let path = crate::exchange::clean_path(&out);
            println!(
                "{}",
                t.f("fwbuild.exported", &[("path", &path), ("revision", &revision), ("bytes", &bytes.len())])
            );
            Ok(ExitCode::SUCCESS)
        }
        FrameworkCommand::Build { workbook, out, check } => {
            let print_changes = |changes: &[crate::fwfiles::diff::Change], held: u32| {
                if changes.is_empty() {
                    println!("{}", t.f("fwbuild.no_changes", &[("held", &held)]));
                } else {
                    println!("{}", t.f("fwbuild.changes", &[("held", &held)]));
                    for c in changes {
                        println!("  {}", c.message(t));
                    }
                }
            };
            match ops::build_framework(&store, &workbook, !check) {
                Err(crate::fwfiles::BuildError::Store(e)) => Err(e.into()),
                Err(e) => {
                    for line in e.lines(t) {
                        println!("{line}");
                    }
                    Ok(ExitCode::from(1))
                }
                Ok(ops::FrameworkBuild::Checked { revision, replaces, changes }) => {
                    print_changes(&changes, replaces);
                    println!("{}", t.f("fwbuild.checked", &[("revision", &revision), ("replaces", &replaces)]));
                    Ok(ExitCode::SUCCESS)
                }
                Ok(ops::FrameworkBuild::Signed(built, fingerprint)) => {
                    print_changes(&built.changes, built.replaces);
                    let out = out.unwrap_or_else(|| std::path::PathBuf::from(&built.file_name));
                    crate::app::files::write_atomically(&out, &built.bytes)?;
                    let path = crate::exchange::clean_path(&out);
                    println!(
                        "{}",
                        t.f(
                            "fwbuild.written",
                            &[
                                ("path", &path),
                                ("revision", &built.revision),
                                ("replaces", &built.replaces),
                                ("bytes", &built.bytes.len()),
                                ("fingerprint", &fingerprint),
                            ]
                        )
                    );
                    Ok(ExitCode::SUCCESS)
                }
            }
        }
    }
}
