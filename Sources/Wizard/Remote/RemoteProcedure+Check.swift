import AtmosphereKit
import Foundation
import StepEngine

extension RemoteProcedure {
    /// Checks the output pasted back from the Atmosphere server; keeps it (secrets masked) and what it tells, as derived answers.
    static func check(_ screen: Screen, output raw: String, engine: Engine) -> [Finding] {
        let output = RemoteOutput(raw)
        try? engine.store.appendEvent(session: engine.session.id, kind: "remote-output", step: screen.id, detail: output.redacted)
        let ids = screen.capabilityIDs
        let target = "output from the Atmosphere server"
        guard !output.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            return [Finding(checkID: ids.first { serverCapabilities.contains($0) } ?? screen.id, target: target, severity: .failure,
                            observed: "nothing was pasted", remedy: "Run the block on the Atmosphere server and paste everything it printed.")]
        }
        if ids.contains("atmosphere.detect") { return checkProbe(output, engine: engine) }
        if ids.contains("atmosphere.add-provider") { return checkProvider(output, engine: engine) }
        if ids.contains("atmosphere.add-accounts") { return checkAccounts(output, engine: engine) }
        if ids.contains("atmosphere.inventory") { return checkInventory(screen, output, engine: engine) }
        guard let id = ids.first(where: AtmosphereShellActions.ids.contains) else { return [] }
        guard case let .success(context) = AtmosphereActions.context(engine, checkID: id) else { return [] }
        guard let value = DjangoShell.value(in: output.text) else {
            return [Finding(checkID: id, target: target, severity: .failure,
                            observed: "no result line (\(DjangoShell.marker.trimmingCharacters(in: .whitespaces))): the shell stopped before finishing"
                                + (output.status.map { ", status \($0)" } ?? ""),
                            remedy: "Read the error above the last line on the server, fix it, run the block again and paste all of its output.")]
        }
        return AtmosphereShellActions.findings(id: id, value: value, context: context)
    }

    static func checkProbe(_ output: RemoteOutput, engine: Engine) -> [Finding] {
        let reader = reader(engine)
        guard let probe = output.probe else {
            let first = output.text.split(separator: "\n").first { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.map(String.init) ?? ""
            return [Finding(checkID: "atmosphere.detect", target: reader.text("atmosphere.checkout", "/opt/dev/atmosphere"), severity: .failure,
                            observed: "the pasted text has no probe lines (ATMO-CONNECT-PROBE); it starts: \(first.prefix(80))",
                            remedy: "Check atmosphere.checkout (the probe stops when it cannot cd there), run the block again and paste all of its output.")]
        }
        var (install, findings) = AtmosphereInstall.assess(probe.facts, checkout: probe.checkout,
                                                           virtualenv: reader.text("atmosphere.venv", "/opt/env/atmo"),
                                                           ansibleCheckout: reader.text("atmosphere.ansible_checkout", "/opt/dev/atmosphere-ansible"),
                                                           whereabouts: "on the Atmosphere server")
        if !probe.complete {
            findings.append(Finding(checkID: "atmosphere.detect", target: probe.checkout, severity: .warning, observed: "the probe's output ends early (no \"done\" line)",
                                    remedy: "Paste everything the block printed, down to ATMO-CONNECT-PROBE done."))
        }
        if !probe.providers.isEmpty {
            findings.append(Finding(checkID: "atmosphere.detect", target: probe.checkout, severity: .info,
                                    observed: "providers there now: " + probe.providers.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")))
        }
        if let install {
            DerivedAnswers.offer([("atmosphere.generation", .text(install.generation == .old ? "guide" : "current")),
                                  ("atmosphere.allocation_strategies", .bool(install.hasAllocationStrategy)),
                                  ("atmosphere.inventory_directory", .bool(install.usesInventoryDirectory))],
                                 engine: engine, event: "answers-from-atmosphere")
        }
        return findings
    }

    static func checkProvider(_ output: RemoteOutput, engine: Engine) -> [Finding] {
        guard case let .success(context) = AtmosphereActions.context(engine, checkID: "atmosphere.add-provider"),
              case let .success(settings) = AtmosphereActions.settings(context, engine: engine) else {
            return [Finding(checkID: "atmosphere.add-provider", target: "provider", severity: .failure, observed: "the provider's settings are incomplete",
                            remedy: "Run the prerequisites step (its probe) and give the atmoadmin password and provider secret.")]
        }
        let providers = AccountsScript.parseProviderList(output.text(after: "PROVIDERS"))
        let id = providers.first { $0.value == settings.name }?.key
        var findings: [Finding]
        if output.has("SKIPPED") {
            findings = [Finding(checkID: "atmosphere.add-provider", target: settings.name, severity: .ok, observed: "exists already; the script was not run")]
        } else if let status = output.status {
            findings = AddProviderScript.judge(transcript: output.redacted, status: status, settings: settings).findings
        } else {
            findings = [Finding(checkID: "atmosphere.add-provider", target: settings.name, severity: .failure,
                                observed: "the pasted text has no exit status of add_new_provider.py (ATMO-CONNECT-STATUS)",
                                remedy: "Paste everything the block printed, from the script's first line to the provider list.")]
        }
        guard !findings.contains(where: { $0.severity == .failure }) else { return findings }
        guard let id else {
            return findings + [Finding(checkID: "atmosphere.add-provider", target: settings.name, severity: .failure,
                                       observed: "the provider list (after ATMO-CONNECT-PROVIDERS) does not show \(settings.name)",
                                       remedy: "Paste the whole output, down to the provider list; if the provider is missing there, run the block again.")]
        }
        try? engine.setAnswers([Answer(key: "provider.id", value: .integer(id), source: .derived)])
        findings.append(Finding(checkID: "atmosphere.add-provider", target: settings.name, severity: .ok, observed: "provider id \(id)"))
        let path = AtmosphereActions.jsonPath(context)
        if context.flag("provider.delete_json", true), FileManager.default.fileExists(atPath: path) {
            unlink(path)
            findings.append(Finding(checkID: "atmosphere.provider-json", target: path, severity: .ok,
                                    observed: "deleted here (it held the admin password); the block removed the server's copy"))
        }
        return findings
    }

    static func checkAccounts(_ output: RemoteOutput, engine: Engine) -> [Finding] {
        let reader = reader(engine)
        guard case let .integer(id)? = reader.answers["provider.id"] else { return [] }
        guard let status = output.status else {
            return [Finding(checkID: "atmosphere.add-accounts", target: "add_new_accounts.py", severity: .failure,
                            observed: "the pasted text has no exit status (ATMO-CONNECT-STATUS)", remedy: "Paste everything the block printed.")]
        }
        return AccountsScript.findings(output: output.text(before: "STATUS"), status: status, providerID: id, users: reader.list("accounts.users"))
    }

    static func checkInventory(_ screen: Screen, _ output: RemoteOutput, engine: Engine) -> [Finding] {
        if output.has("STALE") {
            return [Finding(checkID: "atmosphere.inventory", target: "hosts", severity: .failure,
                            observed: "the inventory changed on the server since the probe read it; nothing was written",
                            remedy: "Run the prerequisites step again (its probe reads the inventory), then this step.")]
        }
        // The files as planned from the same probe: their digests must be what the server printed.
        guard case let .success((instructions, _)) = inventoryPlan(engine) else { return [] }
        let digests = output.digests
        return instructions.files.map { file in
            let expected = SHA256.hex(Array(RemoteScript.asWritten(file.new).utf8))
            switch digests[file.path] {
            case expected?:
                return Finding(checkID: "atmosphere.inventory", target: file.path, severity: .ok, observed: "as planned on the server (sha256 \(expected.prefix(12))…)")
            case let other?:
                return Finding(checkID: "atmosphere.inventory", target: file.path, severity: .failure, observed: "sha256 \(other.prefix(12))… on the server, not \(expected.prefix(12))…",
                               remedy: "The file differs from the preview: run the prerequisites probe and this step again.")
            case nil:
                return Finding(checkID: "atmosphere.inventory", target: file.path, severity: .failure, observed: "no digest for it in the pasted output (ATMO-CONNECT-SHA)",
                               remedy: "Paste everything the block printed; if it stopped with an error, fix that first.")
            }
        }
    }
}
