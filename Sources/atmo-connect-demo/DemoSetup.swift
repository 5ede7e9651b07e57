import DemoCloud
import Foundation
import StepEngine

/// The answers that point the wizard at a running demo cloud and its Atmosphere sandbox.
enum DemoSetup {
    /// Writes the answers file (0600) in `base` and returns its path.
    static func answers(base: String, cloud: DemoCloud, generation: AtmosphereSandbox.Generation) throws -> String {
        let sandbox = try Self.sandbox(at: base + "/atmosphere", cloud: cloud, generation: generation)
        let answers = base + "/demo-answers.yaml"
        try AnswersFile.writePrivately(
            sandbox + """
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
                osa.output_path: \(base)/user_variables.atmosphere.yml
                dns.zone_dir: \(base)/atmosphere-zones
                provider.json_path: \(base)/atmosphere-provider.json
                final.report_path: \(base)/atmo-connect-report.md

                """, to: answers)
        return answers
    }

    /// An Atmosphere sandbox that runs upstream's own scripts (the stand-ins of Tests/Peers/atmosphere in this
    /// checkout), trusting the demo cloud's CA and resolving its names; the answers that point at it, or none when the
    /// checkout's peer or python3 are not there.
    static func sandbox(at root: String, cloud: DemoCloud, generation: AtmosphereSandbox.Generation) throws -> String {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        let peer = repository + "/Tests/Peers/atmosphere"
        let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let python, FileManager.default.fileExists(atPath: peer + "/make_tree.py") else {
            FileHandle.standardError.write(
                Data("atmo-connect demo: no Atmosphere sandbox (needs python3 and \(peer)/make_tree.py); its steps will find no checkout.\n".utf8))
            return ""
        }
        guard let packages = AtmosphereSandbox.packagesFolder() else {
            FileHandle.standardError.write(
                Data(
                    ("atmo-connect demo: no Atmosphere sandbox: Atmosphere's pinned Python packages are not there; "
                        + "make run (or scripts/peers/venv.sh --atmosphere) installs them. Its steps will find no checkout.\n").utf8))
            return ""
        }
        // The demo user has logged in once, so the staff step has someone to promote.
        try AtmosphereSandbox.make(
            root: root, peer: peer, python: python, packages: packages, generation: generation, trust: [cloud.caBundle],
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
