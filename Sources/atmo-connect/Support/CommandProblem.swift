import AtmoModel

/// A command's own failure, as the operator reads it: what failed, what to do, and the exit status.
struct CommandProblem: Problem {
    var message: String
    var remedy: String
    var status: ExitStatus
}
