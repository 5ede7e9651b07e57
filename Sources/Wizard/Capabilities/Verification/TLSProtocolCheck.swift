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
        let observed = await CloudVerificationCheck.observation(run).tls
        guard !observed.isEmpty else {
            // The step's credentials and Keystone findings say why nothing was reached; this check has no fact of its own.
            return [
                info(target: "the catalog", observed: "not checked: no endpoint of the catalog was reached (see the credentials and Keystone findings)")
            ]
        }
        return TLSProtocol.findings(for: observed, checkID: id)
    }
}
