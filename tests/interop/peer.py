# SPDX-FileCopyrightText: 2026 RsWebSockets contributors
# SPDX-License-Identifier: MIT OR Apache-2.0
"""python-websockets (>= 13, asyncio API) as the permessage-deflate peer of the interop tests.

Driven by tests/interop_websockets.rs; installed into build/.venv-interop by the test command
(tests/interop/setup-venv.sh).

server --configs JSON
    One listener on 127.0.0.1 per server configuration; prints one line
    ``READY <name>=<port> ...`` and serves until stdin closes. Every text and binary message
    is echoed as it came, except the text ``__negotiated__``, answered with what this
    connection negotiated: ``<deflate>\t<header>`` (see ``negotiated``).

server --bench --port N
    A plain deflate echo server with python-websockets' own defaults
    (``compression="deflate"``), for benches/compare-deflate.sh.

client --cases FILE
    Runs the cases of FILE (a JSON list of ``{"id", "url", "config", "script"}``) one after
    the other, each on its own connection to ``<url>/case/<id>``: connects with the case's
    permessage-deflate offer, sends the scripted messages, checks that each one comes back
    unchanged, closes with 1000, and prints one tab-separated line per case:
    ``RESULT <id> <ok 0|1> <echoed> <deflate> <header> <error>``.

A configuration is ``{"name", "deflate", "server_no_context_takeover",
"client_no_context_takeover", "server_max_window_bits", "client_max_window_bits"}``; a client's
``client_max_window_bits`` may be ``true`` (the bare parameter). A script is a list of
``[kind, size, content]`` with kind ``text``/``binary`` and content
``compressible``/``random``; payload bytes are a pure function of (kind, size, content, index),
the same as in the Rust test.

``<deflate>`` is ``none`` or ``<local_nct>,<remote_nct>,<local_bits>,<remote_bits>`` (0/1 for
the flags) as this peer's PerMessageDeflate holds them; ``<header>`` is the
Sec-WebSocket-Extensions response header, ``-`` when absent. Output is plain text so the Rust
side needs no JSON parser.
"""

import argparse
import asyncio
import functools
import json
import sys

from websockets.asyncio.client import connect
from websockets.asyncio.server import serve
from websockets.extensions.permessage_deflate import (
    ClientPerMessageDeflateFactory,
    PerMessageDeflate,
    ServerPerMessageDeflateFactory,
)

NEGOTIATED = "__negotiated__"
CASE_TIMEOUT = 120.0


def negotiated(ws):
    """What a connection negotiated, as ``<deflate>\t<header>``: the state of its
    PerMessageDeflate (``none`` when deflate is not in use) and the Sec-WebSocket-Extensions
    response header (``-`` when absent)."""
    header = ws.response.headers.get("Sec-WebSocket-Extensions") if ws.response else None
    deflate = "none"
    for ext in ws.protocol.extensions:
        if isinstance(ext, PerMessageDeflate):
            deflate = ",".join(
                str(int(v))
                for v in (
                    ext.local_no_context_takeover,
                    ext.remote_no_context_takeover,
                    ext.local_max_window_bits,
                    ext.remote_max_window_bits,
                )
            )
    return f"{deflate}\t{header or '-'}"


def server_factory(config):
    return ServerPerMessageDeflateFactory(
        server_no_context_takeover=config.get("server_no_context_takeover", False),
        client_no_context_takeover=config.get("client_no_context_takeover", False),
        server_max_window_bits=config.get("server_max_window_bits"),
        client_max_window_bits=config.get("client_max_window_bits"),
    )


def client_factory(config):
    return ClientPerMessageDeflateFactory(
        server_no_context_takeover=config.get("server_no_context_takeover", False),
        client_no_context_takeover=config.get("client_no_context_takeover", False),
        server_max_window_bits=config.get("server_max_window_bits"),
        client_max_window_bits=config.get("client_max_window_bits"),
    )


async def echo(ws):
    async for message in ws:
        if message == NEGOTIATED:
            await ws.send(negotiated(ws))
        else:
            await ws.send(message)


async def run_servers(configs):
    ports = []
    servers = []
    for config in configs:
        extensions = [server_factory(config)] if config.get("deflate", True) else []
        server = await serve(
            echo,
            "127.0.0.1",
            0,
            compression=None,
            extensions=extensions,
            max_size=None,
            ping_interval=None,
        )
        servers.append(server)
        ports.append(f"{config['name']}={server.sockets[0].getsockname()[1]}")
    print("READY " + " ".join(ports), flush=True)
    # Serve until the parent closes our stdin (or dies).
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
    for server in servers:
        server.close()
        await server.wait_closed()


