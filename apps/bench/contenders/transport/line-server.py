"""The server of the transport round-trip comparison: answers every line it receives with `200 ok`, one
connection at a time, after a `200 ready` greeting. Prints its port on the first line of stdout. Written
in Python with blocking sockets so that its own cost per reply stays small and the same for every client.
`python3 line-server.py`; stops when its stdin closes or it is killed."""
import socket
import sys
import threading


def serve(listener: socket.socket) -> None:
    while True:
        client, _ = listener.accept()
        client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        client.sendall(b"200 ready\r\n")
        pending = b""
        while True:
            data = client.recv(65536)
            if not data:
                break
            pending += data
            lines = pending.count(b"\n")
            pending = pending[pending.rfind(b"\n") + 1:]
            if lines:
                client.sendall(b"200 ok\r\n" * lines)
        client.close()


listener = socket.socket()
listener.bind(("127.0.0.1", 0))
listener.listen(4)
print(listener.getsockname()[1], flush=True)
threading.Thread(target=serve, args=(listener,), daemon=True).start()
sys.stdin.read()
