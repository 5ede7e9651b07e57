import AtmoModel
import Foundation

extension SmokeTest {
    struct Choice {
        var image, imageName, flavor, flavorName, network, networkName, external: String
    }

    /// The image, flavor, tenant network and external network: the operator's, or what the cloud offers that will
    /// work, checked before anything is made (a choice Neutron or Nova would refuse is a failure here, naming why).
    func choose(_ options: Options, _ urls: Endpoints) async throws -> Choice {
        let images = try await api.list("\(urls.image)/v2/images?status=active", key: "images")
        let image = try pick(images, options.image, what: "image") { $0.size ?? Int.max }
        let flavor = try chooseFlavor(try await api.list("\(urls.compute)/flavors/detail", key: "flavors"), for: image, options)
        let (network, external) = try await chooseNetwork(options, urls)
        return Choice(
            image: image.id, imageName: image.label, flavor: flavor.id, flavorName: flavor.label, network: network.id,
            networkName: network.label, external: external)
    }

    /// The operator's flavor, or the smallest (RAM, then disk, then vCPUs) that the image fits: its RAM at least the
    /// image's min_ram and its disk at least its min_disk (a disk of 0 takes the image's size). Nova refuses a flavor
    /// whose disk is below the image's min_disk.
    func chooseFlavor(_ flavors: [OpenStackBodies.Item], for image: OpenStackBodies.Item, _ options: Options) throws -> OpenStackBodies.Item {
        let needs = "the image \(image.label) needs \(image.minRAM ?? 0) MB of RAM and \(image.minDisk ?? 0) GB of disk"
        func fits(_ flavor: OpenStackBodies.Item) -> Bool {
            (flavor.ram ?? 0) >= (image.minRAM ?? 0) && ((flavor.disk ?? 0) == 0 || (flavor.disk ?? 0) >= (image.minDisk ?? 0))
        }
        if let wanted = options.flavor {
            let flavor = try pick(flavors, wanted, what: "flavor") { _ in 0 }
            guard fits(flavor) else {
                throw APIError(
                    call: "choosing the flavor", status: nil,
                    message: "\(flavor.label) has \(flavor.ram ?? 0) MB of RAM and \(flavor.disk ?? 0) GB of disk; \(needs): Nova would refuse it")
            }
            return flavor
        }
        guard let smallest = flavors.filter(fits).min(by: { ($0.ram ?? 0, $0.disk ?? 0, $0.vcpus ?? 0) < ($1.ram ?? 0, $1.disk ?? 0, $1.vcpus ?? 0) }) else {
            throw APIError(call: "choosing the flavor", status: nil, message: "no flavor fits: \(needs)")
        }
        return smallest
    }

