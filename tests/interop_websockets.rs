// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! Interop with python-websockets, a real permessage-deflate peer: our tokio client against its
//! server and its client against our tokio server, over the RFC 7692 parameter combinations both
//! sides accept, with text and binary messages from empty to 1 MiB. Each case checks the
//! negotiated parameters on both sides (our extension's params, the response header, and
//! python-websockets' own `PerMessageDeflate` state) and every echo byte for byte.
//!
//! The peer is tests/interop/peer.py in the venv that tests/interop/setup-venv.sh makes
//! (`build/.venv-interop`). The tests are `#[ignore]`d in a plain `cargo test` and run by
//! tests/interop/run.sh (the test command's `interop` step), which makes the venv first:
//! `cargo test --test interop_websockets -- --ignored`. Without the venv they fail, unless
//! `RSWS_INTEROP_SKIP_IF_MISSING=1` asks them to skip (loudly).

#[path = "interop/cases.rs"]
mod cases;
#[path = "interop/peer.rs"]
mod peer;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use cases::{Bits, Outcome, Params, Step};
use peer::{ClientCase, PythonServer};
use rswebsockets::handshake::{ClientOptions, ServerOptions};
use rswebsockets::tokio::{
    accept_with, connect_with, AcceptOptions, ConnectOptions, Message, WebSocket,
};
use tokio::net::{TcpListener, TcpStream};

const CASE_TIMEOUT: Duration = Duration::from_secs(120);
const NEGOTIATED: &str = "__negotiated__";

/// One interop case: the client's offer, the server's limits, the messages.
struct Case {
    id: String,
    offer: Params,
    limits: Params,
    /// Our client also offers a plain `permessage-deflate; client_max_window_bits`.
    fallback: bool,
    script: Vec<Step>,
}

impl Case {
    fn new(id: String, offer: Params, limits: Params, script: Vec<Step>) -> Case {
        Case {
            id,
            offer,
            limits,
            fallback: false,
            script,
        }
    }

    fn describe(&self) -> String {
        format!(
            "case {} (offer {}{}, server limits {})",
            self.id,
            self.offer.label(),
            if self.fallback { " + fallback" } else { "" },
            self.limits.label()
        )
    }
}

/// Prints the count and fails with the first failures.
fn report(test: &str, total: usize, failures: Vec<String>) {
    let failed = failures.len();
    println!(
        "interop {test}: {} cases passed, {failed} failed",
        total - failed
    );
    if failed > 0 {
        let shown: Vec<&String> = failures.iter().take(15).collect();
        panic!("{failed} of {total} interop cases failed:\n{shown:#?}");
    }
}

fn header_value(headers: &[(String, String)]) -> Option<&str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("sec-websocket-extensions"))
        .map(|(_, v)| v.as_str())
}

/// Our negotiated extensions, as `(name, sorted params)`.
fn our_extensions<S>(ws: &WebSocket<S>) -> Vec<(String, Vec<String>)>
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    ws.connection()
        .extensions()
        .iter()
        .map(|e| {
            let mut params: Vec<String> = e
                .params()
                .into_iter()
                .map(|(n, v)| match v {
                    Some(v) => format!("{n}={v}"),
                    None => n,
                })
                .collect();
            params.sort();
            (e.name().to_string(), params)
        })
        .collect()
}

fn expect_extensions(outcome: Outcome) -> Vec<(String, Vec<String>)> {
    match outcome {
        Outcome::Deflate(response) => vec![("permessage-deflate".to_string(), response.to_list())],
        _ => Vec::new(),
    }
}

async fn recv_data<S>(ws: &mut WebSocket<S>) -> Result<Message, String>
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    loop {
        match ws.recv().await {
            Some(Ok(m @ (Message::Text(_) | Message::Binary(_)))) => return Ok(m),
            Some(Ok(Message::Close(frame))) => return Err(format!("peer closed: {frame:?}")),
            Some(Ok(_)) => continue,
            Some(Err(e)) => return Err(format!("receive failed: {e}")),
            None => return Err("connection ended".to_string()),
        }
    }
}

fn describe(m: &Message) -> String {
    match m {
        Message::Text(t) => format!("text of {} bytes", t.len()),
        Message::Binary(b) => format!("binary of {} bytes", b.len()),
        other => format!("{other:?}"),
    }
}

// ---- our client against the python-websockets server ----

/// What python-websockets' server answers our client, with the offer it answered.
fn python_server_outcome(case: &Case) -> (Params, Outcome) {
    match cases::python_server_answer(case.offer, case.limits) {
        Some(response) => (case.offer, Outcome::Deflate(response)),
        None if case.fallback => {
            let plain = Params {
                cmwb: Bits::Bare,
                ..Params::NONE
            };
            let response = cases::python_server_answer(plain, case.limits)
                .expect("the plain offer is always accepted");
            (plain, Outcome::Deflate(response))
        }
        None => (case.offer, Outcome::NoDeflate),
    }
}

