import DemoCloud
import Foundation
import StepEngine
import TestSupport
import Wizard
import XCTest

/// 0.0.0.0/0 as the Atmosphere server's network would open Keystone to every address through HAProxy's allow-list:
/// the preview and the result say so, with its consequence; a real network is not warned about.
final class OSANetworkTests: XCTestCase {
    func plan(network: String) async throws -> ActionPlan {
        let output = TestPaths.scratch("osa") + "/user_variables.yml"
        let lab = try DemoLabSession("osa-network", extra: "osa.atmosphere_network: [\(network)]\nosa.output_path: \(output)\n")
        defer { lab.cloud.shutdown() }
        let screen = try XCTUnwrap(lab.catalog.screens.first { $0.actions.contains("osa.user-variables") })
        guard case let .needsConsent(plan) = try await StepExecution.execute(screen, engine: lab.engine, catalog: lab.catalog) else {
            XCTFail("the fragment needs a yes")
            throw XCTSkip()
        }
        return plan
    }

    func testEveryAddressAsAtmospheresNetworkIsAWarning() async throws {
        let open = try await plan(network: "0.0.0.0/0").summary.joined(separator: "\n")
        XCTAssertTrue(open.contains("Warning: 0.0.0.0/0 is every address: HAProxy's allow-list for Keystone would let any host reach it"), open)
        let own = try await plan(network: "192.0.2.10/32").summary.joined(separator: "\n")
        XCTAssertFalse(own.contains("Warning"), own)
    }
}
