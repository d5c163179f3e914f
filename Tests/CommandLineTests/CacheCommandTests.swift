import Foundation
import Testing
@testable import Toolchain
@testable import TestSupport

/// `wasmkiln cache`, the bound every build applies, keys that survive moving or
/// rebuilding the tool, and builds of one module from several processes at once.
@Suite struct CacheCommandTests {
    let fib = ToolchainTesting.fixture("fib.wat")

    /// Runs `tool` (default: the wasmkiln under test) with its cache at `cache`.
    func wasmkiln(_ arguments: [String], cache: URL, tool: URL? = nil, environment: [String: String] = [:]) throws
        -> CommandRunner.Result
    {
        let merged = ProcessInfo.processInfo.environment.merging(["WASMKILN_CACHE": cache.path]) { $1 }.merging(environment) { $1 }
        return try CommandRunner.run(arguments, executable: try tool ?? CommandRunner.executable(), environment: merged)
    }

    func count(_ folder: URL) -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: folder.path).count) ?? 0
    }

    @Test func showPruneAndClear() throws {
        let scratch = try ScratchFolder()
        let cache = scratch.url.appendingPathComponent("cache")
        #expect(try wasmkiln(["run", fib, "--invoke", "fib_recursive 10"], cache: cache).stdout == "i32 55\n")
        let shown = try wasmkiln(["cache"], cache: cache)
        #expect(shown.status == 0)
        #expect(shown.stdout.hasPrefix("location: \(cache.path)\nsize: "), "\(shown.stdout)")
        #expect(shown.stdout.contains("bound: 5.0 GiB"), "\(shown.stdout)")
        let entries = BuildCache(root: cache).entries()
        #expect(entries.count > 1)

        let pruned = try wasmkiln(["cache", "prune", "--max-size", "0"], cache: cache)
        #expect(pruned.stdout == "removed \(entries.count) entries, \(ByteSize.text(entries.reduce(0) { $0 + $1.bytes })); 0 B left\n")
        #expect(BuildCache(root: cache).entries().isEmpty)

        #expect(try wasmkiln(["run", fib, "--invoke", "fib_recursive 10"], cache: cache).status == 0)
        #expect(try wasmkiln(["cache", "clear"], cache: cache).status == 0)
        #expect(!FileManager.default.fileExists(atPath: cache.appendingPathComponent("objects").path))

        let bad = try wasmkiln(["cache", "prune", "--max-size", "lots"], cache: cache)
        #expect(bad.status == 64 && bad.stderr.contains("'lots'"))
    }

    /// Least recently used first; what was used in the last ten minutes stays even past the
    /// bound (another process may be linking it), unless asked otherwise.
    @Test func pruningDropsTheLeastRecentlyUsed() throws {
        let scratch = try ScratchFolder()
        let cache = BuildCache(root: scratch.url)
        let objects = scratch.url.appendingPathComponent("objects")
        try FileManager.default.createDirectory(at: objects, withIntermediateDirectories: true)
        let now = Date()
        for (name, age) in [("old", 3600.0), ("middle", 1800.0), ("new", 60.0)] {
            let file = objects.appendingPathComponent("\(name).o")
            try Data(repeating: 1, count: 1000).write(to: file)
            try FileManager.default.setAttributes([.modificationDate: now.addingTimeInterval(-age)], ofItemAtPath: file.path)
        }
        #expect(cache.prune(maxBytes: 2500, now: now) == (1, 1000))
        #expect(count(objects) == 2 && FileManager.default.fileExists(atPath: objects.appendingPathComponent("middle.o").path))
        #expect(cache.prune(maxBytes: 0, now: now) == (1, 1000))
        #expect(count(objects) == 1)
        #expect(cache.prune(maxBytes: 0, recent: 0, now: now) == (1, 1000))
        #expect(count(objects) == 0)
    }

    /// Every build ends by pruning to the bound (at most once in ten minutes), and marks
    /// what it reused as used: with everything aged a day and a bound of one byte, a build
    /// of another module leaves its own entries and the runtime it shares, all used just
    /// now, and drops the rest. A build within ten minutes of a prune does not prune.
    @Test func everyBuildAppliesTheBound() throws {
        let scratch = try ScratchFolder()
        let cache = scratch.url.appendingPathComponent("cache")
        let add = ToolchainTesting.fixture("add.wat")
        #expect(try wasmkiln(["run", fib, "--invoke", "fib_recursive 10"], cache: cache).status == 0)
        let yesterday = Date().addingTimeInterval(-86400)
        let manager = FileManager.default
        for entry in BuildCache(root: cache).entries() {
            let files = (manager.enumerator(atPath: entry.url.path)?.allObjects as? [String]) ?? []
            for path in files.map({ entry.url.appendingPathComponent($0).path }) + [entry.url.path] {
                try manager.setAttributes([.modificationDate: yesterday], ofItemAtPath: path)
            }
        }
        let before = BuildCache(root: cache).entries()
        let stamp = cache.appendingPathComponent("last-prune").path
        #expect(manager.fileExists(atPath: stamp), "the first build did not prune")
        let early = try wasmkiln(["run", add, "--invoke", "add 1 2"], cache: cache, environment: ["WASMKILN_CACHE_MAX_SIZE": "1"])
        #expect(early.stdout == "i32 3\n", "\(early.stderr)")
        #expect(Set(before.map(\.url.path)).isSubset(of: BuildCache(root: cache).entries().map(\.url.path)), "pruned too soon")
        try manager.setAttributes([.modificationDate: yesterday], ofItemAtPath: stamp)
        let result = try wasmkiln(["run", add, "--invoke", "add 1 2"], cache: cache, environment: ["WASMKILN_CACHE_MAX_SIZE": "1"])
        #expect(result.stdout == "i32 3\n", "\(result.stderr)")
        let after = BuildCache(root: cache).entries()
        #expect(!after.isEmpty)
        #expect(after.allSatisfy { Date().timeIntervalSince($0.lastUse) < 600 }, "\(after.map(\.url.path))")
        let kept = Set(after.map(\.url.path))
        #expect(before.contains { kept.contains($0.url.path) }, "the shared runtime was not reused")
        #expect(before.contains { !kept.contains($0.url.path) }, "nothing of fib's was dropped")

        let bad = try wasmkiln(["run", add, "--invoke", "add 1 2"], cache: cache, environment: ["WASMKILN_CACHE_MAX_SIZE": "much"])
        #expect(bad.stdout == "i32 3\n")
        #expect(bad.stderr.contains("WASMKILN_CACHE_MAX_SIZE=much"), "\(bad.stderr)")
    }

    /// Keys hold the tool's bytes, not its path or modification time: a copy elsewhere,
    /// with a new time, finds the entries the original made and compiles nothing.
    @Test func keysSurviveMovingTheTool() throws {
        let scratch = try ScratchFolder()
        let cache = scratch.url.appendingPathComponent("cache")
        #expect(try wasmkiln(["run", fib, "--invoke", "fib_recursive 10"], cache: cache).status == 0)
        let modules = count(cache.appendingPathComponent("modules")), objects = count(cache.appendingPathComponent("objects"))
        let copy = scratch.url.appendingPathComponent("elsewhere/wasmkiln")
        try FileManager.default.createDirectory(at: copy.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: try CommandRunner.executable(), to: copy)
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(3600)], ofItemAtPath: copy.path)
        let result = try wasmkiln(["run", fib, "--invoke", "fib_recursive 10"], cache: cache, tool: copy)
        #expect(result.stdout == "i32 55\n", "\(result.stderr)")
        #expect(count(cache.appendingPathComponent("modules")) == modules)
        #expect(count(cache.appendingPathComponent("objects")) == objects)
    }

    /// The tool is known by the build ID its linker wrote (what `readelf -n` shows), read
    /// without hashing its megabytes; a file without one gets no ID (and is hashed).
    @Test func buildIDsAsReadelfShowsThem() throws {
        let tool = try CommandRunner.executable().path
        let id = try #require(ToolVersion.buildID(ofELF: tool))
        let readelf = try CommandRunner.run(["-n", tool], executable: URL(fileURLWithPath: "/usr/bin/readelf"))
        #expect(readelf.stdout.contains("Build ID: \(id)"), "\(id) not in:\n\(readelf.stdout)")
        #expect(ToolVersion.buildID(ofELF: fib) == nil)
    }

    /// Eight processes build the same module into one empty cache at once: all succeed,
    /// and every result runs.
    @Test func eightConcurrentBuilds() async throws {
        let scratch = try ScratchFolder()
        let cache = scratch.url.appendingPathComponent("cache")
        let hello = try scratch.write("hello.wat", text: ExecutableTesting.hello)
        let folder = scratch.url
        let results = try await withThrowingTaskGroup(of: (Int32, String, Int32).self) { group in
            for k in 0..<8 {
                group.addTask {
                    let output = folder.appendingPathComponent("app\(k)").path
                    let build = try wasmkiln(["build", hello, "-o", output, "-O1", "--quiet"], cache: cache)
                    guard build.status == 0 else { return (build.status, build.stderr, -1) }
                    let run = try CommandRunner.run([], executable: URL(fileURLWithPath: output))
                    return (build.status, build.stderr + run.stdout, run.status)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 8)
        for (status, text, exit) in results {
            #expect(status == 0 && exit == 3 && text == "hello\n", "\(status) \(exit) \(text)")
        }
    }
}
