import Foundation

/// What a command executable may reach of its host: directories, environment variables,
/// and how much memory. Nothing is granted unless listed here.
public struct Grants: Sendable, Hashable {
    public struct Directory: Sendable, Hashable {
        /// The host folder.
        public var host: String
        /// The name the module sees it by.
        public var guest: String

        public init(host: String, guest: String) {
            self.host = host
            self.guest = guest
        }

        /// `HOST[::GUEST]`; without a guest name the module sees the host path as given.
        public init(parsing text: String) {
            if let separator = text.range(of: "::") {
                self.init(host: String(text[..<separator.lowerBound]), guest: String(text[separator.upperBound...]))
            } else {
                self.init(host: text, guest: text)
            }
        }
    }

    public var directories: [Directory]
    /// `NAME=VALUE` entries.
    public var environment: [String]
    /// Whether the executable passes on the environment it is started with.
    public var inheritEnvironment: Bool
    /// A cap on every memory, in 64 KiB pages (`--max-memory`); nil: the declared maximum.
    public var maxMemoryPages: UInt32?
    /// A cap on the GC heap, in bytes (`--max-gc-heap`); nil: none.
    public var maxGCHeapBytes: UInt64?

    public init(directories: [Directory] = [], environment: [String] = [], inheritEnvironment: Bool = false,
                maxMemoryPages: UInt32? = nil, maxGCHeapBytes: UInt64? = nil)
    {
        self.directories = directories
        self.environment = environment
        self.inheritEnvironment = inheritEnvironment
        self.maxMemoryPages = maxMemoryPages
        self.maxGCHeapBytes = maxGCHeapBytes
    }

    /// Bytes in a size such as `64MiB`, `1GiB` or `1048576`: more than zero, at most 1 TiB.
    public static func bytes(fromSize text: String) throws(ToolchainError) -> UInt64 {
        guard let bytes = ByteSize.parse(text), bytes > 0, bytes <= UInt64(1) << 40 else {
            throw ToolchainError("'\(text)' is not a size such as 64MiB, 1GiB or 1048576 (bytes), from 1 byte to 1TiB")
        }
        return bytes
    }

    /// Pages in a size such as `256MiB`, `1GiB`, `512KiB` or `1048576` (bytes): binary
    /// units, whole 64 KiB pages (anything else is refused, naming the nearest sizes); at
    /// least one page, at most 4 GiB.
    public static func pages(fromSize text: String) throws(ToolchainError) -> UInt32 {
        guard let bytes = ByteSize.parse(text), bytes <= UInt64(1) << 32 else {
            throw ToolchainError("'\(text)' is not a memory size such as 256MiB, 1GiB or 65536 (bytes), up to 4GiB")
        }
        guard bytes >= 65536 else { throw ToolchainError("'\(text)' is less than one 64 KiB page (64KiB)") }
        guard bytes % 65536 == 0 else {
            // Rounding either way would cap the module somewhere the user did not say.
            let below = bytes / 65536, above = below + 1
            let choices = [below, above].filter { $0 <= 65536 }.map { "\($0 * 65536) (\(Self.sizeText(pages: $0)))" }
            throw ToolchainError("'\(text)' is not a whole number of 64 KiB pages: the nearest sizes are \(choices.joined(separator: " and "))")
        }
        return UInt32(bytes / 65536)
    }

    /// A number of pages as the shortest exact size text: 64KiB, 1536KiB, 2MiB, 4GiB.
    static func sizeText(pages: UInt64) -> String {
        let kib = pages * 64
        if kib % (1 << 20) == 0 { return "\(kib >> 20)GiB" }
        if kib % (1 << 10) == 0 { return "\(kib >> 10)MiB" }
        return "\(kib)KiB"
    }

    /// The grants with each host folder made absolute (a baked-in relative path would
    /// depend on where the executable is started), after checking it can be opened.
    public func resolved(relativeTo folder: String = FileManager.default.currentDirectoryPath) throws(ToolchainError) -> Grants {
        var grants = self
        grants.directories = try directories.map { directory throws(ToolchainError) in
            guard !directory.host.isEmpty, !directory.guest.isEmpty else {
                throw ToolchainError("--dir \(directory.host)::\(directory.guest): the host and guest names cannot be empty")
            }
            let url = URL(fileURLWithPath: directory.host, relativeTo: URL(fileURLWithPath: folder, isDirectory: true))
            let path = url.standardizedFileURL.path
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue,
                  FileManager.default.isReadableFile(atPath: path), FileManager.default.isExecutableFile(atPath: path)
            else {
                throw ToolchainError("--dir \(directory.host): not a readable directory")
            }
            return Directory(host: path, guest: directory.guest)
        }
        for entry in environment where !entry.contains("=") || entry.hasPrefix("=") {
            throw ToolchainError("--env \(entry): expected NAME=VALUE")
        }
        return grants
    }

    /// A stable text of everything granted, for cache keys.
    public var keyText: String {
        let folders = directories.map { "dir \($0.host.utf8.count):\($0.host) \($0.guest.utf8.count):\($0.guest)" }
        let variables = environment.map { "env \($0.utf8.count):\($0)" }
        let memory = maxMemoryPages.map { "max-memory-pages=\($0)" } ?? "max-memory-pages=none"
        // Named only when set, so that the keys of executables built before it stay the same.
        let gcHeap = maxGCHeapBytes.map { ["max-gc-heap-bytes=\($0)"] } ?? []
        return (folders + variables + ["inherit=\(inheritEnvironment)", memory] + gcHeap).joined(separator: "\n")
    }
}
