/// The source lines of a module's code, from the DWARF line programs in its `.debug_line`
/// custom section (what `clang -g` writes; DWARF versions 2 to 5). In a wasm module DWARF
/// addresses are offsets from the start of the code section's payload; rows here are
/// keyed by module offset instead, as instruction offsets are everywhere else.
public struct DWARFLineTable: Sendable {
    public struct Row: Sendable, Equatable {
        /// Module offset from which this row holds, up to the next row's.
        public var offset: Int
        /// Index into `files`.
        public var file: Int32
        /// 1-based; 0 where the code has no source line (compiler-made code, or past the
        /// end of a sequence).
        public var line: UInt32

        public init(offset: Int, file: Int32, line: UInt32) {
            self.offset = offset
            self.file = file
            self.line = line
        }
    }

    /// The source files, as the line programs name them (directory joined with name).
    public private(set) var files: [String] = []
    /// Sorted by offset.
    public private(set) var rows: [Row] = []

    /// The module's line table; nil when it has no `.debug_line` or no code section, or
    /// when its line programs cannot be read (debug information never makes a module fail).
    public init?(module: Module) {
        guard let code = module.sections.first(where: { $0.id == 10 }),
              let lines = module.customSections.first(where: { $0.name == ".debug_line" })
        else { return nil }
        func section(_ name: String) -> Range<Int> {
            module.customSections.first { $0.name == name }?.range ?? 0..<0
        }
        do {
            try self.init(bytes: module.bytes, debugLine: lines.range, lineStrings: section(".debug_line_str"),
                          strings: section(".debug_str"), code: code.range)
        } catch {
            return nil
        }
        if rows.isEmpty { return nil }
    }

    /// Reads every line program in `debugLine` (ranges of `bytes`), keeping the sequences
    /// that lie in `code`. wasm-ld leaves the sequences of functions it dropped at a
    /// tombstone address (0, or -1 since LLVM 12): those are left out.
    public init(bytes: [UInt8], debugLine: Range<Int>, lineStrings: Range<Int> = 0..<0, strings: Range<Int> = 0..<0,
                code: Range<Int>) throws(DWARFError)
    {
        var fileIndex: [String: Int32] = [:]
        var reader = DWARFReader(bytes: bytes, position: debugLine.lowerBound, end: debugLine.upperBound)
        var collected: [(row: Row, endsSequence: Bool)] = []
        while !reader.isAtEnd {
            var unit = try LineProgram(reader: &reader, lineStrings: lineStrings, strings: strings, bytes: bytes)
            let global = unit.files.map { path in
                if let index = fileIndex[path] { return index }
                let index = Int32(files.count)
                files.append(path)
                fileIndex[path] = index
                return index
            }
            try unit.run { sequence in
                guard let first = sequence.first, first.address != 0, first.address < UInt64(code.count) else { return }
                for row in sequence {
                    // A row past the code (a sequence's end at the code's end) still ends it.
                    let address = Int(min(row.address, UInt64(code.count)))
                    let file = row.file >= 0 && row.file < global.count ? global[row.file] : -1
                    let line = row.endsSequence || file < 0 ? 0 : row.line
                    collected.append((Row(offset: code.lowerBound + address, file: max(file, 0), line: line), row.endsSequence))
                }
            }
        }
        // Where one sequence ends at the address another starts, its end goes first so
        // that the row that starts there wins.
        collected.sort { $0.row.offset != $1.row.offset ? $0.row.offset < $1.row.offset : $0.endsSequence && !$1.endsSequence }
        rows = collected.map(\.row)
    }

    /// The index of the row that holds at module offset `offset`, if any.
    public func rowIndex(at offset: Int) -> Int? {
        var low = 0, high = rows.count  // first row past `offset`
        while low < high {
            let middle = (low + high) / 2
            if rows[middle].offset <= offset { low = middle + 1 } else { high = middle }
        }
        return low == 0 ? nil : low - 1
    }

    /// The first row at or after `offset`, before `end`.
    public func firstRow(in range: Range<Int>) -> Int? {
        let index = (rowIndex(at: range.lowerBound - 1) ?? -1) + 1
        return index < rows.count && rows[index].offset < range.upperBound ? index : nil
    }

    /// The source file and line of the code at module offset `offset`.
    public func location(at offset: Int) -> (file: String, line: Int)? {
        guard let index = rowIndex(at: offset), rows[index].line != 0 else { return nil }
        return (files[Int(rows[index].file)], Int(rows[index].line))
    }
}

public struct DWARFError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public var offset: Int
}

/// Little-endian reads within a range of the module's bytes.
struct DWARFReader {
    let bytes: [UInt8]
    var position: Int
    var end: Int

    var isAtEnd: Bool { position >= end }

    func error(_ message: String) -> DWARFError { DWARFError(description: message, offset: position) }

