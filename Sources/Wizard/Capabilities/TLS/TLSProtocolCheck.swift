import CloudProbe
import Foundation
import StepEngine

/// The TLS protocol each https endpoint of the catalog negotiates: below TLS 1.2 is a warning (current clients refuse
/// it, Atmosphere's among them once its server's OpenSSL is current), and a server that offers nothing this host
/// accepts is a failure.
struct TLSProtocolCheck: StepCapability {
    let descriptor = Capability(id: "tls.protocol", kind: .check, title: "Endpoints negotiate TLS 1.2 or later", availability: .available)

    /// From the connections the step's cloud verification already made (one per URL of the catalog), none of its own.
    func observe(_ run: StepContext) async -> [Finding] {
        let observed = await run.shared.cloud { await CloudVerificationCheck.verify(run) }.tls
        guard !observed.isEmpty else {
            // The step's credentials and Keystone findings say why nothing was reached; this check has no fact of its own.
            return [
                Finding(
                    checkID: id, target: "the catalog", severity: .info,
                    observed: "not checked: no endpoint of the catalog was reached (see the credentials and Keystone findings)")
            ]
        }
        // One finding per host and port: endpoints behind one haproxy share its protocol settings.
        var seen = Set<String>()
        return observed.filter { report in
            guard let parts = URLComponents(string: report.url), parts.scheme?.lowercased() == "https", let host = parts.host else { return false }
            return seen.insert("\(host):\(parts.port ?? 443)").inserted
        }.flatMap { Self.findings(for: $0, checkID: id) }
    }

    /// The protocol's finding for one endpoint; none when its connection failed for another reason (tls.endpoints says which).
    static func findings(for report: TLSReport, checkID: String) -> [Finding] {
        let target = URLComponents(string: report.url).map { "\($0.host ?? report.host):\($0.port ?? 443)" } ?? report.host
        let remedy =
            "Allow TLS 1.2 and 1.3 on the API's load balancer (haproxy: ssl-default-bind-options ssl-min-ver TLSv1.2; "
            + "OpenStack-Ansible: haproxy_ssl_bind_options), then reload it."
        if let version = report.tlsVersion {
            let modern = ["TLSv1.2", "TLSv1.3"].contains(version)
            return [
                Finding(
                    checkID: checkID, target: target, severity: modern ? .ok : .warning,
                    observed: modern ? "negotiates \(version)" : "negotiates \(version), below TLS 1.2: current clients refuse it",
                    expected: "TLS 1.2 or later", remedy: modern ? "" : remedy)
            ]
        }
        // OpenSSL 3 words a server that speaks only TLS 1.0 or 1.1 in one of these ways, by what it stumbles on first.
        let signs = ["protocol version", "unsupported protocol", "no protocols available", "legacy sigalg disallowed"]
        guard
            let refusal = [report.failure?.message, report.problem?.summary].compactMap({ $0 })
                .first(where: { message in signs.contains { message.lowercased().contains($0) } })
        else { return [] }
        return [
            Finding(
                checkID: checkID, target: target, severity: .failure,
                observed: "offers only TLS below 1.2, which this host refuses, as current clients do (\(refusal.prefix(120)))",
                expected: "TLS 1.2 or later", remedy: remedy)
        ]
    }
}
