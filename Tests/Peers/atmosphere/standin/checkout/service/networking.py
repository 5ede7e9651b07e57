"""service.networking: the two topologies, by the names Atmosphere stores (service/networking.py)."""


class ExternalNetwork(object):
    name = "External Network Topology"

    def __repr__(self):
        return "<class 'service.networking.ExternalNetwork'>"


class ExternalRouter(object):
    name = "External Router Topology"

    def __repr__(self):
        return "<class 'service.networking.ExternalRouter'>"


def topology_list():
    return [ExternalNetwork, ExternalRouter]
