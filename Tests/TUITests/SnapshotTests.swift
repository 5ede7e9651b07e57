import Foundation
import StepEngine
import TerminalUI
import Wizard
import WizardTUI
import XCTest

/// Every screen drawn by the headless grid, compared with reviewed text snapshots in __Snapshots__.
/// Record new ones with RECORD_SNAPSHOTS=1; a missing snapshot fails.
final class SnapshotTests: XCTestCase {
    var catalog: WizardCatalog!
    var reducer: WizardReducer!
    var view: WizardView!
    let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    let sizes = [(24, 80), (43, 132)]

    override func setUpWithError() throws {
        catalog = try WizardCatalog.load()
        reducer = WizardReducer(catalog: catalog)
        view = WizardView(catalog: catalog)
    }

    func state(at step: String) -> WizardState {
        let stored = ["session.name": Answer(key: "session.name", value: .text("lab"), source: .typed)]
        let values = (try? AnswerResolution.resolve(catalog: catalog, file: nil, stored: stored).values) ?? [:]
        var statuses = Dictionary(uniqueKeysWithValues: catalog.screens.map { ($0.id, StepStatus.blocked) })
        statuses["welcome"] = .passed
        statuses["prerequisites"] = .pending
        return reducer.reduce(
            reducer.initialState(now: t0),
            .sessionLoaded(
                name: "lab", values: values, statuses: statuses,
                openStep: step, offerResume: false, secrets: [:])
        ).0
    }

    func testEveryScreenAtBothSizes() throws {
        for screen in catalog.screens {
            for (rows, columns) in sizes {
                assertSnapshot(view.render(state(at: screen.id), rows: rows, columns: columns), named: "\(screen.id)-\(columns)x\(rows)")
            }
        }
    }

    func testTooSmallTerminal() {
        let canvas = view.render(state(at: "welcome"), rows: 20, columns: 60)
        XCTAssertTrue(canvas.text().contains("terminal too small (need 80x24, have 60x20)"))
        assertSnapshot(canvas, named: "too-small-60x20")
    }

    func testOverlaysAndResults() {
        var base = state(at: "prerequisites")
        base.overlay = .help(offset: 0)
        assertSnapshot(view.render(base, rows: 24, columns: 80), named: "help-80x24")
        base.overlay = .confirmQuit(selected: 0)
        assertSnapshot(view.render(base, rows: 24, columns: 80), named: "quit-80x24")
        base.overlay = .staleChange(
            key: "cloud.openrc_path", value: .text("/root/admin-openrc"), steps: ["prerequisites", "dns", "tls"], selected: 1)
        assertSnapshot(view.render(base, rows: 24, columns: 80), named: "stale-80x24")
        base.overlay = .resumeOffer(session: "lab", step: "prerequisites", selected: 0)
        assertSnapshot(view.render(base, rows: 24, columns: 80), named: "resume-80x24")
        base.overlay = .actionPreview(
            step: "inventory",
            lines: [
                "Add atmosphere-lab with 1 host pattern(s) to the atmosphere-ansible inventory.", "",
                "/opt/dev/atmosphere-ansible/ansible/hosts (a backup is kept)",
                "  [atmosphere:children]", "  atmosphere-old", "+ atmosphere-lab",
            ], offset: 0)
        assertSnapshot(view.render(base, rows: 24, columns: 80), named: "action-preview-80x24")
        base.overlay = .remoteOutput(
            step: "sync",
            lines: [
                "Import sizes, images and instances of provider 4.", "",
                "On the Atmosphere server, paste this block into a shell:", "",
                "  (", "  cd '/opt/dev/atmosphere' || exit 1",
            ], pasted: "line one\nline two", offset: 0)
        assertSnapshot(view.render(base, rows: 24, columns: 80), named: "remote-output-80x24")
        base.overlay = .log(offset: 0)
        base.log = ["Session lab opened.", "welcome: passed: answers complete and valid"]
        assertSnapshot(view.render(base, rows: 24, columns: 80), named: "log-80x24")

        var results = state(at: "prerequisites")
        results.outcomes["prerequisites"] = .init(
            kind: .attempt(.failed), message: "2 problems",
            findings: [
                FindingRow(level: .ok, target: "https://cloud.example.org:5000", text: "Keystone v3 answers"),
                FindingRow(level: .warning, target: "cloud.example.org", text: "certificate expires in 12 days", remedy: "renew it"),
                FindingRow(level: .failure, target: "public", text: "no external network", remedy: "openstack network create --external public"),
            ])
        let canvas = view.render(results, rows: 24, columns: 80)
        XCTAssertTrue(canvas.text().contains("✖ FAILURE"), "severity reads without colour")
        assertSnapshot(canvas, named: "findings-80x24")

        var running = state(at: "welcome")
        running.running = .init(step: "welcome", startedAt: t0.addingTimeInterval(-12), waitingOn: "Keystone at cloud.example.org", limit: 60)
        let progress = view.render(running, rows: 24, columns: 80)
        XCTAssertTrue(progress.text().contains("Waiting on Keystone at cloud.example.org"))
        XCTAssertTrue(progress.text().contains("12s of 60s · Ctrl-C cancels"))
        assertSnapshot(progress, named: "progress-80x24")
    }

