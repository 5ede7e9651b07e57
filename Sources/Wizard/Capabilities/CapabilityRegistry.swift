import StepEngine

/// Every check and action id the code knows, each with the type that does it.
public struct CapabilityRegistry: Sendable {
    /// Every capability of this build: adding one is a line here.
    static let builtIn: [any StepCapability] = [
        // The cloud, as the operator's credentials see it.
        CloudVerificationCheck(.credentials), CloudVerificationCheck(.authenticate), CloudVerificationCheck(.adminAccount),
        CloudVerificationCheck(.roles), CloudVerificationCheck(.inventory), CloudVerificationCheck(.externalNetwork),
        CloudVerificationCheck(.routerGateways), CloudVerificationCheck(.volumeTypes), CloudVerificationCheck(.catalogEndpoints),
        CloudVerificationCheck(.tlsEndpoints), CloudVerificationCheck(.adminEndpoint),
        TLSProtocolCheck(),
        SmokeTestAction(),
        InstanceRecordsCheck(), ZoneFragmentsAction(),
        OSAUserVariablesAction(),
        AtmoadminAction(), AtmoadminLoginCheck(),
        AtmosphereURLsCheck(),
        // Atmosphere, here or on its own server.
        DetectCheck(), OutputsFolderCheck(),
        ProviderJSONAction(), AddProviderAction(), AddAccountsAction(),
        StaffRightsAction(), AllocationAction(), InitialSyncAction(),
        InventoryAction(),
        APIVerifyCheck(),
        ReportAction(),
    ]

    public let capabilities: [String: Capability]
    private let behaviours: [String: any StepCapability]

    /// The registry of this build.
    public static let standard = CapabilityRegistry(behaviours: builtIn)

    init(behaviours list: [any StepCapability]) {
        self.init(list.map(\.descriptor), behaviours: list)
    }

    /// A registry of these ids; each does what this build's capability of that id does (none for an id it lacks).
    /// A duplicated id keeps the first entry (the catalog test rejects duplicates).
    public init(_ list: [Capability]) {
        self.init(list, behaviours: Self.builtIn)
    }

    private init(_ list: [Capability], behaviours: [any StepCapability]) {
        capabilities = Dictionary(list.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        duplicateIDs = Dictionary(grouping: list, by: \.id).filter { $0.value.count > 1 }.keys.sorted()
        let ids = Set(capabilities.keys)
        self.behaviours = Dictionary(behaviours.filter { ids.contains($0.id) }.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Ids registered more than once.
    public let duplicateIDs: [String]

    /// The capability with this id.
    public subscript(id: String) -> Capability? { capabilities[id] }

    /// What the capability with this id does, when it is built.
    func behaviour(_ id: String) -> (any StepCapability)? {
        guard capabilities[id]?.availability == .available else { return nil }
        return behaviours[id]
    }

    /// The answer keys each built capability reads, as its `Inputs` declaration reads them over `answers` (secrets
    /// all given); for the catalog's check against screens/.
    public func answerKeys(over answers: [String: AnswerValue]) -> [String: Set<String>] {
        behaviours.mapValues { $0.answerKeys(over: answers) }
    }
}
