import CLowering
import Foundation
import Testing
@testable import Toolchain
@testable import TestSupport
import WasmDecoder

@Suite struct ToolchainHashTests {
    @Test func knownDigests() {
        #expect(SHA256.hex([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        // 56 bytes: the padding needs a second block.
        #expect(SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hex([UInt8](repeating: 0x61, count: 1_000_000))
            == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func updatesInPiecesHashLikeOneUpdate() {
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        var pieces = SHA256()
        var start = 0
        for size in [1, 63, 64, 65, 127, 200, 480] {
            pieces.update(bytes[start..<start + size])
            start += size
        }
        #expect(pieces.hexDigest() == SHA256.hex(bytes))
    }

    @Test func fieldsCannotRunTogether() {
        var ab = SHA256(), a = SHA256()
        ab.field("ab")
        ab.field("c")
        a.field("a")
        a.field("bc")
        #expect(ab.hexDigest() != a.hexDigest())
    }

    @Test func cacheRootFromEnvironment() {
        #expect(BuildCache.defaultRoot(environment: ["WASMKILN_CACHE": "/x/kiln", "XDG_CACHE_HOME": "/y", "HOME": "/h"]).path == "/x/kiln")
        #expect(BuildCache.defaultRoot(environment: ["XDG_CACHE_HOME": "/y", "HOME": "/h"]).path == "/y/wasmkiln")
        #expect(BuildCache.defaultRoot(environment: ["HOME": "/h"]).path == "/h/.cache/wasmkiln")
        #expect(BuildCache.defaultRoot(environment: ["WASMKILN_CACHE": "", "XDG_CACHE_HOME": "", "HOME": "/h"]).path
            == "/h/.cache/wasmkiln")
    }

    @Test func moduleKeyCoversBytesOptionsAndFlags() throws {
        let builder = Builder(compiler: CCompiler(command: ["/usr/bin/cc"], identity: "cc 1"),
                              cache: BuildCache(root: URL(fileURLWithPath: "/tmp/unused")))
        let add = try ToolchainTesting.validated("(module (func (export \"f\") (result i32) (i32.const 1)))")
        let other = try ToolchainTesting.validated("(module (func (export \"f\") (result i32) (i32.const 2)))")
        let options = LoweringOptions(prefix: "m")
        let key = builder.moduleKey(add, options: options)

        #expect(key == builder.moduleKey(add, options: options))
        #expect(key.count == 64)
        #expect(key != builder.moduleKey(other, options: options))
        #expect(key != builder.moduleKey(add, options: LoweringOptions(prefix: "n")))
        #expect(key != builder.moduleKey(add, options: LoweringOptions(prefix: "m", boundsChecks: .explicit)))
        var optimized = builder
        optimized.optimization = .o3
        #expect(key != optimized.moduleKey(add, options: options))
        var flagged = builder
        flagged.extraFlags = ["-g"]
        #expect(key != flagged.moduleKey(add, options: options))
        var otherCompiler = builder
        otherCompiler.compiler = CCompiler(command: ["/usr/bin/cc"], identity: "cc 2")
        #expect(key != otherCompiler.moduleKey(add, options: options))
    }

    @Test func prefixesAreCIdentifiers() throws {
        #expect(Builder.prefix(from: "add") == "add")
        #expect(Builder.prefix(from: "my-module.v2") == "my_module_v2")
        #expect(Builder.prefix(from: "2fast") == "_2fast")
        #expect(Builder.prefix(from: "") == "_")
        let module = try ToolchainTesting.validated("(module)")
        #expect(Builder.prefix(for: module).count == 17)
        #expect(Builder.prefix(for: module) == Builder.prefix(for: try ToolchainTesting.validated("(module)")))
    }
}
