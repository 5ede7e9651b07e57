import AtmosphereKit
import Foundation

/// Where tests find built products and make scratch directories.
public enum TestPaths {
    /// A built executable by name: the shipped two from ATMO_TEST_BINARIES when set (`make release-check` runs the tests
    /// against the static release binaries, which carry their own ICU data), else next to the test bundle, or a few
    /// directories up from it.
    public static func executable(_ name: String) -> String {
        if ["atmo-connect", "atmo-connect-demo"].contains(name),
            let directory = ProcessInfo.processInfo.environment["ATMO_TEST_BINARIES"], !directory.isEmpty
        {
            return URL(fileURLWithPath: directory).appendingPathComponent(name).path
        }
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = testBinary.deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent(name).path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return testBinary.deletingLastPathComponent().appendingPathComponent(name).path
    }

    /// The folder of this test process: every scratch directory, child's output and tmux socket is in it, and it is
    /// removed when the process exits. It lives in the run's folder (ATMO_TEST_RUN, which `make test` makes and removes
    /// around the suite and whose leftovers it reports) or else in TMPDIR.
    public static let root: String = {
        let base = ProcessInfo.processInfo.environment["ATMO_TEST_RUN"].flatMap { $0.isEmpty ? nil : $0 } ?? NSTemporaryDirectory()
        let path = (base as NSString).appendingPathComponent("atmo-test-\(getpid())-\(UUID().uuidString.prefix(6))")
        precondition(mkdir(path, 0o700) == 0 || errno == EEXIST, "cannot make the test folder \(path): \(String(cString: strerror(errno)))")
        TestPaths.removedAtExit = path
        atexit { TestPaths.removeRoot() }
        // Atmosphere scripts run in this process keep their ledger and temporary folders here too.
        try? ChildLedger.use(directory: path + "/runtime")
        return path
    }()

    nonisolated(unsafe) private static var removedAtExit: String?

    private static func removeRoot() {
        guard let path = removedAtExit else { return }
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Where fixtures built once are kept for every test of the run (an Atmosphere install per kind): the run's folder
    /// when `make test` made one (its test processes share it), else this process's.
    public static var fixtures: String {
        (ProcessInfo.processInfo.environment["ATMO_TEST_RUN"].flatMap { $0.isEmpty ? nil : $0 } ?? root) + "/fixtures"
    }

    /// A fresh directory in the test process's folder.
    public static func scratch(_ label: String = "t") -> String {
        let path = root + "/\(label)-\(UUID().uuidString.prefix(8))"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// The repository's top directory (for screens/ on disk).
    public static var repository: String {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url = url.deletingLastPathComponent() }
        return url.path
    }

    /// Every byte of a file and its SQLite side files, for leak checks.
    public static func bytes(ofDatabase path: String) -> Data {
        var data = Data()
        for suffix in ["", "-wal", "-shm", "-journal"] {
            if let part = FileManager.default.contents(atPath: path + suffix) { data.append(part) }
        }
        return data
    }

    /// A loopback TCP port that nothing listens on (bound, read, then closed), for connection-refused cases.
    public static func unusedPort() -> Int {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in(
            sin_family: sa_family_t(AF_INET), sin_port: 0, sin_addr: in_addr(s_addr: inet_addr("127.0.0.1")),
            sin_zero: (0, 0, 0, 0, 0, 0, 0, 0))
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) == 0 ? getsockname(listener, $0, &length) : -1 }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
