import ArgumentParser
import CLowering
import Foundation
import Toolchain
import WasmDecoder

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compile a module (cached), instantiate it once and call its exports.",
        discussion: """
            Each --invoke calls a function export with the arguments given and prints its \
            results one per line as `TYPE VALUE`, or `trap: MESSAGE`, then goes on with the \
            next. Arguments: integers in decimal or hex (42, -1, 0xff), floats as literals \
            (1.5, -inf, nan, nan:0x200000) or exact bits (f32:0x7fc00001, f64:0x...). \
            Exits with status 2 if a call trapped, 1 on any other error.
            """
    )

    @Argument(help: "The module (.wasm, or .wat text). It may not have imports.")
    var file: String

    @Option(name: .customLong("invoke"), help: ArgumentHelp("A call: the export's name, then its arguments.", valueName: "name arg..."))
    var invocations: [String] = []

    @Option(help: "How compiled code checks memory accesses: guard (guard pages) or explicit.")
    var boundsChecks: BoundsChecks = .guardPages

    @OptionGroup var compiling: CompilerArguments

    func run() async throws {
        let module = try ModuleInput.validated(file)
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
            let library = try await ModuleLibrary.load(module, boundsChecks: boundsChecks, builder: try await compiling.builder())
            instance = try library.instantiate()
        } catch {
            printError("\(file): \(error)")
            throw ExitCode.failure
        }

        var trapped = false
        for call in calls {
            do {
                for value in try instance.call(call.name, call.arguments) {
                    printOutput(ValueText.format(value))
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
        let words = text.split(whereSeparator: \.isWhitespace).map(String.init)
        guard let name = words.first else { throw InputError(description: "--invoke needs a function name") }
        guard let export = module.exports.first(where: { $0.name == name }) else {
            throw InputError(description: "no export named \"\(name)\"")
        }
        guard export.kind == .function, let type = module.functionType(export.index) else {
            throw InputError(description: "export \"\(name)\" is a \(export.kind), not a function")
        }
        let given = words.dropFirst()
        guard given.count == type.params.count else {
            throw InputError(description: "\"\(name)\" takes \(type.params.count) argument\(type.params.count == 1 ? "" : "s") (\(type.params.map(\.description).joined(separator: " "))), \(given.count) given")
        }
        self.name = name
        arguments = try zip(given, type.params).enumerated().map { index, pair in
            do {
                return try ValueText.parse(pair.0, as: pair.1)
            } catch {
                throw InputError(description: "\"\(name)\" argument \(index + 1): \(error)")
            }
        }
    }
}
