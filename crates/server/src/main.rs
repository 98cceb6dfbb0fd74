//! `wrapup-server`: see `wrapup-server --help`.

use clap::Parser;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    wrapup_server::cli::init_tracing();
    let args = wrapup_server::cli::Args::parse();
    match wrapup_server::cli::run(args).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("wrapup-server: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
