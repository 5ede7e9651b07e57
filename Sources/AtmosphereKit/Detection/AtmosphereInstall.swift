import AtmoModel
import Foundation

/// An Atmosphere installation as found on disk: where it is, which generation, and how it differs from the 2017 guide.
public struct AtmosphereInstall: Sendable, Equatable {
    public var checkout: String
    public var virtualenv: String
    public var ansibleCheckout: String
    public var generation: AtmosphereGeneration
    /// AllocationStrategy still exists (removed 2018-08-31, v34): the guide's allocation step applies.
    public var hasAllocationStrategy: Bool
    /// Atmosphere runs ansible with --inventory=…/ansible/inventory (since 2020-11) rather than ansible/hosts.
    public var usesInventoryDirectory: Bool
    /// The Django version in the virtualenv, when it could be read.
    public var djangoVersion: String?
    /// What the install's own files showed, one line per fact, for the operator.
    public var evidence: [String] = []

    /// An installation as described (by the answers, for one on another server).
    public init(
        checkout: String, virtualenv: String, ansibleCheckout: String, generation: AtmosphereGeneration,
        hasAllocationStrategy: Bool, usesInventoryDirectory: Bool, djangoVersion: String? = nil
    ) {
        self.checkout = checkout
        self.virtualenv = virtualenv
        self.ansibleCheckout = ansibleCheckout
        self.generation = generation
        self.hasAllocationStrategy = hasAllocationStrategy
        self.usesInventoryDirectory = usesInventoryDirectory
        self.djangoVersion = djangoVersion
    }

    /// Whether this install's `manage.py shell` runs what stdin holds (Django 1.11 on); before, stdin is typed into the
    /// interactive console line by line.
    public var shellExecutesStdin: Bool { AtmosphereEvidence.shellExecutesStdin(djangoVersion: djangoVersion) }

    /// Looks at the checkouts on this machine; findings say what was found and what is missing, under `atmosphere.detect`.
    public static func detect(checkout: String, virtualenv: String, ansibleCheckout: String) -> (install: AtmosphereInstall?, findings: [Finding]) {
        let manager = FileManager.default
        let checkout = (checkout as NSString).expandingTildeInPath
        let virtualenv = (virtualenv as NSString).expandingTildeInPath
        let ansibleCheckout = (ansibleCheckout as NSString).expandingTildeInPath
        var facts = DetectionFacts()
        if let script = try? String(contentsOfFile: checkout + "/scripts/add_new_provider.py", encoding: .utf8) {
            facts.scriptFound = true
            if let found = AtmosphereEvidence.generation(providerScript: script) {
                facts.generation = found.generation
                facts.evidence.append(found.evidence)
            }
        }
        facts.hasAccountsScript = manager.fileExists(atPath: checkout + "/scripts/add_new_accounts.py")
        facts.hasAllocationStrategy = manager.fileExists(atPath: checkout + "/core/models/allocation_strategy.py")
        facts.evidence.append(
            facts.hasAllocationStrategy
                ? "core/models/allocation_strategy.py exists (allocation strategies)"
                : "no core/models/allocation_strategy.py (allocation sources)")
        if let deploy = try? String(contentsOfFile: checkout + "/service/deploy.py", encoding: .utf8) {
            facts.usesInventoryDirectory = AtmosphereEvidence.usesInventoryDirectory(deployScript: deploy)
            facts.evidence.append(
                facts.usesInventoryDirectory
                    ? "service/deploy.py runs ansible on ansible/inventory/"
                    : "service/deploy.py runs ansible on ansible/hosts")
        }
        facts.djangoVersion = AtmosphereEvidence.djangoVersion(virtualenv: virtualenv)
        facts.evidence.append(facts.djangoVersion.map { "Django \($0) in the virtualenv" } ?? "Django's version not found in the virtualenv")
        facts.hasVirtualenv = manager.isExecutableFile(atPath: virtualenv + "/bin/python")
        var isDirectory: ObjCBool = false
        facts.hasAnsibleCheckout = manager.fileExists(atPath: ansibleCheckout + "/ansible", isDirectory: &isDirectory) && isDirectory.boolValue
        return assess(facts, checkout: checkout, virtualenv: virtualenv, ansibleCheckout: ansibleCheckout, whereabouts: "on this server")
    }

