import CLowering
import Foundation
import WasmDecoder
import WasmValidator

/// Standalone executables for WASI commands: the module, the runtime and a generated
/// `main` (`CommandDriver`) linked statically into one program.
extension Builder {
    /// Builds the executable at `output` (appearing complete or not at all). Objects come
    /// from the cache like any other build. `linkFlags` (`$LDFLAGS`) go to the final link.
    public func commandExecutable(_ module: ValidatedModule, options: LoweringOptions, grants: Grants,
                                  linkFlags: [String] = [], output: URL) async throws
    {
        if let problem = WASICommand.problem(with: module.module) { throw ToolchainError(problem) }
        var options = options
        options.importsMayThrow = false
        let folder = cache.moduleFolder(moduleKey(module, options: options))
        let moduleObjects = try await moduleObjects(module, options: options, folder: folder)
        let runtime = try await runtimeObjects()
        let driver = try await driverObject(prefix: options.prefix, grants: grants, folder: folder)
        try await linkExecutable(moduleObjects.files + runtime.files + [driver], linkFlags: linkFlags, output: output)
    }

    /// Writes the driver beside the module's sources (its header is there) and compiles it.
    func driverObject(prefix: String, grants: Grants, folder: URL) async throws -> URL {
        let source = folder.appendingPathComponent(CommandDriver.fileName(grants: grants))
        try BuildCache.write(CommandDriver.source(prefix: prefix, grants: grants), to: source)
        let header = folder.appendingPathComponent("\(prefix).h")
        var headersKey = SHA256()
        headersKey.field(Self.runtimeSourcesKey)
        headersKey.field((try? String(contentsOf: header, encoding: .utf8)) ?? "")
        let objects = try await compile([source], includes: [folder, try runtimeHeaders()], headersKey: headersKey.hexDigest())
        return objects.files[0]
    }

    /// Links objects into an executable at `output`.
    public func linkExecutable(_ objects: [URL], linkFlags: [String], output: URL) async throws(ToolchainError) {
        try BuildCache.createFolder(output.deletingLastPathComponent())
        let temporary = BuildCache.temporary(for: output)
        do {
            try await compiler.run(["-o", temporary.path] + linkFlags + objects.map(\.path) + ["-lm", "-lpthread"],
                                   what: "linking \(output.lastPathComponent)", log: commandLog)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
        try BuildCache.publish(temporary, as: output)
    }
}
