/// C expressions for the numeric instructions. `A` and `B` stand for the first and
/// second operand. Integers are unsigned in C, so signed operations cast.
enum NumericTemplates {
    static func template(_ opcode: UInt8) -> String? {
        table[Int(opcode)]
    }

    static func saturating(_ code: UInt32) -> String {
        ["wk_i32_trunc_sat_f32_s(A)", "wk_i32_trunc_sat_f32_u(A)", "wk_i32_trunc_sat_f64_s(A)", "wk_i32_trunc_sat_f64_u(A)",
         "wk_i64_trunc_sat_f32_s(A)", "wk_i64_trunc_sat_f32_u(A)", "wk_i64_trunc_sat_f64_s(A)", "wk_i64_trunc_sat_f64_u(A)"][Int(code)]
    }

    private static let table: [String?] = {
        var t = [String?](repeating: nil, count: 256)
        // i32 tests and comparisons
        t[0x45] = "A == 0"
        t[0x46] = "A == B"; t[0x47] = "A != B"
        t[0x48] = "(int32_t)A < (int32_t)B"; t[0x49] = "A < B"
        t[0x4A] = "(int32_t)A > (int32_t)B"; t[0x4B] = "A > B"
        t[0x4C] = "(int32_t)A <= (int32_t)B"; t[0x4D] = "A <= B"
        t[0x4E] = "(int32_t)A >= (int32_t)B"; t[0x4F] = "A >= B"
        // i64
        t[0x50] = "A == 0"
        t[0x51] = "A == B"; t[0x52] = "A != B"
        t[0x53] = "(int64_t)A < (int64_t)B"; t[0x54] = "A < B"
        t[0x55] = "(int64_t)A > (int64_t)B"; t[0x56] = "A > B"
        t[0x57] = "(int64_t)A <= (int64_t)B"; t[0x58] = "A <= B"
        t[0x59] = "(int64_t)A >= (int64_t)B"; t[0x5A] = "A >= B"
        // float comparisons (false on NaN, as in C)
        for base in [0x5B, 0x61] {
            t[base] = "A == B"; t[base + 1] = "A != B"; t[base + 2] = "A < B"
            t[base + 3] = "A > B"; t[base + 4] = "A <= B"; t[base + 5] = "A >= B"
        }
        // i32 arithmetic
        t[0x67] = "wk_i32_clz(A)"; t[0x68] = "wk_i32_ctz(A)"; t[0x69] = "(uint32_t)__builtin_popcount(A)"
        t[0x6A] = "A + B"; t[0x6B] = "A - B"; t[0x6C] = "A * B"
        t[0x6D] = "wk_i32_div_s(A, B)"; t[0x6E] = "wk_i32_div_u(A, B)"
        t[0x6F] = "wk_i32_rem_s(A, B)"; t[0x70] = "wk_i32_rem_u(A, B)"
        t[0x71] = "A & B"; t[0x72] = "A | B"; t[0x73] = "A ^ B"
        t[0x74] = "A << (B & 31)"; t[0x75] = "(uint32_t)((int32_t)A >> (B & 31))"; t[0x76] = "A >> (B & 31)"
        t[0x77] = "wk_i32_rotl(A, B)"; t[0x78] = "wk_i32_rotr(A, B)"
        // i64 arithmetic
        t[0x79] = "wk_i64_clz(A)"; t[0x7A] = "wk_i64_ctz(A)"; t[0x7B] = "(uint64_t)__builtin_popcountll(A)"
        t[0x7C] = "A + B"; t[0x7D] = "A - B"; t[0x7E] = "A * B"
        t[0x7F] = "wk_i64_div_s(A, B)"; t[0x80] = "wk_i64_div_u(A, B)"
        t[0x81] = "wk_i64_rem_s(A, B)"; t[0x82] = "wk_i64_rem_u(A, B)"
        t[0x83] = "A & B"; t[0x84] = "A | B"; t[0x85] = "A ^ B"
        t[0x86] = "A << (B & 63)"; t[0x87] = "(uint64_t)((int64_t)A >> (B & 63))"; t[0x88] = "A >> (B & 63)"
        t[0x89] = "wk_i64_rotl(A, B)"; t[0x8A] = "wk_i64_rotr(A, B)"
        // f32 and f64 arithmetic
        for (base, w) in [(0x8B, "f32"), (0x99, "f64")] {
            t[base] = "wk_\(w)_abs(A)"; t[base + 1] = "wk_\(w)_neg(A)"; t[base + 2] = "wk_\(w)_ceil(A)"
            t[base + 3] = "wk_\(w)_floor(A)"; t[base + 4] = "wk_\(w)_trunc(A)"; t[base + 5] = "wk_\(w)_nearest(A)"
            t[base + 6] = "wk_\(w)_sqrt(A)"
            t[base + 7] = "A + B"; t[base + 8] = "A - B"; t[base + 9] = "A * B"; t[base + 10] = "A / B"
            t[base + 11] = "wk_\(w)_min(A, B)"; t[base + 12] = "wk_\(w)_max(A, B)"; t[base + 13] = "wk_\(w)_copysign(A, B)"
        }
        // conversions
        t[0xA7] = "(uint32_t)A"
        t[0xA8] = "wk_i32_trunc_f32_s(A)"; t[0xA9] = "wk_i32_trunc_f32_u(A)"
        t[0xAA] = "wk_i32_trunc_f64_s(A)"; t[0xAB] = "wk_i32_trunc_f64_u(A)"
        t[0xAC] = "(uint64_t)(int64_t)(int32_t)A"; t[0xAD] = "(uint64_t)A"
        t[0xAE] = "wk_i64_trunc_f32_s(A)"; t[0xAF] = "wk_i64_trunc_f32_u(A)"
        t[0xB0] = "wk_i64_trunc_f64_s(A)"; t[0xB1] = "wk_i64_trunc_f64_u(A)"
        t[0xB2] = "(float)(int32_t)A"; t[0xB3] = "(float)A"; t[0xB4] = "(float)(int64_t)A"; t[0xB5] = "(float)A"
        t[0xB6] = "wk_f32_demote(A)"
        t[0xB7] = "(double)(int32_t)A"; t[0xB8] = "(double)A"; t[0xB9] = "(double)(int64_t)A"; t[0xBA] = "(double)A"
        t[0xBB] = "(double)A"
        t[0xBC] = "wk_f32_bits(A)"; t[0xBD] = "wk_f64_bits(A)"; t[0xBE] = "wk_f32_from(A)"; t[0xBF] = "wk_f64_from(A)"
        t[0xC0] = "(uint32_t)(int32_t)(int8_t)A"; t[0xC1] = "(uint32_t)(int32_t)(int16_t)A"
        t[0xC2] = "(uint64_t)(int64_t)(int8_t)A"; t[0xC3] = "(uint64_t)(int64_t)(int16_t)A"
        t[0xC4] = "(uint64_t)(int64_t)(int32_t)A"
        return t
    }()
}
