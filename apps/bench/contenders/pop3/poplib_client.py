"""Python's poplib (Debian's 3.11), as its documentation uses it: POP3 or POP3_SSL with a verifying context,
user/pass_, stat, list, uidl, retr n one after the other (the lines joined back with CRLF), quit.
Prints one JSON line, like the node contenders; a hang (POP3_TIMEOUT_MS) or an error shows as "failed"."""
import json, os, poplib, ssl, sys, threading, time, zlib

env = os.environ
tally = dict(statCount=0, statBytes=0, listCount=0, listBytes=0, uidlCount=0, ops=0, bytes=0, crc=0)
started = time.perf_counter()
cpu_started = time.process_time()


def report(**extra):
    sys.stdout.write(json.dumps(dict(workMs=(time.perf_counter() - started) * 1000, workCpuMs=(time.process_time() - cpu_started) * 1000, **tally, **extra)) + "\n")
    sys.stdout.flush()


def watchdog():
    report(failed=f"hung: no end after {timeout_s:g} s ({tally['ops']} messages, {tally['bytes']} bytes retrieved)")
    os._exit(0)


timeout_s = int(env.get("POP3_TIMEOUT_MS", "60000")) / 1000
threading.Timer(timeout_s, watchdog).start()
try:
    host, port = env.get("POP3_HOST", "127.0.0.1"), int(env["POP3_PORT"])
    if env.get("POP3_TLS") == "implicit":
        pop = poplib.POP3_SSL(host, port, context=ssl.create_default_context(cafile=env["POP3_CA_FILE"]))
    else:
        pop = poplib.POP3(host, port)
    pop.user(env["POP3_USER"])
    pop.pass_(env["POP3_PASS"])
    tally["statCount"], tally["statBytes"] = pop.stat()
    numbers = []
    for line in pop.list()[1]:
        number, octets = line.split()
        numbers.append(int(number))
        tally["listCount"] += 1
        tally["listBytes"] += int(octets)
    tally["uidlCount"] = len(pop.uidl()[1])
    for number in numbers:
        _, lines, octets = pop.retr(number)
        body = b"\r\n".join(lines) + b"\r\n"
        tally["ops"] += 1
        tally["bytes"] += len(body)
        tally["crc"] = (tally["crc"] + zlib.crc32(body)) & 0xFFFFFFFF
    pop.quit()
    report()
except Exception as error:  # reported, not raised: verify marks the contender failed with this message
    report(failed=f"threw after {tally['ops']} messages: {error!r}")
os._exit(0)
