import AtmoModel
import Foundation

/// Records each request's time, so a report can set the wall time against the sum of the requests.
public actor RequestLog {
    public private(set) var entries: [(url: String, seconds: TimeInterval)] = []

    /// An empty log.
    public init() {}

    func record(_ url: String, _ seconds: TimeInterval) { entries.append((url, seconds)) }
}

/// What the checks share: the HTTP client, the session, and the operator's expectations.
public struct CheckContext: Sendable {
    public var client: HTTPClient
    public var session: KeystoneSession
    public var region: String?
    public var adminRole: String
    public var memberRoles: [String]
    /// The host name the operator wants on the endpoints (tls.api_hostname), for the fixes.
    public var apiHostname: String?
    public var log: RequestLog
    /// http:// endpoints the operator allowed to carry the token (--allow-http).
    public var allowedPlainHTTP: Set<String> = []

    /// Whether the token may go to `url`: https, or plain http under an endpoint the operator allowed (the client enforces
    /// the same rule; this check only turns a refusal into a finding before anything is sent).
    func mayCarryToken(_ url: String) -> Bool {
        // The endpoints named to this check and those the client itself allows (the wizard's test mode) are one list.
        PlainHTTPPolicy(allowed: Array(allowedPlainHTTP) + client.configuration.plainHTTP.allowed).mayCarryCredentials(url)
    }

    /// Sends a request with the session's token, recording its time.
    func get(_ url: String) async throws -> HTTPResponse {
        let started = Date()
        do {
            let response = try await client.send(HTTPRequest(url: url, headers: session.authHeaders))
            await log.record(url, response.elapsed)
            return response
        } catch {
            await log.record(url, Date().timeIntervalSince(started))
            throw error
        }
    }

    /// GETs a JSON document as `type`, or explains why not as a failure finding (`listKey` names a page's list).
    func decode<Document: Decodable>(
        _ url: String, checkID: String, as type: Document.Type, listKey: String? = nil
    ) async
        -> Result<Document, FindingBox>
    {
        guard mayCarryToken(url) else {
            // The token would cross the network in clear: not sent, and said so.
            return .failure(
                FindingBox(
                    Finding(
                        checkID: checkID, target: url, severity: .failure,
                        observed: "plain http: atmo-connect does not send the token over it, so this was not checked",
                        expected: "https",
                        remedy:
                            "Serve the endpoint over https (the endpoint checks give the fix); for a test cloud only, allow exactly this URL (Test cloud over http, cloud.allow_http; check: --allow-http URL)."
                    )))
        }
        do {
            let response = try await get(url)
            guard (200..<300).contains(response.status) else {
                return .failure(
                    FindingBox(
                        Finding(
                            checkID: checkID, target: url, severity: .failure,
                            observed: "HTTP \(response.status): \(response.errorMessage)", expected: "HTTP 200",
                            remedy: response.status == 403 ? "Use an admin account for the checks." : "Check the service's log for this request.")))
            }
            let decoder = JSONDecoder()
            if let listKey, let info = InventoryBodies.listKey { decoder.userInfo[info] = listKey }
            guard let document = try? decoder.decode(Document.self, from: response.body) else {
                return .failure(
                    FindingBox(
                        Finding(
                            checkID: checkID, target: url, severity: .failure,
                            observed: "the answer is not what the API gives here (\(String(decoding: response.body.prefix(120), as: UTF8.self)))",
                            remedy: "Check that the catalog points at the right service.")))
            }
            return .success(document)
        } catch let failure as HTTPFailure {
            var remedy = failure.remedy
            var tls = false
            if case let .tls(problem, _) = failure {
                tls = true
                // An IP-literal endpoint's fix is a host name its certificate covers, never the address in the certificate.
                if case .hostMismatch = problem, let host = URLComponents(string: url)?.host, EndpointChecks.isIPLiteral(host) {
                    remedy = "Point the endpoint at a host name its certificate covers (the catalog's findings give the openstack endpoint set command)."
                }
            }
            return .failure(FindingBox(Finding(checkID: checkID, target: url, severity: .failure, observed: failure.message, remedy: remedy), tls: tls))
        } catch {
            return .failure(
                FindingBox(
                    Finding(
                        checkID: checkID, target: url, severity: .failure, observed: String(describing: error),
                        remedy: "Retry the check.")))
        }
    }

    /// The catalog URL of a service type (the first type that has one), trailing slash removed.
    func endpoint(_ types: [String]) -> String? {
        guard var url = session.catalog.endpoint(types: types, interface: "public", region: region)?.url else { return nil }
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }
}

/// A finding carried as an error value.
struct FindingBox: Error {
    let finding: Finding
    /// Whether the call failed on TLS: a fact the endpoint checks report as a failure, whatever service it is.
    let tls: Bool
    init(_ finding: Finding, tls: Bool = false) {
        self.finding = finding
        self.tls = tls
    }
}
