//! Fault injection, off by default: the failures real networks and servers
//! produce, so the widget's outbox and retries can be proven under them.
//!
//! Two sources, checked in this order for every API request (ServiceNow,
//! openframe, Tenios, Genesys and the b+s requests; never the event stream,
//! the simulator's own routes, `/healthz` or the static widget):
//!
//! - **rules** set through `POST /sim/v1/faults` (listed by `GET`, cleared by
//!   `DELETE`): a path or `*` (and optionally a method), a fault kind, the
//!   share of matching requests it hits and how many times at most; of the
//!   rules matching a request, the first that fires decides;
//! - **`--faults RATE`**: that share of all API requests fails in mixed ways.
//!
//! `GET /sim/v1/faults` also counts, since the server started, the API
//! requests that could fail and the faults injected by kind, so a run under
//! faults can say how many it met.
//!
//! The kinds: `500` and `503` answer before the request is handled; `hang`
//! holds the request until the client gives up (at most [`HANG`]); `reset`
//! handles the request, then breaks the connection instead of answering —
//! the write happened but the client never learns it (the case idempotency
//! exists for); `slow` handles it after a delay ([`SLOW`]).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use axum::Json;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

/// How long a `hang` holds a request before answering 504 (by default).
pub const HANG: Duration = Duration::from_secs(30);
/// How long a `slow` request waits before it is handled (by default).
pub const SLOW: Duration = Duration::from_millis(1500);

/// A kind of failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum FaultKind {
    /// 500 Internal Server Error, before the request is handled.
    #[serde(rename = "500")]
    InternalError,
    /// 503 Service Unavailable, before the request is handled.
    #[serde(rename = "503")]
    Unavailable,
    /// No answer until the client gives up (504 after [`HANG`]).
    #[serde(rename = "hang")]
    Hang,
    /// Handled, then the connection breaks instead of the answer.
    #[serde(rename = "reset")]
    Reset,
    /// Handled after [`SLOW`].
    #[serde(rename = "slow")]
    Slow,
}

impl FaultKind {
    const ALL: [FaultKind; 5] = [
        FaultKind::InternalError,
        FaultKind::Unavailable,
        FaultKind::Hang,
        FaultKind::Reset,
        FaultKind::Slow,
    ];
}

/// The rule path that matches every API path.
pub const ANY_PATH: &str = "*";

/// A fault set through the simulator API.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FaultRule {
    /// The request path it applies to, without the query
    /// (`/api/now/wrapup/segment/update`), or `*` for every API path.
    pub path: String,
    /// The method it applies to; any method when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// What happens.
    pub kind: FaultKind,
    /// The share of matching requests hit, 0 to 1 (default 1: every one).
    #[serde(default = "always")]
    pub rate: f64,
    /// How many requests it hits at most; without it, no limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remaining: Option<u32>,
}

fn always() -> f64 {
    1.0
}

/// The body of `POST /sim/v1/faults`.
#[derive(Debug, Deserialize)]
pub struct FaultRules {
    /// Rules added to the ones in force.
    pub rules: Vec<FaultRule>,
}

/// What the injector did since the server started.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FaultCounts {
    /// API requests checked for a fault (those faults may hit).
    pub api_requests: u64,
    /// Faults injected, by kind; every kind is listed, with 0 if none.
    pub injected: BTreeMap<FaultKind, u64>,
}

impl Default for FaultCounts {
    fn default() -> Self {
        Self {
            api_requests: 0,
            injected: FaultKind::ALL.iter().map(|kind| (*kind, 0)).collect(),
        }
    }
}

/// The server's fault injector; cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    inner: Arc<Mutex<Inner>>,
}

#[derive(Debug)]
struct Inner {
    rate: f64,
    random: XorShift,
    rules: Vec<FaultRule>,
    hang: Duration,
    slow: Duration,
    counts: FaultCounts,
}

impl Default for Inner {
    fn default() -> Self {
        Self {
            rate: 0.0,
            random: XorShift::default(),
            rules: Vec::new(),
            hang: HANG,
            slow: SLOW,
            counts: FaultCounts::default(),
        }
    }
}

impl Faults {
    /// Faults for `rate` of all API requests (0: none), drawn from a
    /// generator seeded with `seed` so a run can be repeated.
    pub fn new(rate: f64, seed: u64) -> Self {
        let inner = Inner {
            rate: rate.clamp(0.0, 1.0),
            random: XorShift::new(seed),
            ..Inner::default()
        };
        Self {
            inner: Arc::new(Mutex::new(inner)),
        }
    }

    /// The same faults with other delays for `hang` and `slow` (tests use
    /// short ones, so they never wait out the real ones).
    pub fn with_delays(self, hang: Duration, slow: Duration) -> Self {
        {
            let mut inner = self.lock();
            inner.hang = hang;
            inner.slow = slow;
        }
        self
    }

