import Foundation
import Testing

#if canImport(FoundationXML)
import FoundationXML
@testable import TestSupport
#endif

/// Memory limits and reports of commands: `run --max-memory`, `--memory-stats`,
/// `--memory-trace`, `--memory-plot`, and the same through a built executable.
/// `Fixtures/memory/pattern.wat` grows in a known pattern: 2 pages initially (maximum
/// 40), `small` (func 1) adds 1 page five times, `large` (func 2) 3 pages twice, then
/// `small` one page at a time until memory.grow fails; the exit status is the number of
/// pages that last loop added.
@Suite struct MemoryStatsTests {
    static let pattern = ToolchainTesting.fixture("memory/pattern.wat")

    /// Runs the pattern with `options`; the JSON report and the exit status.
    func runPattern(_ options: [String], in scratch: borrowing ScratchFolder) throws -> (json: [String: Any], status: Int32) {
        let report = scratch.url.appendingPathComponent("stats.json").path
        let result = try ToolchainTesting.wasmkiln(["run"] + options + [Self.pattern],
                                                   environment: ["WASMKILN_MEMORY_STATS": "json:\(report)"])
        #expect(result.exited, "\(result.stderr)")
        let data = try Data(contentsOf: URL(fileURLWithPath: report))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return (json, result.status)
    }

    func number(_ value: Any?) -> Int? { (value as? NSNumber)?.intValue }

    @Test("the known growth pattern: grow count, peak, failures and per-site counts")
    func knownPattern() throws {
        let scratch = try ScratchFolder()
        let (json, status) = try runPattern([], in: scratch)
        #expect(status == 27) // 2 + 5 + 6 = 13 pages, then 27 more to the maximum of 40
        #expect(number(json["initial_pages"]) == 2)
        #expect(number(json["peak_pages"]) == 40)
        #expect(number(json["current_pages"]) == 40)
        #expect(number(json["max_pages"]) == 40)
        #expect(json["cap_pages"] is NSNull)
        #expect(number(json["grow_calls"]) == 35)
        #expect(number(json["grows"]) == 34)
        let failures = try #require(json["failures"] as? [String: Any])
        #expect(number(failures["maximum"]) == 1 && number(failures["cap"]) == 0)
        let sites = try #require(json["sites"] as? [[String: Any]])
        #expect(sites.count == 2)
        #expect(number(sites.first?["function"]) == 1 && sites.first?["name"] as? String == "func 1 (small)")
        #expect(number(sites.first?["calls"]) == 33 && number(sites.first?["grows"]) == 32 && number(sites.first?["pages"]) == 32)
        #expect(number(sites.last?["function"]) == 2 && number(sites.last?["calls"]) == 2 && number(sites.last?["pages"]) == 6)
        let events = try #require(json["events"] as? [[String: Any]])
        #expect(events.count == 34)
        #expect(number(events.first?["old_pages"]) == 2 && number(events.first?["new_pages"]) == 3)
    }

    /// Multi-memory: a report per memory, by index and name; the second memory's trace in
    /// a file of its own.
    @Test("a module with two memories gets a report on each")
    func twoMemories() throws {
        let scratch = try ScratchFolder()
        let report = scratch.url.appendingPathComponent("stats.json").path
        let trace = scratch.url.appendingPathComponent("trace.csv").path
        let result = try ToolchainTesting.wasmkiln(
            ["run", ToolchainTesting.fixture("memory/two-memories.wat")],
            environment: ["WASMKILN_MEMORY_STATS": "json:\(report)", "WASMKILN_MEMORY_TRACE": trace])
        #expect(result.exited && result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "hello from memory 0\nand memory 1\n")
        let data = try Data(contentsOf: URL(fileURLWithPath: report))
        let memories = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        #expect(memories.count == 2)
        #expect(number(memories.first?["memory"]) == 0 && memories.first?["name"] as? String == "main")
        #expect(number(memories.last?["memory"]) == 1 && memories.last?["name"] as? String == "scratch")
        let first = try #require(memories.first?["report"] as? [String: Any])
        let second = try #require(memories.last?["report"] as? [String: Any])
        #expect(number(first["peak_pages"]) == 1 && number(first["grows"]) == 0)
        #expect(number(second["peak_pages"]) == 10 && number(second["grows"]) == 1 && number(second["max_pages"]) == 100)
        let secondTrace = scratch.url.appendingPathComponent("trace.memory1.csv").path
        let lines = try String(contentsOfFile: secondTrace, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2, "a header and one grow: \(lines)")
        #expect(FileManager.default.fileExists(atPath: trace))
    }

