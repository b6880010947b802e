// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! Runs every case of an Autobahn|Testsuite fuzzingserver with the tokio client: asks for
//! `/getCaseCount`, echoes every message of `/runCase?case=N&agent=AGENT` for each case, then
//! asks for `/updateReports?agent=AGENT`. Used by `scripts/autobahn.sh`.
//!
//! ```text
//! cargo run --release --example autobahn_client -- ws://127.0.0.1:9001 AGENT [--no-deflate] [--cases 1,5-7]
//! ```
//! The client offers permessage-deflate unless `--no-deflate` is given. `--cases` runs only
//! the listed case numbers (as counted by the fuzzingserver).

use std::sync::Arc;
use std::time::Duration;

use rswebsockets::extension::DeflateConfig;
use rswebsockets::handshake::WsUrl;
use rswebsockets::tokio::{connect_with, ConnectOptions, Message, WebSocket};
use rswebsockets::Config;
use tokio::net::TcpStream;

/// A stuck case is abandoned after this long so that the run always ends. Longer than the
/// suite's own limit (480 s): on a busy machine the big compressed cases (12.3.16, 12.3.17)
/// take two minutes against the Python fuzzingserver.
const CASE_TIMEOUT: Duration = Duration::from_secs(600);

fn options(deflate: bool) -> ConnectOptions {
    let mut options = ConnectOptions {
        config: Config {
            max_frame_size: 64 << 20,
            max_message_size: 64 << 20,
            ..Config::default()
        },
        ..ConnectOptions::default()
    };
    if deflate {
        options
            .handshake
            .extensions
            .push(Arc::new(DeflateConfig::new()));
    }
    options
}

async fn open(
    url: &str,
    options: ConnectOptions,
) -> rswebsockets::tokio::Result<WebSocket<TcpStream>> {
    let parsed = WsUrl::parse(url).map_err(rswebsockets::HandshakeError::from)?;
    let stream = TcpStream::connect((parsed.host.as_str(), parsed.port)).await?;
    stream.set_nodelay(true)?;
    connect_with(stream, url, options).await
}

/// Echoes data messages until the connection ends; returns the first text message seen.
async fn echo(ws: &mut WebSocket<TcpStream>, echo_back: bool) -> Option<String> {
    let mut first_text = None;
    while let Some(item) = ws.recv().await {
        match item {
            Ok(Message::Text(text)) => {
                if first_text.is_none() {
                    first_text = Some(text.clone());
                }
                if echo_back {
                    let _ = ws.send(Message::Text(text)).await;
                }
            }
            Ok(message @ Message::Binary(_)) if echo_back => {
                let _ = ws.send(message).await;
            }
            _ => {}
        }
    }
    first_text
}

/// Parses `1,5-7` into case numbers.
fn parse_cases(spec: &str) -> Vec<u32> {
    let mut cases = Vec::new();
    for part in spec.split(',').filter(|p| !p.is_empty()) {
        match part.split_once('-') {
            Some((a, b)) => cases.extend(a.parse::<u32>().unwrap()..=b.parse::<u32>().unwrap()),
            None => cases.push(part.parse().unwrap()),
        }
    }
    cases
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let positional: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let base = positional
        .first()
        .map_or("ws://127.0.0.1:9001", |s| s.as_str());
    let base = base.trim_end_matches('/').to_owned();
    let agent = positional
        .get(1)
        .map_or("rswebsockets", |s| s.as_str())
        .to_owned();
    let deflate = !args.iter().any(|a| a == "--no-deflate");
    let only = args
        .iter()
        .position(|a| a == "--cases")
        .and_then(|i| args.get(i + 1))
        .map(|s| parse_cases(s));

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(async move {
        let count_url = format!("{base}/getCaseCount");
        let count = match open(&count_url, options(false)).await {
            Ok(mut ws) => echo(&mut ws, false)
                .await
                .and_then(|t| t.trim().parse::<u32>().ok()),
            Err(e) => {
                eprintln!("cannot reach the fuzzingserver at {count_url}: {e}");
                std::process::exit(1);
            }
        };
        let Some(count) = count else {
            eprintln!("no case count from {count_url}");
            std::process::exit(1);
        };
        let cases = only.unwrap_or_else(|| (1..=count).collect());
        eprintln!(
            "running {} of {count} cases as agent {agent:?}",
            cases.len()
        );
        for case in cases {
            let url = format!("{base}/runCase?case={case}&agent={agent}");
            let run = async {
                match open(&url, options(deflate)).await {
                    Ok(mut ws) => {
                        echo(&mut ws, true).await;
                    }
                    Err(e) => eprintln!("case {case}: {e}"),
                }
            };
            if tokio::time::timeout(CASE_TIMEOUT, run).await.is_err() {
                eprintln!("case {case}: abandoned after {CASE_TIMEOUT:?}");
            }
        }
        let report_url = format!("{base}/updateReports?agent={agent}");
        match open(&report_url, options(false)).await {
            Ok(mut ws) => {
                echo(&mut ws, false).await;
            }
            Err(e) => {
                eprintln!("updateReports failed: {e}");
                std::process::exit(1);
            }
        }
    });
}
