import ArgumentParser
import CLowering
import Foundation
import Toolchain
import WasmDecoder
import WasmValidator

struct Build: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compile a module to a shared library with the system C compiler.",
        discussion: """
            The library holds the module and the runtime; its entry point is \
            `const wk_module wk_module_<name>` (see wasmkiln.h, which `emit-c` writes). \
            Uses $CC (default cc) and appends $CFLAGS; compiled units are cached in \
            $WASMKILN_CACHE (default $XDG_CACHE_HOME/wasmkiln or ~/.cache/wasmkiln).
            """
    )

    @Argument(help: "The module (.wasm, or .wat text).")
    var file: String

    @Flag(help: "Build a shared library (the only kind for now).")
    var shared = false

    @Option(name: .shortAndLong, help: "The library to write.")
    var output: String

    @OptionGroup var lowering: LoweringArguments
    @OptionGroup var compiling: CompilerArguments

    func validate() throws {
        guard shared else { throw ValidationError("only shared libraries can be built for now: pass --shared") }
    }

    func run() async throws {
        let module = try ModuleInput.validated(file)
        do {
            let builder = try await compiling.builder()
            try await builder.sharedLibrary(module, options: lowering.options(for: file),
                                            output: URL(fileURLWithPath: output))
        } catch {
            printError("\(file): \(error)")
            throw ExitCode.failure
        }
    }
}

/// How the module becomes C: `--name` and `--bounds-checks`.
struct LoweringArguments: ParsableArguments {
    @Option(name: .customLong("name"), help: "The C name prefix (default: from the file name).")
    var prefix: String?

    @Option(help: "How compiled code checks memory accesses: guard (guard pages) or explicit.")
    var boundsChecks: BoundsChecks = .guardPages

    func validate() throws {
        if let prefix, prefix != Builder.prefix(from: prefix) {
            throw ValidationError("--name must be a C identifier: letters, digits and _, not starting with a digit")
        }
    }

    func options(for file: String) -> LoweringOptions {
        let stem = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        return LoweringOptions(prefix: prefix ?? Builder.prefix(from: stem), boundsChecks: boundsChecks)
    }
}

/// How the C is compiled: `-O<level>` and `--jobs`.
struct CompilerArguments: ParsableArguments {
    @Option(name: .customShort("O", allowingJoined: true), help: ArgumentHelp("Optimization level: -O0 to -O3.", valueName: "level"))
    var optimization: OptimizationLevel = .o2

    @Option(help: "How many compilers to run at once (default: one per core).")
    var jobs: Int?

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
    }

    func builder() async throws -> Builder {
        try await Builder.fromEnvironment(optimization: optimization, jobs: jobs)
    }
}

extension BoundsChecks: ExpressibleByArgument {}
extension OptimizationLevel: ExpressibleByArgument {}

/// Reading a module for the commands that compile it.
enum ModuleInput {
    /// The file's module, decoded and validated; otherwise prints why and exits with status 1.
    static func validated(_ path: String) throws -> ValidatedModule {
        let module: Module
        do {
            module = try ModuleFile.decode(at: path)
        } catch {
            printError("\(error)")
            throw ExitCode.failure
        }
        do {
            return try Validator.validate(module)
        } catch {
            printError("\(path): \(error)")
            throw ExitCode.failure
        }
    }
}
