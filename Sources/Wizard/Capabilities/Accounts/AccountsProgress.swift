import AtmosphereKit
import Foundation

/// The accounts step's progress: "user 12 of 1000: alice: 1 new identities identity_total for alice.", one line per
/// user as add_new_accounts.py reports on them, counting on from the users who had an identity already.
final class AccountsProgress {
    /// What add_new_accounts.py takes for a user, measured against a cloud on loopback and upstream's script (about 2 s);
    /// only the preview's estimate uses it.
    static let secondsPerUser = 2.0

    private let pending: Set<String>
    private var reported: Set<String> = []
    private var count: Int
    private let total: Int

    /// Progress over `users` (those the script is given), `done` of `total` having an identity already.
    init(users: [String], done: Int, total: Int) {
        pending = Set(users.map { $0.lowercased() })
        count = done
        self.total = total
    }

    /// The first line, before the script says anything.
    var start: String {
        count == 0 ? "add_new_accounts.py started for \(pending.count) users" : "add_new_accounts.py started: \(count) of \(total) had an identity already"
    }

    /// The progress line for a line of the script's output that reports on a user, or nil for any other line.
    func report(_ line: String) -> String? {
        guard let user = AccountsScript.user(reportedIn: line) else { return nil }
        let key = user.lowercased()
        guard reported.insert(key).inserted else { return nil }
        if pending.contains(key) || total == 0 { count += 1 }
        let position = total > 0 && pending.contains(key) ? "user \(count) of \(total)" : "user \(reported.count)"
        return "\(position): \(user): \(line.trimmingCharacters(in: .whitespaces))"
    }

    /// How long the preview says it will take.
    static func expectedTime(users: Int) -> String {
        let seconds = Double(users) * secondsPerUser
        let words = seconds < 90 ? "\(Int(seconds.rounded())) s" : "\(Int((seconds / 60).rounded())) min"
        return "about \(words) (add_new_accounts.py takes about \(Int(secondsPerUser)) s a user)"
    }
}
