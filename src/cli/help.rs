//! The command line's help and usage errors in the user's language. clap writes them in English
//! (its own headings, "[default: …]", "Print help", "error: unexpected argument…"), so the
//! command tree is walked once before parsing: every command's description, every option's help
//! and value name comes from the i18n layer (`assets/i18n/*/cli_help.json`, keyed by the
//! command's path and the option's id), clap's headings and flags are replaced by ours, and a
//! usage error is said again from its kind and context.

use crate::lang::Lang;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command};

/// The key of a command's description: `cli.cmd` for the program, `cli.cmd.import` for a
/// command, `cli.cmd.framework.build` for a command of a command.
fn command_key(path: &[&str]) -> String {
    std::iter::once("cli.cmd").chain(path.iter().copied()).collect::<Vec<_>>().join(".")
}

/// The key of an option's help: `cli.arg.<command path>.<id>`; the program's own options
/// (`--db`) are `cli.arg.<id>`.
fn arg_key(path: &[&str], id: &str) -> String {
    std::iter::once("cli.arg").chain(path.iter().copied()).chain(std::iter::once(id)).collect::<Vec<_>>().join(".")
}

/// The names shown for an option's value (`<FILE>`), as clap would name them.
fn value_names(arg: &Arg) -> Vec<String> {
    match arg.get_value_names() {
        Some(names) => names.iter().map(|n| n.to_string()).collect(),
        None => vec![arg.get_id().as_str().to_uppercase()],
    }
}

fn takes_value(arg: &Arg) -> bool {
    matches!(arg.get_action(), ArgAction::Set | ArgAction::Append)
}

/// The command tree of [`super::Cli`] with every text a user reads in `t`.
pub fn command(t: Lang) -> Command {
    localize(<super::Cli as clap::CommandFactory>::command(), &[], t)
}

fn localize(cmd: Command, path: &[&str], t: Lang) -> Command {
    let key = command_key(path);
    let mut cmd = cmd
        .about(t.t(&key))
        .long_about(None)
        .disable_help_flag(true)
        .disable_help_subcommand(true)
        .subcommand_help_heading(t.t("cli.help.commands"))
        .subcommand_value_name(t.t("cli.help.command_value"))
        .help_template(format!(
            "{{about-with-newline}}\n{}{{usage}}\n\n{{all-args}}{{after-help}}",
            t.t("cli.help.usage")
        ))
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help(t.t("cli.help.help"))
                .help_heading(t.t("cli.help.options")),
        );
    if path.is_empty() {
        cmd = cmd.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help(t.t("cli.help.version"))
                .help_heading(t.t("cli.help.options")),
        );
    }
    let ids: Vec<String> = cmd.get_arguments().map(|a| a.get_id().to_string()).collect();
    for id in ids {
        if id == "help" || id == "version" {
            continue;
        }
        cmd = cmd.mut_arg(&id, |arg| {
            let mut help = t.t(&arg_key(path, &id)).to_string();
            let defaults: Vec<String> = arg
                .get_default_values()
                .iter()
                .map(|v| v.to_string_lossy().to_string())
                .filter(|v| !v.is_empty())
                .collect();
            if !defaults.is_empty() && takes_value(&arg) {
                help.push_str(&t.f("cli.help.default", &[("value", &defaults.join(", "))]));
            }
            let possible: Vec<String> = arg
                .get_possible_values()
                .iter()
                .filter(|v| !v.is_hide_set())
                .map(|v| v.get_name().to_string())
                .collect();
            if !possible.is_empty() && takes_value(&arg) {
                help.push_str(&t.f("cli.help.possible", &[("values", &possible.join(", "))]));
            }
            let heading = if arg.is_positional() { "cli.help.arguments" } else { "cli.help.options" };
            let names: Vec<&'static str> = value_names(&arg).iter().map(|n| t.t(&format!("cli.value.{n}"))).collect();
            let arg = arg.help(help).long_help(None).help_heading(t.t(heading));
            if takes_value(&arg) {
                arg.value_names(names).hide_default_value(true).hide_possible_values(true)
            } else {
                arg
            }
        });
    }
    let subs: Vec<String> = cmd.get_subcommands().map(|s| s.get_name().to_string()).collect();
    for sub in subs {
        let sub_path: Vec<&str> = path.iter().copied().chain(std::iter::once(sub.as_str())).collect();
        cmd = cmd.mut_subcommand(&sub, |c| localize(c, &sub_path, t));
    }
    cmd
}

