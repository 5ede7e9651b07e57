import AtmoModel
import Foundation

/// The TLS protocol each https endpoint negotiates: below TLS 1.2 is a warning (current clients refuse it), and a
/// server that offers nothing this host accepts is a failure. One finding per host and port, from connections already
/// made (the verification's TLS reports), for the wizard's TLS step and for `check` alike.
public enum TLSProtocol {
    /// The findings for the endpoints reached; endpoints behind one haproxy share its protocol settings.
    public static func findings(for reports: [TLSReport], checkID: String) -> [Finding] {
        var seen = Set<String>()
        return reports.sorted { $0.url < $1.url }.filter { report in
            guard let parts = URLComponents(string: report.url), parts.scheme?.lowercased() == "https", let host = parts.host else { return false }
            return seen.insert("\(host):\(parts.port ?? 443)").inserted
        }.flatMap { findings(for: $0, checkID: checkID) }
    }

    /// The protocol's finding for one endpoint; none when its connection failed for another reason (tls.endpoints says which).
    public static func findings(for report: TLSReport, checkID: String) -> [Finding] {
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
