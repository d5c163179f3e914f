import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The cache's size, and keeping it bounded (`wasmkiln cache`). It is made of entries
/// kept or dropped whole: an object file (`objects/<key>.o`) or a runtime's, module's or
/// executable's folder. An entry's last use is the newest modification time in it: a
/// build touches what it reuses (`reuse`), so pruning drops the least recently used.
extension BuildCache {
    public struct Entry: Sendable {
        public var url: URL
        public var bytes: UInt64
        public var lastUse: Date
    }

    /// The folders of entries; anything else under the root (`tools/`) is small and kept.
    static let entryFolders = ["objects", "runtime", "modules", "executables"]

    /// `$WASMKILN_CACHE_MAX_SIZE` (a size such as 5GiB, or `off`), else 5 GiB: what a build
    /// prunes the cache to when it ends.
    public static let defaultBound: UInt64 = 5 << 30

    /// Marks an entry's file as used now, if it exists.
    static func reuse(_ url: URL) -> Bool {
        guard exists(url) else { return false }
        _ = utimes(url.path, nil)
        return true
    }

    /// Every entry, with its size and last use.
    public func entries() -> [Entry] {
        var found: [Entry] = []
        let manager = FileManager.default
        for name in Self.entryFolders {
            let folder = root.appendingPathComponent(name, isDirectory: true)
            guard let children = try? manager.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil) else { continue }
            for child in children {
                var bytes: UInt64 = 0
                var newest = Self.modified(child)
                if let walker = manager.enumerator(at: child, includingPropertiesForKeys: [.fileSizeKey, .contentModificationDateKey]) {
                    for case let file as URL in walker {
                        let values = try? file.resourceValues(forKeys: [.fileSizeKey, .contentModificationDateKey])
                        bytes += UInt64(values?.fileSize ?? 0)
                        if let date = values?.contentModificationDate, date > newest { newest = date }
                    }
                }
                if bytes == 0 { bytes = UInt64((try? child.resourceValues(forKeys: [.fileSizeKey]))?.fileSize ?? 0) }
                found.append(Entry(url: child, bytes: bytes, lastUse: newest))
            }
        }
        return found
    }

    static func modified(_ url: URL) -> Date {
        (try? url.resourceValues(forKeys: [.contentModificationDateKey]))?.contentModificationDate ?? .distantPast
    }

    /// Removes everything the cache holds.
    public func clear() throws(ToolchainError) {
        for name in Self.entryFolders + ["tools"] {
            let folder = root.appendingPathComponent(name, isDirectory: true)
            guard Self.exists(folder) else { continue }
            do {
                try FileManager.default.removeItem(at: folder)
            } catch {
                throw ToolchainError("cannot remove \(folder.path): \(error.localizedDescription)")
            }
        }
    }

    /// Removes the least recently used entries until the rest take at most `maxBytes`.
    /// Entries used in the last `recent` seconds stay even past the bound: another
    /// process may be building with them right now.
    @discardableResult
    public func prune(maxBytes: UInt64, recent: TimeInterval = 600, now: Date = Date()) -> (removed: Int, freed: UInt64) {
        let all = entries().sorted { $0.lastUse < $1.lastUse }
        var total = all.reduce(0) { $0 + $1.bytes }
        var removed = 0, freed: UInt64 = 0
        for entry in all where total > maxBytes && now.timeIntervalSince(entry.lastUse) > recent {
            guard (try? FileManager.default.removeItem(at: entry.url)) != nil else { continue }
            total -= entry.bytes
            freed += entry.bytes
            removed += 1
        }
        return (removed, freed)
    }

    /// `prune`, unless one ran in the last `interval` seconds (by the stamp file
    /// `last-prune`): a prune reads every file of the cache, which takes a minute for one
    /// of 800k files (a spec-suite run leaves that many), and entries used within
    /// `recent` stay anyway. So a run of builds prunes once in ten minutes, not each time.
    public func pruneIfDue(maxBytes: UInt64, interval: TimeInterval = 600, now: Date = Date()) {
        let stamp = root.appendingPathComponent("last-prune")
        if now.timeIntervalSince(Self.modified(stamp)) < interval { return }
        if !Self.reuse(stamp) { _ = FileManager.default.createFile(atPath: stamp.path, contents: nil) }
        prune(maxBytes: maxBytes)
    }

    /// The bound a build applies when it ends: `$WASMKILN_CACHE_MAX_SIZE`, or nil when set
    /// to `off`; an unreadable value is an error.
    public static func bound(environment: [String: String] = ProcessInfo.processInfo.environment) throws(ToolchainError) -> UInt64? {
        guard let text = environment["WASMKILN_CACHE_MAX_SIZE"], !text.isEmpty else { return defaultBound }
        if text == "off" { return nil }
        guard let bytes = ByteSize.parse(text) else {
            throw ToolchainError("WASMKILN_CACHE_MAX_SIZE=\(text): expected a size such as 5GiB or 500MiB, or off")
        }
        return bytes
    }
}

/// Sizes as people write them: `5GiB`, `512MiB`, `64KiB`, `1G`, or bytes (`65536`, `100B`);
/// binary units.
public enum ByteSize {
    static let units: [(suffix: String, scale: UInt64)] = [
        ("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30), ("TiB", 1 << 40),
        ("K", 1 << 10), ("M", 1 << 20), ("G", 1 << 30), ("T", 1 << 40), ("B", 1),
    ]

    public static func parse(_ text: String) -> UInt64? {
        let unit = units.first { text.hasSuffix($0.suffix) } ?? ("", 1)
        let digits = text.dropLast(unit.suffix.count)
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let number = UInt64(digits),
              number <= UInt64.max / unit.scale
        else { return nil }
        return number * unit.scale
    }

    /// Bytes as the largest binary unit that keeps one decimal: 1.5 GiB, 320.0 KiB, 12 B.
    public static func text(_ bytes: UInt64) -> String {
        let units = ["KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes), unit = "B"
        for next in units where value >= 1024 {
            value /= 1024
            unit = next
        }
        return unit == "B" ? "\(bytes) B" : String(format: "%.1f %@", value, unit)
    }
}
