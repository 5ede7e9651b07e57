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
        let existing = try? String(contentsOfFile: path, encoding: .utf8)
        guard existing != text else { return (false, nil) }
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        var backup: String?
        if existing != nil {
            let stamp = TimeText.fileStamp(now)
            let backupPath = "\(path).atmo-connect-\(stamp).bak"
            try FileManager.default.copyItem(atPath: path, toPath: backupPath)
            backup = backupPath
        }
        let temporary = path + ".atmo-connect-tmp"
        try text.write(toFile: temporary, atomically: false, encoding: .utf8)
        _ = rename(temporary, path)
        return (true, backup)
    }
}
