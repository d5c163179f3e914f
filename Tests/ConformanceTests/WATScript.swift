import WAT
import WasmParser

/// Reads a script with WasmKit's WAT parser.
enum WATScript {
    /// Wasm 2.0 plus exception handling and memory64 (whose absence would make WAT refuse
    /// offsets past 4 GiB itself, which the scripts expect the validator to refuse).
    static let features: WasmFeatureSet = [.referenceTypes, .simd, .exceptionHandling, .memory64]

    /// The script's commands. A directive WAT cannot parse (or encode) becomes `.unreadable`;
    /// the caller then reads the whole file with wast2json instead.
    static func commands(_ text: String) -> [ScriptCommand] {
        var commands: [ScriptCommand] = []
        var script: WAST
        do {
            script = try parseWAST(text, features: features)
        } catch {
            return [ScriptCommand(kind: "script", line: .number(1), check: .unreadable("\(error)"))]
        }
        while let (result, location) = script.nextDirectiveResult() {
            let line = SourceLine.wat(location)
            switch result {
            case .success(let directive):
                do throws(WatParserError) {
                    commands.append(try command(for: directive, at: line))
                } catch {
                    commands.append(ScriptCommand(kind: "encode", line: line, check: .unreadable("\(error)")))
                }
            case .failure(let failure):
                commands.append(ScriptCommand(kind: "parse", line: line, check: .unreadable("\(failure.error)")))
            }
        }
        return commands
    }

    /// The directive's front-end check and execution.
    private static func command(for directive: WASTDirective, at line: SourceLine) throws(WatParserError) -> ScriptCommand {
        func command(_ kind: String, _ check: ScriptCommand.Check?, _ execution: Execution? = nil) -> ScriptCommand {
            ScriptCommand(kind: kind, line: line, check: check, execution: execution)
        }
        switch directive {
        case .module(let module):
            let bytes = try bytes(of: module.source)
            let execution: Execution = module.isDefinition ? .define(bytes, name: module.id) : .instantiate(bytes, name: module.id)
            return command("module", .accept(bytes), execution)
        case .assertInvalid(let module, let message):
            return command("assert_invalid", .reject(try bytes(of: module.source), expected: message))
        case .assertMalformed(let module, let message):
            guard case .binary(let bytes) = module.source else {
                return command("assert_malformed", .skip(reason: SkipReason.textModule))
            }
            return command("assert_malformed", .reject(bytes, expected: message))
        case .assertUnlinkable(let wat, let message):
            // Linking fails, but the module itself is valid.
            let bytes = try wat.encode()
            return command("assert_unlinkable", .accept(bytes), .assertUnlinkable(bytes, message: message))
        // A module given as the action of an assertion (e.g. one whose start function
        // traps) is valid; running it is the back end's part.
        case .assertTrap(.wat(let wat), let message):
            let bytes = try wat.encode()
            return command("assert_trap (module)", .accept(bytes), .assertUninstantiable(bytes, message: message))
        case .assertReturn(.wat(let wat), _):
            let bytes = try wat.encode()
            return command("assert_return (module)", .accept(bytes), .instantiate(bytes, name: nil))
        case .assertException(.wat(let wat)):
            let bytes = try wat.encode()
            return command("assert_exception (module)", .accept(bytes),
                           .assertUninstantiable(bytes, message: SpecExpectations.uncaughtException))
        case .assertReturn(let execute, let results):
            return command("assert_return", nil, WATActions.execution(execute) { .assertReturn($0, results.map(WATActions.expected)) })
        case .assertTrap(let execute, let message):
            return command("assert_trap", nil, WATActions.execution(execute) { .assertTrap($0, message: message) })
        case .assertExhaustion(let call, let message):
            return command("assert_exhaustion", nil, WATActions.execution(.invoke(call)) { .assertExhaustion($0, message: message) })
        case .invoke(let call):
            return command("invoke", nil, WATActions.execution(.invoke(call)) { .perform($0) })
        case .register(let name, let moduleId):
            return command("register", nil, .register(as: name, instance: moduleId))
        case .assertException(let execute):
            return command("assert_exception", nil, WATActions.execution(execute) {
                .assertTrap($0, message: SpecExpectations.uncaughtException)
            })
        case .assertFuel: return command("assert_fuel", nil, .unsupported("fuel: not metered"))
        case .assertOutOfFuel: return command("assert_out_of_fuel", nil, .unsupported("fuel: not metered"))
        case .moduleInstance(let instance, let module):
            return command("module instance", nil, .instantiateDefinition(definition: module, name: instance))
        }
    }

    private static func bytes(of source: ModuleSource) throws(WatParserError) -> [UInt8] {
        switch source {
        case .binary(let bytes): bytes
        case .text(let wat): try wat.encode()
        case .quote(let text): try wat2wasm(String(decoding: text, as: UTF8.self), features: features)
        }
    }
}
