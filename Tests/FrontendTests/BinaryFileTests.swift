import Foundation
import Testing
import WasmDecoder

@Suite struct BinaryFileTests {
    /// Large files are read in parallel chunks; every byte must land in place.
    @Test func readsLargeFilesExactly() throws {
        // Just past the size where reading goes parallel, with a pattern no chunk repeats.
        let bytes = (0..<(17 << 20) + 12345).map { UInt8(truncatingIfNeeded: ($0 &* 2_654_435_761) >> 11) }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("wasmkiln-read-\(UUID())")
        try Data(bytes).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(try BinaryFile.read(url.path) == bytes)
    }

    /// Files whose size `stat` reports as 0 are read to their end.
    @Test func readsFilesOfUnknownSize() throws {
        let status = try BinaryFile.read("/proc/self/status")
        #expect(String(decoding: status, as: UTF8.self).contains("Name:"))
    }

    @Test func reportsMissingFilesAndDirectories() {
        #expect { try BinaryFile.read("/no/such/file") } throws: { "\($0)".contains("No such file or directory") }
        #expect { try BinaryFile.read("/tmp") } throws: { "\($0)".contains("is a directory") }
    }
}
