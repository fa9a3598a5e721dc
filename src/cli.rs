//! Command line: parse arguments, dispatch, print (and write an export's file), pick the exit
//! code.
//!
//! Exit codes: 0 success, 1 content errors (the diagnostics say where), 2 usage or I/O errors.
//! This is the only module that prints.

use crate::build::{self, Report};
use crate::check;
use crate::diagnostic::{Diagnostic, Severity};
use crate::scaffold;
use anyhow::Context;
use clap::{Parser, Subcommand};
use jiff::civil::Date;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(name = "sitpress", version, about = "A static site generator for situation reports", long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Build the site into the output folder.
    Build {
        /// The site's root folder (holding sitpress.yaml and content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site [default: <root>/public].
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Override `base_url` from sitpress.yaml.
        #[arg(long)]
        base_url: Option<String>,
        /// Include briefings marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Print only errors and warnings.
        #[arg(long, short)]
        quiet: bool,
        #[command(flatten)]
        lints: LintArgs,
    },
    /// Check the site (every error and lint) without writing anything.
    Check {
        /// The site's root folder (holding sitpress.yaml and content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// `human` (grouped by file, with the offending line) or `json` (for editors and CI).
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Include briefings marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        #[command(flatten)]
        lints: LintArgs,
    },
    /// Build the site in memory, serve it, and rebuild and reload open pages on every save.
    Serve {
        /// The site's root folder (holding sitpress.yaml and content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The port to listen on.
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// The address to listen on; the default keeps the preview on this machine.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Also answer requests for this host name or address (repeatable), e.g. the name other
        /// machines use with `--bind 0.0.0.0`; the loopback and the bound address always work.
        #[arg(long = "allow-host", value_name = "NAME", value_parser = crate::serve::host_name)]
        allow_hosts: Vec<String>,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        /// Include briefings marked `draft: true`.
        #[arg(long)]
        drafts: bool,
    },
    /// Serve the Language Server Protocol on stdin and stdout, for editors: diagnostics as you
    /// type, completion, hover, definition, references and rename of actors, claims and sources.
    Lsp {
        /// The site's root folder [default: the editor's workspace folder, or the nearest folder
        /// above it holding sitpress.yaml or content/].
        #[arg(long)]
        root: Option<PathBuf>,
    },
    /// Export the site in a format other tools import.
    Export {
        #[command(subcommand)]
        what: ExportCommand,
    },
    /// Create a new site in DIR with one briefing and two actors.
    Init {
        /// The folder to create (must be empty or absent).
        dir: PathBuf,
    },
    /// Create a new briefing or actor file.
    New {
        #[command(subcommand)]
        what: NewCommand,
    },
}

#[derive(Debug, clap::Args)]
struct LintArgs {
    /// Fail on any lint warning.
    #[arg(long)]
    strict: bool,
    /// Fail on this lint (repeatable); `sitpress check --help` lists them.
    #[arg(long, value_name = "LINT")]
    deny: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Human,
    Json,
}

#[derive(Debug, Subcommand)]
enum ExportCommand {
    /// Write the site as one STIX 2.1 bundle: the `stix.json` a build writes, alone.
    Stix {
        /// The site's root folder (holding sitpress.yaml and content/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The file to write; `-` or none writes to standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Override `base_url` from sitpress.yaml (the STIX ids are derived from it).
        #[arg(long)]
        base_url: Option<String>,
        /// Include briefings marked `draft: true`.
        #[arg(long)]
        drafts: bool,
    },
}

