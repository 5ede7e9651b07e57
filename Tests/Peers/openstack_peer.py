#!/usr/bin/env python3
"""Real OpenStack API servers (Keystone, Glance, Neutron, Nova, Cinder) on 127.0.0.1 over HTTPS.

Usage: ATMO_PEER_ADMIN_PASSWORD=... openstack_peer.py WORKDIR
Catalog URLs use https://<service>.cloud.test:<port>; nothing resolves those names, so clients map
them to 127.0.0.1 (curl --resolve). Writes WORKDIR/peer.json and prints READY, then serves until
SIGTERM or SIGINT, when it stops every server. Seed: an active public image, flavor m1.tiny, an
external flat network `public` (203.0.113.0/24, pool .10-.50), router `public_router` with its
gateway there, and a tenant network `selfservice` attached to it.
"""
import concurrent.futures
import datetime
import ipaddress
import json
import os
import secrets
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

VENV = os.path.dirname(os.path.dirname(os.path.abspath(sys.executable)))
BIN = os.path.join(VENV, "bin")
SERVICES = ["keystone", "glance", "neutron", "nova", "cinder"]
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


def authtoken(work, ports, service, password):
    return f"""
[keystone_authtoken]
www_authenticate_uri = https://localhost:{ports['keystone']}/v3
auth_url = https://localhost:{ports['keystone']}/v3
auth_type = password
project_name = service
project_domain_name = Default
user_domain_name = Default
username = {service}
password = {password}
cafile = {work}/ca.pem
"""


def configure(work, ports, service_password):
    k = ports["keystone"]
    write(f"{work}/keystone/keystone.conf", f"""
[database]
connection = sqlite:///{work}/keystone/keystone.db
[token]
provider = fernet
[fernet_tokens]
key_repository = {work}/keystone/fernet-keys
[fernet_receipts]
key_repository = {work}/keystone/fernet-receipts
[credential]
key_repository = {work}/keystone/credential-keys
[cache]
enabled = true
backend = dogpile.cache.memory
[identity]
password_hash_rounds = 4
""")
    for name in ["fernet-keys", "fernet-receipts", "credential-keys"]:
        os.makedirs(f"{work}/keystone/{name}", mode=0o700, exist_ok=True)
    etc = os.path.join(VENV, "etc")
    write(f"{work}/glance/glance-api.conf", f"""
[DEFAULT]
enabled_backends = fs:file
[database]
connection = sqlite:///{work}/glance/glance.db
[glance_store]
default_backend = fs
[fs]
filesystem_store_datadir = {work}/glance/images
[os_glance_staging_store]
filesystem_store_datadir = {work}/glance/staging
[os_glance_tasks_store]
filesystem_store_datadir = {work}/glance/tasks
[paste_deploy]
flavor = keystone
config_file = {work}/glance/glance-api-paste.ini
{authtoken(work, ports, 'glance', service_password)}""")
    run(["cp", f"{etc}/glance/glance-api-paste.ini", f"{work}/glance/"])
    write(f"{work}/neutron/neutron.conf", f"""
[DEFAULT]
core_plugin = ml2
service_plugins = router
auth_strategy = keystone
transport_url = fake://
notify_nova_on_port_status_changes = false
notify_nova_on_port_data_changes = false
api_paste_config = {work}/neutron/api-paste.ini
state_path = {work}/neutron
[database]
connection = sqlite:///{work}/neutron/neutron.db
[oslo_concurrency]
lock_path = {work}/neutron/lock
{authtoken(work, ports, 'neutron', service_password)}""")
    write(f"{work}/neutron/plugins/ml2/ml2_conf.ini", """
[ml2]
type_drivers = flat,vxlan
tenant_network_types = vxlan
mechanism_drivers =
extension_drivers = port_security
[ml2_type_flat]
flat_networks = physnet1
[ml2_type_vxlan]
vni_ranges = 1:1000
""")
    run(["cp", f"{etc}/neutron/api-paste.ini", f"{work}/neutron/"])
    write(f"{work}/nova/nova.conf", f"""
[DEFAULT]
transport_url = fake://
state_path = {work}/nova
[api]
auth_strategy = keystone
[wsgi]
api_paste_config = {work}/nova/api-paste.ini
[api_database]
connection = sqlite:///{work}/nova/nova_api.db
[database]
connection = sqlite:///{work}/nova/nova.db
[oslo_concurrency]
lock_path = {work}/nova/lock
{authtoken(work, ports, 'nova', service_password)}""")
    run(["cp", f"{etc}/nova/api-paste.ini", f"{work}/nova/"])
    write(f"{work}/cinder/cinder.conf", f"""
[DEFAULT]
auth_strategy = keystone
transport_url = fake://
api_paste_config = {work}/cinder/api-paste.ini
state_path = {work}/cinder
[database]
connection = sqlite:///{work}/cinder/cinder.db
[oslo_concurrency]
lock_path = {work}/cinder/lock
[coordination]
backend_url = file://{work}/cinder/coordination
{authtoken(work, ports, 'cinder', service_password)}""")
    run(["cp", f"{etc}/cinder/api-paste.ini", f"{work}/cinder/"])


