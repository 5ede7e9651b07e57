import Foundation
import Logging

/// A swift-log handler that appends redacted lines to a 0600 file: never to a terminal the TUI owns.
public struct FileLogHandler: LogHandler {
    private final class Sink: @unchecked Sendable {
        let descriptor: Int32
        let lock = NSLock()
        init(descriptor: Int32) { self.descriptor = descriptor }
        func write(_ line: String) {
            lock.lock(); defer { lock.unlock() }
            let bytes = Array(line.utf8)
            _ = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        }
    }

    private let sink: Sink
    private let label: String
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]

    /// Opens (creating with mode 0600) the log file for appending.
    public static func opening(path: String) throws -> @Sendable (String) -> FileLogHandler {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else { throw EngineError.fileUnwritable(path: path, reason: String(cString: strerror(errno))) }
        _ = fchmod(descriptor, 0o600)
        let sink = Sink(descriptor: descriptor)
        return { label in FileLogHandler(sink: sink, label: label) }
    }

    private init(sink: Sink, label: String) {
        self.sink = sink
        self.label = label
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        let context = merged.isEmpty ? "" : " " + merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let stamp = ISO8601DateFormatter().string(from: Date())
        let line = "\(stamp) \(event.level) [\(label)] \(event.message)\(context)\n"
        sink.write(Redactor.shared.redact(line))
    }
}
