"""Stand-in for service/tasks/monitoring.py: the monitor_*_for tasks run in-process, reading the cloud through the
admin account driver and writing Size, ProviderMachine, Instance and Volume rows; rows no longer seen are end-dated."""
import datetime

from core.models import Identity, Instance, Provider, ProviderMachine, Size, Volume
from service.driver import get_account_driver


def _now():
    return datetime.datetime.utcnow().isoformat()


def _sync(model, provider, seen, key):
    rows = []
    for identifier, values in seen.items():
        row, _ = model.objects.get_or_create(provider=provider, **{key: identifier})
        for name, value in values.items():
            setattr(row, name, value)
        row.end_date = None
        row.save()
        rows.append(row)
    for row in model.objects.filter(provider=provider):
        if getattr(row, key) not in seen and row.end_date is None:
            row.end_date = _now()
            row.save()
    return rows


def monitor_sizes_for(provider_id, print_logs=False):
    provider = Provider.objects.get(id=provider_id)
    driver = get_account_driver(provider, raise_exception=True)
    flavors = driver.get("compute", "/flavors/detail").get("flavors", [])
    return _sync(Size, provider, {flavor["id"]: {"name": flavor["name"], "cpu": flavor.get("vcpus", 0), "mem": flavor.get("ram", 0),
                                                 "disk": flavor.get("disk", 0)} for flavor in flavors}, "alias")


def monitor_machines_for(provider_id, limit_machines=[], print_logs=False, dry_run=False, validate=True):
    provider = Provider.objects.get(id=provider_id)
    driver = get_account_driver(provider)
    if not driver:
        return []
    images = driver.get("image", "/v2/images").get("images", [])
    active = {image["id"]: {"name": image.get("name") or ""} for image in images if image.get("status") == "active"}
    return _sync(ProviderMachine, provider, active, "identifier")


def _tenants(provider):
    return {identity.get_credentials().get("ex_project_name") for identity in Identity.objects.filter(provider=provider)}


def monitor_instances_for(provider_id, users=None, print_logs=False, start_date=None, end_date=None, check_allocations=False):
    provider = Provider.objects.get(id=provider_id)
    driver = get_account_driver(provider, raise_exception=True)
    servers = driver.get("compute", "/servers/detail?all_tenants=True").get("servers", [])
    _sync(Instance, provider, {server["id"]: {"name": server.get("name", "")} for server in servers
                               if server.get("tenant_id") in _tenants(provider)}, "provider_alias")
    return None


def monitor_volumes_for(provider_id, print_logs=False):
    provider = Provider.objects.get(id=provider_id)
    driver = get_account_driver(provider, raise_exception=True)
    volumes = driver.get("volumev3", "/volumes/detail?all_tenants=True").get("volumes", [])
    rows = _sync(Volume, provider, {volume["id"]: {"name": volume.get("name") or ""} for volume in volumes
                                    if volume.get("os-vol-tenant-attr:tenant_id") in _tenants(provider)}, "identifier")
    return [row.identifier for row in rows]


def monitor_resources_for(provider_id, users=None, print_logs=False):
    sizes = monitor_sizes_for(provider_id, print_logs=print_logs)
    volumes = monitor_volumes_for(provider_id, print_logs=print_logs)
    machines = monitor_machines_for(provider_id, print_logs=print_logs)
    instances = monitor_instances_for(provider_id, users=users, print_logs=print_logs)
    return {"instances": instances, "machines": machines, "sizes": sizes, "volumes": volumes}
