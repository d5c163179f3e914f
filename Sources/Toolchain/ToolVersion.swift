import Foundation

/// Which wasmkiln built a cached module.
public enum ToolVersion {
    public static let version = "0.1.0"

    /// The version plus the size and modification time of the running executable. During
    /// development the lowering changes without a version bump, and reusing a module
    /// lowered by an older build would run stale code; the executable's file changes
    /// with every build. (Objects stay shared: their keys are the C text itself.)
    public static let identity: String = {
        let path = Bundle.main.executablePath ?? CommandLine.arguments.first ?? ""
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        let size = (attributes?[.size] as? NSNumber)?.int64Value ?? 0
        let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
        return "wasmkiln \(version) \(path) \(size) \(modified)"
    }()
}
