import Foundation
import Testing
@testable import TestSupport

/// Support/cmake (find_package(WasmKiln), wasmkiln_add_library, wasmkiln_add_executable)
/// through Examples/cmake, with Debian's cmake, laid out as Scripts/install installs it.
@Suite struct CMakeTests {
    static let repository = CommandRunner.fixtures.deletingLastPathComponent()
    static let cmakeInstalled = CommandRunner.succeeds(["cmake", "--version"])

    /// Runs a bash command line in `folder` with `environment` added to ours.
    static func shell(_ command: String, in folder: URL, environment: [String: String]) throws -> CommandRunner.Result {
        let merged = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        return try CommandRunner.run(["-c", "cd \"$0\" && { \(command)\n} 2>&1", folder.path],
                                     executable: URL(fileURLWithPath: "/bin/bash"), environment: merged, timeout: 600)
    }

    /// The wasmkiln runs the wrapper logged, one line of arguments each (not `--version`,
    /// which configuring asks).
    static func builds(_ log: URL) -> [String] {
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map(String.init).filter { $0 != "--version" }
    }

    static func modificationDate(_ url: URL) throws -> Date {
        try #require(try FileManager.default.attributesOfItem(atPath: url.path)[.modificationDate] as? Date)
    }

    static let ninjaInstalled = CommandRunner.succeeds(["ninja", "--version"])
    static let inCI = ProcessInfo.processInfo.environment["CI"] != nil

    // CI=1 makes a missing cmake (or ninja) a failure (of the #require), not a skip.
    @Test("Examples/cmake with Makefiles: configures, builds and runs; wasmkiln reruns only for the module that changed",
          .enabled(if: cmakeInstalled || inCI, "cmake is not installed (apt-get install cmake)"))
    func exampleWithMakefiles() throws {
        try #require(Self.cmakeInstalled, "cmake is not installed (apt-get install cmake)")
        try Self.buildExample(generator: "Unix Makefiles")
    }

    /// Ninja keeps its own record of what is up to date (and CMake's rules for it differ).
    @Test("Examples/cmake with Ninja: the same",
          .enabled(if: (cmakeInstalled && ninjaInstalled) || inCI, "cmake or ninja is not installed (apt-get install cmake ninja-build)"))
    func exampleWithNinja() throws {
        try #require(Self.cmakeInstalled && Self.ninjaInstalled, "cmake or ninja is not installed (apt-get install cmake ninja-build)")
        try Self.buildExample(generator: "Ninja")
    }

