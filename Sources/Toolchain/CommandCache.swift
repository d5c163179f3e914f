import Foundation
import WasmDecoder

/// Where `wasmkiln run` keeps the executables it builds for commands:
/// `executables/<key>/<name>`. The key is computed from the module file's bytes and the
/// options alone, so a warm run finds its executable without decoding, validating or
/// looking up the C compiler.
public struct CommandCache: Sendable {
    public let cache: BuildCache

    public init(cache: BuildCache) {
        self.cache = cache
    }

    /// `settings` is every option that changes the build, as text; `environment` supplies
    /// `$CC`, `$CFLAGS` and `$LDFLAGS` as written (the compiler's own version is not
    /// asked for here: that would cost a process on every run).
    public func executable(fileBytes: [UInt8], name: String, settings: String,
                           environment: [String: String] = ProcessInfo.processInfo.environment) -> URL
    {
        var key = SHA256()
        key.field(ToolVersion.identity(cache: cache))
        key.field(Builder.runtimeSourcesKey)
        for variable in ["CC", "CFLAGS", "LDFLAGS"] { key.field("\(variable)=\(environment[variable] ?? "")") }
        key.field(settings)
        key.field(fileBytes)
        return cache.root.appendingPathComponent("executables", isDirectory: true)
            .appendingPathComponent(key.hexDigest(), isDirectory: true)
            .appendingPathComponent(name)
    }

    /// Whether the executable is there, marking it used (see `BuildCache.prune`).
    public static func exists(_ url: URL) -> Bool {
        FileManager.default.isExecutableFile(atPath: url.path) && BuildCache.reuse(url)
    }
}
