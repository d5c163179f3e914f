import Testing
import Toolchain
import WasmDecoder

/// `wasmkiln run`'s arguments and results as text.
@Suite struct RunValueTextTests {
    func parse(_ text: String, _ type: ValueType) -> Value? {
        try? ValueText.parse(text, as: type)
    }

    @Test func integers() {
        #expect(parse("42", .i32) == .i32(42))
        #expect(parse("-1", .i32) == .i32(0xffff_ffff))
        #expect(parse("+7", .i32) == .i32(7))
        #expect(parse("4294967295", .i32) == .i32(0xffff_ffff))
        #expect(parse("-2147483648", .i32) == .i32(0x8000_0000))
        #expect(parse("0x7fffffff", .i32) == .i32(0x7fff_ffff))
        #expect(parse("-0x1", .i32) == .i32(0xffff_ffff))
        #expect(parse("0xFF", .i64) == .i64(255))
        #expect(parse("-9223372036854775808", .i64) == .i64(1 << 63))
        #expect(parse("18446744073709551615", .i64) == .i64(.max))
        #expect(parse("i32:0x10", .i32) == .i32(16))
        for bad in ["4294967296", "-2147483649", "1.5", "", "0x", "x", "--1", "1e3", "0x1g", "i64:0x1"] {
            #expect(parse(bad, .i32) == nil, "\(bad)")
        }
        #expect(parse("18446744073709551616", .i64) == nil)
        #expect(parse("-9223372036854775809", .i64) == nil)
    }

    @Test func floats() {
        #expect(parse("1.5", .f32) == .f32(1.5))
        #expect(parse("-0", .f32) == .f32(bits: 0x8000_0000))
        #expect(parse("-0.0", .f64) == .f64(bits: 1 << 63))
        #expect(parse("1e-45", .f32) == .f32(bits: 1))
        #expect(parse("0x1p-1", .f64) == .f64(0.5))
        #expect(parse("inf", .f32) == .f32(bits: 0x7f80_0000))
        #expect(parse("-inf", .f64) == .f64(bits: 0xfff0_0000_0000_0000))
        #expect(parse("nan", .f32) == .f32(bits: 0x7fc0_0000))
        #expect(parse("-nan", .f32) == .f32(bits: 0xffc0_0000))
        #expect(parse("nan:0x1", .f32) == .f32(bits: 0x7f80_0001))
        #expect(parse("-nan:0x8000000000000", .f64) == .f64(bits: 0xfff8_0000_0000_0000))
        #expect(parse("f32:0x7fc00001", .f32) == .f32(bits: 0x7fc0_0001))
        #expect(parse("f64:0x8000000000000000", .f64) == .f64(bits: 1 << 63))
        for bad in ["nan:0x0", "nan:0x800000", "f64:0x0", "f32:0x100000000", "f32:1", "1e39", "abc", "infinityy", "nan(1)", "- 1"] {
            #expect(parse(bad, .f32) == nil, "\(bad)")
        }
    }

    @Test func otherTypes() {
        #expect(parse("0x0102030405060708090a0b0c0d0e0f10", .v128) == .v128(lo: 0x090a_0b0c_0d0e_0f10, hi: 0x0102_0304_0506_0708))
        #expect(parse("0x1", .v128) == .v128(lo: 1, hi: 0))
        #expect(parse("null", .funcref) == .funcref(0))
        #expect(parse("null", .externref) == .externref(0))
        #expect(parse("7", .externref) == .externref(7))
        #expect(parse("1", .funcref) == nil)
        #expect(parse("0x" + String(repeating: "f", count: 33), .v128) == nil)
    }

