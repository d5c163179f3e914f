import Foundation
import Testing
import Toolchain

/// The runtime is built from sources embedded in the tool; they must match Runtime/.
@Suite struct ToolchainRuntimeSourcesTests {
    static let runtime = CommandRunner.fixtures.deletingLastPathComponent().appendingPathComponent("Runtime")

    /// Runtime/include/*.h and Runtime/src/*.{c,h}, as Scripts/embed-runtime takes them.
    static func repositoryFiles() throws -> [String: String] {
        var files: [String: String] = [:]
        for (folder, extensions) in [("include", ["h"]), ("src", ["c", "h"])] {
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
        #expect(stale.isEmpty, "Sources/Toolchain/RuntimeSources.swift is out of date for \(stale); run Scripts/embed-runtime")
        #expect(repository["include/wasmkiln.h"] != nil)
    }
}
