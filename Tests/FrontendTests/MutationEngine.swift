/// Deterministic mutations of binary modules, for `MutationTests`.

/// SplitMix64: tiny, fast, and the same sequence on every platform and run.
struct SplitMix64 {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in 0..<bound (bound > 0); the modulo bias does not matter here.
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    mutating func within(_ range: ClosedRange<Int>) -> Int { range.lowerBound + below(range.count) }

    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
}

/// A LEB128 length field and the bytes it counts: a section's size or a function body's size.
struct LengthField {
    var field: Range<Int>
    var content: Range<Int>
    var isFunctionBody = false
}

enum Mutation: CaseIterable {
    case flipBits, overwrite, truncate, insert, delete, duplicate, stretchLEB
}

enum Mutator {
    /// Bytes that mean something in the format: section ids, opcodes, value types, LEB edges.
    static let interesting: [UInt8] = [
        0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x08, 0x0A, 0x0B, 0x0E, 0x0F, 0x1F, 0x40, 0x41,
        0x60, 0x69, 0x6F, 0x70, 0x7B, 0x7F, 0x80, 0xD0, 0xFC, 0xFD, 0xFF,
    ]

    /// Values a length, count or index should not be able to get away with.
    static let largeValues: [UInt64] = [
        0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 0x1_0000_0000, 50_001, 65_536, 1 << 28, UInt64.max,
    ]

    /// Applies one to three mutations, all chosen by `rng`.
    static func mutate(_ seed: [UInt8], rng: inout SplitMix64) -> [UInt8] {
        var bytes = seed
        let rounds = rng.chance(75) ? 1 : rng.within(2...3)
        for _ in 0..<rounds where !bytes.isEmpty {
            bytes = apply(rng.pick(Mutation.allCases), to: bytes, rng: &rng)
        }
        return bytes
    }

    static func apply(_ mutation: Mutation, to bytes: [UInt8], rng: inout SplitMix64) -> [UInt8] {
        let fields = lengthFields(bytes)
        // Most damage to a module's framing stops the decoder, so aim most edits at one
        // function body and fix the length fields around the edit: the validator then
        // gets to see the damaged code.
        let bodies = fields.filter { $0.isFunctionBody && !$0.content.isEmpty }
        let inBody = !bodies.isEmpty && rng.chance(75)
        let area = inBody ? rng.pick(bodies).content : 0..<bytes.count
        let fixing = rng.chance(inBody ? 90 : 40) ? fields : []
        func position() -> Int { area.lowerBound + rng.below(area.count) }
        var out = bytes
        switch mutation {
        case .flipBits:
            for _ in 0..<rng.within(1...4) { out[position()] ^= 1 << UInt8(rng.below(8)) }
        case .overwrite:
            for _ in 0..<rng.within(1...4) {
                out[position()] = rng.chance(50) ? rng.pick(interesting) : UInt8(truncatingIfNeeded: rng.next())
            }
        case .truncate:
            out.removeSubrange(position()...)
        case .insert:
            let at = position()
            let inserted = (0..<rng.within(1...16)).map { _ in rng.pick(interesting) }
            out = splice(out, at..<at, inserted, fixing: fixing)
        case .delete:
            let start = position()
            let end = min(area.upperBound, start + rng.within(1...16))
            out = splice(out, start..<end, [], fixing: fixing)
        case .duplicate:
            let start = position()
            let copied = Array(out[start..<min(area.upperBound, start + rng.within(1...64))])
            let at = rng.chance(50) ? start : position()
            out = splice(out, at..<at, copied, fixing: fixing)
        case .stretchLEB:
            out = stretchLEB(out, rng: &rng)
        }
        return out
    }