    @Test("--max-memory is honoured to the page, and the failure counted as the cap's")
    func capToThePage() throws {
        let scratch = try ScratchFolder()
        // 1 MiB is 16 pages: 13 before the loop, so it adds 3.
        let (json, status) = try runPattern(["--max-memory", "1MiB"], in: scratch)
        #expect(status == 3)
        #expect(number(json["current_pages"]) == 16)
        #expect(number(json["cap_pages"]) == 16)
        let failures = try #require(json["failures"] as? [String: Any])
        #expect(number(failures["cap"]) == 1 && number(failures["maximum"]) == 0)
    }

    @Test("a built executable takes --wasmkiln-max-memory at run time, and reports through the environment")
    func executable() throws {
        let scratch = try ScratchFolder()
        let program = scratch.url.appendingPathComponent("pattern").path
        let build = try ToolchainTesting.wasmkiln(["build", Self.pattern, "-o", program, "--max-memory", "1MiB"])
        try #require(build.status == 0, "\(build.stderr)")
        let built = try CommandRunner.run([], executable: URL(fileURLWithPath: program),
                                          environment: ["WASMKILN_MEMORY_STATS": "text"])
        #expect(built.status == 3)
        #expect(built.stderr.contains("memory: 128.0 KiB initial -> 1.0 MiB peak"), "\(built.stderr)")
        let widened = try CommandRunner.run(["--wasmkiln-max-memory=2MiB", "--"], executable: URL(fileURLWithPath: program),
                                            environment: [:])
        #expect(widened.status == 19) // 32 pages
        #expect(widened.stderr.isEmpty, "\(widened.stderr)")
        let wrong = try CommandRunner.run(["--wasmkiln-max-memory=lots", "--"], executable: URL(fileURLWithPath: program))
        #expect(wrong.status == 1 && wrong.stderr.contains("expected a size"), "\(wrong.stderr)")
        let partial = try CommandRunner.run(["--wasmkiln-max-memory=100000", "--"], executable: URL(fileURLWithPath: program))
        #expect(partial.status == 1 && partial.stderr.contains("=100000: expected a size in whole 64 KiB pages"), "\(partial.stderr)")
    }

    @Test("--memory-stats prints a summary; --memory-trace and --memory-plot write CSV and SVG")
    func reports() throws {
        let scratch = try ScratchFolder()
        let trace = scratch.url.appendingPathComponent("grows.csv").path
        let plot = scratch.url.appendingPathComponent("size.svg").path
        let result = try ToolchainTesting.wasmkiln(["run", "--memory-stats", "--memory-trace", trace, "--memory-plot", plot,
                                                    Self.pattern])
        #expect(result.status == 27)
        for line in ["memory: 128.0 KiB initial -> 2.5 MiB peak", "grows: 34 of 35 calls", "failed: 1 (maximum 1)",
                     "top grow sites: func 1 (small) 32 grows of 33 calls, +2.0 MiB; func 2 (large) 2 grows, +384.0 KiB"] {
            #expect(result.stderr.contains(line), "\(line) not in:\n\(result.stderr)")
        }

        let csv = try String(contentsOfFile: trace, encoding: .utf8).split(separator: "\n")
        #expect(csv.first == "time_seconds,old_pages,new_pages,old_bytes,new_bytes,function,name")
        #expect(csv.count == 35)
        #expect(csv.dropFirst().first?.hasSuffix(",2,3,131072,196608,1,\"func 1 (small)\"") == true, "\(csv.dropFirst().first ?? "")")

        let svg = try Data(contentsOf: URL(fileURLWithPath: plot))
        let reader = PolylineReader()
        let parser = XMLParser(data: svg)
        parser.delegate = reader
        #expect(parser.parse(), "the SVG is not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "")")
        #expect(reader.root == "svg")
        #expect(reader.sizePoints == 2 + 2 * 34)

        // The format as the option's next word, as the help shows it.
        let json = try ToolchainTesting.wasmkiln(["run", "--memory-stats", "json", Self.pattern])
        #expect(json.status == 27)
        #expect(json.stderr.contains("\"peak_pages\""), "\(json.stderr)")
    }

    /// The element names and the number of points of the `size` polyline in an SVG.
    final class PolylineReader: NSObject, XMLParserDelegate {
        var root: String?
        var sizePoints: Int?

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:])
        {
            if root == nil { root = name }
            if name == "polyline", attributes["class"] == "size", let points = attributes["points"] {
                sizePoints = points.split(whereSeparator: \.isWhitespace).count
            }
        }
    }
}
