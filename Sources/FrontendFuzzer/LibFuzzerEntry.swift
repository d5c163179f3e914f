/// The libFuzzer entry point, for builds with `-sanitize=fuzzer`: a broken rule becomes a
/// crash so that libFuzzer saves the input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    if case .failure(let violation) = FrontendCheck.run(bytes) {
        fatalError("front-end rule broken: \(violation)")
    }
    return 0
}

#if FUZZING
/// libFuzzer's driver, what its own `main` calls.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(_ argc: UnsafeMutablePointer<CInt>,
                     _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                     _ testOneInput: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

/// SwiftPM links an executable with `main` aliased to `<module>_main`, so the fuzzer
/// build defines that and hands over to libFuzzer.
@_cdecl("FrontendFuzzer_main")
func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return runFuzzerDriver(&argc, &argv, fuzzerTestOneInput)
}
#endif
