import Testing
import WasmDecoder

/// Type names and equality (`TypeCanon`): what other modules and the runtime compare.
@Suite struct TypeCanonTests {
    static func function(_ params: [ValueType], _ results: [ValueType], group: Range<Int>) -> TypeDefinition {
        TypeDefinition(composite: .function(FuncType(params: params, results: results)), group: group)
    }

    /// A struct with one mutable field of `(ref null $target)`.
    static func link(to target: UInt32, group: Range<Int>, isFinal: Bool = true) -> TypeDefinition {
        let field = FieldType(storage: .value(.reference(toType: target, kind: .structref, nullable: true)), isMutable: true)
        return TypeDefinition(composite: .structure([field]), isFinal: isFinal, group: group)
    }

    @Test func plainFunctionTypesKeepTheirSignatures() {
        let canon = TypeCanon(definitions: [
            Self.function([.i32, .i64], [.f32], group: 0..<1),
            Self.function([.reference(toType: 0, nullable: false), .funcref], [], group: 1..<2),
            Self.function([.i32, .i64], [.f32], group: 2..<3),
        ])
        #expect(canon.signatures == ["iI:f", "![iI:f]r:", "iI:f"])
        #expect(canon.canonical == [0, 1, 0])
    }

    /// Two groups of one self-referring type each are the same type; a group is named whole,
    /// so the same two types in the other order are different types (iso-recursive).
    @Test func recursiveGroupsAreEqualByStructure() {
        let canon = TypeCanon(definitions: [
            Self.link(to: 0, group: 0..<1),
            Self.link(to: 1, group: 1..<2),
            // (rec (type $a (struct (field (mut (ref null $b))))) (type $b (struct (field (mut i8)))))
            Self.link(to: 3, group: 2..<4),
            TypeDefinition(composite: .structure([FieldType(storage: .i8, isMutable: true)]), group: 2..<4),
            // The same group again, and then in the other order.
            Self.link(to: 5, group: 4..<6),
            TypeDefinition(composite: .structure([FieldType(storage: .i8, isMutable: true)]), group: 4..<6),
            TypeDefinition(composite: .structure([FieldType(storage: .i8, isMutable: true)]), group: 6..<8),
            Self.link(to: 6, group: 6..<8),
        ])
        #expect(canon.signatures[0] == "{s(m[#0])}.0")
        #expect(canon.canonical[1] == 0)
        #expect(canon.canonical[4] == 2 && canon.canonical[5] == 3)
        #expect(canon.canonical[6] != 3 && canon.canonical[7] != 2)
        #expect(Set(canon.signatures[2...3]).isDisjoint(with: canon.signatures[6...7]))
    }

    /// Finality and a declared supertype are part of a type.
    @Test func finalityAndSupertypesDistinguishTypes() {
        var open = Self.function([], [], group: 1..<2)
        open.isFinal = false
        var sub = Self.function([], [], group: 2..<3)
        sub.supertype = 1
        let canon = TypeCanon(definitions: [Self.function([], [], group: 0..<1), open, sub])
        #expect(canon.signatures == [":", "~:", "<~:>:"])
        #expect(Set(canon.canonical).count == 3)
    }

    /// Types that each refer to the one before twice: names embedding names whole would
    /// double each time (2^40 here); a long name is referred to by its digest instead, so
    /// names stay short, and equal chains still give equal names.
    @Test func nestingKeepsNamesShort() {
        func pair(of target: UInt32, at index: Int) -> TypeDefinition {
            let field = FieldType(storage: .value(.reference(toType: target, kind: .structref, nullable: true)), isMutable: false)
            return TypeDefinition(composite: .structure([field, field]), group: index..<index + 1)
        }
        func chain(_ count: Int) -> [TypeDefinition] {
            [TypeDefinition(composite: .structure([FieldType(storage: .value(.i32), isMutable: false)]), group: 0..<1)]
                + (1..<count).map { pair(of: UInt32($0 - 1), at: $0) }
        }
        let canon = TypeCanon(definitions: chain(40) + chain(40).map { definition in
            var shifted = definition
            shifted.group = definition.group.lowerBound + 40..<definition.group.upperBound + 40
            if case .structure(let fields) = definition.composite, fields.count == 2,
               case .value(let type) = fields[0].storage, let target = type.typeIndex {
                let field = FieldType(storage: .value(.reference(toType: target + 40, kind: .structref, nullable: true)), isMutable: false)
                shifted.composite = .structure([field, field])
            }
            return shifted
        })
        #expect(canon.signatures.allSatisfy { $0.utf8.count <= 2 * (TypeCanon.longestEmbeddedName + 8) })
        #expect(canon.signatures[39].hasPrefix("s([@s") && canon.signatures[39].hasSuffix("])"))
        #expect(canon.canonical[40..<80].elementsEqual(0..<40))
        #expect(Set(canon.signatures[0..<40]).count == 40)
    }
}
