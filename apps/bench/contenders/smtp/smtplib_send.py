# Python's smtplib: one connection, sendmail() per message (MAIL, RCPT, DATA, message: four round trips),
# then quit(). sendmail returns the refused recipients: empty means accepted.
# usage: python3 smtplib_send.py HOST PORT FILE COUNT FROM TO
import json
import smtplib
import sys
import time

host, port, path, count, sender, recipient = sys.argv[1:7]
with open(path, 'rb') as f:
    message = f.read()
total = int(count)

start = time.perf_counter()
cpu_start = time.process_time()
smtp = smtplib.SMTP(host, int(port))
accepted = 0
for _ in range(total):
    refused = smtp.sendmail(sender, [recipient], message)
    if not refused:
        accepted += 1
smtp.quit()
work_ms = (time.perf_counter() - start) * 1000
work_cpu_ms = (time.process_time() - cpu_start) * 1000
print(json.dumps({'workMs': work_ms, 'workCpuMs': work_cpu_ms, 'ops': accepted, 'bytes': accepted * len(message)}))
