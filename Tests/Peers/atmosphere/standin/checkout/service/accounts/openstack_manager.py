"""Stand-in for service/accounts/openstack_manager.py's AccountDriver: built from the provider's credentials and its
admin identity (the AccountProvider), it authenticates to Keystone as rtwo's managers do: the user and image clients
against auth_url (+ /v3/ unless present), the network manager against admin_url, with the domain of
cloud_config.user.domain. Account creation writes what Atmosphere's database would hold; the OpenStack project and
user are not made (the boundary this peer keeps: Keystone's admin calls are tested elsewhere). create_account follows
each commit's order: the guide's makes the identity; the later one first requires the AtmosphereUser, then allocation
sources, and only then makes the identity."""
import hashlib

from django.conf import settings
from threepio import logger

from core.models import AtmosphereUser, Identity
from service.accounts import cloud_session
from service.exceptions import AccountCreationConflict


class _Plugins(object):
    """core.plugins, loaded when first used as upstream's module-level import would be."""

    def __getattr__(self, name):
        import core.plugins
        return getattr(core.plugins.AllocationSourcePluginManager, name)


AllocationSourcePluginManager = _Plugins()


def _versioned(url, version):
    if version == 3:
        return url if "/v3/" in url else url.rstrip("/") + "/v3/"
    return url


class AccountDriver(object):
    def __init__(self, provider, *args, **kwargs):
        self.core_provider = provider
        credentials = provider.get_credentials()
        admin = provider.get_admin_identity()
        if admin is None:
            raise Exception("AccountProvider for %s is missing: no admin identity" % provider.location)
        identity_credentials = admin.get_credentials()
        auth_version = credentials.get("ex_force_auth_version", "2.0_password")
        if auth_version.startswith("2"):
            self.identity_version = 2
        elif auth_version.startswith("3"):
            self.identity_version = 3
        else:
            raise Exception("Could not determine identity_version of %s" % auth_version)
        cloud_config = provider.cloud_config or {}
        self.domain = (cloud_config.get("user") or {}).get("domain", "default")
        self.region = credentials.get("region_name")
        self.username = identity_credentials.get("key")
        self.password = identity_credentials.get("secret")
        self.project = identity_credentials.get("ex_tenant_name")
        # UserManager (keystone, nova, glance) on auth_url; NetworkManager and the SDK on admin_url.
        self.token, self.catalog = cloud_session.authenticate(_versioned(credentials.get("auth_url", ""), self.identity_version),
                                                              self.identity_version, self.username, self.password, self.project, self.domain)
        cloud_session.authenticate(_versioned(credentials.get("admin_url", ""), self.identity_version),
                                   self.identity_version, self.username, self.password, self.project, self.domain)

    def hashpass(self, username):
        secret = ((self.core_provider.cloud_config or {}).get("user") or {}).get("secret", "")
        if len(secret) < 32:
            raise ValueError("Cloud config ['user']['secret'] is required and must be of length 32 or more")
        return hashlib.sha256((username + secret).encode()).hexdigest()

    def create_account(self, *args, **kwargs):
        # The guide-era signature (username first) and the later one (account_user, group_name, username, ...).
        if getattr(settings, "ATMO_PEER_COMMIT", "") == "ceb888bf":
            return self._create_account_guide(*args, **kwargs)
        return self._create_account_later(*args, **kwargs)

    def _create_account_guide(self, username, password=None, project_name=None, role_name=None, max_quota=False):
        if username in self.core_provider.list_admin_names():
            return
        password = password or self.hashpass(username)
        return Identity.create_identity(username, username, username, password, project_name or username, self.core_provider,
                                        is_leader=True)

    def _create_account_later(self, account_user, group_name, username, password=None, project_name=None, role_name=None,
                              quota=None, is_leader=False, max_quota=False):
        # Don't try to create an identity on the provider if the AtmosphereUser does not exist.
        try:
            user = AtmosphereUser.objects.get(username=account_user)
        except Exception as e:
            logger.exception('Do not create an account on for username "%s" because the user does not exist', account_user)
            raise AccountCreationConflict("AccountDriver tried to create an account for ({}), but {}".format(account_user, e))
        if username in self.core_provider.list_admin_names():
            return
        password = password or self.hashpass(username)
        try:
            has_allocations = AllocationSourcePluginManager.ensure_user_allocation_sources(user)
            if not has_allocations:
                raise ValueError('User "{}" has no valid allocations'.format(user))
        except Exception as e:
            logger.exception('Encountered error while ensuring user has valid Allocation Sources: "%s"', user)
            raise AccountCreationConflict("AccountDriver is trying to create an account: {} but while ensuring user has valid "
                                          "Allocation Sources there was a problem: {}".format(user, e))
        return Identity.create_identity(account_user, group_name, username, password, project_name or username, self.core_provider,
                                        is_leader=is_leader)

    def get(self, service_type, path):
        base = cloud_session.endpoint(self.catalog, service_type, self.region)
        return cloud_session.request("GET", base.rstrip("/") + path, token=self.token)[2]
