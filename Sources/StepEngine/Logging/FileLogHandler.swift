import Foundation
import Logging

/// A swift-log handler that appends redacted lines to a 0600 file: never to a terminal the TUI owns.
public struct FileLogHandler: LogHandler {
    private final class Sink: @unchecked Sendable {
        private var descriptor: Int32
        private let lock = NSLock()
        init(descriptor: Int32) { self.descriptor = descriptor }
        /// Points the sink at an open file (the process's sink is closed until a command knows its state directory).
        func attach(_ opened: Int32) {
            lock.lock(); defer { lock.unlock() }
            descriptor = opened
        }
        /// Whether a line would go anywhere (the process's sink is closed until its file is open).
        var isOpen: Bool {
            lock.lock(); defer { lock.unlock() }
            return descriptor >= 0
        }
        func write(_ line: String) {
            lock.lock(); defer { lock.unlock() }
            // Before a log file is open, a line goes nowhere: never to standard output (a JSON document, the wizard's screen).
            guard descriptor >= 0 else { return }
            let bytes = Array(line.utf8)
            _ = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        }
    }

    /// The process's own sink, closed until `openProcessLog(path:)`.
    private static let processSink = Sink(descriptor: -1)

    /// Makes every logger of the process write to the process's log file, once it is open, and nowhere before: swift-log's
    /// default would print to standard output. Call once, first thing.
    public static func bootstrapProcess() {
        LoggingSystem.bootstrap { label in FileLogHandler(sink: processSink, label: label) }
    }

    /// Opens (creating with mode 0600) the process's log file; lines logged from now on go there.
    public static func openProcessLog(path: String) throws {
        processSink.attach(try openForAppending(path))
    }

    private let sink: Sink
    private let label: String
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]

    /// Opens (creating with mode 0600) the log file for appending.
    public static func opening(path: String) throws -> @Sendable (String) -> FileLogHandler {
        let sink = Sink(descriptor: try openForAppending(path))
        return { label in FileLogHandler(sink: sink, label: label) }
    }

    private static func openForAppending(_ path: String) throws -> Int32 {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else { throw EngineError.fileUnwritable(path: path, reason: String(cString: strerror(errno))) }
        _ = fchmod(descriptor, 0o600)
        return descriptor
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
        // Nothing is formatted (or searched for secrets) for a line that would go nowhere.
        guard sink.isOpen else { return }
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        let context = merged.isEmpty ? "" : " " + merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let stamp = TimeText.iso8601(Date())
        let line = "\(stamp) \(event.level) [\(label)] \(event.message)\(context)\n"
        sink.write(Redactor.shared.redact(line))
    }
}
