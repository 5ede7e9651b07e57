import AtmosphereKit
import Foundation

/// An operator at a shell on the Atmosphere server: types a block into an interactive bash on a pseudo-terminal, as a
/// paste does, answers the prompts it is told to, and returns what the terminal showed, as a copy from it would read.
public enum RemoteShell {
    /// The terminal's text after `block` ran; `replies` answer prompts in order, each when the output ends with its prompt.
    public static func paste(
        _ block: String, replies: [(prompt: String, reply: String)] = [], home: String,
        environment extra: [String: String] = [:], directory: String = "/", timeout: TimeInterval = 60
    ) throws -> String {
        // A fresh SSH session's environment: none of this machine's CA bundles or credentials.
        var environment = ProcessInfo.processInfo.environment.filter { AtmosphereInstall.inheritedVariables.contains($0.key) }
        environment["HOME"] = home
        environment["PS1"] = "atmo$ "
        environment["PS2"] = "> "
        environment["TERM"] = "dumb"
        for (key, value) in extra { environment[key] = value }
        let shell = try PseudoTerminalProcess(
            executable: "/bin/bash", arguments: ["--norc", "--noprofile", "--noediting", "-i"],
            environment: environment, directory: directory)
        var screen = ""
        func drain(_ wait: TimeInterval) { while let chunk = shell.read(timeout: wait), !chunk.isEmpty { screen += chunk } }
        drain(0.3)
        let prompts = screen.components(separatedBy: "atmo$ ").count
        for line in block.split(separator: "\n", omittingEmptySubsequences: false) {
            shell.send(String(line))
            drain(0.005)
        }
        var pending = replies
        var mark = screen.count
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            drain(0.2)
            let fresh = String(screen.dropFirst(mark))
            let shown = fresh.replacingOccurrences(of: "\r\n", with: "\n")
            if let index = pending.firstIndex(where: { shown.hasSuffix($0.prompt) }) {
                shell.send(pending[index].reply)
                pending.remove(at: index)
                mark = screen.count
                continue
            }
            // Back at the prompt: the block is done.
            if screen.components(separatedBy: "atmo$ ").count > prompts, screen.hasSuffix("atmo$ ") { break }
        }
        shell.send("exit")
        drain(0.3)
        // Whatever is still running there (a script waiting at a prompt the test did not expect) ends here.
        kill(shell.pid, SIGKILL)
        _ = shell.wait()
        if Date() >= deadline { FileHandle.standardError.write(Data("RemoteShell: timed out; the terminal showed:\n\(screen)\n".utf8)) }
        return screen.replacingOccurrences(of: "\r\n", with: "\n")
    }
}
