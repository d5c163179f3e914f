import ArgumentParser
import CLowering
import Foundation
import Synchronization
import Toolchain
import WasmDecoder
import WasmValidator

struct Build: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compile a WASI command to an executable, or any module to a C library.",
        discussion: """
            Without --shared, FILE must be a WASI command: it exports a `_start` function and \
            its memory as `memory`, and imports only from wasi_snapshot_preview1 (a \
            wasi-threads program also imports its memory and "wasi" "thread-spawn"). The \
            executable passes its arguments to the module (argv[0] is its own name) and \
            inherits the standard streams. Nothing else is granted unless given here: \
            --dir HOST[::GUEST] (the module sees HOST as GUEST, default HOST), \
            --env NAME=VALUE, --inherit-env. --max-memory SIZE (256MiB, 1GiB, ...) caps its \
            memory: memory.grow past it returns -1; --max-gc-heap SIZE caps the heap of GC \
            objects (structs and arrays): an allocation past it traps. The executable changes \
            these at run time only through a block of options that comes first and ends with `--`, such as
              app --wasmkiln-dir=HOST[::GUEST] --wasmkiln-env=NAME=VALUE -- ARGS...
            (and --wasmkiln-inherit-env, --wasmkiln-max-memory=SIZE, --wasmkiln-max-gc-heap=SIZE); \
            without one, every argument is the module's. On exit it reports on its memory when \
            the environment asks: WASMKILN_MEMORY_STATS=text or json (on standard error; text:FILE \
            or json:FILE to a file), WASMKILN_MEMORY_TRACE=FILE.csv (every grow), \
            WASMKILN_MEMORY_PLOT=FILE.svg (size over time). A module with GC types gets its \
            GC heap reported too: after the memory in text, as {"memory": ..., "gc": ...} in \
            JSON, and in FILE.gc.csv (every collection) and FILE.gc.svg. Its exit \
            status is 0 when _start returns, the proc_exit code when the module exits, \
            \(CommandDriver.trapStatus) after a trap (printed as `trap: MESSAGE` on \
            standard error), and 1 when it cannot start (an unreadable directory, an \
            import WASI does not define).

            With --lib, OUTPUT is a folder that receives what `emit-c` writes (<name>.h, the \
            module's typed C API, and the runtime's headers) plus lib<name>.a, \
            libwasmkiln-rt.a (the runtime; link it once however many modules a program \
            has) and <name>.pc for pkg-config: \
              cc app.c -IOUTPUT -LOUTPUT -l<name> -lwasmkiln-rt -lm -lpthread
            A module that imports wasi_snapshot_preview1 also gets \
            <name>_imports_use_wasi, which fills those imports from a WASI context \
            (wasmkiln-wasi.h). $AR names the archiver (default ar).

            With --shared, the library holds the module and the runtime; its entry point is \
            `const wk_module wk_module_<name>` (see wasmkiln.h), and its typed API is the one \
            <name>.h from `emit-c` declares.

            Uses $CC (default cc) and appends $CFLAGS ($LDFLAGS too when linking an \
            executable); compiled units are cached in $WASMKILN_CACHE (default \
            $XDG_CACHE_HOME/wasmkiln or ~/.cache/wasmkiln).
            """
    )

    @Argument(help: "The module (.wasm, or .wat text).")
    var file: String

    @Flag(help: "Build static libraries with the module's C header into the folder OUTPUT.")
    var lib = false

    @Flag(help: "Build a shared library instead of an executable.")
    var shared = false

    @Option(name: .shortAndLong, help: "The executable or shared library to write, or the folder for --lib.")
    var output: String

    @Option(help: ArgumentHelp(
        "Cross-compile for another machine, such as aarch64-linux-gnu: the compiler is <triple>-gcc and the archiver <triple>-ar, unless $CC and $AR name others.",
        valueName: "triple"))
    var target: String?

    @OptionGroup var grants: GrantArguments
    @OptionGroup var lowering: LoweringArguments
    @OptionGroup var compiling: CompilerArguments

    func validate() throws {
        if shared || lib, !grants.isEmpty {
            throw ValidationError("--dir, --env, --inherit-env and --max-memory are for executables, not libraries (libraries take wk_options)")
        }
        if shared, lib { throw ValidationError("choose one of --lib and --shared") }
    }

    func run() async throws {
        let module = try ModuleInput.validated(file)
        if !shared, !lib, let problem = WASICommand.problem(with: module.module) {
            printError("\(file): \(problem) (pass --lib or --shared to build a library instead)")
            throw ExitCode.failure
        }
        do {
            let environment = Self.environment(target: target)
            let builder = try await compiling.builder(environment: environment)
            let options = lowering.options(for: file)
            if lib {
                try await builder.staticLibrary(module, options: options, folder: URL(fileURLWithPath: output, isDirectory: true),
                                                environment: environment)
            } else if shared {
                try await builder.sharedLibrary(module, options: options, output: URL(fileURLWithPath: output))
            } else {
                try await builder.commandExecutable(module, options: options, grants: try grants.resolved(),
                                                    linkFlags: compiling.linkFlags, output: URL(fileURLWithPath: output))
            }
            keepCacheBounded(builder.cache)
        } catch {
            printError("\(file): \(error)")
            throw ExitCode.failure
        }
    }
}

