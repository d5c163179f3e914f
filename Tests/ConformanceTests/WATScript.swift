import WAT
import WasmParser

/// Reads a script with WasmKit's WAT parser.
enum WATScript {
    /// Wasm 2.0 plus exception handling: what the front end implements.
    static let features: WasmFeatureSet = [.referenceTypes, .simd, .exceptionHandling]

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
                    let (kind, check) = try command(for: directive)
                    commands.append(ScriptCommand(kind: kind, line: line, check: check))
                } catch {
                    commands.append(ScriptCommand(kind: "encode", line: line, check: .unreadable("\(error)")))
                }
            case .failure(let failure):
                commands.append(ScriptCommand(kind: "parse", line: line, check: .unreadable("\(failure.error)")))
            }
        }
        return commands
    }

    private static func command(for directive: WASTDirective) throws(WatParserError) -> (String, ScriptCommand.Check) {
        switch directive {
        case .module(let module):
            return ("module", .accept(try bytes(of: module.source)))
        case .assertInvalid(let module, let message):
            return ("assert_invalid", .reject(try bytes(of: module.source), expected: message))
        case .assertMalformed(let module, let message):
            guard case .binary(let bytes) = module.source else {
                return ("assert_malformed", .skip(reason: SkipReason.textModule))
            }
            return ("assert_malformed", .reject(bytes, expected: message))
        case .assertUnlinkable(let wat, _):
            // Linking fails, but the module itself is valid.
            return ("assert_unlinkable", .accept(try wat.encode()))
        // A module given as the action of an assertion (e.g. one whose start function
        // traps) is valid; only running it is out of reach.
        case .assertTrap(.wat(let wat), _):
            return ("assert_trap (module)", .accept(try wat.encode()))
        case .assertReturn(.wat(let wat), _):
            return ("assert_return (module)", .accept(try wat.encode()))
        case .assertException(.wat(let wat)):
            return ("assert_exception (module)", .accept(try wat.encode()))
        case .assertReturn: return ("assert_return", .skip(reason: SkipReason.execution))
        case .assertTrap: return ("assert_trap", .skip(reason: SkipReason.execution))
        case .assertExhaustion: return ("assert_exhaustion", .skip(reason: SkipReason.execution))
        case .assertException: return ("assert_exception", .skip(reason: SkipReason.execution))
        case .assertFuel: return ("assert_fuel", .skip(reason: SkipReason.execution))
        case .assertOutOfFuel: return ("assert_out_of_fuel", .skip(reason: SkipReason.execution))
        case .moduleInstance: return ("module instance", .skip(reason: SkipReason.execution))
        case .register: return ("register", .skip(reason: SkipReason.execution))
        case .invoke: return ("invoke", .skip(reason: SkipReason.execution))
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
