import Foundation

/// The Python peers tests talk to: TLS servers and real OpenStack services, from the venv `make test` prepares.
public enum Peers {
    /// The venv's python; tests fail with a remedy when it is missing.
    public static var python: String? {
        let venv =
            ProcessInfo.processInfo.environment["ATMO_PEERS_VENV"]
            ?? NSHomeDirectory() + "/.cache/atmo-connect/openstack-venv"
        let path = venv + "/bin/python"
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }

    /// A program of the tools venv (ansible-core, PyYAML) next to the peers' venv; nil when it is missing.
    public static func tool(_ name: String) -> String? {
        let venv =
            ProcessInfo.processInfo.environment["ATMO_TOOLS_VENV"]
            ?? ((ProcessInfo.processInfo.environment["ATMO_PEERS_VENV"] ?? NSHomeDirectory() + "/.cache/atmo-connect/openstack-venv") as NSString)
            .deletingLastPathComponent + "/ansible-venv"
        let path = venv + "/bin/" + name
        return FileManager.default.isExecutableFile(atPath: path) ? path : nil
    }

    public static let missingVenv = "the test venv is missing: run `make test` (or scripts/peers/venv.sh) to create it"

    /// The scripts directory of the test peers.
    public static var directory: String { TestPaths.repository + "/Tests/Peers" }
}

/// TLS servers with one certificate class each, on 127.0.0.1.
public final class TLSPeer {
    public let workdir: String
    public let ports: [String: Int]
    private let process: ChildProcess.Running

    /// Starts the servers and waits until they listen.
    public init?() {
        guard let python = Peers.python else { return nil }
        workdir = TestPaths.scratch("tlspeer")
        process = ChildProcess.start([python, Peers.directory + "/tls_peer.py", workdir])
        guard process.waitForOutput("READY", timeout: 30),
            let data = FileManager.default.contents(atPath: workdir + "/ports.json"),
            let ports = try? JSONSerialization.jsonObject(with: data) as? [String: Int]
        else {
            kill(process.pid, SIGKILL)
            return nil
        }
        self.ports = ports
    }

    deinit {
        kill(process.pid, SIGKILL)
        _ = process.wait()
    }

    /// The test CA to trust.
    public var rootCA: String { workdir + "/root.pem" }

    /// The URL of the server for a class, by a name its certificate covers.
    public func url(_ label: String, host: String = "localhost") -> String { "https://\(host):\(ports[label] ?? 0)/" }
}
