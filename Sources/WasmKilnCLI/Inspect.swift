import ArgumentParser
import Foundation

struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Summarize a module: sections, imports, exports, memories, the feature sets it uses and its largest functions.",
        discussion: "Decodes the module without validating it."
    )

    @Argument(help: "The module (.wasm, or .wat text).")
    var file: String

    @Flag(help: "Write the summary as JSON.")
    var json = false

    func run() throws {
        let summary: ModuleSummary
        do {
            summary = ModuleSummary(module: try ModuleFile.decode(at: file), file: file)
        } catch {
            printError("\(error)")
            throw ExitCode.failure
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(summary), as: UTF8.self))
        } else {
            print(SummaryText.render(summary))
        }
    }
}
