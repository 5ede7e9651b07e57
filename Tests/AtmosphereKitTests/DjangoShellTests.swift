import AtmosphereKit
import DemoCloud
import Foundation
import StepEngine
import TestSupport
import XCTest

/// The snippets in each generation's `manage.py shell`: Django 1.10's interactive console (stdin typed line by line) and
/// 1.11's stdin execution, on the stand-in models, against the demo cloud.
final class DjangoShellTests: XCTestCase {
    func testMultiLineStdinBreaksOnDjango110ButTheLauncherRunsOnBoth() throws {
        let code = "import json\nfor name in ['a', 'b']:\n    x = name\nprint('\(DjangoShell.marker)' + json.dumps({'last': x}))\n"
        for generation in AtmosphereSandbox.Generation.allCases {
            let root = try AtmosphereTree.make(generation)
            let install = try XCTUnwrap(
                AtmosphereInstall.detect(
                    checkout: root + "/atmosphere", virtualenv: root + "/env/atmo",
                    ansibleCheckout: root + "/atmosphere-ansible"
                ).install)
            XCTAssertEqual(install.shellExecutesStdin, generation == .final, "\(generation): Django \(install.djangoVersion ?? "?")")
            // The old way: the code itself on stdin.
            let piped = ChildProcess.run(
                ["/usr/bin/env", "-C", root + "/atmosphere", root + "/env/atmo/bin/python", "manage.py", "shell"],
                environment: AtmosphereTree.environment(root), stdin: code)
            XCTAssertEqual(piped.output.contains("SyntaxError"), generation != .final, "\(generation): \(piped.output)")
            let result = try DjangoShell.run(install: install, code: code)
            XCTAssertEqual(result.value?["last"], .string("b"), "\(generation): \(result.output)")
        }
    }

    func testStaffRightsForExistingUsersAndNamesTheMissing() throws {
        let root = try AtmosphereTree.make(.window, users: ["cmart", "alice"])
        let install = try XCTUnwrap(
            AtmosphereInstall.detect(
                checkout: root + "/atmosphere", virtualenv: root + "/env/atmo",
                ansibleCheckout: root + "/atmosphere-ansible"
            ).install)
        let result = try DjangoShell.run(install: install, code: AtmosphereSnippets.staffRights(users: ["cmart", "nobody"]))
        XCTAssertEqual(result.status, 0, result.output)
        XCTAssertEqual(result.value?["staff"], .list([.string("cmart")]))
        XCTAssertEqual(result.value?["missing"], .list([.string("nobody")]))
        let users = try AtmosphereTree.rows(root, model: "AtmosphereUser")
        XCTAssertEqual(users.first { $0["username"] as? String == "cmart" }?["is_staff"] as? Bool, true)
        XCTAssertEqual(users.first { $0["username"] as? String == "alice" }?["is_staff"] as? Bool, false)
    }

    func testTheAllocationStrategyCreatesMissingBehavioursOnce() throws {
        let lab = try AtmosphereLab(.window)
        XCTAssertTrue(try lab.addProvider(lab.settings()).succeeded)
        let id = try XCTUnwrap(try AtmosphereProviders.list(install: lab.install).first?.id)
        let code = AtmosphereSnippets.allocationStrategy(
            providerID: id, counting: "1 Month - Calendar Window", refresh: ["First of the Month"],
            rules: ["Ignore non-active status", "Multiply by Size CPU"])
        let first = try DjangoShell.run(install: lab.install, code: code)
        XCTAssertEqual(first.value?["strategy"], .string("new"), first.output)
        XCTAssertEqual(
            first.value?["behaviours_created"],
            .list([
                .string("1 Month - Calendar Window"), .string("First of the Month"),
                .string("Ignore non-active status"), .string("Multiply by Size CPU"),
            ]),
            "the squashed migrations of July 2017 seed no behaviours")
        let before = try AtmosphereTree.snapshot(lab.root)
        let second = try DjangoShell.run(install: lab.install, code: code)
        XCTAssertEqual(second.value?["strategy"], .string("existing"))
        XCTAssertEqual(second.value?["behaviours_created"], .list([]))
        XCTAssertEqual(try AtmosphereTree.snapshot(lab.root), before, "a re-run changes nothing")
        let guide = try AtmosphereTree.make(.guide)
        let seeded = try AtmosphereTree.rows(guide, model: "CountingBehavior").compactMap { $0["name"] as? String }
        XCTAssertEqual(seeded, ["1 Month - Calendar Window", "1 Month - Calendar Window - Anniversary"], "the guide's migrations seeded them")
        let final = try AtmosphereTree.make(.final)
        let install = try XCTUnwrap(
            AtmosphereInstall.detect(
                checkout: final + "/atmosphere", virtualenv: final + "/env/atmo",
                ansibleCheckout: final + "/atmosphere-ansible"
            ).install)
        let refused = try DjangoShell.run(install: install, code: code)
        XCTAssertNil(refused.value, "the final code has no AllocationStrategy")
        XCTAssertTrue(refused.output.contains("No module named 'core.models.allocation_strategy'"), refused.output)
    }

