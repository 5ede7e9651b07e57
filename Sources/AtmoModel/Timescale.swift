import Foundation

/// How fast a simulated world's waits pass: the demo cloud's build times and slow answers, and the waits of the tests
/// that drive it. 1 is real time, and the operator's binary never reads anything else: its own limits come from
/// screens/ and the answers. The demo program and the test support read `ATMO_TIMESCALE` (a factor in (0, 1]), so a
/// test run shrinks every simulated wait by one factor instead of sleeping through it.
public struct Timescale: Sendable, Hashable {
    /// Seconds of simulated time per second of real time, inverted: 0.1 makes a 1 s build take 0.1 s.
    public let factor: Double

    /// Real time.
    public static let real = Timescale(factor: 1)

    /// A timescale; a factor outside (0, 1] is taken as 1.
    public init(factor: Double) {
        self.factor = factor > 0 && factor <= 1 ? factor : 1
    }

    /// The environment's `ATMO_TIMESCALE`, else real time.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> Timescale {
        environment["ATMO_TIMESCALE"].flatMap(Double.init).map(Timescale.init(factor:)) ?? .real
    }

    /// `seconds` of simulated time, in real seconds.
    public func seconds(_ seconds: TimeInterval) -> TimeInterval { seconds * factor }
}
