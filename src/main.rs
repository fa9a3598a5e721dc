//! The `sitpress` binary: everything happens in [`sitpress::cli`].

fn main() -> std::process::ExitCode {
    sitpress::cli::run()
}
