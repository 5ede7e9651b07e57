import CloudProbe
import Foundation
import StepEngine
import TestSupport
import XCTest

/// `apply --until exercise-cloud`, the real binary, against real Nova, Neutron, Cinder and Placement.
extension RealNovaTests {
    struct Lab {
        var arguments: [String]
        var environment: [String: String]
    }

    /// An answers file for the steps up to the smoke test: the peer's admin openrc, CA and names, an Atmosphere install
    /// that trusts the peer (the prerequisites look for it), the SSH port of `ssh`.
    func makeLab(_ peer: OpenStackPeer, sshPort: Int) throws -> Lab {
        let tree = try AtmosphereTree.make(.final, trust: [peer.caBundle], resolve: peer.resolve)
        let work = TestPaths.scratch("real-nova")
        let answers = work + "/answers.yaml"
        try """
        session.name: real-nova
        cloud.openrc_path: \(peer.adminOpenrc())
        cloud.password: {from_env: PEER_PASSWORD}
        cloud.cacert: \(peer.caBundle)
        cloud.resolve: [\(peer.resolve.joined(separator: ", "))]
        \(LabAnswers.atmosphere(tree))smoke.ssh_port: \(sshPort)
        smoke.timeout_seconds: 60
        smoke.consent: true

        """.write(toFile: answers, atomically: true, encoding: .utf8)
        return Lab(
            arguments: [binary, "apply", "--answers", answers, "--state-dir", work + "/state", "--until", "exercise-cloud"],
            environment: ["PEER_PASSWORD": peer.adminPassword])
    }

    /// Runs `lab` to its end while `probe` looks at the cloud every 0.2 s; returns how it ended.
    func run(_ lab: Lab, probing probe: @escaping @Sendable () async -> Void) async -> ChildProcess.Finished {
        let running = ChildProcess.start(lab.arguments, environment: lab.environment)
        let ended = Task.detached { running.wait() }
        let probing = Task {
            while !Task.isCancelled {
                await probe()
                try? await Task.sleep(nanoseconds: 200_000_000)
            }
        }
        let finished = await ended.value
        probing.cancel()
        return finished
    }

}

extension RealNovaTests.Cloud {
    /// What the admin sees of the smoke test's resources at one instant.
    func stages() async -> Set<String> {
        var seen = Set<String>()
        let servers = (try? await list("nova", "/servers/detail?all_tenants=1", "servers")) ?? []
        if !servers.isEmpty { seen.insert("server made") }
        if servers.contains(where: { $0["status"] as? String == "ACTIVE" }) { seen.insert("server ACTIVE") }
        let addresses = (try? await list("neutron", "/floatingips", "floatingips")) ?? []
        if !addresses.isEmpty { seen.insert("floating IP made") }
        if addresses.contains(where: { $0["port_id"] is String }) { seen.insert("floating IP associated") }
        let volumes = (try? await list("cinder", "/volumes/detail?all_tenants=1", "volumes")) ?? []
        if !volumes.isEmpty { seen.insert("volume made") }
        if volumes.contains(where: { $0["status"] as? String == "in-use" }) { seen.insert("volume in-use") }
        return seen
    }
}

