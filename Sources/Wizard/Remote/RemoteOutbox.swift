import AtmosphereKit
import Foundation
import StepEngine

/// The outputs folder of remote mode: each block saved as STEP.sh (0600) for copying, and STEP.txt, the output the
/// operator saves there for `apply` to read.
struct RemoteOutbox: CapabilityInputs {
    /// The folder, `~` expanded.
    let directory: String
    private let owner: any FindingOwner
    /// Whether this run still holds the state (a displaced run writes nothing there).
    private var proceed: @Sendable () -> Bool = { true }

    init(_ answers: InputReader) {
        directory = answers.path("atmosphere.remote_outputs") ?? ""
        owner = answers.owner
    }

    /// The outputs folder as `answers` name it.
    init(_ answers: AnswerReader) {
        self.init(InputReader(answers: answers, owner: FindingSource.remoteOutput, secrets: { _ in nil }))
    }

    /// The outputs folder of `run`, writing only while the run holds the state.
    init(_ run: StepContext) {
        self.init(run.answers)
        let store = run.engine.store
        proceed = { store.stillHoldsLock() }
    }

    /// The output saved for `step`, if there is one, in a folder that is this user's alone (else none: another user
    /// could have put it there).
    func savedOutput(step: String) -> String? {
        guard (try? PrivateDirectory.inspect(directory)) == true, let output = ownFile(directory + "/\(step).txt") else { return nil }
        return try? String(contentsOfFile: output.path, encoding: .utf8)
    }

    /// The output saved for the block of `instructions`: only once that very block was saved (STEP.sh holds it) and
    /// written after it, so an output saved before the block was shown, or for another block, answers nothing.
    func savedOutput(answering instructions: RemoteInstructions) -> String? {
        guard let block = ownFile(directory + "/\(instructions.step).sh"), let output = ownFile(directory + "/\(instructions.step).txt"),
            (try? String(contentsOfFile: block.path, encoding: .utf8)) == instructions.script + "\n", output.modified >= block.modified
        else { return nil }
        return savedOutput(step: instructions.step)
    }

    /// The instructions with their block saved as STEP.sh (0600; left as it is when it holds this block already), and
    /// the STEP.txt `apply` reads. A folder that is not this user's alone holds neither, and the instructions say so.
    func saved(_ instructions: RemoteInstructions) -> RemoteInstructions {
        var instructions = instructions
        guard proceed() else {
            instructions.notes.append("The block is not saved in \(directory): another atmo-connect took the state over; copy it from here.")
            return instructions
        }
        do {
            try FileManager.default.createDirectory(
                atPath: (directory as NSString).deletingLastPathComponent, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try PrivateDirectory.ensure(directory)
        } catch {
            let reason = (error as? PrivateDirectory.Problem)?.reason ?? error.localizedDescription
            instructions.notes.append(
                "The block is not saved in \(directory), and no output saved there is read: \(reason). Make it a folder only you may enter "
                    + "(chmod 700) or choose another (atmosphere.remote_outputs); until then paste the output here.")
            return instructions
        }
        let scriptFile = directory + "/\(instructions.step).sh"
        let text = instructions.script + "\n"
        do {
            if (try? String(contentsOfFile: scriptFile, encoding: .utf8)) != text { try AnswersFile.writePrivately(text, to: scriptFile) }
            instructions.scriptFile = scriptFile
        } catch {
            instructions.notes.append("Could not save the block to \(scriptFile) (\(error.localizedDescription)); copy it from here.")
        }
        instructions.outputFile = directory + "/\(instructions.step).txt"
        return instructions
    }

    /// A regular file of this user's at `path` (no link), and when it was last written.
    private func ownFile(_ path: String) -> (path: String, modified: timespec)? {
        var info = stat()
        guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_uid == geteuid() else { return nil }
        return (path, info.st_mtim)
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
        guard masked != output.text, proceed() else { return [] }
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

extension timespec {
    /// Whether this time is no earlier than `other`.
    static func >= (lhs: timespec, rhs: timespec) -> Bool {
        lhs.tv_sec != rhs.tv_sec ? lhs.tv_sec > rhs.tv_sec : lhs.tv_nsec >= rhs.tv_nsec
    }
}
