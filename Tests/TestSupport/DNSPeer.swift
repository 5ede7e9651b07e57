import Foundation

/// A real DNS server on loopback: dnsmasq from Debian's packages, on a high port, answering only from the records given.
public final class DNSPeer: @unchecked Sendable {
    public let port: Int
    public let workdir: String
    private let process: ChildProcess.Running

    /// Starts dnsmasq with `hosts` (address and name: both the A and the PTR record), `addresses` (an A record only) and
    /// `pointers` (a PTR record only, reverse name to name); names under `zones` and their reverse zones that are not
    /// listed get NXDOMAIN. Nil when dnsmasq is missing or does not start.
    public init?(
        hosts: [(String, String)] = [], addresses: [(String, String)] = [], pointers: [(String, String)] = [],
        zones: [String] = ["cloud.test", "113.0.203.in-addr.arpa"]
    ) {
        let binary = ["/usr/sbin/dnsmasq", "/usr/bin/dnsmasq"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let binary else { return nil }
        workdir = TestPaths.scratch("dns")
        let hostsFile = workdir + "/hosts"
        FileManager.default.createFile(atPath: hostsFile, contents: Data(hosts.map { "\($0.0) \($0.1)\n" }.joined().utf8))
        // A random high port may be taken by another listener: try another at once when dnsmasq says so.
        var started: (port: Int, process: ChildProcess.Running)?
        for _ in 0..<5 where started == nil {
            let port = Int.random(in: 20_000...60_000)
            var arguments = [
                binary, "--keep-in-foreground", "--port=\(port)", "--listen-address=127.0.0.1", "--bind-interfaces", "--no-resolv",
                "--no-hosts", "--addn-hosts=\(hostsFile)", "--conf-file=/dev/null", "--pid-file=\(workdir)/pid", "--user=root",
                "--log-facility=-", "--cache-size=0",
            ]
            arguments += zones.map { "--local=/\($0)/" }
            arguments += addresses.map { "--address=/\($0.0)/\($0.1)" }
            arguments += pointers.map { "--ptr-record=\($0.0),\($0.1)" }
            let process = ChildProcess.start(arguments)
            let deadline = Date().addingTimeInterval(10)
            while Date() < deadline && !process.output.contains("started") && !process.output.contains("Address already in use") { usleep(20_000) }
            if process.output.contains("started") {
                started = (port, process)
            } else {
                DNSPeer.lastError = process.output
                kill(process.pid, SIGTERM)
                _ = process.wait()
            }
        }
        guard let started else { return nil }
        port = started.port
        process = started.process
    }

    nonisolated(unsafe) public static var lastError = ""

    /// The server as the wizard's dns.server answer writes it.
    public var server: String { "127.0.0.1:\(port)" }

    deinit {
        kill(process.pid, SIGTERM)
        _ = process.wait()
    }
}