    static func buildExample(generator: String) throws {
        let scratch = try ScratchFolder()
        let manager = FileManager.default
        // The install layout: PREFIX/lib/cmake/WasmKiln and PREFIX/bin/wasmkiln, here a
        // script that logs each run and runs the built tool; wasmkiln is not on the PATH, so
        // the package must find it beside itself.
        let package = scratch.url.appendingPathComponent("prefix/lib/cmake/WasmKiln")
        let bin = scratch.url.appendingPathComponent("prefix/bin")
        try manager.createDirectory(at: package, withIntermediateDirectories: true)
        try manager.createDirectory(at: bin, withIntermediateDirectories: true)
        for file in ["WasmKilnConfig.cmake", "WasmKiln.cmake"] {
            try manager.copyItem(at: Self.repository.appendingPathComponent("Support/cmake/\(file)"),
                                 to: package.appendingPathComponent(file))
        }
        let log = scratch.url.appendingPathComponent("wasmkiln.log")
        let wrapper = bin.appendingPathComponent("wasmkiln")
        try "#!/bin/sh\necho \"$*\" >> '\(log.path)'\nexec '\(try CommandRunner.executable().path)' \"$@\"\n"
            .write(to: wrapper, atomically: true, encoding: .utf8)
        try manager.setAttributes([.posixPermissions: 0o755], ofItemAtPath: wrapper.path)
        // A copy of Examples/, whose modules the test touches.
        let examples = scratch.url.appendingPathComponent("Examples")
        try manager.createDirectory(at: examples, withIntermediateDirectories: true)
        for folder in ["cmake", "modules"] {
            try manager.copyItem(at: Self.repository.appendingPathComponent("Examples/\(folder)"),
                                 to: examples.appendingPathComponent(folder))
        }
        let environment = ["WASMKILN_CACHE": ToolchainTesting.cache.path, "CMAKE_BUILD_PARALLEL_LEVEL": "2"]

        let configure = try Self.shell("cmake -G '\(generator)' -S Examples/cmake -B build -DCMAKE_PREFIX_PATH=\(scratch.url.path)/prefix",
                                       in: scratch.url, environment: environment)
        try #require(configure.status == 0, "\(configure.stdout)")
        #expect(configure.stdout.contains("Build files have been written"), "\(configure.stdout)")
        let cache = try String(contentsOf: scratch.url.appendingPathComponent("build/CMakeCache.txt"), encoding: .utf8)
        #expect(cache.contains("WASMKILN_EXECUTABLE:FILEPATH=\(wrapper.path)"), "found another wasmkiln")

        let build = try Self.shell("cmake --build build", in: scratch.url, environment: environment)
        try #require(build.status == 0, "\(build.stdout)")
        let first = Self.builds(log)
        #expect(first.count == 2, "\(first)")
        #expect(first.contains { $0.hasPrefix("build --lib \(examples.path)/modules/hash.wasm --name hasher ")
            && $0.hasSuffix("-O3 --bounds-checks explicit") }, "\(first)")
        #expect(first.contains { $0 == "build \(examples.path)/cmake/hello.wat -o \(scratch.url.path)/build/hello" }, "\(first)")

        let hashsum = scratch.url.appendingPathComponent("build/hashsum")
        let hashed = try CommandRunner.run(program: hashsum.path, arguments: ["hello", "WasmKiln"])
        #expect(hashed.status == 0, "\(hashed.stderr)")
        #expect(hashed.stdout == "\(Self.fnv1a("hello"))  hello\n\(Self.fnv1a("WasmKiln"))  WasmKiln\n")
        let tests = try Self.shell("ctest --test-dir build --output-on-failure", in: scratch.url, environment: environment)
        #expect(tests.status == 0 && tests.stdout.contains("100% tests passed"), "\(tests.stdout)")

        // The package links what the module's .pc lists after the module and the runtime.
        let pc = try String(contentsOf: scratch.url.appendingPathComponent("build/wasmkiln/hasher/hasher.pc"), encoding: .utf8)
        let libs = try #require(pc.split(separator: "\n").first { $0.hasPrefix("Libs:") })
        let system = libs.split(separator: " ").filter { $0.hasPrefix("-l") && !["-lhasher", "-lwasmkiln-rt"].contains($0) }
        #expect(system == ["-lm", "-lpthread"])
        let rules = scratch.url.appendingPathComponent(generator == "Ninja" ? "build/build.ninja" : "build/CMakeFiles/hashsum.dir/link.txt")
        let line = try #require(try String(contentsOf: rules, encoding: .utf8).split(separator: "\n")
            .first { $0.contains("libhasher.a") && (generator != "Ninja" || $0.contains("LINK_LIBRARIES")) },
            "no link line in \(rules.path)")
        let words = line.split(whereSeparator: \.isWhitespace).map(String.init)
        let archive = try #require(words.firstIndex { $0.hasSuffix("wasmkiln/hasher/libhasher.a") }, "\(line)")
        #expect(Array(words[archive...].prefix(2 + system.count).dropFirst())
                == ["wasmkiln/hasher/libwasmkiln-rt.a"] + system.map(String.init), "\(line)")

        // Nothing changed: nothing runs wasmkiln.
        let linked = try Self.modificationDate(hashsum)
        let again = try Self.shell("cmake --build build", in: scratch.url, environment: environment)
        #expect(again.status == 0, "\(again.stdout)")
        #expect(Self.builds(log).count == 2, "\(Self.builds(log))")
        #expect(try Self.modificationDate(hashsum) == linked)

        // The library's module changed: its build alone reruns, and hashsum is linked again,
        // but not compiled again: the header wasmkiln rewrote is the same.
        try manager.setAttributes([.modificationDate: Date()], ofItemAtPath: examples.appendingPathComponent("modules/hash.wasm").path)
        let touched = try Self.shell("cmake --build build", in: scratch.url, environment: environment)
        #expect(touched.status == 0, "\(touched.stdout)")
        #expect(!touched.stdout.contains("Building C object"), "\(touched.stdout)")
        let second = Self.builds(log)
        #expect(second.count == 3 && second.last?.hasPrefix("build --lib ") == true, "\(second)")
        #expect(try Self.modificationDate(hashsum) > linked)
        let rerun = try CommandRunner.run(program: hashsum.path, arguments: ["hello"])
        #expect(rerun.stdout == "\(Self.fnv1a("hello"))  hello\n")

        // The command's module changed: the executable's build alone reruns.
        try manager.setAttributes([.modificationDate: Date()], ofItemAtPath: examples.appendingPathComponent("cmake/hello.wat").path)
        let third = try Self.shell("cmake --build build && build/hello", in: scratch.url, environment: environment)
        #expect(third.status == 0, "\(third.stdout)")
        #expect(third.stdout.hasSuffix("hello from a WASI command\n"), "\(third.stdout)")
        let builds = Self.builds(log)
        #expect(builds.count == 4 && builds.last?.hasPrefix("build \(examples.path)/cmake/hello.wat") == true, "\(builds)")
    }

    @Test("without wasmkiln beside it or on the PATH, find_package says how to name one; on the PATH or named, it is found",
          .enabled(if: cmakeInstalled || ProcessInfo.processInfo.environment["CI"] != nil,
                   "cmake is not installed (apt-get install cmake)"))
    func toolOnPathOrNamed() throws {
        try #require(Self.cmakeInstalled, "cmake is not installed (apt-get install cmake)")
        let scratch = try ScratchFolder()
        _ = try scratch.write("CMakeLists.txt", text: """
            cmake_minimum_required(VERSION 3.16)
            project(missing C)
            find_package(WasmKiln REQUIRED)

            """)
        // The package alone (no bin/ or .build/ near it), and a PATH without any wasmkiln.
        let package = scratch.url.appendingPathComponent("package")
        try FileManager.default.copyItem(at: Self.repository.appendingPathComponent("Support/cmake"), to: package)
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
            .filter { !FileManager.default.isExecutableFile(atPath: "\($0)/wasmkiln") }.joined(separator: ":")
        let configure = try Self.shell(
            "cmake -S . -B build -DWasmKiln_DIR=\(package.path)",
            in: scratch.url, environment: ["PATH": path])
        #expect(configure.status != 0)
        #expect(configure.stdout.contains("set WASMKILN_EXECUTABLE"), "\(configure.stdout)")

        // On the PATH it is found; WASMKILN_EXECUTABLE, when given, wins over the PATH.
        let bin = scratch.url.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: bin.appendingPathComponent("wasmkiln"),
                                                   withDestinationURL: try CommandRunner.executable())
        func found(_ options: String, build: String) throws -> String? {
            let result = try Self.shell("cmake -S . -B \(build) -DWasmKiln_DIR=\(package.path) \(options)",
                                        in: scratch.url, environment: ["PATH": bin.path + ":" + path])
            #expect(result.status == 0, "\(result.stdout)")
            let cache = try String(contentsOf: scratch.url.appendingPathComponent("\(build)/CMakeCache.txt"), encoding: .utf8)
            return cache.split(separator: "\n").first { $0.hasPrefix("WASMKILN_EXECUTABLE:") }
                .map { String($0.split(separator: "=", maxSplits: 1).last ?? "") }
        }
        #expect(try found("", build: "on-path") == bin.appendingPathComponent("wasmkiln").path)
        let named = try CommandRunner.executable().path
        #expect(try found("-DWASMKILN_EXECUTABLE=\(named)", build: "named") == named)
    }

    /// 64-bit FNV-1a, as Examples/modules/hash.c computes it, in hex.
    static func fnv1a(_ text: String) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01B3
        }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
