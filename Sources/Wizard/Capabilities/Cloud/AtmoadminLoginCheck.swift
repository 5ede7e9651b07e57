import StepEngine

/// Logs in as atmoadmin and sees the admin role: the proof that the atmoadmin action worked.
struct AtmoadminLoginCheck: StepCapability {
    let descriptor = Capability(
        id: "keystone.atmoadmin-login", kind: .check, title: "Log in as atmoadmin and see the admin role", availability: .available)

    var provesAction: Bool { true }

    func observe(_ run: StepContext) async -> [Finding] { await CloudActions.atmoadminLogin(run) }
}
