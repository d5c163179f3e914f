/// A decoding or validation error, located by its byte offset in the module
/// and, inside code, by the function it belongs to.
public struct WasmError: Error, Sendable, CustomStringConvertible {
    public var offset: Int
    public var message: String
    public var functionIndex: UInt32?
    public var functionName: String?
    /// The module may well be valid, but uses a feature WasmKiln does not read yet.
    public var isUnsupported = false
    /// For an unsupported instruction, its feature set ("threads").
    public var feature: String?

    public init(offset: Int, message: String, functionIndex: UInt32? = nil, functionName: String? = nil) {
        self.offset = offset
        self.message = message
        self.functionIndex = functionIndex
        self.functionName = functionName
    }

    /// A feature WasmKiln does not read yet, named: "garbage collection types are not supported yet".
    public static func unsupported(_ what: String, at offset: Int, feature: String? = nil) -> WasmError {
        var error = WasmError(offset: offset, message: "\(what) not supported yet")
        error.isUnsupported = true
        error.feature = feature
        return error
    }

    /// What a refusal adds to say how widely the module uses the refused feature.
    public static func featureUse(_ feature: String, functions: Int) -> String {
        functions > 1 ? " (\(functions) functions use \(feature) instructions)" : ""
    }

    /// `offset 0x1a2: func 12 (foo): type mismatch: ...`
    public var description: String {
        var text = "offset 0x\(String(offset, radix: 16))"
        if let functionIndex {
            text += ": func \(functionIndex)"
            if let functionName { text += " (\(functionName))" }
        }
        return text + ": " + message
    }
}
