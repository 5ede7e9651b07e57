import Foundation
import StepEngine
import TestSupport
import Wizard
import XCTest

/// The credentials step starts where `check` and the openstack client would look: OS_CLOUD, then OS_AUTH_URL, then a
/// clouds.yaml, else an openrc; what the operator gave always wins.
final class AnswerDefaultsTests: XCTestCase {
    func resolve(_ environment: [String: String], stored: [String: Answer] = [:]) throws -> AnswerResolution {
        try AnswerResolution.resolve(catalog: try WizardCatalog.load(), file: nil, stored: stored, environment: environment)
    }

    func testTheCredentialsSourceFollowsTheEnvironmentAsCheckDoes() throws {
        let home = TestPaths.scratch("home")
        let osCloud = try resolve(["OS_CLOUD": "lab-cloud", "HOME": home])
        XCTAssertEqual(osCloud.values["cloud.credentials_source"], .text("clouds-yaml"))
        XCTAssertEqual(osCloud.values["cloud.os_cloud"], .text("lab-cloud"))
        XCTAssertEqual(osCloud.toStore.first { $0.key == "cloud.credentials_source" }?.source, .derived)
        XCTAssertNil(osCloud.values["cloud.openrc_path"], "no openrc asked for")

        XCTAssertEqual(try resolve(["OS_AUTH_URL": "https://keystone.example.org:5000/v3", "HOME": home]).values["cloud.credentials_source"], .text("environment"))
        XCTAssertEqual(try resolve(["HOME": home]).values["cloud.credentials_source"], .text("openrc"), "nothing found: the screen's default")

        try FileManager.default.createDirectory(atPath: home + "/.config/openstack", withIntermediateDirectories: true)
        try "clouds: {}\n".write(toFile: home + "/.config/openstack/clouds.yaml", atomically: true, encoding: .utf8)
        XCTAssertEqual(try resolve(["HOME": home]).values["cloud.credentials_source"], .text("clouds-yaml"))

        let typed = ["cloud.credentials_source": Answer(key: "cloud.credentials_source", value: .text("openrc"), source: .typed)]
        XCTAssertEqual(try resolve(["OS_CLOUD": "lab-cloud", "HOME": home], stored: typed).values["cloud.credentials_source"], .text("openrc"), "the operator's answer wins")
    }
}
