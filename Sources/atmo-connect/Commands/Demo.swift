import ArgumentParser
import DemoCloud
import Foundation
import StepEngine
import Wizard

/// `atmo-connect demo`: the wizard against a built-in cloud on this machine, for a first look with no OpenStack at hand.
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Start a demo cloud on 127.0.0.1 and run the wizard against it, in a fresh session.",
        discussion: """
            The demo cloud simulates Keystone v3, Nova, Glance, Neutron and Cinder over HTTPS, with a throwaway CA made at \
            start; nothing leaves this machine. Its state lives in memory and ends with the wizard. Built-in scenarios: \
            \(Demo.scenarios.joined(separator: ", ")); a scenario file is YAML with name, endpoints (service: fault) and faults.
            """ + "\n\n" + ExitStatus.helpText)

    static var scenarios: [String] { DemoScenario.builtIn.keys.sorted() }

    @Option(name: .long, help: ArgumentHelp("The state directory (default: a new temporary one).", valueName: "DIR"))
    var stateDir: String?

    @Option(name: .long, help: ArgumentHelp("A built-in scenario (clean, or one fault: see above) or a scenario YAML file.", valueName: "NAME|FILE"))
    var scenario = "clean"

    /// For the kill trials (`make bench`): the Atmosphere generation of the sandbox (guide, window or final).
    @Option(name: .customLong("atmosphere-generation"), help: .hidden)
    var atmosphereGeneration = "final"

    /// For measuring the wizard alone (`make bench`): the cloud and sandbox only, until SIGTERM or SIGINT.
    @Flag(name: .customLong("serve-only"), help: .hidden)
    var serveOnly = false

    mutating func run() async throws {
        let picked: DemoScenario
        do {
            picked = try DemoScenario.named(scenario)
        } catch let problem as DemoScenarioError {
            throw ValidationError(problem.description)
        }
        guard let generation = AtmosphereSandbox.Generation(rawValue: atmosphereGeneration) else {
            throw ValidationError("--atmosphere-generation is one of \(AtmosphereSandbox.Generation.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        let base = NSTemporaryDirectory() + "atmo-connect-demo-\(UUID().uuidString.prefix(8))"
        let given = ProcessInfo.processInfo.environment["ATMO_CONNECT_DEMO_PASSWORD"].flatMap { $0.isEmpty ? nil : $0 }
        if serveOnly && given == nil {
            throw ValidationError("--serve-only needs ATMO_CONNECT_DEMO_PASSWORD in the environment: the wizard started apart from it must know the password too.")
        }
        let password = serveOnly ? given ?? "" : DefaultProviders.strongSecret(length: 32)
        let cloud = try DemoCloud(directory: base + "/cloud", adminPassword: password, scenario: picked)
        defer { cloud.shutdown() }
        // The password reaches the wizard through this process's environment only: never argv, never a file.
        setenv("ATMO_CONNECT_DEMO_PASSWORD", password, 1)
        let sandbox = try Self.sandbox(at: base + "/atmosphere", cloud: cloud, generation: generation)
        let answers = base + "/demo-answers.yaml"
        try AnswersFile.writePrivately(sandbox + """
            # atmo-connect demo: the demo cloud's credentials (the password comes from the environment)
            session.name: demo
            cloud.credentials_source: openrc
            cloud.openrc_path: \(cloud.directory)/admin-openrc
            cloud.password: {from_env: ATMO_CONNECT_DEMO_PASSWORD}
            cloud.cacert: \(cloud.caBundle)
            cloud.resolve: [\(cloud.resolve.joined(separator: ", "))]
            tls.api_hostname: keystone.demo.test
            smoke.ssh_port: \(cloud.sshPort)
            dns.server: 127.0.0.1:\(cloud.dnsPort)
            dns.hostname_format: "vm%(three)s-%(four)s.demo.test"
            provider.hostname_format: "vm%(three)s-%(four)s.demo.test"
            final.report_path: \(base)/atmo-connect-report.md

            """, to: answers)
        if serveOnly {
            // Written at once (not print's buffer): whoever started it waits for this line.
            FileHandle.standardOutput.write(Data("atmo-connect demo: serving until SIGTERM; the wizard's answers: \(answers)\n".utf8))
            await Termination.wait()
            return
        }
        var wizard = try RunWizard.parse(["--state-dir", stateDir ?? base + "/state", "--answers", answers])
        try await wizard.run()
    }

    /// An Atmosphere sandbox of the final generation that runs upstream's own scripts (the stand-ins of
    /// Tests/Peers/atmosphere in this checkout), trusting the demo cloud's CA and resolving its names; the answers that
    /// point at it, or none when the checkout's peer or python3 are not there.
    static func sandbox(at root: String, cloud: DemoCloud, generation: AtmosphereSandbox.Generation = .final) throws -> String {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().path
        let peer = repository + "/Tests/Peers/atmosphere"
        let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let python, FileManager.default.fileExists(atPath: peer + "/make_tree.py") else {
            print("atmo-connect demo: no Atmosphere sandbox (needs python3 and \(peer)/make_tree.py); its steps will find no checkout.")
            return ""
        }
        // The demo user has logged in once, so the staff step has someone to promote.
        try AtmosphereSandbox.make(root: root, peer: peer, python: python, generation: generation, trust: [cloud.caBundle],
                                   hosts: AtmosphereSandbox.hostsLines(resolve: cloud.resolve), users: ["demo"])
        let hosts = root + (generation == .final ? "/atmosphere-ansible/ansible/inventory/hosts" : "/atmosphere-ansible/ansible/hosts")
        try "# the demo's inventory\n[atmosphere]\natmo.demo.test\n".write(toFile: hosts, atomically: true, encoding: .utf8)
        return """
            atmosphere.checkout: \(root)/atmosphere
            atmosphere.venv: \(root)/env/atmo
            atmosphere.ansible_checkout: \(root)/atmosphere-ansible
            accounts.users: [demo]
            staff.users: [demo]

            """
    }
}
