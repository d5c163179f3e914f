import CLowering
import Foundation
import Testing
@testable import TestSupport
import Toolchain

/// The spec suite's execution directives on aarch64: the modules, the runtime and a spec
/// runner are compiled by Debian's cross gcc and run under qemu-user, in both bounds
/// modes at the default level (RemoteEngine). By default a slice of scripts that covers
/// what differs between machines (floats and their NaNs, SIMD, memory and its guard
/// pages, traps, stack exhaustion, tables across modules, exceptions, tail calls); the
/// whole suite runs with `Scripts/spec-aarch64` (`AARCH64_CONFORMANCE_FILES='*'`).
@Suite struct Aarch64ConformanceTests {
    static let slice = [
        "core/address.wast", "core/align.wast", "core/call_indirect.wast", "core/conversions.wast",
        "core/endianness.wast", "core/f32.wast", "core/f64.wast", "core/fac.wast", "core/float_exprs.wast",
        "core/float_misc.wast", "core/i32.wast", "core/i64.wast", "core/imports.wast", "core/linking.wast",
        "core/memory_grow.wast", "core/memory_trap.wast", "core/select.wast", "core/skip-stack-guard-page.wast",
        "core/traps.wast", "core/simd_f32x4.wast", "core/simd_f64x2_arith.wast", "core/simd_i16x8_q15mulr_sat_s.wast",
        "core/simd_load.wast", "core/simd_conversions.wast", "proposals/exception-handling/try_table.wast",
        "proposals/tail-call/return_call_indirect.wast", "proposals/threads/atomic.wast",
        "proposals/relaxed-simd/relaxed_madd_nmadd.wast",
    ]

    static let crossCompiler = "aarch64-linux-gnu-gcc"
    static let emulator = ["qemu-aarch64", "-L", "/usr/aarch64-linux-gnu"]

    static let available = CommandRunner.succeeds([crossCompiler, "--version"]) && CommandRunner.succeeds([emulator[0], "--version"])

    @Test(.enabled(if: available || ProcessInfo.processInfo.environment["CI"] != nil,
                   "needs gcc-aarch64-linux-gnu and qemu-user (apt-get install gcc-aarch64-linux-gnu qemu-user)"))
    func aarch64SpecScriptsUnderQemu() async throws {
        let started = ContinuousClock.now
        let environment = ProcessInfo.processInfo.environment
        let root = TestSuite.root()
        var all = try TestSuite.scripts(in: root)
        all += try TestSuite.ownScripts()
        let patterns = environment["AARCH64_CONFORMANCE_FILES"].map { [$0] } ?? [Self.slice.joined(separator: ",")]
        let scripts = TestSuite.selected(all, environment: ["CONFORMANCE_FILES": patterns[0]])
        try #require(!scripts.isEmpty, "no script matches \(patterns[0])")

        var crossEnvironment = environment
        crossEnvironment["CC"] = Self.crossCompiler
        var builder = try await Builder.fromEnvironment(environment: crossEnvironment)
        builder.extraFlags += ["-Wall", "-Wextra", "-Werror"]
        let toolkit = try await RemoteToolkit.make(builder: builder, launcher: Self.emulator)
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let gate = Gate(limit: cores)
        let configurations = BoundsChecks.allCases.map { ExecutionPlan.Configuration(boundsChecks: $0, builder: builder) }
        print("aarch64 under qemu: \(scripts.count) scripts, runner \(toolkit.runner.path)")

        let window = 2 * cores + 2
        let results = await withTaskGroup(of: FileResult.self) { group in
            var results: [FileResult] = []
            for (index, script) in scripts.enumerated() {
                if index >= window, let done = await group.next() { results.append(done) }
                group.addTask {
                    let (commands, byWast2json) = ScriptReader.commands(script)
                    var result = FileResult(path: script.path, byWast2json: byWast2json)
                    for configuration in configurations {
                        result.merge(await Runner.execute(commands, path: script.path, configuration: configuration, gate: gate) {
                            try RemoteEngine(toolkit: toolkit)
                        })
                        result.configurations.append(configuration.label)
                    }
                    return result
                }
            }
            for await done in group { results.append(done) }
            return results
        }

        let report = Report(results, configurations: configurations.map(\.label))
        print(report.text(footer: "aarch64 under qemu, total time: \(ConformanceTests.seconds(ContinuousClock.now - started))"))
        #expect(report.failed == 0, "\(report.failed) spec directives failed under qemu; see the report above")
        #expect(report.passed > 0, "no spec directive passed")
    }
}
