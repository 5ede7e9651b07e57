#!/usr/bin/env python3
"""Real OpenStack API servers (Keystone, Glance, Neutron, Nova, Cinder) on 127.0.0.1 over HTTPS.

Usage: ATMO_PEER_ADMIN_PASSWORD=... openstack_peer.py WORKDIR
Catalog URLs use https://<service>.cloud.test:<port>; nothing resolves those names, so clients map
them to 127.0.0.1 (curl --resolve). Writes WORKDIR/peer.json and prints READY, then serves until
SIGTERM or SIGINT, or until the process that started it is gone, when it stops every server. Seed:
an active public image, flavor m1.tiny, an external flat network `public` (203.0.113.0/24, pool
.10-.50), router `public_router` with its gateway there, and a tenant network `selfservice`
attached to it. peer_support.py and openstack_config.py hold what compute_peer.py shares with it.
"""
import concurrent.futures
import json
import os
import secrets
import signal
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from openstack_config import *  # noqa: E402,F401,F403 (the peers' configuration, for compute_peer.py too)
from openstack_config import bootstrap_keystone, configure, prepare_databases, serve  # noqa: E402
from peer_support import *  # noqa: E402,F401,F403 (the shared helpers, for compute_peer.py too)
from peer_support import API, children, listen, make_certificates, stop, wait_until, watch_parent, write  # noqa: E402

SERVICES = ["keystone", "glance", "neutron", "nova", "cinder"]
CATALOG = {"glance": ("image", ""), "neutron": ("network", ""), "nova": ("compute", "/v2.1"),
           "cinder": ("volumev3", "/v3/%(project_id)s"), "placement": ("placement", "")}


def login(api, keystone, admin_password):
    """Logs the admin in (retried by the caller until Keystone answers); the token goes on `api`."""
    auth = {"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "admin", "domain": {"id": "default"}, "password": admin_password}}},
                     "scope": {"project": {"name": "admin", "domain": {"id": "default"}}}}}
    _, headers, _ = api.call("POST", f"{keystone}/auth/tokens", auth)
    api.token = headers["X-Subject-Token"]
    return True


def register(api, keystone, ports, service_password, services, roles=("admin",)):
    """The service project, a user per service holding `roles` there, and each service's catalog entry (public and
    admin on its cloud.test name, internal on localhost)."""
    _, _, body = api.call("POST", f"{keystone}/projects", {"project": {"name": "service", "domain_id": "default"}})
    service_project = body["project"]["id"]
    role_ids = []
    for name in roles:
        _, _, body = api.call("GET", f"{keystone}/roles?name={name}")
        if not body["roles"]:
            _, _, body = api.call("POST", f"{keystone}/roles", {"role": {"name": name}})
            body = {"roles": [body["role"]]}
        role_ids.append(body["roles"][0]["id"])
    for service in services:
        kind, path = CATALOG[service]
        _, _, body = api.call("POST", f"{keystone}/users", {"user": {"name": service, "domain_id": "default", "password": service_password}})
        for role in role_ids:
            api.call("PUT", f"{keystone}/projects/{service_project}/users/{body['user']['id']}/roles/{role}")
        _, _, body = api.call("POST", f"{keystone}/services", {"service": {"type": kind, "name": service, "enabled": True}})
        for interface, host in (("public", f"{service}.cloud.test"), ("internal", "localhost"), ("admin", f"{service}.cloud.test")):
            api.call("POST", f"{keystone}/endpoints", {"endpoint": {"service_id": body["service"]["id"], "interface": interface,
                                                                   "region_id": "RegionOne", "url": f"https://{host}:{ports[service]}{path}"}})
    return role_ids


def wait_for_apis(api, keystone, local, work):
    """Waits until Glance, Neutron, Nova and Cinder answer; returns the admin project's id."""
    wait_until(lambda: api.call("GET", f"{local['glance']}/v2/images")[0] == 200, 120, "glance", work)
    wait_until(lambda: api.call("GET", f"{local['neutron']}/v2.0/networks")[0] == 200, 120, "neutron", work)
    wait_until(lambda: api.call("GET", f"{local['nova']}/v2.1/flavors")[0] == 200, 120, "nova", work)
    _, _, token = api.call("GET", f"{keystone}/auth/tokens", headers={"X-Subject-Token": api.token})
    project_id = token["token"]["project"]["id"]
    wait_until(lambda: api.call("GET", f"{local['cinder']}/v3/{project_id}/types")[0] == 200, 120, "cinder", work)
    return project_id


