import Foundation
import Screens
import StepEngine

// libFuzzer entry point: every input is an answers file, loaded as `apply --answers` loads it: parsed against every
// screen's inputs, each value validated by its kind and rules. Refusals are expected; crashes, hangs and memory
// errors are what the fuzzer looks for. The screens are read from ATMO_SCREENS (default: ./screens).
nonisolated(unsafe) let inputs: [InputSpec] = {
    let directory = ProcessInfo.processInfo.environment["ATMO_SCREENS"] ?? "screens"
    guard let screens = try? ScreenLoader.load(directory: directory), !screens.isEmpty else {
        fatalError("FuzzAnswers: no screens in \(directory): run it from the repository's root, or set ATMO_SCREENS")
    }
    return screens.flatMap(\.inputs)
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAnswers(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let file = try? AnswersFile.parse(text, path: "fuzz.yaml", inputs: inputs, fileIsPrivate: true) else { return 0 }
    // What a valid file holds is validated again as the run reads it.
    for input in inputs { if let value = file.values[input.key] { _ = input.problem(with: value) } }
    return 0
}