async def run_bench(port):
    async with serve(
        echo, "127.0.0.1", port, compression="deflate", max_size=None, ping_interval=None
    ) as server:
        print(f"READY {server.sockets[0].getsockname()[1]}", flush=True)
        await asyncio.get_running_loop().create_future()


# Payloads: the same pure functions as in tests/interop_websockets.rs.

WORDS = ["alpha", "beta", "gamma", "delta", "permessage", "deflate", "window", "context"]


def xorshift(state):
    state ^= (state << 13) & 0xFFFFFFFFFFFFFFFF
    state ^= state >> 7
    state ^= (state << 17) & 0xFFFFFFFFFFFFFFFF
    return state


@functools.lru_cache(maxsize=64)
def payload(kind, size, content, index):
    seed = (size * 1_000_003 + index * 7919 + (1 if kind == "text" else 2)) | 1
    if content == "compressible":
        out = bytearray()
        n = 0
        while len(out) < size:
            out += f"{WORDS[n % len(WORDS)]} {n % 97} ".encode()
            n += 1
        data = bytes(out[:size])
    elif kind == "binary":
        out = bytearray()
        state = seed
        while len(out) < size:
            state = xorshift(state)
            out += state.to_bytes(8, "little")
        data = bytes(out[:size])
    else:
        # Random text: code points of 1 to 4 UTF-8 bytes, ASCII to fill the last bytes.
        out = bytearray()
        state = seed
        while len(out) < size:
            state = xorshift(state)
            width = 1 + (state >> 8) % 4
            if len(out) + width > size:
                width = 1
            value = state >> 16
            if width == 1:
                cp = 0x20 + value % 0x5F
            elif width == 2:
                cp = 0x80 + value % (0x800 - 0x80)
            elif width == 3:
                cp = 0x800 + value % (0xD800 - 0x800)
            else:
                cp = 0x10000 + value % (0x110000 - 0x10000)
            out += chr(cp).encode()
        data = bytes(out)
    return data.decode() if kind == "text" else data


async def run_case(case):
    url = f"{case['url']}/case/{case['id']}"
    config = case["config"]
    extensions = [client_factory(config)] if config.get("deflate", True) else []
    result = {"id": case["id"], "ok": False, "error": "", "negotiated": "none\t-", "echoed": 0}
    async with connect(
        url, compression=None, extensions=extensions, max_size=None, ping_interval=None
    ) as ws:
        result["negotiated"] = negotiated(ws)
        for index, (kind, size, content) in enumerate(case["script"]):
            sent = payload(kind, size, content, index)
            await ws.send(sent)
            got = await ws.recv()
            if type(got) is not type(sent) or got != sent:
                result["error"] = (
                    f"message {index} ({kind}, {size} bytes, {content}) came back as "
                    f"{type(got).__name__} of {len(got)}"
                )
                return result
            result["echoed"] += 1
        await ws.close(1000)
    result["ok"] = True
    return result


async def run_client(cases):
    for case in cases:
        try:
            result = await asyncio.wait_for(run_case(case), CASE_TIMEOUT)
        except Exception as exc:  # reported to the Rust side, which fails the case
            result = {
                "id": case["id"],
                "ok": False,
                "error": f"{type(exc).__name__}: {exc}",
                "negotiated": "none\t-",
                "echoed": 0,
            }
        error = " ".join(str(result["error"]).split())
        ok = int(result["ok"])
        print(
            f"RESULT\t{result['id']}\t{ok}\t{result['echoed']}\t{result['negotiated']}\t{error}",
            flush=True,
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="mode", required=True)
    server = sub.add_parser("server")
    server.add_argument("--configs", help="JSON list of server configurations")
    server.add_argument("--bench", action="store_true")
    server.add_argument("--port", type=int, default=0)
    client = sub.add_parser("client")
    client.add_argument("--cases", required=True, help="file with a JSON list of cases")
    args = parser.parse_args()
    if args.mode == "server" and args.bench:
        asyncio.run(run_bench(args.port))
    elif args.mode == "server":
        asyncio.run(run_servers(json.loads(args.configs)))
    else:
        with open(args.cases, encoding="utf-8") as f:
            cases = json.load(f)
        asyncio.run(run_client(cases))


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(0)
