"""Stand-in for atmosphere/settings/__init__.py: the defaults the scripts read, then local.py (written per install)."""
DEFAULT_RULES = [
    ("ICMP", -1, -1), ("UDP", 20, 20), ("TCP", 20, 21), ("TCP", 22, 23), ("UDP", 22, 23), ("TCP", 80, 80), ("TCP", 115, 115),
    ("TCP", 389, 389), ("UDP", 389, 389), ("TCP", 443, 443), ("TCP", 636, 636), ("UDP", 636, 636), ("TCP", 1024, 4199),
    ("UDP", 1024, 4199), ("TCP", 4201, 65535), ("UDP", 4201, 65535), ("TCP", 4200, 4200, "128.196.0.0/16"),
    ("UDP", 4200, 4200, "128.196.0.0/16"), ("TCP", 4200, 4200, "150.135.0.0/16"), ("UDP", 4200, 4200, "150.135.0.0/16"),
    ("TCP", 4200, 4200, "149.165.238.0/24"), ("UDP", 4200, 4200, "149.165.238.0/24"), ("TCP", 4200, 4200, "129.114.104.5/32"),
    ("UDP", 4200, 4200, "129.114.104.5/32"),
]
DEFAULT_NAMESERVERS = ['8.8.8.8', '8.8.4.4.']
AUTHENTICATION_BACKENDS = (
    'django_cyverse_auth.authBackends.AuthTokenLoginBackend',
    'django_cyverse_auth.authBackends.CASLoginBackend',
    'django_cyverse_auth.authBackends.LDAPLoginBackend',
)
ACCOUNT_CREATION_PLUGINS = ["atmosphere.plugins.accounts.creation.UserGroup"]
DEFAULT_KEYSTONE_ROLE = '_member_'

from atmosphere.settings.local import *  # noqa
