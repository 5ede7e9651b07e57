import ArgumentParser
import DemoCloud
import Foundation
import StepEngine

/// `atmo-connect-demo`: the demo cloud and an Atmosphere sandbox on this machine, serving until told to stop.
///
/// A program of its own so that the operator's binary carries no SwiftNIO or BoringSSL; `atmo-connect demo` starts it
/// beside itself and runs the wizard against it.
@main
struct DemoServer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "atmo-connect-demo",
        abstract: "Serve a demo cloud on 127.0.0.1 and an Atmosphere sandbox until SIGTERM or SIGINT (atmo-connect demo runs it).",
        discussion: """
            The demo cloud simulates Keystone v3, Nova, Glance, Neutron and Cinder over HTTPS, with a throwaway CA made at \
            start; nothing leaves this machine. Its admin password comes from ATMO_CONNECT_DEMO_PASSWORD (never argv). When \
            ready it prints one line naming the answers file for the wizard; on SIGTERM, SIGINT or its parent's death it \
            stops and removes its folder. Built-in scenarios: \(DemoScenario.builtIn.keys.sorted().joined(separator: ", ")); a \
            scenario file is YAML with name, endpoints (service: fault) and faults.
            """)

    /// What the line announcing readiness starts with; the answers file's path follows it.
    static let readyLine = "atmo-connect demo: serving until SIGTERM; the wizard's answers: "

    @Option(name: .long, help: ArgumentHelp("A built-in scenario (clean, or one fault: see above) or a scenario YAML file.", valueName: "NAME|FILE"))
    var scenario = "clean"

    @Option(
        name: .customLong("atmosphere-generation"),
        help: ArgumentHelp("The sandbox's Atmosphere generation: guide, window or final.", valueName: "NAME"))
    var atmosphereGeneration = "final"

    mutating func run() async throws {
        Termination.install()
        Self.stopWithParent()
        let picked: DemoScenario
        do {
            picked = try DemoScenario.named(scenario)
        } catch let problem as DemoScenarioError {
            throw ValidationError(problem.description)
        }
        guard let generation = AtmosphereSandbox.Generation(rawValue: atmosphereGeneration) else {
            throw ValidationError(
                "--atmosphere-generation is one of \(AtmosphereSandbox.Generation.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        guard let password = ProcessInfo.processInfo.environment["ATMO_CONNECT_DEMO_PASSWORD"], !password.isEmpty else {
            throw ValidationError(
                "the demo cloud needs ATMO_CONNECT_DEMO_PASSWORD in the environment: the wizard started apart from it must know the password too.")
        }
        let base = NSTemporaryDirectory() + "atmo-connect-demo-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: base) }
        let cloud = try DemoCloud(directory: base + "/cloud", adminPassword: password, scenario: picked)
        defer { cloud.shutdown() }
        let answers = try DemoSetup.answers(base: base, cloud: cloud, generation: generation)
        // Written at once (not print's buffer): whoever started it waits for this line.
        FileHandle.standardOutput.write(Data((Self.readyLine + answers + "\n").utf8))
        await Termination.wait()
        // What the wizard left on the cloud, for whoever started it (the kill trials count leftovers by it).
        let left = cloud.resourceCounts
        FileHandle.standardOutput.write(
            Data("\(Self.leftLine)\(left.servers) server(s), \(left.floatingIPs) floating IP(s), \(left.volumes) volume(s)\n".utf8))
    }

    /// The line it prints as it stops, before what is left on the cloud.
    static let leftLine = "atmo-connect-demo: left on the cloud: "

    /// Whoever started it (atmo-connect demo) may die without a word (kill -9, a lost SSH session): then this stops
    /// too, cleaning up as on SIGTERM. prctl's parent-death signal is variadic C, which Swift cannot call.
    static func stopWithParent() {
        let parent = getppid()
        Thread.detachNewThread {
            while getppid() == parent { sleep(1) }
            kill(getpid(), SIGTERM)
        }
    }
}
