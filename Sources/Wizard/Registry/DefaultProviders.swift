import AtmosphereKit
import StepEngine

/// Derived and generated defaults that screens name by id.
public enum DefaultProviders {
    /// Derivations from earlier answers: each returns nil when what it needs is not answered yet.
    public static let derivations: [String: @Sendable ([String: AnswerValue]) -> AnswerValue?] = [
        "provider-name-from-session": { answers in answers["session.name"] },
        "inventory-group-from-provider": { answers in
            guard case let .text(name)? = answers["provider.name"], !name.isEmpty else { return nil }
            return .text("atmosphere-\(name)")
        },
        // Never a placeholder: a format on a reserved example domain (RFC 2606) is not the operator's.
        "hostname-format-from-dns": { answers in
            guard case let .text(format)? = answers["dns.hostname_format"], !ProviderJSONLint.isPlaceholder(hostnameFormat: format) else {
                return nil
            }
            return .text(format)
        },
        "inventory-hosts-from-dns": { answers in answers["dns.floating_ranges"] },
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
