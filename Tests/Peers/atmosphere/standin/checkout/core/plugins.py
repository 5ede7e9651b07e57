"""Stand-in for core/plugins.py and atmosphere/plugins/accounts/creation.py (UserGroup), as upstream behaves:
an existing identity is returned again (so counted again), a new one is made through the account driver, and any error
is logged as "Could *NOT* Create NEW account for USER" and swallowed. Allocation sources come from
settings.ALLOCATION_SOURCE_PLUGINS (FlexibleAllocationSourcePlugin: one source per user)."""
from django.conf import settings
from django.db.models import QuerySet
from threepio import logger


class AllocationSourcePluginManager(object):
    @classmethod
    def ensure_user_allocation_sources(cls, user):
        plugins = list(getattr(settings, "ALLOCATION_SOURCE_PLUGINS", []) or [])
        if not plugins:
            # PluginListManager with plugin_required = True.
            raise Exception("No allocation source plugin has been defined: set settings.ALLOCATION_SOURCE_PLUGINS")
        from core.models import AllocationSource, UserAllocationSource
        source, _ = AllocationSource.objects.get_or_create(name=user.username, defaults={
            "compute_allowed": getattr(settings, "ALLOCATION_SOURCE_COMPUTE_ALLOWED", 336)})
        UserAllocationSource.objects.get_or_create(user=user, allocation_source=source)
        return True


class AccountCreationPluginManager(object):
    @classmethod
    def create_accounts(cls, provider, username, force=False):
        from core.models import GroupMembership, Identity, Project
        from service.driver import get_account_driver
        identities = Identity.objects.none()
        credentials = {"username": username, "project_name": username, "account_user": username, "group_name": username,
                       "is_leader": True}
        try:
            member = GroupMembership.objects.filter(user__username=username, group__name=username)
            found = member.first().group.identities.filter(provider=provider) if member else Identity.objects.none()
            found = QuerySet(Identity, [identity for identity in found
                                        if identity.get_credentials().get("ex_project_name") == username
                                        and identity.get_credentials().get("key") == username])
            if found and not force:
                return identities | found
            account_driver = get_account_driver(provider)
            if not account_driver:
                raise ValueError("Provider %s produced an invalid account driver -- Use plugin after you create a "
                                 "core.Provider *AND* assign a core.Identity to be the core.AccountProvider." % provider)
            new_identity = account_driver.create_account(**credentials)
            identities = identities | Identity.objects.filter(id=new_identity.id)
            group = new_identity.identity_memberships.first().member
            Project.objects.get_or_create(name=username, owner=group, defaults={"created_by": new_identity.created_by})
        except Exception:
            logger.exception("Could *NOT* Create NEW account for %s" % username)
        return identities


class ValidationPluginManager(object):
    @classmethod
    def is_valid(cls, user):
        return True


class ExpirationPluginManager(object):
    @classmethod
    def is_expired(cls, user):
        return False
