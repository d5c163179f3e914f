import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct SendablePointer<T>: @unchecked Sendable {
    let address: UnsafeMutablePointer<T>
}

enum ProcessInfo {
    static let processorCount = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
}

/// Reads bytes `start..<end` of the file into `buffer` at the same offsets: 0, an errno,
/// or -1 when the file ended early.
private func readFully(_ fd: Int32, into buffer: UnsafeMutablePointer<UInt8>, from start: Int, to end: Int) -> Int32 {
    var position = start
    while position < end {
        let got = pread(fd, buffer + position, end - position, off_t(position))
        if got < 0 && errno == EINTR { continue }
        if got < 0 { return errno }
        if got == 0 { return -1 }
        position += got
    }
    return 0
}

/// `read(2)`, named apart from `BinaryFile.read`.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(fd, buffer, count)
}

/// Reads a file straight into one byte array: no intermediate copy, so a
/// large module costs its size in memory once.
public enum BinaryFile {
    public struct ReadError: Error, CustomStringConvertible {
        public var description: String
    }

    public static func read(_ path: String) throws(ReadError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ReadError(description: "cannot read file: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw ReadError(description: "cannot read file: \(String(cString: strerror(errno)))") }
        guard info.st_mode & S_IFMT != S_IFDIR else { throw ReadError(description: "cannot read file: is a directory") }
        let size = Int(info.st_size)
        var failure: Int32 = 0
        var bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            // Copying a large file in costs page faults and memcpy: split it over the cores.
            let chunks = size >= 16 << 20 ? ProcessInfo.processorCount : 1
            let chunkSize = (size + chunks - 1) / chunks
            let destination = SendablePointer(address: buffer.baseAddress!)
            let failures = UnsafeMutableBufferPointer<Int32>.allocate(capacity: chunks)
            failures.initialize(repeating: 0)
            defer { failures.deallocate() }
            let results = SendablePointer(address: failures.baseAddress!)
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                let start = chunk * chunkSize
                let end = min(size, start + chunkSize)
                results.address[chunk] = readFully(fd, into: destination.address, from: start, to: end)
            }
            failure = failures.first { $0 != 0 } ?? 0
            count = failure == 0 ? size : 0
        }
        if failure != 0 {
            throw ReadError(description: "cannot read file: \(failure < 0 ? "the file shrank while being read" : String(cString: strerror(failure)))")
        }
        // Past the size fstat gave: read to the end, for files (pipes, /proc) whose size it does not know.
        _ = lseek(fd, off_t(size), SEEK_SET)
        // Files whose size stat does not know (pipes, /proc) are read to their end.
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let got = chunk.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress!, $0.count) }
            if got < 0 && errno == EINTR { continue }
            if got <= 0 { break }
            bytes += chunk[0..<got]
        }
        return bytes
    }
}