    /// A network of the session's project (or shared) with a router whose gateway is on an external network, and that
    /// external network: Neutron gives a floating IP only to a port whose subnet a router joins to it. The operator's
    /// network must be one; without one, the test names what is missing before it makes anything.
    func chooseNetwork(_ options: Options, _ urls: Endpoints) async throws -> (network: OpenStackBodies.Item, external: String) {
        let networks = try await api.list("\(urls.network)/networks", key: "networks")
        let externals = Set(networks.filter { $0.external == true }.map(\.id))
        guard !externals.isEmpty else { throw APIError(call: "GET networks", status: 200, message: "no external network for a floating IP") }
        // Each router with a gateway on an external network, and the networks its interfaces join to it.
        let routers = try await api.list("\(urls.network)/routers", key: "routers").filter { $0.gateway?.networkID.map(externals.contains) ?? false }
        var gatewayOf: [String: String] = [:]
        for router in routers {
            for port in try await api.list("\(urls.network)/ports?device_id=\(router.id)", key: "ports") where !(port.networkID.map(externals.contains) ?? true) {
                if let network = port.networkID, gatewayOf[network] == nil { gatewayOf[network] = router.gateway?.networkID }
            }
        }
        let project = api.session.projectID
        func usable(_ network: OpenStackBodies.Item) -> Bool { network.external != true && (network.shared == true || network.owner == project) }
        if let wanted = options.network {
            let network = try pick(networks, wanted, what: "network") { _ in 0 }
            guard usable(network) else {
                throw APIError(
                    call: "choosing the network", status: nil,
                    message: "\(network.label) is \(network.external == true ? "an external network" : "another project's, not shared"); give one of project \(api.session.projectName) or a shared one")
            }
            guard let external = gatewayOf[network.id] else {
                throw APIError(
                    call: "choosing the network", status: nil,
                    message: "\(network.label) has no router with a gateway on an external network: Neutron would refuse its floating IP "
                        + "(add its subnet to a router whose gateway is on the external network)")
            }
            return (network, external)
        }
        guard let network = networks.filter(usable).first(where: { gatewayOf[$0.id] != nil }), let external = gatewayOf[network.id] else {
            throw APIError(
                call: "choosing the network", status: nil,
                message: "no network of project \(api.session.projectName) (or shared) has a router with a gateway on an external network: "
                    + "Neutron would refuse a floating IP (create one, or add a subnet to such a router, or name one in smoke.network)")
        }
        return (network, external)
    }

    /// The item whose name or id is `wanted`, else the one with the least `size`.
    func pick(_ items: [OpenStackBodies.Item], _ wanted: String?, what: String, size: (OpenStackBodies.Item) -> Int) throws -> OpenStackBodies.Item {
        if let wanted {
            guard let found = items.first(where: { $0.name == wanted || $0.id == wanted }) else {
                throw APIError(call: "choosing the \(what)", status: nil, message: "no \(what) named \(wanted)")
            }
            return found
        }
        guard let smallest = items.min(by: { size($0) < size($1) }) else {
            throw APIError(call: "choosing the \(what)", status: nil, message: "the cloud offers no \(what)")
        }
        return smallest
    }

    /// Polls `done` until it holds, within the stage's time limit; cancellation stops the wait. The first looks come
    /// soon (0.1 s, then twice as long each time) and settle at the poll interval: a stage a cloud finishes at once
    /// (a floating IP, an attachment) is seen at once, and a server in BUILD is asked once per interval.
    func wait(_ what: String, _ options: Options, _ done: () async throws -> Bool) async throws {
        let deadline = Date().addingTimeInterval(options.timeout)
        var pause = min(0.1, options.pollInterval)
        while true {
            if try await done() { return }
            try Task.checkCancellation()
            guard Date() < deadline else {
                throw APIError(call: what, status: nil, message: "not reached within \(Int(options.timeout)) s (smoke.timeout_seconds)")
            }
            try await Task.sleep(nanoseconds: UInt64(pause * 1_000_000_000))
            pause = min(pause * 2, options.pollInterval)
        }
    }

    /// A volume's status; "deleted" once it is gone.
    func volumeStatus(_ urls: Endpoints, _ id: String) async throws -> String {
        let response = try await api.send("GET", "\(urls.volume)/volumes/\(id)", expected: [200, 404])
        guard response.status == 200 else { return "deleted" }
        // A volume that is there but unreadable is not "deleted": the wait fails with what came back.
        guard let status = (try? JSONDecoder().decode(OpenStackBodies.Volume.self, from: response.body))?.volume.status else {
            throw APIError(call: "GET volume \(id)", status: 200, message: "the answer has no volume status")
        }
        return status
    }

    func ok(_ stage: String, _ observed: String) -> Finding {
        Finding(checkID: Self.id, target: stage, severity: .ok, observed: observed)
    }

    func seconds(since start: Date) -> String { String(format: "%.1f s", Date().timeIntervalSince(start)) }

    func describe(_ error: Error) -> String {
        if let api = error as? APIError { return api.description }
        if error is CancellationError { return "cancelled" }
        return Redactor.shared.redact(String(describing: error))
    }
}
