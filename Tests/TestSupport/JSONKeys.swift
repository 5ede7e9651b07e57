import Foundation

/// The naming of a JSON document's keys.
public enum JSONKeys {
    /// Every key of a JSON value, at any depth, that is not lower snake_case, as a path.
    public static func notSnakeCase(_ value: Any, path: String = "$") -> [String] {
        if let object = value as? [String: Any] {
            return object.keys.sorted().flatMap { key in
                (key.range(of: "^[a-z][a-z0-9_]*$", options: .regularExpression) == nil ? ["\(path).\(key)"] : [])
                    + notSnakeCase(object[key] as Any, path: "\(path).\(key)")
            }
        }
        if let array = value as? [Any] { return array.flatMap { notSnakeCase($0, path: path + "[]") } }
        return []
    }
}
