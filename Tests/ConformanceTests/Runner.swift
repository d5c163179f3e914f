import CLowering
import Toolchain
import WasmDecoder
import WasmValidator

/// The outcome of one script's commands.
struct FileResult: Sendable {
    struct Failure: Sendable {
        var line: SourceLine
        var kind: String
        var error: String
    }

    /// A module rightly rejected, but with a message that lacks the script's expected text.
    struct WordingMismatch: Sendable {
        var line: SourceLine
        var expected: String
        var got: String
    }

    let path: String
    /// Whether the script was read with wast2json because WAT could not read it.
    var byWast2json = false
    /// The configurations its execution directives ran in, by label.
    var configurations: [String] = []
    var passed = 0
    var failed = 0
    var skipped = 0
    var skipReasons: [String: Int] = [:]
    var failures: [Failure] = []
    var wordingMismatches: [WordingMismatch] = []

    /// The spec's core scripts test Wasm 2.0, which refuses some of what later proposals
    /// (and Wasm 3.0) accept (several memories, long memory-index zeros, defined globals in
    /// constant expressions, u64 limits); so do the proposals written as deltas over 2.0.
    /// Multi-memory adds only several memories to 2.0; custom page sizes (which uses several
    /// memories and memory64) and Wasm 3.0 test the later rules; GC only its constant
    /// expressions, which may read defined globals.
    var edition: Edition {
        if path.hasPrefix("proposals/multi-memory/") { return .multiMemory }
        if path.hasPrefix("proposals/gc/") { return .gc }
        return ["proposals/custom-page-sizes/", "proposals/wasm-3.0/", "wasmkiln/"]
            .contains { path.hasPrefix($0) } ? .wasm3 : .wasm2
    }
}

enum Runner {
    /// Reads one script, checks its modules with the front end, then runs its execution
    /// directives in each configuration the plan gives it. Files run concurrently, so
    /// validation itself runs serially.
    static func run(_ script: TestSuite.Script, plan: ExecutionPlan) async -> FileResult {
        let (commands, byWast2json) = ScriptReader.commands(script)
        var result = FileResult(path: script.path, byWast2json: byWast2json)
        for command in commands {
            result.record(command)
        }

        for configuration in plan.configurations(for: script.path) {
            result.merge(await execute(commands, path: script.path, configuration: configuration, plan: plan))
            result.configurations.append(configuration.label)
        }
        return result
    }

    /// Builds the script's modules, then runs its directives on a thread of our own: a
    /// big stack for deep recursion, and no blocking of the concurrency pool.
    static func execute(_ commands: [ScriptCommand], path: String, configuration: ExecutionPlan.Configuration,
                        plan: ExecutionPlan) async -> FileResult
    {
        let runtime = plan.runtime
        return await execute(commands, path: path, configuration: configuration, gate: plan.gate) {
            LocalEngine(runtime: runtime)
        }
    }

    /// As above, with modules run by the engine `makeEngine` gives, on the thread.
    static func execute<Engine: ScriptEngine>(_ commands: [ScriptCommand], path: String,
                                              configuration: ExecutionPlan.Configuration, gate: Gate,
                                              makeEngine: @escaping @Sendable () throws -> Engine) async -> FileResult
    {
        let boundsChecks = configuration.boundsChecks
        let modules = await ModuleBuilds.prepare(commands, for: Engine.self, boundsChecks: boundsChecks,
                                                 builder: configuration.builder, gate: gate)
        return await StackThread.run {
            let engine: Engine
            let spectest: [String: Engine.Extern]
            do {
                engine = try makeEngine()
                spectest = try engine.spectest(boundsChecks: boundsChecks)
            } catch {
                var result = FileResult(path: path)
                result.fail(line: .number(1), kind: "spectest", error: "cannot create the spectest module: \(error)")
                return result
            }
            let executor = ScriptExecutor(path: path, engine: engine, modules: modules, spectest: spectest,
                                          label: " [\(configuration.label)]")
            executor.run(commands)
            return executor.result
        }
    }
}

extension FileResult {
    mutating func record(_ command: ScriptCommand) {
        switch command.check {
        case .accept(let bytes):
            do {
                _ = try decodeAndValidate(bytes, parallel: false, edition: edition)
                passed += 1
            } catch where error.isUnsupported {
                skip(error.message)
            } catch {
                fail(command, "valid module rejected: \(error)")
            }
        case .reject(_, "multiple tables"):
            // The threads proposal's scripts predate reference types: Wasm 2.0 allows
            // several tables, and so do we.
            skip("expects Wasm 1.0's one-table rule, which Wasm 2.0 lifted")
        case .reject(let bytes, let expected):
            do {
                _ = try decodeAndValidate(bytes, parallel: false, edition: edition)
                fail(command, "module accepted; expected \"\(expected)\"")
            } catch {
                passed += 1
                if !error.message.contains(expected) {
                    wordingMismatches.append(WordingMismatch(line: command.line, expected: expected, got: error.message))
                }
            }
        case .skip(let reason):
            skip(reason)
        case .unreadable(let message):
            fail(command, "script not readable: \(message)")
        case nil:
            break
        }
    }

    mutating func pass() {
        passed += 1
    }

    mutating func skip(_ reason: String) {
        skipped += 1
        skipReasons[reason, default: 0] += 1
    }

    mutating func fail(line: SourceLine, kind: String, error: String) {
        failed += 1
        failures.append(Failure(line: line, kind: kind, error: error))
    }

    private mutating func fail(_ command: ScriptCommand, _ error: String) {
        fail(line: command.line, kind: command.kind, error: error)
    }

    /// Adds another run's counts (an execution in one mode) to these.
    mutating func merge(_ other: FileResult) {
        passed += other.passed
        failed += other.failed
        skipped += other.skipped
        skipReasons.merge(other.skipReasons, uniquingKeysWith: +)
        failures += other.failures
        wordingMismatches += other.wordingMismatches
    }
}
