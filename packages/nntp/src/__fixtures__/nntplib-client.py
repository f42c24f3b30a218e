"""Drives Python's nntplib (3.11) against a netc NntpTestServer and prints what it saw as JSON.

Usage: python3 -W ignore::DeprecationWarning nntplib-client.py HOST PORT [CAFILE]
With CAFILE the connection is NNTP_SSL (implicit TLS) verified against that CA.
"""
import json
import ssl
import sys
import warnings

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import nntplib

host, port = sys.argv[1], int(sys.argv[2])
if len(sys.argv) > 3:
    context = ssl.create_default_context(cafile=sys.argv[3])
    server = nntplib.NNTP_SSL(host, port, ssl_context=context, timeout=10)
else:
    server = nntplib.NNTP(host, port, timeout=10)
out = {"welcome": server.getwelcome()}
resp, count, first, last, name = server.group("misc.test")
out["group"] = [resp, count, first, last, name]
resp, overviews = server.over((first, last))
out["over"] = [[number, nntplib.decode_header(fields["subject"]), fields["message-id"], fields[":bytes"]] for number, fields in overviews]
resp, info = server.article(1)
out["article"] = [info.number, info.message_id, [line.decode() for line in info.lines]]
resp, info = server.article("<second@example.org>")
out["article_by_id"] = info.message_id
resp, info = server.head(3)
out["head"] = [line.decode() for line in info.lines if line.startswith(b"References")]
resp, number, message_id = server.stat(2)
out["stat"] = [resp[:3], number, message_id]
out["post"] = server.post(b"From: py@example.org\r\nNewsgroups: misc.test\r\nSubject: from python\r\nMessage-ID: <py@example.org>\r\n\r\n.dot line\r\nend\r\n")
resp, info = server.article("<py@example.org>")
out["posted_body"] = [line.decode() for line in info.lines][-2:]
resp, groups = server.list()
out["list"] = [[g.group, g.last, g.first, g.flag] for g in groups]
resp, descriptions = server.descriptions("misc.*")
out["descriptions"] = descriptions
resp, date = server.date()
out["date"] = date.year > 2000
resp, headers = server.xhdr("subject", "1-3")
out["xhdr"] = [[number, value] for number, value in headers]
out["quit"] = server.quit()
print(json.dumps(out))
