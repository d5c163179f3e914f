;; One export that does nothing: calling it measures only the cost of the call itself.
(module (func (export "nop")))
