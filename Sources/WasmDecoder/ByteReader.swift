/// Reads the binary format's primitives from a byte buffer. Every read is
/// checked against `end`; running past it throws `unexpected end`.
public struct ByteReader {
    public let base: UnsafePointer<UInt8>
    public var position: Int
    public var end: Int
    /// The end of the whole buffer. An integer that runs past `end` is still read
    /// up to here, so an overlong one is reported as such, as the spec's tests expect.
    public let limit: Int

    public init(base: UnsafePointer<UInt8>, position: Int, end: Int, limit: Int? = nil) {
        self.base = base
        self.position = position
        self.end = end
        self.limit = limit ?? end
    }

    /// The next byte of an integer, which may lie past `end` (see `limit`).
    private mutating func readIntegerByte() throws(WasmError) -> UInt8 {
        guard position < limit else { throw unexpectedEnd() }
        let byte = base[position]
        position += 1
        return byte
    }

    private mutating func checkWithinEnd() throws(WasmError) {
        if position > end {
            position = end
            throw unexpectedEnd()
        }
    }

    public var isAtEnd: Bool { position >= end }

    @usableFromInline
    func error(_ message: String, at offset: Int? = nil) -> WasmError {
        WasmError(offset: offset ?? position, message: message)
    }

    @inlinable @inline(__always)
    public mutating func readByte() throws(WasmError) -> UInt8 {
        guard position < end else { throw unexpectedEnd() }
        let byte = base[position]
        position += 1
        return byte
    }

    @inlinable @inline(__always)
    public func peekByte() throws(WasmError) -> UInt8 {
        guard position < end else { throw unexpectedEnd() }
        return base[position]
    }

    @usableFromInline
    func unexpectedEnd() -> WasmError {
        error("unexpected end of section or function")
    }

    @inlinable @inline(__always)
    public mutating func readU32() throws(WasmError) -> UInt32 {
        guard position < end else { throw unexpectedEnd() }
        let first = base[position]
        if first < 0x80 {
            position += 1
            return UInt32(first)
        }
        // Two-byte integers (indices and offsets up to 16383) are common enough to inline.
        if position + 1 < end, base[position + 1] < 0x80 {
            let value = UInt32(first & 0x7F) | UInt32(base[position + 1]) << 7
            position += 2
            return value
        }
        return try readU32Slow()
    }

    @usableFromInline
    mutating func readU32Slow() throws(WasmError) -> UInt32 {
        try readUnsignedSlow(UInt32.self)
    }

    /// An unsigned LEB128 of `T`'s width, byte by byte. The last byte such a value can
    /// have must not continue, nor set bits past the width (0x70 of it for 32 bits, 0x7E
    /// for 64).
    mutating func readUnsignedSlow<T: FixedWidthInteger & UnsignedInteger>(_: T.Type) throws(WasmError) -> T {
        let start = position
        let lastShift = (T.bitWidth - 1) / 7 * 7
        let unusedBits = UInt8(truncatingIfNeeded: 0x7F << (T.bitWidth - lastShift)) & 0x7F
        var result: T = 0
        var shift = 0
        while true {
            let byte = try readIntegerByte()
            if shift == lastShift {
                if byte & 0x80 != 0 { throw error("integer representation too long", at: start) }
                if byte & unusedBits != 0 { throw error("integer too large", at: start) }
            }
            result |= T(byte & 0x7F) << shift
            if byte & 0x80 == 0 {
                try checkWithinEnd()
                return result
            }
            shift += 7
        }
    }

    /// An unsigned LEB128 of up to 64 bits (memory64's limits and offsets: every memory
    /// access's offset, so one-byte values take the short path).
    @inlinable @inline(__always)
    public mutating func readU64() throws(WasmError) -> UInt64 {
        if position < end, base[position] < 0x80 {
            position += 1
            return UInt64(base[position - 1])
        }
        return try readU64Slow()
    }

    @usableFromInline
    mutating func readU64Slow() throws(WasmError) -> UInt64 {
        try readUnsignedSlow(UInt64.self)
    }

