import AtmosphereKit
import Foundation
import StepEngine

/// Derived and generated defaults that screens name by id.
public enum DefaultProviders {
    /// Derivations from earlier answers and this process's environment (as `check` reads OS_CLOUD and OS_*): each
    /// returns nil when what it needs is not there.
    public static let derivations: [String: @Sendable ([String: AnswerValue], [String: String]) -> AnswerValue?] = [
        "provider-name-from-session": { answers, _ in answers["session.name"] },
        "inventory-group-from-provider": { answers, _ in
            guard case let .text(name)? = answers["provider.name"], !name.isEmpty else { return nil }
            return .text("atmosphere-\(name)")
        },
        // Never a placeholder: a format on a reserved example domain (RFC 2606) is not the operator's.
        "hostname-format-from-dns": { answers, _ in
            guard case let .text(format)? = answers["dns.hostname_format"], !ProviderJSONLint.isPlaceholder(hostnameFormat: format) else {
                return nil
            }
            return .text(format)
        },
        "inventory-hosts-from-dns": { answers, _ in answers["dns.floating_ranges"] },
        // Where the credentials are, as `check` and the openstack client look: OS_CLOUD names a cloud in clouds.yaml;
        // OS_AUTH_URL means the OS_* variables of this shell; else a clouds.yaml in its usual places; else nothing (openrc).
        "credentials-source-from-environment": { _, environment in
            if !(environment["OS_CLOUD"] ?? "").isEmpty { return .text("clouds-yaml") }
            if !(environment["OS_AUTH_URL"] ?? "").isEmpty { return .text("environment") }
            let home = environment["HOME"] ?? NSHomeDirectory()
            let places = ["clouds.yaml", home + "/.config/openstack/clouds.yaml", "/etc/openstack/clouds.yaml"]
            return places.contains { FileManager.default.fileExists(atPath: $0) } ? .text("clouds-yaml") : nil
        },
        "os-cloud-from-environment": { _, environment in
            (environment["OS_CLOUD"]).flatMap { $0.isEmpty ? nil : .text($0) }
        },
    ]

    /// Generators of fresh values.
    public static let generators: [String: @Sendable () -> String] = [
        "strong-secret": { strongSecret(length: 40) }
    ]

    /// A random secret from the system CSPRNG (getrandom on Linux), letters and digits only so it survives any shell or JSON.
    public static func strongSecret(length: Int) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }
}
