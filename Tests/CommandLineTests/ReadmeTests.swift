import Foundation
import Testing
@testable import TestSupport

/// Every command the README shows runs here as a reader would type it, so that the README
/// cannot go stale. In a `console` block each `$ COMMAND` must print (standard output and
/// error together) the lines under it; an `sh` block must succeed. A comment right before
/// a block's fence changes that:
///
///     <!-- readme: numbers vary -->      digits and sparkline bars may differ
///     <!-- readme: lines vary -->        also, each line printed has the form of one shown
///     <!-- readme: on a terminal, lines vary -->   run under `script`, as on a terminal:
///                                        what stays visible of each line counts
///     <!-- readme: tested by NAME -->    the test NAME (a function in Tests/) runs it
///     <!-- readme: not run: REASON -->
///
/// Commands run in a scratch folder where `Fixtures` is the repository's, with the built
/// `wasmkiln` first on the PATH (for `swift run -c release wasmkiln` too).
@Suite struct ReadmeTests {
    static let repository = CommandRunner.fixtures.deletingLastPathComponent()

    struct Block {
        var language: String
        var marker: String?
        var body: String
        var line: Int
    }

    /// The README's `sh` and `console` blocks, each with the marker before it, if any.
    static func blocks() throws -> [Block] {
        let lines = try String(contentsOf: repository.appendingPathComponent("README.md"), encoding: .utf8)
            .components(separatedBy: "\n")
        var blocks: [Block] = []
        var index = 0
        while index < lines.count {
            let line = lines[index]
            guard line.hasPrefix("```") else {
                index += 1
                continue
            }
            let language = String(line.dropFirst(3))
            var end = index + 1
            while end < lines.count && lines[end] != "```" { end += 1 }
            if language == "sh" || language == "console" {
                let previous = index > 0 ? lines[index - 1] : ""
                let marker = previous.hasPrefix("<!-- readme: ") && previous.hasSuffix(" -->")
                    ? String(previous.dropFirst("<!-- readme: ".count).dropLast(" -->".count)) : nil
                blocks.append(Block(language: language, marker: marker,
                                    body: lines[(index + 1)..<end].joined(separator: "\n"), line: index + 1))
            }
            index = end + 1
        }
        return blocks
    }

    /// The block's commands with what each prints: an `sh` block's lines (without
    /// comments), or a `console` block's `$` lines and the lines under them.
    static func commands(of block: Block) -> [(command: String, output: [String])] {
        var commands: [(command: String, output: [String])] = []
        for line in block.body.components(separatedBy: "\n") {
            if block.language == "sh" {
                let command = line.components(separatedBy: " #")[0].trimmingCharacters(in: .whitespaces)
                if !command.isEmpty { commands.append((command, [])) }
            } else if line.hasPrefix("$ ") {
                commands.append((String(line.dropFirst(2)), []))
            } else if !commands.isEmpty {
                commands[commands.count - 1].output.append(line)
            }
        }
        return commands
    }

    /// A line with its numbers (decimal and 0x hexadecimal) and sparkline bars made alike.
    static func shape(_ line: String) -> String {
        let line = line.replacing(/0x[0-9a-fA-F]+/, with: "0")
        var result = ""
        var inNumber = false
        for character in line {
            if character.isASCII && character.isNumber {
                if !inNumber { result += "#" }
                inNumber = true
                continue
            }
            inNumber = false
            result.append("▁▂▃▄▅▆▇█".contains(character) ? "▮" : character)
        }
        return result
    }

    /// What a terminal shows of a line: the text after its last carriage return, without
    /// the erase-line sequences.
    static func visible(_ line: String) -> String {
        String(line.split(separator: "\r").last ?? "").replacingOccurrences(of: "\u{1B}[K", with: "")
    }

