import AtmoModel
import CloudProbe
import Foundation

/// Verifies an import through Atmosphere's /api/v2: the provider, the users' identities, sizes and images.
public enum AtmosphereAPIVerification {
    static let id = "atmosphere.api-verify"

    struct Failed: Error {
        let finding: Finding
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
        func list(_ path: String) async -> Result<[[String: Any]], Failed> {
            var next: String? = base + path
            var items: [[String: Any]] = []
            while let url = next, items.count < 100_000 {
                do {
                    let response = try await client.send(HTTPRequest(url: url, headers: headers))
                    guard response.status == 200, let page = try JSONSerialization.jsonObject(with: response.body) as? [String: Any] else {
                        return .failure(
                            Failed(
                                finding: Finding(
                                    checkID: id, target: url, severity: .failure, observed: "HTTP \(response.status): \(response.errorMessage)",
                                    remedy: response.status == 401 || response.status == 403
                                        ? "Check final.api_token: a staff user's token (POST /auth, or /api/v2/access_tokens)."
                                        : "Check final.api_url.")))
                    }
                    items += page["results"] as? [[String: Any]] ?? []
                    next = page["next"] as? String
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
        let providers: [[String: Any]]
        switch await list("/api/v2/providers?page_size=1000") {
        case let .success(found): providers = found
        case let .failure(failed): return [failed.finding]
        }
        guard let match = providers.first(where: { $0["name"] as? String == provider }), let providerID = match["id"] as? Int else {
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
                items.filter { ($0["provider"] as? [String: Any])?["id"] as? Int == providerID }
                    .compactMap { ($0["user"] as? [String: Any])?["username"] as? String })
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
                let mine = noun == "size" ? items : items.filter { ($0["provider"] as? [String: Any])?["id"] as? Int == providerID }
                findings.append(
                    Finding(
                        checkID: id, target: "\(noun)s of \(provider)", severity: mine.isEmpty ? .failure : .ok,
                        observed: "\(mine.count) \(noun)(s)", remedy: mine.isEmpty ? "Run the initial sync step again." : ""))
            }
        }
        return findings
    }
}
