import ArgumentParser
import Foundation

/// The atmo-connect command: with no subcommand, the full-screen wizard.
@main
struct AtmoConnect: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "atmo-connect",
        abstract: "Connect an OpenStack cloud to Atmosphere, checking the real cloud at every step.",
        discussion: ExitStatus.helpText,
        version: version,
        subcommands: [RunWizard.self, Check.self, Apply.self, Status.self, Sessions.self, Export.self, Reset.self, Demo.self],
        defaultSubcommand: RunWizard.self
    )
}
