import ArgumentParser
import CloudProbe
import Foundation
import StepEngine
import TerminalUI
import Wizard

/// `atmo-connect check`: verifies the cloud and prints the findings grouped by step.
struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Verify the cloud: credentials, Keystone, the catalog's endpoints and certificates, and the inventory.",
        discussion: ExitStatus.help([.success, .stepFailed, .checkFailed, .stateProblem, .usage], check: true))

    @Option(name: .long, help: ArgumentHelp("Cloud in clouds.yaml (default: OS_CLOUD, or the only one).", valueName: "NAME"))
    var osCloud: String?

    @Option(name: .long, help: ArgumentHelp("openrc file to read (never executed).", valueName: "FILE"))
    var openrc: String?

    @Option(name: .long, help: ArgumentHelp("CA bundle to trust instead of the system store; every report says so.", valueName: "FILE"))
    var cacert: String?

    @Option(name: .long, help: ArgumentHelp("Reach HOST:PORT at ADDRESS, as curl's --resolve (repeatable).", valueName: "HOST:PORT:ADDRESS"))
    var resolve: [String] = []

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Allow credentials over this plain-http endpoint: its host and port, its path and below (test clouds only; repeatable).", valueName: "URL"
        ))
    var allowHttp: [String] = []

    @Option(name: .long, help: ArgumentHelp("The host name the endpoints should use, for the suggested fixes.", valueName: "FQDN"))
    var apiHostname: String?

    @Flag(name: .long, help: "One JSON document with every finding, for scripts (the same as --format json).")
    var json = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "text, json, openmetrics (Prometheus text format, for node_exporter's textfile collector) or nagios (one line with perfdata).",
            valueName: "FORMAT"))
    var format: CheckFormat = .text

    /// A --resolve that is not HOST:PORT:ADDRESS is a usage error, before anything is sent.
    func validate() throws {
        for entry in resolve {
            let parts = entry.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
            let address = parts.count == 3 ? parts[2].trimmingCharacters(in: CharacterSet(charactersIn: "[]")) : ""
            guard parts.count == 3, !parts[0].isEmpty, let port = Int(parts[1]), (1...65_535).contains(port), HostName.isAddress(address) else {
                throw ValidationError(
                    "--resolve \(entry) is not HOST:PORT:ADDRESS (one per --resolve, as curl's), such as keystone.example.org:5000:192.0.2.10.")
            }
        }
    }

    mutating func run() async throws {
        let code: Int32
        do {
            code = try await verify()
        } catch {
            // Any error before the cloud answers means it could not be checked: exit 3, as check's help says. A monitor
            // still gets its format on standard output (the message with its remedy goes to standard error as ever).
            _ = OperatorError.report(error)
            code = 3
            if let output = MonitorReport.couldNotCheck(format, reason: Redactor.shared.redact(String(describing: error))) { print(output) }
        }
        if code != 0 { throw ExitCode(code) }
    }

    private func verify() async throws -> Int32 {
        var credentials: CloudCredentials
        if let openrc {
            credentials = try OpenrcParser.load(path: openrc)
        } else if osCloud != nil || ProcessInfo.processInfo.environment["OS_AUTH_URL"] == nil {
            credentials = try CloudsYAML.load(cloud: osCloud)
        } else {
            credentials = try CloudCredentials.from(
                variables: ProcessInfo.processInfo.environment.filter { $0.key.hasPrefix("OS_") }, source: "the OS_* environment")
        }
        if credentials.secret == nil, let password = PasswordSource.obtain(for: credentials) { credentials.secret = password }
        let bundle = cacert ?? credentials.caCert
        let client = HTTPClient(
            configuration: .init(
                caBundle: bundle.map { ($0 as NSString).expandingTildeInPath }, resolve: resolve,
                plainHTTP: PlainHTTPPolicy(allowed: allowHttp)))
        // The screens (to group the findings by step) are read while the first requests are on the wire.
        async let catalog = WizardCatalog.load()
        var report = await CloudVerification(client: client, allowedPlainHTTP: Set(allowHttp), apiHostname: apiHostname).run(credentials)
        // The protocol each endpoint negotiated, from the connections already made (as the wizard's TLS step has it).
        report.findings += TLSProtocol.findings(for: report.tls, checkID: "tls.protocol")
        let grouped = FindingGroups(report: report, catalog: try await catalog)
        // A cloud whose Keystone does not answer is down, as a monitor reads it (CRITICAL); UNKNOWN is for a check that
        // could not run (bad input, an unreadable openrc, credentials Keystone refused).
        let status: Int32 =
            if report.couldNotCheck { report.keystoneUnreachable ? 2 : 3 } else {
                switch grouped.worst {
                case .failure: 2
                case .warning: 1
                default: 0
                }
            }
        let monitor = MonitorReport(report: report, status: status, cloud: credentials.authURL)
        switch json ? .json : format {
        // LANG=C shows ASCII: the marks as their stand-ins, not bytes the terminal cannot show.
        case .text: print(ASCIIFallback.forLocale(grouped.text(cloud: credentials.authURL, caBundle: bundle)))
        case .json: print(try grouped.json(cloud: credentials.authURL, caBundle: bundle))
        case .openmetrics: print(monitor.openMetrics(), terminator: "")
        case .nagios: print(monitor.nagios())
        }
        return status
    }
}

/// Where a password comes from when the credentials have none: OS_PASSWORD, else a prompt on the terminal.
enum PasswordSource {
    static func obtain(for credentials: CloudCredentials) -> SecretValue? {
        let variable = credentials.method == .applicationCredential ? "OS_APPLICATION_CREDENTIAL_SECRET" : "OS_PASSWORD"
        if let value = ProcessInfo.processInfo.environment[variable], !value.isEmpty { return SecretValue(value) }
        guard isatty(0) == 1 else { return nil }
        FileHandle.standardError.write(Data("Password for \(credentials.username ?? "the account") (\(credentials.source)): ".utf8))
        var settings = termios()
        tcgetattr(0, &settings)
        var hidden = settings
        hidden.c_lflag &= ~tcflag_t(ECHO)
        tcsetattr(0, TCSANOW, &hidden)
        defer {
            tcsetattr(0, TCSANOW, &settings)
            FileHandle.standardError.write(Data("\n".utf8))
        }
        return readLine().flatMap { $0.isEmpty ? nil : SecretValue($0) }
    }
}

/// How `check` prints what it found.
enum CheckFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, openmetrics, nagios
}
