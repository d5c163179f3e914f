import ArgumentParser
import WasmDecoder
import WasmValidator

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check that modules are valid WebAssembly.",
        discussion: "Prints one line per error to standard error and exits with status 1 if any file is invalid."
    )

    @Argument(help: "The modules to check (.wasm, or .wat text).")
    var files: [String]

    @Flag(name: .shortAndLong, help: "Print nothing for valid files.")
    var quiet = false

    func run() throws {
        var allValid = true
        for path in files {
            let errors = Self.errors(in: path)
            if errors.isEmpty {
                if !quiet { printOutput("\(path): ok") }
            } else {
                allValid = false
                errors.forEach(printError)
            }
        }
        if !allValid { throw ExitCode.failure }
    }

    /// The file's error lines: none when it is valid.
    static func errors(in path: String) -> [String] {
        let module: Module
        do {
            module = try ModuleFile.decode(at: path)
        } catch {
            return ["\(error)"]
        }
        return Validator.errors(in: module).map { "\(path): \($0)" }
    }
}
