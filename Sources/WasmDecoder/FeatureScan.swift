extension Module {
    /// The feature sets (proposals) the function bodies use, each with how many defined
    /// functions use it, without validating: each body is read with the instruction table
    /// up to its end, or up to an instruction the table does not know.
    public func featureUse() -> [(feature: Feature, functions: Int)] {
        let lookup = InstructionLookup()
        var counts = [Int](repeating: 0, count: Feature.allCases.count)
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            for body in codes {
                var reader = ByteReader(base: base, position: body.code.lowerBound, end: body.code.upperBound)
                var used: UInt32 = 0
                while reader.position < reader.end {
                    guard let id = try? reader.readInstruction(in: lookup) else { break }
                    used |= lookup.featureBits[id]
                    guard (try? reader.skip(InstructionSet.all[id].immediates)) != nil else { break }
                }
                for feature in Feature.allCases where used & feature.bit != 0 { counts[feature.rawValue] += 1 }
            }
        }
        return Feature.allCases.filter { counts[$0.rawValue] > 0 }.map { ($0, counts[$0.rawValue]) }
    }
}
