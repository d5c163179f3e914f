import Foundation
import WasmDecoder

/// Builds the C runtime from the sources embedded in the tool (`RuntimeSources`).
extension Builder {
    /// A hash of every runtime file: objects of generated code include the runtime's
    /// headers, so their keys include this too.
    public static let runtimeSourcesKey: String = {
        var key = SHA256()
        for file in RuntimeSources.files {
            key.field(file.path)
            key.field(file.contents)
        }
        return key.hexDigest()
    }()

    /// `runtime/<sources key>/`, holding `include/` and `src/` as in the repository.
    public var runtimeFolder: URL { cache.runtimeFolder(Self.runtimeSourcesKey) }

    /// The folder with `wasmkiln.h` and `wasmkiln-gen.h`, for compiling generated code.
    public func runtimeHeaders() throws(ToolchainError) -> URL {
        try writeRuntimeSources()
        return runtimeFolder.appendingPathComponent("include", isDirectory: true)
    }

    /// Writes the runtime's files into `folder` (`include/…`, `src/…`).
    public static func writeRuntimeSources(to folder: URL, headersOnly: Bool = false) throws(ToolchainError) {
        for file in RuntimeSources.files where !headersOnly || file.path.hasPrefix("include/") {
            let url = folder.appendingPathComponent(file.path)
            try BuildCache.createFolder(url.deletingLastPathComponent())
            try BuildCache.write(file.contents, to: url)
        }
    }

    private func writeRuntimeSources() throws(ToolchainError) {
        let marker = runtimeFolder.appendingPathComponent("complete")
        guard !BuildCache.reuse(marker) else { return }
        try Self.writeRuntimeSources(to: runtimeFolder)
        try BuildCache.write("", to: marker)
    }

    /// The runtime's objects (position-independent), compiled with this builder's flags.
    public func runtimeObjects() async throws -> Objects {
        try writeRuntimeSources()
        // Not freestanding/: that runtime replaces this one (emit-c --freestanding).
        let sources = RuntimeSources.files.map(\.path).filter { $0.hasPrefix("src/") && $0.hasSuffix(".c") }
            .map { runtimeFolder.appendingPathComponent($0) }
        let includes = ["include", "src"].map { runtimeFolder.appendingPathComponent($0, isDirectory: true) }
        return try await compile(sources, includes: includes, headersKey: Self.runtimeSourcesKey)
    }

    /// `libwasmkiln-rt.so`, built once per runtime, flags and compiler. Load it with
    /// `RuntimeLibrary.load` before any module built by `moduleLibrary`.
    public func runtimeLibrary() async throws -> URL {
        var key = SHA256()
        key.field(compiler.identity)
        key.field(compileFlags.joined(separator: " "))
        let library = runtimeFolder.appendingPathComponent("libwasmkiln-rt-\(key.hexDigest().prefix(16)).so")
        return try await Self.once(library.path) {
            if BuildCache.reuse(library) { return library }
            let objects = try await runtimeObjects()
            try await linkSharedLibrary(objects.files, output: library)
            return library
        }
    }
}
