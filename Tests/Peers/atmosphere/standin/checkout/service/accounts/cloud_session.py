"""What rtwo's clients do on the wire, for the stand-in account driver: Keystone password authentication (v3 or v2.0)
and GETs on catalog endpoints, verifying TLS as Python requests does: against REQUESTS_CA_BUNDLE (or CURL_CA_BUNDLE)
when set, otherwise certifi's bundle in the virtualenv, never the system store. Failures carry keystoneauth's words.

Host names resolve through the tree's etc/hosts (the Atmosphere server's /etc/hosts), so tests reach FQDNs on loopback.
"""
import json
import os
import socket
import ssl
import urllib.error
import urllib.parse
import urllib.request

import certifi
from django.conf import settings

_resolve = socket.getaddrinfo


def _hosts():
    mapping = {}
    path = getattr(settings, "PEER_HOSTS_FILE", None)
    if path and os.path.exists(path):
        for line in open(path):
            parts = line.split("#")[0].split()
            for name in parts[1:]:
                mapping[name.lower()] = parts[0]
    return mapping


def _getaddrinfo(host, *args, **kwargs):
    return _resolve(_hosts().get(str(host).lower(), host), *args, **kwargs)


socket.getaddrinfo = _getaddrinfo


def ca_bundle():
    return os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or certifi.where()


class ConnectionFailure(Exception):
    pass


class SSLFailure(ConnectionFailure):
    pass


class Unauthorized(Exception):
    pass


class HTTPFailure(Exception):
    pass


def request(method, url, body=None, token=None, timeout=30):
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Content-Type": "application/json", "Accept": "application/json", "User-Agent": "keystoneauth1 rtwo"}
    if token:
        headers["X-Auth-Token"] = token
    context = ssl.create_default_context(cafile=ca_bundle())
    try:
        response = urllib.request.urlopen(urllib.request.Request(url, data=data, headers=headers, method=method), timeout=timeout, context=context)
        return response.status, dict(response.headers), json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        if error.code == 401:
            raise Unauthorized("The request you have made requires authentication. (HTTP 401)")
        raise HTTPFailure("%s %s: HTTP %d" % (method, url, error.code))
    except urllib.error.URLError as error:
        reason = error.reason
        if isinstance(reason, ssl.SSLError):
            parsed = urllib.parse.urlparse(url)
            raise SSLFailure("SSL exception connecting to %s: HTTPSConnectionPool(host='%s', port=%s): Max retries exceeded with url: %s "
                             "(Caused by SSLError(SSLError(1, '%s'),))" % (url, parsed.hostname, parsed.port, parsed.path, reason))
        raise ConnectionFailure("Unable to establish connection to %s: %s" % (url, reason))
    except (socket.timeout, OSError) as error:
        raise ConnectionFailure("Unable to establish connection to %s: %s" % (url, error))


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
