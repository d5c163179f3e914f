import ArgumentParser
import Foundation
import Toolchain

struct Cache: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show, prune or clear the build cache.",
        discussion: """
            The cache ($WASMKILN_CACHE, else $XDG_CACHE_HOME/wasmkiln, else \
            ~/.cache/wasmkiln) keeps compiled units, runtimes, modules and the executables \
            of `run`, keyed by their contents and the tool's. Every build ends by pruning \
            it to $WASMKILN_CACHE_MAX_SIZE (default 5GiB; `off` for no bound), least \
            recently used first; entries used in the last 10 minutes stay.
            """,
        subcommands: [Show.self, Prune.self, Clear.self],
        defaultSubcommand: Show.self
    )

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the cache's location and size (the default).")

        func run() {
            let cache = BuildCache(root: BuildCache.defaultRoot())
            let entries = cache.entries()
            let bytes = entries.reduce(0) { $0 + $1.bytes }
            printOutput("location: \(cache.root.path)")
            printOutput("size: \(ByteSize.text(bytes)) in \(entries.count) entries")
            let bound = Result { try BuildCache.bound() }
            let text = switch bound {
            case .success(let bytes): bytes.map(ByteSize.text) ?? "off"
            case .failure(let error): "\(error)"
            }
            printOutput("bound: \(text)")
        }
    }

    struct Prune: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove the least recently used entries until the cache is at most SIZE.")

        @Option(help: ArgumentHelp("The size to keep the cache within: 2GiB, 500MiB, 0, …", valueName: "SIZE"))
        var maxSize: String

        func validate() throws {
            if ByteSize.parse(maxSize) == nil { throw ValidationError("--max-size '\(maxSize)' is not a size such as 2GiB, 500MiB or 0") }
        }

        func run() {
            let cache = BuildCache(root: BuildCache.defaultRoot())
            let (removed, freed) = cache.prune(maxBytes: ByteSize.parse(maxSize)!, recent: 0)
            let left = cache.entries().reduce(0) { $0 + $1.bytes }
            printOutput("removed \(removed) entries, \(ByteSize.text(freed)); \(ByteSize.text(left)) left")
        }
    }

    struct Clear: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove everything the cache holds.")

        func run() throws {
            let cache = BuildCache(root: BuildCache.defaultRoot())
            do {
                try cache.clear()
            } catch {
                printError("\(error)")
                throw ExitCode.failure
            }
            printOutput("cleared \(cache.root.path)")
        }
    }
}

/// What a build does when it ends: the cache pruned to its bound. A bad bound is
/// reported, and the build still counts.
func keepCacheBounded(_ cache: BuildCache) {
    do {
        if let bound = try BuildCache.bound() { cache.pruneIfDue(maxBytes: bound) }
    } catch {
        printError("wasmkiln: warning: \(error); the cache was not pruned")
    }
}
