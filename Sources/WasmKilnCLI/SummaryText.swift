import Foundation

/// Renders a `ModuleSummary` as text for a person to read at a glance.
enum SummaryText {
    /// Long import and export lists are cut to this many lines; `--json` has them all.
    static let listLimit = 20

    static func render(_ summary: ModuleSummary) -> String {
        var lines: [String] = []
        var heading = "\(summary.file): \(byteSize(summary.size))"
        if let name = summary.moduleName { heading += ", module \"\(name)\"" }
        lines.append(heading)

        lines.append("")
        lines.append("Sections (\(summary.sections.count))")
        lines += table(
            header: ["name", "offset", "size", "entries"],
            rows: summary.sections.map { ["\($0.name)", hex($0.offset), "\($0.size)", $0.entries.map(String.init) ?? ""] },
            rightAligned: [1, 2, 3])

        lines.append("")
        lines += list("Imports", summary.imports.map { ["\($0.module).\($0.name)", $0.kind, $0.type] })
        lines += list("Exports", summary.exports.map { [$0.name, $0.kind, "\($0.index)"] })
        lines += list("Memories", summary.memories.map { memory in
            let notes = [memory.imported ? "imported" : "", memory.shared == true ? "shared" : "",
                         memory.addressType == "i64" ? "64-bit addresses" : ""].filter { !$0.isEmpty }
            // The names column only where the name section gives some.
            let name = summary.memories.contains { $0.name != nil } ? [memory.name ?? ""] : []
            return ["\(memory.index)"] + name + [memoryLimits(memory), notes.joined(separator: ", ")]
        })
        lines += list("Tables", summary.tables.map { table in
            ["\(table.index)", table.elementType, "\(table.min)..\(table.max.map(String.init) ?? "")",
             [table.imported ? "imported" : "", table.indexType == "i64" ? "64-bit indices" : ""].filter { !$0.isEmpty }.joined(separator: ", ")]
        })

        lines.append("")
        lines += table(header: nil, rows: [
            ["Functions", count(summary.functions)],
            ["Globals", count(summary.globals)],
            ["Tags", count(summary.tags)],
            ["Segments", "\(summary.dataSegments) data, \(summary.elementSegments) element"],
            ["Start", summary.startFunction.map { "func \($0)" } ?? "none"],
            ["Features", summary.features.isEmpty ? "Wasm 1.0 instructions only"
                : summary.features.map { "\($0.name) (\($0.functions) function\($0.functions == 1 ? "" : "s"))" }
                    .joined(separator: ", ")],
        ], rightAligned: [], indent: "")

        if !summary.largestFunctions.isEmpty {
            lines.append("")
            lines.append("Largest functions")
            lines += table(
                header: ["index", "size", "name"],
                rows: summary.largestFunctions.map { ["\($0.index)", "\($0.bodySize)", $0.name ?? "-"] },
                rightAligned: [0, 1])
        }
        return lines.joined(separator: "\n")
    }

    /// A titled list, or `Title: none`.
    static func list(_ title: String, _ rows: [[String]]) -> [String] {
        guard !rows.isEmpty else { return ["\(title): none"] }
        var lines = ["\(title) (\(rows.count))"]
        lines += table(header: nil, rows: Array(rows.prefix(listLimit)), rightAligned: [])
        if rows.count > listLimit {
            lines.append("  ... \(rows.count - listLimit) more (--json lists all)")
        }
        return lines
    }

    /// Rows in columns two spaces apart; trailing blanks trimmed.
    static func table(header: [String]?, rows: [[String]], rightAligned: Set<Int>, indent: String = "  ") -> [String] {
        let all = (header.map { [$0] } ?? []) + rows
        let columnCount = all.map(\.count).max() ?? 0
        let widths = (0..<columnCount).map { column in
            all.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0
        }
        return all.map { row in
            let cells = row.enumerated().map { column, cell in
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                return rightAligned.contains(column) ? padding + cell : cell + padding
            }
            let line = indent + cells.joined(separator: "  ")
            return String(line.reversed().drop(while: { $0 == " " }).reversed())
        }
    }

    static func count(_ count: ModuleSummary.Count) -> String {
        "\(count.total) (\(count.imported) imported, \(count.defined) defined)"
    }

    /// `1..16 pages (0.06..1 MiB)`; no maximum reads `1.. pages (0.06.. MiB)`.
    static func memoryLimits(_ memory: ModuleSummary.MemoryEntry) -> String {
        let maxPages = memory.maxPages.map(String.init) ?? ""
        let maxMiB = memory.maxMiB.map(number) ?? ""
        let unit = memory.pageSize.map { " of \($0) B" } ?? ""
        return "\(memory.minPages)..\(maxPages) pages\(unit) (\(number(memory.minMiB))..\(maxMiB) MiB)"
    }

    /// `412 bytes`, or `70.3 MiB (73712345 bytes)` for larger sizes.
    static func byteSize(_ size: Int) -> String {
        switch size {
        case ..<1024: "\(size) bytes"
        case ..<1_048_576: "\(number(Double(size) / 1024)) KiB (\(size) bytes)"
        default: "\(number(Double(size) / 1_048_576)) MiB (\(size) bytes)"
        }
    }

    /// Whole numbers as such, others to two decimals.
    static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.2f", value)
    }

    static func hex(_ value: Int) -> String {
        "0x" + String(value, radix: 16)
    }
}