/// A usage error said in `t`: what was wrong, the usage of the command, and where to find help.
/// Help and version requests come back as clap rendered them (from the localised tree).
pub fn error_text(err: &clap::Error, t: Lang) -> String {
    if matches!(err.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        return err.render().to_string();
    }
    if err.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
        return err.render().to_string();
    }
    let text = |kind: ContextKind| match err.get(kind) {
        Some(ContextValue::String(s)) => crate::exchange::clean_text_max(s, 120),
        Some(ContextValue::Strings(v)) => {
            v.iter().map(|s| crate::exchange::clean_text_max(s, 120)).collect::<Vec<_>>().join(", ")
        }
        Some(ContextValue::StyledStr(s)) => crate::exchange::clean_text_max(&s.to_string(), 120),
        Some(ContextValue::StyledStrs(v)) => {
            v.iter().map(|s| crate::exchange::clean_text_max(&s.to_string(), 120)).collect::<Vec<_>>().join(", ")
        }
        Some(ContextValue::Number(n)) => n.to_string(),
        _ => String::new(),
    };
    let (arg, value) = (text(ContextKind::InvalidArg), text(ContextKind::InvalidValue));
    let mut said = match err.kind() {
        ErrorKind::InvalidValue => {
            let mut s = t.f("cli.error.invalid_value", &[("arg", &arg), ("value", &value)]);
            let valid = text(ContextKind::ValidValue);
            if !valid.is_empty() {
                s.push_str(&t.f("cli.help.possible", &[("values", &valid)]));
            }
            s
        }
        ErrorKind::ValueValidation => {
            let reason = std::error::Error::source(err).map(|e| crate::exchange::clean_text_max(&e.to_string(), 300));
            let mut s = t.f("cli.error.invalid_value", &[("arg", &arg), ("value", &value)]);
            if let Some(r) = reason {
                s.push_str(": ");
                s.push_str(&r);
            }
            s
        }
        ErrorKind::UnknownArgument => t.f("cli.error.unknown_argument", &[("arg", &arg)]),
        ErrorKind::InvalidSubcommand => {
            t.f("cli.error.unknown_command", &[("command", &text(ContextKind::InvalidSubcommand))])
        }
        ErrorKind::ArgumentConflict => {
            t.f("cli.error.conflict", &[("arg", &arg), ("other", &text(ContextKind::PriorArg))])
        }
        ErrorKind::MissingRequiredArgument => t.f("cli.error.missing", &[("args", &arg)]),
        ErrorKind::MissingSubcommand => t.t("cli.error.missing_command").to_string(),
        ErrorKind::NoEquals | ErrorKind::TooManyValues | ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            t.f("cli.error.values", &[("arg", &arg)])
        }
        ErrorKind::InvalidUtf8 => t.t("cli.error.not_text").to_string(),
        _ => t.t("cli.error.other").to_string(),
    };
    let suggested = [text(ContextKind::SuggestedArg), text(ContextKind::SuggestedSubcommand)];
    if let Some(s) = suggested.iter().find(|s| !s.is_empty()) {
        said.push_str(&t.f("cli.error.did_you_mean", &[("suggestion", s)]));
    }
    let usage = text(ContextKind::Usage);
    let usage = usage.split_once(": ").map_or(usage.as_str(), |(_, u)| u).trim().to_string();
    let mut out = format!("{}{said}\n", t.t("cli.error.prefix"));
    if !usage.is_empty() {
        out.push_str(&format!("\n{}{usage}\n", t.t("cli.help.usage")));
    }
    out.push_str(&format!("\n{}\n", t.t("cli.error.more")));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every key the tree asks for, with the English text clap had from the doc comments.
    fn keys(cmd: &Command, path: &[&str], out: &mut Vec<(String, String)>) {
        out.push((command_key(path), cmd.get_about().map(|s| s.to_string()).unwrap_or_default()));
        for a in cmd.get_arguments() {
            let id = a.get_id().as_str();
            if id == "help" || id == "version" {
                continue;
            }
            out.push((arg_key(path, id), a.get_help().map(|s| s.to_string()).unwrap_or_default()));
            if takes_value(a) {
                for n in value_names(a) {
                    out.push((format!("cli.value.{n}"), n));
                }
            }
        }
        for s in cmd.get_subcommands() {
            let mut p = path.to_vec();
            p.push(s.get_name());
            keys(s, &p, out);
        }
    }

    /// The help of a command, as `cdf-assess PATH… --help` prints it.
    fn help_of(path: &[&str], t: Lang) -> String {
        let args = std::iter::once("cdf-assess").chain(path.iter().copied()).chain(std::iter::once("--help"));
        let e = command(t).try_get_matches_from(args).expect_err("--help ends the parse");
        assert_eq!(e.kind(), ErrorKind::DisplayHelp);
        error_text(&e, t)
    }

    fn paths(cmd: &Command, path: Vec<String>, out: &mut Vec<Vec<String>>) {
        out.push(path.clone());
        for s in cmd.get_subcommands() {
            let mut p = path.clone();
            p.push(s.get_name().to_string());
            paths(s, p, out);
        }
    }

    #[test]
    fn every_command_option_and_value_name_has_its_text_in_both_languages_and_none_is_left_over() {
        let mut wanted = Vec::new();
        keys(&<super::super::Cli as clap::CommandFactory>::command(), &[], &mut wanted);
        let wanted: std::collections::BTreeSet<String> = wanted.into_iter().map(|(k, _)| k).collect();
        for lang in Lang::ALL {
            let held = crate::i18n::keys(lang);
            for k in &wanted {
                assert!(held.contains(&k.as_str()), "{k} has no {lang:?} text");
            }
            // A text for a command or option that is gone would be read by nobody.
            for k in held
                .iter()
                .filter(|k| k.starts_with("cli.cmd") || k.starts_with("cli.arg.") || k.starts_with("cli.value."))
            {
                assert!(wanted.contains(*k), "{k} is in the {lang:?} catalogue but no command has it");
            }
        }
    }

    #[test]
    fn french_help_of_every_command_is_french_and_names_every_option() {
        let mut all = Vec::new();
        paths(&<super::super::Cli as clap::CommandFactory>::command(), Vec::new(), &mut all);
        assert!(all.len() > 25, "{} commands", all.len());
        for path in all {
            let p: Vec<&str> = path.iter().map(|s| s.as_str()).collect();
            let fr = help_of(&p, Lang::Fr);
            let en = help_of(&p, Lang::En);
            assert!(fr.contains("Utilisation : cdf-assess"), "{p:?}: {fr}");
            assert!(fr.contains(Lang::Fr.t(&command_key(&p)).split_whitespace().next().unwrap()), "{p:?}: {fr}");
            // clap's own English words, which its help would otherwise carry.
            for english in
                ["Usage", "Print help", "Print version", "[default", "[possible values", "Commands:", "[COMMAND]"]
            {
                assert!(!fr.contains(english), "{p:?}: '{english}' in the French help: {fr}");
            }
            assert!(en.contains("Usage: cdf-assess"), "{p:?}: {en}");
            assert_ne!(fr, en, "{p:?}");
        }
        // A default and the possible values are said in the help's language.
        let demo = help_of(&["demo-data"], Lang::Fr);
        assert!(demo.contains("(par défaut : 2017)"), "{demo}");
        let section = help_of(&["section"], Lang::Fr);
        assert!(!section.contains("(par défaut : )"), "an empty default is not said: {section}");
        let report = help_of(&["report"], Lang::Fr);
        assert!(report.contains("csv, xlsx, pdf"), "{report}");
        assert!(report.contains("<FICHIER>"), "{report}");
        assert!(help_of(&[], Lang::Fr).contains("Commandes"), "the program's help lists its commands");
    }

    fn usage_error(args: &[&str], t: Lang) -> (ErrorKind, String) {
        let e = command(t)
            .try_get_matches_from(std::iter::once("cdf-assess").chain(args.iter().copied()))
            .expect_err("a usage error");
        (e.kind(), error_text(&e, t))
    }

    #[test]
    fn usage_errors_are_said_in_the_language_with_what_was_wrong() {
        let (kind, fr) = usage_error(&["import", "--identiy", "k.txt", "x.ocoreturn"], Lang::Fr);
        assert_eq!(kind, ErrorKind::UnknownArgument);
        assert!(fr.starts_with("erreur : --identiy"), "{fr}");
        assert!(fr.contains("--identity"), "the option meant is suggested: {fr}");
        assert!(fr.contains("Utilisation : cdf-assess import"), "{fr}");
        assert!(!fr.contains("error") && !fr.contains("Usage") && !fr.contains("For more"), "{fr}");

        let (kind, fr) = usage_error(&["report", "--format", "doc", "--out", "r"], Lang::Fr);
        assert_eq!(kind, ErrorKind::InvalidValue);
        assert!(fr.contains("« doc »") && fr.contains("csv, xlsx, pdf"), "{fr}");

        let (kind, fr) = usage_error(&["frobnicate"], Lang::Fr);
        assert_eq!(kind, ErrorKind::InvalidSubcommand);
        assert!(fr.contains("frobnicate"), "{fr}");

        // A refusal of our own value parsers keeps its reason (said in the language already).
        let (kind, en) = usage_error(&["feedback", "--all", "--out", "d", "--cycle", "12"], Lang::En);
        assert_eq!(kind, ErrorKind::ValueValidation);
        assert!(en.starts_with("error: ") && en.contains("is not a cycle"), "{en}");

        let (kind, en) = usage_error(&["export", "--out", "x"], Lang::En);
        assert_eq!(kind, ErrorKind::MissingRequiredArgument);
        assert!(en.contains("--assessment"), "{en}");

        // What the user typed reaches the message without its control characters.
        let (_, en) = usage_error(&["import", "--bad\u{1b}[31mred", "x"], Lang::En);
        assert!(!en.contains('\u{1b}'), "{en:?}");
    }

    #[test]
    fn help_as_a_command_is_the_help_option() {
        let args = |v: &[&str]| v.iter().map(std::ffi::OsString::from).collect::<Vec<_>>();
        assert_eq!(
            super::super::help_rewritten(args(&["cdf-assess", "help", "import"])),
            args(&["cdf-assess", "import", "--help"])
        );
        assert_eq!(super::super::help_rewritten(args(&["cdf-assess", "help"])), args(&["cdf-assess", "--help"]));
        assert_eq!(
            super::super::help_rewritten(args(&["cdf-assess", "import", "help"])),
            args(&["cdf-assess", "import", "help"])
        );
        assert_eq!(
            super::super::help_rewritten(args(&["cdf-assess", "--db", "help", "--new-database", "help", "info"])),
            args(&["cdf-assess", "--db", "help", "--new-database", "info", "--help"]),
            "after the global options; a database named help stays one"
        );
    }
}
