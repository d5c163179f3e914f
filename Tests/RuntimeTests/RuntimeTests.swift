import Foundation
import Testing

/// The C runtime's tests: each compiles a C program from `C/` together with
/// `Runtime/src/*.c`, runs it, and checks its exit and the cases it reports ("ok …").
@Suite struct RuntimeTests {
    @Test func typeIDs() throws {
        try CProgram.run("types_test").expectPassed(["equal and different", "thread-safe"])
    }

    @Test func memoryGrowsInBothModes() throws {
        try CProgram.run("memory_test").expectPassed(
            ["guard grow", "explicit grow", "guard limits", "explicit limits", "many memories"])
    }

    /// The GC heap (not yet used by generated code): cycles reclaimed over 10 million
    /// allocations with the heap bounded, roots, handles, large objects, the cap, subtypes,
    /// a heap per thread.
    @Test(arguments: [[], ["-fsanitize=address,undefined", "-fno-sanitize-recover=all", "-g"]])
    func gcHeap(flags: [String]) throws {
        try CProgram.run("gc_test", flags: flags).expectPassed(
            ["cycles reclaimed", "roots and handles", "large objects", "cap", "subtypes", "threads"])
    }

    @Test func tables() throws {
        try CProgram.run("table_test").expectPassed(["grow to max", "unlimited"])
    }

    /// Also: out-of-bounds accesses trap again and again, and faults that are not ours
    /// still kill (a child dies of SIGSEGV) or reach the handler installed before ours.
    @Test func trapsAndFaults() throws {
        try CProgram.run("trap_test").expectPassed(
            ["texts and codes", "host message", "nesting", "guard out of bounds",
             "explicit reservation faults", "foreign faults"])
    }

    @Test func trapWithoutProtectedCallAborts() throws {
        let result = try CProgram.run("trap_test", arguments: ["unprotected"])
        #expect(result.signal == SIGABRT, "\(result)")
        #expect(result.stderr.contains("trap: integer overflow"), "\(result)")
    }

    @Test func stackExhaustionTraps() throws {
        try CProgram.run("stack_test").expectPassed(
            ["main thread", "small thread", "main thread again"])
    }

    @Test func reservedMemoryCostsNoRAM() throws {
        try CProgram.run("rss_test").expectPassed(["guard rss", "explicit rss"])
    }

    /// The SIMD helpers' vector forms and SSE sequences give the bits of plain lane-by-lane
    /// code on every path: baseline x86-64 (SSE2), SSSE3, AVX2 (SSE4.1 with it), no
    /// intrinsics at all, and unoptimized.
    @Test(arguments: simdFlagSets)
    func simdHelpersMatchLaneByLane(flags: [String]) throws {
        try CProgram.run("simd_test", flags: flags + ["-lm"]).expectPassed(
            ["float min max", "float rounding", "saturating arithmetic", "narrowing",
             "integer products and sums", "lane tests", "conversions"])
    }

    static var simdFlagSets: [[String]] {
        var sets = [[], ["-DWK_SIMD_PORTABLE"], ["-O0"], ["-O0", "-DWK_SIMD_PORTABLE"]]
        #if arch(x86_64)
        sets.append(["-mssse3"])
        // Only where this CPU can run what it builds.
        let cpu = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        if cpu.contains(" avx2") && cpu.contains(" fma") { sets.append(["-march=x86-64-v3"]) }
        #endif
        return sets
    }

    /// The runtime inside a dlopen'ed library, as a compiled module may carry it.
    @Test func worksInADlopenedLibrary() throws {
        let folder = try makeScratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let library = folder.appendingPathComponent("libmodule.so").path
        try CProgram.compile(sources: [CProgram.testFile("shared_module")] + CProgram.runtimeSources(),
                             flags: ["-fPIC", "-shared"], output: library)
        let host = folder.appendingPathComponent("host").path
        try CProgram.compile(sources: [CProgram.testFile("shared_host")], flags: ["-ldl"], output: host,
                             withRuntimeIncludes: false)
        try ProcessResult.run(host, [library]).expectPassed(["dlopen main thread", "dlopen thread"])
    }

    /// clang finds other warnings than gcc; the runtime must also build without
    /// -D_GNU_SOURCE and pass the trap tests when clang compiles it.
    @Test(.enabled(if: CProgram.hasProgram("clang"))) func cleanUnderClang() throws {
        let folder = try makeScratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for source in try CProgram.runtimeSources() {
            let object = folder.appendingPathComponent(URL(fileURLWithPath: source).lastPathComponent + ".o").path
            try CProgram.compile(sources: [source], flags: ["-c", "-Wshadow"], output: object,
                                 compiler: "clang", standardFlags: ["-std=c11", "-Wall", "-Wextra", "-Werror", "-O2"])
        }
        try CProgram.run("trap_test", compiler: "clang").expectPassed(
            ["texts and codes", "host message", "nesting", "guard out of bounds", "foreign faults"])
        try CProgram.run("stack_test", compiler: "clang").expectPassed(["main thread", "small thread"])
    }
}

