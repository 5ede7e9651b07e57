#!/usr/bin/env python3
"""A stand-in for Atmosphere's /api/v2 over HTTPS on 127.0.0.1, for tests: the paginated {"count","next","previous","results"}
shape of ../../shared/reference/atmosphere.md section 4, with `Authorization: Token <key>`.
Usage: ATMO_API_TOKEN=... atmosphere_api.py WORKDIR DATA.json  (writes WORKDIR/port and WORKDIR/ca.pem, prints READY).
DATA.json: {"providers": [...], "identities": [...], "sizes": [...], "provider_machines": [...]}; pages hold 2 results.
"""
import http.server
import json
import os
import ssl
import sys
import threading
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tls_peer import certificate, key, name, pem  # noqa: E402
from cryptography import x509  # noqa: E402
import ipaddress  # noqa: E402

TOKEN = os.environ["ATMO_API_TOKEN"]
# ATMO_API_NEXT_HTTP=1: the `next` links point to a plain-http listener, as a TLS-terminating proxy in front of Django REST
# framework makes them; that listener only records what reaches it (WORKDIR/http-requests.log) and answers 200.
NEXT_HTTP = os.environ.get("ATMO_API_NEXT_HTTP") == "1"
HTTP_PORT = [0]
DATA = json.load(open(sys.argv[2]))
PAGE = 2


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        url = urllib.parse.urlparse(self.path)
        if url.path == "/api/v2/version":
            return self.reply(200, {"git_sha_abbrev": "4688a4a9"})
        if self.headers.get("Authorization", "").lower() != ("token " + TOKEN).lower():
            return self.reply(401, {"detail": "Authentication credentials were not provided."})
        resource = url.path[len("/api/v2/"):]
        if resource not in DATA:
            return self.reply(404, {"detail": "Not found."})
        query = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        items = DATA[resource]
        if "provider__id" in query:
            items = [item for item in items if item.get("provider_id") == int(query["provider__id"][0])]
        page = int(query.get("page", ["1"])[0])
        chunk = items[(page - 1) * PAGE: page * PAGE]
        more = page * PAGE < len(items)
        base = ("http://localhost:%d%s" % (HTTP_PORT[0], url.path)) if NEXT_HTTP else "https://localhost:%d%s" % (self.server.server_address[1], url.path)
        following = dict(query, page=[str(page + 1)])
        self.reply(200, {"count": len(items), "next": base + "?" + urllib.parse.urlencode(following, doseq=True) if more else None,
                         "previous": None, "results": chunk})

    def reply(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


class Recorder(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        with open(os.path.join(sys.argv[1], "http-requests.log"), "a") as handle:
            handle.write("%s %s\n" % (self.path, dict(self.headers)))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    work = sys.argv[1]
    if NEXT_HTTP:
        recorder = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
        HTTP_PORT[0] = recorder.server_address[1]
        threading.Thread(target=recorder.serve_forever, daemon=True).start()
    os.makedirs(work, exist_ok=True)
    ca_key, leaf_key = key(), key()
    ca = certificate(ca_key, name("Atmosphere test CA"), ca_key, name("Atmosphere test CA"), True)
    leaf = certificate(leaf_key, name("localhost"), ca_key, name("Atmosphere test CA"), False,
                       [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))])
    with open(os.path.join(work, "ca.pem"), "wb") as handle:
        handle.write(pem(ca))
    with open(os.path.join(work, "server.pem"), "wb") as handle:
        handle.write(pem(leaf) + pem(leaf_key))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(os.path.join(work, "server.pem"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    with open(os.path.join(work, "port"), "w") as handle:
        handle.write(str(server.server_address[1]))
    print("READY", flush=True)
    server.serve_forever()
