import AtmosphereKit
import CloudProbe
import Foundation
import StepEngine

/// Atmosphere's steps when Atmosphere runs on another server: the commands to run there, then a check of their pasted output.
enum RemoteProcedure {
    /// The installation as the probe found it (kept as answers), at the paths the answers give.
    static func install(_ reader: AnswerReader, checkID: String) -> Result<AtmosphereInstall, FindingError> {
        guard let generation = reader.optionalText("atmosphere.generation") else {
            return .failure(
                FindingError(
                    Finding(
                        checkID: checkID, target: "atmosphere.generation", severity: .failure,
                        observed: "the Atmosphere server has not been probed yet",
                        remedy: "Run the prerequisites step: it shows the probe to run on the Atmosphere server.")))
        }
        return .success(
            AtmosphereInstall(
                checkout: reader.text("atmosphere.checkout"),
                virtualenv: reader.text("atmosphere.venv"),
                ansibleCheckout: reader.text("atmosphere.ansible_checkout"),
                generation: generation == "guide" ? .old : .head,
                hasAllocationStrategy: reader.flag("atmosphere.allocation_strategies", false),
                usesInventoryDirectory: reader.flag("atmosphere.inventory_directory", true)))
    }

    /// The directory for the scripts to copy and the outputs saved for `apply`.
    static func directory(_ reader: AnswerReader) -> String {
        (reader.text("atmosphere.remote_outputs") as NSString).expandingTildeInPath
    }

    /// The output saved for `step` for an unattended run, if there is one.
    static func savedOutput(step: String, answers: AnswerReader) -> String? {
        try? String(contentsOfFile: directory(answers) + "/\(step).txt", encoding: .utf8)
    }

    /// The output saved for `screen` for an unattended run, if one of its capabilities takes it now.
    static func savedOutput(for screen: Screen, engine: Engine, catalog: WizardCatalog, answers: AnswerReader) -> String? {
        guard answers.isRemote, let text = savedOutput(step: screen.id, answers: answers) else { return nil }
        return catalog.capabilities(of: screen).contains { $0.takes(savedOutput: text, engine: engine) } ? text : nil
    }

