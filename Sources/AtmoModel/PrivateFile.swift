import Foundation

/// A file only its owner may read (mode 0600), written whole or not at all.
public enum PrivateFile {
    /// Why a private file could not be written.
    public struct WriteError: Error, Sendable, Equatable, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "\(path) cannot be written: \(reason)" }
    }

    /// Writes text to a new file with mode 0600, replacing it atomically, so a reader never sees half a file.
    public static func write(_ text: String, to path: String) throws(WriteError) {
        let expanded = (path as NSString).expandingTildeInPath
        let temporary = expanded + ".tmp-\(getpid())"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw WriteError(path: expanded, reason: String(cString: strerror(errno))) }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        let synced = fsync(descriptor) == 0
        close(descriptor)
        guard written == bytes.count, synced, rename(temporary, expanded) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw WriteError(path: expanded, reason: reason)
        }
    }
}
