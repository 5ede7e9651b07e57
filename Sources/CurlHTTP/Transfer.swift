import CCurl
import Foundation

/// One request in flight: the easy handle, its buffers, and the continuation waiting for it.
final class Transfer: @unchecked Sendable {
    /// What curl reported when the transfer ended.
    struct Outcome: Sendable {
        var code: Int
        var status: Int
        var headers: [String: String]
        var body: Data
        var certificates: [CertificateInfo]
        var tlsVersion: String?
        var errorText: String
        var verifyResult: Int
        var elapsed: TimeInterval
    }

    let handle: UnsafeMutableRawPointer
    let request: HTTPRequest
    var body = Data()
    var headerLines: [String] = []
    var tlsVersion: String?
    let errorBuffer: UnsafeMutablePointer<CChar>
    var cancelled = false
    private var lists: [UnsafeMutablePointer<curl_slist>] = []
    private var continuation: CheckedContinuation<Outcome, Never>?

    init?(request: HTTPRequest, configuration: HTTPClient.Configuration) {
        guard let handle = ccurl_easy_init() else { return nil }
        self.handle = handle
        self.request = request
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        configure(configuration)
    }

    deinit {
        ccurl_easy_cleanup(handle)
        for list in lists { ccurl_slist_free_all(list) }
        errorBuffer.deallocate()
    }

    func wait(_ continuation: CheckedContinuation<Outcome, Never>) { self.continuation = continuation }

    private func configure(_ configuration: HTTPClient.Configuration) {
        let me = Unmanaged.passUnretained(self).toOpaque()
        ccurl_setopt_str(handle, CURLOPT_URL, request.url)
        ccurl_setopt_str(handle, CURLOPT_PROTOCOLS_STR, "http,https")
        ccurl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        ccurl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0)
        ccurl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Int((request.connectTimeout ?? configuration.connectTimeout) * 1000))
        ccurl_setopt_long(handle, CURLOPT_TIMEOUT_MS, Int((request.totalTimeout ?? configuration.totalTimeout) * 1000))
        if request.collectsCertificates || request.inspectOnly {
            ccurl_setopt_long(handle, CURLOPT_CERTINFO, 1)
            ccurl_setopt_long(handle, CURLOPT_FRESH_CONNECT, 1)
        }
        ccurl_setopt_ptr(handle, CURLOPT_ERRORBUFFER, errorBuffer)
        ccurl_setopt_ptr(handle, CURLOPT_PRIVATE, me)
        if let bundle = configuration.caBundle { ccurl_setopt_str(handle, CURLOPT_CAINFO, bundle) }
        if !configuration.resolve.isEmpty { ccurl_setopt_ptr(handle, CURLOPT_RESOLVE, list(configuration.resolve)) }
        ccurl_setopt_write(handle, CURLOPT_WRITEFUNCTION, transferWrite)
        ccurl_setopt_ptr(handle, CURLOPT_WRITEDATA, me)
        ccurl_setopt_write(handle, CURLOPT_HEADERFUNCTION, transferHeader)
        ccurl_setopt_ptr(handle, CURLOPT_HEADERDATA, me)
        ccurl_setopt_long(handle, CURLOPT_NOPROGRESS, 0)
        ccurl_setopt_xferinfo(handle, transferProgress)
        ccurl_setopt_ptr(handle, CURLOPT_XFERINFODATA, me)
        // Only curl's informational text is kept (for the TLS version); header and data traces are dropped unseen.
        ccurl_setopt_long(handle, CURLOPT_VERBOSE, 1)
        ccurl_setopt_debug(handle, transferDebug)
        ccurl_setopt_ptr(handle, CURLOPT_DEBUGDATA, me)
        if request.inspectOnly {
            ccurl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 0)
            ccurl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 0)
            ccurl_setopt_long(handle, CURLOPT_CONNECT_ONLY, 1)
            return
        }
        var headers = request.headers.map { "\($0.name): \($0.value)" }
        if request.body != nil && !request.headers.contains(where: { $0.name.lowercased() == "content-type" }) {
            headers.append("Content-Type: application/json")
        }
        headers.append("Expect:")
        ccurl_setopt_ptr(handle, CURLOPT_HTTPHEADER, list(headers))
        switch request.method {
        case "GET": break
        case "HEAD": ccurl_setopt_long(handle, CURLOPT_NOBODY, 1)
        default: ccurl_setopt_str(handle, CURLOPT_CUSTOMREQUEST, request.method)
        }
        if let body = request.body {
            ccurl_setopt_off(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
            body.withUnsafeBytes { bytes in
                // COPYPOSTFIELDS copies: the body (which may hold a password) need not outlive this call.
                _ = ccurl_setopt_ptr(handle, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress))
            }
        }
    }

    private func list(_ items: [String]) -> UnsafeMutablePointer<curl_slist>? {
        var list: UnsafeMutablePointer<curl_slist>?
        for item in items { list = ccurl_slist_append(list, item) }
        if let list { lists.append(list) }
        return list
    }

    /// Reads the results off the handle and wakes the waiting task.
    func finish(code: CURLcode) {
        var status = 0
        ccurl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        var verify = 0
        ccurl_getinfo_long(handle, CURLINFO_SSL_VERIFYRESULT, &verify)
        var elapsed = 0.0
        ccurl_getinfo_double(handle, CURLINFO_TOTAL_TIME, &elapsed)
        var headers: [String: String] = [:]
        for line in headerLines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let outcome = Outcome(
            code: Int(code.rawValue), status: status, headers: headers, body: body, certificates: certificates(),
            tlsVersion: tlsVersion, errorText: String(cString: errorBuffer), verifyResult: verify, elapsed: elapsed)
        continuation?.resume(returning: outcome)
        continuation = nil
    }

    private func certificates() -> [CertificateInfo] {
        var info: UnsafeMutablePointer<curl_certinfo>?
        guard ccurl_getinfo_certinfo(handle, &info) == CURLE_OK, let info, let chain = info.pointee.certinfo else { return [] }
        return (0..<Int(info.pointee.num_of_certs)).map { index in
            var fields: [String: String] = [:]
            var node = chain[index]
            while let current = node {
                if let data = current.pointee.data {
                    let line = String(cString: data)
                    if let colon = line.firstIndex(of: ":") { fields[String(line[..<colon])] = String(line[line.index(after: colon)...]) }
                }
                node = current.pointee.next
            }
            return CertificateInfo(fields: fields)
        }
    }
}

