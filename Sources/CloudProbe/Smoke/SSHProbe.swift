import Foundation
@preconcurrency import Glibc

/// What answers at an address and port, as an SSH client first sees it: the server's identification line
/// (`SSH-2.0-…`, RFC 4253 section 4.2), or why there is none. A bare TCP connect proves nothing (a listener that
/// accepts and says nothing, or a middlebox that accepts for any address, would pass).
public enum SSHGreeting: Sendable, Equatable {
    /// The server's identification line.
    case banner(String)
    /// It accepted the connection and sent nothing within the time allowed.
    case silent
    /// It accepted and sent something that is not SSH (its first bytes, printable).
    case notSSH(String)
    /// Nothing accepted the connection (refused, unreachable, or no answer in time).
    case noConnection(String)

    /// Whether an SSH server answered.
    public var isSSH: Bool {
        if case .banner = self { return true }
        return false
    }

    /// What was seen, for a finding.
    public var observed: String {
        switch self {
        case let .banner(line): "answers as SSH (\(line))"
        case .silent: "accepts connections but sends no SSH banner (no SSH-2.0- line)"
        case let .notSSH(bytes): "accepts connections but answers \"\(bytes)\", not an SSH banner"
        case let .noConnection(reason): "does not accept connections (\(reason))"
        }
    }
}

/// Knocks at an IPv4 address and port and reads the SSH server's identification line.
public enum SSHProbe {
    /// The greeting within `timeout` seconds (the connect and the banner share it).
    public static func greet(address: String, port: Int, timeout: TimeInterval) -> SSHGreeting {
        var target = sockaddr_in()
        guard inet_pton(AF_INET, address, &target.sin_addr) == 1 else { return .noConnection("\(address) is not an IPv4 address") }
        target.sin_family = sa_family_t(AF_INET)
        target.sin_port = UInt16(port).bigEndian
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return .noConnection(String(cString: strerror(errno))) }
        defer { close(descriptor) }
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
        let deadline = Date().addingTimeInterval(timeout)
        let started = withUnsafePointer(to: &target) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if started != 0 {
            guard errno == EINPROGRESS else { return .noConnection(String(cString: strerror(errno))) }
            var poller = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
            guard poll(&poller, 1, milliseconds(until: deadline)) > 0 else { return .noConnection("no answer within \(Int(timeout)) s") }
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &error, &length)
            guard error == 0 else { return .noConnection(String(cString: strerror(error))) }
        }
        // The server speaks first. Lines before the identification line are allowed (RFC 4253 4.2); 8 KiB is plenty.
        var received: [UInt8] = []
        while received.count < 8192 {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, milliseconds(until: deadline)) > 0 else { break }
            var buffer = [UInt8](repeating: 0, count: 512)
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            received += buffer[0..<count]
            for line in String(decoding: received, as: UTF8.self).split(whereSeparator: \.isNewline) where line.hasPrefix("SSH-") {
                if line.hasPrefix("SSH-2.0-") || line.hasPrefix("SSH-1.99-") { return .banner(String(line.prefix(80))) }
            }
        }
        guard !received.isEmpty else { return .silent }
        let shown = String(decoding: received.prefix(40), as: UTF8.self).map { $0.isASCII && !$0.isNewline && $0 != "\t" && ($0.asciiValue ?? 0) >= 32 ? $0 : "." }
        return .notSSH(String(shown))
    }

    private static func milliseconds(until deadline: Date) -> Int32 {
        Int32(max(0, min(Double(Int32.max), deadline.timeIntervalSinceNow * 1000)))
    }
}
