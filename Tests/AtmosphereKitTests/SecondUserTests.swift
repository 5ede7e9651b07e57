import AtmoModel
import AtmosphereKit
import Foundation
import TestSupport
import XCTest

/// Run as root, with a second, unprivileged user (uid 12345) planting things where it may write: nothing it plants
/// steers the root run. Skipped when not root (the planter's files must belong to another user).
final class SecondUserTests: XCTestCase {
    let planter: uid_t = 12345

    override func setUpWithError() throws {
        guard geteuid() == 0 else { throw XCTSkip("needs root, to plant files as uid \(planter)") }
    }

    /// Makes `path` a symbolic link to `target`, owned by the planter.
    func plant(_ path: String, pointingTo target: String) {
        XCTAssertEqual(symlink(target, path), 0, path)
        XCTAssertEqual(lchown(path, planter, planter), 0, path)
    }

    /// A folder anyone may write to, as /tmp is (sticky, 1777).
    func sharedFolder(_ label: String) -> String {
        let folder = TestPaths.scratch(label)
        chmod(folder, 0o1777)
        return folder
    }

    func victim(in folder: String) throws -> String {
        let path = TestPaths.scratch("victim") + "/victim.txt"
        try "root's own file\n".write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func content(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }

    /// A state directory whose `run/` another user made first, open to all, with a record naming a root process: the
    /// run refuses the folder, says so, and kills nothing.
    func testAnotherUsersLedgerIsRefusedAndNothingIsKilled() throws {
        let sleeper = ChildProcess.start(["/bin/sleep", "30"])
        defer { kill(sleeper.pid, SIGKILL) }
        usleep(100_000)
        let start = try XCTUnwrap(ProcessIdentity.startTime(of: sleeper.pid))
        let state = TestPaths.scratch("second-user-state")
        chmod(state, 0o700)
        for folder in [state + "/run", state + "/run/children"] {
            XCTAssertEqual(mkdir(folder, 0o777), 0)
            chmod(folder, 0o777)
            XCTAssertEqual(chown(folder, planter, planter), 0)
        }
        // A record as a killed wizard (a pid that is gone) would have left for its script: the root sleep.
        let record = state + "/run/children/999999-1-\(sleeper.pid)"
        try "\(start)\nforged\n".write(toFile: record, atomically: true, encoding: .utf8)
        XCTAssertEqual(chown(record, planter, planter), 0)

        let run = ChildProcess.run([TestPaths.executable("atmo-connect"), "status", "--state-dir", state])
        XCTAssertNotEqual(run.status, 0, run.output)
        XCTAssertTrue(run.stderr.contains("\(state)/run cannot hold atmo-connect's runtime files: it belongs to user id \(planter)"), run.output)
        XCTAssertTrue(run.stderr.contains("Remove \(state)/run"), run.output)
        XCTAssertEqual(kill(sleeper.pid, 0), 0, "the root process the record names is alive")
        XCTAssertTrue(FileManager.default.fileExists(atPath: record), "the planted record is left as it is")
    }

    /// Every file atmo-connect writes goes through two primitives: a private file (the provider JSON, the report,
    /// exports, remote blocks, previews) and an inventory-style file with a backup (the inventory, the OSA fragment,
    /// zone files). Links planted at the names their temporary files once had, at the target and at the backup's name
    /// are never followed: the planted-at file is untouched.
    func testPlantedLinksAreNeverFollowed() throws {
        let folder = sharedFolder("second-user-files")
        let victim = try victim(in: folder)

        // The temporary names of the old writers, planted before the write.
        let json = folder + "/provider.json"
        plant(json + ".tmp-\(getpid())", pointingTo: victim)
        try PrivateFile.write("{\"secret\": \"s3cr3t\"}\n", to: json)
        XCTAssertEqual(content(json), "{\"secret\": \"s3cr3t\"}\n")
        var info = stat()
        XCTAssertEqual(lstat(json, &info), 0)
        XCTAssertEqual(info.st_mode & S_IFMT, S_IFREG)
        XCTAssertEqual(info.st_mode & 0o777, 0o600)
        XCTAssertEqual(info.st_uid, 0)

        let hosts = folder + "/hosts"
        plant(hosts + ".atmo-connect-tmp", pointingTo: victim)
        XCTAssertTrue(try InventoryLayout.write("[atmosphere]\n", to: hosts).changed)
        XCTAssertEqual(content(hosts), "[atmosphere]\n")

        // The target itself a link: refused, naming where it points.
        let report = folder + "/report.md"
        plant(report, pointingTo: victim)
        XCTAssertThrowsError(try PrivateFile.write("report\n", to: report)) { error in
            XCTAssertTrue("\(error)".contains("is a symbolic link to \(victim)"), "\(error)")
        }
        let zone = folder + "/atmosphere-a.zone"
        plant(zone, pointingTo: victim)
        XCTAssertThrowsError(try InventoryLayout.write("zone\n", to: zone)) { error in
            XCTAssertTrue("\(error)".contains("is a symbolic link to \(victim)"), "\(error)")
        }

        // The backup's name planted: the write is refused rather than the link followed.
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        plant(hosts + ".atmo-connect-\(TimeText.fileStamp(now)).bak", pointingTo: victim)
        XCTAssertThrowsError(try InventoryLayout.write("[atmosphere]\nnew\n", to: hosts, now: now))
        XCTAssertEqual(content(hosts), "[atmosphere]\n", "unchanged when its backup cannot be made")

        XCTAssertEqual(content(victim), "root's own file\n", "the planted-at file is untouched")
        let mine = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.contains(".atmo-connect-") && !$0.hasSuffix(".bak") }
        XCTAssertEqual(mine.filter { !$0.hasSuffix("-tmp") }, [], "no temporary file of ours is left")
    }
}
