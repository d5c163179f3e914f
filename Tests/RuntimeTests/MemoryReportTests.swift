import Foundation
import Testing
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Memory statistics and `wk_memory_report`: `C/memory_report_test.c` grows a memory from
/// several sites, checks the statistics exactly and writes the four reports, whose
/// content these tests check.
@Suite struct MemoryReportTests {
    /// What the C program wrote, read once for all the tests.
    struct Reports: Sendable {
        var run: ProcessResult
        var text: String
        var json: Data
        var csv: String
        var svg: Data
        var idleText: String
        var idleJSON: Data
    }

    static let reports: Result<Reports, any Error> = Result {
        let folder = try makeScratchFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let names = ["report.txt", "report.json", "report.csv", "report.svg", "idle.txt", "idle.json"]
        let paths = names.map { folder.appendingPathComponent($0).path }
        let run = try CProgram.run("memory_report_test", arguments: paths)
        func data(_ index: Int) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: paths[index])) }
        func text(_ index: Int) throws -> String {
            guard let text = String(data: try data(index), encoding: .utf8) else {
                throw CompileError(description: "\(names[index]) is not UTF-8")
            }
            return text
        }
        return Reports(run: run, text: try text(0), json: try data(1), csv: try text(2), svg: try data(3),
                       idleText: try text(4), idleJSON: try data(5))
    }

    /// The name the fake module gives function 3, as it reads back from JSON: the control
    /// byte and the byte that is not UTF-8 come back as U+0001 and U+00FF.
    static let oddName = "func 3 (say \"hi\" \\ \u{01} <&> é \u{FF})"
    /// The same in the text, CSV and SVG reports, where such bytes are written as \xNN.
    static let oddDisplayName = #"func 3 (say "hi" \ \x01 <&> é \xff)"#

    /// (old pages, new pages, function or nil for the host, name) of each grow event.
    static let events: [(UInt32, UInt32, Int?, String)] = [
        (2, 3, 12, "func 12 (sbrk)"), (3, 7, 12, "func 12 (sbrk)"), (7, 9, nil, "host"),
        (9, 11, 7, "func 7"), (11, 20, 3, oddName),
    ]

    @Test func statisticsAreExact() throws {
        try Self.reports.get().run.expectPassed(
            ["grows", "stats counts", "stats sites", "stats events", "report names", "report failures",
             "reports written", "idle memory"])
    }

    @Test func jsonHasEveryField() throws {
        let json = try #require(try JSONSerialization.jsonObject(with: Self.reports.get().json) as? [String: Any])
        let integers: [String: Int] = [
            "initial_pages": 2, "current_pages": 20, "peak_pages": 20, "max_pages": 40, "cap_pages": 20,
            "page_size": 65536, "grow_calls": 11, "grows": 5, "committed_bytes": 40 * 65536,
            "reserved_bytes": 40 * 65536,
        ]
        for (key, value) in integers {
            #expect(json[key] as? Int == value, "\(key): \(String(describing: json[key]))")
        }
        let failures = try #require(json["failures"] as? [String: Int])
        #expect(failures == ["maximum": 2, "cap": 2, "policy": 1, "system": 0])

        let elapsed = try #require(json["elapsed_seconds"] as? Double)
        let last = try #require(json["last_grow_seconds"] as? Double)
        let stable = try #require(json["stable_seconds"] as? Double)
        #expect(elapsed >= 0.05 && elapsed < 60)
        #expect(last >= 0.03 && last < elapsed)
        #expect(stable >= 0.015)
        #expect(abs(last + stable - elapsed) < 0.000_002)

        let sites = try #require(json["sites"] as? [[String: Any]])
        #expect(sites.count == 4)
        let expectedSites: [(Int?, String, Int, Int, Int)] = [
            (3, Self.oddName, 3, 1, 9), (12, "func 12 (sbrk)", 4, 2, 5), (7, "func 7", 2, 1, 2), (nil, "host", 2, 1, 2),
        ]
        for (site, expected) in zip(sites, expectedSites) {
            if let function = expected.0 {
                #expect(site["function"] as? Int == function)
            } else {
                #expect(site["function"] is NSNull)
            }
            #expect(site["name"] as? String == expected.1)
            #expect(site["calls"] as? Int == expected.2)
            #expect(site["grows"] as? Int == expected.3)
            #expect(site["pages"] as? Int == expected.4)
        }

        let events = try #require(json["events"] as? [[String: Any]])
        #expect(events.count == Self.events.count)
        var previous = 0.0
        for (event, expected) in zip(events, Self.events) {
            let time = try #require(event["time_seconds"] as? Double)
            #expect(time >= previous && time <= last)
            previous = time
            #expect(event["old_pages"] as? Int == Int(expected.0))
            #expect(event["new_pages"] as? Int == Int(expected.1))
            if let function = expected.2 {
                #expect(event["function"] as? Int == function)
            } else {
                #expect(event["function"] is NSNull)
            }
            #expect(event["name"] as? String == expected.3)
        }
        #expect(previous == last)
    }

    /// Seconds with exactly 6 decimals, the control byte as \u0001, the stray byte as
    /// \u00ff, and a final newline.
    @Test func jsonNumbersAndEscapes() throws {
        let raw = try #require(String(data: try Self.reports.get().json, encoding: .utf8))
        #expect(raw.hasSuffix("}\n"))
        #expect(raw.contains(#""name": "func 3 (say \"hi\" \\ \u0001 <&> é \u00ff)""#))
        let seconds = try NSRegularExpression(pattern: #""(time|elapsed|last_grow|stable)_seconds": ([0-9.]+)"#)
        let matches = seconds.matches(in: raw, range: NSRange(raw.startIndex..., in: raw))
        #expect(matches.count == 3 + Self.events.count)
        for match in matches {
            let number = String(raw[Range(match.range(at: 2), in: raw)!])
            #expect(number.range(of: #"^[0-9]+\.[0-9]{6}$"#, options: .regularExpression) != nil, "\(number)")
        }
    }

    @Test func jsonForAMemoryThatNeverGrew() throws {
        let json = try #require(try JSONSerialization.jsonObject(with: Self.reports.get().idleJSON) as? [String: Any])
        #expect(json["cap_pages"] is NSNull)
        #expect(json["last_grow_seconds"] is NSNull)
        #expect(json["stable_seconds"] as? Double == json["elapsed_seconds"] as? Double)
        #expect(json["max_pages"] as? Int == 65536)
        #expect(json["grow_calls"] as? Int == 0)
        #expect((json["sites"] as? [Any])?.isEmpty == true)
        #expect((json["events"] as? [Any])?.isEmpty == true)
    }

    @Test func csvHasOneLinePerEvent() throws {
        let csv = try Self.reports.get().csv
        #expect(csv.hasSuffix("\n"))
        let lines = csv.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        #expect(lines.count == 1 + Self.events.count)
        #expect(lines.first == "time_seconds,old_pages,new_pages,old_bytes,new_bytes,function,name")
        #expect(lines.last?.hasSuffix(#","func 3 (say ""hi"" \ \x01 <&> é \xff)""#) == true)
        for (line, expected) in zip(lines.dropFirst(), Self.events) {
            let fields = parseCSVLine(line)
            #expect(fields.count == 7, "\(line)")
            guard fields.count == 7 else { continue }
            #expect(fields[0].range(of: #"^[0-9]+\.[0-9]{6}$"#, options: .regularExpression) != nil)
            #expect(fields[1] == "\(expected.0)" && fields[2] == "\(expected.1)")
            #expect(fields[3] == "\(Int(expected.0) * 65536)" && fields[4] == "\(Int(expected.1) * 65536)")
            #expect(fields[5] == (expected.2.map(String.init) ?? ""))
            #expect(fields[6] == (expected.2 == 3 ? Self.oddDisplayName : expected.3))
        }
    }

    @Test func svgIsWellFormedWithOneStepPolyline() throws {
        let svg = try Self.reports.get().svg
        let collector = SVGCollector()
        let parser = XMLParser(data: svg)
        parser.delegate = collector
        #expect(parser.parse(), "\(String(describing: parser.parserError))")
        #expect(collector.root == "svg")
        #expect(collector.rootAttributes["xmlns"] == "http://www.w3.org/2000/svg")
        #expect(collector.rootAttributes["viewBox"] == "0 0 720 360")

        // The size: one polyline of 2 + 2 * events points, a step shape.
        #expect(collector.polylines.count == 1)
        let polyline = try #require(collector.polylines.first)
        #expect(polyline["class"] == "size")
        let points = (polyline["points"] ?? "").split(separator: " ").map { pair in
            pair.split(separator: ",").compactMap { Double($0) }
        }
        #expect(points.count == 2 + 2 * Self.events.count)
        #expect(points.allSatisfy { $0.count == 2 })
        for k in stride(from: 1, to: points.count - 1, by: 2) {
            #expect(points[k][0] == points[k + 1][0], "an event's two points share their time")
        }
        for k in stride(from: 0, to: points.count - 1, by: 2) {
            #expect(points[k][1] == points[k + 1][1], "flat between events")
        }
        #expect(points.first?[0] == 72 && points.last?[0] == 700)

        // The cap (20 pages) and the declared maximum (40, within 4x of the peak).
        #expect(collector.lineClasses.contains("cap") && collector.lineClasses.contains("max"))
        #expect(collector.texts.contains("cap 1.3 MiB"))
        #expect(collector.texts.contains("declared max 2.5 MiB"))
        #expect(collector.texts.contains("WasmKiln memory: 128.0 KiB -> 1.3 MiB in 5 grows"))
        #expect(collector.texts.contains("time (s)") && collector.texts.contains("size (MiB)"))
        #expect(collector.texts.contains { $0.hasPrefix("top site: \(Self.oddDisplayName) +576.0 KiB") })
        #expect(!collector.sawScriptOrLink)
    }

    @Test func textHasTheSummaryAndASparkline() throws {
        let text = try Self.reports.get().text
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.count == 6, "\(text)")
        guard lines.count == 6 else { return }
        #expect(lines[0] == "memory: 128.0 KiB initial -> 1.3 MiB peak (final 1.3 MiB, 20 pages); declared max 2.5 MiB, cap 1.3 MiB")
        #expect(lines[1].range(of: #"^grows: 5 of 11 calls over [0-9]+\.[0-9]{3} s \([0-9]+\.[0-9] per s\); failed: 5 \(maximum 2, cap 2, policy 1\)$"#,
                               options: .regularExpression) != nil, "\(lines[1])")
        #expect(lines[2].range(of: #"^steady: last grow at [0-9]+\.[0-9]{3} s; stable for [0-9]+\.[0-9]{3} s since \([0-9]+% of the run\)$"#,
                               options: .regularExpression) != nil, "\(lines[2])")
        #expect(lines[3] == "reserved 2.5 MiB of address space, 2.5 MiB committed")
        #expect(lines[4] == "top grow sites: \(Self.oddDisplayName) 1 grow of 3 calls, +576.0 KiB; "
            + "func 12 (sbrk) 2 grows of 4 calls, +320.0 KiB; func 7 1 grow of 2 calls, +128.0 KiB; 1 more site")

        // 40 blocks, from the initial size (the first grow comes after 15 of the run's
        // 50 or more ms) up to the peak, never going down.
        #expect(lines[5].hasPrefix("size "))
        let blocks = Array("▁▂▃▄▅▆▇█")
        let spark = Array(lines[5].dropFirst(5))
        #expect(spark.count == 40)
        let levels = spark.compactMap { blocks.firstIndex(of: $0) }
        #expect(levels.count == 40)
        #expect(levels.first == 0 && levels.last == 7)
        #expect(zip(levels, levels.dropFirst()).allSatisfy { $0 <= $1 })
    }

    @Test func textForAMemoryThatNeverGrew() throws {
        let lines = try Self.reports.get().idleText.split(separator: "\n").map(String.init)
        #expect(lines.count == 6)
        #expect(lines.first == "memory: 64.0 KiB initial -> 64.0 KiB peak (final 64.0 KiB, 1 page); declared max 4.0 GiB")
        #expect(lines.contains { $0.hasPrefix("grows: no memory.grow in ") })
        #expect(lines.contains { $0.hasPrefix("steady: never grew") })
        #expect(lines.contains("top grow sites: none"))
        #expect(lines.last == "size " + String(repeating: "▁", count: 40))
    }
}

