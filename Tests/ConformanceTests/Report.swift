/// The totals over all scripts, and the text printed for them.
struct Report {
    let files: [FileResult]

    /// How many wording mismatches to list; the rest are only counted.
    static let listedMismatches = 20

    init(_ files: [FileResult]) {
        self.files = files.sorted { $0.path < $1.path }
    }

    var passed: Int { files.reduce(0) { $0 + $1.passed } }
    var failed: Int { files.reduce(0) { $0 + $1.failed } }
    var skipped: Int { files.reduce(0) { $0 + $1.skipped } }

    var text: String {
        var lines: [String] = []
        for file in files {
            lines.append("\(file.path): \(file.passed) passed, \(file.failed) failed, \(file.skipped) skipped")
        }

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

        let mismatches = files.flatMap { file in file.wordingMismatches.map { (file.path, $0) } }
        lines.append("")
        lines.append("Wording differs (rejected, but the message lacks the expected text): \(mismatches.count)")
        for (path, mismatch) in mismatches.prefix(Self.listedMismatches) {
            lines.append("  \(path):\(mismatch.line.number): expected \"\(mismatch.expected)\", got \"\(mismatch.got)\"")
        }

        let failures = files.flatMap { file in file.failures.map { (file.path, $0) } }
        lines.append("")
        lines.append("Failures: \(failures.count)")
        for (path, failure) in failures {
            lines.append("  \(path):\(failure.line.number): \(failure.kind): \(failure.error)")
        }

        lines.append("")
        lines.append("\(passed) passed, \(failed) failed, \(skipped) skipped")
        return lines.joined(separator: "\n")
    }
}
