import Foundation
import Testing
import Toolchain

#if canImport(Glibc)
import Glibc
#endif

/// The sanitizer job: the spec suite (both bounds modes, at the default level) and the WASI
/// fixtures again, with the runtime, the generated code and the fixtures' executables
/// compiled with `-fsanitize=address,undefined`, any report fatal. It runs this test
/// binary again as a child with the sanitizers' runtimes preloaded, since the spec
/// modules are loaded into the test process; the child then drops the preload so that
/// the compilers it starts run plain.
@Suite struct SanitizerTests {
    static let childVariable = "WASMKILN_SANITIZER_CHILD"

    /// In the child, forget the preload before starting any process (see the suite).
    static func dropPreloadInChild() {
        if ProcessInfo.processInfo.environment[childVariable] != nil { unsetenv("LD_PRELOAD") }
    }

    /// The C compiler's shared runtime of a sanitizer (`libasan.so`), if it has one.
    static func runtimeLibrary(_ name: String) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [ProcessInfo.processInfo.environment["CC"] ?? "cc", "-print-file-name=\(name)"]
        let output = Pipe()
        process.standardOutput = output
        guard (try? process.run()) != nil else { return nil }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let path = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return path.hasPrefix("/") && FileManager.default.fileExists(atPath: path) ? path : nil
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment[childVariable] == nil, "this is the sanitizer job's own child"))
    func specSuiteAndWASIFixturesUnderSanitizers() throws {
        let asan = try #require(Self.runtimeLibrary("libasan.so"), "the C compiler has no AddressSanitizer runtime")
        let ubsan = try #require(Self.runtimeLibrary("libubsan.so"), "the C compiler has no UBSan runtime")
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("wasmkiln-sanitized-\(UUID())")
        defer { try? FileManager.default.removeItem(at: cache) }
        let sanitize = "-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
        let environment = [
            Self.childVariable: "1",
            "LD_PRELOAD": "\(asan) \(ubsan)",
            // Guard pages fault on purpose: our handler takes those faults, not ASan's.
            // Leaks: the child is a Swift test process, whose runtime is not ours to judge.
            "ASAN_OPTIONS": "detect_leaks=0:handle_segv=0:allow_user_segv_handler=1:abort_on_error=1",
            "UBSAN_OPTIONS": "halt_on_error=1:print_stacktrace=1",
            "CFLAGS": sanitize, "LDFLAGS": sanitize,
            "CONFORMANCE_LEVELS": OptimizationLevel.default.rawValue,
            "WASMKILN_CACHE": cache.path,
        ]

        let (passed, output) = try TestChild.run(filter: "specTestSuite|WASIFixtureTests", environment: environment,
                                                 log: "wasmkiln-sanitized")
        let tail = TestChild.tail(output)
        print("sanitizer job (\(sanitize)):\n\(tail)")
        #expect(passed, "the sanitized run failed:\n\(tail)")
        for report in ["runtime error:", "ERROR: AddressSanitizer", "ERROR: UndefinedBehaviorSanitizer"] {
            #expect(!output.contains(report), "a sanitizer reported: \(report)")
        }
        #expect(output.contains(" 0 failed"), "the spec suite did not report its totals")
    }
}
