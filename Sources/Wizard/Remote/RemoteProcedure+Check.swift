import AtmosphereKit
import Foundation
import StepEngine

extension RemoteProcedure {
    /// Reads the output pasted back from the Atmosphere server through the capability whose block it ran; keeps it
    /// (secrets masked) in the journal.
    static func check(_ raw: String, by server: any StepCapability, run: StepContext) -> [Finding] {
        let output = RemoteOutput(raw)
        try? run.engine.store.appendEvent(session: run.engine.session.id, kind: .remoteOutput, step: run.screen.id, detail: output.redacted)
        let findings =
            output.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
            ? [
                Finding(
                    checkID: server.id, target: "output from the Atmosphere server", severity: .failure,
                    observed: "nothing was pasted", remedy: "Run the block on the Atmosphere server and paste everything it printed.")
            ]
            : server.readRemote(output, run: run)
        return findings + maskSavedOutput(step: run.screen.id, raw: raw, output: output, run: run)
    }

    /// The output saved for `apply` (STEP.txt) holds what the server printed, the provider review's password and secret
    /// among it: once read, it is rewritten masked (0600), and the operator is told.
    static func maskSavedOutput(step: String, raw: String, output: RemoteOutput, run: StepContext) -> [Finding] {
        let answers = run.answers
        let path = directory(answers) + "/\(step).txt"
        guard let saved = try? String(contentsOfFile: path, encoding: .utf8), saved == raw else { return [] }
        let masked = output.redacted
        guard masked != output.text else { return [] }
        do {
            try AnswersFile.writePrivately(masked, to: path)
            return [
                Finding(
                    checkID: "atmosphere.remote-output", target: path, severity: .info,
                    observed:
                        "it held secrets as the server printed them (the provider review shows the password and the secret): masked in place, mode 0600"
                )
            ]
        } catch {
            unlink(path)
            return [
                Finding(
                    checkID: "atmosphere.remote-output", target: path, severity: .warning,
                    observed: "it held secrets and could not be rewritten masked (\(error.localizedDescription)): removed")
            ]
        }
    }

