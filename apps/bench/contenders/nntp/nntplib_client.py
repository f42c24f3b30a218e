"""Python nntplib contender of the NNTP comparisons (apps/bench/src/comparisons/nntp.ts).

usage: /usr/bin/python3 nntplib_client.py <over|article|post> '<spec JSON>'
spec: { port, group, first, count, postFile?, tag? }. Prints one JSON line last.
nntplib is deprecated in 3.11 and gone in 3.13: run with Debian 12's /usr/bin/python3.
"""
import hashlib
import json
import sys
import time
import warnings

warnings.simplefilter("ignore", DeprecationWarning)
import nntplib  # noqa: E402

workload, spec = sys.argv[1], json.loads(sys.argv[2])


def over(client):
    ids = hashlib.sha256()
    ops = 0
    size = 0
    client.group(spec["group"])
    _, overviews = client.over((spec["first"], spec["first"] + spec["count"] - 1))
    for _number, fields in overviews:
        ops += 1
        size += int(fields.get(":bytes") or 0)
        ids.update(fields["message-id"].encode() + b"\n")
    return {"ops": ops, "bytes": size, "idsSha256": ids.hexdigest()}


def article(client):
    ids = hashlib.sha256()
    bodies = hashlib.sha256()
    ops = 0
    size = 0
    client.group(spec["group"])
    for number in range(spec["first"], spec["first"] + spec["count"]):
        _, info = client.article(number)
        lines = info.lines
        body_lines = lines[lines.index(b"") + 1:]
        body = b"\r\n".join(body_lines) + b"\r\n" if body_lines else b""
        ops += 1
        size += len(body)
        ids.update(info.message_id.encode() + b"\n")
        bodies.update(body)
    return {"ops": ops, "bytes": size, "idsSha256": ids.hexdigest(), "bodiesSha256": bodies.hexdigest()}


post_articles = []
if workload == "post":
    with open(spec["postFile"], encoding="utf-8") as file:
        post_articles = [text.replace("@@TAG@@", spec["tag"]).encode("utf-8") for text in json.load(file)]


def post(client):
    ops = 0
    size = 0
    for data in post_articles:
        response = client.post(data)
        if not response.startswith("240"):
            raise RuntimeError(f"POST answered {response}")
        ops += 1
        size += len(data)
    return {"ops": ops, "bytes": size}


def main():
    start = time.perf_counter()
    cpu_start = time.process_time()
    client = nntplib.NNTP("127.0.0.1", spec["port"], timeout=60)
    connect_ms = (time.perf_counter() - start) * 1000
    try:
        figures = {"over": over, "article": article, "post": post}[workload](client)
    finally:
        closing = time.perf_counter()
        client.quit()
    end = time.perf_counter()
    # connectMs: greeting and CAPABILITIES; closeMs: QUIT. Both are inside workMs.
    work_cpu_ms = (time.process_time() - cpu_start) * 1000
    print(json.dumps({"workMs": (end - start) * 1000, "workCpuMs": work_cpu_ms, "connectMs": connect_ms, "closeMs": (end - closing) * 1000, **figures}))


if __name__ == "__main__":
    main()
