import AtmoModel
import Foundation

extension SmokeTest {
    struct Choice {
        var image, imageName, flavor, flavorName, network, networkName, external: String
    }

    /// The image, flavor, tenant network and external network: the operator's, or the smallest and first the cloud offers.
    func choose(_ options: Options, _ urls: Endpoints) async throws -> Choice {
        let images = try await api.call("GET", "\(urls.image)/v2/images?status=active&limit=100")["images"] as? [[String: Any]] ?? []
        let image = try pick(images, options.image, what: "image") { ($0["size"] as? Int) ?? Int.max }
        let flavors = try await api.call("GET", "\(urls.compute)/flavors/detail")["flavors"] as? [[String: Any]] ?? []
        let flavor = try pick(flavors, options.flavor, what: "flavor") { ($0["ram"] as? Int) ?? Int.max }
        let networks = try await api.call("GET", "\(urls.network)/networks")["networks"] as? [[String: Any]] ?? []
        let tenant = try pick(networks.filter { $0["router:external"] as? Bool != true }, options.network, what: "tenant network") { _ in 0 }
        guard let external = networks.first(where: { $0["router:external"] as? Bool == true })?["id"] as? String else {
            throw APIError(call: "GET networks", status: 200, message: "no external network for a floating IP")
        }
        func name(_ item: [String: Any]) -> String { item["name"] as? String ?? item["id"] as? String ?? "?" }
        return Choice(
            image: image["id"] as? String ?? "", imageName: name(image), flavor: flavor["id"] as? String ?? "",
            flavorName: name(flavor), network: tenant["id"] as? String ?? "", networkName: name(tenant), external: external)
    }

    /// The item whose name or id is `wanted`, else the one with the least `size`.
    func pick(_ items: [[String: Any]], _ wanted: String?, what: String, size: ([String: Any]) -> Int) throws -> [String: Any] {
        if let wanted {
            guard let found = items.first(where: { $0["name"] as? String == wanted || $0["id"] as? String == wanted }) else {
                throw APIError(call: "choosing the \(what)", status: nil, message: "no \(what) named \(wanted)")
            }
            return found
        }
        guard let smallest = items.min(by: { size($0) < size($1) }) else {
            throw APIError(call: "choosing the \(what)", status: nil, message: "the cloud offers no \(what)")
        }
        return smallest
    }

    /// Polls `done` until it holds, within the stage's time limit; cancellation stops the wait.
    func wait(_ what: String, _ options: Options, _ done: () async throws -> Bool) async throws {
        let deadline = Date().addingTimeInterval(options.timeout)
        while true {
            if try await done() { return }
            try Task.checkCancellation()
            guard Date() < deadline else {
                throw APIError(call: what, status: nil, message: "not reached within \(Int(options.timeout)) s (smoke.timeout_seconds)")
            }
            try await Task.sleep(nanoseconds: UInt64(options.pollInterval * 1_000_000_000))
        }
    }

    /// A volume's status; "deleted" once it is gone.
    func volumeStatus(_ urls: Endpoints, _ id: String) async throws -> String {
        let body = try await api.call("GET", "\(urls.volume)/volumes/\(id)", expected: [200, 404])
        return (body["volume"] as? [String: Any])?["status"] as? String ?? "deleted"
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
