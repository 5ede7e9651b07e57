import Foundation

/// Shell text for the commands an operator runs on the Atmosphere server when atmo-connect runs elsewhere.
///
/// Every block is one subshell: bash reads a pasted `( … )` whole before it runs anything, so an interactive
/// script inside cannot swallow the lines after it, and an `exit` leaves the subshell, not the operator's login.
/// Markers are echoed as `"ATMO-CONNECT""-TAG …"` so that the typed command never reads as its own output.
public enum RemoteScript {
    /// What every line the wizard reads back starts with.
    public static let prefix = "ATMO-CONNECT-"
    static let heredoc = "ATMO_CONNECT_EOF"

    /// A word for the shell, single-quoted.
    public static func quote(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// An `echo` of a marker line; `rest` may hold shell expansions such as `$?`.
    public static func echo(_ tag: String, _ rest: String = "") -> String {
        "echo \"ATMO-CONNECT\"\"-\(tag)\(rest.isEmpty ? "" : " " + rest)\""
    }

    /// Lines as one subshell; not indented, since here-documents inside must keep their lines as they are.
    public static func subshell(_ lines: [String]) -> String {
        (["("] + lines + [")"]).joined(separator: "\n")
    }

    /// Looks at the installation on the server: the same facts local detection reads, the providers, and the inventory as it is.
    public static func probe(checkout: String, virtualenv: String, ansibleCheckout: String) -> String {
        let python = quote(virtualenv + "/bin/python")
        let ansible = quote(ansibleCheckout)
        return subshell([
            "cd \(quote(checkout)) || exit 1",
            echo("PROBE", "checkout $(pwd)"),
            "if grep -q -e 'Select a platform type' -e 'Is this provider public?' scripts/add_new_provider.py; then \(echo("PROBE", "generation old"))",
            "elif [ -f scripts/add_new_provider.py ]; then \(echo("PROBE", "generation head")); fi",
            "[ -f scripts/add_new_accounts.py ] && \(echo("PROBE", "accounts-script yes"))",
            "[ -f core/models/allocation_strategy.py ] && \(echo("PROBE", "allocation-strategy yes"))",
            "H=\(ansible)/ansible/hosts",
            "if grep -q ansible/inventory service/deploy.py 2>/dev/null; then \(echo("PROBE", "inventory-directory yes")); H=\(ansible)/ansible/inventory/hosts; fi",
            "[ -x \(python) ] && \(echo("PROBE", "venv yes"))",
            "[ -d \(ansible)/ansible ] && \(echo("PROBE", "ansible yes"))",
            "[ -f \"$H\" ] && sed 's/^/ATMO-CONNECT''-HOSTS|/' \"$H\" && sha256sum \"$H\" | sed 's/^/ATMO-CONNECT''-HOSTS-SHA /'",
            echo("PROVIDERS"),
            "\(python) scripts/add_new_accounts.py --provider-list",
            echo("PROBE", "done"),
        ])
    }

    /// Runs `arguments` with the checkout's Python in the checkout, then echoes its exit status.
    public static func python(_ install: AtmosphereInstall, _ arguments: [String]) -> [String] {
        ["cd \(quote(install.checkout)) || exit 1",
         ([quote(install.virtualenv + "/bin/python")] + arguments.map(quote)).joined(separator: " "),
         echo("STATUS", "$?")]
    }

    /// Feeds `code` to `manage.py shell` on stdin, as the local run does (a here-document, never argv).
    public static func djangoShell(_ install: AtmosphereInstall, code: String) -> String {
        subshell(["cd \(quote(install.checkout)) || exit 1",
                  "\(quote(install.virtualenv + "/bin/python")) manage.py shell <<'\(heredoc)'"]
                 + code.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).dropLastEmpty()
                 + [heredoc, echo("STATUS", "$?")])
    }

    /// Writes files in place, each only if it changes and with a backup of what was there, then prints their digests.
    /// `guards` pairs a path with the digest it had when it was shown: a file changed since is left alone.
    public static func writeFiles(_ files: [(path: String, content: String)], guards: [(path: String, sha256: String)], stamp: String) -> String {
        var lines = ["set -e"]
        for (path, sha) in guards {
            lines.append("echo \(quote(sha + "  " + path)) | sha256sum -c --status || { \(echo("STALE")); exit 1; }")
        }
        for (path, content) in files {
            let temporary = quote(path + ".atmo-connect-tmp"), target = quote(path)
            lines.append("mkdir -p \(quote((path as NSString).deletingLastPathComponent))")
            lines.append("cat > \(temporary) <<'\(heredoc)'")
            lines += content.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).dropLastEmpty()
            lines.append(heredoc)
            lines.append("if cmp -s \(temporary) \(target); then rm -f \(temporary); "
                         + "else if [ -f \(target) ]; then cp -p \(target) \(quote(path + ".atmo-connect-\(stamp).bak")); fi; mv \(temporary) \(target); fi")
        }
        lines.append("sha256sum \(files.map { quote($0.path) }.joined(separator: " ")) | sed 's/^/ATMO-CONNECT''-SHA /'")
        return subshell(lines)
    }

    /// Content as a here-document writes it: every line ends with a newline.
    public static func asWritten(_ content: String) -> String {
        content.isEmpty || content.hasSuffix("\n") ? content : content + "\n"
    }
}

extension Array where Element == String {
    /// Without the empty piece a trailing newline leaves after splitting.
    func dropLastEmpty() -> [String] {
        last == "" ? Array(dropLast()) : self
    }
}
