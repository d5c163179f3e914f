import Foundation
import PackagePlugin

/// Embeds Runtime/include/*.h, Runtime/src/*.{c,h} and Runtime/freestanding/*.c in the target it is applied to, as
/// `RuntimeSources.files`: the runtime has one copy, in Runtime/, and nothing generated
/// is kept in git.
///
/// SwiftPM asks the plugin for its commands again only when the package changes, so the
/// folders are inputs too (adding or removing a file changes their times) and the
/// embedder lists them itself.
@main
struct EmbedRuntime: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let runtime = context.package.directoryURL.appending(path: "Runtime")
        var paths: [String] = []
        for (folder, extensions) in [("include", ["h"]), ("src", ["c", "h"]), ("freestanding", ["c"])] {
            let names = try FileManager.default.contentsOfDirectory(atPath: runtime.appending(path: folder).path)
            paths += names.filter { extensions.contains(($0 as NSString).pathExtension) }.map { "\(folder)/\($0)" }
        }
        paths.sort()
        let output = context.pluginWorkDirectoryURL.appending(path: "RuntimeSources.swift")
        return [.buildCommand(
            displayName: "Embedding the C runtime",
            executable: try context.tool(named: "RuntimeEmbedder").url,
            arguments: [output.path, runtime.path],
            inputFiles: [runtime.appending(path: "include"), runtime.appending(path: "src"), runtime.appending(path: "freestanding")]
                + paths.map { runtime.appending(path: $0) },
            outputFiles: [output]
        )]
    }
}
