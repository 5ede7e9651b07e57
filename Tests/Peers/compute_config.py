"""What the real-Nova peer (compute_peer.py) adds to openstack_peer.py's configuration: Placement, Nova's workers and
fake virt driver, Cinder's fake volume backend, Neutron's RPC workers, and a sitecustomize that makes SQLite usable by
many writing processes."""
import os

import openstack_peer as base

# The one compute host: nova-compute's `host`, the agent whose state report lets Neutron bind ports there, and Cinder's.
HOST = "atmo-compute"


def nova_clients(work, ports, password):
    """What every Nova process needs to reach Placement, Neutron, Cinder and Glance, and the compute driver."""
    return f"""
[DEFAULT]
compute_driver = fake.FakeDriver
host = {HOST}
my_ip = 127.0.0.1
instances_path = {work}/nova/instances
{base.service_auth(work, ports, 'placement', 'nova', password)}valid_interfaces = internal
{base.service_auth(work, ports, 'neutron', 'nova', password)}valid_interfaces = internal
{base.service_auth(work, ports, 'service_user', 'nova', password)}send_service_user_token = true
{base.service_auth(work, ports, 'cinder', 'nova', password)}catalog_info = volumev3::internalURL
os_region_name = RegionOne
[glance]
valid_interfaces = internal
cafile = {work}/ca.pem
region_name = RegionOne
[conductor]
workers = 1
[scheduler]
workers = 1
discover_hosts_in_cells_interval = 2
[oslo_concurrency]
lock_path = {work}/nova/lock
"""


def configure_compute(work, ports, password):
    """Writes each service's extra.conf (read after its main file), nova-compute's own file (no database: it goes
    through the conductor) and Placement's."""
    clients = nova_clients(work, ports, password)
    base.write(f"{work}/nova/extra.conf", clients)
    with open(f"{work}/nova/nova.conf") as handle:
        transport = next(line for line in handle if line.startswith("transport_url"))
    base.write(f"{work}/nova/compute.conf", clients.replace("[DEFAULT]\n", f"[DEFAULT]\n{transport}state_path = {work}/nova\n", 1))
    base.write(f"{work}/cinder/extra.conf", f"""
[DEFAULT]
enabled_backends = fake
host = {HOST}
periodic_interval = 10
[fake]
volume_driver = cinder.tests.fake_driver.FakeLoggingVolumeDriver
volume_backend_name = fake
target_helper = fake
""")
    base.write(f"{work}/neutron/extra.conf", """
[DEFAULT]
rpc_workers = 1
rpc_state_report_workers = 1
""")
    base.write(f"{work}/placement/placement.conf", f"""
[placement_database]
connection = sqlite:///{work}/placement/placement.db
[api]
auth_strategy = keystone
{base.authtoken(work, ports, 'placement', password)}""")


def sitecustomize(work):
    """WORKDIR/site/sitecustomize.py, on every OpenStack process's PYTHONPATH: oslo.db's transactions on SQLite begin
    with BEGIN IMMEDIATE. oslo.db emits a plain (deferred) BEGIN; a deferred transaction that turns into a write while
    another process writes fails at once with "database is locked" (nova-conductor did, at random), whatever the busy
    timeout; an immediate one waits its turn. The rewrite is in the sqlite3 cursor, under every SQLAlchemy listener."""
    base.write(f"{work}/site/sitecustomize.py", '''
import sqlite3
import sqlite3.dbapi2


class _ImmediateCursor(sqlite3.Cursor):
    def execute(self, statement, *arguments):
        if isinstance(statement, str) and statement.strip().upper() == "BEGIN":
            statement = "BEGIN IMMEDIATE"
        return super().execute(statement, *arguments)


class _ImmediateConnection(sqlite3.Connection):
    def cursor(self, factory=_ImmediateCursor):
        return super().cursor(factory)

    def execute(self, statement, *arguments):
        return self.cursor().execute(statement, *arguments)


_connect = sqlite3.connect


def _immediate_connect(*arguments, **options):
    options.setdefault("factory", _ImmediateConnection)
    options.setdefault("timeout", 30)
    return _connect(*arguments, **options)


sqlite3.connect = sqlite3.dbapi2.connect = _immediate_connect
''', 0o644)
