import AtmoModel
import Foundation

extension SmokeTest {
    struct Choice {
        var image, imageName, flavor, flavorName, network, networkName, external: String
    }

    /// The image, flavor, tenant network and external network: the operator's, or the smallest and first the cloud offers.
    func choose(_ options: Options, _ urls: Endpoints) async throws -> Choice {
        let images = try await api.call("GET", "\(urls.image)/v2/images?status=active&limit=100", as: OpenStackBodies.Images.self).images
        let image = try pick(images, options.image, what: "image") { $0.size ?? Int.max }
        let flavors = try await api.call("GET", "\(urls.compute)/flavors/detail", as: OpenStackBodies.Flavors.self).flavors
        let flavor = try pick(flavors, options.flavor, what: "flavor") { $0.ram ?? Int.max }
        let networks = try await api.call("GET", "\(urls.network)/networks", as: OpenStackBodies.Networks.self).networks
        let tenant = try pick(networks.filter { $0.external != true }, options.network, what: "tenant network") { _ in 0 }
        guard let external = networks.first(where: { $0.external == true })?.id else {
            throw APIError(call: "GET networks", status: 200, message: "no external network for a floating IP")
        }
        return Choice(
            image: image.id, imageName: image.label, flavor: flavor.id, flavorName: flavor.label, network: tenant.id,
            networkName: tenant.label, external: external)
    }

    /// The item whose name or id is `wanted`, else the one with the least `size`.
    func pick(
        _ items: [OpenStackBodies.Item], _ wanted: String?, what: String, size: (OpenStackBodies.Item) -> Int
    ) throws
        -> OpenStackBodies.Item
    {
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