    static func checkProbe(_ output: RemoteOutput, run: StepContext) -> [Finding] {
        let engine = run.engine
        let reader = run.answers
        guard let probe = output.probe else {
            let first = output.text.split(separator: "\n").first { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.map(String.init) ?? ""
            return [
                Finding(
                    checkID: "atmosphere.detect", target: reader.text("atmosphere.checkout"), severity: .failure,
                    observed: "the pasted text has no probe lines (ATMO-CONNECT-PROBE); it starts: \(first.prefix(80))",
                    remedy: "Check atmosphere.checkout (the probe stops when it cannot cd there), run the block again and paste all of its output.")
            ]
        }
        var (install, findings) = AtmosphereInstall.assess(
            probe.facts, checkout: probe.checkout,
            virtualenv: reader.text("atmosphere.venv"),
            ansibleCheckout: reader.text("atmosphere.ansible_checkout"),
            whereabouts: "on the Atmosphere server")
        if !probe.complete {
            findings.append(
                Finding(
                    checkID: "atmosphere.detect", target: probe.checkout, severity: .warning,
                    observed: "the probe's output ends early (no \"done\" line)",
                    remedy: "Paste everything the block printed, down to ATMO-CONNECT-PROBE done."))
        }
        if output.has("REACH") {
            // Whether the server reaches the cloud with its own trust store, as Atmosphere will.
            if let answers = DjangoShell.lastResult(in: output.text, as: [String: AtmosphereReachability.Answer].self) {
                let settings = ProviderSettings(
                    name: reader.text("provider.name"), isPublic: true, adminUsername: reader.text("atmoadmin.user"),
                    adminTenant: reader.text("atmoadmin.project"), adminPassword: SecretValue(""),
                    authURL: reader.text("credential.auth_url"), adminURL: reader.text("credential.admin_url"),
                    region: reader.text("credential.region"), publicRouters: [], networkName: "", topology: "",
                    dnsNameservers: [], adminRoleName: "", userRoleName: "", domain: "", secret: SecretValue(""), hostnameFormat: "")
                findings += AtmosphereReachability.findings(
                    answers, settings: settings, checkID: "atmosphere.detect",
                    consequence: "Atmosphere will fail there until this is fixed.")
            } else {
                findings.append(
                    Finding(
                        checkID: "atmosphere.detect", target: probe.checkout, severity: .failure,
                        observed: "the probe could not check whether the server reaches the cloud (no result after ATMO-CONNECT-REACH)",
                        remedy:
                            "Read the error after ATMO-CONNECT-REACH on the server (the virtualenv's Python and requests), fix it and run the probe again."
                    ))
            }
        }
        if probe.providerRecords == nil {
            findings.append(
                Finding(
                    checkID: "atmosphere.detect", target: probe.checkout, severity: .failure,
                    observed:
                        "the probe could not read Atmosphere's providers from its database (no ATMO-CONNECT-RESULT line after ATMO-CONNECT-PROVIDERS)",
                    remedy: AtmosphereReadError.unreadable(what: "", cause: "").remedy))
        } else if !probe.providers.isEmpty {
            findings.append(
                Finding(
                    checkID: "atmosphere.detect", target: probe.checkout, severity: .info,
                    observed: "providers there now: "
                        + probe.providers.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")))
        }
        if let install {
            DerivedAnswers.offer(
                [
                    ("atmosphere.generation", .text(install.generation == .old ? "guide" : "current")),
                    ("atmosphere.allocation_strategies", .bool(install.hasAllocationStrategy)),
                    ("atmosphere.inventory_directory", .bool(install.usesInventoryDirectory)),
                ],
                engine: engine, event: .answersFromAtmosphere)
        }
        return findings
    }

    static func checkProvider(_ output: RemoteOutput, run: StepContext) -> [Finding] {
        let engine = run.engine
        guard case let .success(context) = AtmosphereActions.context(run, checkID: "atmosphere.add-provider"),
            case let .success(settings) = AtmosphereActions.settings(context, engine: engine)
        else {
            return [
                Finding(
                    checkID: "atmosphere.add-provider", target: "provider", severity: .failure, observed: "the provider's settings are incomplete",
                    remedy: "Run the prerequisites step (its probe) and give the atmoadmin password and provider secret.")
            ]
        }
        let path = AtmosphereActions.jsonPath(context)
        // The local copy goes whatever happened: the block removed the server's.
        var findings: [Finding] = []
        if unlink(path) == 0 {
            findings.append(
                Finding(
                    checkID: "atmosphere.provider-json", target: path, severity: .ok,
                    observed: "deleted here (it held the admin password); the block removed the server's copy"))
        }
        if output.has("REACH-FAILED") {
            guard let answers = DjangoShell.lastResult(in: output.text, as: [String: AtmosphereReachability.Answer].self) else {
                return findings + [
                    Finding(
                        checkID: "atmosphere.add-provider", target: settings.name, severity: .failure,
                        observed: "the block could not check that the server reaches Keystone, so it did not run add_new_provider.py",
                        remedy:
                            "Read the error above ATMO-CONNECT-REACH-FAILED on the server (the virtualenv's Python and requests), fix it and run the block again."
                    )
                ]
            }
            return findings + AtmosphereReachability.findings(answers, settings: settings, checkID: "atmosphere.add-provider")
        }
        if output.has("READ-FAILED") {
            return findings + [
                Finding(
                    checkID: "atmosphere.add-provider", target: settings.name, severity: .failure,
                    observed: "the block could not read Atmosphere's providers, so it did not run add_new_provider.py",
                    remedy: AtmosphereReadError.unreadable(what: "", cause: "").remedy)
            ]
        }
        guard let after = DjangoShell.lastResult(in: output.text, as: AtmosphereProviders.Listing.self)?.providers else {
            return findings + [
                Finding(
                    checkID: "atmosphere.add-provider", target: settings.name, severity: .failure,
                    observed: "the pasted text has no provider list from the database (ATMO-CONNECT-RESULT after ATMO-CONNECT-PROVIDERS)",
                    remedy: "Paste everything the block printed, down to the provider list; if manage.py shell failed there, fix that first.")
            ]
        }
        let made = after.first { $0.name == settings.name }
        if output.has("SKIPPED"), let made {
            switch AtmosphereActions.sameName(made, settings: settings, context: context) {
            case let .success(finding):
                return findings + [finding] + AtmosphereActions.recordProviderID(made.id, engine: engine)
            case let .failure(error): return findings + [error.finding]
            }
        }
        guard let status = output.status else {
            return findings + [
                Finding(
                    checkID: "atmosphere.add-provider", target: settings.name, severity: .failure,
                    observed: "the pasted text has no exit status of add_new_provider.py (ATMO-CONNECT-STATUS)",
                    remedy: "Paste everything the block printed, from the script's first line to the provider list.")
            ]
        }
        if let answers = DjangoShell.lastResult(in: output.text, as: [String: AtmosphereReachability.Answer].self) {
            findings += AtmosphereReachability.findings(answers, settings: settings, checkID: "atmosphere.add-provider")
        }
        let judged = AddProviderScript.judge(transcript: output.redacted, status: status, settings: settings).findings
        findings += judged
        guard !judged.contains(where: { $0.severity == .failure }) else { return findings }
        guard let made, made.admin != nil else {
            return findings + [
                Finding(
                    checkID: "atmosphere.add-provider", target: settings.name, severity: .failure,
                    observed: "the database on the server has no provider \(settings.name) with an admin identity after the script",
                    remedy: "Read the script's output above the provider list and logs/atmosphere.log on the server; then run the block again.")
            ]
        }
        findings.append(
            Finding(
                checkID: "atmosphere.add-provider", target: settings.name, severity: .ok,
                observed: "provider id \(made.id), admin identity \(made.admin ?? "")"))
        return findings + AtmosphereActions.recordProviderID(made.id, engine: engine)
    }

    static func checkAccounts(_ output: RemoteOutput, run: StepContext) -> [Finding] {
        let reader = run.answers
        let id: Int
        switch AtmosphereActions.providerID(reader, checkID: "atmosphere.add-accounts") {
        case let .success(found): id = found
        case let .failure(error): return [error.finding]
        }
        guard let status = output.status else {
            return [
                Finding(
                    checkID: "atmosphere.add-accounts", target: "add_new_accounts.py", severity: .failure,
                    observed: "the pasted text has no exit status (ATMO-CONNECT-STATUS)", remedy: "Paste everything the block printed.")
            ]
        }
        guard let after = DjangoShell.lastResult(in: output.text, as: AtmosphereProviders.Listing.self)?.providers else {
            return [
                Finding(
                    checkID: "atmosphere.add-accounts", target: "provider \(id)", severity: .failure,
                    observed: "the pasted text has no provider list from the database (ATMO-CONNECT-RESULT after ATMO-CONNECT-PROVIDERS)",
                    remedy: "Paste everything the block printed; if manage.py shell failed at the end, fix that first.")
            ]
        }
        let present = Set((after.first { $0.id == id }?.users ?? []).map { $0.lowercased() })
        return AccountsScript.findings(
            output: output.text(before: "STATUS"), status: status, providerID: id, users: reader.list("accounts.users"), present: present)
    }

    static func checkInventory(_ output: RemoteOutput, run: StepContext) -> [Finding] {
        if output.has("STALE") {
            return [
                Finding(
                    checkID: "atmosphere.inventory", target: "hosts", severity: .failure,
                    observed: "the inventory changed on the server since the probe read it; nothing was written",
                    remedy: "Run the prerequisites step again (its probe reads the inventory), then this step.")
            ]
        }
        // The files as planned from the same probe: their digests must be what the server printed.
        let instructions: ActionPlan
        switch inventoryPlan(run) {
        case let .success((plan, _)): instructions = plan
        case let .failure(error): return [error.finding]
        }
        let digests = output.digests
        return instructions.files.map { file in
            let expected = SHA256.hex(Array(RemoteScript.asWritten(file.new).utf8))
            switch digests[file.path] {
            case expected?:
                return Finding(
                    checkID: "atmosphere.inventory", target: file.path, severity: .ok,
                    observed: "as planned on the server (sha256 \(expected.prefix(12))…)")
            case let other?:
                return Finding(
                    checkID: "atmosphere.inventory", target: file.path, severity: .failure,
                    observed: "sha256 \(other.prefix(12))… on the server, not \(expected.prefix(12))…",
                    remedy: "The file differs from the preview: run the prerequisites probe and this step again.")
            case nil:
                return Finding(
                    checkID: "atmosphere.inventory", target: file.path, severity: .failure,
                    observed: "no digest for it in the pasted output (ATMO-CONNECT-SHA)",
                    remedy: "Paste everything the block printed; if it stopped with an error, fix that first.")
            }
        }
    }
}
