import Foundation
import StepEngine

/// Runs add_new_accounts.py: the provider list, and identities for named users, where "0 new identities" is a failure.
public enum AccountsScript {
    static let id = "atmosphere.add-accounts"

    /// The providers Atmosphere has, by id (`add_new_accounts.py --provider-list`).
    public static func providers(install: AtmosphereInstall, environment: [String: String] = [:]) throws -> [Int: String] {
        let (output, status) = try run(install: install, arguments: ["--provider-list"], environment: environment)
        guard status == 0 else { throw ScriptError.cannotStart("add_new_accounts.py --provider-list", lastLine(output)) }
        return parseProviderList(output)
    }

    /// Reads `--provider-list` output: `ID<tab>Name` rows, or spaces where a terminal's copy turned the tab into them.
    public static func parseProviderList(_ output: String) -> [Int: String] {
        var result: [Int: String] = [:]
        for line in output.split(separator: "\n") {
            let fields = line.trimmingCharacters(in: .whitespaces).split(maxSplits: 1, whereSeparator: { $0 == "\t" || $0 == " " })
            if fields.count == 2, let id = Int(fields[0]) { result[id] = String(fields[1]).trimmingCharacters(in: .whitespaces) }
        }
        return result
    }

    /// Creates identities on provider `providerID` for `users`; one finding per user.
    public static func addAccounts(install: AtmosphereInstall, providerID: Int, users: [String], admin: Bool,
                                   environment: [String: String] = [:]) throws -> [Finding] {
        var arguments = ["--provider", String(providerID), "--users", users.joined(separator: ",")]
        if admin { arguments.append("--admin") }
        let (output, status) = try run(install: install, arguments: arguments, environment: environment)
        return findings(output: output, status: status, providerID: providerID, users: users)
    }

    /// One finding per user from what add_new_accounts.py printed and its exit status.
    public static func findings(output: String, status: Int32, providerID: Int, users: [String]) -> [Finding] {
        guard status == 0 else {
            return [Finding(checkID: id, target: "add_new_accounts.py --provider \(providerID)", severity: .failure,
                            observed: lastLine(output), remedy: "Check the provider id (add_new_accounts.py --provider-list) and the admin identity's credentials.")]
        }
        // "N new identities identity_total for USER." — anywhere in a line: a pasted terminal may put prompts before it.
        let pattern = #"(\d+) new identities identity_total for (\S+?)\.?\s*$"#
        let expression = try? NSRegularExpression(pattern: pattern)
        let counts = Dictionary(output.split(separator: "\n").compactMap { piece -> (String, Int)? in
            let line = String(piece)
            guard let match = expression?.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)),
                  let countRange = Range(match.range(at: 1), in: line), let userRange = Range(match.range(at: 2), in: line),
                  let count = Int(line[countRange]) else { return nil }
            return (String(line[userRange]), count)
        }, uniquingKeysWith: { $1 })
        return users.map { user in
            guard let count = counts[user] else {
                return Finding(checkID: id, target: user, severity: .failure, observed: "the script said nothing about this user",
                               remedy: "Run add_new_accounts.py by hand and read its log.")
            }
            if count > 0 { return Finding(checkID: id, target: user, severity: .ok, observed: "\(count) new identity on provider \(providerID)") }
            // The script swallows plugin errors: 0 is its only sign of failure (unless the identity was already there).
            return Finding(checkID: id, target: user, severity: .failure, observed: "0 new identities",
                           expected: "an identity on the new provider (or one already there)",
                           remedy: "Read Atmosphere's log for \"Could *NOT* Create NEW account for \(user)\"; check ACCOUNT_CREATION_PLUGINS and ALLOCATION_SOURCE_PLUGINS. If the identity exists already, this is expected.")
        }
    }

    static func run(install: AtmosphereInstall, arguments: [String], environment extra: [String: String]) throws -> (String, Int32) {
        let environment = install.scriptEnvironment(extra)
        let process = try PseudoTerminalProcess(executable: install.virtualenv + "/bin/python", arguments: ["scripts/add_new_accounts.py"] + arguments,
                                                environment: environment, directory: install.checkout)
        var output = ""
        let deadline = Date().addingTimeInterval(600)
        while let chunk = process.read(timeout: 1) {
            output += chunk.replacingOccurrences(of: "\r\n", with: "\n")
            if Date() > deadline {
                process.interrupt()
                throw ScriptError.timedOut("add_new_accounts.py", seconds: 600)
            }
        }
        return (Redactor.shared.redact(output), process.wait())
    }

    static func lastLine(_ output: String) -> String {
        output.split(separator: "\n").last.map(String.init) ?? "no output"
    }
}
