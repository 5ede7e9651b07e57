import AtmoModel
import Foundation

/// Runs `add_new_provider.py --from-json` through a pseudo-terminal, answering its prompts by their text for both generations.
public enum AddProviderScript {
    /// How the run ended.
    public struct Outcome: Sendable {
        public var succeeded: Bool
        /// The identity line the script printed on success.
        public var created: String?
        public var findings: [Finding]
        /// Everything the script printed, with every secret masked: safe to log or report.
        public var transcript: String
        public var exitStatus: Int32
    }

    static let id = "atmosphere.add-provider"

    /// Runs the script of `install` on the JSON at `jsonPath` (written from `settings`).
    public static func run(
        install: AtmosphereInstall, jsonPath: String, settings: ProviderSettings,
        environment extra: [String: String] = [:], timeout: TimeInterval = 300
    ) throws -> Outcome {
        let environment = install.scriptEnvironment(extra)
        let log = AtmosphereLog(install: install)
        let process = try PseudoTerminalProcess(
            executable: install.virtualenv + "/bin/python",
            arguments: ["scripts/add_new_provider.py", "--from-json", jsonPath],
            environment: environment, directory: install.checkout)
        let secrets = [settings.adminPassword.reveal(), settings.secret.reveal()]
        var output = ""
        var pending = ""
        var connectionFailed = false
        var unexpected: String?
        let deadline = Date().addingTimeInterval(timeout)
        while let raw = process.read(timeout: 0.5) {
            // The terminal turns \n into \r\n.
            let chunk = raw.replacingOccurrences(of: "\r\n", with: "\n")
            output += chunk
            pending += chunk
            if pending.contains("Could not create an account driver for the new Provider") { connectionFailed = true }
            if let answer = answer(to: pending, settings: settings, connectionFailed: connectionFailed, generation: install.generation) {
                if answer == "\u{3}" { process.interrupt() } else { process.send(answer) }
                pending = ""
            } else if chunk.isEmpty, let prompt = openPrompt(pending) {
                // Only once the output has gone quiet: a partial line of the review can end in ":" too.
                unexpected = prompt
                process.interrupt()
                pending = ""
            }
            if Date() > deadline {
                process.interrupt()
                _ = process.wait()
                throw ScriptError.timedOut("add_new_provider.py", seconds: Int(timeout))
            }
        }
        let status = process.wait()
        let transcript = redact(output, secrets: secrets)
        let logged = redact(log.newText(), secrets: secrets)
        return interpret(
            transcript: transcript, status: status, connectionFailed: connectionFailed, unexpected: unexpected, settings: settings,
            loggedCause: AtmosphereLog.lastException(in: logged))
    }

    /// The answer to the prompt `pending` ends with, if it is one the wizard knows.
    static func answer(to pending: String, settings: ProviderSettings, connectionFailed: Bool, generation: AtmosphereGeneration) -> String? {
        let tail = pending.suffix(200)
        if tail.hasSuffix("Does everything above look correct? [Yes]/No") {
            // After a failed connection check, leave rather than loop: HEAD offers exit; the old script only Ctrl-C.
            return connectionFailed ? (generation == .head ? "no" : "\u{3}") : "yes"
        }
        if tail.hasSuffix("What section should be removed? 1, 2, 3, exit, [back]") { return "exit" }
        if tail.hasSuffix("make this provider public? (yes/[no]): ") || tail.hasSuffix("Is this provider public? (yes/[no]): ") {
            return settings.isPublic ? "yes" : "no"
        }
        if tail.hasSuffix("Select a platform type ([1]/2): ") { return "1" }
        if tail.hasSuffix("(32 character minimum) ") { return settings.secret.reveal() }
        return nil
    }

    /// A prompt the wizard does not know: the last line ends like a question and no newline follows.
    static func openPrompt(_ pending: String) -> String? {
        guard !pending.hasSuffix("\n"), let last = pending.split(separator: "\n", omittingEmptySubsequences: false).last else { return nil }
        let line = String(last).trimmingCharacters(in: .whitespaces)
        return line.hasSuffix(":") || line.hasSuffix("?") ? line : nil
    }

