import Foundation
import StepEngine

/// What a file a plan would replace holds now: its text, nil only when there is no file. A file that is there and
/// cannot be read is `owner`'s failure, never "absent" (a preview would show it as new, and the write replace it).
struct ExistingFile: Sendable {
    let owner: any FindingOwner

    /// The file's text, or nil when nothing is at `path`.
    func read(_ path: String) throws(FindingError) -> String? {
        var status = stat()
        guard lstat(path, &status) == 0 else {
            if errno == ENOENT { return nil }
            throw unreadable(path, String(cString: strerror(errno)))
        }
        do { return try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw unreadable(path, error.localizedDescription)
        }
    }

    private func unreadable(_ path: String, _ cause: String) -> FindingError {
        owner.refusal(
            target: path, observed: "the file is there but cannot be read (\(cause)); nothing was planned",
            remedy: "Fix its permissions or move it aside (as its owner), or choose another path; then run this step again.")
    }
}