    /// v128 arguments in the spec scripts' lane notation, among other arguments.
    @Test func vectorArguments() throws {
        let words = "7 i32x4 1 2 3 -1 v128 f32x4 1.5 nan -0 inf i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 -1 0x2a".split(separator: " ").map(String.init)
        let values = try ValueText.arguments(words, types: [.i32, .v128, .v128, .v128, .v128])
        #expect(values == [.i32(7), .v128(lo: 0x0000_0002_0000_0001, hi: 0xffff_ffff_0000_0003),
                           .v128(lo: 0x7fc0_0000_3fc0_0000, hi: 0x7f80_0000_8000_0000),
                           .v128(lo: 0x0706_0504_0302_0100, hi: 0xff0e_0d0c_0b0a_0908), .v128(lo: 0x2a, hi: 0)])
        #expect(throws: ValueText.ParseError.self) { try ValueText.arguments(["i16x8", "1", "2"], types: [.v128]) }
        #expect(throws: ValueText.ParseError.self) { try ValueText.arguments(["i8x16"] + Array(repeating: "256", count: 16), types: [.v128]) }
        #expect(throws: ValueText.ParseError.self) { try ValueText.arguments(["1", "2"], types: [.i32]) }
    }

    @Test func errorsNameTheType() {
        #expect(throws: ValueText.ParseError.self) { try ValueText.parse("x", as: .f64) }
        do {
            _ = try ValueText.parse("f32:0x0", as: .i32)
        } catch {
            #expect(error.description == "'f32:0x0' given for an i32 parameter")
        }
    }

    @Test func printing() {
        #expect(ValueText.format(.i32(0xffff_ffff)) == "i32 -1")
        #expect(ValueText.format(.i32(0x8000_0000)) == "i32 -2147483648")
        #expect(ValueText.format(.i64(.max)) == "i64 -1")
        #expect(ValueText.format(.i64(42)) == "i64 42")
        #expect(ValueText.format(.f32(1.5)) == "f32 1.5")
        #expect(ValueText.format(.f32(0.1)) == "f32 0.1")
        #expect(ValueText.format(.f64(0.1)) == "f64 0.1")
        #expect(ValueText.format(.f32(bits: 0x8000_0000)) == "f32 -0.0")
        #expect(ValueText.format(.f64(bits: 1 << 63)) == "f64 -0.0")
        #expect(ValueText.format(.f32(bits: 1)) == "f32 1e-45")
        #expect(ValueText.format(.f64(1e300)) == "f64 1e+300")
        #expect(ValueText.format(.f32(bits: 0x7f80_0000)) == "f32 inf")
        #expect(ValueText.format(.f64(-.infinity)) == "f64 -inf")
        #expect(ValueText.format(.f32(bits: 0x7fc0_0000)) == "f32 nan")
        #expect(ValueText.format(.f32(bits: 0xffc0_0000)) == "f32 -nan")
        #expect(ValueText.format(.f32(bits: 0x7fc0_0001)) == "f32 nan:0x400001")
        #expect(ValueText.format(.f32(bits: 0x7f80_0001)) == "f32 nan:0x1")
        #expect(ValueText.format(.f64(bits: 0xfff8_0000_0000_0000)) == "f64 -nan")
        #expect(ValueText.format(.f64(bits: 0xfff0_0000_0000_0001)) == "f64 -nan:0x1")
        #expect(ValueText.format(.v128(lo: 1, hi: 0x10)) == "v128 i32x4 0x00000001 0x00000000 0x00000010 0x00000000")
        #expect(ValueText.format(.v128(lo: 0xffff_ffff_8000_0000, hi: 0x7fc0_0000_0000_0000))
                == "v128 i32x4 0x80000000 0xffffffff 0x00000000 0x7fc00000")
        #expect(ValueText.format(.funcref(0)) == "funcref null")
        #expect(ValueText.format(.externref(7)) == "externref 7")
    }

    /// What is printed reads back to the same bits.
    @Test func printedFloatsReadBack() {
        let floats: [UInt32] = [0, 0x8000_0000, 1, 0x3dcc_cccd, 0x7f7f_ffff, 0x7f80_0000, 0xffc0_0000, 0x7fa0_0001]
        for bits in floats {
            let text = String(ValueText.format(.f32(bits: bits)).dropFirst(4))
            #expect(parse(text, .f32) == .f32(bits: bits), "\(text)")
        }
        let doubles: [UInt64] = [1, 0x3fb9_9999_9999_999a, 0x7fef_ffff_ffff_ffff, 0xfff0_0000_0000_0000, 0x7ff4_0000_0000_0000]
        for bits in doubles {
            let text = String(ValueText.format(.f64(bits: bits)).dropFirst(4))
            #expect(parse(text, .f64) == .f64(bits: bits), "\(text)")
        }
    }

    /// GC references print as their abstract type; an i31 as its value where the type
    /// holds no host value.
    @Test func printingGCReferences() {
        #expect(ValueText.format(.externref(0x7f00_1230), as: ValueType(.structref)) == "structref 0x7f001230")
        #expect(ValueText.format(.externref(0), as: .reference(to: .arrayref, nullable: true)) == "arrayref null")
        #expect(ValueText.format(.externref(0xffff_fff7), as: ValueType(.i31ref)) == "i31ref -5")
        #expect(ValueText.format(.externref(15), as: ValueType(.eqref)) == "i31ref 7")
        #expect(ValueText.format(.externref(15), as: ValueType(.anyref)) == "anyref 0xf")
        #expect(ValueText.format(.externref(15), as: .externref) == "externref 15")
        #expect(ValueText.format(.i32(3), as: .i32) == "i32 3")
    }
}
