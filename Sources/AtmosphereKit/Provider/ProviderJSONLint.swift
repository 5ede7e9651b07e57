import AtmoModel
import Foundation

/// Which add_new_provider.py the JSON is for: the guide's (2016-11 to 2017-05) or the later one.
public enum AtmosphereGeneration: String, Sendable, Equatable {
    /// The guide's era: all four top-level keys required, public_routers required.
    case old
    /// June 2017 onward (essentially the final code).
    case head
}

/// One finding per known pitfall of a provider JSON for add_new_provider.py --from-json.
public enum ProviderJSONLint {
    static let id = "atmosphere.provider-json"
    public static let topologies = ["External Router Topology", "External Network Topology"]

    /// Lints JSON text. `existingProviders` are the provider names Atmosphere already has.
    public static func findings(
        text: String, generation: AtmosphereGeneration, existingProviders: [String] = [], file: String = "provider JSON"
    ) -> [Finding] {
        func problem(_ key: String, _ observed: String, _ expected: String, _ remedy: String, _ severity: Severity = .failure) -> Finding {
            Finding(checkID: id, target: "\(file): \(key)", severity: severity, observed: observed, expected: expected, remedy: remedy)
        }
        if let comment = text.split(separator: "\n").first(where: {
            $0.trimmingCharacters(in: .whitespaces).hasPrefix("#") || $0.contains(" # ") || $0.contains("//") && !$0.contains("://")
        }) {
            return [
                problem(
                    "(file)", "a comment: \(comment.trimmingCharacters(in: .whitespaces).prefix(60))", "strict JSON",
                    "Remove comments: the guide's sample has # comments, and the script stops with \"Invalid file format expected a json file.\"")
            ]
        }
        guard let data = text.data(using: .utf8), let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            return [problem("(file)", "not valid JSON", "a JSON object", "Check quotes, commas and braces; the script accepts strict JSON only.")]
        }
        var findings: [Finding] = []
        let sections = ["provider", "admin", "credential", "cloud_config"]
        for section in sections where root[section] == nil {
            findings.append(
                problem(
                    section, "missing", "present",
                    generation == .old
                        ? "The guide-era script indexes all four sections and crashes (KeyError) without \(section)."
                        : "Without it the script prompts for every value in it.",
                    generation == .old ? .failure : .warning))
        }
        let provider = root["provider"] as? [String: Any] ?? [:]
        let admin = root["admin"] as? [String: Any] ?? [:]
        let credential = root["credential"] as? [String: Any] ?? [:]
        let cloud = root["cloud_config"] as? [String: Any] ?? [:]
        let network = cloud["network"] as? [String: Any] ?? [:]
        let user = cloud["user"] as? [String: Any] ?? [:]
        let deploy = cloud["deploy"] as? [String: Any] ?? [:]

