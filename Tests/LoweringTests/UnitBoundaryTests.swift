import Testing
@testable import CLowering

/// `ModuleLowering.units`: where function bodies are cut into translation units.
@Suite struct UnitBoundaryTests {
    /// Sizes between 200 bytes and about 6 KB, and content hashes, the same in every run.
    static func functions(_ count: Int) -> (sizes: [Int], hashes: [UInt64]) {
        let hashes = (0..<count).map { ModuleLowering.contentHash(Array("function \($0)".utf8)) }
        return (hashes.map { 200 + Int(($0 >> 40) % 6000) }, hashes)
    }

    /// How many units of `after` a build compiles given the cache of `before`: those not
    /// found there, or holding the changed function.
    static func recompiled(_ before: [Range<Int>], _ after: [Range<Int>], changed: Int) -> Int {
        after.filter { !before.contains($0) || $0.contains(changed) }.count
    }

    static func checkCover(_ units: [Range<Int>], count: Int) {
        #expect(units.first?.lowerBound == 0 && units.last?.upperBound == count)
        #expect(zip(units, units.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound && !$1.isEmpty })
    }

    /// The old size rules still hold: a lone large function gets a unit of its own, no
    /// unit goes past `unitSize`, a small module is one unit.
    @Test func unitsKeepTheSizeRules() {
        let options = LoweringOptions(prefix: "m", unitSize: 60, minimumUnits: 1)
        let fewLarge = ModuleLowering.units([10, 10, 10, 10, 100, 10], hashes: [1, 2, 3, 4, 5, 6], options: options)
        #expect(fewLarge == [0..<4, 4..<5, 5..<6])
        #expect(ModuleLowering.units([500], hashes: [7], options: LoweringOptions(prefix: "m")) == [0..<1])
        #expect(ModuleLowering.units([], hashes: [], options: LoweringOptions(prefix: "m")) == [0..<0])
        #expect(ModuleLowering.units([4000, 4000, 4000], hashes: [0, 0, 0], options: LoweringOptions(prefix: "m")) == [0..<3])
    }

    /// The same functions give the same units; each unit stays within `unitSize`, and
    /// there are about as many as the size rules ask for (here 8, by `minimumUnits`, or
    /// one per `unitSize` of code).
    @Test(arguments: [400, 3000, 20000])
    func unitsAreDeterministicBoundedAndNearTheTarget(count: Int) {
        let (sizes, hashes) = Self.functions(count)
        let options = LoweringOptions(prefix: "m")
        let units = ModuleLowering.units(sizes, hashes: hashes, options: options)
        #expect(units == ModuleLowering.units(sizes, hashes: hashes, options: options))
        Self.checkCover(units, count: count)
        let unitSizes = units.map { sizes[$0].reduce(0, +) }
        #expect(unitSizes.allSatisfy { $0 <= options.unitSize })
        let total = sizes.reduce(0, +)
        let wanted = max(8, (total + options.unitSize - 1) / options.unitSize)
        #expect(units.count >= wanted && units.count <= wanted + wanted / 4 + 1, "\(units.count) units for \(wanted): \(unitSizes)")
    }

    /// Identical functions hash alike, so in a run of them the cuts fall at the minimum
    /// or the maximum size (which depends on their hash): units stay within the limits,
    /// their number between 3/4 and 3/2 of the target.
    @Test(arguments: [0, 1, 12345] as [UInt64])
    func identicalFunctionsStillMakeBoundedUnits(hash: UInt64) {
        let sizes = Array(repeating: 1300, count: 400)
        let units = ModuleLowering.units(sizes, hashes: Array(repeating: hash, count: 400), options: LoweringOptions(prefix: "m"))
        Self.checkCover(units, count: 400)
        #expect(units.count >= 6 && units.count <= 12, "\(units)")
        #expect(units.allSatisfy { sizes[$0].reduce(0, +) <= 192 * 1024 })
    }

    /// Changing one function (its content, and its size by a tenth either way) almost
    /// always recompiles its unit alone: boundaries follow the functions' content, not the
    /// sizes before them. (Cut by size alone, growth moved every later boundary: half the
    /// units on average.) Now and then a moved cut moves some after it, until the content
    /// picks the same cut again.
    @Test(arguments: [200, 400, 3000])
    func anEditChangesOnlyNearbyUnits(count: Int) {
        let (sizes, hashes) = Self.functions(count)
        let options = LoweringOptions(prefix: "m")
        let before = ModuleLowering.units(sizes, hashes: hashes, options: options)
        var counts: [Int: Int] = [:]
        for changed in sizes.indices {
            for factor in [90, 110] {
                var grown = sizes, edited = hashes
                grown[changed] = sizes[changed] * factor / 100
                edited[changed] = ModuleLowering.contentHash(Array("edited \(changed)".utf8))
                let after = ModuleLowering.units(grown, hashes: edited, options: options)
                counts[Self.recompiled(before, after, changed: changed), default: 0] += 1
            }
        }
        let edits = 2 * count
        let recompiled = counts.reduce(0) { $0 + $1.key * $1.value }
        let summary = "\(counts.sorted { $0.key < $1.key }) of \(edits) edits, \(before.count) units"
        #expect(counts[1, default: 0] * 100 >= edits * 94, "\(summary)")
        #expect(recompiled * 100 <= edits * 120, "\(summary)")
    }
}
