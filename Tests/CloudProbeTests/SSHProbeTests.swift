import CloudProbe
import Foundation
import TestSupport
import XCTest

/// "SSH answers" means the server's banner was read: a listener that accepts and says nothing, or says something
/// else, is no SSH server (on some networks anything accepts a TCP connect).
final class SSHProbeTests: XCTestCase {
    /// A loopback listener on its own port that greets each connection with `greeting` (nothing when nil) and holds it.
    func listener(_ greeting: String?) throws -> (port: Int, stop: () -> Void) {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var one: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        XCTAssertEqual(bound, 0)
        XCTAssertEqual(listen(descriptor, 8), 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) } }
        let port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread {
            while true {
                let client = accept(descriptor, nil, nil)
                if client < 0 { return }
                if let greeting { _ = greeting.withCString { write(client, $0, strlen($0)) } }
                // Held open, as a silent listener would; closed with the listener.
            }
        }
        thread.start()
        return (port, { shutdown(descriptor, Int32(SHUT_RDWR)); close(descriptor) })
    }

    func testOnlyABannerIsSSH() throws {
        let ssh = try listener("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n")
        defer { ssh.stop() }
        XCTAssertEqual(SSHProbe.greet(address: "127.0.0.1", port: ssh.port, timeout: 3), .banner("SSH-2.0-OpenSSH_9.2p1 Debian-2"))

        let preamble = try listener("Welcome to the lab\r\nSSH-2.0-dropbear_2022.83\r\n")
        defer { preamble.stop() }
        XCTAssertTrue(SSHProbe.greet(address: "127.0.0.1", port: preamble.port, timeout: 3).isSSH, "lines before the banner are allowed (RFC 4253)")

        let silent = try listener(nil)
        defer { silent.stop() }
        let quiet = SSHProbe.greet(address: "127.0.0.1", port: silent.port, timeout: 1)
        XCTAssertEqual(quiet, .silent)
        XCTAssertEqual(quiet.observed, "accepts connections but sends no SSH banner (no SSH-2.0- line)")

        let web = try listener("HTTP/1.1 400 Bad Request\r\n\r\n")
        defer { web.stop() }
        XCTAssertEqual(SSHProbe.greet(address: "127.0.0.1", port: web.port, timeout: 1), .notSSH("HTTP/1.1 400 Bad Request.."))

        let closed = try listener(nil)
        closed.stop()
        guard case .noConnection = SSHProbe.greet(address: "127.0.0.1", port: closed.port, timeout: 1) else { return XCTFail("refused") }
    }
}
