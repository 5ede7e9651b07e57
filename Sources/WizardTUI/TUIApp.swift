import Foundation
import StepEngine
import TerminalUI
import Wizard

/// Runs the full-screen wizard: one thread draws and reads keys; step runs happen in the background and post back.
public final class TUIApp {
    let terminal: Terminal
    let catalog: WizardCatalog
    let store: StateStore
    public let reducer: WizardReducer
    let view: WizardView
    public private(set) var state: WizardState
    let inbox = Inbox()
    /// Where every read and write of the state database happens, off this thread.
    let worker: StoreWorker
    let frameTrace: FileHandle?
    /// The time now: the run limit is measured with it (tests pass a clock of their own).
    let clock: @Sendable () -> Date
    /// Whether to end now, as if the operator quit (a SIGTERM, for instance).
    let stopRequested: @Sendable () -> Bool

    /// Prepares the wizard over an open store; `sessionName` picks a session instead of the current one.
    public init(
        terminal: Terminal, catalog: WizardCatalog, store: StateStore, sessionName: String? = nil,
        answersFile: AnswersFile? = nil,
        frameTracePath: String? = ProcessInfo.processInfo.environment["ATMO_CONNECT_FRAME_TRACE"],
        clock: @escaping @Sendable () -> Date = { Date() },
        stopRequested: @escaping @Sendable () -> Bool = { false }
    ) throws {
        self.terminal = terminal
        self.clock = clock
        self.stopRequested = stopRequested
        self.catalog = catalog
        self.store = store
        reducer = WizardReducer(catalog: catalog)
        view = WizardView(catalog: catalog)
        state = reducer.initialState()
        worker = StoreWorker(store: store, catalog: catalog, inbox: inbox)
        frameTrace = frameTracePath.flatMap { path in
            _ = FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
            return FileHandle(forWritingAtPath: path)
        }
        let session =
            try sessionName.map { name in
                guard let found = try store.session(named: name) else {
                    throw EngineError.sessionNotFound(name: name, known: try store.sessions().map(\.name))
                }
                return found
            } ?? store.currentSession()
        if let session {
            try worker.open(session, offerResume: answersFile == nil, file: answersFile)
            processPendingEvents()
        }
    }

    /// Shows the wizard until the operator quits; returns when they do.
    public func run() {
        draw()
        while !state.finished {
            // The store's results are looked for soon while it works; an idle form waits longer for a key.
            let timeout = worker.isBusy ? 20 : (state.running == nil ? 250 : 100)
            if let key = terminal.nextKey(timeoutMilliseconds: timeout) {
                let started = DispatchTime.now().uptimeNanoseconds
                handle(key)
                draw()
                trace(since: started)
            }
            var changed = processPendingEvents()
            if state.running != nil {
                dispatch(.tick(clock()))
                changed = true
            }
            if changed { draw() }
            if stopRequested() {
                // A step still running is cancelled; its attempt reads as interrupted on the next start.
                worker.cancelRun()
                break
            }
        }
        // Ended by a signal: what was half-typed is saved too (quitting saved it already).
        if !state.finished { for effect in reducer.pendingEdit(state) { perform(effect) } }
        worker.keepOpenStep(state.currentStep)
    }

    /// A key as the operator pressed it now: the clock is read first, so a run the key starts is timed from this
    /// moment, not from the last tick (ticks come only while a step runs, and a form can take minutes).
    public func handle(_ key: KeyEvent) {
        dispatch(.tick(clock()))
        dispatch(.key(key))
    }

    /// Dispatches what background work posted (finished steps); returns whether there was anything.
    @discardableResult
    public func processPendingEvents() -> Bool {
        let events = inbox.drain()
        for event in events {
            dispatch(event)
            if case .stepFinished = event { worker.submitRefresh() }
        }
        return !events.isEmpty
    }

    /// Waits until the state database's work is done and what it posted is taken in, including the work that brought
    /// about (tests).
    public func settle() {
        repeat { worker.settle() } while processPendingEvents() || worker.isBusy
    }

    /// Feeds one event through the reducer and performs its effects (for tests and the loop).
    public func dispatch(_ event: WizardEvent) {
        let (next, effects) = reducer.reduce(state, event)
        state = next
        for effect in effects { perform(effect) }
    }

    func draw() {
        let size = terminal.size
        if state.size != TerminalSize(rows: size.rows, columns: size.columns) {
            dispatch(.resized(TerminalSize(rows: size.rows, columns: size.columns)))
        }
        terminal.present(view.render(state, rows: size.rows, columns: size.columns))
    }

    private func trace(since started: UInt64) {
        guard let frameTrace else { return }
        let micros = (DispatchTime.now().uptimeNanoseconds - started) / 1000
        frameTrace.write(Data("\(micros)\n".utf8))
    }
}

/// Events posted from background work to the drawing thread.
final class Inbox: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [WizardEvent] = []

    func post(_ event: WizardEvent) {
        lock.lock(); defer { lock.unlock() }
        events.append(event)
    }

    func drain() -> [WizardEvent] {
        lock.lock(); defer { lock.unlock() }
        defer { events.removeAll() }
        return events
    }
}
