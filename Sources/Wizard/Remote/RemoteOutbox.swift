import AtmosphereKit
import Foundation
import StepEngine

/// The outputs folder of remote mode: each block saved as STEP.sh (0600) for copying, and STEP.txt, the output the
/// operator saves there for `apply` to read.
struct RemoteOutbox: CapabilityInputs {
    /// The folder, `~` expanded.
    let directory: String
    private let owner: any FindingOwner

    init(_ answers: InputReader) {
        directory = answers.path("atmosphere.remote_outputs") ?? ""
        owner = answers.owner
    }

    /// The outputs folder as `answers` name it.
    init(_ answers: AnswerReader) {
        self.init(InputReader(answers: answers, owner: FindingSource.remoteOutput, secrets: { _ in nil }))
    }

    /// The output saved for `step`, if there is one.
    func savedOutput(step: String) -> String? {
        try? String(contentsOfFile: directory + "/\(step).txt", encoding: .utf8)
    }

    /// The instructions with their block saved as STEP.sh (0600), and the STEP.txt `apply` reads.
    func saved(_ instructions: RemoteInstructions) -> RemoteInstructions {
        var instructions = instructions
        let scriptFile = directory + "/\(instructions.step).sh"
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try AnswersFile.writePrivately(instructions.script + "\n", to: scriptFile)
            instructions.scriptFile = scriptFile
        } catch {
            instructions.notes.append("Could not save the block to \(scriptFile) (\(error.localizedDescription)); copy it from here.")
        }
        instructions.outputFile = directory + "/\(instructions.step).txt"
        return instructions
    }

    /// Reads the output pasted back through the capability whose block it ran; keeps it (secrets masked) in the journal.
    func check(_ raw: String, by server: any AtmosphereServerCapability, run: StepContext) -> [Finding] {
        let output = RemoteOutput(raw)
        var findings: [Finding] = []
        do { try run.journal(server).record(.remoteOutput, output.redacted) } catch { findings.append(error.finding) }
        findings +=
            output.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
            ? [
                server.failure(
                    target: "output from the Atmosphere server", observed: "nothing was pasted",
                    remedy: "Run the block on the Atmosphere server and paste everything it printed.")
            ]
            : server.readRemote(output, run: run)
        return findings + maskSavedOutput(step: run.screen.id, raw: raw, output: output)
    }

    /// The output saved for `apply` (STEP.txt) holds what the server printed, the provider review's password and secret
    /// among it: once read, it is rewritten masked (0600), and the operator is told.
    private func maskSavedOutput(step: String, raw: String, output: RemoteOutput) -> [Finding] {
        let path = directory + "/\(step).txt"
        guard let saved = try? String(contentsOfFile: path, encoding: .utf8), saved == raw else { return [] }
        let masked = output.redacted
        guard masked != output.text else { return [] }
        let source = FindingSource.remoteOutput
        do {
            try AnswersFile.writePrivately(masked, to: path)
            return [
                source.info(
                    target: path,
                    observed:
                        "it held secrets as the server printed them (the provider review shows the password and the secret): masked in place, mode 0600")
            ]
        } catch {
            unlink(path)
            return [
                source.warning(
                    target: path, observed: "it held secrets and could not be rewritten masked (\(error.localizedDescription)): removed",
                    remedy: "")
            ]
        }
    }
}
