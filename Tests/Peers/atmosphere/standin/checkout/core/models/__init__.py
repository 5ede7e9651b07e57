"""Stand-in for Atmosphere's core.models: the models and methods its scripts use, with the fields, defaults, string forms
and behaviour of cyverse/atmosphere's core/models/*.py, on the stand-in ORM (SQLite in place of PostgreSQL)."""
import hashlib
import uuid as uuidlib

from django.db.models import ForeignKey, Model


class PlatformType(Model):
    fields = {"name": ""}

    def __str__(self):
        return self.name


class ProviderType(Model):
    fields = {"name": ""}

    def __str__(self):
        return self.name


class InstanceAction(Model):
    fields = {"name": "", "description": ""}

    def __str__(self):
        return self.name


class Quota(Model):
    fields = {"cpu": 16, "memory": 128, "storage": 10, "instance_count": 10, "snapshot_count": 10, "storage_count": 10,
              "floating_ip_count": 10, "port_count": 10}

    @classmethod
    def default_dict(cls):
        return {"cpu": 16, "memory": 128, "storage": 10, "instance_count": 10}

    @classmethod
    def default_quota(cls):
        return cls.objects.get_or_create(**cls.default_dict())[0]


class AtmosphereUser(Model):
    fields = {"username": "", "email": "", "is_staff": False, "is_superuser": False, "is_active": True, "password": "!"}

    def set_password(self, raw):
        salt = uuidlib.uuid4().hex[:12]
        self.password = "pbkdf2_sha256$36000$%s$%s" % (salt, hashlib.pbkdf2_hmac("sha256", raw.encode(), salt.encode(), 36000).hex())

    def check_password(self, raw):
        try:
            _, rounds, salt, digest = self.password.split("$")
        except ValueError:
            return False
        return hashlib.pbkdf2_hmac("sha256", raw.encode(), salt.encode(), int(rounds)).hex() == digest

    def __str__(self):
        return self.username


class Group(Model):
    fields = {"name": ""}

    @classmethod
    def create_usergroup(cls, username, group_name=None, is_leader=True):
        # core/models/group.py: user and group named after the lower-cased username.
        name = (group_name or username).lower()
        user, _ = AtmosphereUser.objects.get_or_create(username=username.lower())
        group, _ = cls.objects.get_or_create(name=name)
        GroupMembership.objects.get_or_create(user=user, group=group, defaults={"is_leader": is_leader})
        return user, group

    @property
    def identities(self):
        ids = [membership.identity_id for membership in IdentityMembership.objects.filter(member=self)]
        return Identity.objects.filter(id__in=ids)

    def __str__(self):
        return self.name


class GroupMembership(Model):
    user = ForeignKey("AtmosphereUser")
    group = ForeignKey("Group")
    fields = {"is_leader": False}


class Provider(Model):
    type = ForeignKey("ProviderType")
    virtualization = ForeignKey("PlatformType")
    cloud_admin = ForeignKey("AtmosphereUser", null=True)
    fields = {"uuid": lambda: str(uuidlib.uuid4()), "location": "", "description": "", "active": True, "public": False,
              "auto_imaging": False, "timezone": "America/Phoenix", "cloud_config": dict, "start_date": None, "end_date": None}

    def get_type_name(self):
        return self.type.name

    def get_credentials(self):
        return {credential.key: credential.value for credential in self.providercredential_set.all()}

    def get_admin_identity(self):
        account = self.accountprovider_set.first()
        return account.identity if account else None

    @property
    def admin(self):
        return self.get_admin_identity()

    def list_admin_names(self):
        names = []
        for account in self.accountprovider_set.all():
            key = account.identity.get_key() if account.identity else None
            if key:
                names.append(key)
        return names

    def get_routers(self):
        routers = self.get_credentials().get("public_routers") or ""
        return [name.strip() for name in routers.split(",") if name.strip()]

    def select_router(self):
        # The router with the fewest identities carrying it as router_name.
        routers = self.get_routers()
        if not routers:
            return None
        counts = {router: 0 for router in routers}
        for credential in Credential.objects.filter(key="router_name"):
            if credential.identity and credential.identity.provider_id == self.id and credential.value in counts:
                counts[credential.value] += 1
        return min(routers, key=lambda router: counts[router])

    def __str__(self):
        return "%s:%s" % (self.id, self.location)