extension RealNovaTests {
    /// The whole smoke test: server ACTIVE, floating IP associated, the SSH banner read, volume in-use; then nothing in
    /// Nova, Neutron, Cinder or Placement. Nova's record of the deleted server shows the attach and the detach.
    func testApplyExercisesTheCloudAndLeavesNothing() async throws {
        let cloud = try await cloud()
        // The banner comes a second late, as from a server still starting sshd: the floating IP is seen associated.
        let ssh = try BannerListener("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n", anyAddress: true, delay: 1)
        defer { ssh.stop() }
        let lab = try makeLab(cloud.peer, sshPort: ssh.port)
        let seen = Observed()
        let finished = await run(lab) { seen.add(await cloud.stages()) }
        XCTAssertEqual(finished.status, 0, finished.output)
        XCTAssertTrue(
            seen.all.isSuperset(of: ["server ACTIVE", "floating IP associated", "volume made"]), "seen: \(seen.all.sorted())\n\(finished.stdout)")
        for line in [
            #"cloud.smoke-test: server: (\S+) ACTIVE after"#, #"answers as SSH \(SSH-2.0-OpenSSH_9.2p1 Debian-2\)"#,
            #"Neutron reports the floating IP DOWN"#, #"1 GiB volume \S+ attached after"#,
        ] {
            XCTAssertNotNil(finished.stdout.range(of: line, options: .regularExpression), "\(line)\n\(finished.stdout)")
        }
        for kind in ["attachment", "volume", "floatingip", "server"] {
            XCTAssertNotNil(
                finished.stdout.range(of: "cloud.smoke-test: \(kind) \\S+: removed", options: .regularExpression), "\(kind)\n\(finished.stdout)")
        }
        let left = try await cloud.settledLeftovers()
        XCTAssertEqual(left, [], "nothing left in Nova, Neutron, Cinder or Placement")

        // Nova keeps the deleted server's actions: it was attached and detached, then deleted, without an error.
        let serverID = try XCTUnwrap(
            finished.stdout.firstMatch(of: /cloud\.smoke-test: server: (\S+) ACTIVE after/).map { String($0.1) }, finished.stdout)
        let actions = try await cloud.peer.admin(
            "GET", cloud.url("nova", "/servers/\(serverID)/os-instance-actions"),
            headers: [("OpenStack-API-Version", "compute 2.21")], session: cloud.session)["instanceActions"] as? [[String: Any]]
        let names = Set((actions ?? []).compactMap { $0["action"] as? String })
        XCTAssertTrue(names.isSuperset(of: ["create", "attach_volume", "detach_volume", "delete"]), "\(actions ?? [])")
    }
}

/// What a probe saw over a run, from the probing task.
final class Observed: @unchecked Sendable {
    private let lock = NSLock()
    private var seen = Set<String>()

    func add(_ more: Set<String>) { lock.withLock { seen.formUnion(more) } }
    var all: Set<String> { lock.withLock { seen } }
}

/// kill -9 at each stage of the smoke test, then the same command again: what the killed run made is found from the
/// journal (or its tag) and removed, the test runs whole, and nothing is left.
extension RealNovaTests {
    func testAKillAtEachStageThenAResumeLeavesNothing() async throws {
        let cloud = try await cloud()
        // A late banner holds the run at the SSH stage, with its floating IP associated, long enough to be seen.
        let ssh = try BannerListener("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n", anyAddress: true, delay: 2)
        defer { ssh.stop() }
        for stage in ["server made", "floating IP associated", "volume made"] {
            let lab = try makeLab(cloud.peer, sshPort: ssh.port)
            let running = ChildProcess.start(lab.arguments, environment: lab.environment)
            let deadline = Date().addingTimeInterval(90)
            var seen = Set<String>()
            while !seen.contains(stage), Date() < deadline {
                seen = await cloud.stages()
                if !seen.contains(stage) { try await Task.sleep(nanoseconds: 100_000_000) }
            }
            kill(running.pid, SIGKILL)
            let killed = running.wait()
            XCTAssertEqual(killed.signal, SIGKILL, "\(stage): the run ended before it was killed\n\(killed.output)")
            let leftByKill = try await cloud.leftovers()
            XCTAssertFalse(leftByKill.isEmpty, "\(stage): the killed run left what it made")

            let resumed = ChildProcess.run(lab.arguments, environment: lab.environment)
            XCTAssertEqual(resumed.status, 0, "\(stage)\n\(resumed.output)")
            XCTAssertNotNil(
                resumed.stdout.range(of: #"cloud.smoke-test: server \S+: removed \(left by an interrupted run\)"#, options: .regularExpression),
                "\(stage)\n\(resumed.stdout)")
            let left = try await cloud.settledLeftovers()
            XCTAssertEqual(left, [], "\(stage): nothing left after the resume")
        }
    }
}
