"""What the test peers share: their listening sockets, certificates, files, child processes and HTTP calls."""
import datetime
import ipaddress
import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

VENV = os.path.dirname(os.path.dirname(os.path.abspath(sys.executable)))
BIN = os.path.join(VENV, "bin")
children = []
listeners = {}


def listen(service):
    """A listening socket on 127.0.0.1 for `service`, kept open and handed to its gunicorn (fd://): a port found free and
    bound later could be taken in between by another test running in parallel."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    listeners[service] = sock
    return sock.getsockname()[1]


def make_certificates(work):
    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "atmo-connect test cloud CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
          .not_valid_after(now + datetime.timedelta(days=365))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True).sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    names = [x509.DNSName(n) for n in ["keystone.cloud.test", "*.cloud.test", "localhost"]] + [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
    cert = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "cloud.test")]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=200))
            .add_extension(x509.SubjectAlternativeName(names), critical=False).sign(ca_key, hashes.SHA256()))
    paths = {name: os.path.join(work, name) for name in ["ca.pem", "server.pem", "server.key"]}
    with open(paths["ca.pem"], "wb") as f:
        f.write(ca.public_bytes(serialization.Encoding.PEM))
    with open(paths["server.pem"], "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))
    with open(os.open(paths["server.key"], os.O_WRONLY | os.O_CREAT, 0o600), "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return paths


def write(path, text, mode=0o600):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode), "w") as f:
        f.write(text)


def run(args, env=None, log=None):
    result = subprocess.run(args, env={**os.environ, **(env or {})}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if log:
        with open(log, "a") as f:
            f.write(result.stdout)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(args[:3])} failed ({result.returncode}):\n{result.stdout[-3000:]}")


class API:
    def __init__(self, work):
        self.context = ssl.create_default_context(cafile=f"{work}/ca.pem")
        self.token = None

    def call(self, method, url, body=None, raw=None, headers=None, expect=(200, 201, 202, 204)):
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        request = urllib.request.Request(url, data=data, method=method)
        request.add_header("Content-Type", "application/octet-stream" if raw is not None else "application/json")
        if self.token:
            request.add_header("X-Auth-Token", self.token)
        for key, value in (headers or {}).items():
            request.add_header(key, value)
        try:
            with urllib.request.urlopen(request, context=self.context, timeout=60) as response:
                text = response.read()
                return response.status, response.headers, (json.loads(text) if text and response.headers.get("Content-Type", "").startswith("application/json") else None)
        except urllib.error.HTTPError as error:
            if error.code in expect:
                return error.code, error.headers, None
            raise SystemExit(f"{method} {url} -> {error.code}: {error.read()[:500]!r}")


def wait_until(predicate, seconds, what, work=None):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            if predicate():
                return
        except Exception:
            pass
        time.sleep(0.3)
    # Say why: the end of the service's own log (the test that started the peer shows this).
    tail = ""
    for log in ([f"{work}/{what}/server.log", f"{work}/logs/{what}.log"] if work else []):
        if os.path.exists(log):
            with open(log, errors="replace") as handle:
                tail = "".join(handle.readlines()[-15:])
    raise SystemExit(f"timed out waiting for {what}; the end of its log:\n{tail}")


def watch_parent():
    """Stops the peer (SIGTERM to itself, taken by main's sigwait) when the process that started it is gone, so that a
    test run killed with -9 leaves no services behind."""
    parent = os.getppid()

    def watch():
        while os.getppid() == parent:
            time.sleep(1)
        os.kill(os.getpid(), signal.SIGTERM)
    threading.Thread(target=watch, daemon=True).start()


def stop(*_):
    # Each gunicorn leads a process group of its own (its master and workers): the group is signalled, so that no
    # worker outlives a master that was killed while it waited for them (the eventlet services ignore a graceful stop).
    def signal_group(process, number):
        try:
            os.killpg(process.pid, number)
        except ProcessLookupError:
            pass
    for process in children:
        signal_group(process, signal.SIGTERM)
    deadline = time.monotonic() + 5
    for process in children:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            pass
        signal_group(process, signal.SIGKILL)
        process.wait()
