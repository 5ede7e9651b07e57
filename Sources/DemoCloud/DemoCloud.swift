import AtmoModel
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// A simulated OpenStack cloud on 127.0.0.1: Keystone v3, Nova, Glance, Neutron and Cinder over HTTPS, each on its own
/// port and fully qualified name (reached through the resolve override), with a throwaway CA made at start.
public final class DemoCloud: @unchecked Sendable {
    /// The services, their host names and the path the catalog adds.
    static let services: [(type: String, host: String, path: String)] = [
        ("identity", "keystone.demo.test", "/v3"), ("compute", "nova.demo.test", "/v2.1"), ("image", "glance.demo.test", ""),
        ("network", "neutron.demo.test", ""), ("volumev3", "cinder.demo.test", "/v3/%(project_id)s"),
    ]

    /// Where the CA, the openrc and the description are written.
    public let directory: String
    /// Each service's port, by catalog type.
    public private(set) var ports: [String: Int] = [:]
    /// The CA bundle to trust (PEM).
    public let caBundle: String
    /// Keystone's public URL (…/v3).
    public private(set) var authURL = ""
    /// curl --resolve lines that send each service's name to 127.0.0.1.
    public private(set) var resolve: [String] = []
    /// The admin's password (generated at start; never written anywhere but the environment the caller passes on).
    public let adminPassword: String

    /// The UDP port of the demo's DNS server on 127.0.0.1 (names vmTHIRD-FOURTH.demo.test for the floating pool).
    public private(set) var dnsPort = 0

    /// The port the demo's servers answer SSH on, at their floating IPs (unprivileged, so the demo needs no root).
    public let sshPort = Int.random(in: 20_000...60_000)

    private let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    private var channels: [Channel] = []
    private let sshLock = NSLock()
    /// Each floating IP's SSH listener, bound or being bound; and the closes still under way, which a new listener at
    /// the same address waits for (else its bind finds the old one still there).
    private var sshListeners: [String: EventLoopFuture<Channel>] = [:]
    private var sshClosing: [String: EventLoopFuture<Void>] = [:]
    let state: DemoState

    /// The scenario it plays.
    public let scenario: DemoScenario

    /// How fast its waits pass (ATMO_TIMESCALE by default: the demo program and the tests shrink them; real time else).
    public let timescale: Timescale

    /// How long the slow scenario's service takes to answer, in real seconds: 2 s of its simulated time.
    public var slowAnswerSeconds: TimeInterval { timescale.seconds(2) }

