import Foundation

/// A file written whole or not at all, never through a link: a new file made with O_CREAT|O_EXCL|O_NOFOLLOW under a
/// random name in the target's directory, written, fsynced and renamed over the target. A target that is a symbolic
/// link or not a regular file is refused, saying what it is; nothing another user planted is followed.
public enum PrivateFile {
    /// Why a file could not be written.
    public struct WriteError: Problem, Equatable, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { message }
        /// Which file, and why.
        public var message: String { "\(path) cannot be written: \(reason)" }
        /// What to do about it.
        public var remedy: String {
            "Check that you may write to \((path as NSString).deletingLastPathComponent) (run as its owner) and what is at \(path), or choose another path."
        }

        /// Why `path` cannot be written.
        public init(path: String, reason: String) {
            self.path = path
            self.reason = reason
        }
    }

    /// Writes text readable by its owner alone (0600).
    public static func write(_ text: String, to path: String) throws(WriteError) {
        try write(text, to: path, mode: 0o600)
    }

    /// Writes text with `mode`, replacing the target atomically, so a reader never sees half a file.
    public static func write(_ text: String, to path: String, mode: mode_t) throws(WriteError) {
        let target = (path as NSString).expandingTildeInPath
        try refuseUnlessRegular(target)
        let directory = (target as NSString).deletingLastPathComponent
        let base = (target as NSString).lastPathComponent
        var temporary = ""
        var descriptor: Int32 = -1
        for _ in 0..<16 {
            temporary = (directory.isEmpty ? "" : directory + "/") + temporaryPrefix(of: base) + randomName()
            descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
            if descriptor >= 0 || errno != EEXIST { break }
        }
        guard descriptor >= 0 else { throw WriteError(path: target, reason: String(cString: strerror(errno))) }
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress.map { $0 + written }, $0.count - written) }
            if count <= 0 { break }
            written += count
        }
        // The mode asked for, whatever the umask took away.
        let complete = written == bytes.count && fchmod(descriptor, mode) == 0 && fsync(descriptor) == 0
        let reason = complete ? "" : String(cString: strerror(errno))
        close(descriptor)
        guard complete else {
            unlink(temporary)
            throw WriteError(path: target, reason: reason)
        }
        guard rename(temporary, target) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw WriteError(path: target, reason: reason)
        }
    }

    /// Refuses a target that exists and is not a regular file (a symbolic link is named with what it points to).
    public static func refuseUnlessRegular(_ path: String) throws(WriteError) {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            if errno == ENOENT { return }
            throw WriteError(path: path, reason: String(cString: strerror(errno)))
        }
        if info.st_mode & S_IFMT == S_IFLNK {
            let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "?"
            throw WriteError(path: path, reason: "it is a symbolic link to \(target); atmo-connect does not write through links (remove it, or choose another path)")
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw WriteError(path: path, reason: "it is not a regular file; atmo-connect writes only files (choose another path)")
        }
    }

    /// The name a write to `base` makes first, before the random part.
    private static func temporaryPrefix(of base: String) -> String { ".\(base).atmo-connect-" }

    /// The files a write to `path` that never reached its rename left beside it (a crash between the two): the names
    /// this writer makes for that path alone, so nothing else is named. A folder that is not there holds none; one that
    /// cannot be read is an error, never "none".
    public static func leftovers(of path: String) throws(WriteError) -> [String] {
        let directory = (path as NSString).deletingLastPathComponent
        let prefix = temporaryPrefix(of: (path as NSString).lastPathComponent)
        let folder = directory.isEmpty ? "." : directory
        var info = stat()
        if lstat(folder, &info) != 0 && errno == ENOENT { return [] }
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: folder) } catch {
            throw WriteError(path: folder, reason: "its files cannot be listed (\(error.localizedDescription))")
        }
        return names.filter { name in
            guard name.hasPrefix(prefix) else { return false }
            let random = name.dropFirst(prefix.count)
            return random.count == 12 && random.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) }
        }.sorted().map { (directory.isEmpty ? "" : directory + "/") + $0 }
    }

    private static func randomName() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<12).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }
}