    /// Adds rules; a rule's rate outside 0..=1 is refused with a reason.
    pub fn add(&self, rules: Vec<FaultRule>) -> Result<(), String> {
        if let Some(rule) = rules.iter().find(|rule| !(0.0..=1.0).contains(&rule.rate)) {
            return Err(format!(
                "rules: rate {} of {} is not between 0 and 1",
                rule.rate, rule.path
            ));
        }
        self.lock().rules.extend(rules);
        Ok(())
    }

    /// The rules in force (a rule that used up its count is gone).
    pub fn rules(&self) -> Vec<FaultRule> {
        self.lock().rules.clone()
    }

    /// The requests checked and the faults injected since the server started
    /// (clearing the rules does not reset them).
    pub fn counts(&self) -> FaultCounts {
        self.lock().counts.clone()
    }

    /// Removes every rule (the `--faults` rate stays).
    pub fn clear(&self) {
        self.lock().rules.clear();
    }

    fn delays(&self) -> (Duration, Duration) {
        let inner = self.lock();
        (inner.hang, inner.slow)
    }

    /// The fault for this request, if any, counted.
    fn draw(&self, method: &str, path: &str) -> Option<FaultKind> {
        let mut inner = self.lock();
        let Inner {
            rate,
            random,
            rules,
            counts,
            ..
        } = &mut *inner;
        counts.api_requests += 1;
        let kind = Self::choose(*rate, random, rules, method, path)?;
        *counts.injected.entry(kind).or_default() += 1;
        Some(kind)
    }

