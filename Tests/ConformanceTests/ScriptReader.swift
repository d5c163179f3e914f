import Foundation

/// Turns a `.wast` file into commands: with WasmKit's WAT when it can read every
/// directive, else the whole file with wast2json, so no directive is counted twice
/// or lost between the two readers.
enum ScriptReader {
    /// The script's commands, and whether wast2json read them.
    static func commands(_ script: TestSuite.Script) -> (commands: [ScriptCommand], byWast2json: Bool) {
        let text: String
        do {
            text = try String(contentsOf: script.url, encoding: .utf8)
        } catch {
            return ([ScriptCommand(kind: "script", line: .number(1), check: .unreadable("cannot read: \(error)"))], false)
        }
        let fromWAT = WATScript.commands(text)
        guard fromWAT.contains(where: \.isUnreadable) else { return (fromWAT, false) }

        guard let tool = Wast2JSONScript.tool else {
            return (fromWAT.map { $0.isUnreadable ? $0.with(.skip(reason: SkipReason.noWast2json)) : $0 }, false)
        }
        do {
            return (try Wast2JSONScript.commands(script.url, tool: tool), true)
        } catch {
            // Neither reader works: keep what WAT read and report the rest as failures.
            let commands = fromWAT.map { command in
                guard case .unreadable(let watError) = command.check else { return command }
                return command.with(.unreadable("WAT: \(watError); then \(error)"))
            }
            return (commands, false)
        }
    }
}

extension ScriptCommand {
    var isUnreadable: Bool {
        if case .unreadable = check { return true }
        return false
    }

    func with(_ check: Check) -> ScriptCommand {
        ScriptCommand(kind: kind, line: line, check: check)
    }
}