    /// Starts every service as `scenario` says; `directory` receives ca.pem and admin-openrc (without the password).
    public init(directory: String, adminPassword: String, scenario: DemoScenario = .clean, timescale: Timescale = .fromEnvironment()) throws {
        self.scenario = scenario
        self.timescale = timescale
        self.directory = directory
        self.adminPassword = adminPassword
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let certificates = try DemoCertificates()
        caBundle = directory + "/ca.pem"
        try certificates.caPEM.write(toFile: caBundle, atomically: true, encoding: .utf8)
        state = DemoState(adminPassword: adminPassword)
        state.locked {
            $0.faults = scenario.faults
            $0.buildSeconds = timescale.seconds(1)
        }
        func context(_ pair: DemoCertificates.Pair, newest: TLSVersion? = nil) throws -> NIOSSLContext {
            var configuration = TLSConfiguration.makeServerConfiguration(
                certificateChain: [.certificate(try NIOSSLCertificate(bytes: Array(pair.certificate.utf8), format: .pem))],
                privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(pair.key.utf8), format: .pem)))
            // On shutdown each open connection sends close_notify and, by default, waits 5 s for the client's: a client
            // that keeps idle connections (libcurl's cache) never answers, so stopping the cloud took 5 s. It does not
            // wait for an answer nobody needs.
            configuration.shutdownTimeout = .milliseconds(50)
            if let newest {
                configuration.minimumTLSVersion = .tlsv1
                configuration.maximumTLSVersion = newest
                // TLS 1.1 has only CBC suites with SHA-1, which the defaults leave out.
                configuration.cipherSuites = "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES128-SHA"
            }
            return try NIOSSLContext(configuration: configuration)
        }
        let tls = try context(try certificates.server(names: Self.services.map(\.host)))
        for service in Self.services {
            let state = self.state
            let type = service.type
            let fault = scenario.endpoints[type]
            let serverTLS: NIOSSLContext? =
                switch fault {
                case .plainHTTP: nil
                case .expired: try context(try certificates.server(names: [service.host], expired: true))
                case .selfSigned: try context(try certificates.server(names: [service.host], selfSigned: true))
                case .wrongHost: try context(try certificates.server(names: ["other.demo.test"]))
                case .tls11: try context(try certificates.server(names: [service.host]), newest: .tlsv11)
                case .tls12: try context(try certificates.server(names: [service.host]), newest: .tlsv12)
                default: tls
                }
            let channel = try listen(tls: serverTLS) { [weak self] request in
                guard let self else { return .json(503, [:]) }
                if fault == .plainHTTP, request.headers["x-auth-token"] != nil { state.locked { $0.tokensOverPlainHTTP += 1 } }
                if fault == .error500 {
                    return .json(
                        500,
                        [
                            "error": [
                                "code": 500, "title": "Internal Server Error",
                                "message": "An unexpected error prevented the server from fulfilling your request.",
                            ]
                        ])
                }
                if fault == .slow {
                    var late =
                        type == "identity"
                        ? DemoKeystone(state: state, base: "https://\(service.host):\(self.ports[type] ?? 0)", region: "RegionOne").handle(request)
                        : DemoServices(state: state).handle(type, request)
                    late.delay = self.slowAnswerSeconds
                    return late
                }
                if type == "identity" {
                    return DemoKeystone(state: state, base: "https://\(service.host):\(self.ports[type] ?? 0)", region: "RegionOne").handle(request)
                }
                return DemoServices(state: state).handle(type, request)
            }
            let port = channel.localAddress?.port ?? 0
            channels.append(channel)
            ports[type] = port
            resolve.append("\(service.host):\(port):127.0.0.1")
            let url =
                switch fault {
                case .plainHTTP: "http://\(service.host):\(port)\(service.path)"
                case .ipLiteral: "https://127.0.0.1:\(port)\(service.path)"
                default: "https://\(service.host):\(port)\(service.path)"
                }
            state.locked { $0.endpoints[type] = ["public", "internal", "admin"].map { (DemoState.id(), $0, url) } }
        }
        authURL = "https://keystone.demo.test:\(ports["identity"] ?? 0)/v3"
        state.locked { $0.onFloatingIP = { [weak self] address, attached in self?.ssh(at: address, open: attached) } }
        let pool = (IPRange.address(state.locked { $0.pool.first }) ?? 0)...(IPRange.address(state.locked { $0.pool.last }) ?? 0)
        let dns = try DatagramBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(DemoDNSHandler(addresses: pool.map(IPRange.text)))
                }
            }
            .bind(host: "127.0.0.1", port: 0).wait()
        channels.append(dns)
        dnsPort = dns.localAddress?.port ?? 0
        try """
        export OS_AUTH_URL="\(authURL)"
        export OS_USERNAME="admin"
        export OS_PROJECT_NAME="admin"
        export OS_USER_DOMAIN_NAME="Default"
        export OS_PROJECT_DOMAIN_NAME="Default"
        export OS_REGION_NAME="RegionOne"
        export OS_INTERFACE=public
        export OS_IDENTITY_API_VERSION=3

        """.write(toFile: directory + "/admin-openrc", atomically: true, encoding: .utf8)
    }

    private func listen(tls: NIOSSLContext?, router: @escaping @Sendable (DemoRequest) -> DemoResponse) throws -> Channel {
        try ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls)) }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(DemoHTTPHandler(router: router))
                }
            }
            .bind(host: "127.0.0.1", port: 0).wait()
    }

    /// Opens or closes the SSH stand-in at a floating IP; called on the event loop, so it never waits. The listener is
    /// known from the moment its bind starts, so a close that comes before the bind finished still closes it.
    private func ssh(at address: String, open: Bool) {
        sshLock.lock(); defer { sshLock.unlock() }
        if !open {
            guard let listener = sshListeners.removeValue(forKey: address) else { return }
            sshClosing[address] = listener.flatMap { $0.close() }.flatMapError { _ in listener.eventLoop.makeSucceededVoidFuture() }
            return
        }
        guard sshListeners[address] == nil else { return }
        let state = self.state, port = sshPort, group = self.group
        let previous = sshClosing.removeValue(forKey: address) ?? group.next().makeSucceededVoidFuture()
        sshListeners[address] = previous.flatMap {
            ServerBootstrap(group: group)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelInitializer { channel in
                    let silent = state.locked { $0.faults.silentSSH }
                    return channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(SSHBanner(silent: silent)) }
                }
                .bind(host: address, port: port)
        }
    }

    /// A firewall between another host and the floating range, for tests: the address stops answering from now on.
    /// Returns once the listener is closed (never call it on the event loop).
    public func stopAnswering(at address: String) {
        sshLock.lock()
        let listener = sshListeners.removeValue(forKey: address)
        sshLock.unlock()
        try? listener?.wait().close().wait()
    }

    /// Changes the faults from now on.
    public func set(faults: DemoFaults) { state.locked { $0.faults = faults } }

    /// Real seconds a new server stays in BUILD (and a volume in creating, half of it); 1 s of simulated time unless set.
    public func set(buildSeconds: TimeInterval) { state.locked { $0.buildSeconds = buildSeconds } }

    /// How many servers, floating IPs and volumes exist now (deleted servers do not count).
    public var resourceCounts: (servers: Int, floatingIPs: Int, volumes: Int) {
        state.locked { state in
            // A volume whose deletion Cinder has finished by now is gone, whether or not anyone asked since.
            let volumes = state.volumes.values.filter { $0.deleting.map { Date().timeIntervalSince($0) < state.buildSeconds / 4 } ?? true }
            return (state.servers.values.filter { !$0.deleted }.count, state.floatingIPs.count, volumes.count)
        }
    }

    /// How many requests carried a token to a plain-http endpoint.
    public var tokensOverPlainHTTP: Int { state.locked { $0.tokensOverPlainHTTP } }

    /// How many servers were ever created.
    public var serversCreated: Int { state.locked { $0.servers.count } }

    /// Stops every listener.
    public func shutdown() {
        sshLock.lock()
        let listeners = Array(sshListeners.values), closing = Array(sshClosing.values)
        sshListeners = [:]
        sshClosing = [:]
        sshLock.unlock()
        for listener in listeners { try? listener.wait().close().wait() }
        for pending in closing { try? pending.wait() }
        for channel in channels { try? channel.close().wait() }
        try? group.syncShutdownGracefully()
    }
}

/// What an sshd says first (RFC 4253's identification line), or, `silent`, nothing at all.
final class SSHBanner: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    let silent: Bool

    init(silent: Bool) { self.silent = silent }

    func channelActive(context: ChannelHandlerContext) {
        guard !silent else { return }
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(string: "SSH-2.0-OpenSSH_9.2p1 atmo-connect-demo\r\n")))
            .whenComplete { _ in bound.value.close(promise: nil) }
    }
}
