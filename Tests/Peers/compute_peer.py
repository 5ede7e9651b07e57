#!/usr/bin/env python3
"""Real OpenStack that boots servers on 127.0.0.1: openstack_peer.py's APIs, and behind them RabbitMQ (Debian's, a node
of its own), Placement, Nova's conductor, scheduler and compute (the fake virt driver), Neutron's RPC server (the stock
ML2 Open vSwitch driver, bound through an agent's state report), Cinder's scheduler and volume service (the fake
volume driver). ../shared/reference/openstack.md sections 6 and 7 hold the facts this follows.

Usage: ATMO_PEER_ADMIN_PASSWORD=... compute_peer.py WORKDIR
Writes WORKDIR/peer.json (as openstack_peer.py does, plus "compute": true and the floating IP range) and prints READY
once a server can be booted and a volume made; serves until SIGTERM or SIGINT, then stops every process it started
(each in a process group of its own, by its recorded PID). The external network's subnet is 127.0.113.0/24 (pool .10 to
.50), so that whatever probes a floating IP stays on loopback; nothing answers there: no VM runs.
"""
import concurrent.futures
import os
import secrets
import signal
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import openstack_peer as base  # noqa: E402
from compute_config import HOST, configure_compute, sitecustomize  # noqa: E402

SERVICES = base.SERVICES + ["placement"]
EXTERNAL = "127.0.113"
RABBITMQ = "/usr/lib/rabbitmq/bin/rabbitmq-server"


def free_port():
    """A port for a program that cannot be handed a socket (RabbitMQ, epmd): bound to learn it, then closed."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def spawn(work, name, args, env=None):
    """Starts a long-running program in a process group of its own, its output in WORKDIR/logs/NAME.log."""
    os.makedirs(f"{work}/logs", exist_ok=True)
    log = open(f"{work}/logs/{name}.log", "a")
    process = subprocess.Popen(args, env={**os.environ, **(env or {})}, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True, cwd=work)
    base.children.append(process)
    return process


def start_rabbitmq(work):
    """A RabbitMQ node of its own on 127.0.0.1, with its own epmd (started first, as our child, so the broker does not
    spawn a daemon that would outlive it). Returns the services' transport URL."""
    if not os.path.exists(RABBITMQ):
        raise SystemExit(f"{RABBITMQ} is missing: install Debian's rabbitmq-server (make test-compute does)")
    home = f"{work}/rabbitmq"
    os.makedirs(home, exist_ok=True)
    epmd_port, amqp_port, dist_port = free_port(), free_port(), free_port()
    spawn(work, "epmd", ["epmd", "-port", str(epmd_port), "-address", "127.0.0.1"])
    base.write(f"{home}/enabled_plugins", "[].\n", 0o644)
    base.write(f"{home}/.erlang.cookie", secrets.token_hex(16), 0o400)
    env = {"HOME": home, "RABBITMQ_NODENAME": f"atmo{os.getpid()}@localhost", "RABBITMQ_NODE_IP_ADDRESS": "127.0.0.1",
           "RABBITMQ_NODE_PORT": str(amqp_port), "RABBITMQ_DIST_PORT": str(dist_port), "ERL_EPMD_ADDRESS": "127.0.0.1",
           "ERL_EPMD_PORT": str(epmd_port), "RABBITMQ_MNESIA_BASE": f"{home}/mnesia", "RABBITMQ_LOG_BASE": f"{home}/log",
           "RABBITMQ_ENABLED_PLUGINS_FILE": f"{home}/enabled_plugins", "RABBITMQ_CONFIG_FILE": f"{home}/rabbitmq",
           "RABBITMQ_ADVANCED_CONFIG_FILE": f"{home}/advanced.config", "RABBITMQ_CONF_ENV_FILE": f"{home}/rabbitmq-env.conf"}
    base.write(f"{home}/rabbitmq.conf", "loopback_users = none\n", 0o644)
    spawn(work, "rabbitmq", [RABBITMQ], env)

    def accepts():
        with socket.create_connection(("127.0.0.1", amqp_port), timeout=1) as sock:
            sock.sendall(b"AMQP\x00\x00\x09\x01")
            return sock.recv(1)[:1] == b"\x01"  # connection.start: a method frame
    base.wait_until(accepts, 90, "rabbitmq", work)
    return f"rabbit://guest:guest@127.0.0.1:{amqp_port}/"


def report_agent_state(work):
    """Sends the Open vSwitch agent's state report for the compute host every 10 s (Neutron's own RPC client), so the
    stock ML2 driver binds ports there. Nothing is wired: ports and floating IPs stay DOWN."""
    script = f"""
import sys, time
from oslo_config import cfg
from neutron.common import config
from neutron.conf.agent import common as agent_config
config.register_common_config_options()
agent_config.register_agent_state_opts_helper(cfg.CONF)
config.init(["--config-file", "{work}/neutron/neutron.conf", "--config-file", "{work}/neutron/plugins/ml2/ml2_conf.ini"])
from neutron_lib import context, rpc
from neutron_lib.agent import topics
from neutron.agent import rpc as agent_rpc
rpc.init(cfg.CONF)
api = agent_rpc.PluginReportStateAPI(topics.REPORTS)
state = {{"binary": "neutron-openvswitch-agent", "host": "{HOST}", "topic": "N/A", "agent_type": "Open vSwitch agent",
         "configurations": {{"bridge_mappings": {{"physnet1": "br-ex"}}, "tunnel_types": ["vxlan"], "tunneling_ip": "127.0.0.1",
                            "l2_population": False, "enable_distributed_routing": False, "datapath_type": "system",
                            "ovs_hybrid_plug": False, "integration_bridge": "br-int"}}, "start_flag": True}}
while True:
    try:
        api.report_state(context.get_admin_context_without_session(), state, use_call=True)
        state.pop("start_flag", None)
        print("reported", flush=True)
    except Exception as error:
        print("report failed:", error, flush=True)
    time.sleep(10)
"""
    base.write(f"{work}/ovs_agent_state.py", script, 0o644)
    return spawn(work, "ovs-agent-state", [sys.executable, f"{work}/ovs_agent_state.py"])


