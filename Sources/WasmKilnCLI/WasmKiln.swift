import ArgumentParser

@main
struct WasmKiln: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wasmkiln",
        abstract: "Compile WebAssembly to native code through C.",
        subcommands: [Validate.self, Inspect.self]
    )
}
