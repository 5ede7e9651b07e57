import AtmosphereKit
import Foundation
import StepEngine

extension AddProviderAction {
    /// Writes the provider JSON here (0600), and the commands that copy it over, add the provider and list the providers.
    func remoteBlock(_ run: StepContext) async -> Result<RemoteInstructions?, FindingError> {
        let inputs = Inputs(run.reader(for: self))
        let site: AtmosphereSite, settings: ProviderSettings, known: [AtmosphereProvider]?
        do {
            site = try self.site(inputs, run: run).get()
            settings = try inputs.settings()
            known = try DetectCheck.latestProbe(run, owner: self)?.providerRecords
        } catch {
            return .failure(error)
        }
        guard let known else {
            return .failure(
                refusal(
                    target: "the Atmosphere server", observed: "the probe in this session did not read Atmosphere's providers",
                    remedy: "Run the prerequisites step's probe again and paste all of its output; if it shows an error from manage.py shell, fix that first."))
        }
        if let same = known.first(where: { $0.name.lowercased() == settings.name.lowercased() }), case let .failure(error) = sameName(same, inputs: inputs) {
            return .failure(error)
        }
        let problems = ProviderJSONLint.findings(text: settings.json(), generation: site.install.generation, existingProviders: known.map(\.name))
            .filter { $0.severity == .failure }
        if let first = problems.first { return .failure(FindingError(first)) }
        let path = inputs.runJSONPath
        do {
            try run.fence(self).check("write the provider JSON")
            try run.journal(self).record(.artifactWriting, path)
            try AnswersFile.writePrivately(settings.json(), to: path)
            try run.journal(self).recordArtifact(path)
        } catch let error as FindingError {
            return .failure(error)
        } catch {
            return .failure(
                ProviderJSONAction().refusal(
                    target: path, observed: "cannot be written: \(error.localizedDescription)", remedy: "Set provider.json_path to a place you may write."))
        }
        return .success(instructions(site: site, settings: settings, path: path, run: run))
    }

    private func instructions(site: AtmosphereSite, settings: ProviderSettings, path: String, run: StepContext) -> RemoteInstructions {
        let remoteName = "atmosphere-provider.json"
        let python = RemoteScript.quote(site.install.virtualenv + "/bin/python")
        // The name is looked up again right before the script: it is never run for a name that exists, and a failed
        // look-up stops the block (upstream deletes the provider of that name when its connection check fails).
        let exists =
            "import json\nfrom core.models import Provider\nprint('\(DjangoShell.marker)' + json.dumps({'exists': Provider.objects.filter(location__iexact=\(AtmosphereSnippets.literal(settings.name))).count() > 0}))\n"
        var lines =
            RemoteScript.enter(site.install.checkout) + ["OUT=$("] + RemoteScript.djangoShellLines(python: python, code: exists) + [
                ")",
                "case \"$OUT\" in",
                "  *'-RESULT {\"exists\": false}'*)",
                // First, whether this server reaches Keystone as Atmosphere will (its own trust store): the script's
                // failed connection check would leave the admin user and group behind.
                "    REACH=$(",
            ]
            + RemoteScript.pythonFileLines(
                python: python, code: AtmosphereReachability.script, arguments: Array(Set([settings.authURL, settings.adminURL])).sorted()) + [
                ")",
                "    printf '%s\\n' \"$REACH\"",
                "    case \"$REACH\" in",
                "      *'\"ok\": false'*|'') \(RemoteScript.echo("REACH-FAILED")) ;;",
                "      *)",
            ] + ReviewMask.lines(python: python, json: "~/\(remoteName)").map { "        " + $0 } + [
                "        \(RemoteScript.echo("STATUS", "$?")) ;;",
                "    esac ;;",
                "  *'-RESULT {\"exists\": true}'*) \(RemoteScript.echo("SKIPPED", "the provider exists already")) ;;",
                "  *) printf '%s\\n' \"$OUT\" | tail -n 5; \(RemoteScript.echo("READ-FAILED")) ;;",
                "esac",
                "rm -f ~/\(remoteName)",
            ]
        lines += [RemoteScript.echo("PROVIDERS")] + RemoteScript.djangoShellLines(python: python, code: AtmosphereProviders.snippet)
        var notes = [
            "The JSON holds the atmoadmin password and the provider secret: it is mode 0600 here, scp -p keeps that.",
            "The script's review shows them as \(ReviewMask.mask): the block runs upstream's script with its review (pprint) masked, nothing else changed.",
        ]
        notes.append(
            site.install.generation == .old
                ? "Answer the script: public \(settings.isPublic ? "yes" : "no"); platform 1 (KVM); the review \"yes\". If it reports it could not connect, leave with Ctrl-C (this generation has no exit)."
                : "Answer the script's review with \"yes\". If it reports it could not connect, answer \"no\" and then \"exit\".")
        return RemoteInstructions(
            step: run.screen.id,
            summary: [
                "Add provider \(settings.name) to Atmosphere. The provider JSON is written here, at \(path) (mode 0600); shown with secrets masked:"
            ] + settings.redactedJSON().split(separator: "\n").map { "  " + $0 },
            localCommands: ["scp -p \(RemoteScript.quote(path)) \(RemoteScript.quote(site.inputs.remoteHost + ":" + remoteName))"],
            script: RemoteScript.subshell(lines), notes: notes)
    }

