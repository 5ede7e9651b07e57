import Foundation

/// An Atmosphere install in a folder that runs upstream's own scripts (cyverse/atmosphere at the commit of a generation)
/// with stand-ins only for Django, PostgreSQL and rtwo: Tests/Peers/atmosphere/make_tree.py builds it.
public enum AtmosphereSandbox {
    /// The Atmosphere generations the sandbox can be: the guide's (ceb888bf, Django 1.10), the window of final-style scripts
    /// on Django 1.10 (0b57c829), and the final code (4688a4a9, Django 1.11).
    public enum Generation: String, Sendable, CaseIterable {
        case guide, window, final
    }

    /// Why a sandbox could not be made.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String

        /// A failure saying `description`.
        public init(description: String) { self.description = description }
    }

    /// Makes the install under `root` (checkout at ROOT/atmosphere, ROOT/env/atmo, ROOT/atmosphere-ansible, its database at
    /// ROOT/atmosphere.sqlite3). `peer` is Tests/Peers/atmosphere in the repository; `python` runs it. `packages` is the
    /// folder of the real requests, urllib3, certifi, chardet, idna and apache-libcloud at Atmosphere's pins
    /// (`packagesFolder()`), on the virtualenv's path (certifi copied, as its bundle is the install's own). `trust` are PEM files the server's Python requests trusts (appended to certifi's bundle);
    /// `hosts` are "ADDRESS NAME" lines of its /etc/hosts; `users` have logged in once (AtmosphereUser rows). With
    /// `cache`, each kind of install is built once in that folder and copied (a test run shares one).
    public static func make(
        root: String, peer: String, python: String, packages: String, generation: Generation, trust: [String] = [], hosts: [String] = [],
        users: [String] = [], virtualenv: Bool = true, ansible: Bool = true, cache: String? = nil
    ) throws {
        var arguments = [
            peer + "/make_tree.py", root, "--generation", generation.rawValue, "--python", python, "--users", users.joined(separator: ","),
            "--packages", packages,
        ]
        for file in trust { arguments += ["--trust", file] }
        for line in hosts { arguments += ["--host", line] }
        if !virtualenv { arguments.append("--no-venv") }
        if !ansible { arguments.append("--no-ansible") }
        if let cache { arguments += ["--cache", cache] }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(
                description: "make_tree.py failed (status \(process.terminationStatus)): \(String(decoding: message, as: UTF8.self).suffix(600))")
        }
    }

    /// Where scripts/peers/venv.sh puts Atmosphere's pinned packages: ATMO_ATMOSPHERE_SITE, else atmosphere-site beside
    /// the peers' venv (ATMO_PEERS_VENV), else ~/.cache/atmo-connect/atmosphere-site; nil when it is not there.
    public static func packagesFolder(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        let folder =
            environment["ATMO_ATMOSPHERE_SITE"].flatMap { $0.isEmpty ? nil : $0 }
            ?? environment["ATMO_PEERS_VENV"].flatMap { $0.isEmpty ? nil : ($0 as NSString).deletingLastPathComponent + "/atmosphere-site" }
            ?? NSHomeDirectory() + "/.cache/atmo-connect/atmosphere-site"
        return FileManager.default.fileExists(atPath: folder + "/requests/__init__.py") ? folder : nil
    }

    /// /etc/hosts lines for curl-style resolve entries (HOST:PORT:ADDRESS).
    public static func hostsLines(resolve: [String]) -> [String] {
        resolve.compactMap { entry in
            let parts = entry.split(separator: ":")
            return parts.count >= 3 ? "\(parts[2...].joined(separator: ":")) \(parts[0])" : nil
        }
    }
}
