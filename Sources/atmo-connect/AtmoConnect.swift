import ArgumentParser
import Foundation
import TerminalUI

/// The atmo-connect command: with no subcommand, the full-screen wizard.
@main
struct AtmoConnect: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "atmo-connect",
        abstract: "Connect an OpenStack cloud to Atmosphere, checking the real cloud at every step.",
        discussion: ExitStatus.helpText,
        version: version,
        subcommands: [Apply.self, Status.self, Sessions.self, Export.self, Reset.self]
    )

    mutating func run() async throws {
        let probe = TerminalProbe.check()
        let reason = probe.refusal ?? "the full-screen wizard is not part of this build yet"
        let text = """
            atmo-connect: cannot start the full-screen wizard: \(reason).
              Use the headless commands instead:
                atmo-connect apply --answers FILE   run the steps unattended
                atmo-connect status                 show each step's status
                atmo-connect export --answers FILE  write the answers to a file to edit
              See atmo-connect --help.

            """
        FileHandle.standardError.write(Data(text.utf8))
        throw ExitStatus.noTerminal.code
    }
}
