import Foundation
import StepEngine

/// With Atmosphere on another server, the folder of remote outputs is this user's alone: `apply` reads STEP.txt there as
/// what the Atmosphere server printed, so a folder another user may write to lets them answer for the server.
struct OutputsFolderCheck: StepCapability {
    let descriptor = Capability(
        id: "atmosphere.outputs-folder", kind: .check, title: "The folder for remote outputs is this user's alone", availability: .available)

    /// Whether Atmosphere is elsewhere, and the folder.
    struct Inputs: CapabilityInputs {
        var isRemote: Bool
        var folder: String

        init(_ answers: InputReader) {
            isRemote = answers.isRemote
            folder = answers.path("atmosphere.remote_outputs") ?? ""
        }
    }

    func observe(_ run: StepContext) async -> [Finding] {
        let inputs = Inputs(run.reader(for: self))
        guard inputs.isRemote else { return [] }
        do {
            let exists = try PrivateDirectory.inspect(inputs.folder)
            return [
                ok(
                    target: inputs.folder,
                    observed: exists ? "yours, and nobody else may enter it (mode 0700)" : "not there yet: made (0700) when the first block is saved")
            ]
        } catch {
            return [
                failure(
                    target: inputs.folder,
                    observed: "\(error.reason): another user could put a STEP.txt there that apply reads as the Atmosphere server's output",
                    remedy: "Use a folder of your own that only you may enter (chmod 700), or another path (atmosphere.remote_outputs).")
            ]
        }
    }
}
