import CloudProbe
import Foundation
import StepEngine

/// Writes the OpenStack-Ansible user_variables.yml fragment for the catalog as Keystone lists it, after a preview.
struct OSAUserVariablesAction: StepCapability {
    let descriptor = Capability(
        id: "osa.user-variables", kind: .action, title: "Write the OpenStack-Ansible user_variables.yml fragment", availability: .available)

    /// The name the certificate covers, the certificate's files, Atmosphere's network and where the fragment goes.
    struct Inputs: CapabilityInputs {
        var cloud: CloudAccess.Inputs
        var apiHostname: String?
        var certificate: String?
        var key: String?
        var caCertificate: String?
        var atmosphereNetwork: String?
        var outputPath: String

        init(_ answers: InputReader) {
            cloud = CloudAccess.Inputs(answers)
            apiHostname = answers.optionalText("tls.api_hostname")
            certificate = answers.optionalText("osa.cert_path")
            key = answers.optionalText("osa.key_path")
            caCertificate = answers.optionalText("osa.ca_path")
            atmosphereNetwork = answers.list("osa.atmosphere_network").first
            outputPath = answers.path("osa.output_path") ?? ""
        }

        /// Whether the network given for Atmosphere's server is every address: the allow-list then allows all.
        var opensToAll: Bool {
            guard let network = atmosphereNetwork, let range = IPRange(network) else { return false }
            return range.count >= 1 << 31 || network.hasSuffix("/0")
        }
    }

    /// The warning for an allow-list entry that lets every address in.
    func openToAll(_ network: String) -> Finding {
        warning(
            target: "osa.atmosphere_network",
            observed: "\(network) is every address: HAProxy's allow-list for Keystone would let any host reach it, not only the Atmosphere server",
            remedy: "Give the Atmosphere server's own address or network (such as 192.0.2.10/32), then run this step again.")
    }

    /// Writes the fragment; a network that is every address is said, with what it does.
    func perform(_ run: StepContext, plan: ActionPlan) async -> [Finding] {
        let inputs = Inputs(run.reader(for: self))
        return PlannedFileWriter(owner: self).write(plan, run: run) + (inputs.opensToAll ? [openToAll(inputs.atmosphereNetwork ?? "")] : [])
    }

    func plan(_ run: StepContext) async -> Result<ActionPlan, FindingError>? {
        let inputs = Inputs(run.reader(for: self))
        let admin: KeystoneAdmin
        switch await CloudAccess(inputs: inputs.cloud).admin(run, owner: self) {
        case let .success(found): admin = found
        case let .failure(error): return .failure(error)
        }
        let catalog = admin.session.catalog
        let region = inputs.cloud.region
        let publicEndpoints = catalog.all(interface: "public", region: region)
        let fqdn =
            inputs.apiHostname
            ?? publicEndpoints.compactMap { URLComponents(string: $0.url)?.host }.first {
                $0.contains(".") && !$0.allSatisfy { $0.isNumber || $0 == "." }
            }
        guard let fqdn else {
            return .failure(
                refusal(
                    target: "tls.api_hostname", observed: "no host name for the endpoints: the catalog has none, and none was given",
                    remedy: "Give the name the certificate covers on the TLS screen (tls.api_hostname)."))
        }
        let fragment: OSAUserVariables
        do {
            fragment = try OSAUserVariables(
                publicEndpoints: publicEndpoints,
                identityAdmin: catalog.endpoint(types: ["identity"], interface: "admin", region: region),
                fqdn: fqdn, certificate: inputs.certificate, key: inputs.key, caCertificate: inputs.caCertificate,
                atmosphereNetwork: inputs.atmosphereNetwork)
        } catch {
            return .failure(FindingError(failure(error, target: "the fragment", remedy: "Fix the TLS screen's answers.")))
        }
        let path = inputs.outputPath
        guard !fragment.isEmpty else {
            // Nothing to change: no file, not even an empty one.
            return .success(
                ActionPlan(
                    summary: ["Nothing to change: every public endpoint and the Keystone admin endpoint are on https and \(fqdn)."],
                    files: []))
        }
        let old: String?
        do { old = try ExistingFile(owner: self).read(path) } catch { return .failure(error) }
        return .success(
            ActionPlan(
                summary: [
                    "Write the OpenStack-Ansible settings for \(fqdn) to \(path). Then, on the deploy host, add them to "
                        + "/etc/openstack_deploy/user_variables.yml, run the playbooks below, and run this step again: its checks run again."
                ] + (inputs.opensToAll ? ["Warning: " + openToAll(inputs.atmosphereNetwork ?? "").observed + "."] : []),
                files: [PlannedFile(path: path, old: old, new: fragment.yaml + "\n")],
                equivalents: fragment.playbooks.map { "cd /opt/openstack-ansible/playbooks && \($0)" }))
    }
}
