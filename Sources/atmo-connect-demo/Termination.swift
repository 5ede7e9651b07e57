import Dispatch
import Foundation

/// SIGTERM, SIGINT and SIGHUP end the demo cloud as a quit: its folder is removed and its servers stop.
enum Termination {
    nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []
    nonisolated(unsafe) private static var received = false
    nonisolated(unsafe) private static var waiting: CheckedContinuation<Void, Never>?
    private static let lock = NSLock()

    /// Takes the signals over from now on, before anything is made: one that arrives while the cloud starts is kept, and
    /// `wait()` then returns at once, so the caller's clean-up runs instead of the default action ending the process.
    static func install() {
        for number in [SIGTERM, SIGINT, SIGHUP] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                lock.lock()
                received = true
                let continuation = waiting
                waiting = nil
                lock.unlock()
                continuation?.resume()
            }
            source.resume()
            sources.append(source)
        }
    }

    /// Returns once one of the signals has arrived (at once if one already has).
    static func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            lock.lock()
            if received {
                lock.unlock()
                continuation.resume()
                return
            }
            waiting = continuation
            lock.unlock()
        }
    }
}
