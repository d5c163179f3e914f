import Foundation
import Testing
@testable import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// Builds spread over machines: every unit (the module's and the runtime's) compiles
/// through a `CC` wrapper such as distcc, and the split into units decides how much a
/// change to one function costs a rebuild.
@Suite struct DistributedBuildTests {
    static let distccInstalled = CommandRunner.succeeds(["distcc", "--version"])
        && CommandRunner.succeeds(["distccd", "--version"]) && CommandRunner.succeeds(["gcc", "--version"])
    static let inCI = ProcessInfo.processInfo.environment["CI"] != nil

    /// A TCP port on 127.0.0.1 that nothing listens on now.
    static func freePort() throws -> UInt16 {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(socket >= 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0 }
        }
        try #require(bound, "cannot bind a port on 127.0.0.1")
        return UInt16(bigEndian: address.sin_port)
    }

    /// The sources of the compiler commands that `--verbose` printed (the word after `-c`).
    static func compiledSources(_ verbose: String) -> [String] {
        verbose.split(separator: "\n").compactMap { line in
            let words = line.split(separator: " ").map(String.init)
            return words.firstIndex(of: "-c").flatMap { $0 + 1 < words.count ? words[$0 + 1] : nil }
        }
    }

    // CI=1 makes missing distcc a failure (of the #require), not a skip.
    @Test("CC=\"distcc gcc\": every unit compiles on a distccd listening on 127.0.0.1, and the program runs",
          .enabled(if: distccInstalled || inCI, "distcc is not installed (apt-get install distcc)"),
          .timeLimit(.minutes(10)))
    func unitsCompileOnDistccd() throws {
        try #require(Self.distccInstalled, "distcc, distccd or gcc is not installed (apt-get install distcc gcc)")
        let scratch = try ScratchFolder()
        let port = try Self.freePort()
        let daemonLog = scratch.url.appendingPathComponent("distccd.log")
        // Run by root, distccd becomes the user distccd before it opens its log.
        try Data().write(to: daemonLog)
        try FileManager.default.setAttributes([.posixPermissions: 0o666], ofItemAtPath: daemonLog.path)
        let daemon = Process()
        daemon.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        // --no-detach: a child of ours, leading its own process group with its workers.
        daemon.arguments = ["distccd", "--no-detach", "--daemon", "--allow", "127.0.0.1", "--listen", "127.0.0.1",
                            "--port", "\(port)", "--jobs", "2", "--log-file", daemonLog.path, "--verbose"]
        daemon.standardInput = FileHandle.nullDevice
        daemon.standardOutput = FileHandle.nullDevice
        daemon.standardError = FileHandle.nullDevice
        try daemon.run()
        defer {
            // SIGKILL to the group: the daemon inherits our blocked signals, SIGTERM among
            // them, so terminate() would not end it.
            kill(-daemon.processIdentifier, SIGKILL)
            kill(daemon.processIdentifier, SIGKILL)
            daemon.waitUntilExit()
        }
        let deadline = Date().addingTimeInterval(10)
        func daemonText() -> String { (try? String(contentsOf: daemonLog, encoding: .utf8)) ?? "" }
        while !daemonText().contains("listening on 127.0.0.1:\(port)") && daemon.isRunning && Date() < deadline {
            usleep(50_000)
        }
        try #require(daemonText().contains("listening on 127.0.0.1:\(port)"), "distccd did not start: \(daemonText())")

        let distccDir = scratch.url.appendingPathComponent("distcc")
        try FileManager.default.createDirectory(at: distccDir, withIntermediateDirectories: true)
        let program = scratch.url.appendingPathComponent("args_env").path
        // DISTCC_FALLBACK=0: a unit distcc cannot send fails the build instead of quietly
        // compiling here. A fresh cache, so that every unit compiles.
        let build = try ToolchainTesting.wasmkiln(
            ["build", ToolchainTesting.fixture("wasi/args_env.wasm"), "-o", program, "-v"],
            environment: ["CC": "distcc gcc", "DISTCC_HOSTS": "127.0.0.1:\(port)/2", "DISTCC_DIR": distccDir.path,
                          "DISTCC_FALLBACK": "0", "DISTCC_VERBOSE": "1",
                          "DISTCC_LOG": scratch.url.appendingPathComponent("distcc.log").path,
                          "WASMKILN_CACHE": scratch.url.appendingPathComponent("cache").path])
        try #require(build.status == 0, "\(build.stderr)")

        let sources = Self.compiledSources(build.stderr)
        #expect(sources.contains { $0.hasSuffix("/args_env-funcs-0.c") }, "\(build.stderr)")
        #expect(sources.contains { $0.hasSuffix("/src/memory.c") }, "the runtime's units: \(build.stderr)")
        // distccd's own record: one COMPILE_OK line per job, ending with the source's path.
        let compiledThere = daemonText().split(separator: "\n").filter { $0.contains("COMPILE_OK") }
            .compactMap { $0.split(separator: " ").last.map(String.init) }
        #expect(compiledThere.count == sources.count, "\(compiledThere.count) jobs in distccd.log for \(sources.count) units")
        #expect(Set(compiledThere) == Set(sources))
        #expect(!daemonText().contains("COMPILE_ERROR"), "\(daemonText())")

        let run = try CommandRunner.run(program: program, arguments: ["one"])
        #expect(run.status == 2, "args_env exits with argc: \(run.stderr)")
        #expect(run.stdout.hasPrefix("argc: 2\nargv[0] = \"\(program)\""), "\(run.stdout)")
        #expect(run.stdout.contains("argv[1] = \"one\" (len 3)\n"), "\(run.stdout)")
    }

    /// A module of `count` functions of about 1.3 KB of C each, every fifth calling the one
    /// before it; `edit` changes the body of function `edited` only.
    enum Edit { case none, sameSize, extraInstruction }
    static func manyFunctions(count: Int = 400, edited: Int = 200, edit: Edit) -> String {
        var text = "(module\n"
        for index in 0..<count {
            text += "  (func $f\(index) (export \"f\(index)\") (param $x i32) (result i32) (local $a i32)\n"
            text += "    local.get $x local.set $a\n"
            for step in 0..<12 {
                // 6201 becomes 7201: the same number of digits and LEB128 bytes.
                let constant = index * 31 + step * 7 + 1 + (index == edited && step == 0 && edit == .sameSize ? 1000 : 0)
                text += "    local.get $a i32.const \(constant) i32.add i32.const \(step + 3) i32.rotl local.get $x i32.xor local.set $a\n"
            }
            if index == edited && edit == .extraInstruction { text += "    local.get $a i32.const 12345 i32.mul local.set $a\n" }
            if index > 0 && index % 5 == 0 { text += "    local.get $a call $f\(index - 1) local.set $a\n" }
            text += "    local.get $a)\n"
        }
        return text + ")\n"
    }

    /// Cache keys are the units' text, so a rebuild compiles exactly the units whose text
    /// changed. Unit boundaries are chosen by the functions' content, within size limits
    /// (`ModuleLowering.units`), not by cumulative size, so an edit that grows a function
    /// does not move the later boundaries: here, with 400 functions in 8 units, a changed
    /// constant and an added instruction in function 200 each recompile 1 unit (the latter
    /// module.c too). (Cut by size, as before, the added instruction recompiled 5 of 9.)
    @Test("a rebuild after changing one function of 400 compiles only the units whose text changed",
          .timeLimit(.minutes(10)))
    func oneFunctionChangeRecompilesFewUnits() throws {
        let scratch = try ScratchFolder()
        let cache = scratch.url.appendingPathComponent("cache").path
        /// The module units that a `--verbose` build of `text` compiled (the rest came from the cache).
        func build(_ text: String) throws -> [String] {
            let module = try scratch.write("many.wat", text: text)
            let result = try ToolchainTesting.wasmkiln(
                ["build", "--shared", module, "--name", "many", "-o", scratch.url.appendingPathComponent("many.so").path,
                 "-O0", "-v"], environment: ["WASMKILN_CACHE": cache])
            #expect(result.status == 0, "\(result.stderr)")
            return Self.compiledSources(result.stderr).filter { !$0.contains("/runtime/") }.map { URL(fileURLWithPath: $0).lastPathComponent }
        }
        let all = try build(Self.manyFunctions(edit: .none))
        let units = all.filter { $0.hasPrefix("many-funcs-") }
        #expect(units.count == 8, "\(units.count) units: \(all)")
        #expect(try build(Self.manyFunctions(edit: .none)).isEmpty)

        // Same size: only the unit holding function 200; module.c and api.c are untouched.
        let sameSize = try build(Self.manyFunctions(edit: .sameSize))
        #expect(sameSize.count == 1 && sameSize.allSatisfy { $0.hasPrefix("many-funcs-") }, "\(sameSize)")

        // Grown by one instruction: still only the unit holding function 200, and module.c,
        // whose table of functions holds each body's offset (for trap messages).
        let grown = try build(Self.manyFunctions(edit: .extraInstruction))
        #expect(grown.filter { $0.hasPrefix("many-funcs-") }.count == 1 && grown.count == 2 && grown.contains("many-module.c"),
                "recompiled \(grown.count) of \(units.count) units: \(grown.sorted())")
    }
}
