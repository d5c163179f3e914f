import Foundation
import Testing
import WAT
@testable import TestSupport

@Suite struct InspectCommandTests {
    let fib = CommandRunner.fixtures.appendingPathComponent("fib.wat").path

    /// A module with one of everything `inspect` lists.
    static let kitchenSink = """
        (module $sink
          (import "env" "log" (func $log (param i32)))
          (import "env" "memory" (memory 2))
          (import "env" "counter" (global (mut i64)))
          (table $t 3 10 funcref)
          (tag $oops (param i32))
          (elem (i32.const 0) $small $big)
          (data (i32.const 8) "hi")
          (func $small)
          (func $big (param $x i32) (result i32)
            (i32.add (i32.mul (local.get $x) (local.get $x)) (i32.const 7)))
          (export "big" (func $big))
          (start $small))
        """

    @Test func textSummary() throws {
        let result = try CommandRunner.run(["inspect", fib])
        #expect(result.exited)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty)
        let text = result.stdout
        #expect(text.hasPrefix("\(fib): "))
        #expect(text.contains("module \"fib\""))
        #expect(text.contains("Sections ("))
        #expect(text.contains("Exports (4)"))
        #expect(text.contains("1..16 pages (0.06..1 MiB)"))
        #expect(text.contains("Functions  2 (0 imported, 2 defined)"))
        #expect(text.contains("Imports: none"))
        let largest = try #require(text.components(separatedBy: "Largest functions\n").last)
        let rows = largest.split(separator: "\n").dropFirst()  // the header
        #expect(rows.count == 2)
        #expect(rows.allSatisfy { $0.hasSuffix("fib_recursive") || $0.hasSuffix("fib_iterative") })
    }

    @Test func jsonSummary() throws {
        let scratch = try ScratchFolder()
        let bytes = try wat2wasm(Self.kitchenSink, options: EncodeOptions(nameSection: true))
        let path = try scratch.write("sink.wasm", bytes)
        let result = try CommandRunner.run(["inspect", "--json", path])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])

        #expect(json["file"] as? String == path)
        #expect(json["size"] as? Int == bytes.count)
        #expect(json["moduleName"] as? String == "sink")
        #expect((json["functions"] as? [String: Int]) == ["imported": 1, "defined": 2])
        #expect((json["globals"] as? [String: Int]) == ["imported": 1, "defined": 0])
        #expect((json["tags"] as? [String: Int]) == ["imported": 0, "defined": 1])
        #expect(json["dataSegments"] as? Int == 1)
        #expect(json["elementSegments"] as? Int == 1)
        #expect(json["startFunction"] as? Int == 1)

        let imports = try #require(json["imports"] as? [[String: String]])
        #expect(imports.map { "\($0["module"]!).\($0["name"]!) \($0["kind"]!) \($0["type"]!)" } == [
            "env.log func [i32] -> []", "env.memory memory 2.. pages", "env.counter global mut i64",
        ])
        let exports = try #require(json["exports"] as? [[String: Any]])
        #expect(exports.count == 1)
        #expect(exports.first?["name"] as? String == "big")
        #expect(exports.first?["index"] as? Int == 2)

        let memory = try #require((json["memories"] as? [[String: Any]])?.first)
        #expect(memory["imported"] as? Bool == true)
        #expect(memory["minPages"] as? Int == 2)
        #expect(memory["minMiB"] as? Double == 0.125)
        #expect(memory["maxPages"] == nil)
        let table = try #require((json["tables"] as? [[String: Any]])?.first)
        #expect(table["min"] as? Int == 3 && table["max"] as? Int == 10)

        let sections = try #require(json["sections"] as? [[String: Any]])
        let code = try #require(sections.first { $0["name"] as? String == "code" })
        #expect(code["entries"] as? Int == 2)
        #expect(sections.reduce(0) { $0 + ($1["size"] as? Int ?? 0) } < bytes.count)

        let largest = try #require(json["largestFunctions"] as? [[String: Any]])
        #expect(largest.map { $0["name"] as? String } == ["big", "small"])
        #expect(largest.map { $0["index"] as? Int } == [2, 1])
        // $small is one byte of locals and its `end`.
        #expect(largest.last?["bodySize"] as? Int == 2)
    }

    @Test func jsonKeysAreSorted() throws {
        let result = try CommandRunner.run(["inspect", "--json", fib])
        #expect(result.status == 0)
        let topLevelKeys = result.stdout.split(separator: "\n")
            .filter { $0.hasPrefix("  \"") }
            .map { $0.dropFirst(3).prefix { $0 != "\"" } }
        #expect(topLevelKeys.count > 10)
        #expect(topLevelKeys == topLevelKeys.sorted())
    }

    @Test func malformedAndMissingInputs() throws {
        let scratch = try ScratchFolder()
        let truncated = try scratch.write("truncated.wasm", [0x00, 0x61, 0x73])
        let result = try CommandRunner.run(["inspect", truncated])
        #expect(result.exited)
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderrLines == ["\(truncated): offset 0x0: unexpected end"])

        let missing = try CommandRunner.run(["inspect", "--json", scratch.url.appendingPathComponent("gone.wasm").path])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("cannot read file"))
    }
}