    /// The installation and the findings for what was observed, here or on the Atmosphere server (`whereabouts` says which).
    public static func assess(
        _ facts: DetectionFacts, checkout: String, virtualenv: String, ansibleCheckout: String,
        whereabouts: String
    ) -> (install: AtmosphereInstall?, findings: [Finding]) {
        let id = "atmosphere.detect"
        guard let generation = facts.generation else {
            if facts.scriptFound {
                return (
                    nil,
                    [
                        Finding(
                            checkID: id, target: checkout + "/scripts/add_new_provider.py", severity: .failure,
                            observed:
                                "add_new_provider.py asks neither of the known questions about a public provider: an Atmosphere atmo-connect does not know",
                            expected: "cyverse/atmosphere's script of 2016-11 to 2017-05 or of June 2017 on",
                            remedy:
                                "Check the checkout (git log -1 in \(checkout)); add the provider by hand as the guide says, or report the version.")
                    ]
                )
            }
            return (
                nil,
                [
                    Finding(
                        checkID: id, target: checkout, severity: .failure,
                        observed: "no Atmosphere checkout \(whereabouts) (no scripts/add_new_provider.py)",
                        expected: "the atmosphere repository, as clank installs it at /opt/dev/atmosphere",
                        remedy:
                            "Set atmosphere.checkout to the checkout on the Atmosphere server, or say that Atmosphere runs on another server (atmosphere.remote)."
                    )
                ]
            )
        }
        let install = AtmosphereInstall(
            checkout: checkout, virtualenv: virtualenv, ansibleCheckout: ansibleCheckout, generation: generation,
            hasAllocationStrategy: facts.hasAllocationStrategy, usesInventoryDirectory: facts.usesInventoryDirectory,
            djangoVersion: facts.djangoVersion)
        var findings = [Finding(checkID: id, target: checkout, severity: .ok, observed: install.summary)]
        if !facts.evidence.isEmpty {
            findings.append(
                Finding(checkID: id, target: checkout, severity: .info, observed: "how this was told: " + facts.evidence.joined(separator: "; ")))
        }
        findings += install.differencesFromTheGuide.map { Finding(checkID: id, target: checkout, severity: .info, observed: $0) }
        if !facts.hasAccountsScript {
            findings.append(
                Finding(
                    checkID: id, target: checkout, severity: .failure, observed: "scripts/add_new_accounts.py is missing",
                    remedy: "Check that the checkout is complete (git status in \(checkout))."))
        }
        if facts.hasVirtualenv {
            findings.append(Finding(checkID: id, target: virtualenv, severity: .ok, observed: "virtualenv found"))
        } else {
            findings.append(
                Finding(
                    checkID: id, target: virtualenv, severity: .failure, observed: "no virtualenv (bin/python missing) \(whereabouts)",
                    expected: "Atmosphere's virtualenv, as clank makes it at /opt/env/atmo",
                    remedy: "Set atmosphere.venv to the virtualenv Atmosphere runs in."))
        }
        if facts.hasAnsibleCheckout {
            let layout = InventoryLayout(ansibleCheckout: ansibleCheckout, usesInventoryDirectory: facts.usesInventoryDirectory)
            findings.append(
                Finding(checkID: id, target: ansibleCheckout, severity: .ok, observed: "atmosphere-ansible found; inventory at \(layout.hostsPath)"))
        } else {
            findings.append(
                Finding(
                    checkID: id, target: ansibleCheckout, severity: .failure,
                    observed: "no atmosphere-ansible checkout (no ansible/ directory) \(whereabouts)",
                    expected: "atmosphere-ansible, as clank installs it at /opt/dev/atmosphere-ansible",
                    remedy: "Set atmosphere.ansible_checkout to its checkout."))
        }
        return (install, findings)
    }

    /// One line for the operator.
    public var summary: String {
        let era =
            generation == .old
            ? "the guide's generation (add_new_provider.py of 2016-11 to 2017-05)" : "the later generation (add_new_provider.py of June 2017 on)"
        return
            "Atmosphere at \(checkout): \(era); Django \(djangoVersion ?? "of unknown version"); \(hasAllocationStrategy ? "allocation strategies" : "allocation sources"); inventory in \(usesInventoryDirectory ? "ansible/inventory/" : "ansible/")"
    }

    /// What the operator should know where this installation does not match the 2017 guide.
    public var differencesFromTheGuide: [String] {
        var notes: [String] = []
        if generation == .head {
            notes.append("add_new_provider.py no longer asks for a platform (always KVM), needs --from-json, and its review accepts exit.")
        }
        if !hasAllocationStrategy {
            notes.append(
                "AllocationStrategy was removed in 2018 (v34): the guide's allocation step does not exist here; the allocation-source plugin is checked instead."
            )
        }
        if usesInventoryDirectory {
            notes.append("Atmosphere reads ansible/inventory/hosts and ansible/inventory/group_vars, not ansible/hosts as the guide says.")
        }
        return notes
    }

    /// The variables a script inherits from the wizard's environment: what a login shell and Python need, nothing else.
    /// Atmosphere's services run without the operator's OS_* credentials, proxies or REQUESTS_CA_BUNDLE, so its scripts
    /// must too: a CA bundle the operator's shell trusts would let the connection check pass where Atmosphere then fails.
    public static let inheritedVariables: Set<String> = ["PATH", "HOME", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "USER", "LOGNAME", "TMPDIR", "TERM"]

    /// The environment Atmosphere's scripts run in: an allow-list of the wizard's variables, Django's settings and the
    /// checkout on the path. `extra` is added last.
    public func scriptEnvironment(_ extra: [String: String] = [:]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment.filter { Self.inheritedVariables.contains($0.key) }
        environment["DJANGO_SETTINGS_MODULE"] = "atmosphere.settings"
        environment["PYTHONPATH"] = checkout
        environment["PYTHONUNBUFFERED"] = "1"
        for (key, value) in extra { environment[key] = value }
        return environment
    }
}

/// What detection observed of an installation, wherever it looked.
public struct DetectionFacts: Sendable, Equatable {
    /// From the add-provider script's prompts; nil when there is no such script.
    public var generation: AtmosphereGeneration?
    public var hasAccountsScript = false
    public var hasAllocationStrategy = false
    public var usesInventoryDirectory = false
    public var hasVirtualenv = false
    public var hasAnsibleCheckout = false
    /// Whether scripts/add_new_provider.py exists at all (its generation may still be unknown).
    public var scriptFound = false
    /// The virtualenv's Django version.
    public var djangoVersion: String?
    /// What was seen, one line per fact.
    public var evidence: [String] = []

    /// Facts of nothing found.
    public init() {}
}
