/// A check or action a screen may name, and whether it can run yet.
public struct Capability: Sendable, Hashable {
    /// Whether it observes (check) or changes something (action).
    public enum Kind: String, Sendable, Hashable { case check, action }

    /// Whether the code behind it exists.
    public enum Availability: Sendable, Hashable {
        case available
        /// Not built yet: the text says which part of atmo-connect brings it.
        case notYetAvailable(String)
    }

    public var id: String
    public var kind: Kind
    public var title: String
    public var availability: Availability

    /// Creates a capability.
    public init(id: String, kind: Kind, title: String, availability: Availability) {
        self.id = id
        self.kind = kind
        self.title = title
        self.availability = availability
    }
}
