import Dispatch
import Foundation

/// SIGTERM, SIGINT and SIGHUP while the wizard holds the terminal: each is noted, and the wizard ends as if the
/// operator had quit (the terminal given back, the open step saved, and whatever the command set up removed, such as
/// the demo's folders), instead of the process dying in raw mode with its temporary files left behind.
/// Ctrl-C typed in the wizard is a key (raw mode), not SIGINT: this is for signals sent from outside.
public final class StopSignals: @unchecked Sendable {
    /// The one set for the process (a signal's disposition is process-wide).
    public static let shared = StopSignals()

    private let lock = NSLock()
    private var sources: [DispatchSourceSignal] = []
    private var first: Int32?

    private init() {}

    /// Takes the signals over: they are noted, no longer fatal. Idempotent.
    public func install() {
        lock.lock()
        defer { lock.unlock() }
        guard sources.isEmpty else { return }
        for number in [SIGTERM, SIGINT, SIGHUP] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in self?.note(number) }
            source.resume()
            sources.append(source)
        }
    }

    /// The first signal received, if any.
    public var received: Int32? {
        lock.lock()
        defer { lock.unlock() }
        return first
    }

    private func note(_ number: Int32) {
        lock.lock()
        defer { lock.unlock() }
        if first == nil { first = number }
    }
}
