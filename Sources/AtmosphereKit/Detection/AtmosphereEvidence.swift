import Foundation

/// What an Atmosphere install's own files say about it, read from their code and never from comments, so that a
/// commented-out prompt or a refactored path does not mislead: the same reading for a local checkout and for the texts
/// the remote probe prints.
public enum AtmosphereEvidence {
    /// The guide-era add_new_provider.py asks this in code; the later one only mentions a platform in comments.
    static let guidePrompt = "Is this provider public? (yes/[no]): "
    /// The later add_new_provider.py (June 2017 on) asks this instead.
    static let laterPrompt = "Would you like Atmosphere to make this provider public?"

    /// The generation of add_new_provider.py, and the evidence for it; nil when neither prompt is in its code.
    public static func generation(providerScript: String) -> (generation: AtmosphereGeneration, evidence: String)? {
        let code = self.code(providerScript)
        if code.contains(guidePrompt) { return (.old, "add_new_provider.py asks \"Is this provider public?\" (the guide's script)") }
        if code.contains(laterPrompt) {
            return (.head, "add_new_provider.py asks \"Would you like Atmosphere to make this provider public?\" (June 2017 on)")
        }
        return nil
    }

    /// Whether service/deploy.py runs ansible on the inventory directory (`ansible/inventory`, since 2020-11), however the
    /// path is built: the literal, or `os.path.join(…, "ansible", "inventory")`.
    public static func usesInventoryDirectory(deployScript: String) -> Bool {
        let code = self.code(deployScript)
        if code.contains("ansible/inventory") { return true }
        return code.firstMatch(of: #/["']ansible["']\s*,\s*["']inventory["']/#) != nil
    }

    /// The Django version a virtualenv holds, from `django/__init__.py`'s VERSION tuple (as Django declares it), or from
    /// the name of its dist-info or egg-info folder.
    public static func djangoVersion(virtualenv: String) -> String? {
        let manager = FileManager.default
        let lib = virtualenv + "/lib"
        for python in ((try? manager.contentsOfDirectory(atPath: lib)) ?? []).sorted() where python.hasPrefix("python") {
            let site = "\(lib)/\(python)/site-packages"
            if let text = try? String(contentsOfFile: site + "/django/__init__.py", encoding: .utf8), let version = djangoVersion(initSource: text) {
                return version
            }
            for entry in (try? manager.contentsOfDirectory(atPath: site)) ?? [] where entry.lowercased().hasPrefix("django-") {
                let name = entry.replacingOccurrences(of: ".dist-info", with: "").replacingOccurrences(of: ".egg-info", with: "")
                let version = String(name.dropFirst("django-".count))
                if version.first?.isNumber == true, !version.contains("-") { return version }
            }
        }
        return nil
    }

    /// `VERSION = (1, 10, 6, 'final', 0)` as "1.10.6".
    public static func djangoVersion(initSource: String) -> String? {
        let pattern = #/^VERSION\s*=\s*\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)/#.anchorsMatchLineEndings()
        guard let match = initSource.firstMatch(of: pattern) else { return nil }
        return [match.output.1, match.output.2, match.output.3].joined(separator: ".")
    }

    /// Whether `manage.py shell` of this Django runs what stdin holds (1.11 on); before that, stdin goes line by line
    /// to the interactive console. Unknown versions are taken as the older behaviour.
    public static func shellExecutesStdin(djangoVersion: String?) -> Bool {
        guard let parts = djangoVersion?.split(separator: ".").compactMap({ Int($0) }), parts.count >= 2 else { return false }
        return (parts[0], parts[1]) >= (1, 11)
    }

    /// Python source without its comments: a `#` outside a string literal ends the line's code.
    public static func code(_ source: String) -> String {
        var out = ""
        var quote: Character?
        var escaped = false
        var inComment = false
        for character in source {
            if character == "\n" {
                inComment = false
                if quote != nil && !escaped { quote = nil }
                escaped = false
                out.append(character)
                continue
            }
            if inComment { continue }
            if let open = quote {
                if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == open { quote = nil }
                out.append(character)
            } else if character == "#" {
                inComment = true
            } else {
                if character == "\"" || character == "'" { quote = character }
                out.append(character)
            }
        }
        return out
    }
}
