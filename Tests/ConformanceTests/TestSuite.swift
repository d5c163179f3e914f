import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the WebAssembly spec test suite lives, and which of its scripts we run.
enum TestSuite {
    /// The suite's directories (relative to its root) whose `.wast` files we run.
    static let directories = [
        "core", "proposals/exception-handling", "proposals/tail-call", "proposals/relaxed-simd", "proposals/extended-const",
        "proposals/multi-memory", "proposals/threads", "proposals/custom-page-sizes", "proposals/wasm-3.0",
        "proposals/function-references", "proposals/gc",
    ]
    /// One `.wast` file of the suite.
    struct Script: Sendable {
        let url: URL
        /// The path relative to the suite root, e.g. `core/i32.wast`; used in reports.
        let path: String
    }

    struct NotFound: Error, CustomStringConvertible {
        let description: String
    }

    /// Our own scripts, in the spec's format: trap ordering and the like, and every
    /// divergence the differential fuzzer found (Scripts/fuzz). Reported as `wasmkiln/NAME.wast`.
    static func ownScripts(filePath: String = #filePath) throws -> [Script] {
        let folder = URL(fileURLWithPath: filePath).deletingLastPathComponent().appendingPathComponent("Scripts")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".wast") }
        return names.sorted().map { Script(url: folder.appendingPathComponent($0), path: "wasmkiln/" + $0) }
    }

    /// `$WASM_TESTSUITE` if set, else `../shared/wasm-testsuite` relative to the package root.
    static func root(filePath: String = #filePath) -> URL {
        if let path = ProcessInfo.processInfo.environment["WASM_TESTSUITE"], !path.isEmpty {
            return URL(fileURLWithPath: path).standardizedFileURL
        }
        // This file is <package>/Tests/ConformanceTests/TestSuite.swift.
        let package = URL(fileURLWithPath: filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return package.appendingPathComponent("../shared/wasm-testsuite").standardizedFileURL
    }

    /// Every `.wast` file under `directories` (recursively), sorted by path.
    /// Throws if the suite or one of its directories is missing, so a bad checkout
    /// fails the test instead of passing with nothing run.
    static func scripts(in root: URL) throws -> [Script] {
        var scripts: [Script] = []
        for directory in directories {
            let url = root.appendingPathComponent(directory)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw NotFound(description: """
                    spec test suite not found: \(url.path) is missing. \
                    Set WASM_TESTSUITE to a checkout of https://github.com/WebAssembly/testsuite.
                    """)
            }
            guard let subpaths = FileManager.default.subpaths(atPath: url.path) else {
                throw NotFound(description: "cannot list \(url.path)")
            }
            for subpath in subpaths where subpath.hasSuffix(".wast") {
                scripts.append(Script(url: url.appendingPathComponent(subpath), path: directory + "/" + subpath))
            }
        }
        return scripts.sorted { $0.path < $1.path }
    }

    /// The scripts `$CONFORMANCE_FILES` selects: comma-separated shell globs over their
    /// paths (`core/i32.wast,core/memory*`), for debugging; all scripts when unset.
    static func selected(_ scripts: [Script], environment: [String: String] = ProcessInfo.processInfo.environment) -> [Script] {
        guard let patterns = environment["CONFORMANCE_FILES"], !patterns.isEmpty else { return scripts }
        let globs = patterns.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        return scripts.filter { script in globs.contains { fnmatch($0, script.path, 0) == 0 } }
    }
}
