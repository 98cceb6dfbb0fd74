//! The command line of `wrapup-server`.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;

use crate::ServerConfig;
use crate::embed::EmbedOrigin;

/// The wrapup-gadget reference server: serves the built widget and answers
/// the REST APIs the widget submits to.
#[derive(Debug, Parser)]
#[command(name = "wrapup-server", version)]
pub struct Args {
    /// Address and port to listen on. Use 127.0.0.1 to stay on this machine.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,

    /// Directory of the built widget (Trunk's `dist/`), served at `/`.
    /// Without it only the APIs and `/healthz` are served.
    #[arg(long = "static", value_name = "DIR")]
    pub static_dir: Option<PathBuf>,

    /// The SQLite database file (WAL mode; its directory is created).
    #[arg(long, value_name = "PATH", default_value = "./data/wrapup.sqlite")]
    pub db: PathBuf,

    /// Load the specs' example data (codes, agent agent@test.com, segments,
    /// interactions) so the documented curl examples work as written.
    /// Safe to repeat: existing records are kept.
    #[arg(long)]
    pub demo: bool,

    /// Make this share (0 to 1) of API requests fail in mixed ways: 500, 503,
    /// hanging, a connection reset after the write, a slow answer. Off by
    /// default; per-route faults are set through `/sim/v1/faults`.
    #[arg(long, value_name = "RATE", default_value_t = 0.0)]
    pub faults: f64,

    /// Seed of the fault draws, to repeat a run exactly.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub fault_seed: u64,

    /// Users allowed to call the APIs, one `name:password:role,role` per line
    /// (roles: admin, interaction_integration_user, sn_openframe_api_user,
    /// context_services_user, cti_user). Without it: with --demo the demo users
    /// admin/admin and username/password; otherwise nobody.
    #[arg(long, value_name = "FILE")]
    pub users: Option<PathBuf>,

    /// Bearer token the widget page sends (`Authorization: Bearer …`, or
    /// `?access_token=` on the event stream); the server hands it to the
    /// widget in `/config.json` (`token`), so whoever can open the widget can
    /// read it: keep the server where only agents reach it. Default:
    /// `demo-widget-token` with --demo; otherwise none.
    #[arg(long, value_name = "TOKEN")]
    pub widget_token: Option<String>,

    /// The Tenios `access_key` callers must send; the server hands it to the
    /// widget in `/config.json` (`teniosAccessKey`) for its Extend and Cancel
    /// wrap-up, which the widget sends from the agent's browser, so whoever
    /// can open the widget can read it, as the widget token. Default: with
    /// --demo the spec examples' masked key `***************************`;
    /// otherwise none, and the Tenios API refuses every call.
    #[arg(long, value_name = "KEY")]
    pub tenios_access_key: Option<String>,

    /// The agents the server knows, one `id:email:first name:last name` per
    /// line (the names may be left out; `#` starts a comment). Any other
    /// agent id is refused (404) on its event stream, its requests and
    /// simulated calls, so a mistyped `agent=` is told at once; the e-mails
    /// are the agents' Tenios e-mails (served in `/config.json` as
    /// `agentEmails`), the names are `getChannel`'s, which the widget shows.
    /// Without it any agent id is logged in as it comes (the demo's way);
    /// with --demo the demo agent is known too.
    #[arg(long, value_name = "FILE")]
    pub agents: Option<PathBuf>,

    /// An origin whose pages may embed the widget in an iframe, written
    /// `scheme://host[:port]` (e.g. `https://crm.example.com`); repeat it for
    /// each. It goes into the pages' `frame-ancestors` and into
    /// `/config.json` as `allowedOrigins`, where the widget's `cil.js` checks
    /// the CRM page's handshake. --demo adds `http://localhost:<port>` (the
    /// demo CRM page at /crm.html, which embeds the widget from 127.0.0.1).
    #[arg(long = "embed-origin", value_name = "ORIGIN")]
    pub embed_origins: Vec<EmbedOrigin>,
}

impl Args {
    /// The origins that may embed the widget: `--embed-origin`s, and with
    /// `--demo` `http://localhost:<listen port>`, each once.
    pub fn embed_origins(&self) -> Vec<EmbedOrigin> {
        let mut origins = self.embed_origins.clone();
        if self.demo {
            origins.push(EmbedOrigin::localhost(self.listen.port()));
        }
        let mut seen = std::collections::HashSet::new();
        origins.retain(|origin| seen.insert(origin.clone()));
        origins
    }
}

/// Logs to standard error; `RUST_LOG` selects the level (default `info`).
pub fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}

/// Binds the listener and serves until Ctrl+C or SIGTERM.
pub async fn run(args: Args) -> Result<(), String> {
    if let Some(dir) = &args.static_dir
        && !dir.join("index.html").is_file()
    {
        return Err(format!(
            "{} has no index.html: build the widget first (`cargo xtask run` does it)",
            dir.display()
        ));
    }
    let embed_origins = args.embed_origins();
    if !embed_origins.is_empty() {
        let origins: Vec<&str> = embed_origins.iter().map(EmbedOrigin::as_str).collect();
        tracing::info!(origins = %origins.join(" "), "pages on these origins may embed the widget");
    }
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .map_err(|error| format!("cannot listen on {}: {error}", args.listen))?;
    let mut auth = crate::auth::AuthConfig::demo();
    auth.users = match (&args.users, args.demo) {
        (Some(path), _) => crate::auth::AuthConfig::users_from_file(path)?,
        (None, true) => {
            tracing::warn!(
                "demo mode: the demo users admin/admin and username/password can call the APIs"
            );
            auth.users
        }
        (None, false) => {
            tracing::warn!("no --users file and no --demo: every API call will be refused (401)");
            Vec::new()
        }
    };
    auth.widget_token = match args.widget_token {
        Some(token) => Some(token),
        None if args.demo => Some(crate::auth::DEMO_WIDGET_TOKEN.to_owned()),
        None => None,
    };
    if !(0.0..=1.0).contains(&args.faults) {
        return Err(format!(
            "--faults {}: give a share between 0 and 1",
            args.faults
        ));
    }
    if args.faults > 0.0 {
        tracing::warn!(rate = args.faults, "fault injection is on");
    }
    let roster = match &args.agents {
        Some(path) => Some(crate::roster::Roster::from_file(path)?),
        None if args.demo => None,
        None => {
            tracing::warn!(
                "no --agents file: any agent id is logged in as it comes, a mistyped one too"
            );
            None
        }
    };
    let config = ServerConfig {
        embed_origins,
        faults: crate::faults::Faults::new(args.faults, args.fault_seed),
        static_dir: args.static_dir,
        db_path: Some(args.db.clone()),
        demo: args.demo,
        auth,
        serve_tenios_access_key: args.tenios_access_key.is_some(),
        roster,
        tenios_access_key: match (args.tenios_access_key, args.demo) {
            (Some(key), _) => key,
            (None, true) => crate::DEMO_TENIOS_ACCESS_KEY.to_owned(),
            (None, false) => {
                tracing::warn!("no --tenios-access-key: the Tenios API refuses every call");
                String::new()
            }
        },
        ..ServerConfig::default()
    };
    tracing::info!(db = %args.db.display(), demo = args.demo, "database");
    tracing::info!(address = %args.listen, "listening");
    crate::serve(listener, config, shutdown_signal())
        .await
        .map_err(|error| format!("server error: {error}"))
}

async fn shutdown_signal() {
    let ctrl_c = async {
        // If the handler cannot be installed the server simply runs until killed.
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
    tracing::info!("shutting down");
}
