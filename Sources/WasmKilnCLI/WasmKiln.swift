import ArgumentParser
import Toolchain

@main
struct WasmKiln: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wasmkiln",
        abstract: "Compile WebAssembly to native code through C.",
        version: "wasmkiln \(ToolVersion.version)",
        subcommands: [Validate.self, Inspect.self, EmitC.self, Build.self, Run.self, Cache.self]
    )

    static func main() async {
        await main(Run.normalize(Array(CommandLine.arguments.dropFirst())))
    }
}
