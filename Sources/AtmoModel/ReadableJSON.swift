import Foundation

/// JSON for people as well as programs: objects one key a line (sorted), two-space indentation, and an array of plain
/// values on one line when it fits in 80 columns (the provider JSON's security rules read as rules, not as a column of
/// numbers). Every scalar is written by JSONSerialization, so escaping is the standard library's.
public enum ReadableJSON {
    /// Renders `data` (any JSON text) readably; throws if it is not JSON.
    public static func render(_ data: Data, width: Int = 80) throws -> String {
        let value = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        return try render(value, indent: 0, width: width) + "\n"
    }

    private static func render(_ value: Any, indent: Int, width: Int) throws -> String {
        let pad = String(repeating: " ", count: indent + 2)
        if let object = value as? [String: Any] {
            guard !object.isEmpty else { return "{}" }
            let members = try object.keys.sorted().map { key in
                try scalar(key) + " : " + render(object[key] as Any, indent: indent + 2, width: width)
            }
            return "{\n" + members.map { pad + $0 }.joined(separator: ",\n") + "\n" + String(repeating: " ", count: indent) + "}"
        }
        if let array = value as? [Any] {
            guard !array.isEmpty else { return "[]" }
            if array.allSatisfy({ !($0 is [Any]) && !($0 is [String: Any]) }) {
                let line = try "[" + array.map(scalar).joined(separator: ", ") + "]"
                if indent + 2 + line.count <= width { return line }
            }
            let items = try array.map { try render($0, indent: indent + 2, width: width) }
            return "[\n" + items.map { pad + $0 }.joined(separator: ",\n") + "\n" + String(repeating: " ", count: indent) + "]"
        }
        return try scalar(value)
    }

    private static func scalar(_ value: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .withoutEscapingSlashes]), as: UTF8.self)
    }
}
