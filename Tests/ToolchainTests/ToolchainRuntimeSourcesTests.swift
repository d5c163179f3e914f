import Foundation
import Testing
import Toolchain
@testable import TestSupport

/// The runtime is built from sources the EmbedRuntime plugin embeds in the tool at build
/// time; every runtime file must be among them, as it is in Runtime/.
@Suite struct ToolchainRuntimeSourcesTests {
    static let runtime = CommandRunner.fixtures.deletingLastPathComponent().appendingPathComponent("Runtime")

    /// Runtime/include/*.h, Runtime/src/*.{c,h} and Runtime/freestanding/*.c, as the
    /// EmbedRuntime plugin takes them.
    static func repositoryFiles() throws -> [String: String] {
        var files: [String: String] = [:]
        for (folder, extensions) in [("include", ["h"]), ("src", ["c", "h"]), ("freestanding", ["c"])] {
            let url = runtime.appendingPathComponent(folder)
            for name in try FileManager.default.contentsOfDirectory(atPath: url.path)
            where extensions.contains(URL(fileURLWithPath: name).pathExtension) {
                files["\(folder)/\(name)"] = try String(contentsOf: url.appendingPathComponent(name), encoding: .utf8)
            }
        }
        return files
    }

    @Test func embeddedRuntimeMatchesRuntimeFolder() throws {
        let repository = try Self.repositoryFiles()
        let embedded = Dictionary(RuntimeSources.files.map { ($0.path, $0.contents) }) { first, _ in first }
        let stale = Set(repository.keys).union(embedded.keys).filter { repository[$0] != embedded[$0] }.sorted()
        #expect(stale.isEmpty, "the embedded runtime differs from Runtime/ in \(stale): see Plugins/EmbedRuntime")
        #expect(repository["include/wasmkiln.h"] != nil)
    }
}