def seed(api, local, external_cidr="203.0.113"):
    """An active public image, flavor m1.tiny, the external network `public` (EXTERNAL.0/24, pool .10-.50) with the
    router `public_router`, and the tenant network `selfservice` behind it. Returns the image and the external network."""
    _, _, image = api.call("POST", f"{local['glance']}/v2/images", {"name": "cirros", "disk_format": "raw", "container_format": "bare", "visibility": "public"})
    api.call("PUT", f"{local['glance']}/v2/images/{image['id']}/file", raw=b"\0" * 4096)
    api.call("POST", f"{local['nova']}/v2.1/flavors", {"flavor": {"name": "m1.tiny", "ram": 512, "vcpus": 1, "disk": 1, "id": "1"}})
    n = local["neutron"] + "/v2.0"
    _, _, public = api.call("POST", f"{n}/networks", {"network": {"name": "public", "router:external": True, "provider:network_type": "flat",
                                                                 "provider:physical_network": "physnet1"}})
    api.call("POST", f"{n}/subnets", {"subnet": {"name": "public-subnet", "network_id": public["network"]["id"], "cidr": f"{external_cidr}.0/24", "ip_version": 4,
                                                "gateway_ip": f"{external_cidr}.1", "enable_dhcp": False,
                                                "allocation_pools": [{"start": f"{external_cidr}.10", "end": f"{external_cidr}.50"}]}})
    _, _, router = api.call("POST", f"{n}/routers", {"router": {"name": "public_router", "external_gateway_info": {"network_id": public["network"]["id"]}}})
    _, _, tenant = api.call("POST", f"{n}/networks", {"network": {"name": "selfservice"}})
    _, _, subnet = api.call("POST", f"{n}/subnets", {"subnet": {"name": "selfservice-subnet", "network_id": tenant["network"]["id"], "cidr": "10.0.0.0/24", "ip_version": 4}})
    api.call("PUT", f"{n}/routers/{router['router']['id']}/add_router_interface", {"subnet_id": subnet["subnet"]["id"]})
    return image["id"], public["network"]["id"]


def publish(work, ports, image_id, external_network_id, more=None):
    """Writes peer.json (atomically) and the admin openrc without its password (given as OS_PASSWORD), then says READY."""
    description = {"ports": ports, "ca": f"{work}/ca.pem", "auth_url": f"https://keystone.cloud.test:{ports['keystone']}/v3",
                   "resolve": [f"{service}.cloud.test:{port}:127.0.0.1" for service, port in ports.items()],
                   "image_id": image_id, "external_network_id": external_network_id, "pids": [p.pid for p in children], **(more or {})}
    write(f"{work}/admin-openrc", "".join(f'export {key}="{value}"\n' for key, value in [
        ("OS_AUTH_URL", description["auth_url"]), ("OS_USERNAME", "admin"), ("OS_PROJECT_NAME", "admin"),
        ("OS_USER_DOMAIN_NAME", "Default"), ("OS_PROJECT_DOMAIN_NAME", "Default"), ("OS_REGION_NAME", "RegionOne"),
        ("OS_INTERFACE", "public")]))
    write(f"{work}/peer.json.tmp", json.dumps(description, indent=1))
    os.rename(f"{work}/peer.json.tmp", f"{work}/peer.json")
    print("READY", flush=True)


def main():
    watch_parent()
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
    wait_until(lambda: login(api, keystone, admin_password), 90, "keystone", work)
    register(api, keystone, ports, service_password, ["glance", "neutron", "nova", "cinder"])
    for service in ["glance", "neutron", "nova", "cinder"]:
        serve(work, service, ports[service])
    local = {service: f"https://localhost:{ports[service]}" for service in SERVICES}
    wait_for_apis(api, keystone, local, work)
    image_id, external_network_id = seed(api, local)
    publish(work, ports, image_id, external_network_id)
    signal.sigwait({signal.SIGTERM, signal.SIGINT})


if __name__ == "__main__":
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
    try:
        main()
    finally:
        stop()
