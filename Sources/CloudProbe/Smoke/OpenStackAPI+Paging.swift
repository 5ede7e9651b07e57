import AtmoModel
import Foundation

extension OpenStackAPI {
    /// Every item of a list, page after page: Glance's `next`, Nova's and Neutron's `<key>_links` (rel "next"). A list
    /// that is not paged comes whole in the first answer. `url` may carry a query; `limit` is added.
    public func list(_ url: String, key: String, pages limit: Int = 100) async throws -> [OpenStackBodies.Item] {
        var items: [OpenStackBodies.Item] = []
        var next: String? = url + (url.contains("?") ? "&" : "?") + "limit=\(limit)"
        var seen: Set<String> = []
        while let page = next, seen.insert(page).inserted, seen.count <= 1000 {
            let response = try await send("GET", page, expected: [200])
            guard let object = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any], let raw = object[key] as? [Any],
                let data = try? JSONSerialization.data(withJSONObject: raw),
                let decoded = try? JSONDecoder().decode([OpenStackBodies.Item].self, from: data)
            else {
                throw APIError(
                    call: "GET \(page)", status: response.status,
                    message: "the answer has no \(key) list as the API reference gives it (\(String(decoding: response.body.prefix(120), as: UTF8.self)))")
            }
            items += decoded
            next = Self.nextPage(object, key: key, from: page)
            // A page with nothing on it ends the list whatever its links say.
            if decoded.isEmpty { next = nil }
        }
        return items
    }

    /// The next page's URL, if the answer names one.
    public static func nextPage(_ object: [String: Any], key: String, from page: String) -> String? {
        if let links = object["\(key)_links"] as? [[String: Any]], let href = links.first(where: { $0["rel"] as? String == "next" })?["href"] as? String {
            return absolute(href, from: page)
        }
        if let href = object["next"] as? String { return absolute(href, from: page) }
        return nil
    }

    /// `href` made absolute against `page` (Glance gives a path from its root, "/v2/images?marker=…").
    static func absolute(_ href: String, from page: String) -> String {
        guard href.hasPrefix("/"), let components = URLComponents(string: page), let scheme = components.scheme, let host = components.host else {
            return href
        }
        // Glance's root may sit under a path (https://host/image); its next link starts at /v2.
        let prefix = page.range(of: "/v2/").map { String(page[..<$0.lowerBound]) } ?? "\(scheme)://\(host)\(components.port.map { ":\($0)" } ?? "")"
        return prefix + href
    }
}
