"""core.query.contains_credential: a condition on an identity's credentials."""


def contains_credential(key, value):
    return lambda identity: identity.get_credentials().get(key) == value
