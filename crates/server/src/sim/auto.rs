//! `"auto": true` calls: the whole lifecycle on tokio timers, for demos.
//! Tests never use it; they drive calls by HTTP.

use std::time::Duration;

use crate::AppState;

/// Connects after 2 s, hangs up after 10 s more; the wrap-up then ends by
/// submission or by its deadline (the background tick).
pub fn run(state: AppState, id: String) {
    tokio::spawn(async move {
        for (pause, action) in [(2, "connect"), (10, "hangup")] {
            tokio::time::sleep(Duration::from_secs(pause)).await;
            match super::calls::transition(&state, &id, action).await {
                Ok(Ok(_)) => {}
                // The call was driven by hand meanwhile: stop.
                Ok(Err(_)) => return,
                Err(error) => {
                    tracing::warn!(%error, call = %id, "auto call stopped");
                    return;
                }
            }
        }
    });
}
