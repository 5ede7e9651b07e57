import AtmoModel
import Foundation

/// Where the hosts file and group_vars live in an atmosphere-ansible checkout, for the generation found.
public struct InventoryLayout: Sendable, Equatable {
    public var hostsPath: String
    public var groupVarsDirectory: String

    /// `ansible/inventory/` when Atmosphere runs ansible with --inventory=…/ansible/inventory (since 2020-11), else `ansible/`.
    public init(ansibleCheckout: String, usesInventoryDirectory: Bool) {
        let base = ansibleCheckout + (usesInventoryDirectory ? "/ansible/inventory" : "/ansible")
        hostsPath = base + "/hosts"
        groupVarsDirectory = base + "/group_vars"
    }

    /// Writes a file only if its content changes, keeping a timestamped backup of what was there. Returns the backup's path, if any.
    @discardableResult
    public static func write(_ text: String, to path: String, now: Date = Date()) throws -> (changed: Bool, backup: String?) {
        // Never through a link: what the target is, is checked before it is read.
        try PrivateFile.refuseUnlessRegular(path)
        var info = stat()
        let exists = lstat(path, &info) == 0
        let existing = exists ? try String(contentsOfFile: path, encoding: .utf8) : nil
        guard existing != text else { return (false, nil) }
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        var backup: String?
        if let existing {
            let stamp = TimeText.fileStamp(now)
            let backupPath = "\(path).atmo-connect-\(stamp).bak"
            // A new file (a planted one at that name is never followed or replaced), with the original's mode.
            try PrivateFile.refuseUnlessRegular(backupPath)
            if FileManager.default.fileExists(atPath: backupPath) {
                throw PrivateFile.WriteError(path: backupPath, reason: "a file of that name is there already")
            }
            try PrivateFile.write(existing, to: backupPath, mode: info.st_mode & 0o777)
            backup = backupPath
        }
        // The file keeps its mode; a new one is readable by all, as Ansible's inventory and its group_vars are.
        try PrivateFile.write(text, to: path, mode: exists ? info.st_mode & 0o777 : 0o644)
        return (true, backup)
    }
}
