"""The OpenStack services' configuration, databases and servers, for the test peers."""
import concurrent.futures  # noqa: F401
import os
import subprocess
import sys

from peer_support import BIN, VENV, children, listeners, run, write

def service_auth(work, ports, section, user, password):
    """A `[section]` through which a service's process authenticates to Keystone as `user` of the service project, over
    TLS; what keystonemiddleware and each client section (Nova's [neutron], [placement]...) read alike."""
    return f"""
[{section}]
auth_type = password
auth_url = https://localhost:{ports['keystone']}/v3
project_name = service
project_domain_name = Default
user_domain_name = Default
username = {user}
password = {password}
region_name = RegionOne
cafile = {work}/ca.pem
"""


def authtoken(work, ports, service, password):
    """keystonemiddleware's section for `service`: its own login, and the Keystone it names to clients."""
    return service_auth(work, ports, "keystone_authtoken", service, password) + \
        f"www_authenticate_uri = https://localhost:{ports['keystone']}/v3\n"


def configure(work, ports, service_password, bus="fake://", mechanism_drivers=""):
    """Each service's configuration. `bus` is the services' transport_url (fake:// when nothing but the APIs runs);
    a service's `extra.conf`, when a caller writes one, is read after its main file."""
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
transport_url = {bus}
notify_nova_on_port_status_changes = false
notify_nova_on_port_data_changes = false
api_paste_config = {work}/neutron/api-paste.ini
state_path = {work}/neutron
[database]
connection = sqlite:///{work}/neutron/neutron.db
[oslo_concurrency]
lock_path = {work}/neutron/lock
{authtoken(work, ports, 'neutron', service_password)}""")
    write(f"{work}/neutron/plugins/ml2/ml2_conf.ini", f"""
[ml2]
type_drivers = flat,vxlan
tenant_network_types = vxlan
mechanism_drivers = {mechanism_drivers}
extension_drivers = port_security
[ml2_type_flat]
flat_networks = physnet1
[ml2_type_vxlan]
vni_ranges = 1:1000
""")
    run(["cp", f"{etc}/neutron/api-paste.ini", f"{work}/neutron/"])
    write(f"{work}/nova/nova.conf", f"""
[DEFAULT]
transport_url = {bus}
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
transport_url = {bus}
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


def extra(work, service):
    """The file names of a service's configuration after its main one: its extra.conf, when a caller wrote one."""
    return ["extra.conf"] if os.path.exists(f"{work}/{service}/extra.conf") else []


def config_files(work, service):
    """A service's configuration files as its command-line programs take them (--config-file each)."""
    main = {"neutron": ["neutron.conf", "plugins/ml2/ml2_conf.ini"], "nova": ["nova.conf"], "cinder": ["cinder.conf"],
            "placement": ["placement.conf"]}[service]
    return [argument for name in main + extra(work, service) for argument in ("--config-file", f"{work}/{service}/{name}")]


def environment(work):
    return {
        "keystone": {"OS_KEYSTONE_CONFIG_DIR": f"{work}/keystone", "OS_KEYSTONE_CONFIG_FILES": "keystone.conf"},
        "glance": {"OS_GLANCE_CONFIG_DIR": f"{work}/glance"},
        "neutron": {"OS_NEUTRON_CONFIG_DIR": f"{work}/neutron",
                    "OS_NEUTRON_CONFIG_FILES": ";".join(["neutron.conf", "plugins/ml2/ml2_conf.ini"] + extra(work, "neutron"))},
        "nova": {"OS_NOVA_CONFIG_DIR": f"{work}/nova", "OS_NOVA_CONFIG_FILES": ";".join(["api-paste.ini", "nova.conf"] + extra(work, "nova"))},
        "cinder": {},
        "placement": {"OS_PLACEMENT_CONFIG_DIR": f"{work}/placement"},
    }


def prepare_databases(work, bus="fake://"):
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
        for step in (["api_db", "sync"], ["cell_v2", "map_cell0"], ["cell_v2", "create_cell", "--name", "cell1", "--transport-url", bus], ["db", "sync"]):
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
              "nova": "nova.wsgi.osapi_compute", "cinder": "cinder.wsgi.api", "placement": "placement.wsgi.api"}[service]
    # Cinder's WSGI module reads no config-dir variable: it is given its files as arguments.
    argv = f"sys.argv[:1] + {config_files(work, 'cinder')!r}" if service == "cinder" else "sys.argv[:1]"
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
