import AtmoModel
import CloudProbe
import Foundation

/// Verifies an import through Atmosphere's /api/v2: the provider, the users' identities, sizes and images.
public enum AtmosphereAPIVerification {
    static let id = "atmosphere.api-verify"

    struct Failed: Error {
        let finding: Finding
    }

    /// One page of an /api/v2 listing (Django REST framework's pagination): the fields the check reads.
    struct Page: Decodable {
        var results: [Item]
        var next: String?
    }

    /// A provider, identity, size or provider machine as /api/v2 lists it.
    struct Item: Decodable {
        struct Reference: Decodable { var id: Int? }
        struct User: Decodable { var username: String? }
        var id: Int?
        var name: String?
        var provider: Reference?
        var user: User?
    }

    /// Findings for the provider named `provider`; the token is sent only over https (or an http URL the operator allowed).
    /// The client's plain-http policy applies to every request, the `next` links of each page included.
    public static func run(apiURL: String, token: SecretValue, provider: String, users: [String], client: HTTPClient) async -> [Finding] {
        var base = apiURL
        while base.hasSuffix("/") { base.removeLast() }
        guard client.configuration.plainHTTP.mayCarryCredentials(base + "/api/v2/providers") else {
            return [
                Finding(
                    checkID: id, target: base, severity: .failure, observed: "plain http: the API token would cross the network in clear",
                    remedy: "Use Atmosphere's https URL.")
            ]
        }
        let headers = [("Authorization", "Token \(token.reveal())"), ("Accept", "application/json")]
        func list(_ path: String) async -> Result<[Item], Failed> {
            var next: String? = base + path
            var items: [Item] = []
            while let url = next, items.count < 100_000 {
                do {
                    let response = try await client.send(HTTPRequest(url: url, headers: headers))
                    guard response.status == 200 else {
                        return .failure(
                            Failed(
                                finding: Finding(
                                    checkID: id, target: url, severity: .failure, observed: "HTTP \(response.status): \(response.errorMessage)",
                                    remedy: response.status == 401 || response.status == 403
                                        ? "Check final.api_token: a staff user's token (POST /auth, or /api/v2/access_tokens)."
                                        : "Check final.api_url.")))
                    }
                    // A page without its results is a failed read, never "none".
                    guard let page = try? JSONDecoder().decode(Page.self, from: response.body) else {
                        return .failure(
                            Failed(
                                finding: Finding(
                                    checkID: id, target: url, severity: .failure,
                                    observed: "the answer is not a page of /api/v2 (\(String(decoding: response.body.prefix(120), as: UTF8.self)))",
                                    remedy: "Check final.api_url: it is Atmosphere's own URL, the one its web interface is served from.")))
                    }
                    items += page.results
                    next = page.next
                } catch let failure as HTTPFailure {
                    return .failure(
                        Failed(finding: Finding(checkID: id, target: url, severity: .failure, observed: failure.message, remedy: failure.remedy)))
                } catch {
                    return .failure(
                        Failed(finding: Finding(checkID: id, target: url, severity: .failure, observed: "\(error)", remedy: "Check final.api_url.")))
                }
            }
            return .success(items)
        }
        let providers: [Item]
        switch await list("/api/v2/providers?page_size=1000") {
        case let .success(found): providers = found
        case let .failure(failed): return [failed.finding]
        }
        guard let match = providers.first(where: { $0.name == provider }), let providerID = match.id else {
            return [
                Finding(
                    checkID: id, target: "provider \(provider)", severity: .failure,
                    observed: "not among the \(providers.count) provider(s) this token sees",
                    remedy: "A staff user sees a provider only with an identity on it: add the user with the accounts step, or use the admin's token."
                )
            ]
        }
        var findings = [Finding(checkID: id, target: "provider \(provider)", severity: .ok, observed: "present (id \(providerID))")]
        let identityList = await list("/api/v2/identities?all_users&page_size=1000")
        let sizeList = await list("/api/v2/sizes?provider__id=\(providerID)&page_size=1000")
        let machineList = await list("/api/v2/provider_machines?page_size=1000")
        switch identityList {
        case let .failure(failed): findings.append(failed.finding)
        case let .success(items):
            let owners = Set(
                items.filter { $0.provider?.id == providerID }.compactMap { $0.user?.username })
            for user in users {
                findings.append(
                    Finding(
                        checkID: id, target: "identity of \(user)", severity: owners.contains(user) ? .ok : .failure,
                        observed: owners.contains(user) ? "present" : "missing",
                        remedy: owners.contains(user) ? "" : "Run the accounts step again and read its findings."))
            }
        }
        for (listing, noun) in [(sizeList, "size"), (machineList, "image")] {
            switch listing {
            case let .failure(failed): findings.append(failed.finding)
            case let .success(items):
                let mine = noun == "size" ? items : items.filter { $0.provider?.id == providerID }
                findings.append(
                    Finding(
                        checkID: id, target: "\(noun)s of \(provider)", severity: mine.isEmpty ? .failure : .ok,
                        observed: "\(mine.count) \(noun)(s)", remedy: mine.isEmpty ? "Run the initial sync step again." : ""))
            }
        }
        return findings
    }
}
