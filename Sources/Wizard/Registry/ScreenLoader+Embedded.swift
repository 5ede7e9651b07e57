import Foundation
@_exported import Screens

extension ScreenLoader {
    /// The screens built into the binary, in order.
    public static func embedded() throws -> [Screen] {
        let files = embeddedScreenFiles.map { file in
            (name: "screens/\(file.name)", text: Data(base64Encoded: file.base64).flatMap { String(data: $0, encoding: .utf8) } ?? "")
        }
        return try load(files: files)
    }
}
