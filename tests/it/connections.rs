//! Connections that cannot wear the server down: a client that trickles its request head, or
//! sends nothing, is cut off after `HEADER_READ_TIMEOUT_SECONDS`, and at most `MAX_CONNECTIONS`
//! are served at once while the next clients wait their turn, of which one address holds at most
//! `MAX_CONNECTIONS_PER_ADDRESS`. The database plays no part, so
//! these run on SQLite only.

use std::time::Duration;

use crate::common::{spawn_app_with, Backend, TestApp};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

async fn connect(app: &TestApp) -> TcpStream {
    let address = app.base.trim_start_matches("http://");
    TcpStream::connect(address).await.expect("connect")
}

/// Reads until the server closes the connection; what it sent.
async fn read_to_close(stream: &mut TcpStream) -> String {
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer).await;
    String::from_utf8_lossy(&answer).into_owned()
}

const REQUEST: &[u8] = b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_trickles_its_request_is_cut_off() {
    let app = spawn_app_with(
        Backend::Sqlite,
        &[("HEADER_READ_TIMEOUT_SECONDS", "1".into())],
    )
    .await;
    let mut slow = connect(&app).await;
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: loc")
        .await
        .expect("write");
    // Closed by the server (not by this test's limit), with at most a 408 and no page.
    let answer = tokio::time::timeout(Duration::from_secs(10), read_to_close(&mut slow))
        .await
        .expect("the server should close a connection whose request head never ends");
    assert!(!answer.contains("200 OK"), "{answer}");
    // One that opens and says nothing is closed too.
    let mut silent = connect(&app).await;
    tokio::time::timeout(Duration::from_secs(10), read_to_close(&mut silent))
        .await
        .expect("the server should close a connection that sends nothing");
    // Everyone else is served as usual.
    let status = app.raw.get(app.url("/healthz")).send().await.expect("get");
    assert!(status.status().is_success());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_the_connection_cap_the_next_client_waits_its_turn() {
    let app = spawn_app_with(
        Backend::Sqlite,
        &[
            ("MAX_CONNECTIONS", "2".into()),
            ("HEADER_READ_TIMEOUT_SECONDS", "3".into()),
        ],
    )
    .await;
    // Two clients that hold a connection and say nothing take both places.
    let mut holders = vec![connect(&app).await, connect(&app).await];
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut next = connect(&app).await;
    next.write_all(REQUEST).await.expect("write");
    let mut first = [0u8; 1];
    let early = tokio::time::timeout(Duration::from_secs(1), next.read(&mut first)).await;
    assert!(
        early.is_err(),
        "a third connection was served beyond the cap"
    );
    // When a place frees (here: a holder leaves), the waiting client is answered.
    holders.pop();
    let answer = tokio::time::timeout(Duration::from_secs(10), read_to_close(&mut next))
        .await
        .expect("the waiting client should be served once a place is free");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    drop(holders);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_address_cannot_hold_every_connection() {
    let app = spawn_app_with(
        Backend::Sqlite,
        &[
            ("MAX_CONNECTIONS", "8".into()),
            ("MAX_CONNECTIONS_PER_ADDRESS", "2".into()),
            ("HEADER_READ_TIMEOUT_SECONDS", "5".into()),
        ],
    )
    .await;
    // One host holds its two places with connections that say nothing…
    let holders = vec![connect(&app).await, connect(&app).await];
    tokio::time::sleep(Duration::from_millis(200)).await;
    // …and a third from the same address is closed at once, unanswered, instead of waiting.
    let mut third = connect(&app).await;
    let _ = third.write_all(REQUEST).await;
    let answer = tokio::time::timeout(Duration::from_secs(2), read_to_close(&mut third))
        .await
        .expect("a connection over the address's share should be closed at once");
    assert!(answer.is_empty(), "{answer}");
    // The global places it did not take stay free: once one of its own ends, the same host is
    // served again.
    drop(holders);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut again = connect(&app).await;
    again.write_all(REQUEST).await.expect("write");
    let answer = tokio::time::timeout(Duration::from_secs(10), read_to_close(&mut again))
        .await
        .expect("served");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}
