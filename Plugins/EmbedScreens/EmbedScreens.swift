import Foundation
import PackagePlugin

/// Embeds the package's top-level screens/*.yaml into the target that uses this plugin.
@main
struct EmbedScreens: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let directory = context.package.directoryURL.appending(path: "screens")
        let files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "yaml" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedScreens.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(files.count) screens",
                executable: try context.tool(named: "screens-embedder").url,
                arguments: [output.path] + files.map(\.path),
                inputFiles: files,
                outputFiles: [output]
            )
        ]
    }
}
