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
from cryptography.x509.oid import AuthorityInformationAccessOID, NameOID

NOW = datetime.datetime.now(datetime.timezone.utc)
DAY = datetime.timedelta(days=1)


def key():
    return ec.generate_private_key(ec.SECP256R1())


def name(cn, organization="atmo-connect tests"):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn), x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization)])


def certificate(subject_key, subject, issuer_key, issuer, ca, sans=None, not_before=None, not_after=None, ca_issuers=None):
    """A certificate with key identifiers, as real CAs issue them; `ca_issuers` adds Authority Information Access."""
    builder = (x509.CertificateBuilder()
               .subject_name(subject).issuer_name(issuer).public_key(subject_key.public_key())
               .serial_number(x509.random_serial_number())
               .not_valid_before(not_before or NOW - DAY).not_valid_after(not_after or NOW + 365 * DAY)
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
               .add_extension(x509.SubjectKeyIdentifier.from_public_key(subject_key.public_key()), critical=False)
               .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False))
    if sans is not None:
        builder = builder.add_extension(x509.SubjectAlternativeName(sans), critical=False)
    if ca_issuers is not None:
        builder = builder.add_extension(x509.AuthorityInformationAccess([
            x509.AccessDescription(AuthorityInformationAccessOID.CA_ISSUERS, x509.UniformResourceIdentifier(ca_issuers))]), critical=False)
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

    def leaf(label, signer_key, signer, sans=good_names, **options):
        leaf_key = key()
        cert = certificate(leaf_key, name(label + ".cloud.test"), signer_key, signer, False, sans, **options)
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
    cert, k = leaf("chained", inter_key, name("Test Intermediate CA"), ca_issuers="http://ca.cloud.test/intermediate.crt")
    ports["missing-intermediate"] = serve(workdir, "missing-intermediate", [cert], k)
    ports["full-chain"] = serve(workdir, "full-chain", [cert, inter], k)

    # Intermediates named as the real ones campuses use: none says "Intermediate", so only the certificates' own facts
    # (Authority Information Access) tell a missing intermediate from an unknown CA. Each is signed by the test root.
    named = {
        "incommon": ("InCommon ECC Server CA 2", "Internet2", "http://crt.sectigo.com/InCommonECCServerCA2.crt"),
        "sectigo": ("Sectigo RSA Domain Validation Secure Server CA", "Sectigo Limited", "http://crt.sectigo.com/SectigoRSADomainValidationSecureServerCA.crt"),
        "r10": ("R10", "Let's Encrypt", "http://r10.i.lencr.org/"),
    }
    for label, (common_name, organization, url) in named.items():
        issuer_key = key()
        issuer = name(common_name, organization)
        intermediate = certificate(issuer_key, issuer, root_key, name("Test Root CA"), True)
        cert, k = leaf(label, issuer_key, issuer, ca_issuers=url)
        ports[label + "-leaf-only"] = serve(workdir, label + "-leaf-only", [cert], k)
        ports[label + "-full"] = serve(workdir, label + "-full", [cert, intermediate], k)
        cert, k = leaf(label + "-no-aia", issuer_key, issuer)
        ports[label + "-no-aia-leaf-only"] = serve(workdir, label + "-no-aia-leaf-only", [cert], k)
    # A CA nobody trusts, named like an intermediate: the name must not make it a missing chain.
    unknown_key = key()
    cert, k = leaf("unknown", unknown_key, name("Campus Issuing Intermediate CA"))
    ports["unknown-named-intermediate"] = serve(workdir, "unknown-named-intermediate", [cert], k)
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
