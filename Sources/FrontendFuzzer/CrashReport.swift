#if !FUZZING
import Glibc

/// The line the crash handler prints: which input was being checked. A C string made
/// beforehand, since a signal handler may only call async-signal-safe functions.
nonisolated(unsafe) private var crashLine: UnsafeMutablePointer<CChar>?

/// Names the input that crashed the replay tool (a trap, a fault or an abort) before the
/// process dies the way it would have.
enum CrashReport {
    static func install() {
        for signalNumber in [SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGABRT, SIGFPE] {
            signal(signalNumber) { received in
                if let line = crashLine { _ = write(2, line, strlen(line)) }
                signal(received, SIG_DFL)
                raise(received)
            }
        }
    }

    static func current(_ path: String) {
        free(crashLine)
        crashLine = strdup("\nFrontendFuzzer: crashed on \(path)\n")
    }
}
#endif
