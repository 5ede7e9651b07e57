import AtmoModel
import Foundation

/// Runs add_new_accounts.py for named users; whether each has an identity is then read from the database.
public enum AccountsScript {
    static let id = "atmosphere.add-accounts"
    /// The script, from the checkout.
    public static let script = "scripts/add_new_accounts.py"

    /// Runs add_new_accounts.py for `users` on provider `providerID`; its output (redacted) and exit status. What it made is
    /// read from the database afterwards: the script's words differ by generation and it swallows its plugins' errors.
    public static func addAccounts(
        install: AtmosphereInstall, providerID: Int, users: [String], admin: Bool,
        environment: [String: String] = [:]
    ) throws -> (output: String, status: Int32) {
        try run(install: install, arguments: arguments(providerID: providerID, users: users, admin: admin), environment: environment, line: { _ in })
    }

    /// add_new_accounts.py's arguments: the provider, the users (if any), an LDAP group (`--group`), `--rebuild`, `--admin`.
    public static func arguments(providerID: Int, users: [String], group: String? = nil, rebuild: Bool = false, admin: Bool) -> [String] {
        var arguments = ["--provider", String(providerID)]
        if !users.isEmpty { arguments += ["--users", users.joined(separator: ",")] }
        if let group { arguments += ["--group", group] }
        if rebuild { arguments.append("--rebuild") }
        if admin { arguments.append("--admin") }
        return arguments
    }

    /// Runs add_new_accounts.py with `arguments`, handing each line of its output (redacted) to `line` as it comes. It is
    /// stopped only when it has said nothing for `stall` seconds: a thousand users take as long as they take.
    public static func run(
        install: AtmosphereInstall, arguments: [String], environment extra: [String: String] = [:], stall: TimeInterval = 600,
        line: (String) -> Void
    ) throws -> (output: String, status: Int32) {
        let process = try PseudoTerminalProcess(
            executable: install.virtualenv + "/bin/python", arguments: [script] + arguments,
            environment: install.scriptEnvironment(extra), directory: install.checkout)
        var output = "", pending = ""
        var heard = Date()
        while let chunk = process.read(timeout: 1) {
            if !chunk.isEmpty { heard = Date() }
            pending += chunk.replacingOccurrences(of: "\r\n", with: "\n")
            while let end = pending.firstIndex(of: "\n") {
                let text = Redactor.shared.redact(String(pending[..<end]))
                pending = String(pending[pending.index(after: end)...])
                output += text + "\n"
                line(text)
            }
            if Date().timeIntervalSince(heard) > stall {
                process.interrupt()
                throw ScriptError.silent("add_new_accounts.py", seconds: Int(stall))
            }
        }
        if !pending.isEmpty {
            let text = Redactor.shared.redact(pending)
            output += text
            line(text)
        }
        return (output, process.wait())
    }

    /// The user a line of add_new_accounts.py's output reports on, in either generation's words: "N new identities
    /// identity_total for alice." (later), "alice added." or "Problem adding alice." (the guide's).
    public static func user(reportedIn line: String) -> String? {
        let text = line.trimmingCharacters(in: .whitespaces)
        if let match = text.firstMatch(of: /^\d+ new identities identity_total for (\S+)\.$/) { return String(match.1) }
        if let match = text.firstMatch(of: /^Problem adding (\S+)\.$/) { return String(match.1) }
        if let match = text.firstMatch(of: /^(\S+) added\.$/) { return String(match.1) }
        return nil
    }

    /// How many users add_new_accounts.py gave a new identity, from its last words ("N Total identities identity_total for
    /// M users" since July 2017, "Total users added:M" before); nil when it did not get there.
    public static func usersAdded(_ output: String) -> Int? {
        for line in output.split(separator: "\n").reversed() {
            let text = line.trimmingCharacters(in: .whitespaces)
            if let match = text.firstMatch(of: /^\d+ Total identities identity_total for (\d+) users$/) { return Int(match.1) }
            if let match = text.firstMatch(of: /^Total users added:\s*(\d+)$/) { return Int(match.1) }
        }
        return nil
    }

    /// One finding per user: an identity on the provider (made now or before) is success, in both generations; a user
    /// without one is a failure that quotes what the script said about them.
    public static func findings(output: String, status: Int32, providerID: Int, users: [String], present: Set<String>) -> [Finding] {
        let lines = output.split(separator: "\n").map(String.init)
        return users.map { user in
            if present.contains(user.lowercased()) {
                return Finding(checkID: id, target: user, severity: .ok, observed: "has an identity on provider \(providerID)")
            }
            // The guide's script: "alice added." or "Problem adding alice."; the later one: "N new identities identity_total for alice."
            let said = lines.filter { mentions(user, in: $0) }
            let words =
                said.isEmpty
                ? (status == 0 ? "it said nothing about this user" : "it stopped with status \(status): \(lastLine(output))")
                : "it said: " + said.joined(separator: " / ")
            return Finding(
                checkID: id, target: user, severity: .failure, observed: "no identity on provider \(providerID) after add_new_accounts.py; \(words)",
                expected: "an identity on the new provider (made now or already there)",
                remedy: "Read logs/atmosphere.log in the checkout for \"Could *NOT* Create NEW account for \(user)\": the script hides why. "
                    + "Usual causes: the user has never logged in to Atmosphere (from mid-2017 until October 2017 the script needs the "
                    + "user to exist), or ACCOUNT_CREATION_PLUGINS or ALLOCATION_SOURCE_PLUGINS are unset in Atmosphere's settings. "
                    + "Fix it, then run this step again.")
        }
    }

    /// Whether the line names the user as a whole word, in any case ("Alice added." names alice; "malice" does not).
    static func mentions(_ user: String, in line: String) -> Bool {
        let text = Array(line.lowercased()), word = Array(user.lowercased())
        guard !word.isEmpty, text.count >= word.count else { return false }
        func isWordCharacter(_ character: Character) -> Bool { character.isLetter || character.isNumber || character == "_" }
        return (0...(text.count - word.count)).contains { start in
            let end = start + word.count
            return text[start..<end].elementsEqual(word) && (start == 0 || !isWordCharacter(text[start - 1]))
                && (end == text.count || !isWordCharacter(text[end]))
        }
    }

    /// The last line of a script's output, for a message that quotes it.
    public static func lastLine(_ output: String) -> String {
        output.split(separator: "\n").last.map(String.init) ?? "no output"
    }
}
