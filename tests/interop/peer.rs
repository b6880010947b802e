// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! Running tests/interop/peer.py: finding the interpreter of the interop venv, starting its
//! server mode (killed on drop), running its client mode and reading its result lines.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// The environment variable naming the Python interpreter (default: the venv the test command
/// makes, `build/.venv-interop/bin/python`).
pub const PYTHON_ENV: &str = "RSWS_INTEROP_PYTHON";
/// Set to 1 to let the tests skip (loudly) when that interpreter is missing.
pub const SKIP_ENV: &str = "RSWS_INTEROP_SKIP_IF_MISSING";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn script() -> PathBuf {
    root().join("tests/interop/peer.py")
}

/// The interpreter to run peer.py with, `None` when the tests are to be skipped. Panics when
/// it is missing and skipping was not asked for: a missing peer must never look like a pass.
pub fn python() -> Option<PathBuf> {
    let path = std::env::var_os(PYTHON_ENV)
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("build/.venv-interop/bin/python"));
    let usable = Command::new(&path)
        .args(["-c", "import websockets.asyncio.server"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if usable {
        return Some(path);
    }
    let why = format!(
        "python-websockets is not available through {} (make it with \
         tests/interop/setup-venv.sh, or point {PYTHON_ENV} at a Python with websockets >= 13)",
        path.display()
    );
    if std::env::var(SKIP_ENV).is_ok_and(|v| v == "1") {
        eprintln!("\n!!!!! SKIPPED: interop with python-websockets NOT RUN: {why} !!!!!\n");
        None
    } else {
        panic!("{why}; set {SKIP_ENV}=1 to skip these tests instead");
    }
}

/// peer.py in server mode: one listener per named configuration.
pub struct PythonServer {
    child: Child,
    ports: HashMap<String, u16>,
}

impl PythonServer {
    /// Starts the servers; `configs` are `(name, configuration JSON object)`, or a `None`
    /// configuration for a listener without permessage-deflate.
    pub fn start(python: &PathBuf, configs: &[(String, Option<String>)]) -> PythonServer {
        let items: Vec<String> = configs
            .iter()
            .map(|(name, json)| match json {
                Some(json) => format!("{{\"name\": \"{name}\", {}", &json[1..]),
                None => format!("{{\"name\": \"{name}\", \"deflate\": false}}"),
            })
            .collect();
        let mut child = Command::new(python)
            .arg(script())
            .arg("server")
            .arg("--configs")
            .arg(format!("[{}]", items.join(", ")))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start peer.py server");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("piped stdout"))
            .read_line(&mut line)
            .expect("read peer.py's READY line");
        let Some(rest) = line.trim().strip_prefix("READY ") else {
            let _ = child.kill();
            panic!("peer.py server did not start: {line:?}");
        };
        let ports = rest
            .split_whitespace()
            .map(|item| {
                let (name, port) = item.split_once('=').expect("name=port");
                (name.to_string(), port.parse().expect("a port"))
            })
            .collect();
        PythonServer { child, ports }
    }

    /// The port of the listener named `name`.
    pub fn port(&self, name: &str) -> u16 {
        self.ports[name]
    }
}

impl Drop for PythonServer {
    fn drop(&mut self) {
        // Closing stdin ends it; kill in case it is stuck.
        drop(self.child.stdin.take());
        std::thread::sleep(Duration::from_millis(50));
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One line of peer.py's client mode.
#[derive(Debug, Clone)]
pub struct ClientResult {
    pub ok: bool,
    pub echoed: usize,
    /// `none` or `local_nct,remote_nct,local_bits,remote_bits`.
    pub deflate: String,
    /// The Sec-WebSocket-Extensions response header, `-` when absent.
    pub header: String,
    pub error: String,
}

/// One case for peer.py's client mode: `config` is a JSON object, `None` for no offer.
pub struct ClientCase {
    pub id: String,
    pub url: String,
    pub config: Option<String>,
    pub script_json: String,
}

/// Runs peer.py's client mode over `cases` (at most `timeout` in all) and returns its result
/// for each case id.
pub async fn run_client(
    python: &PathBuf,
    cases: &[ClientCase],
    timeout: Duration,
) -> HashMap<String, ClientResult> {
    let items: Vec<String> = cases
        .iter()
        .map(|c| {
            let config = c
                .config
                .clone()
                .unwrap_or_else(|| "{\"deflate\": false}".to_string());
            format!(
                "{{\"id\": \"{}\", \"url\": \"{}\", \"config\": {config}, \"script\": {}}}",
                c.id, c.url, c.script_json
            )
        })
        .collect();
    let mut file = tempfile_path();
    std::fs::File::create(&file)
        .and_then(|mut f| f.write_all(format!("[{}]", items.join(",\n")).as_bytes()))
        .expect("write the cases file");
    let child = tokio::process::Command::new(python)
        .arg(script())
        .args(["client", "--cases"])
        .arg(&file)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .expect("start peer.py client");
    let output = tokio::time::timeout(timeout, child.wait_with_output())
        .await
        .unwrap_or_else(|_| panic!("peer.py client did not finish within {timeout:?}"))
        .expect("peer.py client output");
    let _ = std::fs::remove_file(&mut file);
    let stdout = String::from_utf8_lossy(&output.stdout);
    stdout
        .lines()
        .filter_map(|line| line.strip_prefix("RESULT\t"))
        .map(|rest| {
            let f: Vec<&str> = rest.splitn(6, '\t').collect();
            assert!(f.len() >= 5, "malformed result line {rest:?}");
            (
                f[0].to_string(),
                ClientResult {
                    ok: f[1] == "1",
                    echoed: f[2].parse().unwrap_or(0),
                    deflate: f[3].to_string(),
                    header: f[4].to_string(),
                    error: f.get(5).unwrap_or(&"").to_string(),
                },
            )
        })
        .collect()
}

fn tempfile_path() -> PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    std::env::temp_dir().join(format!(
        "rsws-interop-{}-{}.json",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ))
}
