"""Drives Python's poplib against a POP3 server and prints what it saw as JSON (for interop tests)."""
import json
import poplib
import ssl
import sys

host, port, ca, mode, user, password = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6]
context = ssl.create_default_context(cafile=ca)
if mode == 'ssl':
    pop = poplib.POP3_SSL(host, port, context=context, timeout=10)
else:
    pop = poplib.POP3(host, port, timeout=10)
out = {'welcome': pop.getwelcome().decode(), 'capa': sorted(pop.capa().keys())}
if mode == 'stls':
    out['stls'] = pop.stls(context=context).decode()
    out['capa_after'] = sorted(pop.capa().keys())
if mode == 'apop':
    out['login'] = pop.apop(user, password).decode()
else:
    pop.user(user)
    out['login'] = pop.pass_(password).decode()
out['stat'] = list(pop.stat())
out['list'] = [line.decode() for line in pop.list()[1]]
out['uidl'] = [line.decode() for line in pop.uidl()[1]]
out['uidl1'] = pop.uidl(1).decode()
out['retr1'] = b'\r\n'.join(pop.retr(1)[1]).decode('latin1')
out['top2'] = b'\r\n'.join(pop.top(2, 0)[1]).decode('latin1')
pop.dele(1)
out['stat_after_dele'] = list(pop.stat())
pop.rset()
pop.noop()
pop.dele(2)
out['quit'] = pop.quit().decode()
print(json.dumps(out))
