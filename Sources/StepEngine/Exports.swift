// The shared model (Finding, IPRange, SecretValue, LocatedProblem, ...) is part of the engine's vocabulary: every
// module that uses the engine sees it.
@_exported import AtmoModel