private func transfer(_ pointer: UnsafeMutableRawPointer?) -> Transfer? {
    pointer.map { Unmanaged<Transfer>.fromOpaque($0).takeUnretainedValue() }
}

private func transferWrite(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ user: UnsafeMutableRawPointer?) -> Int {
    guard let transfer = transfer(user), !transfer.cancelled else { return 0 }
    if let data { transfer.body.append(UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: size * count) }
    return size * count
}

private func transferHeader(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ user: UnsafeMutableRawPointer?) -> Int {
    guard let transfer = transfer(user), let data else { return size * count }
    let line = String(decoding: UnsafeRawBufferPointer(start: data, count: size * count), as: UTF8.self)
    // A new status line starts a new header block (after a 100 Continue).
    if line.hasPrefix("HTTP/") { transfer.headerLines.removeAll() } else { transfer.headerLines.append(line) }
    return size * count
}

private func transferProgress(_ user: UnsafeMutableRawPointer?, _: curl_off_t, _: curl_off_t, _: curl_off_t, _: curl_off_t) -> Int32 {
    (transfer(user)?.cancelled ?? false) ? 1 : 0
}

private func transferDebug(
    _: UnsafeMutableRawPointer?, _ type: curl_infotype, _ data: UnsafeMutablePointer<CChar>?, _ size: Int,
    _ user: UnsafeMutableRawPointer?
) -> Int32 {
    guard type == CURLINFO_TEXT, let data, let transfer = transfer(user) else { return 0 }
    let text = String(decoding: UnsafeRawBufferPointer(start: data, count: size), as: UTF8.self)
    if text.hasPrefix("SSL connection using "), let version = text.dropFirst(21).split(separator: " ").first {
        transfer.tlsVersion = String(version)
    }
    return 0
}
