import AtmoModel
import Foundation

/// "Exercise the cloud": boot a server, give it a floating IP, reach SSH, attach a 1 GiB volume, then remove it all.
/// Every resource is reported the moment its id comes back, so a crash leaves nothing nobody knows about.
public struct SmokeTest: Sendable {
    /// What to boot and how long to wait.
    public struct Options: Sendable {
        public var image: String?
        public var flavor: String?
        public var network: String?
        /// Seconds each stage may take.
        public var timeout: TimeInterval
        public var sshPort: Int
        public var pollInterval: TimeInterval = 1
        /// The name (servers, volumes) and description (floating IPs) of everything this run makes, so that what a
        /// crash hid (made, but killed before its id came back) can still be found.
        public var tag = "atmo-connect-smoke-" + UUID().uuidString.prefix(8).lowercased()

        /// Options; nil picks what the cloud offers.
        public init(image: String?, flavor: String?, network: String?, timeout: TimeInterval, sshPort: Int = 22) {
            self.image = image
            self.flavor = flavor
            self.network = network
            self.timeout = timeout
            self.sshPort = sshPort
        }
    }

    /// A resource the test created, as the state database records it ("server ID", "attachment SERVER/VOLUME").
    public struct Resource: Sendable, Hashable {
        public var kind: String
        public var id: String

        /// A resource.
        public init(kind: String, id: String) {
            self.kind = kind
            self.id = id
        }

        /// Reads "kind id".
        public init?(_ text: String) {
            let parts = text.split(separator: " ", maxSplits: 1)
            guard parts.count == 2 else { return nil }
            self.init(kind: String(parts[0]), id: String(parts[1]))
        }

        public var text: String { "\(kind) \(id)" }
    }

    static let id = "cloud.smoke-test"
    let api: OpenStackAPI
    let region: String?

    /// A test through `api`, in `region`.
    public init(api: OpenStackAPI, region: String?) {
        self.api = api
        self.region = region
    }

    struct Endpoints {
        var compute: String, network: String, volume: String, image: String
    }

    func endpoints() throws -> Endpoints {
        guard let compute = api.endpoint(["compute"], region: region), let network = api.endpoint(["network"], region: region),
            let volume = api.endpoint(["volumev3", "block-storage", "volumev2", "volume"], region: region),
            let image = api.endpoint(["image"], region: region)
        else {
            throw APIError(call: "the service catalog", status: nil, message: "lacks compute, network, volume or image")
        }
        return Endpoints(compute: compute, network: network.hasSuffix("/v2.0") ? network : network + "/v2.0", volume: volume, image: image)
    }

    /// Runs every stage, then removes what it made (also after a failure). `created` and `deleted` hear each resource;
    /// when `created` throws (the resource could not be recorded), nothing more is made and what was made is removed.
    public func run(
        _ options: Options, created: @Sendable (Resource) throws -> Void, deleted: @Sendable (Resource) throws -> Void
    ) async -> [Finding] {
        await run(options, holding: false, created: created, deleted: deleted).findings
    }

