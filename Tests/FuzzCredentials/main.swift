import CloudProbe
import StepEngine

// libFuzzer entry point: every input goes through the openrc parser and the clouds.yaml parser.
// Parse errors are expected; crashes, hangs and memory errors are what the fuzzer looks for.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCredentials(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = try? OpenrcParser.parse(text, path: "fuzz.openrc")
    _ = try? CloudsYAML.parse(text, path: "fuzz.yaml")
    if let variables = try? OpenrcParser.parse(text, path: "fuzz.openrc").variables {
        _ = try? CloudCredentials.from(variables: variables, source: "fuzz")
    }
    return 0
}