    /// The instructions with their block saved as STEP.sh (0600) in the outputs directory, and the STEP.txt `apply` reads.
    static func saved(_ instructions: RemoteInstructions, answers: AnswerReader) -> RemoteInstructions {
        var instructions = instructions
        let directory = directory(answers)
        let scriptFile = directory + "/\(instructions.step).sh"
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try AnswersFile.writePrivately(instructions.script + "\n", to: scriptFile)
            instructions.scriptFile = scriptFile
        } catch {
            instructions.notes.append("Could not save the block to \(scriptFile) (\(error.localizedDescription)); copy it from here.")
        }
        instructions.outputFile = directory + "/\(instructions.step).txt"
        return instructions
    }

    /// The URLs the Atmosphere server must reach as Atmosphere will: Keystone's public and admin endpoints and every public
    /// endpoint of the catalog, read with the operator's credentials now (none when that fails: the cloud checks say why).
    static func cloudURLs(_ run: StepContext) async -> [String] {
        guard let (credentials, client) = try? CloudCheckRunner.operatorCredentials(run),
            let session = try? await KeystoneClient(client: client).authenticate(credentials)
        else { return [] }
        // Without the answers there is nothing to ask for: the step's own read of them fails with the cause.
        let answers = run.answers
        let region = answers.optionalText("credential.region")
        let endpoints =
            session.catalog.all(interface: "public", region: region)
            + (session.catalog.endpoint(types: ["identity"], interface: "admin", region: region).map { [$0] } ?? [])
        return Array(Set(endpoints.map(\.url))).sorted()
    }

    /// Writes the provider JSON here (0600), and the commands that copy it over, add the provider and list the providers.
    static func providerInstructions(_ run: StepContext) -> Result<RemoteInstructions, FindingError> {
        let engine = run.engine
        return AtmosphereActions.context(run, checkID: "atmosphere.add-provider").flatMap { context in
            AtmosphereActions.settings(context, engine: engine).flatMap { settings in
                guard let known = probe(engine)?.providerRecords else {
                    return .failure(
                        FindingError(
                            Finding(
                                checkID: "atmosphere.add-provider", target: "the Atmosphere server", severity: .failure,
                                observed: "the probe in this session did not read Atmosphere's providers",
                                remedy:
                                    "Run the prerequisites step's probe again and paste all of its output; if it shows an error from manage.py shell, fix that first."
                            )))
                }
                if let same = known.first(where: { $0.name == settings.name }),
                    case let .failure(error) = AtmosphereActions.sameName(same, settings: settings, context: context)
                {
                    return .failure(error)
                }
                let problems = ProviderJSONLint.findings(
                    text: settings.json(), generation: context.install.generation,
                    existingProviders: known.map(\.name)
                ).filter { $0.severity == .failure }
                if let first = problems.first { return .failure(FindingError(first)) }
                let path = AtmosphereActions.jsonPath(context)
                do {
                    try AnswersFile.writePrivately(settings.json(), to: path)
                    try engine.store.recordArtifact(session: engine.session.id ?? 0, path: path)
                } catch {
                    return .failure(
                        FindingError(
                            Finding(
                                checkID: "atmosphere.provider-json", target: path, severity: .failure,
                                observed: "cannot be written: \(error.localizedDescription)",
                                remedy: "Set provider.json_path to a place you may write.")))
                }
                let host = context.text("atmosphere.remote_host", "ATMOSPHERE-SERVER")
                let remoteName = "atmosphere-provider.json"
                let python = RemoteScript.quote(context.install.virtualenv + "/bin/python")
                // The name is looked up again right before the script: it is never run for a name that exists, and a failed
                // look-up stops the block (upstream deletes the provider of that name when its connection check fails).
                let exists =
                    "import json\nfrom core.models import Provider\nprint('\(DjangoShell.marker)' + json.dumps({'exists': Provider.objects.filter(location=\(AtmosphereSnippets.literal(settings.name))).count() > 0}))\n"
                var lines =
                    RemoteScript.enter(context.install.checkout) + ["OUT=$("] + RemoteScript.djangoShellLines(python: python, code: exists) + [
                        ")",
                        "case \"$OUT\" in",
                        "  *'-RESULT {\"exists\": false}'*)",
                        // First, whether this server reaches Keystone as Atmosphere will (its own trust store): the script's
                        // failed connection check would leave the admin user and group behind.
                        "    REACH=$(",
                    ]
                    + RemoteScript.pythonFileLines(
                        python: python, code: AtmosphereReachability.script,
                        arguments: Array(Set([settings.authURL, settings.adminURL])).sorted()) + [
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
                    context.install.generation == .old
                        ? "Answer the script: public \(settings.isPublic ? "yes" : "no"); platform 1 (KVM); the review \"yes\". If it reports it could not connect, leave with Ctrl-C (this generation has no exit)."
                        : "Answer the script's review with \"yes\". If it reports it could not connect, answer \"no\" and then \"exit\".")
                return .success(
                    RemoteInstructions(
                        step: run.screen.id,
                        summary: [
                            "Add provider \(settings.name) to Atmosphere. The provider JSON is written here, at \(path) (mode 0600); shown with secrets masked:"
                        ]
                            + settings.redactedJSON().split(separator: "\n").map { "  " + $0 },
                        localCommands: ["scp -p \(RemoteScript.quote(path)) \(RemoteScript.quote(host + ":" + remoteName))"],
                        script: RemoteScript.subshell(lines), notes: notes))
            }
        }
    }

    /// The inventory's diff against the hosts file the probe printed, and a block that writes both files with backups.
    static func inventoryInstructions(_ run: StepContext) -> Result<RemoteInstructions, FindingError> {
        inventoryPlan(run).map { plan, guards in
            let stamp = TimeText.fileStamp(Date())
            return RemoteInstructions(
                step: run.screen.id, summary: plan.summary,
                script: RemoteScript.writeFiles(
                    plan.files.map { ($0.path, RemoteScript.asWritten($0.new)) },
                    guards: guards, stamp: stamp),
                notes: [
                    "Each file is written only if it changes, after a backup (.atmo-connect-\(stamp).bak); the hosts file is left alone if it changed since the probe."
                ],
                preview: Array(plan.previewLines.drop { !$0.hasPrefix("/") }))
        }
    }

    /// The inventory plan against the hosts file the latest probe printed, and the digest that file must still have.
    static func inventoryPlan(_ run: StepContext) -> Result<(ActionPlan, [(path: String, sha256: String)]), FindingError> {
        let engine = run.engine
        let seen = probe(engine)
        return AtmosphereActions.context(run, checkID: "atmosphere.inventory").flatMap { context in
            let layout = InventoryLayout(
                ansibleCheckout: context.install.ansibleCheckout, usesInventoryDirectory: context.install.usesInventoryDirectory)
            let guards = seen?.hostsSHA256.map { [(path: layout.hostsPath, sha256: $0)] } ?? []
            return ActionRunner.inventoryPlan(run, read: { $0 == layout.hostsPath ? seen?.hosts : nil }).map { ($0, guards) }
        }
    }

    /// What the latest probe of the Atmosphere server printed, if it ran in this session.
    static func probe(_ engine: Engine) -> RemoteProbe? {
        guard let event = try? engine.store.latestEvent(session: engine.session.id, kind: .remoteOutput, step: "prerequisites") else { return nil }
        return RemoteOutput(event.detail).probe
    }
}