    /// A signed LEB128 of `bits` bits (32, 33 or 64), sign-extended to Int64.
    @inlinable @inline(__always)
    public mutating func readSigned(bits: Int) throws(WasmError) -> Int64 {
        guard position < end else { throw unexpectedEnd() }
        let first = base[position]
        if first < 0x80 {
            position += 1
            return (Int64(first) << 57) >> 57
        }
        if position + 1 < end, base[position + 1] < 0x80 {
            let value = Int64(first & 0x7F) | Int64(base[position + 1]) << 7
            position += 2
            return (value << 50) >> 50
        }
        return try readSignedSlow(bits: bits)
    }

    @usableFromInline
    mutating func readSignedSlow(bits: Int) throws(WasmError) -> Int64 {
        let start = position
        let maxBytes = (bits + 6) / 7
        var result: Int64 = 0
        var shift = 0
        var count = 0
        while true {
            let byte = try readIntegerByte()
            count += 1
            if count == maxBytes {
                if byte & 0x80 != 0 { throw error("integer representation too long", at: start) }
                // The unused high bits of the last byte must all equal the sign bit.
                let usedBits = bits - shift
                let rest = Int64(byte & 0x7F) >> (usedBits - 1)
                let allowed: Int64 = (1 << (7 - usedBits + 1)) - 1
                if rest != 0 && rest != allowed { throw error("integer too large", at: start) }
            }
            result |= Int64(byte & 0x7F) << shift
            shift += 7
            if byte & 0x80 == 0 {
                try checkWithinEnd()
                if shift < 64 { result = (result << (64 - shift)) >> (64 - shift) }
                return result
            }
        }
    }

    @inlinable
    public mutating func readS32() throws(WasmError) -> Int32 { Int32(truncatingIfNeeded: try readSigned(bits: 32)) }
    @inlinable
    public mutating func readS64() throws(WasmError) -> Int64 { try readSigned(bits: 64) }

    @inlinable @inline(__always)
    public mutating func readU32Fixed() throws(WasmError) -> UInt32 {
        guard end - position >= 4 else { position = end; throw unexpectedEnd() }
        let value = UnsafeRawPointer(base + position).loadUnaligned(as: UInt32.self)
        position += 4
        return UInt32(littleEndian: value)
    }

    @inlinable @inline(__always)
    public mutating func readU64Fixed() throws(WasmError) -> UInt64 {
        guard end - position >= 8 else { position = end; throw unexpectedEnd() }
        let value = UnsafeRawPointer(base + position).loadUnaligned(as: UInt64.self)
        position += 8
        return UInt64(littleEndian: value)
    }

    /// Skips `count` bytes.
    @inlinable @inline(__always)
    public mutating func skip(_ count: Int) throws(WasmError) {
        guard count <= end - position else { position = end; throw unexpectedEnd() }
        position += count
    }

    /// A vector length, checked to be plausible: each element takes at least
    /// `minimumElementSize` bytes, so a count larger than what is left is malformed.
    public mutating func readCount(minimumElementSize: Int = 1) throws(WasmError) -> Int {
        let start = position
        let count = Int(try readU32())
        if count * minimumElementSize > end - position {
            throw error("unexpected end of section or function", at: start)
        }
        return count
    }

    /// A UTF-8 name.
    public mutating func readName() throws(WasmError) -> String {
        let start = position
        let length = Int(try readU32())
        guard length <= end - position else { throw error("length out of bounds", at: start) }
        let buffer = UnsafeBufferPointer(start: base + position, count: length)
        guard isValidUTF8(buffer) else { throw error("malformed UTF-8 encoding", at: start) }
        position += length
        return String(decoding: buffer, as: UTF8.self)
    }
}

/// Strict UTF-8 check: no overlong forms, no surrogates, nothing above U+10FFFF.
func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    var index = 0
    let count = bytes.count
    while index < count {
        let lead = bytes[index]
        if lead < 0x80 { index += 1; continue }
        let length: Int
        var lower: UInt8 = 0x80, upper: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; lower = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; upper = 0x9F
        case 0xF0: length = 4; lower = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; upper = 0x8F
        default: return false
        }
        guard index + length <= count else { return false }
        let second = bytes[index + 1]
        guard second >= lower && second <= upper else { return false }
        for offset in 2..<length where bytes[index + offset] & 0xC0 != 0x80 { return false }
        index += length
    }
    return true
}