async fn rust_client_case(port: u16, case: &Case) -> Result<(), String> {
    let (answered, outcome) = python_server_outcome(case);
    let stream = TcpStream::connect(("127.0.0.1", port))
        .await
        .map_err(|e| format!("connect: {e}"))?;
    stream.set_nodelay(true).map_err(|e| e.to_string())?;
    let options = ConnectOptions {
        handshake: ClientOptions {
            extensions: vec![Arc::new(case.offer.deflate_config(case.fallback))],
            ..ClientOptions::default()
        },
        ..ConnectOptions::default()
    };
    let url = format!("ws://127.0.0.1:{port}/case/{}", case.id);
    let mut ws = connect_with(stream, &url, options)
        .await
        .map_err(|e| format!("handshake failed: {e}"))?;

    // Our view: the negotiated extension and the response header.
    let expected = expect_extensions(outcome);
    let ours = our_extensions(&ws);
    if ours != expected {
        return Err(format!("we negotiated {ours:?}, expected {expected:?}"));
    }
    let header = header_value(ws.response_headers()).and_then(cases::parse_header);
    if header.as_ref() != expected.first().map(|(_, p)| p) {
        return Err(format!("response header {header:?}, expected {expected:?}"));
    }

    // python-websockets' view.
    ws.send(Message::text(NEGOTIATED))
        .await
        .map_err(|e| e.to_string())?;
    let Message::Text(reply) = recv_data(&mut ws).await? else {
        return Err("the negotiation report was not text".to_string());
    };
    let (state, their_header) = reply.split_once('\t').unwrap_or((&reply, "-"));
    let want_state = match outcome {
        Outcome::Deflate(response) => cases::python_view(cases::agreed(answered, response), true),
        _ => "none".to_string(),
    };
    if state != want_state || cases::parse_header(their_header) != header {
        return Err(format!(
            "python-websockets holds {state} / {their_header:?}, expected {want_state} / {header:?}"
        ));
    }

    for (index, step) in case.script.iter().enumerate() {
        let sent = cases::payload(*step, index);
        ws.send(sent.clone())
            .await
            .map_err(|e| format!("message {index}: send failed: {e}"))?;
        let got = recv_data(&mut ws)
            .await
            .map_err(|e| format!("message {index} ({step:?}): {e}"))?;
        if got != sent {
            return Err(format!(
                "message {index} ({step:?}) came back as {}",
                describe(&got)
            ));
        }
    }
    ws.close(1000, "").await.map_err(|e| e.to_string())?;
    loop {
        match ws.recv().await {
            Some(Ok(Message::Close(Some(frame)))) if frame.code == 1000 => {}
            Some(Ok(Message::Close(frame))) => return Err(format!("closed with {frame:?}")),
            Some(Ok(_)) => {}
            Some(Err(e)) => return Err(format!("closing: {e}")),
            None => return Ok(()),
        }
    }
}