    func testAllocationSourcePluginAndTheInitialSync() throws {
        let lab = try AtmosphereLab(.final)
        XCTAssertTrue(try lab.addProvider(lab.settings()).succeeded)
        let id = try XCTUnwrap(try AtmosphereProviders.list(install: lab.install).first?.id)
        let plugins = try DjangoShell.run(install: lab.install, code: AtmosphereSnippets.allocationSourcePlugin)
        XCTAssertEqual(plugins.value?["plugins"], .list([.string("cyverse_allocation.plugins.allocation_source.FlexibleAllocationSourcePlugin")]))
        let sync = try DjangoShell.run(install: lab.install, code: AtmosphereSnippets.initialSync(providerID: id))
        XCTAssertEqual(sync.status, 0, sync.output)
        XCTAssertEqual(sync.value?["how"], .string("monitor_resources_for"), sync.output)
        let sizes = try lab.rows("Size").count, machines = try lab.rows("ProviderMachine").count
        XCTAssertGreaterThan(sizes, 0, "the demo cloud's flavors")
        XCTAssertEqual(sync.value?["sizes"], .int(sizes))
        XCTAssertEqual(sync.value?["images"], .int(machines))
        let before = try AtmosphereTree.snapshot(lab.root)
        _ = try DjangoShell.run(install: lab.install, code: AtmosphereSnippets.initialSync(providerID: id))
        XCTAssertEqual(try AtmosphereTree.snapshot(lab.root), before, "a second sync changes nothing")
        let withoutInstances = try DjangoShell.run(
            install: lab.install, code: AtmosphereSnippets.initialSync(providerID: id, includeInstances: false))
        XCTAssertEqual(
            withoutInstances.value?["how"], .string("monitor_sizes_for, monitor_volumes_for, monitor_machines_for"), withoutInstances.output)
        XCTAssertEqual(withoutInstances.value?["instances"], .null, "sync.include_instances: false imports no instances")
    }

    func testAFailingProviderListingIsAnErrorNotNone() throws {
        let root = try AtmosphereTree.make(.final)
        let install = try XCTUnwrap(
            AtmosphereInstall.detect(
                checkout: root + "/atmosphere", virtualenv: root + "/env/atmo",
                ansibleCheckout: root + "/atmosphere-ansible"
            ).install)
        // A broken import on the server, as after a half-finished upgrade.
        try "raise ImportError('cannot import name JSONField')\n".write(
            toFile: root + "/atmosphere/core/models/__init__.py", atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try AtmosphereProviders.list(install: install)) { error in
            guard case let .unreadable(_, cause) = error as? AtmosphereReadError else { return XCTFail("\(error)") }
            XCTAssertTrue(cause.contains("cannot import name JSONField"), cause)
        }
    }

    /// Values reach the Django shell as Python literals with the same meaning, whatever they hold: a typed password with
    /// slashes, quotes, backslashes, newlines or non-ASCII is set as typed (JSON's `\/` would have added a backslash).
    func testSnippetValuesArriveAsGiven() throws {
        let root = try AtmosphereTree.make(.final, users: ["cmart"])
        let install = try XCTUnwrap(
            AtmosphereInstall.detect(
                checkout: root + "/atmosphere", virtualenv: root + "/env/atmo",
                ansibleCheckout: root + "/atmosphere-ansible"
            ).install)
        let password = "p/a\\th'\"quote\"\n\u{2028}é{{ x }}$(id)`id`"
        let result = try DjangoShell.run(install: install, code: AtmosphereSnippets.staffRights(users: ["cmart"], password: password))
        XCTAssertEqual(result.value?["password_set"], .bool(true), result.output)
        let check = ChildProcess.run(
            [
                "/usr/bin/env", "-C", root + "/atmosphere", root + "/env/atmo/bin/python", "-c",
                "import django, sys\ndjango.setup()\nfrom core.models import AtmosphereUser\nprint(AtmosphereUser.objects.get(username='cmart').check_password(sys.stdin.read()))",
            ],
            environment: AtmosphereTree.environment(root), stdin: password)
        XCTAssertEqual(check.stdout.split(separator: "\n").last, "True", "the password works as typed: \(check.output)")
    }
}
