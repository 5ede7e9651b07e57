import AtmosphereKit
import Foundation
import StepEngine


/// The provider as the answers describe it (its settings, the secrets kept in memory, where its JSON goes) and the
/// Atmosphere it goes into: what the provider step reads, here or through a block on the Atmosphere server.
struct ProviderInputs: CapabilityInputs {
    var site: AtmosphereSite.Inputs
    var name: String
    var isPublic: Bool
    var adminUsername: String
    var adminTenant: String
    var authURL: String
    var adminURL: String
    var region: String
    var authVersion: String
    var publicRouters: [String]
    var networkName: String
    var topology: String
    var dnsNameservers: [String]
    var adminRoleName: String
    var userRoleName: String
    var domain: String
    var hostnameFormat: String
    var password: SecretValue?
    var secret: SecretValue?
    /// Where the operator asked the JSON to be written, `~` expanded (relative to where atmo-connect runs).
    var jsonPath: String
    var adoptExisting: Bool
    /// The atmoadmin account, for proving the password before it goes into the JSON.
    var account: AtmoadminAccount

    init(_ answers: InputReader) {
        site = AtmosphereSite.Inputs(answers)
        name = answers.text("provider.name")
        isPublic = answers.flag("provider.public")
        adminUsername = answers.text("atmoadmin.user")
        adminTenant = answers.text("atmoadmin.project")
        authURL = answers.text("credential.auth_url")
        adminURL = answers.text("credential.admin_url")
        region = answers.text("credential.region")
        authVersion = answers.text("credential.auth_version")
        publicRouters = answers.list("provider.public_routers")
        // Atmosphere's own default, when the cloud named no external network.
        networkName = answers.text("provider.network_name", "public")
        topology = answers.text("provider.topology")
        dnsNameservers = answers.list("provider.dns_nameservers")
        adminRoleName = answers.text("provider.admin_role_name")
        userRoleName = answers.text("provider.user_role_name")
        domain = answers.text("provider.user_domain")
        hostnameFormat = answers.text("provider.hostname_format")
        password = answers.secret("atmoadmin.password")
        secret = answers.secret("provider.secret")
        jsonPath = answers.path("provider.json_path") ?? ""
        adoptExisting = answers.flag("provider.adopt_existing")
        account = AtmoadminAccount(answers)
    }

    /// The JSON this run writes: with Atmosphere elsewhere, the operator's path (the scp line copies it); here, a name
    /// of this process's own beside it, so that no other run of the session (one displaced by a forced unlock, or the
    /// one that displaced it) writes or removes the file this run's add_new_provider.py reads.
    var runJSONPath: String { site.isRemote ? jsonPath : Self.ownName(jsonPath, pid: ProcessIdentity.pid) }

    /// `path` with `-PID` before its extension.
    static func ownName(_ path: String, pid: Int32) -> String {
        let file = path as NSString
        let stem = (file.lastPathComponent as NSString).deletingPathExtension
        let ext = file.pathExtension
        return file.deletingLastPathComponent + "/" + stem + "-\(pid)" + (ext.isEmpty ? "" : "." + ext)
    }

    /// The process whose own name `path` is (nil: not one of this answer's names).
    func ownerOfName(_ path: String) -> Int32? {
        let file = jsonPath as NSString
        let stem = (file.lastPathComponent as NSString).deletingPathExtension
        let ext = file.pathExtension
        let name = (path as NSString).lastPathComponent
        guard (path as NSString).deletingLastPathComponent == file.deletingLastPathComponent, name.hasPrefix(stem + "-"),
            ext.isEmpty || name.hasSuffix("." + ext)
        else { return nil }
        return Int32(name.dropFirst(stem.count + 1).dropLast(ext.isEmpty ? 0 : ext.count + 1))
    }

    /// The settings with both secrets; without them, a failure of the provider JSON's (they go into it).
    func settings() throws(FindingError) -> ProviderSettings {
        guard let password, let secret else {
            throw ProviderJSONAction().refusal(
                target: "secrets", observed: "the atmoadmin password or the provider secret is not known in this run",
                remedy: "Give them on the atmoadmin and provider screens (or as {from_env}/{from_file} in the answers file).")
        }
        return settings(password: password, secret: secret)
    }

    /// The settings for comparing with a provider that exists: unknown secrets are empty (a provider used as it is
    /// needs none of them).
    var comparable: ProviderSettings { settings(password: password ?? SecretValue(""), secret: secret ?? SecretValue("")) }

    private func settings(password: SecretValue, secret: SecretValue) -> ProviderSettings {
        ProviderSettings(
            name: name, isPublic: isPublic, adminUsername: adminUsername, adminTenant: adminTenant, adminPassword: password,
            authURL: authURL, adminURL: adminURL, region: region, authVersion: authVersion, publicRouters: publicRouters,
            networkName: networkName, topology: topology, dnsNameservers: dnsNameservers, adminRoleName: adminRoleName,
            userRoleName: userRoleName, domain: domain, secret: secret, hostnameFormat: hostnameFormat)
    }
}
