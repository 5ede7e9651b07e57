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
            start; nothing leaves this machine. Its state lives in memory and ends with the wizard. Scenarios: \
            \(Demo.scenarios.joined(separator: ", ")).
            """ + "\n\n" + ExitStatus.helpText)

    static let scenarios = ["clean"]

    @Option(name: .long, help: ArgumentHelp("The state directory (default: a new temporary one).", valueName: "DIR"))
    var stateDir: String?

    @Option(name: .long, help: ArgumentHelp("What the demo cloud does: \(Demo.scenarios.joined(separator: ", ")).", valueName: "NAME"))
    var scenario = "clean"

    mutating func run() async throws {
        guard Self.scenarios.contains(scenario) else {
            throw ValidationError("no scenario named \(scenario); this build has: \(Self.scenarios.joined(separator: ", ")).")
        }
        let base = NSTemporaryDirectory() + "atmo-connect-demo-\(UUID().uuidString.prefix(8))"
        let password = DefaultProviders.strongSecret(length: 32)
        let cloud = try DemoCloud(directory: base + "/cloud", adminPassword: password)
        defer { cloud.shutdown() }
        // The password reaches the wizard through this process's environment only: never argv, never a file.
        setenv("ATMO_CONNECT_DEMO_PASSWORD", password, 1)
        let answers = base + "/demo-answers.yaml"
        try AnswersFile.writePrivately("""
            # atmo-connect demo: the demo cloud's credentials (the password comes from the environment)
            session.name: demo
            cloud.credentials_source: openrc
            cloud.openrc_path: \(cloud.directory)/admin-openrc
            cloud.password: {from_env: ATMO_CONNECT_DEMO_PASSWORD}
            cloud.cacert: \(cloud.caBundle)
            cloud.resolve: [\(cloud.resolve.joined(separator: ", "))]
            tls.api_hostname: keystone.demo.test

            """, to: answers)
        var wizard = try RunWizard.parse(["--state-dir", stateDir ?? base + "/state", "--answers", answers])
        try await wizard.run()
    }
}