def environment(work):
    return {
        "keystone": {"OS_KEYSTONE_CONFIG_DIR": f"{work}/keystone", "OS_KEYSTONE_CONFIG_FILES": "keystone.conf"},
        "glance": {"OS_GLANCE_CONFIG_DIR": f"{work}/glance"},
        "neutron": {"OS_NEUTRON_CONFIG_DIR": f"{work}/neutron"},
        "nova": {"OS_NOVA_CONFIG_DIR": f"{work}/nova"},
        "cinder": {},
    }


def prepare_databases(work):
    """Schema for the four services (none needs Keystone): run while Keystone bootstraps."""
    def glance():
        run([f"{BIN}/glance-manage", "--config-file", f"{work}/glance/glance-api.conf", "db_sync"], log=f"{work}/glance/setup.log")

    def neutron():
        script = ("from neutron.db.migration.models import head\n"
                  "from neutron_lib.db import model_base\nimport sqlalchemy\n"
                  f"model_base.BASEV2.metadata.create_all(sqlalchemy.create_engine('sqlite:///{work}/neutron/neutron.db'))\n")
        run([sys.executable, "-c", script], log=f"{work}/neutron/setup.log")
        run([f"{BIN}/neutron-db-manage", "--config-file", f"{work}/neutron/neutron.conf", "--config-file",
             f"{work}/neutron/plugins/ml2/ml2_conf.ini", "stamp", "heads"], log=f"{work}/neutron/setup.log")

    def nova():
        conf = ["--config-file", f"{work}/nova/nova.conf"]
        for step in (["api_db", "sync"], ["cell_v2", "map_cell0"], ["cell_v2", "create_cell", "--name", "cell1", "--transport-url", "fake://"], ["db", "sync"]):
            run([f"{BIN}/nova-manage", *conf, *step], log=f"{work}/nova/setup.log")

    def cinder():
        run([f"{BIN}/cinder-manage", "--config-file", f"{work}/cinder/cinder.conf", "db", "sync"], log=f"{work}/cinder/setup.log")

    return [glance, neutron, nova, cinder]


def bootstrap_keystone(work, ports, admin_password):
    env = environment(work)["keystone"]
    # keystone-manage reads only its --config-file; the WSGI app reads OS_KEYSTONE_CONFIG_DIR.
    manage = [f"{BIN}/keystone-manage", "--config-file", f"{work}/keystone/keystone.conf"]
    user = ["--keystone-user", str(os.getuid()), "--keystone-group", str(os.getgid())]
    log = f"{work}/keystone/setup.log"
    run(manage + ["db_sync"], env, log)
    run(manage + ["fernet_setup"] + user, env, log)
    run(manage + ["receipt_setup"] + user, env, log)
    run(manage + ["credential_setup"] + user, env, log)
    public = f"https://keystone.cloud.test:{ports['keystone']}/v3"
    run(manage + ["bootstrap", "--bootstrap-password", admin_password, "--bootstrap-username", "admin",
                  "--bootstrap-project-name", "admin", "--bootstrap-role-name", "admin", "--bootstrap-service-name", "keystone",
                  "--bootstrap-region-id", "RegionOne", "--bootstrap-admin-url", public,
                  "--bootstrap-internal-url", f"https://localhost:{ports['keystone']}/v3", "--bootstrap-public-url", public],
        {**env, "OS_BOOTSTRAP_PASSWORD": admin_password}, log)


