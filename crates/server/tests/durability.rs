//! Durability: the real server binary killed with SIGKILL in the middle of a
//! load of wrap-up updates, ten times over one SQLite file. Every update it
//! acknowledged must be in the database after a restart.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::binary::BinaryServer;
use serde_json::Value;

const AGENT: &str = "123412345678567890ab90abcdefcdef";
const ROUNDS: usize = 10;
const SEGMENTS_PER_ROUND: usize = 60;
const WORKERS: usize = 8;

async fn create_segment(client: &reqwest::Client, base: &str, name: &str) -> String {
    let body = serde_json::json!({
        "agent_sys_id": AGENT,
        "interaction_sys_id": name,
        "external": "true",
        "external_segment_id": name,
        "configuration": {
            "enable_codes": true,
            "allowed_codes": [{ "code": "Billing Issue" }, { "code": "Store Issue" }],
            "default_code": "Billing Issue",
            "duration": "30",
            "show_timer": true
        },
        "opened_on": "2026-01-01 09:00:00"
    });
    let response = client
        .post(format!("{base}/api/now/wrapup/segment/create"))
        .basic_auth("admin", Some("admin"))
        .json(&body)
        .send()
        .await
        .expect("segment/create");
    assert_eq!(response.status(), 200);
    let answer: Value = response.json().await.expect("JSON");
    answer["sys_id"].as_str().expect("sys_id").to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_acknowledged_update_survives_sigkill() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let db = dir.path().join("wrapup.sqlite");
    let client = reqwest::Client::new();
    let mut acknowledged: Vec<(String, String)> = Vec::new();

    for round in 0..ROUNDS {
        let server = BinaryServer::demo(&db).await;
        let base = server.base.clone();
        let mut segments = Vec::new();
        for index in 0..SEGMENTS_PER_ROUND {
            segments.push(create_segment(&client, &base, &format!("kill-{round}-{index}")).await);
        }
        let segments = Arc::new(segments);
        let next = Arc::new(AtomicUsize::new(0));
        let (acks, mut acked) = tokio::sync::mpsc::unbounded_channel::<(String, String)>();
        let workers: Vec<_> = (0..WORKERS)
            .map(|_| {
                let (client, base, segments, next, acks) = (
                    client.clone(),
                    base.clone(),
                    Arc::clone(&segments),
                    Arc::clone(&next),
                    acks.clone(),
                );
                tokio::spawn(async move {
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some(sys_id) = segments.get(index) else {
                            return;
                        };
                        let notes = format!("round {round}, update {index}");
                        let sent = client
                            .put(format!(
                                "{base}/api/now/wrapup/segment/update?segment_sys_id={sys_id}"
                            ))
                            .basic_auth("admin", Some("admin"))
                            .json(&serde_json::json!({
                                "wrap_up_code": "Store Issue",
                                "notes": notes,
                                "confirmed_on": "2026-01-01 09:00:20"
                            }))
                            .send()
                            .await;
                        match sent {
                            Ok(response) if response.status() == 200 => {
                                let _ = acks.send((sys_id.clone(), notes));
                            }
                            // After the kill every request fails: the worker is done.
                            _ => return,
                        }
                    }
                })
            })
            .collect();
        drop(acks);
        // Kill at a different point each round, with requests in flight.
        let kill_after = 10 + round * 4;
        let mut this_round = 0;
        while this_round < kill_after {
            let ack = acked.recv().await.expect("the load runs until the kill");
            acknowledged.push(ack);
            this_round += 1;
        }
        server.kill();
        for worker in workers {
            worker.await.expect("worker");
        }
        // Answers that arrived before the kill count as acknowledged too.
        while let Ok(ack) = acked.try_recv() {
            acknowledged.push(ack);
        }
    }

    let server = BinaryServer::demo(&db).await;
    for (sys_id, notes) in &acknowledged {
        let answer: Value = client
            .get(format!("{}/api/now/wrapup/segment/{sys_id}", server.base))
            .basic_auth("admin", Some("admin"))
            .send()
            .await
            .expect("GET segment")
            .json()
            .await
            .expect("JSON");
        let segment = &answer["segment"];
        assert_eq!(segment["state"], "closed", "{sys_id} lost its update");
        assert_eq!(segment["notes"], notes.as_str(), "{sys_id}");
        assert_eq!(segment["code"]["code"], "Store Issue", "{sys_id}");
    }
    assert!(acknowledged.len() >= ROUNDS * 10);
    server.kill();
}
