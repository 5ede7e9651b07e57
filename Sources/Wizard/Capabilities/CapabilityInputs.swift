import Foundation
import StepEngine

/// The answers and secrets one capability reads, decoded once from its run: the only place answer keys are spelled.
///
/// As subiquity's controllers each own a schema, each capability declares what it reads; the catalog test decodes
/// every declaration over the screens' defaults and checks that each key it read is an input of some screen.
protocol CapabilityInputs: Sendable {
    /// Reads them; a value that is missing or unusable throws its owner's failure naming the key.
    init(_ answers: InputReader) throws(FindingError)
}

/// For a capability that reads no answers.
struct NoInputs: CapabilityInputs {
    init(_ answers: InputReader) {}
}

/// Typed reads of a run's answers (over the screens' defaults) and of the secrets kept in memory, for `Inputs`
/// declarations.
struct InputReader: Sendable {
    let answers: AnswerReader
    /// Whose failures a bad value makes.
    let owner: any FindingOwner
    private let secrets: @Sendable (String) -> SecretValue?
    private let generated: @Sendable (String) -> Bool
    private let recorder: KeyRecorder?

    init(
        answers: AnswerReader, owner: any FindingOwner, secrets: @escaping @Sendable (String) -> SecretValue?,
        generated: @escaping @Sendable (String) -> Bool = { _ in false }, recorder: KeyRecorder? = nil
    ) {
        self.answers = answers
        self.owner = owner
        self.secrets = secrets
        self.generated = generated
        self.recorder = recorder
    }

    /// The same answers, read on behalf of another owner (a shared part's failures carry the capability's id).
    func on(behalfOf owner: any FindingOwner) -> InputReader {
        InputReader(answers: answers, owner: owner, secrets: secrets, generated: generated, recorder: recorder)
    }

    private func read(_ key: String) -> String {
        recorder?.note(key)
        return key
    }

    /// A non-empty text answer, else the fallback.
    func text(_ key: String, _ fallback: String = "") -> String { answers.text(read(key), fallback) }

    /// A non-empty text answer, or nil.
    func optionalText(_ key: String) -> String? { answers.optionalText(read(key)) }

    /// A path answer with `~` expanded and made absolute against the working directory (a relative answer means the
    /// place it was given in, not wherever a script later runs), or nil when there is none.
    func path(_ key: String) -> String? {
        optionalText(key).map { ($0 as NSString).expandingTildeInPath }.map { $0.hasPrefix("/") ? $0 : FileManager.default.currentDirectoryPath + "/" + $0 }
    }

    /// A list answer (empty when unanswered).
    func list(_ key: String) -> [String] { answers.list(read(key)) }

    /// A list of user names, each once: Atmosphere stores user names in lower case, so `demo` and `DEMO` are one user
    /// (the first spelling is kept).
    func userNames(_ key: String) -> [String] {
        var seen: Set<String> = []
        return list(key).filter { seen.insert($0.lowercased()).inserted }
    }

    /// A whole-number answer, or nil.
    func integer(_ key: String) -> Int? { answers.integer(read(key)) }

    /// A whole-number answer the capability cannot do without: a missing one is a failure naming it, never a value
    /// written again in code (defaults live in screens/).
    func requiredInteger(_ key: String) throws(FindingError) -> Int {
        guard let value = integer(key) else {
            throw owner.refusal(
                target: key, observed: "has no number among the answers, so nothing was done",
                remedy: "Give it on this step's screen or in the answers file (atmo-connect export --template shows its default).")
        }
        return value
    }

    /// A yes/no answer; no when there is none (the screens' defaults are among the answers).
    func flag(_ key: String) -> Bool { answers.flag(read(key)) }

    /// A yes/no answer, else the fallback.
    func flag(_ key: String, _ fallback: Bool) -> Bool { answers.flag(read(key), fallback) }

    /// A secret kept in memory for this session, or nil when none was given in this run.
    func secret(_ key: String) -> SecretValue? { secrets(read(key)) }

    /// Whether this process made the secret up (nobody else knows it), rather than the operator giving it.
    func secretWasGenerated(_ key: String) -> Bool { generated(read(key)) }

    /// Whether Atmosphere runs on another server in this session (its steps then go through blocks run there).
    var isRemote: Bool { flag("atmosphere.remote") }
}

/// The keys an `Inputs` declaration read, for the catalog test.
final class KeyRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var read: Set<String> = []

    func note(_ key: String) { lock.withLock { _ = read.insert(key) } }

    /// Every key read so far.
    var keys: Set<String> { lock.withLock { read } }
}

extension StepCapability {
    /// This capability's inputs for `run`: the answers as the run started, the secrets in memory.
    func inputs(_ run: StepContext) throws(FindingError) -> Inputs {
        try Inputs(run.reader(for: self))
    }

    /// The answer keys its `Inputs` read over `answers` (secrets all given), for the catalog's check against screens/.
    func answerKeys(over answers: [String: AnswerValue]) -> Set<String> {
        let recorder = KeyRecorder()
        _ = try? Inputs(
            InputReader(answers: AnswerReader(answers: answers), owner: self, secrets: { _ in SecretValue("x") }, recorder: recorder))
        return recorder.keys
    }
}