    mutating func u8() throws(DWARFError) -> UInt8 {
        guard position < end else { throw error("unexpected end of DWARF data") }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func fixed(_ size: Int) throws(DWARFError) -> UInt64 {
        guard size <= end - position else { throw error("unexpected end of DWARF data") }
        var value: UInt64 = 0
        for k in 0..<size { value |= UInt64(bytes[position + k]) << (8 * k) }
        position += size
        return value
    }

    mutating func uleb() throws(DWARFError) -> UInt64 {
        var value: UInt64 = 0, shift: UInt64 = 0
        while true {
            let byte = try u8()
            if shift < 64 { value |= UInt64(byte & 0x7f) << shift }
            shift += 7
            if byte & 0x80 == 0 { return value }
        }
    }

    mutating func sleb() throws(DWARFError) -> Int64 {
        var value: Int64 = 0, shift: Int64 = 0, byte: UInt8
        repeat {
            byte = try u8()
            if shift < 64 { value |= Int64(byte & 0x7f) << shift }
            shift += 7
        } while byte & 0x80 != 0
        if shift < 64, byte & 0x40 != 0 { value |= -1 << shift }
        return value
    }

    mutating func skip(_ count: UInt64) throws(DWARFError) {
        guard count <= UInt64(end - position) else { throw error("unexpected end of DWARF data") }
        position += Int(count)
    }

    mutating func cString() throws(DWARFError) -> String {
        let start = position
        while try u8() != 0 {}
        return String(decoding: bytes[start..<position - 1], as: UTF8.self)
    }

    /// The string at `offset` in a string section (`.debug_str`, `.debug_line_str`).
    func string(at offset: UInt64, in section: Range<Int>) throws(DWARFError) -> String {
        guard offset < UInt64(section.count) else { throw error("string offset out of bounds") }
        var reader = DWARFReader(bytes: bytes, position: section.lowerBound + Int(offset), end: section.upperBound)
        return try reader.cString()
    }
}

/// One line program: its header, then its opcodes run by `run`.
struct LineProgram {
    struct Row {
        var address: UInt64
        var file: Int  // into `files`
        var line: UInt32
        var endsSequence: Bool
    }

    var reader: DWARFReader
    let version: UInt16
    let minimumInstructionLength: UInt64
    let lineBase: Int64
    let lineRange: UInt64
    let opcodeBase: UInt8
    let standardLengths: [UInt8]
    let addressSize: Int
    /// Paths of the program's files; `firstFile` is the number its opcodes give the first
    /// (1 before DWARF 5, 0 from it).
    var files: [String] = []
    var directories: [String] = []
    let firstFile: Int

    init(reader outer: inout DWARFReader, lineStrings: Range<Int>, strings: Range<Int>, bytes: [UInt8]) throws(DWARFError) {
        var length = try outer.fixed(4)
        var offsetSize = 4
        if length == 0xffff_ffff {
            length = try outer.fixed(8)
            offsetSize = 8
        }
        guard length <= UInt64(outer.end - outer.position) else { throw outer.error("line program length out of bounds") }
        var reader = DWARFReader(bytes: bytes, position: outer.position, end: outer.position + Int(length))
        outer.position = reader.end
        version = UInt16(try reader.fixed(2))
        guard (2...5).contains(version) else { throw reader.error("unsupported DWARF line table version \(version)") }
        var addressSize = 4
        if version >= 5 {
            addressSize = Int(try reader.u8())
            _ = try reader.u8()  // segment selector size
        }
        self.addressSize = addressSize
        let headerLength = try reader.fixed(offsetSize)
        guard headerLength <= UInt64(reader.end - reader.position) else { throw reader.error("line program header out of bounds") }
        let programStart = reader.position + Int(headerLength)
        minimumInstructionLength = UInt64(try reader.u8())
        if version >= 4 { _ = try reader.u8() }  // maximum operations per instruction: 1 outside VLIW
        _ = try reader.u8()  // default_is_stmt
        lineBase = Int64(Int8(bitPattern: try reader.u8()))
        lineRange = UInt64(try reader.u8())
        guard lineRange != 0 else { throw reader.error("line_range 0") }
        opcodeBase = try reader.u8()
        var lengths: [UInt8] = []
        for _ in 1..<max(Int(opcodeBase), 1) { lengths.append(try reader.u8()) }
        standardLengths = lengths

        if version >= 5 {
            firstFile = 0
            let strings = (line: lineStrings, str: strings)
            directories = try Self.entries(&reader, offsetSize: offsetSize, strings: strings).map { $0.path }
            let names = try Self.entries(&reader, offsetSize: offsetSize, strings: strings)
            let directories = directories, version = version
            files = names.map { Self.join(directory: $0.directory, $0.path, directories: directories, version: version) }
        } else {
            firstFile = 1
            while true {
                let directory = try reader.cString()
                if directory.isEmpty { break }
                directories.append(directory)
            }
            while true {
                let name = try reader.cString()
                if name.isEmpty { break }
                let directory = Int(clamping: try reader.uleb())
                _ = try reader.uleb()  // modification time
                _ = try reader.uleb()  // length
                files.append(Self.join(directory: directory, name, directories: directories, version: version))
            }
        }
        reader.position = programStart
        self.reader = reader
    }

