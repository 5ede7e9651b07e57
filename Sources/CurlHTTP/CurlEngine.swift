import CCurl
import Foundation

/// One thread running a curl multi loop; every request of the process goes through it.
final class CurlEngine: @unchecked Sendable {
    /// The engine, started on the first request; nil when libcurl could not be loaded (`HTTPFailure.curlUnavailable`).
    static let shared = CurlEngine()

    private let multi: UnsafeMutableRawPointer
    private let lock = NSLock()
    private var incoming: [Transfer] = []
    private var cancelling: [Transfer] = []
    private var active: [UnsafeMutableRawPointer: Transfer] = [:]

    /// Why the engine could not start, for the operator.
    static var unavailableReason: String {
        ccurl_load() == 1 ? "libcurl could not create a multi handle (out of memory?)" : String(cString: ccurl_load_error())
    }

    private init?() {
        guard ccurl_load() == 1 else { return nil }
        ccurl_global_init(Int(CURL_GLOBAL_DEFAULT))
        guard let multi = ccurl_multi_init() else { return nil }
        self.multi = multi
        let thread = Thread { [unowned self] in self.loop() }
        thread.name = "atmo-connect.curl"
        thread.start()
    }

    /// Runs a transfer to its end. Cancelling the task aborts the transfer.
    func perform(_ transfer: Transfer) async -> Transfer.Outcome {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                transfer.wait(continuation)
                lock.lock()
                incoming.append(transfer)
                lock.unlock()
                ccurl_multi_wakeup(multi)
            }
        } onCancel: {
            lock.lock()
            cancelling.append(transfer)
            lock.unlock()
            ccurl_multi_wakeup(multi)
        }
    }

    private func loop() {
        while true {
            lock.lock()
            let added = incoming
            incoming.removeAll()
            let cancelled = cancelling
            cancelling.removeAll()
            lock.unlock()
            for transfer in added {
                active[transfer.handle] = transfer
                ccurl_multi_add_handle(multi, transfer.handle)
            }
            for transfer in cancelled { transfer.cancelled = true }
            var running: Int32 = 0
            ccurl_multi_perform(multi, &running)
            var queued: Int32 = 0
            while let message = ccurl_multi_info_read(multi, &queued) {
                guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle,
                    let transfer = active.removeValue(forKey: easy)
                else { continue }
                let code = message.pointee.data.result
                ccurl_multi_remove_handle(multi, easy)
                transfer.finish(code: code)
            }
            ccurl_multi_poll(multi, nil, 0, 1000, nil)
        }
    }
}
