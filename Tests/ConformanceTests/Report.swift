import CLowering
import Toolchain

/// The totals over all scripts, and the text printed for them.
struct Report {
    let files: [FileResult]
    /// The configurations' labels, and whether explicit checks ran only for `ExecutionPlan.explicitSubset`.
    let configurations: [String]
    let explicitForAll: Bool

    /// How many wording mismatches to list; the rest are only counted.
    static let listedMismatches = 20

    init(_ files: [FileResult], configurations: [String], explicitForAll: Bool = true) {
        self.files = files.sorted { $0.path < $1.path }
        self.configurations = configurations
        self.explicitForAll = explicitForAll
    }

    init(_ files: [FileResult], plan: ExecutionPlan) {
        self.init(files, configurations: plan.configurations.map(\.label), explicitForAll: plan.explicitForAll)
    }

    var passed: Int { files.reduce(0) { $0 + $1.passed } }
    var failed: Int { files.reduce(0) { $0 + $1.failed } }
    var skipped: Int { files.reduce(0) { $0 + $1.skipped } }

    /// The report; `footer` goes just before the totals, which stay the last line.
    func text(footer: String) -> String {
        var lines: [String] = []
        for file in files {
            lines.append("\(file.path): \(file.passed) passed, \(file.failed) failed, \(file.skipped) skipped")
        }

        let executed = files.filter { !$0.configurations.isEmpty }
        lines.append("")
        lines.append("Executed: \(executed.count) scripts, each in "
            + configurations.joined(separator: ", ")
            + (explicitForAll ? "" : " (explicit bounds checks only for the subset \(ExecutionPlan.explicitSubset.sorted().joined(separator: ", ")))"))

        let converted = files.filter(\.byWast2json).map(\.path)
        lines.append("")
        lines.append("Read with wast2json (WAT cannot parse them): \(converted.isEmpty ? "none" : converted.joined(separator: ", "))")

        let reasons = files.reduce(into: [String: Int]()) { totals, file in
            totals.merge(file.skipReasons, uniquingKeysWith: +)
        }
        lines.append("")
        lines.append("Skipped:")
        for (reason, count) in reasons.sorted(by: { $0.value > $1.value }) {
            lines.append("  \(count) \(reason)")
        }

        // Each script that needs a feature still missing, with what it needs: a skip is
        // never silent.
        lines.append("")
        lines.append("Scripts with directives skipped for features WasmKiln does not have yet:")
        for file in files {
            let missing = file.skipReasons.filter { $0.key.contains("not supported") }
            guard !missing.isEmpty else { continue }
            let total = missing.values.reduce(0, +)
            let needs = Set(missing.keys.map(Self.feature)).sorted().joined(separator: "; ")
            lines.append("  \(file.path): \(total) of \(file.passed + file.failed + file.skipped) (\(needs))")
        }

        let mismatches = files.flatMap { file in file.wordingMismatches.map { (file.path, $0) } }
        lines.append("")
        lines.append("Wording differs (rejected or trapped, but the message lacks the expected text): \(mismatches.count)")
        for (path, mismatch) in mismatches.prefix(Self.listedMismatches) {
            lines.append("  \(path):\(mismatch.line.number): expected \"\(mismatch.expected)\", got \"\(mismatch.got)\"".printable)
        }

        let failures = files.flatMap { file in file.failures.map { (file.path, $0) } }
        lines.append("")
        lines.append("Failures: \(failures.count)")
        for (path, failure) in failures {
            lines.append("  \(path):\(failure.line.number): \(failure.kind): \(failure.error)")
        }

        lines.append("")
        lines.append(footer)
        lines.append("\(passed) passed, \(failed) failed, \(skipped) skipped")
        return lines.joined(separator: "\n")
    }
}

extension Report {
    /// What a skip reason says is missing: `not read: call_ref (0x14, typed function
    /// references) is not supported yet` gives `call_ref (0x14, typed function references)`.
    static func feature(_ reason: String) -> String {
        var text = reason.hasPrefix("not read: ") ? String(reason.dropFirst("not read: ".count)) : reason
        for ending in [" is not supported yet", " are not supported yet", ": not supported"] where text.hasSuffix(ending) {
            text = String(text.dropLast(ending.count))
        }
        return text
    }
}

extension String {
    /// Control characters (names.wast's export names have them) as `\u{…}` escapes, to
    /// keep the report one line per entry and plain text.
    var printable: String {
        unicodeScalars.map { $0.properties.generalCategory == .control ? "\\u{\(String($0.value, radix: 16))}" : String($0) }.joined()
    }
}