    /// A DWARF 5 directory or file name table: entries described by (content type, form) pairs.
    static func entries(_ reader: inout DWARFReader, offsetSize: Int, strings: (line: Range<Int>, str: Range<Int>))
        throws(DWARFError) -> [(path: String, directory: Int)]
    {
        let formatCount = Int(try reader.u8())
        var formats: [(content: UInt64, form: UInt64)] = []
        for _ in 0..<formatCount { formats.append((try reader.uleb(), try reader.uleb())) }
        let count = try reader.uleb()
        guard count <= UInt64(reader.end - reader.position) else { throw reader.error("too many entries") }
        var entries: [(path: String, directory: Int)] = []
        for _ in 0..<count {
            var entry = (path: "", directory: 0)
            for format in formats {
                var text: String?
                var number: UInt64?
                switch format.form {
                case 0x08: text = try reader.cString()  // DW_FORM_string
                case 0x1f: text = try reader.string(at: try reader.fixed(offsetSize), in: strings.line)  // line_strp
                case 0x0e: text = try reader.string(at: try reader.fixed(offsetSize), in: strings.str)  // strp
                case 0x0b: number = try reader.fixed(1)  // data1
                case 0x05: number = try reader.fixed(2)  // data2
                case 0x06: number = try reader.fixed(4)  // data4
                case 0x07: number = try reader.fixed(8)  // data8
                case 0x0f: number = try reader.uleb()  // udata
                case 0x1e: _ = try reader.fixed(8); _ = try reader.fixed(8)  // data16 (an MD5)
                case 0x09: try reader.skip(try reader.uleb())  // block
                default: throw reader.error("unsupported form 0x\(String(format.form, radix: 16)) in a line table header")
                }
                if format.content == 1, let text { entry.path = text }  // DW_LNCT_path
                if format.content == 2, let number { entry.directory = Int(clamping: number) }  // DW_LNCT_directory_index
            }
            entries.append(entry)
        }
        return entries
    }

    /// A file's path: its name under its directory. Before DWARF 5 directory 0 is the
    /// compilation's, which the line table does not name; from 5 on it is entry 0, and the
    /// others are relative to it unless absolute.
    static func join(directory: Int, _ name: String, directories: [String], version: UInt16) -> String {
        if name.hasPrefix("/") { return name }
        let index = version >= 5 ? directory : directory - 1
        guard index >= 0, index < directories.count else { return name }
        var path = directories[index]
        if version >= 5, index != 0, !path.hasPrefix("/"), let base = directories.first, !base.isEmpty {
            path = base + "/" + path
        }
        return path.isEmpty || path == "." ? name : path + "/" + name
    }

    /// Runs the program, handing each sequence's rows (its last is its end) to `sequence`.
    mutating func run(_ sequence: ([Row]) -> Void) throws(DWARFError) {
        var rows: [Row] = []
        var address: UInt64 = 0, file = 1, line: Int64 = 1
        func reset() { address = 0; file = 1; line = 1 }
        func append(ends: Bool = false) {
            rows.append(Row(address: address, file: file - firstFile, line: UInt32(clamping: line), endsSequence: ends))
        }
        while !reader.isAtEnd {
            let opcode = try reader.u8()
            if opcode >= opcodeBase {
                let adjusted = UInt64(opcode - opcodeBase)
                address &+= adjusted / lineRange &* minimumInstructionLength
                line &+= lineBase + Int64(adjusted % lineRange)
                append()
                continue
            }
            switch opcode {
            case 0:  // extended
                let length = Int(clamping: try reader.uleb())
                guard length > 0, length <= reader.end - reader.position else { throw reader.error("bad extended opcode length") }
                let next = reader.position + length
                let sub = try reader.u8()
                switch sub {
                case 1:  // DW_LNE_end_sequence
                    append(ends: true)
                    sequence(rows)
                    rows.removeAll(keepingCapacity: true)
                    reset()
                case 2: address = try reader.fixed(min(length - 1, 8))  // DW_LNE_set_address
                case 3:  // DW_LNE_define_file
                    let name = try reader.cString()
                    let directory = Int(clamping: try reader.uleb())
                    files.append(Self.join(directory: directory, name, directories: directories, version: version))
                default: break  // set_discriminator and vendor extensions
                }
                reader.position = next
            case 1: append()  // DW_LNS_copy
            case 2: address &+= try reader.uleb() &* minimumInstructionLength  // advance_pc
            case 3: line &+= try reader.sleb()  // advance_line
            case 4: file = Int(clamping: try reader.uleb())  // set_file
            case 8: address &+= UInt64(255 - opcodeBase) / lineRange &* minimumInstructionLength  // const_add_pc
            case 9: address &+= try reader.fixed(2)  // fixed_advance_pc
            default:  // column, flags, isa, and opcodes of later versions: skip their operands
                let count = Int(opcode) - 1 < standardLengths.count ? standardLengths[Int(opcode) - 1] : 0
                for _ in 0..<count { _ = try reader.uleb() }
            }
        }
    }
}
