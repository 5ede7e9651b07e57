import AtmoModel
import Foundation

/// What one endpoint's TLS looks like.
public struct TLSReport: Sendable, Equatable {
    public var url: String
    public var host: String
    /// The certificate verified against the system store or the operator's bundle.
    public var verified: Bool
    public var problem: TLSProblem?
    /// The server's certificate, even when it failed verification (read on a second connection that sends nothing).
    public var leaf: CertificateInfo?
    public var tlsVersion: String?
    public var daysLeft: Int?
    /// The operator's CA bundle, when it was used instead of the system store.
    public var caBundle: String?
    /// A failure before TLS could be judged (no answer, plain HTTP).
    public var failure: HTTPFailure?
    /// The HTTP status of the plain GET, when there was an answer.
    public var status: Int?
    /// Seconds the GET took.
    public var elapsed: TimeInterval = 0
}

/// Connects to endpoints and judges their certificates.
public struct TLSInspector: Sendable {
    public let client: HTTPClient
    /// Days of validity below which a certificate is a warning, and a failure.
    public static let warningDays = 60
    public static let failureDays = 14

    /// An inspector using the client's trust settings.
    public init(client: HTTPClient) { self.client = client }

    /// Inspects an https URL with a plain GET (no credentials are sent on it).
    public func inspect(_ url: String, now: Date = Date()) async -> TLSReport {
        let host = URLComponents(string: url)?.host ?? url
        var report = TLSReport(
            url: url, host: host, verified: false, problem: nil, leaf: nil, tlsVersion: nil, daysLeft: nil,
            caBundle: client.configuration.caBundle, failure: nil)
        let started = Date()
        do {
            var request = HTTPRequest(url: url)
            request.collectsCertificates = true
            let response = try await client.send(request)
            report.verified = url.lowercased().hasPrefix("https://")
            report.leaf = response.certificates.first
            report.tlsVersion = response.tlsVersion
            report.status = response.status
        } catch let failure as HTTPFailure {
            if case let .tls(problem, _) = failure {
                report.problem = problem
                report.leaf = await client.presentedChain(of: url).first
            } else {
                report.failure = failure
            }
        } catch {
            report.failure = .other(code: -1, message: String(describing: error))
        }
        report.elapsed = Date().timeIntervalSince(started)
        report.daysLeft = report.leaf?.daysLeft(now: now)
        return report
    }

    /// The findings a report calls for, under `checkID`.
    public static func findings(for report: TLSReport, checkID: String) -> [Finding] {
        let trust = report.caBundle.map { "trusted only with CA bundle \($0)" } ?? "trusted by the system store"
        if let failure = report.failure {
            return [
                Finding(
                    checkID: checkID, target: report.url, severity: .failure, observed: failure.message,
                    expected: "an https endpoint that answers", remedy: failure.remedy)
            ]
        }
        let subject =
            report.leaf.map { leaf in
                "subject \(leaf.commonName ?? leaf.subject), issuer \(CertificateInfo.attribute("CN", in: leaf.issuer) ?? leaf.issuer), names \((leaf.dnsNames + leaf.ipAddresses).joined(separator: " "))"
            } ?? "no certificate seen"
        if let problem = report.problem {
            return [
                Finding(
                    checkID: checkID, target: report.url, severity: .failure,
                    // An expired certificate says when in its summary; "(-2 days left)" says nothing more.
                    observed: "\(problem.summary); \(subject)"
                        + (problem.kind == "expired" ? "" : (report.leaf?.notAfter.map { "; expires \(CertificateInfo.day($0))" } ?? ""))
                        + (report.daysLeft.flatMap { $0 >= 0 && problem.kind != "expired" ? " (\($0) days left)" : nil } ?? ""),
                    expected: "a certificate \(trust), valid now, naming \(report.host)", remedy: problem.remedy)
            ]
        }
        guard report.verified else {
            return [
                Finding(
                    checkID: checkID, target: report.url, severity: .failure, observed: "plain http: no TLS at all",
                    expected: "https", remedy: "Serve the endpoint over https.")
            ]
        }
        let days = report.daysLeft ?? Int.max
        let expiry = report.leaf?.notAfter.map { "expires \(CertificateInfo.day($0)), \(days) days left" } ?? "no expiry seen"
        let observed = "\(trust), \(report.tlsVersion ?? "TLS"), \(subject), \(expiry)"
        if days < failureDays {
            return [
                Finding(
                    checkID: checkID, target: report.url, severity: .failure, observed: observed,
                    expected: "at least \(failureDays) days of validity", remedy: TLSProblem.expired(on: nil).remedy)
            ]
        }
        if days < warningDays {
            return [
                Finding(
                    checkID: checkID, target: report.url, severity: .warning, observed: observed,
                    expected: "at least \(warningDays) days of validity", remedy: "Renew the certificate soon (Let's Encrypt renews at 30 days).")
            ]
        }
        return [Finding(checkID: checkID, target: report.url, severity: .ok, observed: observed)]
    }
}
