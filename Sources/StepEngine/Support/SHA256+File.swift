import AtmoModel
import Foundation

extension SHA256 {
    /// The hex digest of a file's contents, read in chunks.
    public static func hex(ofFileAt path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw EngineError.fileUnreadable(path: path, reason: String(cString: strerror(errno)))
        }
        defer { try? handle.close() }
        var digest = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 16), !chunk.isEmpty { digest.update(chunk) }
        return digest.finalizeHex()
    }
}