class ProviderCredential(Model):
    provider = ForeignKey("Provider")
    fields = {"key": "", "value": ""}

    def save(self, *args, **kwargs):
        # CharField(max_length=256): a list is stored as its text.
        if self.value is not None and not isinstance(self.value, str):
            self.value = str(self.value)
        super(ProviderCredential, self).save()


class ProviderInstanceAction(Model):
    provider = ForeignKey("Provider")
    instance_action = ForeignKey("InstanceAction")
    fields = {"enabled": True}


class Identity(Model):
    provider = ForeignKey("Provider")
    created_by = ForeignKey("AtmosphereUser")
    quota = ForeignKey("Quota", null=True)
    fields = {"uuid": lambda: str(uuidlib.uuid4())}

    def get_credentials(self):
        return {credential.key: credential.value for credential in self.credential_set.all()}

    def get_key(self):
        return self.get_credentials().get("key")

    def project_name(self):
        return self.get_credentials().get("ex_project_name")

    @property
    def identity_memberships(self):
        return IdentityMembership.objects.filter(identity=self)

    @staticmethod
    def update_credential(identity, key, value, replace=False):
        existing = identity.credential_set.filter(key=key)
        if existing and replace:
            existing.delete()
        return Credential.objects.get_or_create(identity=identity, key=key, value=value)[0]

    @classmethod
    def create_identity(cls, account_user, group_name, username, password, project_name, provider, quota=None,
                        is_leader=False, **extras):
        user, group = Group.create_usergroup(account_user, group_name, is_leader)
        identity = cls.objects.filter(provider=provider, created_by=user).first()
        if identity is None:
            identity = cls.objects.create(provider=provider, created_by=user, quota=quota or Quota.default_quota())
        for key, value in (("key", username), ("secret", password), ("ex_tenant_name", project_name), ("ex_project_name", project_name)):
            Credential.objects.get_or_create(identity=identity, key=key, value=value)
        IdentityMembership.objects.get_or_create(identity=identity, member=group)
        return identity

    def __str__(self):
        return "%s %s" % (self.provider, self.get_key())


class Credential(Model):
    identity = ForeignKey("Identity")
    fields = {"key": "", "value": ""}


class AccountProvider(Model):
    provider = ForeignKey("Provider")
    identity = ForeignKey("Identity")

    def __str__(self):
        return "Account Admin %s for %s" % (self.identity, self.provider)


class IdentityMembership(Model):
    identity = ForeignKey("Identity")
    member = ForeignKey("Group")


class Project(Model):
    created_by = ForeignKey("AtmosphereUser")
    owner = ForeignKey("Group")
    fields = {"name": "", "description": ""}


class Size(Model):
    provider = ForeignKey("Provider")
    fields = {"alias": "", "name": "", "cpu": 0, "mem": 0, "disk": 0, "end_date": None}


class ProviderMachine(Model):
    provider = ForeignKey("Provider")
    fields = {"identifier": "", "name": "", "end_date": None}


class Instance(Model):
    provider = ForeignKey("Provider")
    created_by_identity = ForeignKey("Identity")
    fields = {"provider_alias": "", "name": "", "end_date": None}


class Volume(Model):
    provider = ForeignKey("Provider")
    fields = {"identifier": "", "name": "", "end_date": None}


class AllocationSource(Model):
    fields = {"uuid": lambda: str(uuidlib.uuid4()), "name": "", "compute_allowed": 336, "renewal_strategy": "default"}


class UserAllocationSource(Model):
    user = ForeignKey("AtmosphereUser")
    allocation_source = ForeignKey("AllocationSource")
