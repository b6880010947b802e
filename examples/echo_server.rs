// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! A WebSocket echo server on the tokio transport: every text message comes back as text,
//! every binary message as binary. One thread (a `current_thread` runtime), one task per
//! connection. Used by the Autobahn server tests (`scripts/autobahn.sh`) and the echo
//! comparison (`benches/compare.sh`).
//!
//! ```text
//! cargo run --release --example echo_server -- --port 9001 [--host 127.0.0.1] [--deflate]
//!     [--deflate-level 0-9] [--verbose]
//! ```
//! `--deflate` accepts permessage-deflate offers with `DeflateConfig::new()` (`--deflate-level`
//! overrides its zlib level). Messages and frames up to 64 MiB are
//! accepted (Autobahn 9.* sends 16 MiB ones).

use std::sync::Arc;
use std::time::Duration;

use rswebsockets::extension::DeflateConfig;
use rswebsockets::tokio::{accept_with, AcceptOptions, Message};
use rswebsockets::Config;
use tokio::net::{TcpListener, TcpStream};

const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

struct Args {
    host: String,
    port: u16,
    deflate: bool,
    deflate_level: Option<u8>,
    verbose: bool,
}

fn parse_args() -> Args {
    let mut args = Args {
        host: "127.0.0.1".into(),
        port: 9001,
        deflate: false,
        deflate_level: None,
        verbose: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--port" => {
                args.port = it
                    .next()
                    .and_then(|p| p.parse().ok())
                    .unwrap_or_else(|| usage())
            }
            "--host" => args.host = it.next().unwrap_or_else(|| usage()),
            "--deflate" => args.deflate = true,
            "--deflate-level" => {
                args.deflate = true;
                args.deflate_level = Some(
                    it.next()
                        .and_then(|l| l.parse().ok())
                        .filter(|l| *l <= 9)
                        .unwrap_or_else(|| usage()),
                )
            }
            "--verbose" => args.verbose = true,
            _ => usage(),
        }
    }
    args
}

fn usage() -> ! {
    eprintln!(
        "usage: echo_server [--port N] [--host ADDR] [--deflate] [--deflate-level 0-9] [--verbose]"
    );
    std::process::exit(2)
}

async fn serve(stream: TcpStream, options: AcceptOptions, verbose: bool) {
    let _ = stream.set_nodelay(true);
    // A client gets a bounded time to send its upgrade request.
    let accepted = tokio::time::timeout(HANDSHAKE_TIMEOUT, accept_with(stream, options)).await;
    let mut ws = match accepted {
        Ok(Ok(ws)) => ws,
        Ok(Err(e)) => {
            if verbose {
                eprintln!("handshake failed: {e}");
            }
            return;
        }
        Err(_) => {
            if verbose {
                eprintln!("handshake timed out");
            }
            return;
        }
    };
    // recv() keeps driving the connection (pongs, close handshake) until it returns None.
    while let Some(item) = ws.recv().await {
        match item {
            Ok(message @ (Message::Text(_) | Message::Binary(_))) => {
                if let Err(e) = ws.send(message).await {
                    if verbose {
                        eprintln!("send failed: {e}");
                    }
                }
            }
            Ok(_) => {}
            Err(e) => {
                if verbose {
                    eprintln!("connection failed: {e}");
                }
            }
        }
    }
}

fn main() -> std::io::Result<()> {
    let args = parse_args();
    let mut options = AcceptOptions {
        config: Config {
            max_frame_size: 64 << 20,
            max_message_size: 64 << 20,
            ..Config::default()
        },
        ..AcceptOptions::default()
    };
    if args.deflate {
        let mut deflate = DeflateConfig::new();
        if let Some(level) = args.deflate_level {
            deflate = deflate.compression_level(level);
        }
        options.handshake.extensions.push(Arc::new(deflate));
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = TcpListener::bind((args.host.as_str(), args.port)).await?;
        eprintln!(
            "echo_server listening on ws://{}{}",
            listener.local_addr()?,
            if args.deflate {
                " (permessage-deflate)"
            } else {
                ""
            }
        );
        loop {
            let (stream, _) = listener.accept().await?;
            tokio::spawn(serve(stream, options.clone(), args.verbose));
        }
    })
}
