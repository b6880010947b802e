# SPDX-FileCopyrightText: 2026 RsWebSockets contributors
# SPDX-License-Identifier: MIT OR Apache-2.0
"""python-websockets echo server with permessage-deflate, for tst_RsWebSocket.

Prints "PORT <n>" once listening on 127.0.0.1. Echoes every message, except two commands:
"__extensions__" answers the negotiated Sec-WebSocket-Extensions header, "__offer__" the
client's offer, and
"__bomb__ <n>" answers n bytes of "a" (a tiny compressed frame that inflates to n bytes).
"""

import asyncio
import sys

from websockets.asyncio.server import serve


async def echo(ws):
    async for message in ws:
        if message == "__extensions__":
            await ws.send(ws.response.headers.get("Sec-WebSocket-Extensions", ""))
        elif message == "__offer__":
            await ws.send(ws.request.headers.get("Sec-WebSocket-Extensions", ""))
        elif isinstance(message, str) and message.startswith("__bomb__ "):
            await ws.send("a" * int(message.split()[1]))
        else:
            await ws.send(message)


async def main():
    async with serve(echo, "127.0.0.1", 0, compression="deflate", max_size=None) as server:
        port = server.sockets[0].getsockname()[1]
        print(f"PORT {port}", flush=True)
        await asyncio.get_running_loop().create_future()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
