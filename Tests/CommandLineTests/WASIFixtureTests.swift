import Foundation
import Testing
@testable import TestSupport

/// Our C and Go programs for WASI (Fixtures/wasi, rebuilt by Scripts/build-fixtures), built
/// into native executables by `wasmkiln build` and run; the output and exit status must be
/// what wasmtime gave (Fixtures/wasi/expected, recorded by Scripts/wasi-reference.py).
@Suite(.serialized) struct WASIFixtureTests {
    struct Fixture: CustomStringConvertible, Sendable {
        var name: String
        var arguments: [String] = []
        var environment: [String] = []
        /// Whether it gets a fresh, empty host folder as `/sandbox`.
        var sandbox = false
        var description: String { name }
    }

    /// How each fixture is run: the table at the top of Scripts/build-fixtures.
    static let fixtures: [Fixture] = [
        Fixture(name: "args_env", arguments: ["hello", "with space", "", "ünïcode", "--flag=1", "--", "last"],
                environment: ["WASMKILN_A=alpha", "WASMKILN_EMPTY=", "WASMKILN_EQ=a=b=c", "WASMKILN_UTF8=héllo"]),
        Fixture(name: "files", sandbox: true),
        Fixture(name: "dirs", sandbox: true),
        Fixture(name: "links", sandbox: true),
        Fixture(name: "times", sandbox: true),
        Fixture(name: "clocks_random"),
        Fixture(name: "poll", sandbox: true),
        Fixture(name: "exit_code", arguments: ["42"]),
        Fixture(name: "escape", sandbox: true),
        Fixture(name: "errors_fd", sandbox: true),
        Fixture(name: "errors_open", sandbox: true),
        Fixture(name: "errors_names", sandbox: true),
        Fixture(name: "gowasi", arguments: ["/sandbox"], environment: ["GOWASI_MODE=fixture"], sandbox: true),
    ]

    static let folder = CommandRunner.fixtures.appendingPathComponent("wasi")

    @Test(arguments: fixtures)
    func runsNativelyAsUnderWasmtime(_ fixture: Fixture) throws {
        // In the sanitizer job's child (ConformanceTests' SanitizerTests), the compilers
        // started from here need not run with the sanitizers' runtimes preloaded.
        if ProcessInfo.processInfo.environment["WASMKILN_SANITIZER_CHILD"] != nil { unsetenv("LD_PRELOAD") }
        let scratch = try ScratchFolder()
        let sandbox = scratch.url.appendingPathComponent("sandbox")
        try FileManager.default.createDirectory(at: sandbox, withIntermediateDirectories: true)
        let module = fixture.name == "gowasi"
            ? Self.folder.appendingPathComponent("go/gowasi.wasm") : Self.folder.appendingPathComponent("\(fixture.name).wasm")
        let program = scratch.url.appendingPathComponent(fixture.name).path

        // Grants are given at build time here; the program sees nothing else.
        var build = ["build", module.path, "-o", program, "-O1"]
        if fixture.sandbox { build += ["--dir", "\(sandbox.path)::/sandbox"] }
        for entry in fixture.environment { build += ["--env", entry] }
        let built = try CommandRunner.run(build)
        try #require(built.status == 0, "wasmkiln build failed: \(built.stderr)")

        let result = try CommandRunner.run(program: program, argv0: fixture.name, arguments: fixture.arguments)
        let expected = try String(contentsOf: Self.folder.appendingPathComponent("expected/\(fixture.name).txt"), encoding: .utf8)
        #expect(result.stdout + "exit: \(result.status)\n" == expected, "stderr: \(result.stderr)")
    }

    static let haveAarch64 = CommandRunner.succeeds(["aarch64-linux-gnu-gcc", "--version"])
        && CommandRunner.succeeds(["qemu-aarch64", "--version"])

    /// `build --target aarch64-linux-gnu` (Debian's cross gcc), run under qemu-user: the
    /// same output as natively. Not the Go fixture: 3 MB of C, too slow to cross-compile here.
    @Test(.enabled(if: haveAarch64 || ProcessInfo.processInfo.environment["CI"] != nil,
                   "needs gcc-aarch64-linux-gnu and qemu-user (apt-get install gcc-aarch64-linux-gnu qemu-user)"),
          arguments: fixtures.filter { $0.name != "gowasi" })
    func runsOnAarch64UnderQemu(_ fixture: Fixture) throws {
        let scratch = try ScratchFolder()
        let sandbox = scratch.url.appendingPathComponent("sandbox")
        try FileManager.default.createDirectory(at: sandbox, withIntermediateDirectories: true)
        let program = scratch.url.appendingPathComponent(fixture.name).path
        var build = ["build", Self.folder.appendingPathComponent("\(fixture.name).wasm").path, "-o", program,
                     "--target", "aarch64-linux-gnu"]
        if fixture.sandbox { build += ["--dir", "\(sandbox.path)::/sandbox"] }
        for entry in fixture.environment { build += ["--env", entry] }
        let built = try CommandRunner.run(build)
        try #require(built.status == 0, "wasmkiln build failed: \(built.stderr)")

        let result = try CommandRunner.run(["qemu-aarch64", "-0", fixture.name, "-L", "/usr/aarch64-linux-gnu", program]
                                           + fixture.arguments, executable: URL(fileURLWithPath: "/usr/bin/env"))
        let expected = try String(contentsOf: Self.folder.appendingPathComponent("expected/\(fixture.name).txt"), encoding: .utf8)
        #expect(result.stdout + "exit: \(result.status)\n" == expected, "stderr: \(result.stderr)")
    }
}
