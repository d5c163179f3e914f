import Foundation
import Testing
import Toolchain

/// The spec suite (both bounds modes, at the default level) again with clang as the C
/// compiler. The two compilers differ where it matters to us: which float expressions
/// they fold, and what they keep in registers, so a lowering bug may show under one of
/// them only (an earlier exception lowering's did, under clang). The Swift toolchain
/// brings clang, so it is on the PATH wherever these tests build.
@Suite struct ClangTests {
    static let childVariable = "WASMKILN_CLANG_CHILD"

    /// `clang` on the PATH.
    static func clang() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        return path.split(separator: ":").map { "\($0)/clang" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment[childVariable] == nil, "this is the clang job's own child"))
    func specSuiteUnderClang() throws {
        let clang = try #require(Self.clang(), "no clang on the PATH")
        let (passed, output) = try TestChild.run(filter: "specTestSuite", environment: [
            Self.childVariable: "1",
            "CC": clang,
            "CONFORMANCE_LEVELS": OptimizationLevel.default.rawValue,
        ], log: "wasmkiln-clang")
        let tail = TestChild.tail(output, lines: 30)
        print("clang job (\(clang)):\n\(tail)")
        #expect(passed, "the spec suite failed under clang:\n\(tail)")
        #expect(output.contains(" 0 failed"), "the spec suite did not report its totals")
    }
}
