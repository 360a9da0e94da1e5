/// The scalars of one DPM-Solver++ step, as the reference computes them in fp32 from its sigma table.
///
/// With `m0` the data (x0) prediction of this step and `m1` that of the previous step, the new sample is
/// `x' = a·x + b·m0 + c·(m0 − m1) + d·noise` (`c` is 0 for first-order steps, `d` is 0 for the ODE solver).
public struct DPMStepCoefficients: Sendable, Equatable {
    /// The solver order used at this step (1 at the first and the final step, 2 otherwise).
    public var order: Int
    /// `α_s = 1/sqrt(σ_k² + 1)`: converts the v-prediction to x0 (`x0 = α_s·x − σ_s·v`).
    public var alphaS: Float
    /// `σ_s = σ_k·α_s`.
    public var sigmaS: Float
    /// Coefficient of the current sample.
    public var a: Float
    /// Coefficient of this step's x0 prediction.
    public var b: Float
    /// Coefficient of `m0 − m1` (second order only).
    public var c: Float
    /// Coefficient of the injected noise (SDE variant only).
    public var d: Float

    /// Creates a coefficient set.
    public init(order: Int, alphaS: Float, sigmaS: Float, a: Float, b: Float, c: Float, d: Float) {
        self.order = order
        self.alphaS = alphaS
        self.sigmaS = sigmaS
        self.a = a
        self.b = b
        self.c = c
        self.d = d
    }
}