    /// A step with several long findings after its run: wrapped, never cut, the first ones whole on screen at both sizes.
    func testSeveralLongFindingsAtBothSizes() {
        let findings = [
            FindingRow(
                level: .failure, target: "https://keystone.cloud.example.edu:5000",
                text: "certificate expired 3 days ago (not after 2026-11-28 12:00 UTC); also served by glance, nova and neutron on the same host",
                remedy: "Renew the certificate, install it as haproxy_user_ssl_cert on the load balancer, and run the haproxy-install.yml playbook"),
            FindingRow(
                level: .warning, target: "https://object.cloud.example.edu:8080",
                text: "the server sent its certificate without the intermediate InCommon RSA Server CA 2",
                remedy: "Serve the full chain: append the intermediate to the certificate file (haproxy_user_ssl_cert)"),
            FindingRow(level: .ok, target: "https://nova.cloud.example.edu:8774", text: "TLSv1.3, certificate valid for 211 more days"),
            FindingRow(level: .info, target: "cloud.example.edu", text: "TLS 1.2 is the lowest version offered by 4 of 5 endpoints"),
        ]
        var state = state(at: "tls")
        state.focus = .runButton
        state = reducer.reduce(state, .stepFinished(step: "tls", outcome: .init(kind: .attempt(.failed), message: "1 failure(s), 1 warning(s), 1 ok", findings: findings))).0
        for (rows, columns) in sizes {
            state = reducer.reduce(state, .resized(TerminalSize(rows: rows, columns: columns))).0
            let canvas = view.render(state, rows: rows, columns: columns)
            // The open step's side only (right of the step list), its lines joined without spaces.
            let side = canvas.text().components(separatedBy: "\n").map { String($0.dropFirst(columns >= 120 ? 33 : 25)) }
            let flat = side.joined().replacingOccurrences(of: " ", with: "")
            for finding in findings.prefix(2) {
                XCTAssertTrue(
                    flat.contains((finding.text + "→" + finding.remedy).replacingOccurrences(of: " ", with: "")),
                    "\(finding.target) is readable in full at \(columns)x\(rows):\n\(canvas.text())")
            }
            assertSnapshot(canvas, named: "long-findings-\(columns)x\(rows)")
        }
    }

    func testASecretIsDrawnMasked() throws {
        var typed = state(at: "prerequisites")
        let index = try XCTUnwrap(typed.fields.firstIndex { $0.input.key == "cloud.password" })
        typed.focus = .field(index)
        for character in "hunter2-canary" { typed = reducer.reduce(typed, .key(.character(character))).0 }
        let canvas = view.render(typed, rows: 24, columns: 80)
        XCTAssertFalse(canvas.text().contains("hunter2"))
        XCTAssertTrue(canvas.text().contains("[••••••••••••••"))
        assertSnapshot(canvas, named: "secret-80x24")
    }

    func testDiffPreview() {
        var canvas = Canvas(rows: 24, columns: 80)
        LineDiff.preview(
            &canvas, path: "hosts", old: "[atmosphere:children]\nold-cloud\n# keep me\n",
            new: "[atmosphere:children]\nold-cloud\natmosphere-lab\n# keep me\n", offset: 0)
        XCTAssertTrue(canvas.text().contains("+ atmosphere-lab"))
        assertSnapshot(canvas, named: "diff-80x24")
    }

    func assertSnapshot(_ canvas: Canvas, named name: String, file: StaticString = #filePath, line: UInt = #line) {
        let directory = URL(fileURLWithPath: "\(file)").deletingLastPathComponent().appendingPathComponent("__Snapshots__").path
        let path = "\(directory)/\(name).txt"
        let text = canvas.text() + "\n"
        if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try? text.write(toFile: path, atomically: true, encoding: .utf8)
            // Recording proves nothing: the test fails until it runs again against what was written (as swift-snapshot-testing does).
            return XCTFail(
                "recorded snapshot \(name) at \(path): review it, then run the tests again without RECORD_SNAPSHOTS", file: file, line: line)
        }
        guard let stored = try? String(contentsOfFile: path, encoding: .utf8) else {
            return XCTFail(
                "no snapshot \(name): record with RECORD_SNAPSHOTS=1 swift test --filter SnapshotTests, then review it", file: file, line: line)
        }
        if stored != text {
            let differences = LineDiff.between(stored.components(separatedBy: "\n"), text.components(separatedBy: "\n"))
                .filter { if case .same = $0 { return false } else { return true } }.map(\.rendered)
            XCTFail("snapshot \(name) differs:\n\(differences.joined(separator: "\n"))", file: file, line: line)
        }
    }
}