extension Build {
    /// Ours, with `$CC` and `$AR` defaulting to the cross tools of `--target` (the GNU
    /// names: Debian's gcc-aarch64-linux-gnu gives aarch64-linux-gnu-gcc and -ar).
    static func environment(target: String?) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        guard let target else { return environment }
        if (environment["CC"] ?? "").isEmpty { environment["CC"] = "\(target)-gcc" }
        if (environment["AR"] ?? "").isEmpty { environment["AR"] = "\(target)-ar" }
        return environment
    }
}

/// What a command executable may reach: `--dir`, `--env`, `--inherit-env`.
struct GrantArguments: ParsableArguments {
    @Option(name: .customLong("dir"), help: ArgumentHelp("Grant a host directory, seen by the module as GUEST (default: HOST).", valueName: "HOST[::GUEST]"))
    var directories: [String] = []

    @Option(name: .customLong("env"), help: ArgumentHelp("Set an environment variable for the module.", valueName: "NAME=VALUE"))
    var environment: [String] = []

    @Flag(help: "Pass the environment the program runs with on to the module.")
    var inheritEnv = false

    @Option(help: ArgumentHelp("Cap every memory of the module: memory.grow past it returns -1.", valueName: "SIZE"))
    var maxMemory: String?

    @Option(help: ArgumentHelp("Cap the module's GC heap: an allocation past it traps.", valueName: "SIZE"))
    var maxGcHeap: String?

    var isEmpty: Bool { directories.isEmpty && environment.isEmpty && !inheritEnv && maxMemory == nil && maxGcHeap == nil }

    /// A bad size is a usage error (exit status 64), named with what would do instead.
    func validate() throws {
        if let maxMemory {
            do {
                _ = try Grants.pages(fromSize: maxMemory)
            } catch {
                throw ValidationError("--max-memory \(error)")
            }
        }
        if let maxGcHeap {
            do {
                _ = try Grants.bytes(fromSize: maxGcHeap)
            } catch {
                throw ValidationError("--max-gc-heap \(error)")
            }
        }
    }

    /// The grants, host directories made absolute and checked.
    func resolved() throws(ToolchainError) -> Grants {
        try Grants(directories: directories.map(Grants.Directory.init(parsing:)), environment: environment,
                   inheritEnvironment: inheritEnv, maxMemoryPages: maxMemory.map(Grants.pages(fromSize:)),
                   maxGCHeapBytes: maxGcHeap.map(Grants.bytes(fromSize:))).resolved()
    }
}

/// How the module becomes C: `--name` and `--bounds-checks`.
struct LoweringArguments: ParsableArguments {
    @Option(name: .customLong("name"), help: "The C name prefix (default: from the file name).")
    var prefix: String?

    /// nil when not given: guard pages, except for emit-c --freestanding (explicit).
    @Option(help: "How compiled code checks memory accesses: guard (guard pages; the default) or explicit (the default with emit-c --freestanding, which needs it).")
    var boundsChecks: BoundsChecks?

    @Option(help: ArgumentHelp("""
        Relaxed SIMD: deterministic (one documented result per instruction, the same on \
        every host and at every -O level) or native (the host's fastest allowed result).
        """, valueName: "mode"))
    var relaxedSIMD: RelaxedSIMD = .deterministic

