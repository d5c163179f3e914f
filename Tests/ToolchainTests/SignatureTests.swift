import Testing
import Toolchain
import WasmDecoder

/// Reading a function's type back from the signature string its module's descriptor
/// gives (the names `TypeCanon` makes), as loading a module's exports does.
@Suite struct SignatureTests {
    @Test func plainSignatures() {
        #expect(Signature.functionType("iI:fF") == FuncType(params: [.i32, .i64], results: [.f32, .f64]))
        #expect(Signature.functionType(":") == FuncType(params: [], results: []))
        #expect(Signature.functionType("iI") == nil)
        #expect(Signature.functionType("i:q") == nil)
    }

    /// References read as what a call passes: a pointer of the reference's abstract type.
    @Test func typedReferences() {
        #expect(Signature.functionType("![i:]e:!r") == FuncType(params: [.funcref, .externref], results: [.funcref]))
        #expect(Signature.functionType("A!N:x") == FuncType(params: [ValueType(.anyref), ValueType(.nullref)], results: [.exnref]))
        #expect(Signature.functionType("![i:") == nil)
        // A struct or array type's reference: structref or arrayref, also in a group.
        #expect(Signature.functionType("![s(mi)]:[a(8)]") == FuncType(params: [ValueType(.structref)], results: [ValueType(.arrayref)]))
        #expect(Signature.functionType("[{s([#1]),a(m[#0])}.1]:") == FuncType(params: [ValueType(.arrayref)], results: []))
        // A long name's digest ("@" and its shape's letter) reads by that letter.
        let digest = String(repeating: "0", count: 64)
        #expect(Signature.functionType("[@s\(digest)]![@a\(digest)]:[@f\(digest)]")
            == FuncType(params: [ValueType(.structref), ValueType(.arrayref)], results: [.funcref]))
    }

    /// A type of a recursive group is its body in the group; prefixes for finality and a
    /// supertype are skipped; a struct is not a function type.
    @Test func groupsAndSubtypes() {
        let group = "{s(m[#1]),~<[~:]>[#0]:i}"
        // "#0", the group's struct: a structref.
        #expect(Signature.functionType(group + ".1") == FuncType(params: [ValueType(.structref)], results: [.i32]))
        #expect(Signature.functionType(group + ".0") == nil)
        #expect(Signature.functionType(group + ".2") == nil)
        #expect(Signature.functionType("~<:>i:") == FuncType(params: [.i32], results: []))
    }
}
