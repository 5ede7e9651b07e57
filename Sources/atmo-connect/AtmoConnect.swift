import ArgumentParser
import Foundation
import StepEngine

/// The atmo-connect command: with no subcommand, the full-screen wizard.
@main
struct AtmoConnect: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "atmo-connect",
        abstract: "Connect an OpenStack cloud to Atmosphere, checking the real cloud at every step.",
        discussion: ExitStatus.helpText,
        version: version,
        // Every subcommand names itself (commandName): a name derived from the type's, ArgumentParser demangles at
        // each start, a fifth of `status`'s instructions.
        subcommands: [RunWizard.self, Check.self, Apply.self, Status.self, Sessions.self, Export.self, Reset.self, Demo.self],
        defaultSubcommand: RunWizard.self
    )

    /// Routes every logger to the state's log file before anything logs (swift-log's default prints to standard
    /// output), then runs the command as ArgumentParser's own `main` would.
    static func main() async {
        FileLogHandler.bootstrapProcess()
        do {
            var command = try parseAsRoot()
            if var asynchronous = command as? AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
