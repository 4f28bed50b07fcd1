# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""py_asyncio.py - asyncio: an echo server and its clients as tasks of one
event loop in one thread; tasks that sleep together, gathered; a wait_for
that times out.

On Linux the loop's poller is epoll: one epoll_create1() for the loop,
epoll_ctl() to add and remove sockets, and between steps the loop blocks in
epoll_wait() until a socket is ready or the next timer is due.  No thread
is created: concurrency comes from tasks taking turns at each await.
"""
import asyncio
import time

import lab

TIMEOUT = 5.0                           # seconds any read or connect may take
MESSAGE = b"ping\n"


async def handle(reader, writer):
    """One connection, as a task: echo lines until the client closes."""
    while True:
        line = await asyncio.wait_for(reader.readline(), TIMEOUT)  # b"" at end-of-file
        if not line:
            break
        writer.write(line)
        await writer.drain()
    writer.close()
    await writer.wait_closed()


async def client(port, messages):
    reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), TIMEOUT)
    ok = 0
    for _ in range(messages):
        writer.write(MESSAGE)
        await writer.drain()
        ok += await asyncio.wait_for(reader.readline(), TIMEOUT) == MESSAGE
    writer.close()
    await writer.wait_closed()
    return ok


async def echo(o):
    # a numeric host: no getaddrinfo, which asyncio would run in a worker thread
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    print(f"server: listening on 127.0.0.1:{port}; {o.clients} client tasks will each send "
          f"{o.messages} lines")
    results = await asyncio.gather(*(client(port, o.messages) for _ in range(o.clients)))
    server.close()
    await server.wait_closed()
    return sum(results)


def variant_echo(o):
    echoes = asyncio.run(echo(o))
    print(f"clients got {echoes} of {o.clients * o.messages} echoes back, all in one thread")
    lab.result("echoes_ok", echoes)
    return 0 if echoes == o.clients * o.messages else 1


async def job(num, ms):
    await asyncio.sleep(ms / 1000)      # a timer in the loop; other tasks run meanwhile
    print(f"task {num}: done after {ms} ms")
    return num * num


async def tasks(o):
    t0 = time.perf_counter()
    results = await asyncio.gather(*(job(i, o.ms) for i in range(1, o.tasks + 1)))
    elapsed = time.perf_counter() - t0
    print(f"gather: {o.tasks} tasks of {o.ms} ms each took {elapsed * 1000:.0f} ms together: "
          f"results {results}")
    timed_out = 0
    try:
        await asyncio.wait_for(asyncio.sleep(10), timeout=o.ms / 1000)
    except asyncio.TimeoutError:
        timed_out = 1                   # wait_for cancelled the sleep when time was up
        print(f"wait_for: a 10 s sleep given {o.ms} ms timed out and was cancelled")
    return results, elapsed, timed_out


def variant_gather(o):
    results, elapsed, timed_out = asyncio.run(tasks(o))
    ok = results == [i * i for i in range(1, o.tasks + 1)]
    lab.result("gather_ok", ok)
    lab.result("elapsed_ms", int(elapsed * 1000))
    lab.result("timed_out", timed_out)
    return 0 if ok and timed_out else 1


LAB = lab.Lab(
    "py-asyncio",
    "asyncio: an echo server and clients in one event loop; tasks with gather and wait_for.",
    [
        lab.Variant("echo", "an asyncio echo server and K client tasks in one thread: epoll",
                    variant_echo, {"clients": 3, "messages": 5}),
        lab.Variant("gather", "N tasks sleep at once and are gathered; a wait_for times out",
                    variant_gather, {"tasks": 3, "ms": 300}),
    ],
    [
        lab.Option("clients", 1, 64, "client tasks"),
        lab.Option("messages", 1, 10000, "lines per client"),
        lab.Option("tasks", 1, 1000, "tasks to gather"),
        lab.Option("ms", 1, 10000, "milliseconds each task sleeps"),
    ],
    "  py-asyncio echo --clients 5     five clients, one thread, one epoll\n"
    "  py-asyncio gather --tasks 3 --ms 1000\n"
    "                                  three 1 s sleeps end after 1 s, not 3\n",
)

if __name__ == "__main__":
    lab.main(LAB)
