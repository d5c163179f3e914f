import Foundation
import Synchronization
import WasmDecoder

/// Which wasmkiln built a cached module.
public enum ToolVersion {
    public static let version = "0.1.0"

    /// What cache keys hold of the tool: its version and what its executable's contents
    /// are. During development the lowering changes without a version bump, and reusing a
    /// module lowered by an older build would run stale code; the contents change with
    /// every such build. Never the path or the modification time, so the same tool moved
    /// or rebuilt byte for byte finds its entries again. (Objects stay shared between
    /// tools: their keys are the C text itself.)
    public static func identity(cache: BuildCache) -> String {
        "wasmkiln \(version) \(executableHash(cache: cache))"
    }

    private static let hashes = Mutex<[String: String]>([:])
    private static let executablePath = Bundle.main.executablePath ?? CommandLine.arguments.first ?? ""
    private static let ownBuildID = buildID(ofELF: executablePath)

    /// The executable's GNU build ID (a hash of its contents the linker wrote into it,
    /// read in microseconds), else the SHA-256 of its bytes, remembered for the process
    /// and in `<cache>/tools/`, where the file's path, size, inode and modification time
    /// only find the remembered hash again: a changed file has another name there.
    static func executableHash(cache: BuildCache) -> String {
        if let ownBuildID { return "build-id \(ownBuildID)" }
        let path = executablePath
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        let size = (attributes?[.size] as? NSNumber)?.int64Value ?? 0
        let inode = (attributes?[.systemFileNumber] as? NSNumber)?.int64Value ?? 0
        let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        var locator = SHA256()
        locator.field("\(path) \(size) \(inode) \(modified)")
        let note = cache.root.appendingPathComponent("tools", isDirectory: true).appendingPathComponent(locator.hexDigest())
        if let known = hashes.withLock({ $0[note.path] }) { return known }
        if let text = try? String(contentsOf: note, encoding: .utf8), text.count == 64 {
            hashes.withLock { $0[note.path] = text }
            return text
        }
        var hash = SHA256()
        if let bytes = FileManager.default.contents(atPath: path) { hash.update(bytes) } else { hash.update(path) }
        let digest = hash.hexDigest()
        try? BuildCache.createFolder(note.deletingLastPathComponent())
        try? BuildCache.write(digest, to: note)
        hashes.withLock { $0[note.path] = digest }
        return digest
    }

    /// The NT_GNU_BUILD_ID note of a little-endian ELF64 file, in hex; nil for anything
    /// else.
    static func buildID(ofELF path: String) -> String? {
        guard let file = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? file.close() }
        func read(_ offset: UInt64, _ count: Int) -> [UInt8]? {
            guard (try? file.seek(toOffset: offset)) != nil, let data = try? file.read(upToCount: count), data.count == count
            else { return nil }
            return [UInt8](data)
        }
        func integer(_ bytes: [UInt8], _ at: Int, _ size: Int) -> UInt64 {
            (0..<size).reduce(0) { $0 | UInt64(bytes[at + $1]) << (8 * $1) }
        }
        guard let header = read(0, 64), header[0..<4] == [0x7F, 0x45, 0x4C, 0x46], header[4] == 2, header[5] == 1 else { return nil }
        let programHeaders = integer(header, 0x20, 8), entrySize = integer(header, 0x36, 2), count = integer(header, 0x38, 2)
        guard entrySize >= 56, count < 256 else { return nil }
        for k in 0..<count {
            guard let entry = read(programHeaders + k * entrySize, 56), integer(entry, 0, 4) == 4 /* PT_NOTE */ else { continue }
            let size = integer(entry, 32, 8)
            guard size < 1 << 16, let notes = read(integer(entry, 8, 8), Int(size)) else { continue }
            var at = 0
            while at + 12 <= notes.count {
                let nameSize = Int(integer(notes, at, 4)), descSize = Int(integer(notes, at + 4, 4)), type = integer(notes, at + 8, 4)
                let name = at + 12, desc = name + (nameSize + 3) / 4 * 4
                guard desc + descSize <= notes.count else { break }
                if type == 3, nameSize == 4, notes[name..<(name + 4)] == [0x47, 0x4E, 0x55, 0], descSize > 0 {
                    return notes[desc..<(desc + descSize)].map { String($0, radix: 16).leftPadded(to: 2, with: "0") }.joined()
                }
                at = desc + (descSize + 3) / 4 * 4
            }
        }
        return nil
    }
}
