import CCurl
import Foundation

/// HTTP and TLS for the checks: concurrent requests over libcurl, failures classified, nothing followed silently.
public final class HTTPClient: Sendable {
    /// Settings shared by every request.
    public struct Configuration: Sendable, Equatable {
        /// A PEM bundle to trust instead of the system store; reports say so.
        public var caBundle: String?
        /// Overrides of name resolution, as curl's --resolve: `host:port:address`.
        public var resolve: [String]
        public var connectTimeout: TimeInterval
        public var totalTimeout: TimeInterval
        /// Which plain-http URLs may carry a token or a password: every request goes through it, whoever sends it.
        public var plainHTTP: PlainHTTPPolicy

        /// Creates a configuration.
        public init(
            caBundle: String? = nil, resolve: [String] = [], connectTimeout: TimeInterval = 5, totalTimeout: TimeInterval = 20,
            plainHTTP: PlainHTTPPolicy = PlainHTTPPolicy()
        ) {
            self.caBundle = caBundle
            self.resolve = resolve
            self.connectTimeout = connectTimeout
            self.totalTimeout = totalTimeout
            self.plainHTTP = plainHTTP
        }
    }

    public let configuration: Configuration

    /// A client with these settings.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// Sends a request; any HTTP status is a response, anything else a classified `HTTPFailure`.
    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        guard let url = URLComponents(string: request.url), let host = url.host, let scheme = url.scheme?.lowercased(),
            scheme == "https" || scheme == "http"
        else { throw HTTPFailure.invalidURL(request.url) }
        let port = url.port ?? (scheme == "https" ? 443 : 80)
        // The https rule lives here, so no caller can forget it: a credential never goes over plain http unless the operator
        // named that endpoint.
        if request.carriesCredentials && !configuration.plainHTTP.mayCarryCredentials(request.url) {
            throw HTTPFailure.plainHTTPRefused(url: request.url)
        }
        guard let engine = CurlEngine.shared else { throw HTTPFailure.curlUnavailable(CurlEngine.unavailableReason) }
        guard let transfer = Transfer(request: request, configuration: configuration) else {
            throw HTTPFailure.other(code: -1, message: "libcurl could not start a transfer")
        }
        let outcome = await engine.perform(transfer)
        try Task.checkCancellation()
        if outcome.code == Int(CURLE_OK.rawValue) {
            return HTTPResponse(
                status: outcome.status, headers: outcome.headers, body: outcome.body,
                certificates: outcome.certificates, tlsVersion: outcome.tlsVersion, elapsed: outcome.elapsed)
        }
        throw await failure(outcome, url: request.url, host: host, port: port)
    }

    /// Connects without verification to read the chain the server presents; sends no request on it.
    public func presentedChain(of url: String) async -> [CertificateInfo] {
        var inspect = HTTPRequest(url: url)
        inspect.inspectOnly = true
        guard let engine = CurlEngine.shared, let transfer = Transfer(request: inspect, configuration: configuration) else { return [] }
        return await engine.perform(transfer).certificates
    }

    private func failure(_ outcome: Transfer.Outcome, url: String, host: String, port: Int) async -> HTTPFailure {
        let text = outcome.errorText.isEmpty ? String(cString: ccurl_easy_strerror(CURLcode(UInt32(outcome.code)))) : outcome.errorText
        switch UInt32(outcome.code) {
        case CURLE_COULDNT_RESOLVE_HOST.rawValue:
            return .nameResolution(host: host)
        case CURLE_COULDNT_CONNECT.rawValue:
            return text.lowercased().contains("timed out")
                ? .timeout(url: url, seconds: configuration.connectTimeout)
                : .connectionRefused(host: host, port: port)
        case CURLE_OPERATION_TIMEDOUT.rawValue:
            return .timeout(url: url, seconds: configuration.totalTimeout)
        case CURLE_PEER_FAILED_VERIFICATION.rawValue, CURLE_SSL_CONNECT_ERROR.rawValue, CURLE_SSL_CERTPROBLEM.rawValue:
            let chain = await presentedChain(of: url)
            let trusted = TrustStore.keyIDs(bundle: configuration.caBundle)
            return .tls(
                TLSProblem.classify(message: text, verifyResult: outcome.verifyResult, chain: chain, host: host, trustedKeyIDs: trusted),
                detail: text)
        case CURLE_SSL_CACERT_BADFILE.rawValue:
            return .tls(.other("the CA bundle \(configuration.caBundle ?? "") cannot be read"), detail: text)
        case CURLE_URL_MALFORMAT.rawValue, CURLE_UNSUPPORTED_PROTOCOL.rawValue:
            return .invalidURL(url)
        default:
            return .other(code: outcome.code, message: text)
        }
    }
}
