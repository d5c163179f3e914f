import WasmDecoder
import WasmValidator

/// Writes the C for a whole module (being written).
struct ModuleLowering {
    let module: ValidatedModule
    let options: LoweringOptions

    func files() -> [GeneratedFile] {
        []
    }
}
