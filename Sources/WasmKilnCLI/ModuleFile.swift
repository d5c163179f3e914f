import Foundation
import WAT
import WasmParser  // WasmFeatureSet; reached through the WAT product
import WasmDecoder

/// A problem with an input file, reported as `path: message` (or `path:line:column: message`).
struct InputError: Error, CustomStringConvertible {
    var description: String
}

/// Reads `.wasm` and `.wat` inputs as binary modules.
enum ModuleFile {
    /// What the text parser accepts: reference types and SIMD (part of Wasm 2.0), exception
    /// handling, and memory64 (without which it refuses offsets past 4 GiB itself).
    static let textFeatures: WasmFeatureSet = [.referenceTypes, .simd, .exceptionHandling, .memory64]

    /// The file's binary module: read as is, or converted from text when the name ends in `.wat`.
    static func bytes(at path: String) throws(InputError) -> [UInt8] {
        let contents = try read(path)
        guard path.lowercased().hasSuffix(".wat") else { return contents }
        do {
            // Keep the name section so errors and `inspect` show the text's `$names`.
            return try wat2wasm(String(decoding: contents, as: UTF8.self), features: textFeatures,
                                options: EncodeOptions(nameSection: true))
        } catch {
            throw InputError(description: textErrorDescription(error, path: path))
        }
    }

    /// Reads and decodes a module (no validation).
    static func decode(at path: String) throws(InputError) -> Module {
        let bytes = try bytes(at: path)
        do {
            return try ModuleDecoder.decode(bytes)
        } catch {
            throw InputError(description: "\(path): \(error)")
        }
    }

    static func read(_ path: String) throws(InputError) -> [UInt8] {
        do {
            return try BinaryFile.read(path)
        } catch {
            throw InputError(description: "\(path): \(error)")
        }
    }

    /// `path:line:column: message`. WasmKit's own description ends in a debug dump of the
    /// location, so that part is replaced; its column is 0-based on the first line only.
    static func textErrorDescription(_ error: WatParserError, path: String) -> String {
        guard let location = error.location else { return "\(path): \(error)" }
        let (line, column) = location.computeLineAndColumn()
        var message = error.description
        let suffix = " at \(location)"
        if message.hasSuffix(suffix) { message.removeLast(suffix.count) }
        return "\(path):\(line):\(line == 1 ? column + 1 : column): \(message)"
    }
}
