import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The folder where builds are kept between runs, keyed by content hashes:
///
///     objects/<key>.o            one compiled translation unit
///     runtime/<key>/             the runtime's sources, objects' home and libwasmkiln-rt.so
///     modules/<key>/             a module's generated C and its shared library
///
/// Every file appears by an atomic rename, so concurrent builds (threads or processes)
/// never see a half-written entry; at worst they do the same work twice.
public struct BuildCache: Sendable {
    public let root: URL

    public init(root: URL) {
        self.root = root
    }

    /// `$WASMKILN_CACHE`, else `$XDG_CACHE_HOME/wasmkiln`, else `~/.cache/wasmkiln`.
    public static func defaultRoot(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let path = environment["WASMKILN_CACHE"], !path.isEmpty {
            return URL(fileURLWithPath: path, isDirectory: true)
        }
        if let path = environment["XDG_CACHE_HOME"], !path.isEmpty {
            return URL(fileURLWithPath: path, isDirectory: true).appendingPathComponent("wasmkiln", isDirectory: true)
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return URL(fileURLWithPath: home, isDirectory: true)
            .appendingPathComponent(".cache", isDirectory: true)
            .appendingPathComponent("wasmkiln", isDirectory: true)
    }

    public func object(_ key: String) -> URL {
        root.appendingPathComponent("objects", isDirectory: true).appendingPathComponent("\(key).o")
    }

    public func runtimeFolder(_ key: String) -> URL {
        root.appendingPathComponent("runtime", isDirectory: true).appendingPathComponent(key, isDirectory: true)
    }

    public func moduleFolder(_ key: String) -> URL {
        root.appendingPathComponent("modules", isDirectory: true).appendingPathComponent(key, isDirectory: true)
    }

    static func exists(_ url: URL) -> Bool {
        FileManager.default.fileExists(atPath: url.path)
    }

    static func createFolder(_ url: URL) throws(ToolchainError) {
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw ToolchainError("cannot create \(url.path): \(error.localizedDescription)")
        }
    }

    /// A fresh name beside `url` to build into before `publish`.
    static func temporary(for url: URL) -> URL {
        url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
    }

    /// Moves a finished file into place, replacing what is there in one step.
    static func publish(_ temporary: URL, as url: URL) throws(ToolchainError) {
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw ToolchainError("cannot move \(temporary.path) to \(url.path): \(reason)")
        }
    }

    /// Writes `contents` to `url` unless the file already holds exactly that, so that
    /// rewriting the same sources keeps their timestamps.
    static func write(_ contents: String, to url: URL) throws(ToolchainError) {
        let data = Data(contents.utf8)
        if let existing = FileManager.default.contents(atPath: url.path), existing == data { return }
        let temporary = temporary(for: url)
        do {
            try data.write(to: temporary)
        } catch {
            throw ToolchainError("cannot write \(url.path): \(error.localizedDescription)")
        }
        try publish(temporary, as: url)
    }
}

/// A failure to build: the compiler missing or failing, or a file that cannot be written.
public struct ToolchainError: Error, CustomStringConvertible, Sendable {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
