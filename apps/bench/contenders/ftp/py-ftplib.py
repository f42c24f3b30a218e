"""Python ftplib contender (Debian's 3.11), used as its documentation shows: FTP, login, retrbinary,
storbinary, retrlines('LIST'). `python3 py-ftplib.py <download|upload|files|pool> ...`; prints one JSON
line: {workMs, workCpuMs, ops, bytes}. ftplib has no pool: `pool` runs N threads, each with its own FTP
connection, taking the next file from a shared queue. The time (and workCpuMs, the process's CPU time)
covers connect, login, the work and QUIT."""
import json
import os
import queue
import sys
import threading
import time
import warnings

warnings.filterwarnings("ignore", category=DeprecationWarning)
from ftplib import FTP  # noqa: E402

HOST = os.environ.get("FTP_HOST", "127.0.0.1")
PORT = int(os.environ["FTP_PORT"])
USER = os.environ.get("FTP_USER", "anonymous")
PASS = os.environ.get("FTP_PASS", "")


def connect() -> FTP:
    ftp = FTP()
    ftp.connect(HOST, PORT)
    ftp.login(USER, PASS)
    return ftp


def list_files(ftp: FTP, path: str) -> list[str]:
    """LIST parsed the usual way: regular files only, the name after the eight columns."""
    lines: list[str] = []
    ftp.retrlines(f"LIST {path}" if path else "LIST", lines.append)
    return [line.split(None, 8)[8] for line in lines if line.startswith("-")]


def download(ftp: FTP, remote: str, local: str) -> int:
    with open(local, "wb") as file:
        ftp.retrbinary(f"RETR {remote}", file.write)
        return file.tell()


def main() -> None:
    mode, first, second = sys.argv[1], sys.argv[2], sys.argv[3]
    started = time.perf_counter()
    cpu_started = time.process_time()
    ops = 0
    size = 0
    if mode == "download":
        with connect() as ftp:
            size = download(ftp, first, second)
        ops = 1
    elif mode == "upload":
        with connect() as ftp, open(first, "rb") as file:
            ftp.storbinary(f"STOR {second}", file)
            size = file.tell()
        ops = 1
    elif mode == "files":
        with connect() as ftp:
            ftp.cwd(first)
            for name in list_files(ftp, ""):
                size += download(ftp, name, os.path.join(second, name))
                ops += 1
    elif mode == "pool":
        connections = int(sys.argv[4]) if len(sys.argv) > 4 else 4
        lister = connect()
        names: queue.SimpleQueue[str] = queue.SimpleQueue()
        for name in list_files(lister, first):
            names.put(name)
        done: list[int] = []
        errors: list[BaseException] = []

        def worker(ftp: FTP | None) -> None:
            try:
                with ftp or connect() as client:  # the other threads log in on their own, in parallel
                    while True:
                        try:
                            name = names.get_nowait()
                        except queue.Empty:
                            return
                        done.append(download(client, f"{first}/{name}", os.path.join(second, name)))
            except BaseException as error:  # reported below: the run fails
                errors.append(error)

        threads = [threading.Thread(target=worker, args=(lister if i == 0 else None,)) for i in range(connections)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if errors:
            raise errors[0]
        ops, size = len(done), sum(done)
    else:
        raise SystemExit(f"unknown mode {mode}")
    work_ms = (time.perf_counter() - started) * 1000
    work_cpu_ms = (time.process_time() - cpu_started) * 1000
    print(json.dumps({"workMs": work_ms, "workCpuMs": work_cpu_ms, "ops": ops, "bytes": size}))


main()
