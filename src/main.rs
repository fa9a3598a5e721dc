//! The `sitpress` binary: everything happens in [`sitpress::cli`].

/// A build allocates and frees millions of small strings (views, Tera values) from several
/// threads; mimalloc does that markedly faster than the system allocator (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    sitpress::cli::run()
}