    /// Runs every stage; when all passed and `holding` is set, leaves the server, its floating IP and volume in place
    /// (another host must reach the address before they go: see `Held`), else removes what it made.
    public func run(
        _ options: Options, holding: Bool, created: @Sendable (Resource) throws -> Void,
        deleted: @Sendable (Resource) throws -> Void
    ) async -> (findings: [Finding], held: Held?) {
        var made: [Resource] = []
        var reached: String?
        var findings: [Finding] = []
        func record(_ resource: Resource) throws {
            made.append(resource)
            try created(resource)
        }
        do {
            let urls = try endpoints()
            let choice = try await choose(options, urls)
            findings.append(ok("choice", "image \(choice.imageName), flavor \(choice.flavorName), network \(choice.networkName)"))
            var started = Date()
            let create = OpenStackBodies.ServerCreate(
                server: .init(name: options.tag, imageRef: choice.image, flavorRef: choice.flavor, networks: [.init(uuid: choice.network)]))
            let serverID = try await api.call("POST", "\(urls.compute)/servers", create, as: OpenStackBodies.Server.self).server.id
            try record(Resource(kind: "server", id: serverID))
            try await wait("server \(serverID) ACTIVE", options) {
                let server = try await api.call("GET", "\(urls.compute)/servers/\(serverID)", as: OpenStackBodies.Server.self).server
                let status = server.status ?? ""
                if status == "ERROR" {
                    let fault = server.fault?.message ?? "no fault message"
                    throw APIError(call: "server \(serverID)", status: nil, message: "went to ERROR: \(fault)")
                }
                return status == "ACTIVE"
            }
            findings.append(ok("server", "\(serverID) ACTIVE after \(seconds(since: started))"))
            started = Date()
            // The server's port on the chosen network (a server may have several).
            let ports = try await api.list("\(urls.network)/ports?device_id=\(serverID)&network_id=\(choice.network)", key: "ports")
            guard let port = ports.first?.id else {
                throw APIError(call: "GET ports", status: 200, message: "the server has no port on \(choice.networkName)")
            }
            let floating = try await api.call(
                "POST", "\(urls.network)/floatingips",
                OpenStackBodies.FloatingIPChange(floatingip: .init(floatingNetworkID: choice.external, description: options.tag)),
                as: OpenStackBodies.FloatingIP.self
            ).floatingip
            let ipID = floating.id
            guard let address = floating.floatingAddress else {
                throw APIError(call: "POST floatingips", status: 201, message: "no floating IP address in the answer")
            }
            try record(Resource(kind: "floatingip", id: ipID))
            try await api.send("PUT", "\(urls.network)/floatingips/\(ipID)", OpenStackBodies.FloatingIPChange(floatingip: .init(portID: port)))
            // SSH means its banner: a listener that accepts and says nothing is no SSH server.
            let greeting = SSHGreetings()
            do {
                try await wait("SSH at \(address):\(options.sshPort)", options) {
                    let seen = await Task.detached { SSHProbe.greet(address: address, port: options.sshPort, timeout: 2) }.value
                    greeting.last = seen
                    return seen.isSSH
                }
            } catch let error as APIError {
                throw APIError(call: error.call, status: nil, message: error.message + "; at the last try it " + (greeting.last?.observed ?? "was not reached"))
            }
            let status = (try? await api.call("GET", "\(urls.network)/floatingips/\(ipID)", as: OpenStackBodies.FloatingIP.self))?.floatingip.status
            findings.append(
                ok(
                    "ssh",
                    "\(address):\(options.sshPort) \(greeting.last?.observed ?? "answers as SSH"), \(seconds(since: started)) after the floating IP was attached"
                        + (status.map { "; Neutron reports the floating IP \($0)" } ?? "")))
            reached = address
            started = Date()
            let volumeID = try await api.call(
                "POST", "\(urls.volume)/volumes", OpenStackBodies.VolumeCreate(volume: .init(size: 1, name: options.tag)),
                as: OpenStackBodies.Volume.self
            ).volume.id
            try record(Resource(kind: "volume", id: volumeID))
            try await wait("volume \(volumeID) available", options) {
                let status = try await volumeStatus(urls, volumeID)
                if status == "error" {
                    throw APIError(call: "volume \(volumeID)", status: nil, message: "went to error (check cinder-volume's log and the backend)")
                }
                return status == "available"
            }
            try await api.send(
                "POST", "\(urls.compute)/servers/\(serverID)/os-volume_attachments",
                OpenStackBodies.VolumeAttach(volumeAttachment: .init(volumeId: volumeID)))
            try record(Resource(kind: "attachment", id: "\(serverID)/\(volumeID)"))
            try await wait("volume \(volumeID) in-use", options) { try await volumeStatus(urls, volumeID) == "in-use" }
            findings.append(ok("volume", "1 GiB volume \(volumeID) attached after \(seconds(since: started))"))
            if holding, let reached {
                return (findings, Held(tag: options.tag, address: reached, port: options.sshPort, resources: made, findings: findings))
            }
        } catch is Displaced {
            let left = made.map { "\($0.kind) \($0.id)" }.joined(separator: ", ")
            return (
                findings + [
                    Finding(
                        checkID: Self.id, target: "smoke test", severity: .failure,
                        observed: "stopped: another atmo-connect took the state over; this run made no further call to the cloud",
                        remedy: "The run that took over removes what this one made (\(left)).")
                ], nil
            )
        } catch let problem as any Problem {
            // What made the run stop (a journal that cannot be written) says so itself; what it made is removed.
            findings.append(Finding(problem, checkID: Self.id, target: "smoke test"))
        } catch {
            findings.append(
                Finding(
                    checkID: Self.id, target: "smoke test", severity: .failure, observed: describe(error),
                    remedy: "Fix what it names on the cloud (nova, neutron or cinder logs), then run this step again; what it made is removed."))
        }
        return (findings + (await cleanUp(made, options: options, deleted: deleted)), nil)
    }

