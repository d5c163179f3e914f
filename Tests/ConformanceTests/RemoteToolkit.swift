import Foundation
@testable import TestSupport
import Toolchain
import WasmDecoder

#if canImport(Glibc)
import Glibc
#endif

/// What the remote engines of a run share: the spec runner built for the target machine
/// and linked with the runtime built for it, how to start it (`launcher`, e.g. qemu),
/// and the call stubs it loads: one small library per function signature, made when
/// first needed. All are kept in the build cache, under a key of the compiler, the
/// runner's source and the runtime's header.
struct RemoteToolkit: Sendable {
    let runner: URL
    let launcher: [String]
    private let compiler: [String]
    private let include: URL
    private let folder: URL

    struct BuildFailure: Error, CustomStringConvertible {
        let description: String
    }

    static func make(builder: Builder, launcher: [String], filePath: String = #filePath) async throws -> RemoteToolkit {
        let here = URL(fileURLWithPath: filePath).deletingLastPathComponent()
        let source = here.appendingPathComponent("C/spec-runner.c")
        let include = here.appendingPathComponent("../../Runtime/include").standardizedFileURL
        let runtime = try await builder.runtimeLibrary()

        var key = SHA256()
        key.field(builder.compiler.identity)
        key.field(try [UInt8](Data(contentsOf: source)))
        key.field(try [UInt8](Data(contentsOf: include.appendingPathComponent("wasmkiln.h"))))
        key.field(runtime.path)
        let folder = builder.cache.root.appendingPathComponent("spec-runner/\(key.hexDigest().prefix(16))")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("stubs"), withIntermediateDirectories: true)

        let toolkit = RemoteToolkit(runner: folder.appendingPathComponent("spec-runner"), launcher: launcher,
                                    compiler: builder.compiler.command, include: include, folder: folder)
        try toolkit.compile(["-O2", "-Wall", "-Wextra", "-Werror", "-I", include.path, source.path, runtime.path,
                             "-Wl,-rpath," + runtime.deletingLastPathComponent().path, "-ldl"], to: toolkit.runner)
        return toolkit
    }

    /// The library holding `wkstub_PARAMS_RESULTS`, which calls a function of the
    /// signature "PARAMS:RESULTS" with arguments from a `wk_value` array and stores its
    /// results into another.
    func stub(_ signature: String) throws -> URL {
        let parts = signature.split(separator: ":", omittingEmptySubsequences: false)
        let name = "wkstub_\(parts[0])_\(parts[1])"
        let library = folder.appendingPathComponent("stubs/\(name).so")
        guard !FileManager.default.fileExists(atPath: library.path) else { return library }
        let source = folder.appendingPathComponent("stubs/\(name)-\(UUID()).c")
        try Self.stubSource(name: name, params: Array(parts[0]), results: Array(parts[1]))
            .write(to: source, atomically: false, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: source) }
        try compile(["-O2", "-shared", "-fPIC", "-Wall", "-Werror", "-I", include.path, source.path], to: library)
        return library
    }

    static func stubSource(name: String, params: [Character], results: [Character]) -> String {
        let types: [Character: (c: String, field: String)] = [
            "i": ("uint32_t", "i32"), "I": ("uint64_t", "i64"), "f": ("float", "f32"), "F": ("double", "f64"),
            "v": ("wk_v128", "v128"), "r": ("void *", "ref"), "e": ("void *", "ref"),
        ]
        let parameterTypes = (["void *"] + params.map { types[$0]!.c }).joined(separator: ", ")
        let arguments = (["instance"] + params.enumerated().map { "arguments[\($0)].\(types[$1]!.field)" }).joined(separator: ", ")
        var text = "#include \"wasmkiln.h\"\n\n"
        let resultType: String
        switch results.count {
        case 0: resultType = "void"
        case 1: resultType = types[results[0]]!.c
        default:
            // Several results come back as a struct of fields r0, r1, ... (wasmkiln.h).
            resultType = "struct results"
            text += "struct results {\n" + results.enumerated().map { "    \(types[$1]!.c) r\($0);\n" }.joined() + "};\n\n"
        }
        text += "void \(name)(void *code, void *instance, const wk_value *arguments, wk_value *results) {\n"
        text += "    (void)arguments, (void)results;\n"
        let call = "((\(resultType) (*)(\(parameterTypes)))code)(\(arguments))"
        switch results.count {
        case 0: text += "    \(call);\n"
        case 1: text += "    results[0].\(types[results[0]]!.field) = \(call);\n"
        default:
            text += "    struct results values = \(call);\n"
            text += results.enumerated().map { "    results[\($0)].\(types[$1]!.field) = values.r\($0);\n" }.joined()
        }
        return text + "}\n"
    }

    /// Compiles to a temporary name, then renames: engines of several scripts may ask at once.
    private func compile(_ arguments: [String], to output: URL) throws {
        guard !FileManager.default.fileExists(atPath: output.path) else { return }
        let temporary = output.path + "-\(UUID())"
        let compiled = try CommandRunner.run(compiler + arguments + ["-o", temporary], executable: URL(fileURLWithPath: "/usr/bin/env"))
        guard compiled.status == 0, compiled.exited else {
            throw BuildFailure(description: "\((compiler + arguments).joined(separator: " ")): \(compiled.stderr)")
        }
        guard rename(temporary, output.path) == 0 else { throw BuildFailure(description: "cannot rename \(temporary)") }
    }
}
