"""Python's floor of the round-trip comparison, as its protocol libraries (smtplib, poplib, nntplib) do it:
`sendall` then `readline` on the socket's file. `python3 py_socket.py <port> <count>`; prints
{workMs, workCpuMs, ops} (the loop only)."""
import json
import socket
import sys
import time

port, count = int(sys.argv[1]), int(sys.argv[2])
sock = socket.create_connection(("127.0.0.1", port))
sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
reader = sock.makefile("rb")
reader.readline()
cpu_start = time.process_time()
start = time.perf_counter()
for _ in range(count):
    sock.sendall(b"NOOP\r\n")
    if not reader.readline().startswith(b"200"):
        raise RuntimeError("unexpected reply")
work_ms = (time.perf_counter() - start) * 1000
work_cpu_ms = (time.process_time() - cpu_start) * 1000
sock.close()
print(json.dumps({"workMs": work_ms, "workCpuMs": work_cpu_ms, "ops": count}))
