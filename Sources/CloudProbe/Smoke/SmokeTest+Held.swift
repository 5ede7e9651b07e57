import AtmoModel
import Foundation

extension SmokeTest {
    /// A test that passed every stage and whose resources stay until another host (the Atmosphere server) has reached
    /// its floating IP: what it made, where to knock, and what it found so far.
    public struct Held: Sendable, Equatable, Codable {
        /// The tag of the run that made it (see `Options.tag`).
        public var tag: String
        /// The floating IP that answered here.
        public var address: String
        public var port: Int
        /// What it made, oldest first ("kind id" texts, as the state database records them).
        public var resources: [String]
        /// The findings of its stages.
        public var findings: [Finding]

        /// A held test.
        public init(tag: String, address: String, port: Int, resources: [Resource], findings: [Finding]) {
            self.tag = tag
            self.address = address
            self.port = port
            self.resources = resources.map(\.text)
            self.findings = findings
        }

        /// What it made, as resources.
        public var made: [Resource] { resources.compactMap(Resource.init) }
    }
}
