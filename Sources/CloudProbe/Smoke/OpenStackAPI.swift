import AtmoModel
import Foundation

/// JSON calls to the catalog's services with a session's token; errors name the call and carry the service's message.
public struct OpenStackAPI: Sendable {
    public let client: HTTPClient
    public let session: KeystoneSession
    /// Asked before every call: false once another run has taken the state over, and then no call is made.
    public let proceed: @Sendable () -> Bool

    /// Calls with `session`'s token through `client`.
    public init(client: HTTPClient, session: KeystoneSession, proceed: @escaping @Sendable () -> Bool = { true }) {
        self.client = client
        self.session = session
        self.proceed = proceed
    }

    /// Sends a request and returns the answer; a status outside `expected` is an error.
    @discardableResult
    public func send(
        _ method: String, _ url: String, _ body: (some Encodable)? = nil as OpenStackBodies.Empty?,
        expected: Set<Int> = [200, 201, 202, 204]
    ) async throws -> HTTPResponse {
        guard proceed() else { throw Displaced() }
        guard !url.lowercased().hasPrefix("http://") else {
            // The token would cross the network in clear.
            throw APIError(
                call: "\(method) \(url)", status: nil,
                message:
                    "plain http: atmo-connect does not send the token over it; serve the endpoint over https (the openstack-config step gives the fix)"
            )
        }
        let data = try body.map { try JSONEncoder().encode($0) }
        let response: HTTPResponse
        do {
            response = try await client.send(
                HTTPRequest(
                    method: method, url: url, headers: session.authHeaders + [("Content-Type", "application/json")],
                    body: data, totalTimeout: 60))
        } catch let failure as HTTPFailure {
            throw APIError(call: "\(method) \(url)", status: nil, message: failure.message)
        }
        guard expected.contains(response.status) else {
            throw APIError(call: "\(method) \(url)", status: response.status, message: response.errorMessage)
        }
        return response
    }

    /// Sends a request and reads its answer as `type`; an answer that is not one is an error, never an empty answer.
    public func call<Answer: Decodable>(
        _ method: String, _ url: String, _ body: (some Encodable)? = nil as OpenStackBodies.Empty?,
        expected: Set<Int> = [200, 201, 202, 204], as type: Answer.Type
    ) async throws -> Answer {
        let response = try await send(method, url, body, expected: expected)
        do {
            return try JSONDecoder().decode(Answer.self, from: response.body)
        } catch {
            throw APIError(
                call: "\(method) \(url)", status: response.status,
                message: "the answer is not what the API reference gives (\(String(decoding: response.body.prefix(120), as: UTF8.self)))")
        }
    }

    /// The public URL of the first of `types` the catalog has, in the session's region if it names one.
    public func endpoint(_ types: [String], region: String?) -> String? {
        (session.catalog.endpoint(types: types, region: region) ?? session.catalog.endpoint(types: types))?.url
    }
}

/// Another run took the state over: this one makes no further call to the cloud, not even to remove what it made (the
/// run that took over finds it among the recorded resources and removes it).
public struct Displaced: Problem, Equatable {
    /// Creates the error.
    public init() {}

    /// What happened.
    public var message: String { "another atmo-connect took the state over (a forced unlock): this run made no further call to the cloud" }

    /// What to do.
    public var remedy: String { "Let the run that holds the state finish (atmo-connect status names it); it finds and finishes what this one made." }
}

/// A call that failed: which, the status, and what the service said.
public struct APIError: Error, Sendable, Equatable {
    public var call: String
    public var status: Int?
    public var message: String

    /// One line for the operator.
    public var description: String { "\(call): " + (status.map { "HTTP \($0): " } ?? "") + message }
}
