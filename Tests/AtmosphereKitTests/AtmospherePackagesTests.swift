import DemoCloud
import Foundation
import TestSupport
import XCTest

/// The Atmosphere test installs run the real HTTP stack Atmosphere pins, so a reachability check meets requests' own
/// trust store and errors: not a stand-in written here.
final class AtmospherePackagesTests: XCTestCase {
    func testTheInstallRunsAtmospheresPinnedRequestsWithItsOwnTrustRules() throws {
        let password = "pkg-" + UUID().uuidString
        let cloud = try DemoCloud(directory: TestPaths.scratch("pkg-cloud"), adminPassword: password)
        defer { cloud.shutdown() }
        let root = try AtmosphereTree.make(.final, cloud: cloud)
        let python = root + "/env/atmo/bin/python"
        let packages = try XCTUnwrap(AtmosphereSandbox.packagesFolder(), Peers.missingVenv)
        let code = """
            import sys, requests, urllib3, certifi, chardet, idna, libcloud, libcloud.security
            from importlib.metadata import version
            print(*(version(name) for name in ('requests', 'urllib3', 'certifi', 'chardet', 'idna', 'apache-libcloud')))
            print(all(module.__file__.startswith(sys.argv[3]) for module in (requests, urllib3, libcloud)),
                  certifi.where().startswith(sys.argv[1]))
            try:
                print(requests.get(sys.argv[2], timeout=10).status_code)
            except requests.exceptions.SSLError as error:
                print('SSLError', error)
            """
        func run(_ environment: [String: String]) -> [String] {
            // The install's scripts run with an allow-listed environment: only what the test names here.
            let result = ChildProcess.run(
                ["/usr/bin/env", "-i", "PATH=/usr/bin:/bin"] + environment.map { "\($0.key)=\($0.value)" }
                    + [python, "-c", code, root + "/env/atmo/", cloud.authURL, packages + "/"])
            XCTAssertEqual(result.status, 0, result.output)
            return result.stdout.split(separator: "\n").map(String.init)
        }
        let trusted = run([:])
        XCTAssertEqual(trusted.first, "2.22.0 1.25.3 2017.7.27.1 3.0.4 2.5 0.20.1", "Atmosphere's pins: \(trusted)")
        XCTAssertEqual(
            trusted.dropFirst().first, "True True", "the pinned packages, and certifi's bundle of the install's own: \(trusted)")
        XCTAssertEqual(trusted.last, "200", "certifi's bundle with the cloud's CA appended, the name through the server's /etc/hosts")
        // requests' own rule: REQUESTS_CA_BUNDLE replaces certifi's bundle, so a bundle without the cloud's CA fails.
        let elsewhere = run(["REQUESTS_CA_BUNDLE": "/etc/ssl/certs/ca-certificates.crt"])
        XCTAssertTrue(elsewhere.last?.hasPrefix("SSLError") == true, "\(elsewhere)")
        XCTAssertTrue(elsewhere.last?.contains("CERTIFICATE_VERIFY_FAILED") == true, "\(elsewhere)")
    }
}
