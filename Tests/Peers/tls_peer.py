#!/usr/bin/env python3
"""TLS servers on 127.0.0.1, one per certificate class, for atmo-connect's TLS tests.

Usage: tls_peer.py WORKDIR
Writes WORKDIR/root.pem (the test CA clients may trust) and WORKDIR/ports.json ({class: port}),
then serves until killed. Every server answers GET / with 200 {"ok": true}.
"""
import datetime
import http.server
import json
import os
import ssl
import sys
import threading

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

NOW = datetime.datetime.now(datetime.timezone.utc)
DAY = datetime.timedelta(days=1)


def key():
    return ec.generate_private_key(ec.SECP256R1())


def name(cn):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn), x509.NameAttribute(NameOID.ORGANIZATION_NAME, "atmo-connect tests")])


def certificate(subject_key, subject, issuer_key, issuer, ca, sans=None, not_before=None, not_after=None):
    builder = (x509.CertificateBuilder()
               .subject_name(subject).issuer_name(issuer).public_key(subject_key.public_key())
               .serial_number(x509.random_serial_number())
               .not_valid_before(not_before or NOW - DAY).not_valid_after(not_after or NOW + 365 * DAY)
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if sans is not None:
        builder = builder.add_extension(x509.SubjectAlternativeName(sans), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def pem(*items):
    out = b""
    for item in items:
        if isinstance(item, x509.Certificate):
            out += item.public_bytes(serialization.Encoding.PEM)
        else:
            out += item.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return out


V2_ONLY = json.dumps({"versions": {"values": [{"id": "v2.0", "status": "deprecated", "links": [{"rel": "self", "href": "/v2.0/"}]}]}}).encode()


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body, status = b'{"ok": true}', 200
        if self.server.v2_only:
            # As a Keystone from before Queens answers when it has no v3: 300 listing v2.0 at the root, 404 at /v3.
            body, status = (V2_ONLY, 300) if self.path in ("/", "") else (b'{"error": {"code": 404, "message": "Not Found", "title": "Not Found"}}', 404)
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def serve(workdir, label, chain, leaf_key, v2_only=False):
    path = os.path.join(workdir, label + ".pem")
    with open(path, "wb") as handle:
        handle.write(pem(*chain) + pem(leaf_key))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(path)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    server.v2_only = v2_only
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server.server_address[1]


def main():
    workdir = sys.argv[1]
    os.makedirs(workdir, exist_ok=True)
    root_key, other_key, inter_key = key(), key(), key()
    root = certificate(root_key, name("Test Root CA"), root_key, name("Test Root CA"), True)
    other = certificate(other_key, name("Other Root CA"), other_key, name("Other Root CA"), True)
    inter = certificate(inter_key, name("Test Intermediate CA"), root_key, name("Test Root CA"), True)
    with open(os.path.join(workdir, "root.pem"), "wb") as handle:
        handle.write(pem(root))
    good_names = [x509.DNSName("localhost"), x509.DNSName("api.cloud.test"), x509.IPAddress(__import__("ipaddress").ip_address("127.0.0.1"))]

    def leaf(label, signer_key, signer, sans=good_names, **dates):
        leaf_key = key()
        cert = certificate(leaf_key, name(label + ".cloud.test"), signer_key, signer, False, sans, **dates)
        return cert, leaf_key

    ports = {}
    cert, k = leaf("good", root_key, name("Test Root CA"))
    ports["trusted"] = serve(workdir, "trusted", [cert], k)
    ports["keystone-v2-only"] = serve(workdir, "keystone-v2-only", [cert], k, v2_only=True)
    cert, k = leaf("untrusted", other_key, name("Other Root CA"))
    ports["untrusted"] = serve(workdir, "untrusted", [cert, other], k)
    self_key = key()
    self_cert = certificate(self_key, name("self.cloud.test"), self_key, name("self.cloud.test"), False, good_names)
    ports["self-signed"] = serve(workdir, "self-signed", [self_cert], self_key)
    cert, k = leaf("expired", root_key, name("Test Root CA"), not_before=NOW - 90 * DAY, not_after=NOW - 2 * DAY)
    ports["expired"] = serve(workdir, "expired", [cert], k)
    cert, k = leaf("notyet", root_key, name("Test Root CA"), not_before=NOW + 30 * DAY, not_after=NOW + 400 * DAY)
    ports["not-yet-valid"] = serve(workdir, "not-yet-valid", [cert], k)
    cert, k = leaf("wronghost", root_key, name("Test Root CA"), sans=[x509.DNSName("other.example.org")])
    ports["wrong-host"] = serve(workdir, "wrong-host", [cert], k)
    cert, k = leaf("chained", inter_key, name("Test Intermediate CA"))
    ports["missing-intermediate"] = serve(workdir, "missing-intermediate", [cert], k)
    ports["full-chain"] = serve(workdir, "full-chain", [cert, inter], k)
    cert, k = leaf("soon", root_key, name("Test Root CA"), not_after=NOW + 10 * DAY + DAY / 2)
    ports["expires-in-10-days"] = serve(workdir, "expires-in-10-days", [cert], k)
    cert, k = leaf("later", root_key, name("Test Root CA"), not_after=NOW + 40 * DAY + DAY / 2)
    ports["expires-in-40-days"] = serve(workdir, "expires-in-40-days", [cert], k)

    with open(os.path.join(workdir, "ports.json.tmp"), "w") as handle:
        json.dump(ports, handle)
    os.rename(os.path.join(workdir, "ports.json.tmp"), os.path.join(workdir, "ports.json"))
    print("READY", flush=True)
    threading.Event().wait()


if __name__ == "__main__":
    main()
