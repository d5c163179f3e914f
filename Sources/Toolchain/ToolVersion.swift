import Foundation
import Synchronization

/// Which wasmkiln built a cached module.
public enum ToolVersion {
    public static let version = "0.1.0"

    /// What cache keys hold of the tool: its version and a hash of the running
    /// executable's bytes. During development the lowering changes without a version bump,
    /// and reusing a module lowered by an older build would run stale code; the bytes
    /// change with every such build. Never the path or the modification time, so the same
    /// tool moved or rebuilt byte for byte finds its entries again. (Objects stay shared
    /// between tools: their keys are the C text itself.)
    public static func identity(cache: BuildCache) -> String {
        "wasmkiln \(version) \(executableHash(cache: cache))"
    }

    private static let hashes = Mutex<[String: String]>([:])

    /// The executable's SHA-256 (about 0.1 s for 15 MB), remembered for the process and in
    /// `<cache>/tools/`, where the file's path, size, inode and modification time only find
    /// the remembered hash again: a changed file has another name there.
    static func executableHash(cache: BuildCache) -> String {
        let path = Bundle.main.executablePath ?? CommandLine.arguments.first ?? ""
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
}
