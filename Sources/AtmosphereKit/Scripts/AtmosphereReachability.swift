import AtmoModel
import Foundation
@preconcurrency import Glibc

/// Whether the Atmosphere server reaches URLs as Atmosphere will: with Python requests in its virtualenv, so with the
/// trust store requests uses there. Asked before add_new_provider.py, whose failed connection check leaves rows behind.
public enum AtmosphereReachability {
    /// The Python it runs (URLs come in argv: they are no secrets); one result line, nothing changed.
    public static let script = """
        import json
        import sys
        try:
            import requests.certs
            print('ATMO-CONNECT' + '-TRUST ' + requests.certs.where())
        except Exception as error:
            print('ATMO-CONNECT' + '-TRUST unknown (%s)' % error)
        results = {}
        for url in sys.argv[1:]:
            try:
                import requests
                response = requests.get(url, timeout=20)
                results[url] = {'ok': True, 'status': response.status_code, 'error': None}
            except Exception as error:
                results[url] = {'ok': False, 'status': None, 'error': '%s: %s' % (type(error).__name__, error)}
        print('\(DjangoShell.marker)' + json.dumps(results))

        """

    /// What one URL gave.
    public struct Answer: Sendable, Equatable, Decodable {
        public var ok: Bool
        public var status: Int?
        public var error: String?
    }

    /// Asks each URL from the install's virtualenv.
    public static func check(install: AtmosphereInstall, urls: [String], environment: [String: String] = [:]) throws -> [String: Answer] {
        let directory = try ChildLedger.temporaryFolder("reach")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try PrivateFile.write(script, to: directory + "/reach.py")
        let output = directory + "/out.txt"
        let argv = ["/usr/bin/env", "-C", install.checkout, install.virtualenv + "/bin/python", directory + "/reach.py"] + urls
        let status = try ProcessSpawner.runToCompletion(
            argv, environment: install.scriptEnvironment(environment), outputPath: output, timeout: 120,
            name: "the reachability check")
        let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        guard let answers = DjangoShell.lastResult(in: text, as: [String: Answer].self) else {
            let last = text.split(separator: "\n").suffix(2).joined(separator: " | ")
            throw AtmosphereReadError.unreadable(
                what: "whether the server reaches the cloud", cause: last.isEmpty ? "no output (status \(status))" : last)
        }
        return answers
    }

    /// One finding per URL.
    public static func findings(
        _ answers: [String: Answer], settings: ProviderSettings, checkID: String = "atmosphere.reachability",
        consequence: String = "add_new_provider.py was not run and nothing changed."
    ) -> [Finding] {
        answers.keys.sorted().map { url in
            guard let answer = answers[url], !answer.ok else {
                return Finding(
                    checkID: checkID, target: url, severity: .ok,
                    observed: "reached from the Atmosphere server over its own trust store (HTTP \(answers[url]?.status ?? 0))")
            }
            var finding = ConnectionDiagnosis.finding(
                cause: answer.error, settings: settings, target: url, checkID: checkID,
                observed: "The Atmosphere server cannot reach \(url) as Atmosphere will; \(consequence)", url: url)
            finding.target = url
            return finding
        }
    }
}
