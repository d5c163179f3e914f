import ArgumentParser
import CLowering
import Foundation
import Toolchain
import WasmDecoder
import WasmValidator

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a WASI command, or call a module's exports.",
        discussion: """
            Without --invoke, FILE is a WASI command (it exports `_start`): it is built into \
            a cached executable (see `build`) and run with ARGS, the standard streams and \
            the grants given here; its exit status becomes wasmkiln's. wasmkiln's options \
            go before FILE: everything after it is the command's, unchanged (a `--` right \
            after FILE is dropped). A module without `_start` is only instantiated, and \
            takes wasmkiln's options after FILE too.

            Each --invoke calls a function export with the arguments given and prints its \
            results one per line as `TYPE VALUE`, or `trap: MESSAGE`, then goes on with the \
            next. A name that starts with a dash needs the form --invoke=NAME; one with \
            spaces or other characters hard to type is quoted as in the text format: \
            --invoke '"a b" 1', --invoke '"\\00"'. Arguments: integers in decimal or hex (42, -1, 0xff), floats as literals \
            (1.5, -inf, nan, nan:0x200000) or exact bits (f32:0x7fc00001, f64:0x...). \
            Exits with status 2 if a call trapped, 1 on any other error.
            On exit a command reports on its memory with --memory-stats (a summary on \
            standard error; =json for tools), --memory-trace FILE.csv (every grow) and \
            --memory-plot FILE.svg (size over time); --max-memory SIZE caps it. A module \
            with GC types gets its GC heap reported too (FILE.gc.csv, FILE.gc.svg); \
            --max-gc-heap SIZE caps that heap, with --invoke too: an allocation past it traps.
            """
    )

    @Argument(help: "The module (.wasm, or .wat text). With --invoke it may not have imports.")
    var file: String

    @Argument(parsing: .allUnrecognized, help: "Arguments for a WASI command.")
    var arguments: [String] = []

    @Option(name: .customLong("invoke"), help: ArgumentHelp("A call: the export's name, then its arguments.", valueName: "name arg..."))
    var invocations: [String] = []

    @Option(help: "How compiled code checks memory accesses: guard (guard pages) or explicit.")
    var boundsChecks: BoundsChecks = .guardPages

    @OptionGroup var grants: GrantArguments
    @OptionGroup var compiling: CompilerArguments

    @Option(help: ArgumentHelp("Report on the command's memory when it exits: text (the default) or json.", valueName: "format"))
    var memoryStats: MemoryStatsFormat?

    @Option(help: ArgumentHelp("Write every memory grow of the command to a CSV file.", valueName: "FILE.csv"))
    var memoryTrace: String?

    @Option(help: ArgumentHelp("Draw the command's memory size over time as an SVG file.", valueName: "FILE.svg"))
    var memoryPlot: String?

    enum MemoryStatsFormat: String, ExpressibleByArgument {
        case text, json
    }

    /// `run`'s options that take a value as the next word (`--dir X`), to find FILE.
    static let valueOptions: Set<String> = [
        "--invoke", "--bounds-checks", "--dir", "--env", "--max-memory", "--max-gc-heap", "--memory-trace", "--memory-plot",
        "-O", "--large-functions-O", "--large-function-size", "--jobs",
    ]

    /// The words of a `wasmkiln run` command line made ready for the parser. Everything
    /// after FILE belongs to the module when it is a WASI command, as with wasmtime (`run
    /// prog.wasm -h` passes `-h` on): a `--` goes in after FILE. A module without `_start`
    /// takes no arguments, so what follows it are wasmkiln's options (`run FILE --invoke
    /// …`). Among wasmkiln's options, `--memory-stats` alone means `--memory-stats=text`
    /// and `--memory-stats json` means `--memory-stats=json` (an option's value cannot be
    /// optional).
    static func normalize(_ arguments: [String], isCommand: (String) -> Bool = Self.isCommand) -> [String] {
        guard arguments.first == "run" else { return arguments }
        var words = ["run"], index = 1, sawFile = false
        while index < arguments.count {
            let word = arguments[index]
            if word == "--" { return words + arguments[index...] }
            if word == "--memory-stats" {
                let next = index + 1 < arguments.count ? arguments[index + 1] : ""
                let given = MemoryStatsFormat(rawValue: next) != nil
                words.append("--memory-stats=\(given ? next : "text")")
                index += given ? 2 : 1
            } else if word.hasPrefix("-") && word != "-" {
                let count = valueOptions.contains(word) && index + 1 < arguments.count ? 2 : 1
                words += arguments[index..<(index + count)]
                index += count
            } else {
                let rest = arguments[(index + 1)...]
                if !sawFile, let next = rest.first, next != "--", isCommand(word) { return words + [word, "--"] + rest }
                sawFile = true
                words.append(word)
                index += 1
            }
        }
        return words
    }

    /// Whether the module at `path` exports `_start` (false when it cannot be read: the
    /// run reports that).
    static func isCommand(_ path: String) -> Bool {
        guard let module = try? ModuleFile.decode(at: path) else { return false }
        return module.exports.contains { $0.name == "_start" && $0.kind == .function }
    }

    /// The environment variables through which the executable reports (see `build`).
    var reportEnvironment: [String: String] {
        var variables: [String: String] = [:]
        if let memoryStats { variables["WASMKILN_MEMORY_STATS"] = memoryStats.rawValue }
        if let memoryTrace { variables["WASMKILN_MEMORY_TRACE"] = memoryTrace }
        if let memoryPlot { variables["WASMKILN_MEMORY_PLOT"] = memoryPlot }
        return variables
    }

    /// What the module sees as its arguments: a leading `--` only separates them.
    var commandArguments: [String] {
        arguments.first == "--" ? Array(arguments.dropFirst()) : arguments
    }

    func run() async throws {
        try await invokeExports(invocations.isEmpty ? runCommand() : ModuleInput.validated(file))
    }

    /// Runs the module as a command if it is one (never returns then); returns a module
    /// without `_start`, to be instantiated as before.
    func runCommand() async throws -> ValidatedModule {
        let bytes: [UInt8]
        let resolved: Grants
        do {
            bytes = try ModuleFile.read(file)
        } catch {
            printError("\(error)")
            throw ExitCode.failure
        }
        do {
            resolved = try grants.resolved()
        } catch {
            printError("\(file): \(error)")
            throw ExitCode.failure
        }
        // The warm path: the file's bytes and the options name the executable; nothing is
        // decoded or compiled when it exists.
        let large = compiling.largeFunctionsLevel.map { " large=\(compiling.largeFunctionSize):-O\($0.rawValue)" } ?? ""
        let settings = "command -O\(compiling.optimization.rawValue)\(large) bounds=\(boundsChecks.rawValue)\n\(resolved.keyText)"
        let executable = CommandCache(cache: BuildCache(root: BuildCache.defaultRoot()))
            .executable(fileBytes: bytes, name: "command", settings: settings)
        if !CommandCache.exists(executable) {
            let module = try ModuleInput.validated(file)
            guard module.module.exports.contains(where: { $0.name == "_start" }) else {
                if !commandArguments.isEmpty || !grants.isEmpty || !reportEnvironment.isEmpty {
                    printError("\(file): arguments and grants are for WASI commands, and this module does not export \"_start\"")
                    throw ExitCode.failure
                }
                return module
            }
            do {
                let options = LoweringOptions(prefix: Builder.prefix(for: module), boundsChecks: boundsChecks)
                let builder = try await compiling.builder(progressOnTerminalOnly: true)
                try await builder.commandExecutable(module, options: options, grants: resolved,
                                                    linkFlags: compiling.linkFlags, output: executable)
                keepCacheBounded(builder.cache)
            } catch {
                printError("\(file): \(error)")
                throw ExitCode.failure
            }
        }
        for (name, value) in reportEnvironment { setenv(name, value, 1) }
        Self.exec(executable, arguments: [file] + commandArguments)
        printError("\(file): cannot run \(executable.path): \(String(cString: strerror(errno)))")
        throw ExitCode.failure
    }

    /// Replaces this process with `executable`: its streams, arguments and exit status are
    /// the command's. Returns only on failure.
    static func exec(_ executable: URL, arguments: [String]) {
        let argv = arguments.map { strdup($0) } + [nil]
        execv(executable.path, argv)
    }

    func invokeExports(_ module: ValidatedModule) async throws {
        var commandGrants = grants
        commandGrants.maxGcHeap = nil  // also caps the exports' calls
        if !arguments.isEmpty || !commandGrants.isEmpty || !reportEnvironment.isEmpty {
            printError("\(file): arguments, grants and memory reports are for WASI commands, not with --invoke")
            throw ExitCode.failure
        }
        let calls: [Call]
        do {
            if let first = module.module.imports.first {
                throw InputError(description: "cannot run a module with imports: it imports \(first.kind.kind) \"\(first.module)\" \"\(first.name)\"")
            }
            calls = try invocations.map { try Call(parsing: $0, in: module.module) }
        } catch {
            printError("\(file): \(error)")
            throw ExitCode.failure
        }

        let instance: Instance
        do {
            let builder = try await compiling.builder(progressOnTerminalOnly: true)
            let library = try await ModuleLibrary.load(module, boundsChecks: boundsChecks, builder: builder)
            keepCacheBounded(builder.cache)
            // The heap is the calling thread's: the calls below run on this thread too
            // (no suspension point between).
            if let cap = try grants.maxGcHeap.map(Grants.bytes(fromSize:)) { library.runtime.setGCHeapCap(cap) }
            instance = try library.instantiate()
        } catch {
            printError("\(file): \(error)")
            throw ExitCode.failure
        }

        var trapped = false
        for call in calls {
            do {
                let function = instance.function(call.name)
                for (value, type) in zip(try instance.call(call.name, call.arguments), function?.type.results ?? []) {
                    printOutput(ValueText.format(value, as: type))
                }
            } catch .trap(let trap) {
                printOutput("trap: \(trap.message)")
                trapped = true
            } catch {
                printError("\(file): \(call.name): \(error)")
                throw ExitCode.failure
            }
        }
        if trapped { throw ExitCode(2) }
    }
}

/// One `--invoke`, checked against the module's exports before anything is compiled.
struct Call {
    var name: String
    var arguments: [Value]

    init(parsing text: String, in module: Module) throws {
        let (name, given): (String, [String])
        do {
            (name, given) = try ValueText.invocation(text)
        } catch {
            throw InputError(description: error.description)
        }
        guard let export = module.exports.first(where: { $0.name == name }) else {
            throw InputError(description: "no export named \"\(name)\"")
        }
        guard export.kind == .function, let type = module.functionType(export.index) else {
            throw InputError(description: "export \"\(name)\" is a \(export.kind), not a function")
        }
        // Without v128 every argument is one word: say how many are expected.
        if !type.params.contains(.v128), given.count != type.params.count {
            throw InputError(description: "\"\(name)\" takes \(type.params.count) argument\(type.params.count == 1 ? "" : "s") (\(type.params.map(\.description).joined(separator: " "))), \(given.count) given")
        }
        self.name = name
        do {
            arguments = try ValueText.arguments(given, types: type.params)
        } catch {
            throw InputError(description: "\"\(name)\" \(error)")
        }
    }
}
