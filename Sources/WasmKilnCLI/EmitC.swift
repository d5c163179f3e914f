import ArgumentParser
import CLowering
import Foundation
import Toolchain

struct EmitC: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emit-c",
        abstract: "Write the C for a module, with the runtime and a Makefile: `make` builds it without WasmKiln.",
        discussion: """
            The folder gets <name>.h (the module's typed C API: <name>_new, one function per \
            export, a struct of typed imports; and `wk_module_<name>` for the generic API), \
            the other generated files, the runtime's headers, its sources in runtime/src, \
            and a Makefile: `make` gives lib<name>.a (module and runtime) and, for a WASI \
            command, the executable <name> (its main is <name>-main.c). Compiled another \
            way, the .c files need at least \(CLowering.requiredCFlags.joined(separator: " ")).

            With --freestanding the C is for the freestanding runtime (wasmkiln-freestanding.h), \
            for a kernel or a microcontroller: it includes no C library header and needs no libm, \
            the module's memory lives in a buffer the embedder gives (checked explicitly), and \
            traps unwind without signals. The folder gets the module's files, the runtime's \
            headers, the freestanding runtime's sources and a Makefile for lib<name>.a \
            (compiled with \(Freestanding.cFlags.joined(separator: " ")) too); link it with \
            -nostdlib. Refused for modules that import WASI or use threads, shared memory, \
            memory64, SIMD, exceptions or tail calls. See Examples/freestanding.
            """
    )

    @Argument(help: "The module (.wasm, or .wat text).")
    var file: String

    @Option(name: .shortAndLong, help: "The folder to write into (created if needed).")
    var output: String

    @OptionGroup var lowering: LoweringArguments

    @Option(help: ArgumentHelp(
        "Put functions of more than this many bytes of wasm code into units of their own, <name>-large-N.c, to compile at a lower level (as build --large-functions-O does).",
        valueName: "bytes"))
    var largeFunctionSize: Int?

    @Flag(help: "C for the freestanding runtime: no C library, memory in a caller's buffer, explicit bounds checks (see below).")
    var freestanding = false

    func validate() throws {
        if let largeFunctionSize, largeFunctionSize < 1 { throw ValidationError("--large-function-size must be at least 1") }
        if freestanding, lowering.boundsChecks == .guardPages {
            throw ValidationError("--freestanding needs --bounds-checks explicit: the freestanding runtime has no guard pages")
        }
    }

    func run() throws {
        let module = try ModuleInput.validated(file)
        let folder = URL(fileURLWithPath: output, isDirectory: true)
        if freestanding, let problem = Freestanding.problem(with: module.module) {
            printError("\(file): cannot be built freestanding: \(problem)")
            throw ExitCode.failure
        }
        let files: [(name: String, contents: String)]
        do {
            var options = lowering.options(for: file)
            options.largeFunctionSize = largeFunctionSize
            if freestanding {
                options.boundsChecks = .explicit
                options.freestanding = true
                options.importsMayThrow = false // the freestanding runtime has no wk_throw
            }
            let lowered = try Builder.lower(module, options: options)
            let standalone = freestanding
                ? Freestanding.standaloneFiles(moduleFiles: lowered, prefix: options.prefix)
                : Builder.standaloneFiles(moduleFiles: lowered, prefix: options.prefix,
                                          command: WASICommand.problem(with: module.module) == nil,
                                          debugInfo: CLowering.hasSourceLines(module.module))
            files = (lowered + Builder.runtimePublicFiles() + standalone).map { ($0.name, $0.contents) }
        } catch {
            printError("\(file): \(error)")
            throw ExitCode.failure
        }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for file in files {
                let url = folder.appendingPathComponent(file.name)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(file.contents.utf8).write(to: url)
            }
        } catch {
            printError("\(output): \(error.localizedDescription)")
            throw ExitCode.failure
        }
    }
}
