import Foundation

/// Where the state lives: `--state-dir`, else `$XDG_STATE_HOME/atmo-connect`, else `~/.local/state/atmo-connect`.
public struct StateDirectory: Sendable, Hashable {
    public let path: String

    /// Uses an explicit directory.
    public init(path: String) {
        self.path = (path as NSString).expandingTildeInPath
    }

    /// The default directory for this environment.
    public static func resolve(override: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> StateDirectory {
        if let override, !override.isEmpty { return StateDirectory(path: override) }
        if let xdg = environment["XDG_STATE_HOME"], xdg.hasPrefix("/") {
            return StateDirectory(path: xdg + "/atmo-connect")
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return StateDirectory(path: home + "/.local/state/atmo-connect")
    }

    /// The SQLite file.
    public var databasePath: String { path + "/state.db" }
    /// The log file.
    public var logPath: String { path + "/atmo-connect.log" }
    /// The file whose lock serialises creating and migrating the database between processes.
    public var openLockPath: String { path + "/.state.db.open-lock" }

    /// Creates the directory (0700) if needed and checks that it is a writable directory we may keep secrets near: a
    /// real directory (not a symbolic link), owned by this user, whose state files are no links either.
    public func prepare() throws {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        var link = stat()
        if lstat(path, &link) == 0, link.st_mode & S_IFMT == S_IFLNK {
            throw EngineError.stateDirectoryUnusable(
                path: path, reason: "it is a symbolic link; give its real path, so no one can point it elsewhere")
        }
        if manager.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw EngineError.stateDirectoryUnusable(path: path, reason: "it exists and is not a directory")
            }
        } else {
            do {
                try manager.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw EngineError.stateDirectoryUnusable(path: path, reason: "it cannot be created (\(Self.reason(error)))")
            }
        }
        guard access(path, W_OK | X_OK) == 0 else {
            throw EngineError.stateDirectoryUnusable(path: path, reason: "it is not writable by this user")
        }
        var info = stat()
        if stat(path, &info) == 0, info.st_uid != geteuid() {
            throw EngineError.stateDirectoryUnusable(path: path, reason: "it belongs to user id \(info.st_uid), not to you (\(geteuid()))")
        }
        for file in [databasePath, databasePath + "-wal", databasePath + "-shm", logPath] {
            var entry = stat()
            if lstat(file, &entry) == 0, entry.st_mode & S_IFMT == S_IFLNK {
                throw EngineError.stateDirectoryUnusable(
                    path: path, reason: "\((file as NSString).lastPathComponent) is a symbolic link; atmo-connect follows none (remove it)")
            }
        }
        // Tighten a directory someone made with a looser mode: the state names hosts and accounts.
        if chmod(path, 0o700) != 0 {
            throw EngineError.stateDirectoryUnusable(path: path, reason: "its mode cannot be set to 0700 (\(String(cString: strerror(errno))))")
        }
    }

    /// Creates `file` with mode 0600 if it is missing, and tightens it if it exists; never through a symbolic link.
    static func ensurePrivateFile(_ file: String) throws {
        let descriptor = open(file, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else {
            throw EngineError.fileUnwritable(path: file, reason: String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        guard fchmod(descriptor, 0o600) == 0 else {
            throw EngineError.fileUnwritable(path: file, reason: String(cString: strerror(errno)))
        }
    }

    private static func reason(_ error: Error) -> String {
        (error as NSError).localizedFailureReason ?? (error as NSError).localizedDescription
    }
}