    /// What exists under `tag`, found by name and description, in an order whose reverse removes it cleanly: the
    /// floating IPs, then the servers (which detaches their volumes), then the volumes. A listing that fails throws:
    /// an unread listing is no proof that nothing was left.
    public func orphans(tag: String) async throws -> [Resource] {
        let urls = try endpoints()
        // The name filters of Nova and Cinder match substrings (Nova: a regular expression): the tag is compared exactly.
        let servers = try await api.call("GET", "\(urls.compute)/servers?name=\(tag)", as: OpenStackBodies.Servers.self).servers
            .filter { $0.name == tag }.map(\.id)
        let addresses = try await api.call("GET", "\(urls.network)/floatingips?description=\(tag)", as: OpenStackBodies.FloatingIPs.self)
            .floatingips.filter { $0.description == tag }.map(\.id)
        let volumes = try await api.call("GET", "\(urls.volume)/volumes?name=\(tag)", as: OpenStackBodies.Volumes.self).volumes
            .filter { $0.name == tag }.map(\.id)
        return volumes.map { Resource(kind: "volume", id: $0) } + servers.map { Resource(kind: "server", id: $0) }
            + addresses.map { Resource(kind: "floatingip", id: $0) }
    }

    /// Removes resources, the newest first (an attachment before its volume, the floating IP before the server).
    public func cleanUp(_ resources: [Resource], options: Options, deleted: @Sendable (Resource) throws -> Void) async -> [Finding] {
        guard !resources.isEmpty else { return [] }
        let urls: Endpoints
        do { urls = try endpoints() } catch { return [Finding(checkID: Self.id, target: "clean-up", severity: .failure, observed: describe(error))] }
        var findings: [Finding] = []
        for resource in resources.reversed() {
            do {
                switch resource.kind {
                case "attachment":
                    let ids = resource.id.split(separator: "/").map(String.init)
                    guard ids.count == 2 else { continue }
                    try await api.send("DELETE", "\(urls.compute)/servers/\(ids[0])/os-volume_attachments/\(ids[1])", expected: [202, 204, 404])
                    try await wait("volume \(ids[1]) detached", options) { ["available", "deleted"].contains(try await volumeStatus(urls, ids[1])) }
                case "volume":
                    // 202 is "accepted", not gone: gone is a 404 (an error_deleting volume is still there, and said).
                    try await api.send("DELETE", "\(urls.volume)/volumes/\(resource.id)", expected: [202, 204, 404])
                    try await wait("volume \(resource.id) gone", options) {
                        let status = try await volumeStatus(urls, resource.id)
                        if status == "error_deleting" {
                            throw APIError(call: "volume \(resource.id)", status: nil, message: "went to error_deleting (check cinder-volume's log and the backend)")
                        }
                        return status == "deleted"
                    }
                case "floatingip":
                    try await api.send("DELETE", "\(urls.network)/floatingips/\(resource.id)", expected: [204, 404])
                    try await wait("floating IP \(resource.id) gone", options) {
                        (try await api.send("GET", "\(urls.network)/floatingips/\(resource.id)", expected: [200, 404])).status == 404
                    }
                case "server":
                    try await api.send("DELETE", "\(urls.compute)/servers/\(resource.id)", expected: [204, 404])
                    try await wait("server \(resource.id) gone", options) {
                        (try? await api.send("GET", "\(urls.compute)/servers/\(resource.id)", expected: [404])) != nil
                    }
                default:
                    continue
                }
            } catch {
                findings.append(
                    Finding(
                        checkID: Self.id, target: resource.text, severity: .failure, observed: "not removed: \(describe(error))",
                        remedy:
                            "Remove it by hand (openstack \(resource.kind == "floatingip" ? "floating ip" : resource.kind) delete), or run this step again."
                    ))
                continue
            }
            do {
                try deleted(resource)
                findings.append(Finding(checkID: Self.id, target: resource.text, severity: .ok, observed: "removed"))
            } catch {
                // Gone from the cloud, still listed as made: the next run asks for it again and accepts "already gone".
                let problem = error as? any Problem
                findings.append(
                    Finding(
                        checkID: Self.id, target: resource.text, severity: .failure,
                        observed: "removed, but " + (problem?.message ?? describe(error)), remedy: problem?.remedy ?? "Run this step again."))
            }
        }
        return findings
    }
}

/// The last greeting seen while waiting for SSH, for the failure's words.
final class SSHGreetings: @unchecked Sendable {
    private let lock = NSLock()
    private var value: SSHGreeting?

    var last: SSHGreeting? {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}
