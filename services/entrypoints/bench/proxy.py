"""A TCP proxy that adds network delay between the client and PostgreSQL, and counts round trips.

    with DelayProxy("127.0.0.1", 5432, rtt=0.020) as proxy:
        url = f"postgresql://jonas@127.0.0.1:{proxy.port}/steward"
        ...
        proxy.round_trips     # client→server flights that waited for an answer

Each direction holds every chunk for half the round-trip time, in order (latency, not
bandwidth: a chunk leaves as soon as its time is up, whatever follows it). A round trip
is counted when the client sends after it has heard from the server (or first): messages
it sends together (a pipeline, a Sync after a Bind/Execute) are one round trip, as on a
real network. The TCP handshake of a new connection is not delayed: one more round trip
per connection opened on a real network.
"""

from __future__ import annotations

import asyncio
import threading
import time


class DelayProxy:
    def __init__(self, host: str, port: int, *, rtt: float):
        self.host, self.port_upstream, self.delay = host, port, rtt / 2
        self.round_trips = 0
        self.connections = 0
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="delay-proxy", daemon=True)
        self._server: asyncio.base_events.Server | None = None

    def __enter__(self) -> "DelayProxy":
        self._thread.start()
        self._server = asyncio.run_coroutine_threadsafe(
            asyncio.start_server(self._serve, "127.0.0.1", 0), self._loop).result(10)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    def __exit__(self, *exc) -> None:
        async def stop() -> None:
            self._server.close()
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(stop(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()

    def counted(self) -> tuple[int, int]:
        """(round trips, connections opened) so far."""
        return self.round_trips, self.connections

    async def _serve(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        self.connections += 1
        server_r, server_w = await asyncio.open_connection(self.host, self.port_upstream)
        waiting = {"answer": False}     # the client has sent and not yet heard back

        def sent() -> None:
            if not waiting["answer"]:
                self.round_trips += 1
                waiting["answer"] = True

        def answered() -> None:
            waiting["answer"] = False

        try:
            await asyncio.gather(self._pipe(client_r, server_w, sent), self._pipe(server_r, client_w, answered))
        except asyncio.CancelledError:
            pass            # the proxy stops
        finally:
            for w in (client_w, server_w):
                w.close()

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, heard) -> None:
        queue: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()

        async def deliver() -> None:
            while True:
                due, chunk = await queue.get()
                if not chunk:
                    writer.close()
                    return
                wait = due - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                writer.write(chunk)
                await writer.drain()

        delivering = asyncio.ensure_future(deliver())
        try:
            while chunk := await reader.read(65536):
                heard()
                queue.put_nowait((time.monotonic() + self.delay, chunk))
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            queue.put_nowait((0.0, b""))
            try:
                await delivering
            except (ConnectionError, asyncio.CancelledError):
                pass