    /// The fault for a request: of the rules matching it, the first that
    /// fires; without matching rules, the `--faults` rate's draw.
    fn choose(
        rate: f64,
        random: &mut XorShift,
        rules: &mut Vec<FaultRule>,
        method: &str,
        path: &str,
    ) -> Option<FaultKind> {
        // The rules matching the request, in order: the first that fires
        // decides; if some match and none fires, the request passes (rules
        // take the place of the `--faults` rate for their paths).
        let mut matched = false;
        for index in 0..rules.len() {
            let rule = &mut rules[index];
            let applies = (rule.path == path || rule.path == ANY_PATH)
                && rule
                    .method
                    .as_deref()
                    .is_none_or(|wanted| wanted.eq_ignore_ascii_case(method));
            if !applies {
                continue;
            }
            matched = true;
            if random.chance(rule.rate) {
                let kind = rule.kind;
                if let Some(remaining) = &mut rule.remaining {
                    *remaining = remaining.saturating_sub(1);
                    if *remaining == 0 {
                        rules.remove(index);
                    }
                }
                return Some(kind);
            }
        }
        if matched {
            return None;
        }
        random
            .chance(rate)
            .then(|| FaultKind::ALL[random.below(FaultKind::ALL.len())])
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // The state is plain data, valid after any panic: keep serving.
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Whether faults may hit `path`: the APIs the widget and integrators call.
fn is_api(path: &str) -> bool {
    path.starts_with("/api/")
        || path.starts_with("/wrap-up/")
        || path.starts_with("/services/")
        || path.starts_with("/genesys/")
        || (path.starts_with("/cti/") && path.ends_with("/requests"))
}

/// The middleware: applies the drawn fault around the request.
pub async fn inject(State(faults): State<Faults>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    if !is_api(&path) {
        return next.run(request).await;
    }
    let Some(kind) = faults.draw(request.method().as_str(), &path) else {
        return next.run(request).await;
    };
    tracing::debug!(?kind, %path, "injecting a fault");
    let (hang, slow) = faults.delays();
    match kind {
        FaultKind::InternalError => injected(StatusCode::INTERNAL_SERVER_ERROR),
        FaultKind::Unavailable => injected(StatusCode::SERVICE_UNAVAILABLE),
        FaultKind::Hang => {
            tokio::time::sleep(hang).await;
            injected(StatusCode::GATEWAY_TIMEOUT)
        }
        FaultKind::Slow => {
            tokio::time::sleep(slow).await;
            next.run(request).await
        }
        FaultKind::Reset => {
            let handled = next.run(request).await;
            // A body that fails makes hyper abort the connection: the client
            // sees it break, not an answer.
            let broken = futures_util::stream::once(async {
                Err::<axum::body::Bytes, _>(std::io::Error::from(
                    std::io::ErrorKind::ConnectionReset,
                ))
            });
            let (parts, _) = handled.into_parts();
            Response::from_parts(parts, Body::from_stream(broken))
        }
    }
}

fn injected(status: StatusCode) -> Response {
    (
        status,
        Json(serde_json::json!({
            "error": { "message": "Injected fault", "detail": "fault injection is on (--faults or /sim/v1/faults)" },
            "status": "failure"
        })),
    )
        .into_response()
}

/// A small, seedable generator (xorshift64*): fault draws need to be
/// repeatable, not cryptographic.
#[derive(Debug)]
struct XorShift(u64);

impl Default for XorShift {
    fn default() -> Self {
        Self::new(0)
    }
}

impl XorShift {
    fn new(seed: u64) -> Self {
        // Zero is the one state xorshift never leaves.
        Self(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// True with probability `rate`.
    fn chance(&mut self, rate: f64) -> bool {
        // The top 53 bits as a fraction in [0, 1).
        let fraction = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        rate > 0.0 && fraction < rate
    }

    /// A number below `bound`.
    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound as u64) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rate_is_roughly_kept_and_repeatable() {
        let draws = |seed| {
            let faults = Faults::new(0.3, seed);
            (0..10_000)
                .filter(|_| {
                    faults
                        .draw("PUT", "/api/now/wrapup/segment/update")
                        .is_some()
                })
                .count()
        };
        let hits = draws(7);
        assert!((2_700..3_300).contains(&hits), "{hits} of 10000");
        assert_eq!(draws(7), hits);
    }

    #[test]
    fn no_rate_no_faults() {
        let faults = Faults::new(0.0, 1);
        assert!((0..1_000).all(|_| faults.draw("GET", "/api/now/wrapup/code/x").is_none()));
    }

    #[test]
    fn rules_for_any_path_mix_kinds_in_their_shares() {
        let faults = Faults::new(0.0, 7);
        let rule = |kind, rate| FaultRule {
            path: ANY_PATH.to_owned(),
            method: None,
            kind,
            rate,
            remaining: None,
        };
        faults
            .add(vec![
                rule(FaultKind::InternalError, 0.2),
                rule(FaultKind::Reset, 0.25),
            ])
            .unwrap();
        let draws: Vec<_> = (0..10_000)
            .map(|index| faults.draw("PUT", &format!("/api/now/wrapup/segment/{index}")))
            .collect();
        let count = |kind| draws.iter().filter(|draw| **draw == Some(kind)).count();
        // 20 % of all; 25 % of the remaining 80 %.
        assert!((1_800..2_200).contains(&count(FaultKind::InternalError)));
        assert!((1_800..2_200).contains(&count(FaultKind::Reset)));
        assert_eq!(count(FaultKind::Unavailable), 0);
    }

    #[test]
    fn a_rule_with_a_count_is_used_up() {
        let faults = Faults::new(0.0, 1);
        faults
            .add(vec![FaultRule {
                path: "/wrap-up/extend".to_owned(),
                method: Some("POST".to_owned()),
                kind: FaultKind::Unavailable,
                rate: 1.0,
                remaining: Some(2),
            }])
            .unwrap();
        assert_eq!(faults.draw("GET", "/wrap-up/extend"), None, "other method");
        assert_eq!(
            faults.draw("POST", "/wrap-up/extend"),
            Some(FaultKind::Unavailable)
        );
        assert_eq!(
            faults.draw("post", "/wrap-up/extend"),
            Some(FaultKind::Unavailable)
        );
        assert_eq!(faults.draw("POST", "/wrap-up/extend"), None);
        assert!(faults.rules().is_empty());
    }

    #[test]
    fn requests_and_faults_are_counted_by_kind() {
        let faults = Faults::new(0.0, 1);
        faults
            .add(vec![FaultRule {
                path: ANY_PATH.to_owned(),
                method: None,
                kind: FaultKind::Reset,
                rate: 1.0,
                remaining: Some(2),
            }])
            .unwrap();
        for _ in 0..3 {
            faults.draw("PUT", "/api/now/wrapup/segment/update");
        }
        faults.clear();
        let counts = faults.counts();
        assert_eq!(counts.api_requests, 3);
        assert_eq!(counts.injected[&FaultKind::Reset], 2);
        assert_eq!(counts.injected[&FaultKind::Hang], 0);
        assert_eq!(
            serde_json::to_value(&counts).unwrap()["injected"],
            serde_json::json!({"500": 0, "503": 0, "hang": 0, "reset": 2, "slow": 0})
        );
    }

    #[test]
    fn rates_outside_zero_to_one_are_refused() {
        let faults = Faults::default();
        let rule = FaultRule {
            path: "/x".to_owned(),
            method: None,
            kind: FaultKind::Slow,
            rate: 1.5,
            remaining: None,
        };
        assert!(faults.add(vec![rule]).unwrap_err().contains("rate 1.5"));
    }

    #[test]
    fn only_api_paths_can_fail() {
        assert!(is_api("/api/now/wrapup/segment/update"));
        assert!(is_api("/cti/v1/agents/a/requests"));
        assert!(!is_api("/cti/v1/agents/a/events"));
        assert!(!is_api("/sim/v1/faults"));
        assert!(!is_api("/healthz"));
    }
}
