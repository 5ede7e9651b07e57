import CCurl

/// What the linked libcurl is and can do, for `--version` and for refusing to run without TLS.
public struct LibcurlInfo: Sendable, Hashable {
    public var version: String
    public var sslBackend: String
    public var supportsTLS: Bool

    /// Reads the linked library's version data.
    public static func current() -> LibcurlInfo {
        guard let info = curl_version_info(CURLVERSION_TENTH) else {
            return LibcurlInfo(version: "unknown", sslBackend: "none", supportsTLS: false)
        }
        let data = info.pointee
        let version = data.version.map { String(cString: $0) } ?? "unknown"
        let backend = data.ssl_version.map { String(cString: $0) } ?? "none"
        let hasSSL = (data.features & CURL_VERSION_SSL) != 0
        return LibcurlInfo(version: version, sslBackend: backend, supportsTLS: hasSSL)
    }
}
