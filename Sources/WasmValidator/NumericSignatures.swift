/// Operand and result types of the one-byte numeric instructions 0x45...0xC4
/// and of the saturating truncations (0xFC 0...7).
public struct NumericSignature: Sendable {
    /// Operand types in push order; `second` is 0 for unary instructions.
    public var first: UInt8
    public var second: UInt8
    public var result: UInt8
}


private func unary(_ operand: UInt8, _ result: UInt8) -> NumericSignature { NumericSignature(first: operand, second: 0, result: result) }
private func binary(_ operand: UInt8, _ result: UInt8) -> NumericSignature { NumericSignature(first: operand, second: operand, result: result) }

/// Indexed by `opcode - 0x45`.
public let numericSignatures: [NumericSignature] = {
    var table: [NumericSignature] = []
    func add(_ count: Int, _ signature: NumericSignature) { table += Array(repeating: signature, count: count) }
    add(1, unary(i32, i32))      // i32.eqz
    add(10, binary(i32, i32))    // i32 comparisons
    add(1, unary(i64, i32))      // i64.eqz
    add(10, binary(i64, i32))    // i64 comparisons
    add(6, binary(f32, i32))     // f32 comparisons
    add(6, binary(f64, i32))     // f64 comparisons
    add(3, unary(i32, i32))      // i32 clz ctz popcnt
    add(15, binary(i32, i32))    // i32 add ... rotr
    add(3, unary(i64, i64))
    add(15, binary(i64, i64))
    add(7, unary(f32, f32))      // f32 abs ... sqrt
    add(7, binary(f32, f32))     // f32 add ... copysign
    add(7, unary(f64, f64))
    add(7, binary(f64, f64))
    add(1, unary(i64, i32))      // i32.wrap_i64
    add(2, unary(f32, i32))      // i32.trunc_f32_s/u
    add(2, unary(f64, i32))
    add(2, unary(i32, i64))      // i64.extend_i32_s/u
    add(2, unary(f32, i64))
    add(2, unary(f64, i64))
    add(2, unary(i32, f32))      // f32.convert_i32_s/u
    add(2, unary(i64, f32))
    add(1, unary(f64, f32))      // f32.demote_f64
    add(2, unary(i32, f64))
    add(2, unary(i64, f64))
    add(1, unary(f32, f64))      // f64.promote_f32
    add(1, unary(f32, i32))      // reinterpretations
    add(1, unary(f64, i64))
    add(1, unary(i32, f32))
    add(1, unary(i64, f64))
    add(2, unary(i32, i32))      // i32.extend8_s/16_s
    add(3, unary(i64, i64))      // i64.extend8_s/16_s/32_s
    precondition(table.count == 0xC4 - 0x45 + 1)
    return table
}()

/// 0xFC 0...7: i32/i64.trunc_sat_f32/f64_s/u.
public let saturatingTruncations: [NumericSignature] = [
    unary(f32, i32), unary(f32, i32), unary(f64, i32), unary(f64, i32),
    unary(f32, i64), unary(f32, i64), unary(f64, i64), unary(f64, i64),
]

/// Natural alignment (log2 bytes) and value type of the loads and stores 0x28...0x3E.
public let memoryAccesses: [(alignment: UInt32, type: UInt8)] = [
    (2, i32), (3, i64), (2, f32), (3, f64),        // i32/i64/f32/f64.load
    (0, i32), (0, i32), (1, i32), (1, i32),        // i32.load8/16_s/u
    (0, i64), (0, i64), (1, i64), (1, i64), (2, i64), (2, i64),  // i64.load8/16/32_s/u
    (2, i32), (3, i64), (2, f32), (3, f64),        // stores
    (0, i32), (1, i32), (0, i64), (1, i64), (2, i64),
]
