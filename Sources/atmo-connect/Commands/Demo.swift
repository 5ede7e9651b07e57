import ArgumentParser
import AtmosphereKit
import Foundation
import StepEngine
import Wizard

/// `atmo-connect demo`: the wizard against a built-in cloud on this machine, for a first look with no OpenStack at hand.
/// The cloud is `atmo-connect-demo`, a program beside this one (the operator's binary carries no server code).
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Start a demo cloud on 127.0.0.1 and run the wizard against it, in a fresh session.",
        discussion: """
            The demo cloud (atmo-connect-demo, installed beside atmo-connect) simulates Keystone v3, Nova, Glance, Neutron \
            and Cinder over HTTPS, with a throwaway CA made at start; nothing leaves this machine. The cloud's state lives in \
            memory and ends with the wizard, and its folder is removed; the session, the report and the files the wizard \
            wrote are kept, in ./atmo-connect-demo-TIME/ (in DIR/demo-files with --state-dir), which it names as it ends. `atmo-connect-demo --help` lists the built-in scenarios; a \
            scenario file is YAML with name, endpoints (service: fault) and faults.
            """ + "\n\n" + ExitStatus.help([.success, .stateProblem, .notAvailable, .noTerminal, .usage]))

    /// The line the demo cloud prints once it serves; the answers file's path follows it.
    static let readyLine = "atmo-connect demo: serving until SIGTERM; the wizard's answers: "

    @Option(name: .long, help: ArgumentHelp("The state directory (default: a new temporary one).", valueName: "DIR"))
    var stateDir: String?

    @Option(
        name: .long,
        help: ArgumentHelp("A built-in scenario (clean, or one fault: see atmo-connect-demo --help) or a scenario YAML file.", valueName: "NAME|FILE")
    )
    var scenario = "clean"

    /// For the kill trials (`make bench`): the Atmosphere generation of the sandbox (guide, window or final).
    @Option(name: .customLong("atmosphere-generation"), help: .hidden)
    var atmosphereGeneration = "final"

    /// For measuring the wizard alone (`make bench`): the cloud and sandbox only, until SIGTERM or SIGINT.
    @Flag(name: .customLong("serve-only"), help: .hidden)
    var serveOnly = false

    mutating func run() async throws {
        var answers = ""
        var server: pid_t?
        defer {
            if let server {
                kill(server, SIGTERM)
                var status: Int32 = 0
                waitpid(server, &status, 0)
            }
        }
        try await OperatorError.run {
            let started = try start()
            answers = started.answers
            server = started.pid
            return .success
        }
        // A temporary state goes with the demo, in the demo cloud's own folder: the cloud removes that folder when it stops,
        // also when this process is killed (it stops with its parent). --state-dir keeps it.
        let base = (answers as NSString).deletingLastPathComponent
        let temporaryState = stateDir == nil ? base + "/state" : nil
        defer { if let temporaryState { try? FileManager.default.removeItem(atPath: temporaryState) } }
        // Before the demo's folder goes: what the end screen and the quit box say is saved, is.
        let kept = stateDir.map { ($0 as NSString).expandingTildeInPath + "/demo-files" }
        defer { Self.keep(from: base, state: temporaryState, into: kept) }
        var wizard = try RunWizard.parse(["--state-dir", stateDir ?? temporaryState ?? "", "--answers", answers])
        try await wizard.run()
    }

    /// The files the demo wrote for the operator (its report, the OpenStack-Ansible fragment, zone files) and, without
    /// --state-dir, its state (answers, progress, saved previews), copied out of the demo's own folder before it is
    /// removed: into `into`, else a new `./atmo-connect-demo-TIME/`. Says where, and how to look at them.
    static func keep(from base: String, state: String?, into chosen: String?) {
        let manager = FileManager.default
        let folder = chosen ?? manager.currentDirectoryPath + "/atmo-connect-demo-" + TimeText.local(Date(), "%Y%m%d-%H%M%S")
        do {
            try manager.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            if let state, manager.fileExists(atPath: state) {
                try manager.createDirectory(atPath: folder + "/state", withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
                // Runtime files (run/) belong to the process that made them.
                for name in try manager.contentsOfDirectory(atPath: state) where name != "run" {
                    try manager.copyItem(atPath: state + "/" + name, toPath: folder + "/state/" + name)
                }
            }
            for name in ["atmo-connect-report.md", "user_variables.atmosphere.yml", "atmosphere-zones"] where manager.fileExists(atPath: base + "/" + name) {
                try manager.copyItem(atPath: base + "/" + name, toPath: folder + "/" + name)
            }
        } catch {
            FileHandle.standardError.write(Data("atmo-connect demo: could not keep the demo's files in \(folder): \(error.localizedDescription)\n".utf8))
            return
        }
        let report = folder + "/atmo-connect-report.md"
        var lines = ["The demo's files are kept in \(folder)."]
        lines.append(manager.fileExists(atPath: report) ? "  The report: \(report)" : "  No report was written (the last step did not run).")
        if state != nil {
            lines.append("  Its session: atmo-connect status --state-dir \(folder)/state (export --answers FILE writes its answers).")
        }
        print(lines.joined(separator: "\n"))
    }

    /// Starts the demo cloud (or, with --serve-only, becomes it).
    private func start() throws -> (pid: pid_t, answers: String) {
        let server = try Self.serverPath()
        let arguments = [server, "--scenario", scenario, "--atmosphere-generation", atmosphereGeneration]
        let given = ProcessInfo.processInfo.environment["ATMO_CONNECT_DEMO_PASSWORD"].flatMap { $0.isEmpty ? nil : $0 }
        if serveOnly {
            guard given != nil else {
                throw ValidationError(
                    "--serve-only needs ATMO_CONNECT_DEMO_PASSWORD in the environment: the wizard started apart from it must know the password too.")
            }
            // The same process goes on as the server: whoever started it stops it by its pid.
            let argv = arguments.map { strdup($0) } + [nil]
            execv(server, argv)
            throw CommandProblem(
                message: "cannot start \(server): \(String(cString: strerror(errno)))",
                remedy: "Reinstall atmo-connect-demo beside atmo-connect.", status: .notAvailable)
        }
        // The password reaches the cloud and the wizard through the environment only: never argv, never a file.
        setenv("ATMO_CONNECT_DEMO_PASSWORD", given ?? DefaultProviders.strongSecret(length: 32), 1)
        return try Self.start(arguments)
    }

    /// `atmo-connect-demo` in this program's own folder.
    static func serverPath() throws -> String {
        let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let path = (me as NSString).deletingLastPathComponent + "/atmo-connect-demo"
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw CommandProblem(
                message: "the demo cloud is a program of its own and \(path) is not there",
                remedy: "Build it beside atmo-connect: swift build --product atmo-connect-demo (make run builds both).",
                status: .notAvailable)
        }
        return path
    }

    /// Starts the server and waits for its line naming the answers file; what it printed if it stopped instead. Its
    /// output goes to a file that has no name from the start (made with mkstemp and unlinked at once), so nothing is
    /// left in TMPDIR however this process ends.
    static func start(_ arguments: [String]) throws -> (pid: pid_t, answers: String) {
        var template = Array((NSTemporaryDirectory() + "atmo-connect-demo-XXXXXX").utf8CString)
        let output = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.map { mkstemp($0) } ?? -1 }
        guard output >= 0 else {
            throw CommandProblem(
                message: "cannot make a file in \(NSTemporaryDirectory()): \(String(cString: strerror(errno)))",
                remedy: "Check that TMPDIR is writable.", status: .notAvailable)
        }
        // mkstemp wrote the name it made into the template.
        unlink(String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        defer { close(output) }
        let spawned = ProcessSpawner.spawn(
            arguments, environment: ProcessInfo.processInfo.environment,
            actions: [.open(0, path: "/dev/null", flags: O_RDONLY, mode: 0), .duplicate(output, to: 1), .duplicate(output, to: 2), .close(output)])
        guard case let .success(pid) = spawned else {
            throw CommandProblem(message: "cannot start \(arguments[0])", remedy: "Check that it is executable.", status: .notAvailable)
        }
        func printed() -> String {
            var bytes = [UInt8](repeating: 0, count: 65_536)
            let count = pread(output, &bytes, bytes.count, 0)
            return String(decoding: bytes.prefix(max(count, 0)), as: UTF8.self)
        }
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            let text = printed()
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix(readyLine) }) {
                return (pid, String(line.dropFirst(readyLine.count)))
            }
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                throw CommandProblem(
                    message: "the demo cloud stopped: " + text.trimmingCharacters(in: .whitespacesAndNewlines),
                    remedy: "Fix what it names (a scenario name or file, for instance) and run atmo-connect demo again.", status: .usage)
            }
            usleep(50_000)
        }
        kill(pid, SIGTERM)
        throw CommandProblem(
            message: "the demo cloud did not start within 120 s", remedy: "Run atmo-connect-demo by hand to see why.", status: .notAvailable)
    }
}
