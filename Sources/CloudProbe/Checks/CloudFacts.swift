import Foundation

/// What a verification learned that later steps can use as defaults: the operator need not type what the cloud says.
public struct CloudFacts: Sendable, Equatable {
    public var region: String?
    /// Keystone's public and admin endpoints as scheme://host:port, as Atmosphere wants them.
    public var identityPublicRoot: String?
    public var identityAdminRoot: String?
    /// Routers with a gateway on an external network (candidates for public_routers).
    public var routerCandidates: [String] = []
    /// The external network Atmosphere's network_name should name: the one with free addresses (or the only one).
    public var externalNetwork: String?
    /// The external networks' allocation pools, as first-last ranges.
    public var floatingRanges: [String] = []
    /// Free floating IPs on each external network, by name.
    public var freeFloatingIPs: [String: Int] = [:]
    public var adminRole: String?
    public var memberRole: String?

    /// Creates empty facts.
    public init() {}

    static func root(_ url: String) -> String {
        guard var components = URLComponents(string: url) else { return url }
        components.path = ""
        components.query = nil
        return components.string ?? url
    }
}
