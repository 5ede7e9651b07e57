import Foundation

/// Yes/no questions on the terminal; with no terminal to ask on, the answer is no.
enum Confirmation {
    static func ask(_ question: String) -> Bool {
        guard isatty(0) == 1 else {
            FileHandle.standardError.write(Data("atmo-connect: \(question)\n  No terminal to ask on: rerun with --yes to confirm.\n".utf8))
            return false
        }
        FileHandle.standardError.write(Data("\(question) [y/N] ".utf8))
        guard let line = readLine() else { return false }
        return ["y", "yes"].contains(line.trimmingCharacters(in: .whitespaces).lowercased())
    }
}
