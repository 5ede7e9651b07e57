import Foundation
import StepEngine

/// The screens, the plan built from them, and the registry they were checked against.
public struct WizardCatalog: Sendable {
    public let screens: [Screen]
    public let plan: Plan
    public let registry: CapabilityRegistry

    /// Loads the built-in screens, or those in `directory`, and checks every id they name.
    public static func load(directory: String? = nil, registry: CapabilityRegistry = .standard) throws -> WizardCatalog {
        let screens = try directory.map(ScreenLoader.load(directory:)) ?? ScreenLoader.embedded()
        return try WizardCatalog(screens: screens, registry: registry)
    }

    /// Checks screens against the registry: a screen may not name an unknown check, action, derivation or generator.
    public init(screens: [Screen], registry: CapabilityRegistry = .standard) throws {
        for screen in screens {
            for (field, ids) in [("checks", screen.checks), ("actions", screen.actions)] {
                for id in ids {
                    guard let capability = registry[id] else {
                        throw LocatedProblem(
                            path: screen.file, line: nil, key: field, problem: "\(id) is not a registered check or action",
                            remedy: "Use one of: \(registry.capabilities.keys.sorted().joined(separator: ", ")).")
                    }
                    let expected: Capability.Kind = field == "checks" ? .check : .action
                    guard capability.kind == expected else {
                        throw LocatedProblem(
                            path: screen.file, line: nil, key: field, problem: "\(id) is an \(capability.kind.rawValue), not a \(expected.rawValue)",
                            remedy: "Move it under \(capability.kind == .check ? "checks" : "actions").")
                    }
                }
            }
            for input in screen.inputs {
                if let derive = input.derive, DefaultProviders.derivations[derive] == nil {
                    throw LocatedProblem(
                        path: screen.file, line: nil, key: "\(input.key).derive", problem: "\(derive) is not a registered derivation",
                        remedy: "Use one of: \(DefaultProviders.derivations.keys.sorted().joined(separator: ", ")).")
                }
                if let generate = input.generate, DefaultProviders.generators[generate] == nil {
                    throw LocatedProblem(
                        path: screen.file, line: nil, key: "\(input.key).generate", problem: "\(generate) is not a registered generator",
                        remedy: "Use one of: \(DefaultProviders.generators.keys.sorted().joined(separator: ", ")).")
                }
            }
        }
        self.screens = screens
        self.registry = registry
        plan = try Plan(steps: screens.map(\.step))
    }

    /// Registered ids that no screen uses: dead code, or a screen that forgot a check.
    public var unusedCapabilityIDs: [String] {
        let used = Set(screens.flatMap(\.capabilityIDs))
        return registry.capabilities.keys.filter { !used.contains($0) }.sorted()
    }

    /// The screen with this id.
    public func screen(_ id: String) -> Screen? { screens.first { $0.id == id } }

    /// What the screen's checks and actions do, in the screen's order (checks, then actions), for those that are built.
    func capabilities(of screen: Screen) -> [any StepCapability] {
        screen.capabilityIDs.compactMap { registry.behaviour($0) }
    }

    /// Whether a step runs with no limit on its length: booting a server, or adding as many users as it is given.
    public func runsWithoutLimit(_ screen: Screen) -> Bool {
        capabilities(of: screen).contains { !$0.descriptor.traits.isDisjoint(with: [.takesAsLongAsTheCloud, .takesAsLongAsItsWork]) }
    }

    /// Whether running the screen may propose changes to approve, as `values` stand, or only checks (the button's words).
    public func mayChange(_ screen: Screen, values: [String: AnswerValue]) -> Bool {
        capabilities(of: screen).contains { capability in
            capability.mayChange(InputReader(answers: AnswerReader(answers: values), owner: capability, secrets: { _ in nil }))
        }
    }

    /// The capabilities a screen runs that do not exist yet.
    public func unavailableCapabilities(of screen: Screen) -> [Capability] {
        screen.capabilityIDs.compactMap { registry[$0] }.filter { $0.availability != .available }
    }

    /// One export section per screen.
    public var answerSections: [AnswerSection] {
        screens.map { AnswerSection(title: $0.title, inputs: $0.inputs) }
    }
}
