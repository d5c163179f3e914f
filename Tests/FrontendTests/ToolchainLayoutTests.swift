import Foundation
import Testing
@testable import Toolchain

/// The loader reads wasmkiln.h's structures at fixed offsets (CLayout); compile the real
/// header and compare.
@Suite struct ToolchainLayoutTests {
    @Test func offsetsMatchTheHeader() async throws {
        let scratch = try ScratchFolder()
        let builder = try await ToolchainTesting.builder()
        let source = try scratch.write("layout.c", text: """
            #include <stddef.h>
            #include "wasmkiln.h"
            const size_t layout[] = {
            \(CLayout.all.map { "    \($0.c)," }.joined(separator: "\n"))
            };

            """)
        let objects = try await builder.compile([URL(fileURLWithPath: source)], includes: [try builder.runtimeHeaders()],
                                                headersKey: Builder.runtimeSourcesKey)
        let library = scratch.url.appendingPathComponent("liblayout.so")
        try await builder.linkSharedLibrary(objects.files, output: library)
        let handle = try #require(dlopen(library.path, RTLD_NOW | RTLD_LOCAL))
        let layout = try #require(dlsym(handle, "layout")).assumingMemoryBound(to: Int.self)
        for (index, field) in CLayout.all.enumerated() {
            #expect(layout[index] == field.offset, "\(field.c)")
        }
    }
}
