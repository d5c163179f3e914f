import Testing
@testable import WasmDecoder

@Suite struct ByteReaderTests {
    func read<T>(_ bytes: [UInt8], _ body: (inout ByteReader) throws(WasmError) -> T) throws(WasmError) -> T {
        try bytes.withUnsafeBufferPointer { buffer throws(WasmError) in
            var reader = ByteReader(base: buffer.baseAddress!, position: 0, end: buffer.count)
            return try body(&reader)
        }
    }

    @Test func unsignedLEB() throws {
        #expect(try read([0x7F]) { (r: inout ByteReader) throws(WasmError) in try r.readU32() } == 127)
        #expect(try read([0xE5, 0x8E, 0x26]) { (r: inout ByteReader) throws(WasmError) in try r.readU32() } == 624485)
        #expect(try read([0xFF, 0xFF, 0xFF, 0xFF, 0x0F]) { (r: inout ByteReader) throws(WasmError) in try r.readU32() } == UInt32.max)
        #expect(throws: WasmError.self) { try read([0xFF, 0xFF, 0xFF, 0xFF, 0x1F]) { (r: inout ByteReader) throws(WasmError) in try r.readU32() } }
        #expect(throws: WasmError.self) { try read([0x80, 0x80, 0x80, 0x80, 0x80, 0x00]) { (r: inout ByteReader) throws(WasmError) in try r.readU32() } }
    }

    @Test func signedLEB() throws {
        #expect(try read([0x7F]) { (r: inout ByteReader) throws(WasmError) in try r.readS32() } == -1)
        #expect(try read([0xC0, 0xBB, 0x78]) { (r: inout ByteReader) throws(WasmError) in try r.readS32() } == -123456)
        #expect(try read([0x80, 0x80, 0x80, 0x80, 0x78]) { (r: inout ByteReader) throws(WasmError) in try r.readS32() } == Int32.min)
        #expect(throws: WasmError.self) { try read([0x80, 0x80, 0x80, 0x80, 0x70]) { (r: inout ByteReader) throws(WasmError) in try r.readS32() } }
        #expect(try read([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7F]) { (r: inout ByteReader) throws(WasmError) in try r.readS64() } == Int64.min)
        #expect(throws: WasmError.self) { try read([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01]) { (r: inout ByteReader) throws(WasmError) in try r.readS64() } }
    }
}
