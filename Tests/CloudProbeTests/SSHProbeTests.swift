import CloudProbe
import Foundation
import TestSupport
import XCTest

/// "SSH answers" means the server's banner was read: a listener that accepts and says nothing, or says something
/// else, is no SSH server (on some networks anything accepts a TCP connect).
final class SSHProbeTests: XCTestCase {
    func listener(_ greeting: String?) throws -> (port: Int, stop: () -> Void) {
        let listener = try BannerListener(greeting)
        return (listener.port, listener.stop)
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
