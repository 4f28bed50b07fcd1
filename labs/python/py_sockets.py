# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""py_sockets.py - the course's echo server with a thread per connection,
and K clients, each in a thread of its own, in one process.

The server: socket, bind to 127.0.0.1 (port 0: the kernel picks a free
one), listen, then accept in a loop; each accepted connection gets a
thread that receives until the client closes and sends every message back.
A client: socket, connect, sendall, recv, close.  Every socket has a
timeout, so nothing here can wait forever.
"""
import socket
import threading

import lab

TIMEOUT = 5.0                           # seconds any accept, connect or recv may wait
MESSAGE = b"ping"


def serve(conn, num, served):
    """One connection, in its own thread: echo until the client closes."""
    with conn:
        while True:
            data = conn.recv(1024)      # b"" once the client has closed its end
            if not data:
                break
            conn.sendall(data)
            served[num] += len(data)


def client(port, num, o, ok):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(TIMEOUT)           # a connect timeout and a read timeout
        s.connect(("127.0.0.1", port))
        for _ in range(o.messages):
            s.sendall(MESSAGE)
            reply = b""
            while len(reply) < len(MESSAGE):    # TCP is a byte stream: read all of it
                data = s.recv(len(MESSAGE) - len(reply))
                if not data:
                    break
                reply += data
            ok[num] += reply == MESSAGE
    # leaving the with block closes the socket: the server's recv returns b""


def variant_threads(o):
    served, ok = [0] * o.clients, [0] * o.clients
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.settimeout(TIMEOUT)          # accept gives up after this
    server.bind(("127.0.0.1", 0))
    server.listen(o.clients)            # backlog: connections the kernel queues for accept
    port = server.getsockname()[1]
    print(f"server: listening on 127.0.0.1:{port}; {o.clients} clients will each send "
          f"{o.messages} messages")

    clients = [threading.Thread(target=client, args=(port, i, o, ok), name=f"client {i + 1}")
               for i in range(o.clients)]
    for t in clients:
        t.start()
    handlers = []
    for i in range(o.clients):
        conn, addr = server.accept()    # accept4(): a new socket for this client
        conn.settimeout(TIMEOUT)
        print(f"server: connection {i + 1} from {addr[0]}:{addr[1]}; a thread serves it")
        t = threading.Thread(target=serve, args=(conn, i, served), name=f"handler {i + 1}")
        t.start()
        handlers.append(t)
    server.close()
    for t in clients + handlers:
        t.join()
    echoes = sum(ok)
    print(f"server: {sum(served)} bytes echoed by {len(handlers)} handler threads; "
          f"clients got {echoes} of {o.clients * o.messages} echoes back")
    lab.result("accepted", len(handlers))
    lab.result("echoes_ok", echoes)
    return 0 if echoes == o.clients * o.messages else 1


LAB = lab.Lab(
    "py-sockets",
    "Sockets in Python: an echo server with a thread per connection, and its clients.",
    [
        lab.Variant("threads", "an echo server on 127.0.0.1: accept, a thread per connection",
                    variant_threads, {"clients": 3, "messages": 5}),
    ],
    [
        lab.Option("clients", 1, 64, "client connections"),
        lab.Option("messages", 1, 10000, "messages per client"),
    ],
    "  py-sockets threads                3 clients, 5 messages each\n"
    "  py-sockets threads --clients 10\n",
)

if __name__ == "__main__":
    lab.main(LAB)
