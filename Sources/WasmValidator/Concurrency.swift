import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum ProcessorCount {
    static let value: Int = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
}

func concurrentPerform(iterations: Int, _ body: @Sendable (Int) -> Void) {
    DispatchQueue.concurrentPerform(iterations: iterations, execute: body)
}