    func validate() throws {
        if let prefix, prefix != Builder.prefix(from: prefix) {
            throw ValidationError("--name must be a C identifier (letters, digits and _, not starting with a digit), not a C keyword, and outside the runtime's wk_ names")
        }
    }

    func options(for file: String) -> LoweringOptions {
        let stem = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        var options = LoweringOptions(prefix: prefix ?? Builder.prefix(from: stem), boundsChecks: boundsChecks ?? .guardPages)
        options.relaxedSIMD = relaxedSIMD
        return options
    }
}

/// How the C is compiled: `-O<level>` and `--jobs`.
struct CompilerArguments: ParsableArguments {
    @Option(name: .customShort("O", allowingJoined: true), help: ArgumentHelp("Optimization level: -O0 to -O3.", valueName: "level"))
    var optimization: OptimizationLevel = .default

    @Option(name: .customLong("large-functions-O"), help: ArgumentHelp(
        "Compile functions of more than --large-function-size bytes of wasm code at this level instead (a few huge functions can take most of a build).",
        valueName: "level"))
    var largeFunctionsLevel: OptimizationLevel?

    @Option(help: ArgumentHelp("Where --large-functions-O starts, in bytes of a function's wasm code.", valueName: "bytes"))
    var largeFunctionSize = 16384

    @Option(help: "How many compilers to run at once (default: one per core).")
    var jobs: Int?

    @Flag(name: .shortAndLong, help: "Print no build progress.")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Print each compiler, linker and archiver command before it runs.")
    var verbose = false

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1") }
        if largeFunctionSize < 1 { throw ValidationError("--large-function-size must be at least 1") }
    }

    /// `terminalOnly`: progress only on a terminal (`run`, whose standard error becomes the
    /// program's, which scripts read).
    func builder(progressOnTerminalOnly terminalOnly: Bool = false,
                 environment: [String: String] = ProcessInfo.processInfo.environment) async throws -> Builder {
        var builder = try await Builder.fromEnvironment(optimization: optimization, jobs: jobs, environment: environment)
        builder.largeFunctions = largeFunctionsLevel.map { (largeFunctionSize, $0) }
        let terminal = isatty(STDERR_FILENO) != 0
        builder.progress = quiet || (terminalOnly && !terminal) ? nil : BuildProgress.reporter(terminal: terminal)
        if verbose { builder.commandLog = { printError($0) } }
        return builder
    }

    /// `$LDFLAGS`, for linking executables.
    var linkFlags: [String] {
        CCompiler.splitFlags(ProcessInfo.processInfo.environment["LDFLAGS"] ?? "")
    }
}

extension BoundsChecks: ExpressibleByArgument {}
extension RelaxedSIMD: ExpressibleByArgument {}
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

/// Build progress on standard error. On a terminal, once a compile has run for a second,
/// one line rewritten as units finish. Otherwise (a log, a pipe) plain lines, for builds
/// long enough to wonder about: one every ten seconds, from the tenth, and one at the end.
enum BuildProgress {
    static func reporter(terminal: Bool = isatty(STDERR_FILENO) != 0, plainEvery: Duration = .seconds(10),
                         write: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) })
        -> @Sendable (CompileProgress) -> Void
    {
        let lastLine = LastLine()
        return { progress in
            let now = ContinuousClock.now
            guard now - progress.started >= (terminal ? .seconds(1) : plainEvery) else { return }
            let done = progress.unitsDone == progress.units
            if terminal {
                write("\r\u{1B}[K" + progress.line + (done ? "\n" : ""))
            } else if lastLine.take(at: now, every: plainEvery, force: done) {
                write(progress.line + "\n")
            }
        }
    }

    /// When the last plain line went out, shared by the compiler tasks reporting.
    final class LastLine: Sendable {
        private let time = Mutex<ContinuousClock.Instant?>(nil)

        /// Whether a line is due at `now`, noting it if so.
        func take(at now: ContinuousClock.Instant, every interval: Duration, force: Bool) -> Bool {
            time.withLock { last in
                guard force || last.map({ now - $0 >= interval }) ?? true else { return false }
                last = now
                return true
            }
        }
    }
}
