import Foundation

/// A directory only this user may enter (0700, owned by us, no symbolic link): where runtime files live, so that no
/// other user can plant or read what atmo-connect keeps there.
public enum PrivateDirectory {
    /// Why a directory cannot be used.
    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        public var path: String
        public var reason: String
        /// What the operator does about it.
        public var remedy: String { "Remove \(path) (or give it to this user with mode 0700), then run atmo-connect again." }
        public var description: String { "\(path) cannot hold atmo-connect's runtime files: \(reason). \(remedy)" }

        /// A problem with `path`.
        public init(path: String, reason: String) {
            self.path = path
            self.reason = reason
        }
    }

    /// Makes `path` (0700) when it is missing; else checks that it is a real directory owned by this user that nobody
    /// else may enter. Never loosens or takes over one that is not: that is refused with what was found.
    public static func ensure(_ path: String) throws(Problem) {
        if mkdir(path, 0o700) != 0 && errno != EEXIST {
            throw Problem(path: path, reason: "it cannot be created (\(String(cString: strerror(errno))))")
        }
        guard try inspect(path) else { throw Problem(path: path, reason: "it went away while it was checked") }
    }

    /// Checks `path` as `ensure` does, making nothing: false when there is nothing there, true when it is a directory
    /// of this user's that nobody else may enter; anything else is refused with what was found.
    public static func inspect(_ path: String) throws(Problem) -> Bool {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            if errno == ENOENT { return false }
            throw Problem(path: path, reason: String(cString: strerror(errno)))
        }
        if info.st_mode & S_IFMT == S_IFLNK {
            let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "?"
            throw Problem(path: path, reason: "it is a symbolic link to \(target)")
        }
        guard info.st_mode & S_IFMT == S_IFDIR else { throw Problem(path: path, reason: "it is not a directory") }
        guard info.st_uid == geteuid() else {
            throw Problem(path: path, reason: "it belongs to user id \(info.st_uid), not to you (\(geteuid()))")
        }
        guard info.st_mode & 0o077 == 0 else {
            throw Problem(path: path, reason: "others may enter it (mode \(String(info.st_mode & 0o777, radix: 8)))")
        }
        return true
    }
}