    /// What the block printed: the reach check, the script's exit status and review, and the providers after it.
    func readRemote(_ output: RemoteOutput, run: StepContext) -> [Finding] {
        let inputs = Inputs(run.reader(for: self))
        let settings: ProviderSettings
        do {
            _ = try site(inputs, run: run).get()
            settings = try inputs.settings()
        } catch {
            return [
                failure(
                    target: "provider", observed: "the provider's settings are incomplete",
                    remedy: "Run the prerequisites step (its probe) and give the atmoadmin password and provider secret.")
            ]
        }
        let path = inputs.runJSONPath
        // The local copy goes whatever happened: the block removed the server's.
        var findings: [Finding] = []
        if unlink(path) == 0 {
            findings.append(ProviderJSONAction().ok(target: path, observed: "deleted here (it held the admin password); the block removed the server's copy"))
        }
        if output.has("REACH-FAILED") {
            guard let answers = DjangoShell.lastResult(in: output.text, as: [String: AtmosphereReachability.Answer].self) else {
                return findings + [
                    failure(
                        target: settings.name, observed: "the block could not check that the server reaches Keystone, so it did not run add_new_provider.py",
                        remedy: "Read the error above ATMO-CONNECT-REACH-FAILED on the server (the virtualenv's Python and requests), fix it and run the block again.")
                ]
            }
            return findings + AtmosphereReachability.findings(answers, settings: settings, checkID: id)
        }
        if output.has("READ-FAILED") {
            return findings + [
                failure(
                    target: settings.name, observed: "the block could not read Atmosphere's providers, so it did not run add_new_provider.py",
                    remedy: AtmosphereReadError.unreadable(what: "", cause: "").remedy)
            ]
        }
        guard let after = DjangoShell.lastResult(in: output.text, as: AtmosphereProviders.Listing.self)?.providers else {
            return findings + [
                failure(
                    target: settings.name,
                    observed: "the pasted text has no provider list from the database (ATMO-CONNECT-RESULT after ATMO-CONNECT-PROVIDERS)",
                    remedy: "Paste everything the block printed, down to the provider list; if manage.py shell failed there, fix that first.")
            ]
        }
        let made = after.first { $0.name.lowercased() == settings.name.lowercased() }
        let journal = run.journal(self)
        if output.has("SKIPPED"), let made {
            switch sameName(made, inputs: inputs) {
            case let .success(finding): return findings + [finding] + ProviderRecord.keep(made.id, journal: journal)
            case let .failure(error): return findings + [error.finding]
            }
        }
        guard let status = output.status else {
            return findings + [
                failure(
                    target: settings.name, observed: "the pasted text has no exit status of add_new_provider.py (ATMO-CONNECT-STATUS)",
                    remedy: "Paste everything the block printed, from the script's first line to the provider list.")
            ]
        }
        if let answers = DjangoShell.lastResult(in: output.text, as: [String: AtmosphereReachability.Answer].self) {
            findings += AtmosphereReachability.findings(answers, settings: settings, checkID: id)
        }
        let judged = AddProviderScript.judge(transcript: output.redacted, status: status, settings: settings).findings
        findings += judged
        guard !judged.contains(where: { $0.severity == .failure }) else { return findings }
        guard let made, made.admin != nil else {
            return findings + [
                failure(
                    target: settings.name, observed: "the database on the server has no provider \(settings.name) with an admin identity after the script",
                    remedy: "Read the script's output above the provider list and logs/atmosphere.log on the server; then run the block again.")
            ]
        }
        return findings + [ok(target: settings.name, observed: "provider id \(made.id), admin identity \(made.admin ?? "")")]
            + ProviderRecord.keep(made.id, journal: journal)
    }
}
