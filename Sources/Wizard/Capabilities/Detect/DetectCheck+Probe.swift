import AtmosphereKit
import Foundation
import StepEngine

extension DetectCheck {
    /// What the probe found on the Atmosphere server; what it found is kept as answers for the later steps.
    func readRemote(_ output: RemoteOutput, run: StepContext) -> [Finding] {
        let inputs = Inputs(run.reader(for: self))
        guard let probe = output.probe else {
            let first = output.text.split(separator: "\n").first { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.map(String.init) ?? ""
            return [
                failure(
                    target: inputs.site.checkout, observed: "the pasted text has no probe lines (ATMO-CONNECT-PROBE); it starts: \(first.prefix(80))",
                    remedy: "Check atmosphere.checkout (the probe stops when it cannot cd there), run the block again and paste all of its output.")
            ]
        }
        var (install, findings) = AtmosphereInstall.assess(
            probe.facts, checkout: probe.checkout, virtualenv: inputs.site.virtualenv, ansibleCheckout: inputs.site.ansibleCheckout,
            whereabouts: "on the Atmosphere server")
        if !probe.complete {
            findings.append(
                warning(
                    target: probe.checkout, observed: "the probe's output ends early (no \"done\" line)",
                    remedy: "Paste everything the block printed, down to ATMO-CONNECT-PROBE done."))
        }
        if output.has("REACH") {
            // Whether the server reaches the cloud with its own trust store, as Atmosphere will.
            if let trust = output.values("TRUST").last {
                findings.append(
                    info(
                        target: probe.checkout,
                        observed: "the Atmosphere server's Python trusts the CAs in \(trust) (under env -i, as Atmosphere runs: "
                            + "the pasting shell's REQUESTS_CA_BUNDLE and CURL_CA_BUNDLE do not count)"))
            }
            if let answers = DjangoShell.lastResult(in: output.text, as: [String: AtmosphereReachability.Answer].self) {
                findings += AtmosphereReachability.findings(
                    answers, settings: inputs.provider.comparable, checkID: id, consequence: "Atmosphere will fail there until this is fixed.")
            } else {
                findings.append(
                    failure(
                        target: probe.checkout,
                        observed: "the probe could not check whether the server reaches the cloud (no result after ATMO-CONNECT-REACH)",
                        remedy: "Read the error after ATMO-CONNECT-REACH on the server (the virtualenv's Python and requests), fix it and run the probe again."))
            }
        }
        if probe.providerRecords == nil {
            findings.append(
                failure(
                    target: probe.checkout,
                    observed: "the probe could not read Atmosphere's providers from its database (no ATMO-CONNECT-RESULT line after ATMO-CONNECT-PROVIDERS)",
                    remedy: AtmosphereReadError.unreadable(what: "", cause: "").remedy))
        } else if !probe.providers.isEmpty {
            findings.append(
                info(
                    target: probe.checkout,
                    observed: "providers there now: " + probe.providers.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")))
        }
        if let install { findings += keep(install, run: run) }
        return findings
    }
}
