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

    /// What sets it apart from the others of its kind, for the executor and the catalog.
    public struct Traits: OptionSet, Sendable, Hashable {
        public let rawValue: Int
        /// Creates traits from their bits.
        public init(rawValue: Int) { self.rawValue = rawValue }
        /// A check that proves its step's action worked: it runs after the action, not before.
        public static let provesAction = Traits(rawValue: 1)
        /// It takes as long as the cloud takes (booting a server): its screen has no run limit.
        public static let takesAsLongAsTheCloud = Traits(rawValue: 2)
        /// It takes as long as the work it is given (a thousand users): its screen has no run limit; it stops itself
        /// when its script falls silent.
        public static let takesAsLongAsItsWork = Traits(rawValue: 4)
    }

    public var id: String
    public var kind: Kind
    public var title: String
    public var availability: Availability
    public var traits: Traits

    /// Creates a capability.
    public init(id: String, kind: Kind, title: String, availability: Availability, traits: Traits = []) {
        self.id = id
        self.kind = kind
        self.title = title
        self.availability = availability
        self.traits = traits
    }
}
