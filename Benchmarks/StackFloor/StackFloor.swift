import ArgumentParser
import Foundation
import GRDB
import Yams

/// The fixed stack's floor, for `make bench`: what any command of ArgumentParser, GRDB and Yams costs before it does
/// anything of atmo-connect's (parse one option, open the state database, read one row, load one YAML value).
@main
struct StackFloor: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stack-floor", version: "1")

    @Option(help: "A SQLite database to open read-only.")
    var database: String

    mutating func run() throws {
        var configuration = Configuration()
        configuration.readonly = true
        let pool = try DatabasePool(path: database, configuration: configuration)
        let tables = try pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM sqlite_master") } ?? 0
        let value = try Yams.load(yaml: "tables: \(tables)") as? [String: Int]
        print(value?["tables"] ?? 0)
    }
}
