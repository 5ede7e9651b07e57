import AtmoModel
import Foundation

/// Why Atmosphere's server could not reach the cloud, from the error its account driver raised, and the fix that fits.
public enum ConnectionDiagnosis {
    /// The cause's class.
    public enum Cause: Equatable, Sendable {
        /// The Atmosphere server does not trust the cloud's certificate (Python requests' trust store).
        case untrustedCertificate
        /// Keystone refused the atmoadmin credentials.
        case credentialsRefused
        /// No connection: name resolution, routing or a firewall.
        case unreachable
        case unknown
    }

    /// Classifies the driver's error text.
    public static func cause(of text: String) -> Cause {
        let lowered = text.lowercased()
        if lowered.contains("certificate_verify_failed") || lowered.contains("certificate verify failed") || lowered.contains("ssl exception")
            || lowered.contains("sslerror")
        {
            return .untrustedCertificate
        }
        if lowered.contains("http 401") || lowered.contains("requires authentication") || lowered.contains("unauthorized") {
            return .credentialsRefused
        }
        if lowered.contains("unable to establish connection") || lowered.contains("name or service not known")
            || lowered.contains("connection refused")
            || lowered.contains("timed out") || lowered.contains("no route to host")
        {
            return .unreachable
        }
        return .unknown
    }

    /// The finding for a failed connection check of add_new_provider.py; `cause` is the driver's error as the script or
    /// Atmosphere's log gave it (nil when neither did); `url`, the one URL that failed when that is known (else the
    /// provider's auth and admin URLs are named).
    public static func finding(
        cause text: String?, settings: ProviderSettings, target: String, checkID: String = "atmosphere.add-provider",
        observed: String = "Atmosphere could not connect to the cloud, so add_new_provider.py removed the provider it had just made.",
        url: String? = nil
    ) -> Finding {
        let named = url ?? settings.authURL
        let said = text.map { " It said: \($0)" } ?? " It gave no reason (the guide's script prints none; none was in logs/atmosphere.log)."
        switch text.map(cause(of:)) ?? .unknown {
        case .untrustedCertificate:
            return Finding(
                checkID: checkID, target: target, severity: .failure,
                observed: observed + " The Atmosphere server does not trust the certificate of \(named)." + said,
                expected: "Python requests on the Atmosphere server trusts the CA that signed the cloud's certificate",
                remedy: "Atmosphere reaches the cloud with Python requests, which trusts only certifi's bundle in its virtualenv "
                    + "(`<venv>/bin/python -c 'import certifi; print(certifi.where())'`) or the file REQUESTS_CA_BUNDLE names in "
                    + "Atmosphere's environment. Append the cloud's CA certificate (PEM) to that bundle, or install it with "
                    + "update-ca-certificates and set REQUESTS_CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt for Atmosphere's "
                    + "services; then run this step again. (atmo-connect's own checks passed because they trust cloud.cacert.)")
        case .credentialsRefused:
            return Finding(
                checkID: checkID, target: target, severity: .failure,
                observed: observed + " Keystone refused \(settings.adminUsername) in project \(settings.adminTenant)." + said,
                remedy: "Check the atmoadmin password and project (the atmoadmin step logs in with them); then run this step again.")
        case .unreachable:
            return Finding(
                checkID: checkID, target: target, severity: .failure,
                observed: observed + " The Atmosphere server could not reach " + (url ?? "\(settings.authURL) or \(settings.adminURL)") + "." + said,
                remedy: "From the Atmosphere server, check that the name resolves and that the port is open (curl -v \(named)); "
                    + "then run this step again.")
        case .unknown:
            return Finding(
                checkID: checkID, target: target, severity: .failure, observed: observed + said,
                remedy: "Read the whole output in the log (F2) and logs/atmosphere.log in the checkout; fix what they say and run this step again.")
        }
    }
}
