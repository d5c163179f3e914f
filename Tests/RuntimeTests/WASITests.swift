import Foundation
import Testing

/// WASI preview1 in the C runtime: `C/wasi_test.c` calls the functions as a compiled
/// module would, with openat2 and with the component walk that replaces it on older
/// kernels, and under clang.
@Suite struct WASITests {
    static let cases = ["args and environ", "efault", "fd_write to a pipe", "stdio through callbacks",
                        "files and paths",
                        "readdir with cookies", "rights", "path errors", "clock and random", "poll and sockets",
                        "sandbox escapes denied", "proc_exit"]

    @Test func withOpenat2() throws {
        try CProgram.run("wasi_test").expectPassed(Self.cases)
    }

    @Test func withComponentWalk() throws {
        try CProgram.run("wasi_test", arguments: ["walk"]).expectPassed(Self.cases)
    }

    @Test(.enabled(if: CProgram.hasProgram("clang"))) func underClang() throws {
        try CProgram.run("wasi_test", compiler: "clang").expectPassed(Self.cases)
    }
}
