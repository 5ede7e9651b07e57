import Foundation

/// Atmosphere's own log (logs/atmosphere.log in the checkout): what a script wrote there while it ran, for the causes a
/// script logs but does not print (the guide's add_new_provider.py prints no reason when the connection check fails).
public struct AtmosphereLog {
    public let path: String
    private let start: UInt64

    /// Notes where the log ends now, so that only what comes after is read.
    public init(install: AtmosphereInstall) {
        path = install.checkout + "/logs/atmosphere.log"
        start = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? UInt64) ?? 0
    }

    /// What was appended since this value was made (empty when the log is missing or unreadable).
    public func newText() -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { return "" }
        defer { try? handle.close() }
        guard (try? handle.seek(toOffset: start)) != nil, let data = try? handle.readToEnd() else { return "" }
        return String(decoding: data, as: UTF8.self)
    }

    /// The last exception line of a Python traceback in `text` ("module.Error: message"), without the module path.
    public static func lastException(in text: String) -> String? {
        let lines = text.split(separator: "\n").map(String.init)
        guard
            let line = lines.last(where: { line in
                !line.hasPrefix(" ") && !line.hasPrefix("Traceback")
                    && line.firstMatch(of: #/^[A-Za-z_][\w.]*(Error|Exception|Failure|Unauthorized)\b/#.wordBoundaryKind(.simple)) != nil
            })
        else { return nil }
        guard let colon = line.range(of: ": ") else { return line }
        let name = line[..<colon.lowerBound].split(separator: ".").last.map(String.init) ?? ""
        return name + ": " + line[colon.upperBound...]
    }
}
