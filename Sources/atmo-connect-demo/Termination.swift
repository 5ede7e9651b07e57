import Dispatch
import Foundation

/// Waits for SIGTERM or SIGINT, for commands that serve until they are told to stop.
enum Termination {
    nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []

    /// Returns once either signal arrives; their default action (ending the process at once) is replaced for good,
    /// so that the caller's clean-up runs.
    static func wait() async {
        let resumed = NSLock()
        nonisolated(unsafe) var done = false
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            for number in [SIGTERM, SIGINT] {
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler {
                    resumed.lock()
                    defer { resumed.unlock() }
                    guard !done else { return }
                    done = true
                    continuation.resume()
                }
                source.resume()
                sources.append(source)
            }
        }
    }
}
