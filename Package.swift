// swift-tools-version:6.2
import PackageDescription

// Release builds of the front end skip exclusivity checks at run time: the decoder and
// validator are hot loops over unsafe buffers whose accesses are already bounds-checked.
let fastSettings: [SwiftSetting] = [
    .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]

let package = Package(
    name: "WasmKiln",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "wasmkiln", targets: ["WasmKilnCLI"]),
        .library(name: "WasmDecoder", targets: ["WasmDecoder"]),
        .library(name: "WasmValidator", targets: ["WasmValidator"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/swiftwasm/WasmKit.git", exact: "0.4.2"),
    ],
    targets: [
        // Stage 1: the module model and the binary decoder.
        .target(name: "WasmDecoder", swiftSettings: fastSettings),
        // Stage 2: the spec's typing rules.
        .target(name: "WasmValidator", dependencies: ["WasmDecoder"], swiftSettings: fastSettings),
        // Stage 3: C for a validated module.
        .target(name: "CLowering", dependencies: ["WasmDecoder", "WasmValidator"], swiftSettings: fastSettings),
        // The C runtime's headers (Runtime/module.modulemap): the types, enums and layouts
        // the tool shares with generated code, defined once. Its sources are compiled by
        // the tool for each build (Toolchain embeds them), not into the tool.
        .systemLibrary(name: "CWasmKiln", path: "Runtime"),
        // libffi, to call compiled functions of any signature.
        .systemLibrary(name: "CFFI", path: "Sources/CFFI"),
        // Stage 4: the C compiler driver, the build cache, and loading what it built. It
        // carries the C runtime's sources, embedded from Runtime/ at build time.
        .target(name: "Toolchain", dependencies: ["WasmDecoder", "WasmValidator", "CLowering", "CFFI", "CWasmKiln"],
                plugins: ["EmbedRuntime"]),
        .executableTarget(name: "RuntimeEmbedder"),
        .plugin(name: "EmbedRuntime", capability: .buildTool(), dependencies: ["RuntimeEmbedder"]),
        // The command-line tool.
        .executableTarget(
            name: "WasmKilnCLI",
            dependencies: [
                "WasmDecoder", "WasmValidator", "CLowering", "Toolchain",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "WAT", package: "WasmKit"),
                .product(name: "WasmParser", package: "WasmKit"),
            ]
        ),
        // Coverage-guided fuzzing of decode + validate + lowering (Scripts/fuzz-frontend);
        // a plain build replays inputs instead.
        .executableTarget(name: "FrontendFuzzer", dependencies: ["WasmDecoder", "WasmValidator", "CLowering"]),
        // What the test targets share: running wasmkiln, scratch folders, building modules.
        .target(name: "TestSupport", dependencies: ["WasmDecoder", "WasmValidator", "CLowering", "Toolchain",
            .product(name: "WAT", package: "WasmKit")], path: "Tests/TestSupport"),
        // Decoding and validation: the binary format, the instruction table, the typing rules.
        .testTarget(name: "FrontendTests", dependencies: ["WasmDecoder", "WasmValidator", "CLowering", "TestSupport",
            .product(name: "WAT", package: "WasmKit")]),
        // The C that lowering writes, compiled and run.
        .testTarget(name: "LoweringTests", dependencies: ["WasmDecoder", "WasmValidator", "CLowering",
            .product(name: "WAT", package: "WasmKit")]),
        // The compiler driver, the cache keys, loading and calling compiled modules.
        .testTarget(name: "ToolchainTests", dependencies: ["WasmDecoder", "WasmValidator", "CLowering", "Toolchain", "CWasmKiln",
            "TestSupport", .product(name: "WAT", package: "WasmKit")]),
        // wasmkiln as people use it: every command, executables, libraries, WASI, the README.
        .testTarget(name: "CommandLineTests", dependencies: ["WasmDecoder", "WasmValidator", "CLowering", "Toolchain",
            "WasmKilnCLI", "TestSupport", .product(name: "WAT", package: "WasmKit")], exclude: ["C"]),
        // The C runtime's own tests (Tests/RuntimeTests/C), compiled and run.
        .testTarget(name: "RuntimeTests", exclude: ["C"]),
        .testTarget(name: "ConformanceTests", dependencies: ["WasmDecoder", "WasmValidator", "CLowering", "Toolchain", "TestSupport",
            .product(name: "WAT", package: "WasmKit")], exclude: ["Scripts", "C"]),
    ],
    swiftLanguageModes: [.v6]
)
