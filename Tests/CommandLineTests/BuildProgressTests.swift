import Foundation
import Synchronization
import Testing
@testable import Toolchain
@testable import WasmKilnCLI
@testable import TestSupport

/// Build progress and `--quiet`/`--verbose`.
@Suite struct BuildProgressTests {
    final class Lines: Sendable {
        let written = Mutex<[String]>([])
        func write(_ text: String) { written.withLock { $0.append(text) } }
        var all: [String] { written.withLock { $0 } }
    }

    /// On a terminal nothing in the first second, then every update rewrites the line; off
    /// a terminal nothing for `plainEvery` (ten seconds; one here), then a plain line at
    /// most that often and always the last one.
    @Test func linesOnceABuildTakesASecond() throws {
        let plain = Lines(), terminal = Lines()
        let toLog = BuildProgress.reporter(terminal: false, plainEvery: .seconds(1), write: plain.write)
        let toTerminal = BuildProgress.reporter(terminal: true, write: terminal.write)
        var progress = CompileProgress(units: 3, bytes: 300)
        progress.unitsDone = 1
        progress.bytesDone = 100
        toLog(progress)
        toTerminal(progress)
        #expect(plain.all.isEmpty && terminal.all.isEmpty)
        // A blocking sleep: Task.sleep waits for a free thread of the (busy) test pool.
        usleep(1_100_000)
        progress.unitsDone = 2
        progress.bytesDone = 200
        toLog(progress)
        toLog(progress)
        toTerminal(progress)
        progress.unitsDone = 3
        progress.bytesDone = 300
        toLog(progress)
        toTerminal(progress)
        // (The elapsed time shown is however long the sleep took on a busy machine.)
        #expect(plain.all.count == 2, "\(plain.all)")
        #expect(plain.all.first?.hasPrefix("[2/3 units] ") == true && plain.all.first?.contains("s, about ") == true, "\(plain.all)")
        #expect(plain.all.last?.hasPrefix("[3/3 units] ") == true && plain.all.last?.hasSuffix("s\n") == true, "\(plain.all)")
        #expect(terminal.all.count == 2)
        #expect(terminal.all.first?.hasPrefix("\r\u{1B}[K[2/3 units] ") == true, "\(terminal.all)")
        #expect(terminal.all.last?.hasPrefix("\r\u{1B}[K[3/3 units] ") == true && terminal.all.last?.hasSuffix("s\n") == true)
    }

    /// `--verbose` shows every compiler and archiver command; `--quiet` shows nothing.
    /// (When progress shows depends on time: `linesOnceABuildTakesASecond` covers it.)
    @Test func verboseAndQuiet() throws {
        let scratch = try ScratchFolder()
        let add = ToolchainTesting.fixture("add.wat")
        let environment = ["WASMKILN_CACHE": scratch.url.appendingPathComponent("cache").path]
        let verbose = try ToolchainTesting.wasmkiln(["build", add, "--lib", "-o", scratch.url.appendingPathComponent("v").path, "-v"],
                                                    environment: environment)
        #expect(verbose.status == 0, "\(verbose.stderr)")
        let lines = verbose.stderr.split(separator: "\n")
        #expect(lines.contains { $0.contains(" -c ") && $0.contains("add-module.c") }, "\(verbose.stderr)")
        #expect(lines.contains { $0.contains(" rcs ") && $0.contains("libadd.a") }, "\(verbose.stderr)")

        let quiet = try ToolchainTesting.wasmkiln(["build", add, "--lib", "-o", scratch.url.appendingPathComponent("q").path, "-q"],
                                                  environment: ["WASMKILN_CACHE": scratch.url.appendingPathComponent("other").path])
        #expect(quiet.status == 0 && quiet.stderr.isEmpty, "\(quiet.stderr)")
    }
}