/// Runs `cases` with our client against one python-websockets server per distinct limit set.
async fn run_rust_client(python: &PathBuf, test: &str, cases: Vec<Case>) {
    let mut limit_sets: Vec<Params> = Vec::new();
    for case in &cases {
        if !limit_sets.contains(&case.limits) {
            limit_sets.push(case.limits);
        }
    }
    let configs: Vec<(String, Option<String>)> = limit_sets
        .iter()
        .enumerate()
        .map(|(i, l)| (format!("L{i}"), Some(l.python_json())))
        .collect();
    let server = PythonServer::start(python, &configs);
    let mut failures = Vec::new();
    for case in &cases {
        let index = limit_sets.iter().position(|l| *l == case.limits).unwrap();
        let port = server.port(&format!("L{index}"));
        let result = tokio::time::timeout(CASE_TIMEOUT, rust_client_case(port, case))
            .await
            .unwrap_or_else(|_| Err(format!("timed out after {CASE_TIMEOUT:?}")));
        if let Err(why) = result {
            failures.push(format!("{}: {why}", case.describe()));
        }
    }
    report(test, cases.len(), failures);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs python-websockets: tests/interop/run.sh (the test command's interop step)"]
async fn rust_client_python_server_every_offer() {
    let Some(python) = peer::python() else { return };
    // Every offer our client can make (360), against python-websockets without limits.
    let offers = cases::all_offers(&cases::server_bits_values(), &cases::client_bits_values(8));
    let cases = offers
        .into_iter()
        .enumerate()
        .map(|(i, offer)| Case::new(format!("o{i}"), offer, Params::NONE, cases::short_script()))
        .collect();
    run_rust_client(&python, "rust client -> python server, every offer", cases).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs python-websockets: tests/interop/run.sh (the test command's interop step)"]
async fn rust_client_python_server_every_server_limit() {
    let Some(python) = peer::python() else { return };
    // Every limit python-websockets' server accepts (its own window 9..15, the client's
    // 8..15, both flags), against four offers.
    let offers = [
        Params {
            cmwb: Bits::Bare,
            ..Params::NONE
        },
        Params::NONE,
        Params {
            smwb: Some(12),
            cmwb: Bits::Max(11),
            ..Params::NONE
        },
        Params {
            snct: true,
            cnct: true,
            smwb: Some(9),
            cmwb: Bits::Max(9),
        },
    ];
    let mut cases = Vec::new();
    for limits in cases::server_limit_sets(9, 8) {
        for offer in offers {
            let id = format!("l{}", cases.len());
            cases.push(Case::new(id, offer, limits, cases::short_script()));
        }
    }
    run_rust_client(
        &python,
        "rust client -> python server, every server limit",
        cases,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs python-websockets: tests/interop/run.sh (the test command's interop step)"]
async fn rust_client_python_server_every_size() {
    let Some(python) = peer::python() else { return };
    // A covering set (every window value of the offer at least once, both flags), each with
    // every message size, kind and content. python-websockets declines a server window of 8,
    // so that case also offers the plain fallback, which it then accepts.
    let offers =
        cases::covering_offers(&cases::server_bits_values(), &cases::client_bits_values(8));
    let cases = offers
        .into_iter()
        .enumerate()
        .map(|(i, offer)| {
            let mut case = Case::new(format!("s{i}"), offer, Params::NONE, cases::full_script());
            case.fallback = offer.smwb == Some(8);
            case
        })
        .collect();
    run_rust_client(&python, "rust client -> python server, every size", cases).await;
}

// ---- the python-websockets client against our server ----

/// What our server saw of one case.
#[derive(Debug, Default, Clone)]
struct Seen {
    extensions: Vec<(String, Vec<String>)>,
    echoed: usize,
    error: Option<String>,
}

type SeenMap = Arc<Mutex<HashMap<String, Seen>>>;

async fn serve_one(stream: TcpStream, limits: Params, seen: SeenMap) {
    let _ = stream.set_nodelay(true);
    let options = AcceptOptions {
        handshake: ServerOptions {
            extensions: vec![Arc::new(limits.deflate_config(false))],
            ..ServerOptions::default()
        },
        ..AcceptOptions::default()
    };
    let Ok(mut ws) = accept_with(stream, options).await else {
        return;
    };
    let id = ws
        .request()
        .and_then(|r| r.path().strip_prefix("/case/").map(str::to_string))
        .unwrap_or_default();
    let record = |f: &dyn Fn(&mut Seen)| f(seen.lock().unwrap().entry(id.clone()).or_default());
    let extensions = our_extensions(&ws);
    record(&|s| s.extensions = extensions.clone());
    while let Some(item) = ws.recv().await {
        match item {
            Ok(m @ (Message::Text(_) | Message::Binary(_))) => {
                if let Err(e) = ws.send(m).await {
                    record(&|s| s.error = Some(format!("send failed: {e}")));
                }
                record(&|s| s.echoed += 1);
            }
            Ok(_) => {}
            Err(e) => record(&|s| s.error = Some(e.to_string())),
        }
    }
}

async fn start_rust_server(limits: Params, seen: SeenMap) -> u16 {
    let listener = TcpListener::bind(("127.0.0.1", 0)).await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(serve_one(stream, limits, seen.clone()));
        }
    });
    port
}

fn check_python_client_case(
    case: &Case,
    r: Option<&peer::ClientResult>,
    s: Option<&Seen>,
) -> Result<(), String> {
    let r = r.ok_or("no result line from peer.py")?;
    let response = cases::our_server_answer(case.offer, case.limits);
    let outcome = cases::python_client_outcome(response);
    let s = s.ok_or_else(|| format!("our server never saw the case (python: {})", r.error))?;
    // Our server answers the same way whether or not the client then refuses the answer.
    let ours_expected = expect_extensions(Outcome::Deflate(response));
    if s.extensions != ours_expected {
        return Err(format!(
            "we negotiated {:?}, expected {ours_expected:?}",
            s.extensions
        ));
    }
    match outcome {
        Outcome::Refused => {
            if r.ok || !r.error.contains("client_max_window_bits") {
                return Err(format!(
                    "python-websockets should refuse client_max_window_bits=8; ok={} error={:?}",
                    r.ok, r.error
                ));
            }
            Ok(())
        }
        _ => {
            if !r.ok {
                return Err(format!("python-websockets client failed: {}", r.error));
            }
            let want = cases::python_view(cases::agreed(case.offer, response), false);
            let header = cases::parse_header(&r.header);
            if r.deflate != want || header != Some(response.to_list()) {
                return Err(format!(
                    "python-websockets holds {} / {:?}, expected {want} / {:?}",
                    r.deflate,
                    r.header,
                    response.to_list()
                ));
            }
            if r.echoed != case.script.len() || s.echoed != case.script.len() {
                return Err(format!(
                    "{} of {} messages echoed (our server echoed {})",
                    r.echoed,
                    case.script.len(),
                    s.echoed
                ));
            }
            match &s.error {
                Some(e) => Err(format!("our server: {e}")),
                None => Ok(()),
            }
        }
    }
}

/// Runs `cases` with python-websockets' client against one server of ours per limit set.
async fn run_python_client(python: &PathBuf, test: &str, cases: Vec<Case>) {
    let seen: SeenMap = Arc::default();
    let mut ports: Vec<(Params, u16)> = Vec::new();
    for case in &cases {
        if !ports.iter().any(|(l, _)| *l == case.limits) {
            let port = start_rust_server(case.limits, seen.clone()).await;
            ports.push((case.limits, port));
        }
    }
    let client_cases: Vec<ClientCase> = cases
        .iter()
        .map(|c| {
            let port = ports.iter().find(|(l, _)| *l == c.limits).unwrap().1;
            ClientCase {
                id: c.id.clone(),
                url: format!("ws://127.0.0.1:{port}"),
                config: Some(c.offer.python_json()),
                script_json: cases::script_json(&c.script),
            }
        })
        .collect();
    let budget = CASE_TIMEOUT * 2 + Duration::from_secs(3) * cases.len() as u32;
    let results = peer::run_client(python, &client_cases, budget).await;
    // Let our server tasks record the end of the last connections.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let seen = seen.lock().unwrap().clone();
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|c| {
            check_python_client_case(c, results.get(&c.id), seen.get(&c.id))
                .err()
                .map(|why| format!("{}: {why}", c.describe()))
        })
        .collect();
    report(test, cases.len(), failures);
}

/// The values of `client_max_window_bits` python-websockets' client can offer (not 8).
fn python_client_bits() -> Vec<Bits> {
    cases::client_bits_values(9)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs python-websockets: tests/interop/run.sh (the test command's interop step)"]
async fn python_client_rust_server_every_offer() {
    let Some(python) = peer::python() else { return };
    // Every offer python-websockets' client can make (324), against our server without limits.
    let offers = cases::all_offers(&cases::server_bits_values(), &python_client_bits());
    let cases = offers
        .into_iter()
        .enumerate()
        .map(|(i, offer)| Case::new(format!("o{i}"), offer, Params::NONE, cases::short_script()))
        .collect();
    run_python_client(&python, "python client -> rust server, every offer", cases).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs python-websockets: tests/interop/run.sh (the test command's interop step)"]
async fn python_client_rust_server_every_server_limit() {
    let Some(python) = peer::python() else { return };
    // Every limit our server takes (both windows 8..15, both flags) against four offers. A
    // client window limited to 8 is refused by python-websockets: that case checks the refusal.
    let offers = [
        Params {
            cmwb: Bits::Bare,
            ..Params::NONE
        },
        Params::NONE,
        Params {
            smwb: Some(12),
            cmwb: Bits::Max(11),
            ..Params::NONE
        },
        Params {
            snct: true,
            cnct: true,
            smwb: Some(8),
            cmwb: Bits::Max(9),
        },
    ];
    let mut cases = Vec::new();
    for limits in cases::server_limit_sets(8, 8) {
        for offer in offers {
            let id = format!("l{}", cases.len());
            cases.push(Case::new(id, offer, limits, cases::short_script()));
        }
    }
    run_python_client(
        &python,
        "python client -> rust server, every server limit",
        cases,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs python-websockets: tests/interop/run.sh (the test command's interop step)"]
async fn python_client_rust_server_every_size() {
    let Some(python) = peer::python() else { return };
    // A covering set (every window value python-websockets' client offers, both flags), each
    // with every message size, kind and content.
    let offers = cases::covering_offers(&cases::server_bits_values(), &python_client_bits());
    let cases = offers
        .into_iter()
        .enumerate()
        .map(|(i, offer)| Case::new(format!("s{i}"), offer, Params::NONE, cases::full_script()))
        .collect();
    run_python_client(&python, "python client -> rust server, every size", cases).await;
}
