import AtmosphereKit
import CloudProbe
import StepEngine

/// Every check and action id the code knows, from every domain module.
public struct CapabilityRegistry: Sendable {
    public let capabilities: [String: Capability]

    /// The registry of this build.
    public static let standard = CapabilityRegistry(CloudProbe.capabilities + AtmosphereKit.capabilities)

    /// Builds a registry; a duplicated id keeps the first entry (the catalog test rejects duplicates).
    public init(_ list: [Capability]) {
        capabilities = Dictionary(list.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        duplicateIDs = Dictionary(grouping: list, by: \.id).filter { $0.value.count > 1 }.keys.sorted()
    }

    /// Ids registered more than once.
    public let duplicateIDs: [String]

    /// The capability with this id.
    public subscript(id: String) -> Capability? { capabilities[id] }
}