def start_workers(work):
    env = {"PYTHONPATH": f"{work}/site"}
    spawn(work, "neutron-rpc-server", [f"{base.BIN}/neutron-rpc-server", *base.config_files(work, "neutron")], env)
    for program in ["nova-conductor", "nova-scheduler"]:
        spawn(work, program, [f"{base.BIN}/{program}", *base.config_files(work, "nova")], env)
    spawn(work, "nova-compute", [f"{base.BIN}/nova-compute", "--config-file", f"{work}/nova/compute.conf"], env)
    for program in ["cinder-scheduler", "cinder-volume"]:
        spawn(work, program, [f"{base.BIN}/{program}", *base.config_files(work, "cinder")], env)


def main():
    base.watch_parent()
    work = os.path.abspath(sys.argv[1])
    for service in SERVICES:
        os.makedirs(f"{work}/{service}", exist_ok=True)
    started = time.monotonic()
    admin_password = os.environ["ATMO_PEER_ADMIN_PASSWORD"]
    service_password = secrets.token_urlsafe(24)
    sitecustomize(work)
    os.environ["PYTHONPATH"] = f"{work}/site"
    ports = {service: base.listen(service) for service in SERVICES}
    base.make_certificates(work)
    # The services call each other on https://localhost:PORT; requests trusts the peer's CA through this.
    os.environ["REQUESTS_CA_BUNDLE"] = f"{work}/ca.pem"
    bus = start_rabbitmq(work)
    base.configure(work, ports, service_password, bus=bus, mechanism_drivers="openvswitch")
    configure_compute(work, ports, service_password)
    placement_db = [f"{base.BIN}/placement-manage", *base.config_files(work, "placement"), "db", "sync"]
    with concurrent.futures.ThreadPoolExecutor(max_workers=6) as pool:
        jobs = [pool.submit(job) for job in base.prepare_databases(work, bus)]
        jobs += [pool.submit(base.bootstrap_keystone, work, ports, admin_password),
                 pool.submit(base.run, placement_db, None, f"{work}/placement/setup.log")]
        for job in jobs:
            job.result()
    base.serve(work, "keystone", ports["keystone"])
    api = base.API(work)
    keystone = f"https://localhost:{ports['keystone']}/v3"
    base.wait_until(lambda: base.login(api, keystone, admin_password), 90, "keystone", work)
    roles = base.register(api, keystone, ports, service_password, ["glance", "neutron", "nova", "cinder", "placement"],
                          roles=("admin", "service"))
    # Nova deletes volume attachments with the admin's token and its own service token: the admin holds `service` too.
    _, _, body = api.call("GET", f"{keystone}/projects?name=admin")
    _, _, users = api.call("GET", f"{keystone}/users?name=admin")
    api.call("PUT", f"{keystone}/projects/{body['projects'][0]['id']}/users/{users['users'][0]['id']}/roles/{roles[1]}")
    for service in ["glance", "neutron", "nova", "cinder", "placement"]:
        base.serve(work, service, ports[service])
    local = {service: f"https://localhost:{ports[service]}" for service in SERVICES}
    project_id = base.wait_for_apis(api, keystone, local, work)
    base.wait_until(lambda: api.call("GET", f"{local['placement']}/")[0] == 200, 120, "placement", work)
    start_workers(work)
    report_agent_state(work)
    image_id, external_network_id = base.seed(api, local, EXTERNAL)
    # Ready means a boot can succeed: the compute host is a resource provider, mapped to cell1, and Cinder's scheduler
    # lists the volume backend (before that, every volume fails with NoValidBackend).
    base.wait_until(lambda: api.call("GET", f"{local['placement']}/resource_providers")[2]["resource_providers"], 180, "nova-compute", work)
    base.wait_until(lambda: api.call("GET", f"{local['nova']}/v2.1/os-hypervisors")[2]["hypervisors"], 60, "nova-scheduler", work)
    base.wait_until(lambda: api.call("GET", f"{local['cinder']}/v3/{project_id}/scheduler-stats/get_pools")[2]["pools"], 120,
                    "cinder-volume", work)
    base.wait_until(lambda: any(agent["alive"] for agent in api.call("GET", f"{local['neutron']}/v2.0/agents")[2]["agents"]), 60,
                    "ovs-agent-state", work)
    base.publish(work, ports, image_id, external_network_id, {
        "compute": True, "floating_range": f"{EXTERNAL}.0/24", "started_seconds": round(time.monotonic() - started, 1)})
    signal.sigwait({signal.SIGTERM, signal.SIGINT})


if __name__ == "__main__":
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
    try:
        main()
    finally:
        base.stop()
