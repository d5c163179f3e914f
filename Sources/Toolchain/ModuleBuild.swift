import CLowering
import Foundation
import WasmDecoder
import WasmValidator

/// A module's generated C, written out and compiled.
public struct BuiltModule: Sendable {
    /// Where the generated sources were written.
    public var folder: URL
    /// The shared library.
    public var library: URL
    /// `wk_module_<prefix>` is the module's entry point in the library.
    public var prefix: String
}

extension Builder {
    /// The cache key of a module's build: its bytes, how it is lowered and compiled, and
    /// which wasmkiln did it.
    public func moduleKey(_ module: ValidatedModule, options: LoweringOptions) -> String {
        var key = SHA256()
        key.field(ToolVersion.identity(cache: cache))
        key.field(compiler.identity)
        key.field(forModule(module).compileFlags.joined(separator: " "))
        key.field("prefix=\(options.prefix) bounds=\(options.boundsChecks.rawValue) unit=\(options.unitSize) units=\(options.minimumUnits)")
        if let largeFunctions { key.field("large=\(largeFunctions.size) -O\(largeFunctions.level.rawValue)") }
        key.field("imports-throw=\(options.importsMayThrow) relaxed-simd=\(options.relaxedSIMD.rawValue)")
        key.field(module.module.bytes)
        return key.hexDigest()
    }

    /// `lib<prefix>.so` for the module, without the runtime: load `runtimeLibrary()` into
    /// the process first (`ModuleLibrary.load` does). Cached by `moduleKey`.
    public func moduleLibrary(_ module: ValidatedModule, options: LoweringOptions) async throws -> BuiltModule {
        let folder = cache.moduleFolder(moduleKey(module, options: options))
        let library = folder.appendingPathComponent("lib\(options.prefix).so")
        let built = BuiltModule(folder: folder, library: library, prefix: options.prefix)
        _ = try await Self.once(library.path) {
            if BuildCache.reuse(library) { return library }
            let objects = try await moduleObjects(module, options: options, folder: folder)
            try await linkSharedLibrary(objects.files, output: library)
            return library
        }
        return built
    }

    /// A self-contained shared library at `output`: the module and the runtime linked
    /// together, for embedders.
    public func sharedLibrary(_ module: ValidatedModule, options: LoweringOptions, output: URL) async throws {
        let folder = cache.moduleFolder(moduleKey(module, options: options))
        let objects = try await moduleObjects(module, options: options, folder: folder, typedAPI: true)
        let runtime = try await runtimeObjects()
        try await linkSharedLibrary(objects.files + runtime.files, output: output)
    }

    /// Lowers the module into `folder` and compiles its units; the typed C API
    /// (`<prefix>-api.c`) only for libraries that embedders link (`typedAPI`). A finished
    /// build lists its objects in `folder` (named by `moduleKey`, which covers everything
    /// the C depends on), so a rebuild neither lowers nor hashes the C again.
    func moduleObjects(_ module: ValidatedModule, options: LoweringOptions, folder: URL,
                       typedAPI: Bool = false) async throws -> Objects
    {
        let manifest = folder.appendingPathComponent(typedAPI ? "objects-api.list" : "objects.list")
        if let text = try? String(contentsOf: manifest, encoding: .utf8) {
            let files = text.split(separator: "\n").map { URL(fileURLWithPath: String($0)) }
            if !files.isEmpty, files.allSatisfy(BuildCache.reuse), BuildCache.reuse(manifest) { return Objects(files: files, compiled: 0) }
        }
        let objects = try await forModule(module).lowerAndCompile(module, options: options, folder: folder, typedAPI: typedAPI)
        try BuildCache.write(objects.files.map(\.path).joined(separator: "\n"), to: manifest)
        return objects
    }

    private func lowerAndCompile(_ module: ValidatedModule, options: LoweringOptions, folder: URL,
                                 typedAPI: Bool) async throws -> Objects
    {
        var options = options
        options.largeFunctionSize = largeFunctions?.size
        let files = try Self.lower(module, options: options)
        try BuildCache.createFolder(folder)
        var headersKey = SHA256()
        headersKey.field(Self.runtimeSourcesKey)
        for file in files {
            try BuildCache.write(file.contents, to: folder.appendingPathComponent(file.name))
            if file.name.hasSuffix(".h") {
                headersKey.field(file.name)
                headersKey.field(file.contents)
            }
        }
        let sources = files.filter { $0.name.hasSuffix(".c") && (typedAPI || !$0.name.hasSuffix("-api.c")) }
            .map { folder.appendingPathComponent($0.name) }
        return try await compile(sources, includes: [try runtimeHeaders()], headersKey: headersKey.hexDigest())
    }

    /// This builder for `module`'s units: with debug information when the module has
    /// source lines (DWARF), so that debuggers show the original source.
    public func forModule(_ module: ValidatedModule) -> Builder {
        var builder = self
        if CLowering.hasSourceLines(module.module) { builder.debugInfo = true }
        return builder
    }

    /// The generated files; an error when there is no C to compile.
    public static func lower(_ module: ValidatedModule, options: LoweringOptions) throws(ToolchainError) -> [GeneratedFile] {
        let files: [GeneratedFile]
        do {
            files = try CLowering.lower(module, options: options)
        } catch {
            throw ToolchainError("cannot compile the module to C: \(error)")
        }
        guard files.contains(where: { $0.name.hasSuffix(".c") }) else {
            throw ToolchainError("the C backend produced no code for this module")
        }
        return files
    }

    /// A C identifier prefix made from `name` (a file name, say): other characters become
    /// `_`, a leading digit gets one in front, a name in the runtime's namespace (`wk`,
    /// `wk_…`) gets `module_` in front and a C keyword `_module` after it.
    public static func prefix(from name: String) -> String {
        var prefix = String(name.map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })
        if prefix.first?.isNumber ?? true { prefix = "_" + prefix }
        if ["wk", "wkrt"].contains(prefix) || prefix.hasPrefix("wk_") || prefix.hasPrefix("wkrt_") { prefix = "module_" + prefix }
        if keywords.contains(prefix) { prefix += "_module" }
        return prefix
    }

    /// Prefixes the typed API cannot use: `typedef struct int int;` does not compile.
    static let keywords: Set<String> = [
        "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else",
        "enum", "extern", "float", "for", "goto", "if", "inline", "int", "long", "register", "restrict", "return",
        "short", "signed", "sizeof", "static", "struct", "switch", "typedef", "union", "unsigned", "void",
        "volatile", "while", "bool", "true", "false", "main",
    ]

    /// A prefix unique to the module's contents, for libraries nobody links by name.
    public static func prefix(for module: ValidatedModule) -> String {
        "m" + SHA256.hex(module.module.bytes).prefix(16)
    }
}
