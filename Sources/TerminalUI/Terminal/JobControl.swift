@preconcurrency import Glibc

/// Stopping this process as a shell job, on purpose (Ctrl-Z arrives as a key in raw mode, not as the driver's SIGTSTP).
enum JobControl {
    /// Stops this process as the terminal driver's Ctrl-Z would, and returns once continued (fg, bg, SIGCONT).
    ///
    /// One signal, at this thread, with SIGTSTP's default action for the moment and unblocked here: the kernel stops
    /// the whole process before raise returns, and nothing is left pending to stop it again once continued. (A signal
    /// to the process group may be taken by any thread: the repaint after it then raced the stop, with ncurses' own
    /// handler back in place, and a second signal stopped the job again right after fg.) What the wizard started in
    /// its own sessions (scripts on a pseudo-terminal) runs on. In an orphaned group (no shell to continue it) the
    /// kernel discards the signal and this returns at once, as the driver's Ctrl-Z would do nothing.
    static func stopAsTheTerminalDriverWould() {
        let previous = signal(SIGTSTP, SIG_DFL)
        var stop = sigset_t()
        sigemptyset(&stop)
        sigaddset(&stop, SIGTSTP)
        var mask = sigset_t()
        pthread_sigmask(SIG_UNBLOCK, &stop, &mask)
        raise(SIGTSTP)
        pthread_sigmask(SIG_SETMASK, &mask, nil)
        signal(SIGTSTP, previous)
    }
}
