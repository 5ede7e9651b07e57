import Foundation
import StepEngine
import TerminalUI
import Wizard

extension TUIApp {
    /// Performs an effect: what touches the state database goes to the store's queue, in order; the rest is the
    /// drawing thread's.
    func perform(_ effect: WizardEffect) {
        switch effect {
        case .cancelRun, .quit: worker.cancelRun()
        case .redraw: terminal.forceFullRedraw()
        case .suspend: terminal.suspend()
        default: worker.submit(effect)
        }
    }
}

extension FindingRow {
    /// The table row for an engine finding.
    init(_ finding: Finding) {
        let level: Level =
            switch finding.severity {
            case .ok: .ok
            case .info: .info
            case .warning: .warning
            case .failure: .failure
            }
        self.init(level: level, target: finding.target, text: finding.observed, remedy: finding.remedy)
    }
}

/// One line for an error shown inside the TUI.
enum OperatorMessage {
    static func describe(_ error: Error) -> String {
        (error as? any Problem).map { "\($0.message) \($0.remedy)" } ?? Redactor.shared.redact(String(describing: error))
    }
}
