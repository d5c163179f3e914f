import Foundation

// Unbuffered writes, so that `ok` lines and error lines keep their order when both
// streams go to one log.

func printOutput(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
