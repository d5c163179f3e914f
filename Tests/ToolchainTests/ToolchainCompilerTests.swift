import Foundation
import Testing
@testable import Toolchain
@testable import TestSupport

@Suite struct ToolchainCompilerTests {
    /// Four units that include a shared header, and a builder with a fresh cache.
    final class Project {
        let scratch: ScratchFolder
        let sources: [URL]
        var builder: Builder

        init(jobs: Int = 4) async throws {
            let scratch = try ScratchFolder()
            _ = try scratch.write("shared.h", text: "#define SCALE 3\n")
            var sources: [URL] = []
            for index in 0..<4 {
                sources.append(URL(fileURLWithPath: try scratch.write("unit\(index).c", text: """
                    #include "shared.h"
                    int unit\(index)(int x) { return x * SCALE + \(index); }

                    """)))
            }
            self.sources = sources
            builder = Builder(compiler: try await CCompiler.find(),
                              cache: BuildCache(root: scratch.url.appendingPathComponent("cache")), jobs: jobs)
            self.scratch = scratch
        }

        func compile() async throws -> Builder.Objects {
            try await builder.compile(sources, includes: [scratch.url], headersKey: "shared.h v1")
        }
    }

    @Test func secondBuildCompilesNothing() async throws {
        let project = try await Project()
        let first = try await project.compile()
        #expect(first.compiled == 4)
        #expect(first.files.count == 4)
        #expect(Set(first.files).count == 4)
        #expect(first.files.allSatisfy { FileManager.default.fileExists(atPath: $0.path) })

        let second = try await project.compile()
        #expect(second.compiled == 0)
        #expect(second.files == first.files)

        // One changed unit is the only one compiled again.
        try "int unit2(int x) { return -x; }\n".write(to: project.sources[2], atomically: true, encoding: .utf8)
        let third = try await project.compile()
        #expect(third.compiled == 1)
        #expect(third.files[2] != first.files[2])
        #expect(third.files[0] == first.files[0])
    }

    @Test func flagsAndHeadersAreInTheKey() async throws {
        let project = try await Project(jobs: 1)
        _ = try await project.compile()
        project.builder.optimization = .o0
        #expect(try await project.compile().compiled == 4)
        #expect(try await project.builder.compile(project.sources, includes: [project.scratch.url],
                                                  headersKey: "shared.h v2").compiled == 4)
    }

    @Test func linksASharedLibrary() async throws {
        let project = try await Project()
        let objects = try await project.compile()
        let library = project.scratch.url.appendingPathComponent("libunits.so")
        try await project.builder.linkSharedLibrary(objects.files, output: library)
        let handle = try #require(dlopen(library.path, RTLD_NOW | RTLD_LOCAL))
        let unit3 = unsafeBitCast(try #require(dlsym(handle, "unit3")), to: (@convention(c) (Int32) -> Int32).self)
        #expect(unit3(5) == 18)
    }

    @Test func requiredFlagsComeLast() async throws {
        let project = try await Project()
        project.builder.extraFlags = ["-ffast-math", "-O3"]
        let flags = project.builder.compileFlags
        #expect(flags.starts(with: ["-O2", "-fPIC", "-g1", "-gno-column-info", "-ffast-math", "-O3"]))
        #expect(Array(flags.suffix(4)) == ["-std=gnu11", "-ffp-contract=off", "-fno-fast-math", "-fstack-clash-protection"])
    }

    @Test func largeFunctionUnitsTakeTheirOwnLevel() async throws {
        let project = try await Project()
        project.builder.largeFunctions = (size: 1000, level: .o1)
        #expect(project.builder.compileFlags(for: URL(fileURLWithPath: "/m/m-large-0.c")).first == "-O1")
        #expect(project.builder.compileFlags(for: URL(fileURLWithPath: "/m/m-funcs-0.c")).first == "-O2")
        project.builder.largeFunctions = nil
        #expect(project.builder.compileFlags(for: URL(fileURLWithPath: "/m/m-large-0.c")).first == "-O2")
    }

    /// A memory budget smaller than any unit's estimate still compiles everything, one at a time.
    @Test func aTightMemoryBudgetStillCompilesEveryUnit() async throws {
        let project = try await Project()
        project.builder.memoryBudget = 1
        let sources = try (0..<3).map { k in
            URL(fileURLWithPath: try project.scratch.write("unit\(k).c", text: "int unit\(k)(void) { return \(k); }\n"))
        }
        let objects = try await project.builder.compile(sources, includes: [], headersKey: "budget")
        #expect(objects.files.count == 3)
        #expect(objects.files.allSatisfy { FileManager.default.fileExists(atPath: $0.path) })
    }

    @Test func memoryEstimatesGrowWithUnitsAndHugeFunctions() {
        let small = Builder.memoryEstimate(unitBytes: 100_000, kind: .functions, flags: ["-O2"])
        let big = Builder.memoryEstimate(unitBytes: 100_000, kind: .large, flags: ["-O2"])
        let bigAtO0 = Builder.memoryEstimate(unitBytes: 100_000, kind: .large, flags: ["-O2", "-O0"])
        let giant = Builder.memoryEstimate(unitBytes: 3_000_000, kind: .functions, flags: ["-O2"])
        #expect(small < bigAtO0 && bigAtO0 < big && big < giant)
    }

    @Test func compilerErrorsQuoteTheCompiler() async throws {
        let project = try await Project()
        let broken = URL(fileURLWithPath: try project.scratch.write("broken.c", text: "int f(void) { return missing_name; }\n"))
        do {
            _ = try await project.builder.compile([broken], includes: [], headersKey: "")
            Issue.record("a broken unit compiled")
        } catch let error as ToolchainError {
            #expect(error.description.contains("C compiler failed"))
            #expect(error.description.contains("broken.c"))
            #expect(error.description.contains("missing_name"))
        }
    }

    @Test func compilerFromEnvironment() async throws {
        let wrapped = try await CCompiler.find(environment: ["CC": "env  cc", "PATH": "/usr/local/bin:/usr/bin:/bin"])
        #expect(wrapped.command.count == 2)
        #expect(wrapped.command[0].hasSuffix("/env"))
        #expect(wrapped.command[1] == "cc")
        #expect(CCompiler.splitFlags("  -O1\t-g  -DX=1 ") == ["-O1", "-g", "-DX=1"])

        await #expect(throws: ToolchainError.self) {
            try await CCompiler.find(environment: ["CC": "no-such-compiler-wasmkiln", "PATH": "/usr/bin:/bin"])
        }
    }
}