def serve(work, service, port):
    module = {"keystone": "keystone.wsgi.api", "glance": "glance.wsgi.api", "neutron": "neutron.wsgi.api",
              "nova": "nova.wsgi.osapi_compute", "cinder": "cinder.wsgi.api"}[service]
    argv = f"[sys.argv[0], '--config-file', '{work}/cinder/cinder.conf']" if service == "cinder" else "sys.argv[:1]"
    # oslo.config parses sys.argv when the app loads: hide gunicorn's flags from it.
    write(f"{work}/wsgi_{service}.py", f"import sys\nsys.argv = {argv}\nfrom {module} import application  # noqa\n", 0o644)
    log = open(f"{work}/{service}/server.log", "a")
    descriptor = listeners[service].fileno()
    process = subprocess.Popen([f"{BIN}/gunicorn", "--chdir", work, "--bind", f"fd://{descriptor}", "--workers", "1", "--timeout", "120",
                                "--certfile", f"{work}/server.pem", "--keyfile", f"{work}/server.key", f"wsgi_{service}:application"],
                               env={**os.environ, **environment(work)[service]}, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True, pass_fds=(descriptor,))
    children.append(process)
    return process


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
    if work and os.path.exists(f"{work}/{what}/server.log"):
        with open(f"{work}/{what}/server.log", errors="replace") as handle:
            tail = "".join(handle.readlines()[-15:])
    raise SystemExit(f"timed out waiting for {what}; the end of its log:\n{tail}")


