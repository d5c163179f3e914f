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
    var passed = 0
    var failed = 0
    var skipped = 0
    var skipReasons: [String: Int] = [:]
    var failures: [Failure] = []
    var wordingMismatches: [WordingMismatch] = []
}

enum Runner {
    /// Reads and checks one script. Files run concurrently, so validation itself runs serially.
    static func run(_ script: TestSuite.Script) -> FileResult {
        let (commands, byWast2json) = ScriptReader.commands(script)
        var result = FileResult(path: script.path, byWast2json: byWast2json)
        for command in commands {
            result.record(command)
        }
        return result
    }
}

extension FileResult {
    mutating func record(_ command: ScriptCommand) {
        switch command.check {
        case .accept(let bytes):
            do {
                _ = try decodeAndValidate(bytes, parallel: false)
                passed += 1
            } catch {
                fail(command, "valid module rejected: \(error)")
            }
        case .reject(let bytes, let expected):
            do {
                _ = try decodeAndValidate(bytes, parallel: false)
                fail(command, "module accepted; expected \"\(expected)\"")
            } catch {
                passed += 1
                if !error.message.contains(expected) {
                    wordingMismatches.append(WordingMismatch(line: command.line, expected: expected, got: error.message))
                }
            }
        case .skip(let reason):
            skipped += 1
            skipReasons[reason, default: 0] += 1
        case .unreadable(let message):
            fail(command, "script not readable: \(message)")
        }
    }

    private mutating func fail(_ command: ScriptCommand, _ error: String) {
        failed += 1
        failures.append(Failure(line: command.line, kind: command.kind, error: error))
    }
}