    /// Re-encodes one LEB128: longer with redundant continuation bytes, or as a large value.
    static func stretchLEB(_ bytes: [UInt8], rng: inout SplitMix64) -> [UInt8] {
        let fields = lengthFields(bytes)
        // Length fields and the counts right after them are sure to be LEBs; else guess.
        var candidates = fields.flatMap { [$0.field.lowerBound, $0.content.lowerBound] }
        candidates.append(rng.below(bytes.count))
        let start = rng.pick(candidates)
        guard start < bytes.count, let leb = lebLength(bytes, at: start) else { return bytes }
        let old = Array(bytes[start..<start + leb])
        var new: [UInt8]
        if rng.chance(60) {
            // Same value, more bytes: set the continuation bit on the last byte, then pad.
            // 0x80 padding keeps an unsigned (or non-negative) value, 0xFF a negative one.
            let negative = old.last! & 0x40 != 0 && rng.chance(50)
            new = old
            new[new.count - 1] |= 0x80
            new += Array(repeating: negative ? 0xFF : 0x80, count: rng.within(0...6))
            new.append(negative ? 0x7F : 0x00)
        } else {
            new = uleb(rng.pick(largeValues), minLength: rng.chance(20) ? 11 : 1)
        }
        return splice(bytes, start..<start + leb, new, fixing: rng.chance(80) ? fields : [])
    }

    /// Replaces `range` and updates every length field whose content contains it,
    /// innermost first, because re-encoding a field can change the size around it.
    static func splice(_ bytes: [UInt8], _ range: Range<Int>, _ replacement: [UInt8], fixing fields: [LengthField]) -> [UInt8] {
        var out = bytes
        out.replaceSubrange(range, with: replacement)
        var delta = replacement.count - range.count
        let enclosing = fields
            .filter { $0.content.lowerBound <= range.lowerBound && range.upperBound <= $0.content.upperBound }
            .sorted { $0.field.lowerBound > $1.field.lowerBound }
        // The fields all lie before `range`, so the edits so far have not moved them.
        for length in enclosing {
            let encoded = uleb(UInt64(length.content.count + delta), minLength: length.field.count)
            out.replaceSubrange(length.field, with: encoded)
            delta += encoded.count - length.field.count
        }
        return out
    }

    /// Section sizes and, inside a code section, function body sizes. Stops quietly at
    /// anything malformed: the seeds include invalid modules.
    static func lengthFields(_ bytes: [UInt8]) -> [LengthField] {
        var fields: [LengthField] = []
        var position = 8
        func readLength(at offset: Int) -> LengthField? {
            guard offset < bytes.count, let size = lebLength(bytes, at: offset), size <= 5 else { return nil }
            let value = lebValue(bytes[offset..<offset + size])
            let contentStart = offset + size
            guard value <= UInt64(bytes.count - contentStart) else { return nil }
            return LengthField(field: offset..<contentStart, content: contentStart..<contentStart + Int(value))
        }
        while position < bytes.count, let section = readLength(at: position + 1) {
            fields.append(section)
            if bytes[position] == 10, let count = lebLength(bytes, at: section.content.lowerBound) {
                var entry = section.content.lowerBound + count
                while entry < section.content.upperBound, var body = readLength(at: entry),
                      body.content.upperBound <= section.content.upperBound {
                    body.isFunctionBody = true
                    fields.append(body)
                    entry = body.content.upperBound
                }
            }
            position = section.content.upperBound
        }
        return fields
    }

    /// The number of bytes of the LEB128 at `offset`, if it ends within ten bytes.
    static func lebLength(_ bytes: [UInt8], at offset: Int) -> Int? {
        var index = offset
        while index < bytes.count && index - offset < 10 {
            if bytes[index] & 0x80 == 0 { return index - offset + 1 }
            index += 1
        }
        return nil
    }

    static func lebValue(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        var value: UInt64 = 0
        for (index, byte) in bytes.enumerated() where index < 10 {
            value |= UInt64(byte & 0x7F) << UInt64(7 * index)
        }
        return value
    }

    /// Unsigned LEB128, padded with redundant continuation bytes to at least `minLength`.
    static func uleb(_ value: UInt64, minLength: Int = 1) -> [UInt8] {
        var out: [UInt8] = []
        var rest = value
        repeat {
            out.append(UInt8(rest & 0x7F) | 0x80)
            rest >>= 7
        } while rest != 0 || out.count < minLength
        out[out.count - 1] &= 0x7F
        return out
    }
}
