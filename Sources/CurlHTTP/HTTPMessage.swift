import AtmoModel
import Foundation

/// A request to one URL. Nothing is followed silently: a redirect comes back as its 3xx response.
public struct HTTPRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: [(name: String, value: String)]
    public var body: Data?
    /// Limits for this request; nil takes the client's.
    public var connectTimeout: TimeInterval?
    public var totalTimeout: TimeInterval?
    /// Connect without verifying the certificate, send nothing, and report what the server presented.
    /// Used only to explain a verification failure.
    var inspectOnly = false
    /// Report the certificate chain and TLS version (on a connection of its own, as only a handshake yields them).
    /// Off for API calls: curl's text copy of every chain cost the whole check about a quarter of its CPU time.
    public var collectsCertificates = false
    /// The body holds a password or another secret (Keystone's password authentication): https only, as for a token.
    public var sendsSecret = false

    /// Whether the request carries a credential: a token or authorization header, or a secret in its body.
    public var carriesCredentials: Bool {
        sendsSecret || headers.contains { ["x-auth-token", "authorization", "x-subject-token"].contains($0.name.lowercased()) }
    }

    /// A request; `headers` should never be logged (they may carry a token).
    public init(
        method: String = "GET", url: String, headers: [(name: String, value: String)] = [], body: Data? = nil,
        connectTimeout: TimeInterval? = nil, totalTimeout: TimeInterval? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
    }
}

/// What came back, with the TLS facts of the connection.
public struct HTTPResponse: Sendable {
    public var status: Int
    /// Header names lowercased; a repeated header keeps its last value.
    public var headers: [String: String]
    public var body: Data
    /// The server's certificate chain, leaf first, when the connection was TLS.
    public var certificates: [CertificateInfo]
    /// The TLS protocol version, such as TLSv1.3.
    public var tlsVersion: String?
    /// Seconds from start to the last byte.
    public var elapsed: TimeInterval

    /// A header by (case-insensitive) name.
    public func header(_ name: String) -> String? { headers[name.lowercased()] }

    /// The error message an OpenStack service put in the body: Keystone's error.message, Neutron's NeutronError.message,
    /// Nova's {"name": {"message"}}, or the start of a non-JSON body.
    public var errorMessage: String {
        if let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] {
            if let error = object["error"] as? [String: Any], let message = error["message"] as? String { return message }
            if let neutron = object["NeutronError"] as? [String: Any], let message = neutron["message"] as? String { return message }
            for value in object.values {
                if let inner = value as? [String: Any], let message = inner["message"] as? String { return message }
            }
        }
        let text = String(decoding: body.prefix(300), as: UTF8.self)
        let stripped = text.replacing(#/<[^>]+>/#, with: " ")
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return stripped.isEmpty ? "(no body)" : stripped
    }
}

/// Why a request got no HTTP answer, classified for the operator.
public enum HTTPFailure: Problem, Equatable {
    case nameResolution(host: String)
    case connectionRefused(host: String, port: Int)
    case timeout(url: String, seconds: Double)
    case tls(TLSProblem, detail: String)
    case invalidURL(String)
    case other(code: Int, message: String)
    /// libcurl.so.4 could not be loaded (it is loaded on the first request, not at start-up).
    case curlUnavailable(String)
    /// A token or password would have gone to a plain-http URL the operator did not allow: nothing was sent.
    case plainHTTPRefused(url: String)

    /// One line saying what failed.
    public var message: String {
        switch self {
        case let .nameResolution(host): "the name \(host) does not resolve"
        case let .connectionRefused(host, port): "nothing answers on \(host) port \(port) (connection refused)"
        case let .timeout(url, seconds): "no answer from \(url) within \(Int(seconds)) s"
        case let .tls(problem, detail): "TLS: \(problem.summary) (\(detail))"
        case let .invalidURL(url): "\(url) is not a URL atmo-connect can use"
        case let .other(code, message): "\(message) (curl error \(code))"
        case let .curlUnavailable(reason): "libcurl, which atmo-connect loads to send its first request, could not be loaded: \(reason)"
        case let .plainHTTPRefused(url): "\(url) is plain http: atmo-connect did not send the token or password to it"
        }
    }

    /// What to do about it.
    public var remedy: String {
        switch self {
        case let .nameResolution(host): "Check the name; if DNS here does not know it, map it: \(host):PORT:ADDRESS in Host addresses (cloud.resolve), or check --resolve."
        case .connectionRefused: "Check that the service runs and that a firewall or haproxy allow list lets this host in."
        case .timeout: "Check routes and firewalls between here and the cloud; a longer --timeout helps only a slow service."
        case let .tls(problem, _): problem.remedy
        case .invalidURL: "Use https://host:port/path."
        case .other: "Retry; if it persists, run with curl -v against the same URL to see more."
        case .curlUnavailable: "Install libcurl (Debian and Ubuntu: apt install libcurl4), then run the same command again."
        case .plainHTTPRefused: "Serve it over https; for a test cloud only, allow exactly this endpoint (check --allow-http URL)."
        }
    }
}
