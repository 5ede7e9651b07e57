import Foundation
import StepEngine

/// The users an accounts run names: those typed, then those of a file (one a line; blank lines and `#` lines left
/// out), each once whatever its case, each a name Atmosphere takes.
enum AccountsList {
    /// The largest users file read: a hundred thousand names of 64 bytes.
    static let largestFile = 6_400_000

    /// The typed users, then the file's; a file that cannot be read, is too large, or holds a line that is no user name
    /// is a refusal naming it (and the line), never an empty list.
    static func merge(typed: [String], file: String?, owner: some FindingOwner) throws(FindingError) -> [String] {
        var names = typed
        if let file {
            let text: String
            do {
                let attributes = try FileManager.default.attributesOfItem(atPath: file)
                if let size = attributes[.size] as? Int, size > largestFile {
                    throw owner.refusal(
                        target: file, observed: "the users file is \(size) bytes, over the \(largestFile) this step reads",
                        remedy: "Split it, or give a smaller one.")
                }
                text = try String(contentsOfFile: file, encoding: .utf8)
            } catch let error as FindingError {
                throw error
            } catch {
                throw owner.refusal(
                    target: file, observed: "the users file cannot be read (\(error.localizedDescription))",
                    remedy: "Check accounts.users_file: a readable UTF-8 text file, one user name a line.")
            }
            for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
                if line.isEmpty || line.hasPrefix("#") { continue }
                guard line.wholeMatch(of: /[A-Za-z0-9._@-]+/) != nil else {
                    throw owner.refusal(
                        target: "\(file):\(number + 1)", observed: "\"\(line.prefix(80))\" is not an Atmosphere user name (letters, digits, . _ @ -)",
                        remedy: "Fix that line of the users file, or start it with # to leave it out.")
                }
                names.append(line)
            }
        }
        var seen: Set<String> = []
        return names.filter { seen.insert($0.lowercased()).inserted }
    }
}
