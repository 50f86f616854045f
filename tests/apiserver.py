#!/usr/bin/env python3
# tests/apiserver.py: a small stand-in for the APIs the tools page through,
# for bats round trips with curl.  Listens on 127.0.0.1 only, on a free
# port written to PORTFILE, and exits by itself after --lifetime seconds
# (the test also kills it).  Every request target is appended to LOGFILE.
#
#   /v1/...?page[number]=N&page[size]=S    JSON:API pages of --total
#       resources, links with percent-encoded brackets (JSON:API 1.1)
#   .../places?skip=N&limit=M               {"result":[...],"total":T}
#   .../twins/search/partner?partner_code=C&partner_id=...   Twins API,
#   .../twins/search/dgis?dgis_id=...&partner_code=...  from --links
#   A request with raw brackets is refused, as a strict server would.
import argparse, json, os, sys, threading
from http.server import HTTPServer, BaseHTTPRequestHandler
from urllib.parse import urlsplit, parse_qsl, quote

ap = argparse.ArgumentParser()
ap.add_argument("portfile")
ap.add_argument("logfile")
ap.add_argument("--total", type=int, default=7)
ap.add_argument("--links", default=None)
ap.add_argument("--lifetime", type=float, default=60)
args = ap.parse_args()

links = []
if args.links:
    with open(args.links) as f:
        links = [json.loads(l) for l in f if l.strip()]


def twins_error(code, msg):
    return code, {"meta": {"code": code, "message": msg}}


def twins(kind, q):
    codes = [v for k, v in q if k == "partner_code"]
    if kind == "partner":
        ids = [v for k, v in q if k == "partner_id"]
        if len(codes) != 1 or not 1 <= len(ids) <= 50:
            return twins_error(400, "partner_code: one; partner_id: 1..50")
        items = []
        for pid in dict.fromkeys(ids):
            tw = [{"dgis_id": l["dgis_id"], "dgis_type": l["dgis_type"]}
                  for l in links
                  if l["partner_id"] == pid and l["partner_code"] == codes[0]]
            if tw:
                items.append({"partner_id": pid, "partner_type": "branch",
                              "twins": tw})
    else:
        ids = [v for k, v in q if k == "dgis_id"]
        if not 1 <= len(codes) <= 5 or not 1 <= len(ids) <= 50:
            return twins_error(400, "partner_code: 1..5; dgis_id: 1..50")
        items = []
        for did in dict.fromkeys(ids):
            tw = [{"partner_id": l["partner_id"], "partner_type": l["partner_type"],
                   "partner_code": l["partner_code"]}
                  for l in links
                  if l["dgis_id"] == did and l["partner_code"] in codes]
            if tw:
                items.append({"dgis_id": did, "dgis_type": "branch",
                              "twins": tw})
    return 200, {"meta": {"code": 200, "message": "ok"},
                 "result": {"items": items, "total": len(items)}}


def jsonapi(base, q):
    qd = dict(q)
    n = int(qd.get("page[number]", "1"))
    size = int(qd.get("page[size]", "3"))
    last = max(1, (args.total + size - 1) // size)

    def url(k):
        return (base + "?" + quote("page[number]", safe="") + "=%d&" % k +
                quote("page[size]", safe="") + "=%d" % size)
    data = [{"type": "item", "id": str(i), "attributes": {"n": i}}
            for i in range((n - 1) * size + 1,
                           min(n * size, args.total) + 1)]
    return 200, {"data": data,
                 "links": {"self": url(n), "first": url(1), "last": url(last),
                           "prev": url(n - 1) if n > 1 else None,
                           "next": url(n + 1) if n < last else None},
                 "meta": {"total_count": args.total}}


def homestretch(q):
    qd = dict(q)
    skip = int(qd.get("skip", "0"))
    limit = int(qd.get("limit", "25"))
    if limit > 150:
        return 400, {"error": {"code": 400, "message": "limit must be <= 150"}}
    res = [{"id": "p%d" % i, "name": "Place %d" % i}
           for i in range(skip + 1, min(skip + limit, args.total) + 1)]
    return 200, {"result": res, "total": args.total}


class H(BaseHTTPRequestHandler):
    def do_GET(self):
        with open(args.logfile, "a") as f:
            f.write(self.path + "\n")
        u = urlsplit(self.path)
        q = parse_qsl(u.query, keep_blank_values=True)
        host = "http://127.0.0.1:%d" % self.server.server_port
        if "[" in self.path or "]" in self.path:
            code, body = 400, {"error": "raw brackets in the request"}
        elif u.path.endswith("/twins/search/partner"):
            code, body = twins("partner", q)
        elif u.path.endswith("/twins/search/dgis"):
            code, body = twins("dgis", q)
        elif u.path.endswith("/places"):
            code, body = homestretch(q)
        elif u.path.startswith("/v1/") or u.path == "/jsonapi/items":
            code, body = jsonapi(host + u.path, q)
        else:
            code, body = 404, {"error": "no such path"}
        out = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    def log_message(self, *a):
        pass


srv = HTTPServer(("127.0.0.1", 0), H)
tmp = args.portfile + ".tmp"
with open(tmp, "w") as f:
    f.write("%d\n" % srv.server_port)
os.rename(tmp, args.portfile)
threading.Timer(args.lifetime, lambda: os._exit(0)).start()
srv.serve_forever()