/// A C test program built with the runtime.
enum CProgram {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let flags = ["-std=c11", "-D_GNU_SOURCE", "-Wall", "-Wextra", "-Werror", "-O2", "-pthread"]

    /// `$CC` when set, else `cc`.
    static var defaultCompiler: String {
        let cc = ProcessInfo.processInfo.environment["CC"] ?? ""
        return cc.trimmingCharacters(in: .whitespaces).isEmpty ? "cc" : cc
    }

    static func testFile(_ name: String) -> String {
        repository.appendingPathComponent("Tests/RuntimeTests/C/\(name).c").path
    }

    static func runtimeSources() throws -> [String] {
        let folder = repository.appendingPathComponent("Runtime/src")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        return names.filter { $0.hasSuffix(".c") }.sorted().map { folder.appendingPathComponent($0).path }
    }

    static func hasProgram(_ name: String) -> Bool {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").contains {
            FileManager.default.isExecutableFile(atPath: "\($0)/\(name)")
        }
    }

    static func compile(sources: [String], flags extra: [String], output: String,
                        compiler: String = defaultCompiler, standardFlags: [String] = flags,
                        withRuntimeIncludes: Bool = true) throws {
        let includes = withRuntimeIncludes
            ? ["-I", repository.appendingPathComponent("Runtime/include").path,
               "-I", repository.appendingPathComponent("Tests/RuntimeTests/C").path]
            : []
        // $CC may carry flags of its own ("gcc -m64").
        let command = compiler.split(separator: " ").map(String.init)
        let arguments = command + standardFlags + includes + sources + extra + ["-o", output]
        let result = try ProcessResult.run("/usr/bin/env", arguments)
        guard result.status == 0, result.signal == nil else {
            throw CompileError(description: "\(arguments.joined(separator: " "))\n\(result.stderr)")
        }
    }

    /// Builds `C/<name>.c` with the runtime and runs it.
    static func run(_ name: String, arguments: [String] = [], flags: [String] = [],
                    compiler: String = defaultCompiler) throws -> ProcessResult {
        let folder = try makeScratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let executable = folder.appendingPathComponent(name).path
        try compile(sources: [testFile(name)] + runtimeSources(), flags: flags, output: executable, compiler: compiler)
        return try ProcessResult.run(executable, arguments)
    }
}

struct CompileError: Error, CustomStringConvertible {
    var description: String
}

/// How a child process ended and what it printed.
struct ProcessResult: CustomStringConvertible {
    var status: Int32
    var signal: Int32? /// set when the process died of a signal
    var stdout: String
    var stderr: String

    var description: String {
        "status \(status), signal \(signal.map(String.init) ?? "none")\n--- stdout\n\(stdout)--- stderr\n\(stderr)"
    }

    /// Runs a program to its end (or kills it after `timeout` seconds).
    static func run(_ executable: String, _ arguments: [String], timeout: TimeInterval = 120) throws -> ProcessResult {
        let folder = try makeScratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // Files, not pipes: a full pipe would block the child while we wait for it.
        let stdoutURL = folder.appendingPathComponent("stdout")
        let stderrURL = folder.appendingPathComponent("stderr")
        try Data().write(to: stdoutURL)
        try Data().write(to: stderrURL)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        try process.run()
        if finished.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            finished.wait()
        }
        let killed = process.terminationReason == .uncaughtSignal
        return ProcessResult(
            status: killed ? -1 : process.terminationStatus,
            signal: killed ? process.terminationStatus : nil,
            stdout: try String(contentsOf: stdoutURL, encoding: .utf8),
            stderr: try String(contentsOf: stderrURL, encoding: .utf8))
    }

    /// The program exited with 0 and reported each of `cases` as "ok <case>".
    func expectPassed(_ cases: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(status == 0 && signal == nil, "\(self)", sourceLocation: sourceLocation)
        let lines = Set(stdout.split(separator: "\n").map(String.init))
        let missing = cases.filter { !lines.contains("ok \($0)") }
        #expect(missing.isEmpty, "cases not reported: \(missing)", sourceLocation: sourceLocation)
    }
}

/// A new temporary folder; the caller removes it.
func makeScratchFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("wasmkiln-runtime-\(UUID())")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
