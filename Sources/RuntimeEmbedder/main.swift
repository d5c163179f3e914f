import Foundation

/// Writes the C runtime's files as Swift string literals, so that an installed wasmkiln
/// can build the runtime without the repository. Run by the EmbedRuntime build plugin:
///
///     RuntimeEmbedder OUTPUT.swift RUNTIME-FOLDER
///
/// It takes RUNTIME-FOLDER's `include/*.h`, `src/*.{c,h}` and `freestanding/*.c` (the
/// freestanding runtime, built only by `emit-c --freestanding`), by paths relative to it.
let arguments = CommandLine.arguments
guard arguments.count == 3 else {
    FileHandle.standardError.write(Data("usage: RuntimeEmbedder OUTPUT RUNTIME-FOLDER\n".utf8))
    exit(64)
}
let output = URL(fileURLWithPath: arguments[1])
let runtime = URL(fileURLWithPath: arguments[2], isDirectory: true)

/// A raw multi-line literal whose value is exactly `text`: one more `#` than the longest
/// run after any quote or backslash, so nothing inside can end it or interpolate.
func rawLiteral(_ text: String) -> String {
    var longest = 0
    let scalars = Array(text.unicodeScalars)
    for (index, scalar) in scalars.enumerated() where scalar == "\"" || scalar == "\\" {
        var run = 0
        while index + 1 + run < scalars.count, scalars[index + 1 + run] == "#" { run += 1 }
        longest = max(longest, run)
    }
    let hashes = String(repeating: "#", count: longest + 1)
    return "\(hashes)\"\"\"\n\(text)\n\"\"\"\(hashes)"
}

var text = """
    // Generated at build time by RuntimeEmbedder from Runtime/.

    /// The C runtime's sources, so that an installed wasmkiln can build it without the repository.
    public enum RuntimeSources {
        /// Paths relative to Runtime/ (`include/wasmkiln.h`, `src/trap.c`) and contents.
        public static let files: [(path: String, contents: String)] = [

    """
do {
    var paths: [String] = []
    for (folder, extensions) in [("include", ["h"]), ("src", ["c", "h"]), ("freestanding", ["c"])] {
        let names = try FileManager.default.contentsOfDirectory(atPath: runtime.appendingPathComponent(folder).path)
        paths += names.filter { extensions.contains(URL(fileURLWithPath: $0).pathExtension) }.map { "\(folder)/\($0)" }
    }
    for path in paths.sorted() {
        let contents = try String(contentsOf: runtime.appendingPathComponent(path), encoding: .utf8)
        text += "        (\"\(path)\", \(rawLiteral(contents))),\n"
    }
    text += "    ]\n}\n"
    // Unchanged output keeps its time, so the Toolchain target is not recompiled.
    if (try? String(contentsOf: output, encoding: .utf8)) != text {
        try text.write(to: output, atomically: true, encoding: .utf8)
    }
} catch {
    FileHandle.standardError.write(Data("RuntimeEmbedder: \(error)\n".utf8))
    exit(1)
}