        // Atmosphere's operators tell providers apart by name in its admin pages, where BAR-SB and bar-sb are one.
        if let name = provider["name"] as? String, existingProviders.contains(where: { $0.lowercased() == name.lowercased() }) {
            findings.append(
                problem(
                    "provider.name", "\"\(name)\" already exists in Atmosphere", "a new name",
                    "Choose another name: the script returns the existing provider unchanged, and if its connection check fails it deletes that provider, with everything that cascades from it."
                ))
        }
        if (provider["public"] as? Bool) != true {
            findings.append(
                problem(
                    "provider.public", provider["public"] == nil ? "missing" : "false", "true, or an answer ready for the prompt",
                    "The script asks \"Would you like Atmosphere to make this provider public?\" whenever public is not true (false is falsy): set true, or answer the prompt.",
                    .warning))
        }
        for key in ["platform", "type"] where provider[key] != nil {
            findings.append(
                problem(
                    "provider.\(key)", "set to \(provider[key].map { "\($0)" } ?? "")", "absent",
                    "Remove provider.\(key): the script assigns the string to a foreign key and fails; it sets KVM and OpenStack itself."))
        }
        for key in ["username", "password", "tenant"] where (admin[key] as? String)?.isEmpty ?? true {
            findings.append(
                problem(
                    "admin.\(key)", "missing", "the atmoadmin \(key)",
                    "Add admin.\(key); the script stops with \"The required field `\(key)` was not found.\""))
        }
        var required = ["admin_url", "auth_url", "region_name"]
        if generation == .old { required.append("public_routers") }
        for key in required where (credential[key] as? String)?.isEmpty ?? true {
            findings.append(problem("credential.\(key)", "missing", "present", "Add credential.\(key); the script exits 1 without it."))
        }
        for key in ["auth_url", "admin_url"] {
            guard let url = credential[key] as? String, let components = URLComponents(string: url) else { continue }
            if !(components.path.isEmpty || components.path == "/") {
                findings.append(
                    problem(
                        "credential.\(key)", "\(url) has the path \(components.path)", "scheme://host:port",
                        "Drop the path: Atmosphere appends /v3/ itself (so /v3 becomes /v3/v3/), and 2.0_password rewrites it to /v2.0/tokens."))
            }
        }
        if let version = credential["ex_force_auth_version"] as? String, version != "3.x_password" {
            findings.append(
                problem(
                    "credential.ex_force_auth_version", version, "3.x_password",
                    version == "2.0_password"
                        ? "Use 3.x_password: 2.0_password rewrites both URLs to /v2.0/tokens, and Keystone removed v2.0 in 2018."
                        : "Use 3.x_password (the only other value the script takes is 2.0_password)."))
        }
        if let routers = credential["public_routers"] as? String, routers.contains(", ") {
            findings.append(
                problem(
                    "credential.public_routers", "\"\(routers)\"", "comma-separated with no spaces",
                    "Write \(routers.replacingOccurrences(of: ", ", with: ",")): Atmosphere splits on commas only, so the spaces become part of the names.",
                    .warning))
        }
        if let topology = network["topology"] {
            if !topologies.contains(topology as? String ?? "") {
                findings.append(
                    problem(
                        "cloud_config.network.topology", "\"\(topology)\"", topologies.joined(separator: " or "),
                        "Use one of the two exact names; anything else fails only later, with \"Unknown topology name\"."))
            }
        } else if generation == .old {
            findings.append(
                problem(
                    "cloud_config.network.topology", "missing", topologies.joined(separator: " or "),
                    "Set it: the guide-era script crashes when it has to ask for the topology."))
        }
        for key in ["dns_nameservers", "default_security_rules"] where network[key] != nil && !(network[key] is [Any]) {
            findings.append(
                problem(
                    "cloud_config.network.\(key)", "a string, not a list", "a JSON list",
                    "Write it as a JSON list: a string is stored as is and breaks \(key == "dns_nameservers" ? "subnet creation" : "security rule creation") later."
                ))
        }
        for server in network["dns_nameservers"] as? [Any] ?? [] {
            guard let text = server as? String else { continue }
            if text.hasSuffix(".") || IPRange.address(text) == nil {
                findings.append(
                    problem(
                        "cloud_config.network.dns_nameservers", "\"\(text)\"", "IPv4 addresses",
                        text.hasSuffix(".")
                            ? "Remove the trailing dot (Atmosphere's own DEFAULT_NAMESERVERS has this typo: \"8.8.4.4.\")."
                            : "Use the resolver's IPv4 address."))
            }
        }
        let secret = user["secret"] as? String ?? ""
        if secret.count < 32 {
            findings.append(
                problem(
                    "cloud_config.user.secret", secret.isEmpty ? "missing" : "\(secret.count) characters", "32 or more characters",
                    "Use a generated secret of 32+ characters; a shorter one makes the script ask again."))
        }
        if let format = deploy["hostname_format"] as? String,
            format.firstMatch(of: #/%\((one|two|three|four)\)s/#) == nil
        {
            findings.append(
                problem(
                    "cloud_config.deploy.hostname_format", "\"\(format)\"", "at least one of %(one)s to %(four)s",
                    "Include an octet placeholder: without one Atmosphere logs \"Invalid instance_hostname_format\" and names instances by raw IP."))
        }
        if let format = deploy["hostname_format"] as? String, isPlaceholder(hostnameFormat: format) {
            findings.append(
                problem(
                    "cloud_config.deploy.hostname_format", "\"\(format)\" names a reserved example domain",
                    "your instances' real DNS names, or %(one)s.%(two)s.%(three)s.%(four)s",
                    "Give the format of the names your DNS holds (the DNS step), or leave Atmosphere's default: without DNS names it names instances by their IP."
                ))
        }
        return findings
    }

    /// Whether a host name format is a placeholder: its names end in a domain reserved for examples (RFC 2606), which no
    /// real instance can have.
    public static func isPlaceholder(hostnameFormat: String) -> Bool {
        let lowered = hostnameFormat.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: ". "))
        return ["example.org", "example.com", "example.net"].contains { lowered == $0 || lowered.hasSuffix("." + $0) }
            || lowered.hasSuffix(".example") || lowered.hasSuffix(".invalid")
    }
}
