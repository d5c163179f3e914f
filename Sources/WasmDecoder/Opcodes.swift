/// Facts about the instruction encoding shared by the decoder and validator.
public enum Opcodes {
    /// Whether a first opcode byte starts any instruction we know (Wasm 2.0,
    /// tail calls, exception handling including the legacy `try`).
    public static func isDefined(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x00...0x13, 0x18, 0x19, 0x1A...0x1C, 0x1F, 0x20...0x26, 0x28...0xC4, 0xD0...0xD2, 0xFC, 0xFD: true
        default: false
        }
    }
}