    static func run(_ block: Block, in scratch: borrowing ScratchFolder) throws {
        let bin = scratch.url.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        try? FileManager.default.createSymbolicLink(at: bin.appendingPathComponent("wasmkiln"),
                                                    withDestinationURL: try CommandRunner.executable())
        try? FileManager.default.createSymbolicLink(at: scratch.url.appendingPathComponent("Fixtures"),
                                                    withDestinationURL: CommandRunner.fixtures)
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = bin.path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        environment["WASMKILN_CACHE"] = ToolchainTesting.cache.path
        let terminal = block.marker == "on a terminal, lines vary"
        for (command, expected) in commands(of: block) {
            var typed = command.replacingOccurrences(of: "swift run -c release wasmkiln", with: "wasmkiln")
            if terminal { typed = "script -qec '\(typed.replacingOccurrences(of: "'", with: "'\\''"))' /dev/null" }
            let result = try CommandRunner.runUnblocked(["bash", "-c", "cd \"$0\" && { \(typed)\n} 2>&1", scratch.url.path],
                                                        environment: environment, timeout: 600)
            // A terminal ends lines with "\r\n", which Swift takes as one character.
            let output = terminal ? result.stdout.replacingOccurrences(of: "\r\n", with: "\n") : result.stdout
            let printed = (output.isEmpty ? []
                : output.components(separatedBy: "\n").dropLast(output.hasSuffix("\n") ? 1 : 0))
                .map { terminal ? visible($0) : $0 }
            let context = "README.md:\(block.line): \(command)\n\(result.stdout)"
            switch block.marker {
            case nil where block.language == "sh":
                #expect(result.status == 0, "\(context)")
            case nil:
                #expect(Array(printed) == expected, "\(context)")
            case "numbers vary":
                #expect(printed.map(shape) == expected.map(shape), "\(context)")
            case "lines vary", "on a terminal, lines vary":
                let shapes = Set(expected.map(shape))
                #expect(printed.isEmpty == expected.isEmpty && printed.allSatisfy { shapes.contains(shape($0)) },
                        "\(context)")
            default:
                Issue.record("README.md:\(block.line): unknown marker '\(block.marker ?? "")'")
            }
        }
    }

    @Test("every sh and console block of the README runs and prints what it shows")
    func everyBlockRuns() throws {
        let blocks = try Self.blocks()
        #expect(blocks.count > 10)
        let testSources = try FileManager.default.subpathsOfDirectory(atPath: Self.repository.appendingPathComponent("Tests").path)
            .filter { $0.hasSuffix(".swift") }
            .map { try String(contentsOf: Self.repository.appendingPathComponent("Tests/\($0)"), encoding: .utf8) }
            .joined()
        for block in blocks {
            if let marker = block.marker, marker.hasPrefix("tested by ") {
                let name = marker.dropFirst("tested by ".count)
                #expect(testSources.contains("func \(name)("), "README.md:\(block.line): no test named \(name)")
            } else if let marker = block.marker, marker.hasPrefix("not run: ") {
                #expect(marker.count > "not run: ".count + 10, "README.md:\(block.line): say why")
            } else {
                let scratch = try ScratchFolder()
                try Self.run(block, in: scratch)
            }
        }
    }

    /// The Install section's command, into a scratch prefix: a release build with the Swift
    /// standard library linked in, which then runs the Getting started example.
    @Test("Scripts/install builds a tool without Swift's shared libraries that runs the first example",
          .timeLimit(.minutes(30)))
    func installedToolRunsTheFirstExample() throws {
        let blocks = try Self.blocks()
        let install = try #require(blocks.first { $0.body.hasPrefix("Scripts/install") })
        let scratch = try ScratchFolder()
        let prefix = scratch.url.appendingPathComponent("prefix").path
        let command = try #require(Self.commands(of: install).first).command.replacingOccurrences(of: "~/.local", with: prefix)
        let installed = try CommandRunner.run(["-c", "cd \"$0\" && \(command)", Self.repository.path],
                                              executable: URL(fileURLWithPath: "/bin/bash"))
        #expect(installed.status == 0, "\(installed.stdout)\(installed.stderr)")
        #expect(installed.stdout.contains("installed \(prefix)/bin/wasmkiln (wasmkiln "), "\(installed.stdout)")
        // The CMake package beside it (CMakeTests runs it from this layout).
        #expect(FileManager.default.fileExists(atPath: "\(prefix)/lib/cmake/WasmKiln/WasmKilnConfig.cmake"))

        let tool = "\(prefix)/bin/wasmkiln"
        let libraries = try CommandRunner.run(["ldd", tool], executable: URL(fileURLWithPath: "/usr/bin/env"))
        #expect(libraries.status == 0)
        #expect(!libraries.stdout.contains("libswift") && !libraries.stdout.contains("libFoundation"), "\(libraries.stdout)")

        // Getting started: its command with the installed tool, and the output it names.
        let first = try #require(blocks.first { $0.body.hasPrefix("swift run -c release wasmkiln run") })
        #expect(first.marker == "tested by installedToolRunsTheFirstExample")
        let arguments = try #require(Self.commands(of: first).first).command
            .replacingOccurrences(of: "swift run -c release wasmkiln", with: tool)
        var environment = ProcessInfo.processInfo.environment
        environment["WASMKILN_CACHE"] = ToolchainTesting.cache.path
        let result = try CommandRunner.run(["-c", "cd \"$0\" && \(arguments)", Self.repository.path],
                                           executable: URL(fileURLWithPath: "/bin/bash"), environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        // "It prints `i32 832040` and `i64 …`" says the README after it.
        let readme = try String(contentsOf: Self.repository.appendingPathComponent("README.md"), encoding: .utf8)
        let said = try #require(readme.firstMatch(of: /It prints `([^`]+)` and `([^`]+)`/))
        #expect(result.stdout == "\(said.1)\n\(said.2)\n")
    }
}
