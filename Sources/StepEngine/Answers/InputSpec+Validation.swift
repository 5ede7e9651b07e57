import Foundation

extension InputSpec {
    /// Turns text the operator typed (or a scalar from an answers file) into a value of this input's kind.
    /// - Returns: the value, or a message saying what is wrong with the text.
    public func parse(text raw: String) -> Result<AnswerValue, InputProblem> {
        let text = raw.trimmingCharacters(in: .whitespaces)
        switch kind {
        case .bool:
            switch text.lowercased() {
            case "yes", "y", "true", "on", "1": return .success(.bool(true))
            case "no", "n", "false", "off", "0": return .success(.bool(false))
            default: return .failure(InputProblem("\(label): answer yes or no (got \"\(text)\")."))
            }
        case .number:
            // An empty field is no answer: whether that is allowed is `problem(with:)`'s call (required or not).
            if text.isEmpty { return .success(.text("")) }
            guard let number = Int(text) else { return .failure(InputProblem("\(label): \"\(text)\" is not a whole number.")) }
            return .success(.integer(number))
        case .multiChoice, .list, .ipRange:
            let items = text.split(whereSeparator: { $0 == "," || $0 == "\n" })
                .map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }
            return .success(.list(items))
        case .text, .url, .choice, .path, .secret, .hostnameFormat, .timezone, .ipAddress, .sshDestination:
            return .success(.text(text))
        }
    }

    /// Checks a value against this input's kind and rules.
    /// - Returns: nil when the value is acceptable, else what the operator must change.
    public func problem(with value: AnswerValue) -> InputProblem? {
        if value.isEmpty {
            return required ? InputProblem("\(label) is required.") : nil
        }
        // Before any parser sees it (inet_pton stops at a NUL): only a secret may hold any character.
        if kind != .secret, case let .text(text) = value, let problem = Self.controlProblem(text, label: label) ?? Self.deceptiveProblem(text, label: label) {
            return problem
        }
        switch (kind, value) {
        case (.bool, .bool):
            return nil
        case let (.number, .integer(number)):
            if let minimum = validation.minimum, number < minimum { return InputProblem("\(label) must be at least \(minimum).") }
            if let maximum = validation.maximum, number > maximum { return InputProblem("\(label) must be at most \(maximum).") }
            return nil
        case let (.choice, .text(text)):
            return choices.contains(text) ? nil : InputProblem("\(label) must be one of: \(choices.joined(separator: ", ")).")
        case let (.multiChoice, .list(items)):
            let unknown = items.filter { !choices.contains($0) }
            return unknown.isEmpty ? nil : InputProblem("\(label): \(unknown.joined(separator: ", ")) not among \(choices.joined(separator: ", ")).")
        case let (.url, .text(text)):
            return Self.urlProblem(text).map { InputProblem("\(label): \($0)") } ?? patternProblem(text)
        case let (.ipRange, .list(items)):
            for item in items where IPRange(item) == nil {
                return InputProblem("\(label): \"\(item)\" is not an IPv4 address, CIDR (192.0.2.0/24) or range (192.0.2.10-192.0.2.50).")
            }
            return nil
        case let (.list, .list(items)):
            for item in items {
                if let problem = Self.controlProblem(item, label: label) ?? Self.deceptiveProblem(item, label: label) ?? patternProblem(item) {
                    return problem
                }
            }
            return nil
        case let (.secret, .text(text)):
            if let minLength = validation.minLength, text.count < minLength {
                return InputProblem("\(label) must be at least \(minLength) characters (it has \(text.count)).")
            }
            return nil
        case let (.hostnameFormat, .text(text)):
            return HostnameFormat.problem(text).map { InputProblem("\(label): \($0)") }
        case let (.timezone, .text(text)):
            return TimeZoneName.isValid(text)
                ? nil
                : InputProblem("\(label): \"\(text.prefix(80))\" is not a tz database name (such as Etc/UTC or America/Phoenix).")
        case let (.ipAddress, .text(text)):
            return HostName.isAddress(text) ? nil : InputProblem("\(label): \"\(text.prefix(80))\" is not an IPv4 or IPv6 address.")
        case let (.sshDestination, .text(text)):
            let parts = text.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            let host = parts.last ?? "", user = parts.count == 2 ? parts[0] : "x"
            let userOK = user.wholeMatch(of: #/[a-z_][a-z0-9_.-]{0,31}/#.ignoresCase()) != nil
            return userOK && (HostName.isValid(host) || HostName.isAddress(host))
                ? nil
                : InputProblem("\(label): \"\(text.prefix(80))\" is not [user@]host (a host name or an address).")
        case let (.text, .text(text)), let (.path, .text(text)):
            // A path reaches files Ansible templates (OpenStack-Ansible's user_variables): no Jinja in it.
            if kind == .path, let mark = ["{{", "{%", "{#"].first(where: text.contains) {
                return InputProblem("\(label): \"\(mark)\" in a path would be read as a template by Ansible; rename the file or folder.")
            }
            if let minLength = validation.minLength, text.count < minLength {
                return InputProblem("\(label) must be at least \(minLength) characters.")
            }
            return patternProblem(text)
        default:
            return InputProblem("\(label) expects \(kind.expectation), not \(value.kindDescription).")
        }
    }

    /// One line of text: a control character (a newline, tab, NUL, escape) is never part of a name or a path, and in
    /// a file or a command it would start something else.
    private static func controlProblem(_ text: String, label: String) -> InputProblem? {
        guard
            let bad = text.unicodeScalars.first(where: {
                $0.value < 0x20 || $0.value == 0x7F || (0x80...0x9F).contains($0.value) || $0 == "\u{2028}" || $0 == "\u{2029}"
            })
        else { return nil }
        return InputProblem("\(label): it holds a control character (U+\(String(format: "%04X", bad.value))); give it on one line, as plain text.")
    }

    /// What would make two values look the same on screen and differ in Keystone or Atmosphere: bidirectional overrides
    /// and isolates, zero-width and other invisible characters anywhere, and a word mixing Latin letters with Cyrillic
    /// or Greek ones (homoglyphs: "аdmin" with a Cyrillic а). Named by code point.
    private static func deceptiveProblem(_ text: String, label: String) -> InputProblem? {
        let invisible: Set<UInt32> = [0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0xFEFF, 0x061C, 0x00AD, 0x180E]
        let hidden = text.unicodeScalars.filter {
            invisible.contains($0.value) || (0x202A...0x202E).contains($0.value) || (0x2066...0x2069).contains($0.value)
        }
        if !hidden.isEmpty {
            return InputProblem(
                "\(label): it holds invisible or direction-changing characters (\(codePoints(hidden))), which make it look like "
                    + "something it is not; type it again as plain text.")
        }
        for word in text.split(whereSeparator: { !$0.isLetter }) {
            let scripts = Set(word.unicodeScalars.compactMap(script(of:)))
            if scripts.count > 1, scripts.contains("Latin") {
                let foreign = word.unicodeScalars.filter { script(of: $0).map { $0 != "Latin" } ?? false }
                return InputProblem(
                    "\(label): \"\(word.prefix(40))\" mixes Latin letters with \(scripts.subtracting(["Latin"]).sorted().joined(separator: " and ")) "
                        + "ones (\(codePoints(foreign))) that look like Latin ones; type it again in one script.")
            }
        }
        return nil
    }

    /// The script of a letter that can pass for a Latin one, nil for any other character.
    private static func script(of scalar: Unicode.Scalar) -> String? {
        switch scalar.value {
        case 0x41...0x5A, 0x61...0x7A, 0xC0...0x24F: "Latin"
        case 0x370...0x3FF: "Greek"
        case 0x400...0x52F: "Cyrillic"
        default: nil
        }
    }

    private static func codePoints(_ scalars: some Sequence<Unicode.Scalar>) -> String {
        Array(Set(scalars.map(\.value))).sorted().map { String(format: "U+%04X", $0) }.joined(separator: ", ")
    }

    private func patternProblem(_ text: String) -> InputProblem? {
        guard let pattern = validation.pattern else { return nil }
        guard let regex = try? Regex("^(?:\(pattern))$") else {
            return InputProblem("\(label): the screen's validation pattern is broken; report this.")
        }
        if (try? regex.firstMatch(in: text)) != nil { return nil }
        return InputProblem("\(label): " + (validation.patternMessage ?? "\"\(text)\" does not have the expected form."))
    }

    private static func urlProblem(_ text: String) -> String? {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            return "\"\(text)\" is not a URL (expected https://host:port)."
        }
        guard scheme == "https" || scheme == "http" else { return "\"\(text)\" must start with https:// (or http://)." }
        guard let host = components.host, !host.isEmpty else { return "\"\(text)\" has no host name." }
        return nil
    }
}

/// Why a value was refused, in the operator's words.
public struct InputProblem: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    /// Creates a problem with its message.
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension InputKind {
    var expectation: String {
        switch self {
        case .bool: "yes or no"
        case .number: "a whole number"
        case .multiChoice, .list, .ipRange: "a list"
        case .text, .secret, .url, .choice, .path: "text"
        case .hostnameFormat: "a host name format"
        case .timezone: "a time zone"
        case .ipAddress: "an address"
        case .sshDestination: "[user@]host"
        }
    }
}

extension AnswerValue {
    var kindDescription: String {
        switch self {
        case .text: "text"
        case .integer: "a number"
        case .bool: "yes/no"
        case .list: "a list"
        }
    }
}
