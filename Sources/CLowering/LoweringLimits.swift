/// What a function may be and still become C that a C compiler handles in reasonable time
/// and memory. Valid modules past them are refused with the reason, not compiled for
/// hours: gcc's C front end takes time proportional to the number of branch targets times
/// the number of conditional statements of a function, and to the square of its nesting;
/// its loop analysis needs memory that grows with the square of the loop nesting.
public enum LoweringLimits {
    /// Targets of one `br_table`: wasmtime's implementation limit too.
    public static let branchTableTargets = 65_520
    /// Ifs open at once in a function: each is a C block inside the last (blocks and loops
    /// become labels, and nest freely), and clang stops at 2,048 nested brackets.
    public static let ifNesting = 2_000
    /// Loops open at once in a function.
    public static let loopNesting = 1_000
    /// A function's C scopes times its labels, gotos and nesting depth: about 50 s of gcc's
    /// front end (measured on a 2-core x86-64 machine; clang is far faster on such code).
    public static let frontEndWork = 20_000_000_000
}
