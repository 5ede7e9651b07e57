"""service.driver.get_account_driver, as upstream: any failure is logged, then raised or answered with None."""
from threepio import logger


def get_account_driver(provider, raise_exception=False):
    try:
        type_name = provider.get_type_name().lower()
        if "openstack" in type_name:
            from service.accounts.openstack_manager import AccountDriver as OSAccountDriver
            return OSAccountDriver(provider)
    except:
        logger.exception("Account driver for provider %s not found." % ("Provider %s" % provider.location))
        if raise_exception:
            raise
        return None


def get_admin_driver(provider):
    return get_account_driver(provider)
