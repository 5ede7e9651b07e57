import Foundation

/// A TCP listener on its own port that greets each connection with a line (an SSH banner, say) or with nothing, and
/// holds the connection open as a silent listener would. Bound to 127.0.0.1, or to every address (`anyAddress`) so
/// that a real cloud's floating IPs in 127.0.113.0/24 reach it too.
public final class BannerListener: @unchecked Sendable {
    public let port: Int
    private let descriptor: Int32
    private let lock = NSLock()
    private var clients: [Int32] = []
    private var closed = false

    /// Listens; `greeting` nil sends nothing; `delay` holds each greeting back (a server still starting its sshd).
    public init(_ greeting: String?, anyAddress: Bool = false, delay: TimeInterval = 0) throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = anyAddress ? INADDR_ANY : inet_addr("127.0.0.1")
        address.sin_port = 0
        var one: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        let size = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, size) } }
        guard bound == 0, listen(descriptor, 16) == 0 else {
            close(descriptor)
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EINVAL)
        }
        var length = size
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) } }
        port = Int(UInt16(bigEndian: address.sin_port))
        self.descriptor = descriptor
        let listening = descriptor
        Thread { [weak self] in
            while true {
                let client = accept(listening, nil, nil)
                guard client >= 0, let self else { return }
                self.lock.withLock { self.clients.append(client) }
                guard let greeting else { continue }
                Thread {
                    if delay > 0 { Thread.sleep(forTimeInterval: delay) }
                    _ = greeting.withCString { write(client, $0, strlen($0)) }
                }.start()
            }
        }.start()
    }

    /// Stops listening and closes every connection it holds.
    public func stop() {
        let held: [Int32] = lock.withLock {
            guard !closed else { return [] }
            closed = true
            defer { clients = [] }
            return clients
        }
        shutdown(descriptor, Int32(SHUT_RDWR))
        close(descriptor)
        for client in held { close(client) }
    }

    deinit { stop() }
}
