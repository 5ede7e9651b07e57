import AtmosphereKit
import DemoCloud
import Foundation
import StepEngine

/// The demo cloud and an Atmosphere install of one generation that reaches it: upstream's scripts run against a real
/// HTTPS Keystone on loopback.
public final class AtmosphereLab {
    public let cloud: DemoCloud
    public let root: String
    public let install: AtmosphereInstall
    public let password: String

    /// Starts a demo cloud and makes the install; `trustsCloud: false` makes an Atmosphere server without the cloud's CA.
    public init(_ generation: AtmosphereSandbox.Generation, trustsCloud: Bool = true, users: [String] = []) throws {
        password = "demo-" + UUID().uuidString
        cloud = try DemoCloud(directory: TestPaths.scratch("atmo-lab-cloud"), adminPassword: password)
        root = try AtmosphereTree.make(generation, cloud: cloud, trustsCloud: trustsCloud, users: users)
        let detected = AtmosphereInstall.detect(
            checkout: root + "/atmosphere", virtualenv: root + "/env/atmo", ansibleCheckout: root + "/atmosphere-ansible")
        guard let install = detected.install else {
            throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "\(detected.findings)"])
        }
        self.install = install
    }

    deinit { cloud.shutdown() }

    /// Keystone's root URL as Atmosphere wants it (scheme://host:port).
    public var keystone: String { cloud.authURL.replacingOccurrences(of: "/v3", with: "") }

    /// Provider settings for this cloud, with the demo's admin as the provider's admin identity.
    public func settings(
        name: String = "lab", public isPublic: Bool = true, region: String = "RegionOne", secret: String = String(repeating: "s", count: 40),
        password: String? = nil
    ) -> ProviderSettings {
        ProviderSettings(
            name: name, isPublic: isPublic, adminUsername: "admin", adminTenant: "admin", adminPassword: SecretValue(password ?? self.password),
            authURL: keystone, adminURL: keystone, region: region, publicRouters: ["public_router"], networkName: "public",
            topology: "External Router Topology", dnsNameservers: ["8.8.8.8"], adminRoleName: "admin", userRoleName: "member",
            domain: "default", secret: SecretValue(secret), hostnameFormat: "vm%(four)s.cloud.example.org")
    }

    /// Adds provider `settings` with upstream's add_new_provider.py.
    public func addProvider(_ settings: ProviderSettings, json: String? = nil) throws -> AddProviderScript.Outcome {
        let path = root + "/provider-\(UUID().uuidString.prefix(6)).json"
        try AnswersFile.writePrivately(json ?? settings.json(), to: path)
        defer { unlink(path) }
        return try AddProviderScript.run(install: install, jsonPath: path, settings: settings, timeout: 60)
    }

    /// The rows of a model in the install's database.
    public func rows(_ model: String) throws -> [[String: Any]] { try AtmosphereTree.rows(root, model: model) }
}

/// Lines of an answers file the Atmosphere tests share.
public enum LabAnswers {
    /// The install at `tree`.
    public static func atmosphere(_ tree: String) -> String {
        """
        atmosphere.checkout: \(tree)/atmosphere
        atmosphere.venv: \(tree)/env/atmo
        atmosphere.ansible_checkout: \(tree)/atmosphere-ansible

        """
    }

    /// The demo cloud, with its admin (password in the environment variable `variable`) as the operator and as atmoadmin.
    public static func cloud(_ cloud: DemoCloud, passwordVariable variable: String) -> String {
        let keystone = cloud.authURL.replacingOccurrences(of: "/v3", with: "")
        return """
            cloud.openrc_path: \(cloud.directory)/admin-openrc
            cloud.password: {from_env: \(variable)}
            cloud.cacert: \(cloud.caBundle)
            cloud.resolve: [\(cloud.resolve.joined(separator: ", "))]
            credential.auth_url: \(keystone)
            credential.admin_url: \(keystone)
            credential.region: RegionOne
            atmoadmin.user: admin
            atmoadmin.project: admin
            atmoadmin.password: {from_env: \(variable)}

            """
    }
}

/// The provider JSONs in the folder of `path` (the operator's provider.json_path): the file itself, each run's own
/// name beside it (`STEM-PID.json`), and any of them half-written.
public func providerJSONs(near path: String) -> [String] {
    let folder = (path as NSString).deletingLastPathComponent
    let stem = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
    // A half-written one too: the writer's temporary name, .NAME.atmo-connect-XXXXXXXXXXXX.
    let final = names.filter { $0 == stem + ".json" || ($0.hasPrefix(stem + "-") && $0.hasSuffix(".json")) }
    let half = names.filter { $0.hasPrefix("." + stem) && $0.contains(".json.atmo-connect-") }
    return (final + half).sorted().map { folder + "/" + $0 }
}