def main():
    work = os.path.abspath(sys.argv[1])
    os.makedirs(work, exist_ok=True)
    for service in SERVICES:
        os.makedirs(f"{work}/{service}", exist_ok=True)
    admin_password = os.environ["ATMO_PEER_ADMIN_PASSWORD"]
    service_password = secrets.token_urlsafe(24)
    ports = {service: listen(service) for service in SERVICES}
    make_certificates(work)
    configure(work, ports, service_password)
    with concurrent.futures.ThreadPoolExecutor(max_workers=5) as pool:
        jobs = [pool.submit(job) for job in prepare_databases(work)] + [pool.submit(bootstrap_keystone, work, ports, admin_password)]
        for job in jobs:
            job.result()
    serve(work, "keystone", ports["keystone"])
    api = API(work)
    keystone = f"https://localhost:{ports['keystone']}/v3"
    auth = {"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "admin", "domain": {"id": "default"}, "password": admin_password}}},
                     "scope": {"project": {"name": "admin", "domain": {"id": "default"}}}}}

    def login():
        _, headers, _ = api.call("POST", f"{keystone}/auth/tokens", auth)
        api.token = headers["X-Subject-Token"]
        return True
    wait_until(login, 90, "keystone", work)
    _, _, body = api.call("POST", f"{keystone}/projects", {"project": {"name": "service", "domain_id": "default"}})
    service_project = body["project"]["id"]
    _, _, body = api.call("GET", f"{keystone}/roles?name=admin")
    admin_role = body["roles"][0]["id"]
    catalog = {"glance": ("image", ""), "neutron": ("network", ""), "nova": ("compute", "/v2.1"), "cinder": ("volumev3", "/v3/%(project_id)s")}
    for service, (kind, path) in catalog.items():
        _, _, body = api.call("POST", f"{keystone}/users", {"user": {"name": service, "domain_id": "default", "password": service_password}})
        api.call("PUT", f"{keystone}/projects/{service_project}/users/{body['user']['id']}/roles/{admin_role}")
        _, _, body = api.call("POST", f"{keystone}/services", {"service": {"type": kind, "name": service, "enabled": True}})
        for interface, host in (("public", f"{service}.cloud.test"), ("internal", "localhost"), ("admin", f"{service}.cloud.test")):
            api.call("POST", f"{keystone}/endpoints", {"endpoint": {"service_id": body["service"]["id"], "interface": interface,
                                                                   "region_id": "RegionOne", "url": f"https://{host}:{ports[service]}{path}"}})
    for service in ["glance", "neutron", "nova", "cinder"]:
        serve(work, service, ports[service])
    local = {service: f"https://localhost:{ports[service]}" for service in SERVICES}
    wait_until(lambda: api.call("GET", f"{local['glance']}/v2/images")[0] == 200, 120, "glance", work)
    wait_until(lambda: api.call("GET", f"{local['neutron']}/v2.0/networks")[0] == 200, 120, "neutron", work)
    wait_until(lambda: api.call("GET", f"{local['nova']}/v2.1/flavors")[0] == 200, 120, "nova", work)
    _, _, token = api.call("GET", f"{keystone}/auth/tokens", headers={"X-Subject-Token": api.token})
    project_id = token["token"]["project"]["id"]
    wait_until(lambda: api.call("GET", f"{local['cinder']}/v3/{project_id}/types")[0] == 200, 120, "cinder", work)

    _, _, image = api.call("POST", f"{local['glance']}/v2/images", {"name": "cirros", "disk_format": "raw", "container_format": "bare", "visibility": "public"})
    api.call("PUT", f"{local['glance']}/v2/images/{image['id']}/file", raw=b"\0" * 4096)
    api.call("POST", f"{local['nova']}/v2.1/flavors", {"flavor": {"name": "m1.tiny", "ram": 512, "vcpus": 1, "disk": 1, "id": "1"}})
    n = local["neutron"] + "/v2.0"
    _, _, public = api.call("POST", f"{n}/networks", {"network": {"name": "public", "router:external": True, "provider:network_type": "flat",
                                                                 "provider:physical_network": "physnet1"}})
    api.call("POST", f"{n}/subnets", {"subnet": {"name": "public-subnet", "network_id": public["network"]["id"], "cidr": "203.0.113.0/24", "ip_version": 4,
                                                "gateway_ip": "203.0.113.1", "enable_dhcp": False,
                                                "allocation_pools": [{"start": "203.0.113.10", "end": "203.0.113.50"}]}})
    _, _, router = api.call("POST", f"{n}/routers", {"router": {"name": "public_router", "external_gateway_info": {"network_id": public["network"]["id"]}}})
    _, _, tenant = api.call("POST", f"{n}/networks", {"network": {"name": "selfservice"}})
    _, _, subnet = api.call("POST", f"{n}/subnets", {"subnet": {"name": "selfservice-subnet", "network_id": tenant["network"]["id"], "cidr": "10.0.0.0/24", "ip_version": 4}})
    api.call("PUT", f"{n}/routers/{router['router']['id']}/add_router_interface", {"subnet_id": subnet["subnet"]["id"]})

    description = {"ports": ports, "ca": f"{work}/ca.pem", "auth_url": f"https://keystone.cloud.test:{ports['keystone']}/v3",
                   "resolve": [f"{service}.cloud.test:{port}:127.0.0.1" for service, port in ports.items()],
                   "image_id": image["id"], "external_network_id": public["network"]["id"], "pids": [p.pid for p in children]}
    # The admin account's openrc without its password (given as OS_PASSWORD), for the tests and `make bench`.
    write(f"{work}/admin-openrc", "".join(f'export {key}="{value}"\n' for key, value in [
        ("OS_AUTH_URL", description["auth_url"]), ("OS_USERNAME", "admin"), ("OS_PROJECT_NAME", "admin"),
        ("OS_USER_DOMAIN_NAME", "Default"), ("OS_PROJECT_DOMAIN_NAME", "Default"), ("OS_REGION_NAME", "RegionOne"),
        ("OS_INTERFACE", "public")]))
    write(f"{work}/peer.json.tmp", json.dumps(description, indent=1))
    os.rename(f"{work}/peer.json.tmp", f"{work}/peer.json")
    print("READY", flush=True)
    signal.sigwait({signal.SIGTERM, signal.SIGINT})


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


if __name__ == "__main__":
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
    try:
        main()
    finally:
        stop()
