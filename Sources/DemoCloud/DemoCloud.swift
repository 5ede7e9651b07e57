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

    private let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    private var channels: [Channel] = []
    let state: DemoState

    /// Starts every service; `directory` receives ca.pem and admin-openrc (without the password).
    public init(directory: String, adminPassword: String) throws {
        self.directory = directory
        self.adminPassword = adminPassword
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let certificates = try DemoCertificates()
        caBundle = directory + "/ca.pem"
        try certificates.caPEM.write(toFile: caBundle, atomically: true, encoding: .utf8)
        state = DemoState(adminPassword: adminPassword)
        let pair = try certificates.server(names: Self.services.map(\.host))
        let tls = try NIOSSLContext(configuration: .makeServerConfiguration(
            certificateChain: [.certificate(try NIOSSLCertificate(bytes: Array(pair.certificate.utf8), format: .pem))],
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(pair.key.utf8), format: .pem))))
        for service in Self.services {
            let state = self.state
            let type = service.type
            let channel = try listen(tls: tls) { [weak self] request in
                guard let self else { return .json(503, [:]) }
                if type == "identity" {
                    return DemoKeystone(state: state, base: "https://\(service.host):\(self.ports[type] ?? 0)", region: "RegionOne").handle(request)
                }
                return DemoServices(state: state).handle(type, request)
            }
            let port = channel.localAddress?.port ?? 0
            channels.append(channel)
            ports[type] = port
            resolve.append("\(service.host):\(port):127.0.0.1")
            let url = "https://\(service.host):\(port)\(service.path)"
            state.locked { $0.endpoints[type] = ["public", "internal", "admin"].map { (DemoState.id(), $0, url) } }
        }
        authURL = "https://keystone.demo.test:\(ports["identity"] ?? 0)/v3"
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

    private func listen(tls: NIOSSLContext, router: @escaping @Sendable (DemoRequest) -> DemoResponse) throws -> Channel {
        try ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls))
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(DemoHTTPHandler(router: router))
                }
            }
            .bind(host: "127.0.0.1", port: 0).wait()
    }

    /// Stops every listener.
    public func shutdown() {
        for channel in channels { try? channel.close().wait() }
        try? group.syncShutdownGracefully()
    }
}
