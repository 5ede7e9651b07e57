import StepEngine

/// The provider's id in Atmosphere, as the provider step found it and kept it for the steps after it.
struct ProviderRecord: CapabilityInputs {
    /// The id, when the provider step has found it.
    let id: Int?
    private let owner: any FindingOwner

    init(_ answers: InputReader) {
        id = answers.integer(Self.key)
        owner = answers.owner
    }

    /// The answer that holds it (a derived answer of the accounts screen).
    private static let key = "provider.id"

    /// The id, or why a step that needs it cannot run yet.
    func required() throws(FindingError) -> Int {
        guard let id else {
            throw owner.refusal(target: Self.key, observed: "the provider's id is not known yet", remedy: "Run the provider step first (it finds the id).")
        }
        return id
    }

    /// Keeps `id` for the later steps; a failed write is a failure (the accounts step needs the id).
    static func keep(_ id: Int, journal: Journal) -> [Finding] {
        do {
            try journal.setDerived([Answer(key: key, value: .integer(id), source: .derived)])
            return []
        } catch {
            return [error.finding]
        }
    }
}
