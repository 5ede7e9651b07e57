// swift-tools-version: 6.2
import PackageDescription

let argumentParser = Target.Dependency.product(name: "ArgumentParser", package: "swift-argument-parser")
let logging = Target.Dependency.product(name: "Logging", package: "swift-log")
let yams = Target.Dependency.product(name: "Yams", package: "Yams")
let grdb = Target.Dependency.product(name: "GRDB", package: "GRDB.swift")
let nio = Target.Dependency.product(name: "NIOCore", package: "swift-nio")
let nioPosix = Target.Dependency.product(name: "NIOPosix", package: "swift-nio")
let nioHTTP = Target.Dependency.product(name: "NIOHTTP1", package: "swift-nio")
let nioSSL = Target.Dependency.product(name: "NIOSSL", package: "swift-nio-ssl")
let x509 = Target.Dependency.product(name: "X509", package: "swift-certificates")
let crypto = Target.Dependency.product(name: "Crypto", package: "swift-crypto")

let package = Package(
    name: "atmo-connect",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "atmo-connect", targets: ["atmo-connect"]),
        .executable(name: "atmo-connect-demo", targets: ["atmo-connect-demo"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        // The demo cloud only: HTTPS servers and the throwaway CA they present.
        .package(url: "https://github.com/apple/swift-nio", exact: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl", exact: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates", exact: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "4.5.2"),
    ],
    targets: [
        // C libraries, each behind one Swift layer.
        .systemLibrary(name: "CNcurses", providers: [.apt(["libncurses-dev"])]),
        // libcurl is loaded on first use (dlopen), so commands that send no request start without its libraries;
        // the headers come from libcurl4-openssl-dev.
        .target(name: "CCurl", cSettings: [.define("CURL_DISABLE_TYPECHECK")]),
        // posix_openpt and friends need _XOPEN_SOURCE, which Swift's Glibc module does not set.
        .target(name: "CPty"),

        // The shared model: findings, addresses, secrets, located problems; no database.
        .target(name: "AtmoModel", dependencies: [yams]),
        // The step engine: plan, statuses, SQLite store, answers, lock, events.
        .target(name: "StepEngine", dependencies: ["AtmoModel", grdb, yams, logging]),
        // HTTP and TLS over libcurl: the https rule, failures classified, certificates read.
        .target(name: "CurlHTTP", dependencies: ["CCurl", "AtmoModel"]),
        // Checks against the cloud (Keystone and the other services, TLS, DNS, the smoke test).
        .target(name: "CloudProbe", dependencies: ["CurlHTTP", "AtmoModel", yams]),
        // Checks and actions on the Atmosphere side.
        .target(name: "AtmosphereKit", dependencies: ["AtmoModel", "CloudProbe", "CPty", yams, logging]),
        // The demo cloud: simulated Keystone, Nova, Glance, Neutron and Cinder over HTTPS on loopback.
        .target(name: "DemoCloud", dependencies: ["AtmoModel", nio, nioPosix, nioHTTP, nioSSL, x509, crypto, yams]),
        // The screens (screens/*.yaml) as types: their inputs, checks and actions, read and checked.
        .target(name: "Screens", dependencies: ["StepEngine", yams]),
        // The terminal: ncurses behind a protocol.
        .target(name: "TerminalUI", dependencies: ["CNcurses", "AtmoModel"]),
        // The steps: the capabilities (one type per check or action id), their registry, the one executor, remote
        // mode and unattended apply. No terminal.
        .target(
            name: "Wizard",
            dependencies: ["Screens", "StepEngine", "CloudProbe", "AtmosphereKit", yams, logging],
            plugins: ["EmbedScreens"]
        ),
        // The full-screen wizard: a reducer over the steps, effects through the executor, drawn by TerminalUI.
        .target(name: "WizardTUI", dependencies: ["Wizard", "TerminalUI", "StepEngine"]),
        .executableTarget(
            name: "atmo-connect",
            dependencies: ["Wizard", "WizardTUI", "StepEngine", "CloudProbe", "AtmosphereKit", argumentParser, logging]),
        // The demo cloud, a program of its own: the operator's binary carries no SwiftNIO or BoringSSL.
        .executableTarget(name: "atmo-connect-demo", dependencies: ["DemoCloud", "StepEngine", argumentParser]),

        // Build-time embedding of screens/*.yaml into the binary.
        .executableTarget(name: "screens-embedder", dependencies: ["Screens"], path: "Sources/ScreensEmbedder"),
        .plugin(name: "EmbedScreens", capability: .buildTool(), dependencies: ["screens-embedder"]),

        // libFuzzer target for the credential parsers (see README, Development).
        .executableTarget(name: "FuzzCredentials", dependencies: ["CloudProbe", "StepEngine"], path: "Tests/FuzzCredentials"),
        // And for the answers-file loader (apply --answers).
        .executableTarget(name: "FuzzAnswers", dependencies: ["Screens", "StepEngine"], path: "Tests/FuzzAnswers"),

        // make bench: the step engine's costs against baselines and targets.
        .executableTarget(name: "engine-bench", dependencies: ["StepEngine", grdb], path: "Benchmarks/EngineBench"),
        .executableTarget(name: "dns-bench", dependencies: ["CloudProbe", "StepEngine"], path: "Benchmarks/DNSBench"),
        .executableTarget(name: "stack-floor", dependencies: [argumentParser, grdb, yams], path: "Benchmarks/StackFloor"),

        // Test-only: drives the engine in a child process so tests can kill it or race it.
        .executableTarget(name: "engine-harness", dependencies: ["StepEngine", "TestSupport"], path: "Tests/EngineHarness"),
        .target(name: "TestSupport", dependencies: ["StepEngine", "CloudProbe", "AtmosphereKit", "DemoCloud"], path: "Tests/TestSupport"),
        .testTarget(name: "StepEngineTests", dependencies: ["StepEngine", "TestSupport", "engine-harness", grdb, yams]),
        .testTarget(name: "WizardTests", dependencies: ["Wizard", "StepEngine", "TestSupport", yams]),
        .testTarget(name: "AtmosphereKitTests", dependencies: ["AtmosphereKit", "StepEngine", "TestSupport", "DemoCloud", yams]),
        .testTarget(name: "CloudProbeTests", dependencies: ["CloudProbe", "StepEngine", "TestSupport", "Wizard", "DemoCloud", "atmo-connect", yams]),
        .testTarget(
            name: "TUITests", dependencies: ["Wizard", "WizardTUI", "TerminalUI", "StepEngine", "TestSupport", "atmo-connect", "atmo-connect-demo"],
            exclude: ["__Snapshots__"]),
        .testTarget(name: "CommandLineTests", dependencies: ["TestSupport", "atmo-connect", "atmo-connect-demo", "StepEngine"]),
    ],
    swiftLanguageModes: [.v6]
)