    /// Judges a run the operator did by hand on the Atmosphere server, from its transcript (secrets already masked).
    public static func judge(transcript: String, status: Int32, settings: ProviderSettings) -> Outcome {
        interpret(
            transcript: transcript, status: status,
            connectionFailed: transcript.contains("Could not create an account driver for the new Provider"), unexpected: nil, settings: settings,
            loggedCause: nil)
    }

    static func redact(_ text: String, secrets: [String]) -> String {
        var out = text.replacingOccurrences(of: "\r\n", with: "\n")
        for secret in secrets where !secret.isEmpty { out = out.replacingOccurrences(of: secret, with: Redactor.mask) }
        return Redactor.shared.redact(out)
    }

    /// What the script's words say happened. Success is only what the script itself reports; the caller still reads the
    /// database to see the provider and its admin identity before it believes it.
    static func interpret(
        transcript: String, status: Int32, connectionFailed: Bool, unexpected: String?, settings: ProviderSettings,
        loggedCause: String?
    ) -> Outcome {
        let target = "add_new_provider.py (\(settings.name))"
        func failed(_ finding: Finding) -> Outcome {
            Outcome(succeeded: false, created: nil, findings: [finding], transcript: transcript, exitStatus: status)
        }
        func failed(_ observed: String, _ remedy: String) -> Outcome {
            failed(Finding(checkID: id, target: target, severity: .failure, observed: observed, remedy: remedy))
        }
        let lines = transcript.split(separator: "\n").map { String($0) }
        if let unexpected {
            return failed(
                "the script asked something atmo-connect does not answer: \"\(unexpected)\"",
                "Run it by hand to see why it asks; usually a field is missing from the JSON.")
        }
        if connectionFailed {
            // The later script prints the driver's error; the guide's prints none, and the cause is only in Atmosphere's log.
            let marker = "Error occurred creating account driver: "
            let said = lines.last(where: { $0.contains(marker) }).flatMap { $0.components(separatedBy: marker).last }
            return failed(ConnectionDiagnosis.finding(cause: said ?? loggedCause, settings: settings, target: target))
        }
        if let line = lines.first(where: { $0.contains("The required field `") }) {
            return failed(line, "Add the field to the provider JSON (the lint names each one).")
        }
        if transcript.contains("Invalid file format expected a json file.") {
            return failed("the script could not read the JSON", "Fix the JSON (the lint shows why) and run again.")
        }
        guard status == 0 else {
            let last = lines.last(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) ?? "no output"
            return failed(
                "the script stopped with status \(status): \(last)", "Read its whole output in the log (F2) and run this step again once it is fixed."
            )
        }
        // The later script ends with the new identity; the guide's with a reminder about the allocation strategy.
        let marker = "Your new Provider and First Identity have been created: "
        if let line = lines.first(where: { $0.contains(marker) }),
            let identity = line.components(separatedBy: marker).last?.trimmingCharacters(in: .whitespacesAndNewlines), identity != "None"
        {
            return Outcome(
                succeeded: true, created: identity,
                findings: [Finding(checkID: id, target: target, severity: .ok, observed: "created: \(identity)")],
                transcript: transcript, exitStatus: status)
        }
        if transcript.contains("You still need to create an AllocationStrategy") {
            let created = lines.first(where: { $0.contains("Created a new provider: ") }).map {
                $0.components(separatedBy: "Created a new provider: ").last ?? ""
            }
            return Outcome(
                succeeded: true, created: created,
                findings: [
                    Finding(checkID: id, target: target, severity: .ok, observed: "created provider \(created ?? settings.name) (the guide's script)")
                ],
                transcript: transcript, exitStatus: status)
        }
        return failed("the script ended without creating the provider", "Read the transcript in the log (F2) for its last message.")
    }
}