/// The fields of one CSV record (RFC 4180 quoting, no line breaks inside).
func parseCSVLine(_ line: String) -> [String] {
    var fields: [String] = []
    var field = ""
    var quoted = false
    var characters = Array(line)[...]
    while let character = characters.popFirst() {
        if quoted {
            if character == "\"" {
                if characters.first == "\"" {
                    field.append("\"")
                    characters.removeFirst()
                } else {
                    quoted = false
                }
            } else {
                field.append(character)
            }
        } else if character == "\"" {
            quoted = true
        } else if character == "," {
            fields.append(field)
            field = ""
        } else {
            field.append(character)
        }
    }
    fields.append(field)
    return fields
}

/// Collects what the SVG tests look at.
final class SVGCollector: NSObject, XMLParserDelegate {
    var root: String?
    var rootAttributes: [String: String] = [:]
    var polylines: [[String: String]] = []
    var lineClasses: Set<String> = []
    var texts: [String] = []
    var sawScriptOrLink = false
    private var currentText: String?

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        if root == nil {
            root = elementName
            rootAttributes = attributeDict
        }
        switch elementName {
        case "polyline": polylines.append(attributeDict)
        case "line": if let name = attributeDict["class"] { lineClasses.insert(name) }
        case "text", "title": currentText = ""
        case "script", "image", "use", "a", "foreignObject": sawScriptOrLink = true
        default: break
        }
        if attributeDict.keys.contains(where: { $0.hasSuffix("href") }) { sawScriptOrLink = true }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        currentText?.append(string)
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?) {
        if elementName == "text" || elementName == "title", let text = currentText {
            texts.append(text)
            currentText = nil
        }
    }
}
