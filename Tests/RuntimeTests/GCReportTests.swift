import Foundation
import Testing
#if canImport(FoundationXML)
import FoundationXML
#endif

/// `wk_gc_report`: `C/gc_report_test.c` builds a GC heap with a known history (3
/// collections, 12001 allocations, a 1 MiB cap), checks each report against the
/// statistics in C, and writes them, with those of a heap that never collected, for
/// these tests to parse.
@Suite struct GCReportTests {
    struct Reports: Sendable {
        var run: ProcessResult
        var text: String
        var json: Data
        var csv: String
        var svg: Data
        var idleText: String
        var idleJSON: Data
        var idleSVG: Data
    }

    static let reports: Result<Reports, any Error> = Result {
        let folder = try makeScratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let names = ["gc.txt", "gc.json", "gc.csv", "gc.svg", "idle.txt", "idle.json", "idle.svg"]
        let paths = names.map { folder.appendingPathComponent($0).path }
        let run = try CProgram.run("gc_report_test", arguments: paths)
        func data(_ index: Int) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: paths[index])) }
        func text(_ index: Int) throws -> String {
            guard let text = String(data: try data(index), encoding: .utf8) else {
                throw CompileError(description: "\(names[index]) is not UTF-8")
            }
            return text
        }
        return Reports(run: run, text: try text(0), json: try data(1), csv: try text(2), svg: try data(3),
                       idleText: try text(4), idleJSON: try data(5), idleSVG: try data(6))
    }

    static let collections = 3

    @Test func cChecksPass() throws {
        try Self.reports.get().run.expectPassed(
            ["stats", "reports", "report failures", "reports written", "idle heap", "many collections"])
    }

    @Test func jsonHasEveryField() throws {
        let raw = try Self.reports.get().json
        let json = try #require(try JSONSerialization.jsonObject(with: raw) as? [String: Any])
        #expect(Set(json.keys) == [
            "heap_bytes", "peak_heap_bytes", "live_bytes", "peak_live_bytes", "allocated_bytes", "allocations",
            "collections", "pause_total_seconds", "pause_max_seconds", "cap_bytes", "elapsed_seconds", "events",
        ])
        #expect(json["collections"] as? Int == Self.collections)
        #expect(json["allocations"] as? Int == 12001)
        #expect(json["cap_bytes"] as? Int == 1 << 20)
        let heap = try #require(json["heap_bytes"] as? Int)
        let peak = try #require(json["peak_heap_bytes"] as? Int)
        let live = try #require(json["live_bytes"] as? Int)
        #expect(heap > 0 && heap <= peak && live <= peak)
        #expect(json["peak_live_bytes"] as? Int == live)
        #expect(try #require(json["allocated_bytes"] as? Int) >= 12001 * 64)

        let elapsed = try #require(json["elapsed_seconds"] as? Double)
        let pauseTotal = try #require(json["pause_total_seconds"] as? Double)
        let pauseMax = try #require(json["pause_max_seconds"] as? Double)
        #expect(elapsed >= 0.03 && elapsed < 60)
        #expect(pauseMax <= pauseTotal && pauseTotal < elapsed)

        let events = try #require(json["events"] as? [[String: Any]])
        #expect(events.count == Self.collections)
        var previous = 0.0
        var previousHeap = 0
        var pauses = 0.0
        for event in events {
            #expect(Set(event.keys) == ["time_seconds", "heap_before_bytes", "heap_bytes", "live_bytes", "pause_seconds"])
            let time = try #require(event["time_seconds"] as? Double)
            #expect(time > previous && time <= elapsed)
            previous = time
            #expect(event["live_bytes"] as? Int == live)
            let heapBefore = try #require(event["heap_before_bytes"] as? Int)
            let heapAfter = try #require(event["heap_bytes"] as? Int)
            #expect(heapAfter <= peak && heapBefore <= peak)
            #expect(heapBefore >= heapAfter, "a collection only frees")
            #expect(heapBefore >= previousHeap, "the heap only grows between collections")
            previousHeap = heapAfter
            let pause = try #require(event["pause_seconds"] as? Double)
            #expect(pause <= pauseMax)
            pauses += pause
        }
        #expect(abs(pauses - pauseTotal) < 0.000_002 * Double(Self.collections))

        // Seconds with exactly 6 decimals, whatever the locale; a final newline.
        let text = try #require(String(data: raw, encoding: .utf8))
        #expect(text.hasSuffix("}\n"))
        let seconds = try NSRegularExpression(pattern: #""[a-z_]*seconds": ([^,}\n]*)"#)
        let matches = seconds.matches(in: text, range: NSRange(text.startIndex..., in: text))
        #expect(matches.count == 3 + 2 * Self.collections)
        for match in matches {
            let number = String(text[Range(match.range(at: 1), in: text)!])
            #expect(number.range(of: #"^[0-9]+\.[0-9]{6}$"#, options: .regularExpression) != nil, "\(number)")
        }
    }

    @Test func csvMatchesTheJSONEvents() throws {
        let reports = try Self.reports.get()
        let json = try #require(try JSONSerialization.jsonObject(with: reports.json) as? [String: Any])
        let events = try #require(json["events"] as? [[String: Any]])
        #expect(reports.csv.hasSuffix("\n"))
        let lines = reports.csv.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        #expect(lines.count == 1 + Self.collections)
        #expect(lines.first == "time_seconds,heap_before_bytes,heap_bytes,live_bytes,pause_seconds")
        for (line, event) in zip(lines.dropFirst(), events) {
            let fields = parseCSVLine(line)
            #expect(fields.count == 5, "\(line)")
            guard fields.count == 5 else { continue }
            #expect(Double(fields[0]) == event["time_seconds"] as? Double)
            #expect(Int(fields[1]) == event["heap_before_bytes"] as? Int)
            #expect(Int(fields[2]) == event["heap_bytes"] as? Int)
            #expect(Int(fields[3]) == event["live_bytes"] as? Int)
            #expect(Double(fields[4]) == event["pause_seconds"] as? Double)
            if let before = Int(fields[1]), let after = Int(fields[2]) {
                #expect(before >= after, "a collection only frees: \(line)")
            }
        }
    }

    /// The SVG's polylines as lists of (x, y).
    static func points(_ polyline: [String: String]) -> [[Double]] {
        (polyline["points"] ?? "").split(separator: " ").map { pair in pair.split(separator: ",").compactMap { Double($0) } }
    }

    @Test func svgIsWellFormedWithHeapAndLiveLines() throws {
        let collector = SVGCollector()
        let parser = XMLParser(data: try Self.reports.get().svg)
        parser.delegate = collector
        #expect(parser.parse(), "\(String(describing: parser.parserError))")
        #expect(collector.root == "svg")
        #expect(collector.rootAttributes["viewBox"] == "0 0 720 360")
        #expect(!collector.sawScriptOrLink)

        #expect(collector.polylines.map { $0["class"] } == ["heap", "live"])
        guard collector.polylines.count == 2 else { return }
        // The heap, a sawtooth: from (0 s, 0) through the start and the end of each
        // collection to the elapsed time.
        let heap = Self.points(collector.polylines[0])
        #expect(heap.count == 2 + 2 * Self.collections)
        guard heap.count == 2 + 2 * Self.collections, heap.allSatisfy({ $0.count == 2 }) else { return }
        #expect(heap.first == [72, 296] && heap.last?[0] == 700)
        #expect(zip(heap, heap.dropFirst()).allSatisfy { $0[0] <= $1[0] }, "x never decreases")
        #expect(heap[1][0] > heap[0][0], "the first collection comes after 15 ms")
        #expect(heap.allSatisfy { $0[1] >= 44 && $0[1] <= 296 })
        for k in 0..<Self.collections {
            // y grows downwards: no higher after a collection than before it.
            #expect(heap[1 + 2 * k][1] <= heap[2 + 2 * k][1], "a collection only frees")
        }
        // Live bytes: steps, flat from each collection to the next (all equal here).
        let live = Self.points(collector.polylines[1])
        #expect(live.count == 2 * Self.collections)
        #expect(live.allSatisfy { $0.count == 2 && $0[1] == live[0][1] })
        #expect(live.last?[0] == 700)
        for k in stride(from: 1, to: live.count - 1, by: 2) {
            #expect(live[k][0] == live[k + 1][0], "a step ends where the next collection is")
        }
        for k in 0..<Self.collections {
            #expect(live[2 * k][0] == heap[2 + 2 * k][0], "the live and heap lines share the collections' times")
        }

        #expect(collector.lineClasses.contains("cap"))
        #expect(collector.texts.contains("cap 1.0 MiB"))
        let title = try #require(collector.texts.first)
        #expect(title.range(of: #"^WasmKiln GC heap: peak [0-9]+\.[0-9] KiB, 3 collections$"#,
                            options: .regularExpression) != nil, "\(title)")
        #expect(collector.texts.contains("time (s)") && collector.texts.contains("size (MiB)"))
        #expect(collector.texts.contains { $0.range(of: #"^12001 allocations, [0-9.]+ KiB allocated; pauses [0-9]+\.[0-9]{3} ms in all, [0-9]+\.[0-9]{3} ms at most$"#, options: .regularExpression) != nil })
    }

    @Test func textHasThreeLinesAndASparkline() throws {
        let text = try Self.reports.get().text
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(text)")
        guard lines.count == 3 else { return }
        #expect(lines[0].range(of: #"^gc heap: peak [0-9.]+ KiB \(final [0-9.]+ KiB\); live [0-9.]+ KiB after the last collection, peak live [0-9.]+ KiB; cap 1\.0 MiB$"#,
                               options: .regularExpression) != nil, "\(lines[0])")
        #expect(lines[1].range(of: #"^collections: 3 \(pauses [0-9]+\.[0-9]{3} ms in all, [0-9]+\.[0-9]{3} ms at most\); allocated [0-9.]+ KiB in 12001 objects over [0-9]+\.[0-9]{3} s$"#,
                               options: .regularExpression) != nil, "\(lines[1])")
        #expect(lines[2].hasPrefix("heap "))
        let blocks = Array("▁▂▃▄▅▆▇█")
        let levels = lines[2].dropFirst(5).compactMap { blocks.firstIndex(of: $0) }
        #expect(levels.count == 40 && lines[2].count == 45)
        #expect(levels.first == 0, "nothing recorded before the first collection")
        #expect(levels.contains { $0 > 0 })
    }

    @Test func reportsOnAHeapThatNeverCollected() throws {
        let reports = try Self.reports.get()
        let lines = reports.idleText.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines.first == "gc heap: peak 0 B (final 0 B); no collection yet")
        #expect(lines.last == "heap: no collection")
        let json = try #require(try JSONSerialization.jsonObject(with: reports.idleJSON) as? [String: Any])
        #expect(json["cap_bytes"] is NSNull)
        #expect(json["collections"] as? Int == 0)
        #expect((json["events"] as? [Any])?.isEmpty == true)
        let collector = SVGCollector()
        let parser = XMLParser(data: reports.idleSVG)
        parser.delegate = collector
        #expect(parser.parse(), "\(String(describing: parser.parserError))")
        #expect(collector.polylines.map { $0["class"] } == ["heap"])
        #expect(collector.polylines.first.map(Self.points)?.count == 2)
        #expect(!collector.lineClasses.contains("cap"))
    }
}
