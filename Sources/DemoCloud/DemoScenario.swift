import Foundation
import Yams

/// What the demo cloud gets wrong, picked by a scenario file (YAML) or a built-in name.
///
/// ```yaml
/// name: expired-glance
/// endpoints: {image: expired}        # plain-http, ip-literal, expired, self-signed, wrong-host, error-500, slow, tls-1.1, tls-1.2
/// faults: [no-free-floating-ips]     # server-error, no-free-floating-ips, no-ssh, silent-ssh, volume-error, no-image,
///                                    # no-external-network, unrouted-network, big-image
/// ```
public struct DemoScenario: Sendable, Equatable {
    /// How one service's public endpoint misbehaves.
    public enum EndpointFault: String, Sendable, CaseIterable {
        case plainHTTP = "plain-http", ipLiteral = "ip-literal", expired, selfSigned = "self-signed", wrongHost = "wrong-host", error500 = "error-500"
        /// Every answer comes 2 seconds late.
        case slow
        /// The endpoint offers nothing newer than TLS 1.1, or than TLS 1.2 (certificates as good as the others').
        case tls11 = "tls-1.1", tls12 = "tls-1.2"
    }

    public var name: String
    /// Faults by catalog service type (identity, compute, image, network, volumev3).
    public var endpoints: [String: EndpointFault]
    public var faults: DemoFaults

    /// A scenario with no faults.
    public static let clean = DemoScenario(name: "clean", endpoints: [:], faults: DemoFaults())

    /// The scenarios that come with atmo-connect, as YAML.
    public static let builtIn: [String: String] = [
        "clean": "name: clean\n",
        "plain-http-glance": "name: plain-http-glance\nendpoints: {image: plain-http}\n",
        "ip-literal-nova": "name: ip-literal-nova\nendpoints: {compute: ip-literal}\n",
        "expired-neutron": "name: expired-neutron\nendpoints: {network: expired}\n",
        "self-signed-cinder": "name: self-signed-cinder\nendpoints: {volumev3: self-signed}\n",
        "wrong-host-glance": "name: wrong-host-glance\nendpoints: {image: wrong-host}\n",
        "glance-500": "name: glance-500\nendpoints: {image: error-500}\n",
        "slow-glance": "name: slow-glance\nendpoints: {image: slow}\n",
        "no-image": "name: no-image\nfaults: [no-image]\n",
        "no-external-network": "name: no-external-network\nfaults: [no-external-network]\n",
        "no-free-floating-ips": "name: no-free-floating-ips\nfaults: [no-free-floating-ips]\n",
        "server-error": "name: server-error\nfaults: [server-error]\n",
        "volume-error": "name: volume-error\nfaults: [volume-error]\n",
        "no-ssh": "name: no-ssh\nfaults: [no-ssh]\n",
        "silent-ssh": "name: silent-ssh\nfaults: [silent-ssh]\n",
        "unrouted-network": "name: unrouted-network\nfaults: [unrouted-network]\n",
        "big-image": "name: big-image\nfaults: [big-image]\n",
    ]

    /// A built-in scenario by name, or a scenario file by path.
    public static func named(_ nameOrPath: String) throws -> DemoScenario {
        if let text = builtIn[nameOrPath] { return try parse(text, source: nameOrPath) }
        guard FileManager.default.fileExists(atPath: nameOrPath) else {
            throw DemoScenarioError(
                source: nameOrPath,
                problem: "no built-in scenario and no file by that name; built in: \(builtIn.keys.sorted().joined(separator: ", "))")
        }
        return try parse(try String(contentsOfFile: nameOrPath, encoding: .utf8), source: nameOrPath)
    }

    /// Reads a scenario; unknown keys, services and faults are errors that name them.
    public static func parse(_ text: String, source: String) throws -> DemoScenario {
        guard let root = try Yams.compose(yaml: text)?.mapping else { throw DemoScenarioError(source: source, problem: "not a YAML mapping") }
        var scenario = DemoScenario(name: source, endpoints: [:], faults: DemoFaults())
        for (keyNode, value) in root {
            switch keyNode.string ?? "" {
            case "name":
                scenario.name = value.string ?? source
            case "endpoints":
                for (service, fault) in value.mapping ?? [:] {
                    let type = service.string ?? ""
                    guard DemoCloud.services.contains(where: { $0.type == type }) else {
                        throw DemoScenarioError(
                            source: source, problem: "endpoints: no service \(type) (identity, compute, image, network, volumev3)")
                    }
                    guard let parsed = EndpointFault(rawValue: fault.string ?? "") else {
                        throw DemoScenarioError(
                            source: source,
                            problem:
                                "endpoints.\(type): \(fault.string ?? "?") is not one of \(EndpointFault.allCases.map(\.rawValue).joined(separator: ", "))"
                        )
                    }
                    scenario.endpoints[type] = parsed
                }
            case "faults":
                for item in value.sequence ?? [] {
                    switch item.string ?? "" {
                    case "server-error": scenario.faults.serverError = true
                    case "no-free-floating-ips": scenario.faults.noFreeFloatingIPs = true
                    case "no-ssh": scenario.faults.noSSH = true
                    case "volume-error": scenario.faults.volumeError = true
                    case "no-image": scenario.faults.noImage = true
                    case "no-external-network": scenario.faults.noExternalNetwork = true
                    case "silent-ssh": scenario.faults.silentSSH = true
                    case "unrouted-network": scenario.faults.unroutedNetwork = true
                    case "big-image": scenario.faults.bigImage = true
                    case let other: throw DemoScenarioError(source: source, problem: "faults: unknown fault \(other)")
                    }
                }
            case let other:
                throw DemoScenarioError(source: source, problem: "unknown key \(other) (name, endpoints, faults)")
            }
        }
        return scenario
    }
}

/// A scenario that cannot be used: where, and why.
public struct DemoScenarioError: Error, Sendable, Equatable, CustomStringConvertible {
    public var source: String
    public var problem: String

    public var description: String { "scenario \(source): \(problem)" }
}
