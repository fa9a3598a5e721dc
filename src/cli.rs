//! Command line: parse arguments, dispatch, print, pick the exit code.
//!
//! Exit codes: 0 success, 1 content errors (the diagnostics say where), 2 usage or I/O errors.
//! This is the only module that prints.

use crate::build::{self, Report};
use crate::diagnostic::Severity;
use crate::scaffold;
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
    let cli = Cli::parse();
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
        Command::Build { root, output, base_url, drafts, quiet } => {
            let opts = build::Options { root, output, base_url, drafts, today: today()? };
            let report = build::build(&opts)?;
            print_diagnostics(&report);
            if report.has_errors() {
                return Ok(ExitCode::from(1));
            }
            if !quiet {
                let out = opts.output.clone().unwrap_or_else(|| opts.root.join("public"));
                println!(
                    "built {} pages ({} files) into {} in {} ms",
                    report.pages,
                    report.written.unwrap_or(0),
                    out.display(),
                    report.elapsed.as_millis()
                );
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

fn print_diagnostics(report: &Report) {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let mut err = std::io::stderr().lock();
    for d in &report.diagnostics {
        let source = report.sources.get(&d.loc.path).map(String::as_str);
        let _ = writeln!(err, "{}\n", d.render(source, color));
    }
    let errors = report.diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
    let warnings = report.diagnostics.len() - errors;
    if errors > 0 {
        let _ = writeln!(
            err,
            "{errors} error{}, {warnings} warning{}: nothing was written",
            if errors == 1 { "" } else { "s" },
            if warnings == 1 { "" } else { "s" }
        );
    }
}
