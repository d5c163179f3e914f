import Testing

/// Runs the decoder and validator over the WebAssembly spec test suite.
/// Execution directives are skipped until the C backend exists.
@Suite struct ConformanceTests {
    @Test func specTestSuite() async throws {
        let root = TestSuite.root()
        let scripts = try TestSuite.scripts(in: root)
        print("spec test suite: \(root.path), \(scripts.count) scripts")

        // Scripts are independent, so check them concurrently.
        let results = await withTaskGroup(of: FileResult.self) { group in
            for script in scripts {
                group.addTask { Runner.run(script) }
            }
            return await group.reduce(into: [FileResult]()) { $0.append($1) }
        }

        let report = Report(results)
        print(report.text)
        #expect(report.failed == 0, "\(report.failed) spec directives failed; see the report above")
        #expect(report.passed > 0, "no spec directive passed")
    }
}
