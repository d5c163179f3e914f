import Foundation

/// Runs synchronous work on a thread of its own with a stack big enough for the spec's
/// deep (but finite) recursion; the runtime's stack check catches the infinite kind.
enum StackThread {
    static let stackSize = 64 << 20

    static func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: body()) }
            thread.stackSize = stackSize
            thread.start()
        }
    }
}
