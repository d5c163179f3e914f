import Foundation
import Testing
import Toolchain

/// Runs the WebAssembly spec test suite: the decoder and validator over every module,
/// then the execution directives against modules compiled to C, in both bounds-check
/// modes at the default optimization level and at -O0. For debugging,
/// `CONFORMANCE_FILES=core/i32.wast,core/memory*` runs only the scripts those globs match
/// (see `TestSuite.selected`), `CONFORMANCE_LEVELS=2` only that level, and
/// `CONFORMANCE_EXPLICIT=subset` explicit bounds checks only for `ExecutionPlan.explicitSubset`.
@Suite struct ConformanceTests {
    @Test func specTestSuite() async throws {
        SanitizerTests.dropPreloadInChild()
        let started = ContinuousClock.now
        let root = TestSuite.root()
        let scripts = TestSuite.selected(try TestSuite.scripts(in: root) + TestSuite.ownScripts())
        print("spec test suite: \(root.path), \(scripts.count) scripts")

        // Every script runs in both bounds-check modes at the default level and at -O0
        // (see ExecutionPlan.levels): about 4.5 minutes on 2 cores with a cold cache.
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let explicitForAll = ProcessInfo.processInfo.environment["CONFORMANCE_EXPLICIT"] != "subset"
        let plan = try await ExecutionPlan.make(levels: ExecutionPlan.levels(), gate: Gate(limit: cores),
                                                explicitForAll: explicitForAll)

        // Scripts are independent, so run several at once: while one executes, the
        // modules of the next ones compile. A window bounds what is loaded at a time.
        let window = 2 * cores + 2
        let results = await withTaskGroup(of: FileResult.self) { group in
            var results: [FileResult] = []
            for (index, script) in scripts.enumerated() {
                if index >= window, let done = await group.next() { results.append(done) }
                group.addTask { await Runner.run(script, plan: plan) }
            }
            for await done in group { results.append(done) }
            return results
        }

        let report = Report(results, plan: plan)
        print(report.text(footer: "total time: \(Self.seconds(ContinuousClock.now - started)) (build cache: \(plan.configurations[0].builder.cache.root.path))"))
        #expect(report.failed == 0, "\(report.failed) spec directives failed; see the report above")
        #expect(report.passed > 0, "no spec directive passed")
    }

    static func seconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        return String(format: "%.1f s", Double(seconds) + Double(attoseconds) / 1e18)
    }
}
