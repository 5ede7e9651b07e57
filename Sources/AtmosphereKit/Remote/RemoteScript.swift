import Foundation

/// Shell text for the commands an operator runs on the Atmosphere server when atmo-connect runs elsewhere.
///
/// Every block is one subshell: bash reads a pasted `( … )` whole before it runs anything, so an interactive
/// script inside cannot swallow the lines after it, and an `exit` leaves the subshell, not the operator's login.
/// Markers are echoed as `"ATMO-CONNECT""-TAG …"` so that the typed command never reads as its own output.
public enum RemoteScript {
    /// What every line the wizard reads back starts with.
    public static let prefix = "ATMO-CONNECT-"

    /// A word for the shell, single-quoted.
    public static func quote(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// An `echo` of a marker line; `rest` may hold shell expansions such as `$?`.
    public static func echo(_ tag: String, _ rest: String = "") -> String {
        "echo \"ATMO-CONNECT\"\"-\(tag)\(rest.isEmpty ? "" : " " + rest)\""
    }

    /// Enters the checkout and defines how Python runs there (`environment`).
    public static func enter(_ checkout: String) -> [String] {
        ["cd \(quote(checkout)) || exit 1"] + environment
    }

    /// `atmo_env COMMAND…` runs a command as Atmosphere runs, whatever shell the block is pasted into: under `env -i`
    /// with the same allow-list local mode passes (AtmosphereInstall.inheritedVariables, each only when it is set), plus
    /// Django's settings module and the checkout (the current directory) on Python's path. So a REQUESTS_CA_BUNDLE,
    /// CURL_CA_BUNDLE, proxy or OS_* variable in the operator's shell counts no more than it does for Atmosphere itself.
    /// POSIX: `${VAR+"VAR=$VAR"}` is one word when VAR is set and none when it is not.
    public static let environment: [String] = [
        "atmo_env() { env -i "
            + AtmosphereInstall.inheritedVariables.sorted().map { "${\($0)+\"\($0)=$\($0)\"}" }.joined(separator: " ")
            + " DJANGO_SETTINGS_MODULE=atmosphere.settings PYTHONPATH=\"$PWD\" PYTHONUNBUFFERED=1 \"$@\"; }"
    ]

    /// How a command runs with Atmosphere's environment (after `environment` defined it).
    static func asAtmosphere(_ command: String) -> String { "atmo_env " + command }

    /// Lines as one subshell; not indented, since here-documents inside must keep their lines as they are.
    public static func subshell(_ lines: [String]) -> String {
        (["("] + lines + [")"]).joined(separator: "\n")
    }

    /// Looks at the installation on the server: the same evidence local detection reads (prompts in code lines, not
    /// comments; the inventory path however deploy.py builds it; the virtualenv's Django), the providers, and the inventory.
    /// `reach` are the cloud's URLs the server must reach over https with its own trust store, as Atmosphere will.
    public static func probe(checkout: String, virtualenv: String, ansibleCheckout: String, reach: [String] = []) -> String {
        let python = quote(virtualenv + "/bin/python")
        let ansible = quote(ansibleCheckout)
        let code = "grep -v '^[[:space:]]*#'"
        return subshell(
            enter(checkout) + [
                echo("PROBE", "checkout $(pwd)"),
                "if \(code) scripts/add_new_provider.py 2>/dev/null | grep -qF \(quote(AtmosphereEvidence.guidePrompt)); then \(echo("PROBE", "generation old"))",
                "elif \(code) scripts/add_new_provider.py 2>/dev/null | grep -qF \(quote(AtmosphereEvidence.laterPrompt)); then \(echo("PROBE", "generation head"))",
                "elif [ -f scripts/add_new_provider.py ]; then \(echo("PROBE", "generation unknown")); fi",
                "[ -f scripts/add_new_accounts.py ] && \(echo("PROBE", "accounts-script yes"))",
                "[ -f core/models/allocation_strategy.py ] && \(echo("PROBE", "allocation-strategy yes"))",
                "H=\(ansible)/ansible/hosts",
                "if \(code) service/deploy.py 2>/dev/null | grep -qE 'ansible/inventory|.ansible.[[:space:]]*,[[:space:]]*.inventory.'; then "
                    + "\(echo("PROBE", "inventory-directory yes")); H=\(ansible)/ansible/inventory/hosts; fi",
                "D=$(sed -n 's/^VERSION *= *( *\\([0-9]*\\), *\\([0-9]*\\), *\\([0-9]*\\).*/\\1.\\2.\\3/p' \(quote(virtualenv))/lib/python*/site-packages/django/__init__.py 2>/dev/null | head -n 1)",
                "[ -n \"$D\" ] && \(echo("PROBE", "django $D"))",
                "[ -x \(python) ] && \(echo("PROBE", "venv yes"))",
                "[ -d \(ansible)/ansible ] && \(echo("PROBE", "ansible yes"))",
                "[ -f \"$H\" ] && sed 's/^/ATMO-CONNECT''-HOSTS|/' \"$H\" && sha256sum \"$H\" | sed 's/^/ATMO-CONNECT''-HOSTS-SHA /'",
            ] + (reach.isEmpty ? [] : [echo("REACH")] + pythonFileLines(python: python, code: AtmosphereReachability.script, arguments: reach)) + [
                echo("PROVIDERS")
            ] + djangoShellLines(python: python, code: AtmosphereProviders.snippet) + [
                echo("PROBE", "done")
            ])
    }

    /// Runs `arguments` with the checkout's Python in the checkout, then echoes its exit status.
    public static func python(_ install: AtmosphereInstall, _ arguments: [String]) -> [String] {
        enter(install.checkout) + [
            asAtmosphere(([quote(install.virtualenv + "/bin/python")] + arguments.map(quote)).joined(separator: " ")),
            echo("STATUS", "$?"),
        ]
    }

    /// Runs `code` in `manage.py shell` in the checkout, then echoes the status: the same way as a local run (see DjangoShell).
    public static func djangoShell(_ install: AtmosphereInstall, code: String) -> String {
        subshell(
            enter(install.checkout) + djangoShellLines(python: quote(install.virtualenv + "/bin/python"), code: code)
                + [echo("STATUS", "$?")])
    }

    /// The lines that run `code` in `manage.py shell` from the current directory: the code travels base64-encoded (no
    /// here-document a value could end), goes into a private temporary file, and one line on stdin runs it, which works
    /// on Django 1.10's interactive console and on 1.11's stdin alike. `$?` after them is the shell's status.
    public static func djangoShellLines(python: String, code: String) -> [String] {
        let encoded = Data(code.utf8).base64EncodedString()
        return [
            "F=$(mktemp) && echo \(quote(encoded)) | base64 -d > \"$F\" || exit 1",
            "printf '%s\\n' \"exec(compile(open('$F').read(), '$F', 'exec'), {'__name__': '__atmo_connect__'})\" | \(asAtmosphere(python)) manage.py shell",
            "S=$?; rm -f \"$F\"; (exit $S)",
        ]
    }

    /// The lines that run `code` with the virtualenv's Python and `arguments` (no secret: they show in ps), the code
    /// travelling base64-encoded into a private temporary file; `$?` after them is its status.
    public static func pythonFileLines(python: String, code: String, arguments: [String]) -> [String] {
        pythonFileLines(python: python, code: code, words: arguments.map(quote))
    }

    /// The same with `words` as the shell reads them (quoted already, or `~/NAME`).
    public static func pythonFileLines(python: String, code: String, words: [String]) -> [String] {
        let encoded = Data(code.utf8).base64EncodedString()
        return [
            "F=$(mktemp) && echo \(quote(encoded)) | base64 -d > \"$F\" || exit 1",
            asAtmosphere(([python, "\"$F\""] + words).joined(separator: " ")),
            "S=$?; rm -f \"$F\"; (exit $S)",
        ]
    }

    /// Writes files in place, each only if it changes and with a backup of what was there, then prints their digests.
    /// `guards` pairs a path with the digest it had when it was shown: a file changed since is left alone.
    public static func writeFiles(_ files: [(path: String, content: String)], guards: [(path: String, sha256: String)], stamp: String) -> String {
        var lines = ["set -e"]
        for (path, sha) in guards {
            lines.append("echo \(quote(sha + "  " + path)) | sha256sum -c --status || { \(echo("STALE")); exit 1; }")
        }
        for (path, content) in files {
            let folder = quote((path as NSString).deletingLastPathComponent), target = quote(path)
            let backup = quote(path + ".atmo-connect-\(stamp).bak")
            lines.append("mkdir -p \(folder)")
            // Never through a link, and never at a name another user could have planted: a new file under a random name
            // in the target's folder (mktemp: O_EXCL, 0600), the target and the backup's name refused if they are links.
            lines.append(
                "if [ -L \(target) ] || [ -L \(backup) ]; then \(echo("REFUSED", "\(quote(path)) or its backup is a symbolic link")); exit 1; fi")
            lines.append("T=$(mktemp \(quote((path as NSString).deletingLastPathComponent + "/." + (path as NSString).lastPathComponent + ".atmo-connect-XXXXXX")))")
            // Base64, never a here-document: no line of the content can end it and run as shell.
            lines.append("echo \(quote(Data(asWritten(content).utf8).base64EncodedString())) | base64 -d > \"$T\"")
            lines.append(
                "if cmp -s \"$T\" \(target); then rm -f \"$T\"; "
                    + "else if [ -f \(target) ]; then cp -p \(target) \(backup); chmod --reference=\(target) \"$T\"; else chmod 644 \"$T\"; fi; mv \"$T\" \(target); fi"
            )
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
