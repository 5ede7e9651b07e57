import AtmoModel
import Foundation
import Yams

/// clouds.yaml and secure.yaml as openstacksdk reads them: the same search order, secure.yaml merged over clouds.yaml.
public enum CloudsYAML {
    static let remedy = "Fix clouds.yaml (see the openstacksdk configuration docs), or use --openrc instead."

    /// The directories searched, first match wins: the current directory, ~/.config/openstack, /etc/openstack.
    public static func searchDirectories(environment: [String: String], currentDirectory: String) -> [String] {
        let home = environment["HOME"] ?? NSHomeDirectory()
        let configHome = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.config"
        return [currentDirectory, configHome + "/openstack", "/etc/openstack"]
    }

    /// The first existing file among the candidates: an explicit one first, then NAME.yaml/.yml/.json in each directory.
    static func find(_ name: String, explicit: String?, directories: [String]) -> String? {
        var candidates: [String] = explicit.map { [$0] } ?? []
        for directory in directories {
            for suffix in ["yaml", "yml", "json"] { candidates.append("\(directory)/\(name).\(suffix)") }
        }
        return candidates.first { FileManager.default.fileExists(atPath: $0) }
    }

    /// Loads the named cloud (or the only one), applying secure.yaml. `cloud` nil falls back to OS_CLOUD.
    public static func load(
        cloud: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
        currentDirectory: String = FileManager.default.currentDirectoryPath
    ) throws -> CloudCredentials {
        let directories = searchDirectories(environment: environment, currentDirectory: currentDirectory)
        guard let path = find("clouds", explicit: environment["OS_CLIENT_CONFIG_FILE"], directories: directories) else {
            throw LocatedProblem(
                path: "clouds.yaml", line: nil, key: nil,
                problem: "no clouds.yaml in \(directories.joined(separator: ", "))",
                remedy: "Put clouds.yaml in ~/.config/openstack/, set OS_CLIENT_CONFIG_FILE, or use --openrc.")
        }
        var clouds = try cloudsMapping(path: path)
        if let securePath = find("secure", explicit: environment["OS_CLIENT_SECURE_FILE"], directories: directories) {
            for (name, secure) in try cloudsMapping(path: securePath) {
                clouds[name] = merge(clouds[name] ?? [:], secure)
            }
        }
        let chosen = cloud ?? environment["OS_CLOUD"].flatMap { $0.isEmpty ? nil : $0 }
        let name: String
        if let chosen {
            guard clouds[chosen] != nil else {
                throw LocatedProblem(
                    path: path, line: nil, key: chosen,
                    problem: "there is no cloud named \(chosen) (clouds: \(clouds.keys.sorted().joined(separator: ", ")))",
                    remedy: "Use one of those names: the cloud in clouds.yaml field (cloud.os_cloud), or check --os-cloud NAME.")
            }
            name = chosen
        } else if clouds.count == 1, let only = clouds.keys.first {
            name = only
        } else {
            throw LocatedProblem(
                path: path, line: nil, key: "clouds", problem: "several clouds and none chosen (\(clouds.keys.sorted().joined(separator: ", ")))",
                remedy: "Name one: the cloud in clouds.yaml field (cloud.os_cloud), OS_CLOUD, or check --os-cloud NAME.")
        }
        return try credentials(from: clouds[name] ?? [:], source: "\(path) (cloud \(name))")
    }

    /// Turns one cloud's settings into OS_* variables and then credentials.
    static func credentials(from cloud: [String: Any], source: String) throws -> CloudCredentials {
        let auth = cloud["auth"] as? [String: Any] ?? [:]
        var variables: [String: String] = [:]
        func set(_ variable: String, _ value: Any?) {
            if let value { variables[variable] = "\(value)" }
        }
        for (key, value) in auth { set("OS_" + key.uppercased(), value) }
        set("OS_AUTH_TYPE", cloud["auth_type"])
        set("OS_REGION_NAME", cloud["region_name"] ?? (cloud["regions"] as? [Any])?.first)
        set("OS_INTERFACE", cloud["interface"] ?? cloud["endpoint_type"])
        set("OS_CACERT", cloud["cacert"])
        if let verify = cloud["verify"] as? Bool, !verify { variables["OS_INSECURE"] = "true" }
        if let insecure = cloud["insecure"] as? Bool, insecure { variables["OS_INSECURE"] = "true" }
        return try CloudCredentials.from(variables: variables, source: source)
    }

    /// Parses clouds.yaml text and builds credentials for every cloud in it (what the fuzzer drives).
    public static func parse(_ text: String, path: String) throws -> [String: CloudCredentials] {
        var result: [String: CloudCredentials] = [:]
        for (name, cloud) in try cloudsMapping(text: text, path: path) {
            result[name] = try credentials(from: cloud, source: "\(path) (cloud \(name))")
        }
        return result
    }

    private static func cloudsMapping(path: String) throws -> [String: [String: Any]] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw LocatedProblem(path: path, line: nil, key: nil, problem: "cannot be read", remedy: remedy)
        }
        return try cloudsMapping(text: text, path: path)
    }

    private static func cloudsMapping(text: String, path: String) throws -> [String: [String: Any]] {
        // The node tree, not Yams.load: its untyped constructor traps on keys that only collide once constructed.
        guard let root = try YAMLDocument.compose(text, path: path, remedy: remedy), let top = plain(root) as? [String: Any],
            let clouds = top["clouds"] as? [String: Any]
        else {
            throw LocatedProblem(path: path, line: 1, key: "clouds", problem: "there is no `clouds:` mapping", remedy: remedy)
        }
        var result: [String: [String: Any]] = [:]
        for (name, value) in clouds {
            guard let cloud = value as? [String: Any] else {
                throw LocatedProblem(path: path, line: nil, key: name, problem: "a cloud must be a mapping of settings", remedy: remedy)
            }
            result[name] = cloud
        }
        return result
    }

    /// A node as plain values: mappings with text keys, lists, and scalars as Bool, Int or String.
    static func plain(_ node: Node) -> Any? {
        switch node {
        case let .scalar(scalar):
            if scalar.style == .plain {
                if let flag = Bool.construct(from: scalar) { return flag }
                // Swift's Int(_:) and not Yams' constructor, which traps on overflowing sexagesimal numbers (1:2:3).
                if let number = Int(scalar.string) { return number }
            }
            return scalar.string
        case let .mapping(mapping):
            var result: [String: Any] = [:]
            for (key, value) in mapping {
                guard let name = key.scalar?.string else { continue }
                result[name] = plain(value)
            }
            return result
        case let .sequence(sequence):
            return sequence.compactMap(plain)
        case .alias:
            return nil
        }
    }

    /// Deep merge: values in `over` win, mappings merge.
    static func merge(_ base: [String: Any], _ over: [String: Any]) -> [String: Any] {
        var result = base
        for (key, value) in over {
            if let inner = value as? [String: Any], let existing = result[key] as? [String: Any] {
                result[key] = merge(existing, inner)
            } else {
                result[key] = value
            }
        }
        return result
    }
}
