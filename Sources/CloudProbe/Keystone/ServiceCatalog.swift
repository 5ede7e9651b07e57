import Foundation

/// One endpoint of the token's catalog.
public struct CatalogEndpoint: Sendable, Equatable, Codable {
    public var id: String
    public var interface: String
    public var region: String?
    public var url: String
    /// The service's type and name, for messages and fixes.
    public var serviceType: String
    public var serviceName: String

    /// An endpoint as the catalog lists it.
    public init(id: String, interface: String, region: String?, url: String, serviceType: String, serviceName: String) {
        self.id = id
        self.interface = interface
        self.region = region
        self.url = url
        self.serviceType = serviceType
        self.serviceName = serviceName
    }
}

/// The catalog of a project-scoped token.
public struct ServiceCatalog: Sendable, Equatable {
    public var endpoints: [CatalogEndpoint]

    /// Reads `token.catalog` from a token body; an endpoint without a URL or interface is none.
    init(services: [KeystoneBodies.Service]) {
        endpoints = services.flatMap { service -> [CatalogEndpoint] in
            let type = service.type ?? ""
            let name = service.name ?? type
            return (service.endpoints ?? []).compactMap { endpoint in
                guard let url = endpoint.url, let interface = endpoint.interface else { return nil }
                return CatalogEndpoint(
                    id: endpoint.id ?? "", interface: interface, region: endpoint.regionID ?? endpoint.region,
                    url: url, serviceType: type, serviceName: name)
            }
        }
    }

    /// The endpoint for the first of `types` that has one, at `interface` in `region` (any region when nil), as the client picks it.
    public func endpoint(types: [String], interface: String = "public", region: String? = nil) -> CatalogEndpoint? {
        for type in types {
            let matches = endpoints.filter { $0.serviceType == type && $0.interface == interface && (region == nil || $0.region == region) }
            if let first = matches.first { return first }
        }
        return nil
    }

    /// Every endpoint at `interface` in `region`.
    public func all(interface: String, region: String?) -> [CatalogEndpoint] {
        endpoints.filter { $0.interface == interface && (region == nil || $0.region == region) }
    }

    /// The regions the catalog names.
    public var regions: [String] { Array(Set(endpoints.compactMap(\.region))).sorted() }
}
