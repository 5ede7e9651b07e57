"""What rtwo's clients do on the wire, for the stand-in account driver: Keystone password authentication (v3 or v2.0)
and GETs on catalog endpoints, through the virtualenv's real Python requests as keystoneauth does (so TLS is verified
against REQUESTS_CA_BUNDLE or CURL_CA_BUNDLE when set, otherwise certifi's bundle in the virtualenv, never the system
store), its errors worded as keystoneauth words them around requests' own.

Host names resolve through the tree's etc/hosts (the Atmosphere server's /etc/hosts): atmo_peer_hosts, loaded by a .pth
file of the virtualenv, so tests reach FQDNs on loopback.
"""
import requests


class ConnectionFailure(Exception):
    pass


class SSLFailure(ConnectionFailure):
    pass


class Unauthorized(Exception):
    pass


class HTTPFailure(Exception):
    pass


def request(method, url, body=None, token=None, timeout=30):
    headers = {"Content-Type": "application/json", "Accept": "application/json", "User-Agent": "keystoneauth1 rtwo"}
    if token:
        headers["X-Auth-Token"] = token
    # keystoneauth1/session.py: requests' exceptions become keystoneauth's, with these words.
    try:
        response = requests.request(method, url, json=body, headers=headers, timeout=timeout)
    except requests.exceptions.SSLError as error:
        raise SSLFailure("SSL exception connecting to %s: %s" % (url, error))
    except requests.exceptions.Timeout:
        raise ConnectionFailure("Request to %s timed out" % url)
    except requests.exceptions.ConnectionError as error:
        raise ConnectionFailure("Unable to establish connection to %s: %s" % (url, error))
    if response.status_code == 401:
        raise Unauthorized("The request you have made requires authentication. (HTTP 401)")
    if response.status_code >= 400:
        raise HTTPFailure("%s %s: HTTP %d" % (method, url, response.status_code))
    return response.status_code, dict(response.headers), response.json() if response.content else None


def authenticate(auth_url, version, username, password, project, domain="default"):
    """Returns (token, catalog); `auth_url` as Atmosphere builds it (…/v3/ or …/v2.0/tokens)."""
    if version == 3:
        url = auth_url.rstrip("/") + "/auth/tokens"
        body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
            "name": username, "password": password, "domain": {"name": domain}}}},
            "scope": {"project": {"name": project, "domain": {"name": domain}}}}}
        status, headers, document = request("POST", url, body)
        token = {key.lower(): value for key, value in headers.items()}.get("x-subject-token")
        catalog = (document or {}).get("token", {}).get("catalog", [])
        return token, catalog
    body = {"auth": {"tenantName": project, "passwordCredentials": {"username": username, "password": password}}}
    status, headers, document = request("POST", auth_url, body)
    access = (document or {}).get("access", {})
    return access.get("token", {}).get("id"), access.get("serviceCatalog", [])


def endpoint(catalog, service_type, region):
    for service in catalog:
        if service.get("type") != service_type:
            continue
        for item in service.get("endpoints", []):
            if item.get("interface", "public") == "public" and (not region or item.get("region", item.get("region_id")) in (region, None)):
                return item.get("url") or item.get("publicURL")
    raise HTTPFailure("Public endpoint for %s service in %s region not found" % (service_type, region))
