@_exported import Screens

extension ScreenLoader {
    /// The screens built into the binary, in order: Swift values the build wrote from screens/*.yaml, checked then.
    public static func embedded() throws -> [Screen] { embeddedScreens }
}