#[derive(Debug, Subcommand)]
enum NewCommand {
    /// Write content/briefings/<slug>.md dated today.
    Briefing {
        /// The briefing's title.
        title: String,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Write content/actors/<ID>.md.
    Actor {
        /// The actor id (lowercase letters, digits and `-`).
        id: String,
        /// The actor's display name.
        #[arg(long)]
        name: String,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
}

pub fn run() -> ExitCode {
    use clap::{CommandFactory, FromArgMatches};
    // `check --help` lists the lints, from the one list that defines them.
    let lints: String = check::LINTS.iter().map(|(name, what)| format!("  {name:<28} {what}\n")).collect();
    let command = Cli::command().mut_subcommand("check", |c| c.after_help(format!("Lints:\n{lints}")));
    let cli = match Cli::from_arg_matches(&command.get_matches()) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    match dispatch(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn dispatch(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Build { root, output, base_url, drafts, quiet, lints } => {
            let opts = build::Options {
                output,
                base_url,
                drafts,
                lints: check::Policy::new(lints.strict, lints.deny)?,
                // The process exits once the build is over: no need to free the model.
                exit_after: true,
                ..build::Options::new(root, today()?)
            };
            let show_bar = !quiet && std::io::stderr().is_terminal();
            let report = with_progress_bar(show_bar, |progress| build::build_with(&opts, progress))?;
            print_human(&report, &opts.root, false);
            if report.has_errors() {
                return Ok(ExitCode::from(1));
            }
            if !quiet && let Some(summary) = &report.output {
                println!("{}", summary_line(summary, report.elapsed));
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Check { root, format, drafts, lints } => {
            let opts = build::Options {
                drafts,
                lints: check::Policy::new(lints.strict, lints.deny)?,
                exit_after: true,
                ..build::Options::new(root, today()?)
            };
            let report = build::check(&opts)?;
            match format {
                Format::Human => print_human(&report, &opts.root, true),
                Format::Json => println!("{}", diagnostics_json(&report)),
            }
            Ok(if report.has_errors() { ExitCode::from(1) } else { ExitCode::SUCCESS })
        }
        Command::Serve { root, port, bind, open, drafts, allow_hosts } => {
            let opts = crate::serve::ServeOptions { root, port, bind, open, drafts, allow_hosts };
            crate::serve::serve(opts, today, print_notice)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Lsp { root } => {
            crate::lsp::run(root, today()?)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Export { what: ExportCommand::Stix { root, output, base_url, drafts } } => {
            let opts = build::Options { base_url, drafts, ..build::Options::new(root, today()?) };
            let mut report = build::Report::default();
            let bundle = build::export_stix(&opts, &mut report)?;
            print_human(&report, &opts.root, false);
            let Some(bundle) = bundle else {
                return Ok(ExitCode::from(1));
            };
            match output.filter(|p| p.as_os_str() != "-") {
                Some(path) => crate::output::write_whole(&path, &bundle)?,
                None => {
                    let mut out = std::io::stdout().lock();
                    out.write_all(&bundle).and_then(|()| out.flush()).context("failed to write to standard output")?;
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Init { dir } => {
            let written = scaffold::init(&dir, today()?)?;
            for p in written {
                println!("{}", p.display());
            }
            println!("\nNext: cd {} && sitpress build", dir.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::New { what: NewCommand::Briefing { title, root } } => {
            println!("{}", scaffold::new_briefing(&root, &title, today()?)?.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::New { what: NewCommand::Actor { id, name, root } } => {
            println!("{}", scaffold::new_actor(&root, &id, &name)?.display());
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The line after a build: `Built 10,512 pages (10,498 unchanged) and 14 files in 2.31 s`.
fn summary_line(s: &crate::output::Summary, elapsed: std::time::Duration) -> String {
    let plural = |n: usize, w: &str| format!("{} {w}{}", thousands(n), if n == 1 { "" } else { "s" });
    let removed = if s.removed > 0 { format!(", removed {}", plural(s.removed, "old file")) } else { String::new() };
    format!(
        "Built {} ({} unchanged) and {} in {:.2} s{removed}",
        plural(s.pages, "page"),
        thousands(s.pages_unchanged),
        plural(s.files, "file"),
        elapsed.as_secs_f64()
    )
}

/// `10512` as `10,512`.
fn thousands(n: usize) -> String {
    indicatif::HumanCount(n as u64).to_string()
}

/// Runs `f` with a progress bar on stderr when `show`. The bar appears only once the build has
/// run for a second, so quick builds print nothing but their summary, and it is cleared before
/// anything else is printed.
fn with_progress_bar<T>(show: bool, f: impl FnOnce(&dyn build::Progress) -> T) -> T {
    use indicatif::{ProgressBar, ProgressDrawTarget};
    use std::sync::mpsc;
    use std::time::Duration;
    if !show {
        return f(&());
    }
    let bar = ProgressBar::hidden();
    let (finished, wait) = mpsc::channel::<()>();
    let reveal = {
        let bar = bar.clone();
        std::thread::spawn(move || {
            if wait.recv_timeout(Duration::from_secs(1)) == Err(mpsc::RecvTimeoutError::Timeout) {
                bar.set_draw_target(ProgressDrawTarget::stderr());
                bar.enable_steady_tick(Duration::from_millis(100));
            }
        })
    };
    let out = f(&Bar(bar.clone()));
    drop(finished);
    let _ = reveal.join();
    bar.finish_and_clear();
    out
}

/// A build's stages and steps shown on an indicatif bar.
struct Bar(indicatif::ProgressBar);

impl build::Progress for Bar {
    fn stage(&self, stage: build::Stage, steps: Option<usize>) {
        use indicatif::ProgressStyle;
        let label = match stage {
            build::Stage::Load => "Reading content",
            build::Stage::Render => "Rendering",
            build::Stage::Write => "Writing",
        };
        let template = match steps {
            Some(_) => "{spinner} {msg:<16} [{bar:30}] {human_pos}/{human_len} {elapsed}",
            None => "{spinner} {msg:<16} {elapsed}",
        };
        if let Ok(style) = ProgressStyle::with_template(template) {
            self.0.set_style(style.progress_chars("=> "));
        }
        self.0.set_message(label);
        self.0.set_position(0);
        self.0.set_length(steps.unwrap_or(0) as u64);
    }

    fn step(&self) {
        self.0.inc(1);
    }
}

fn print_notice(notice: crate::serve::Notice<'_>) {
    use crate::serve::Notice;
    match notice {
        Notice::Listening { url } => println!("serving {url} (Ctrl-C to stop)"),
        Notice::Exposed { bind, allowed } => {
            eprintln!(
                "warning: listening on {bind}, reachable from other machines; drafts and unpublished briefings are visible to anyone who can connect (use --bind 127.0.0.1 to keep the preview local)"
            );
            let names = if bind.is_unspecified() {
                allowed.to_vec()
            } else {
                [vec![bind.to_string()], allowed.to_vec()].concat()
            };
            if names.is_empty() {
                eprintln!(
                    "note: other machines must open the preview by a name given with --allow-host (e.g. --allow-host mybox.local or --allow-host 192.168.1.20); any other name is refused"
                );
            } else {
                eprintln!(
                    "note: other machines can open it as {}; any other name is refused (add one with --allow-host NAME)",
                    names.join(", ")
                );
            }
        }
        Notice::Previewed { pages, elapsed } => {
            println!("showed {} in {} ms; rebuilding the rest", pages.join(", "), elapsed.as_millis())
        }
        Notice::Built { shown, parsed, rendered, reused, elapsed } => println!(
            "rebuilt {rendered} page{} in {} ms ({parsed} file{} parsed, {reused} unchanged{})",
            if rendered == 1 { "" } else { "s" },
            elapsed.as_millis(),
            if parsed == 1 { "" } else { "s" },
            shown.map(|s| format!("; changed pages shown after {} ms", s.as_millis())).unwrap_or_default()
        ),
        Notice::Diagnostics { report, root } => print_human(report, root, true),
        Notice::OpenFailed { error } => eprintln!("warning: could not open a browser: {error}"),
        Notice::Rescan { reason } => eprintln!("warning: {reason}; reading every file again"),
        Notice::Stopped => println!("stopped"),
    }
}

/// The build's day: `SOURCE_DATE_EPOCH`'s UTC date when set, else today's UTC date.
fn today() -> anyhow::Result<Date> {
    let ts = match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) => {
            let secs: i64 =
                v.trim().parse().map_err(|_| anyhow::anyhow!("SOURCE_DATE_EPOCH=`{v}` is not a number of seconds"))?;
            jiff::Timestamp::from_second(secs)
                .map_err(|e| anyhow::anyhow!("SOURCE_DATE_EPOCH=`{v}` is out of range: {e}"))?
        }
        Err(_) => jiff::Timestamp::now(),
    };
    Ok(ts.to_zoned(jiff::tz::TimeZone::UTC).date())
}

/// Diagnostics for people: grouped by file, the offending line with a caret, a help line,
/// colour on a terminal unless NO_COLOR; then `N errors, M warnings` (always for `check`,
/// for `build` only when there is something to report).
fn print_human(report: &Report, root: &std::path::Path, summary: bool) {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let text = human(&report.diagnostics, summary, color, |path| std::fs::read_to_string(root.join(path)).ok());
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

/// The text [`print_human`] prints. `read` gives a file's text, read again only to show the
/// offending lines: once per file, for all its diagnostics, which come grouped by file.
fn human(
    diagnostics: &[Diagnostic],
    summary: bool,
    color: bool,
    mut read: impl FnMut(&str) -> Option<String>,
) -> String {
    let mut out = String::new();
    let mut current: Option<(&str, Option<String>)> = None;
    for d in diagnostics {
        if current.as_ref().is_none_or(|(path, _)| *path != d.loc.path) {
            let header = if color { format!("\x1b[1m{}\x1b[0m", d.loc.path) } else { d.loc.path.clone() };
            out.push_str(&header);
            out.push('\n');
            current = Some((d.loc.path.as_str(), read(&d.loc.path)));
        }
        let source = current.as_ref().and_then(|(_, source)| source.as_deref());
        out.push_str(&d.render(source, color));
        out.push_str("\n\n");
    }
    let errors = diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
    let warnings = diagnostics.len() - errors;
    if summary || !diagnostics.is_empty() {
        let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
        let tail = if errors > 0 && !summary { ": nothing was written" } else { "" };
        out.push_str(&format!("{}, {}{tail}\n", plural(errors, "error"), plural(warnings, "warning")));
    }
    out
}

/// Diagnostics for editors and CI: one JSON array of
/// `{severity, lint, path, line, column, message, help}`.
fn diagnostics_json(report: &Report) -> String {
    #[derive(serde::Serialize)]
    struct Item<'a> {
        severity: &'static str,
        lint: Option<&'static str>,
        path: &'a str,
        line: usize,
        column: usize,
        message: &'a str,
        help: Option<&'a str>,
    }
    let items: Vec<Item<'_>> = report
        .diagnostics
        .iter()
        .map(|d| Item {
            severity: match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            },
            lint: d.lint,
            path: &d.loc.path,
            line: d.loc.line,
            column: d.loc.column,
            message: &d.message,
            help: d.help.as_deref(),
        })
        .collect();
    serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Loc;

    #[test]
    fn counts_are_grouped_by_thousands() {
        assert_eq!(thousands(7), "7");
        assert_eq!(thousands(10_512), "10,512");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn each_file_is_read_once_for_all_its_diagnostics() {
        let at = |path: &str, line| Diagnostic::error(Loc::new(path, line, 1), "bad");
        let diagnostics = [at("a.md", 1), at("a.md", 2), at("a.md", 3), at("b.md", 2), at("b.md", 1)];
        let mut reads = Vec::new();
        let text = human(&diagnostics, false, false, |path| {
            reads.push(path.to_string());
            Some("first line\nsecond line\nthird line\n".into())
        });
        assert_eq!(reads, ["a.md", "b.md"]);
        assert_eq!(text.matches("a.md\n").count(), 1, "one header per file: {text}");
        assert_eq!(text.matches("second line").count(), 2, "each diagnostic shows its line: {text}");
        assert!(text.ends_with("5 errors, 0 warnings: nothing was written\n"), "{text}");
    }
}
