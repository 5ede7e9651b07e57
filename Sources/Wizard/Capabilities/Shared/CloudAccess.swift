import CloudProbe
import Foundation
import StepEngine

/// The operator's cloud as the answers name it: credentials as the prerequisites screen says, with the password given
/// in this run, the operator's CA and name overrides; one Keystone session per run, shared by its capabilities.
struct CloudAccess: Sendable {
    /// What the capabilities that reach the cloud with the operator's credentials read.
    struct Inputs: CapabilityInputs {
        var source: String
        var cloudName: String?
        var openrcPath: String
        var caBundle: String?
        var resolve: [String]
        var allowedHTTP: [String]
        var password: SecretValue?
        var region: String?

        init(_ answers: InputReader) {
            source = answers.text("cloud.credentials_source")
            cloudName = answers.optionalText("cloud.os_cloud")
            openrcPath = answers.text("cloud.openrc_path")
            caBundle = answers.path("cloud.cacert")
            resolve = answers.list("cloud.resolve")
            allowedHTTP = answers.list(TestMode.key)
            password = answers.secret("cloud.password")
            region = answers.optionalText("credential.region")
        }
    }

    let inputs: Inputs

    /// The credentials, and a client that trusts the operator's CA and follows the name overrides.
    func credentials() throws -> (CloudCredentials, HTTPClient) {
        var credentials: CloudCredentials
        switch inputs.source {
        case "clouds-yaml":
            credentials = try CloudsYAML.load(cloud: inputs.cloudName)
        case "environment":
            credentials = try CloudCredentials.from(
                variables: ProcessInfo.processInfo.environment.filter { $0.key.hasPrefix("OS_") }, source: "the OS_* environment")
        default:
            credentials = try OpenrcParser.load(path: inputs.openrcPath)
        }
        if credentials.secret == nil { credentials.secret = inputs.password }
        // Test mode: only the exact http endpoints the operator named may receive a credential (the client enforces it).
        let configuration = HTTPClient.Configuration(
            caBundle: inputs.caBundle ?? credentials.caCert, resolve: inputs.resolve, plainHTTP: PlainHTTPPolicy(allowed: inputs.allowedHTTP))
        return (credentials, HTTPClient(configuration: configuration))
    }

    /// The run's Keystone session with the operator's credentials: logged in once, whichever capability asks first.
    func session(_ run: StepContext) async throws -> (session: KeystoneSession, client: HTTPClient) {
        try await run.shared.keystone {
            let (credentials, client) = try credentials()
            return (try await KeystoneClient(client: client).authenticate(credentials), client)
        }
    }

    /// An admin view of Keystone with the run's session; a failure is `owner`'s finding about the admin credentials.
    func admin(_ run: StepContext, owner: some FindingOwner) async -> Result<KeystoneAdmin, FindingError> {
        do {
            let (session, client) = try await session(run)
            let store = run.engine.store
            return .success(KeystoneAdmin(client: client, session: session, proceed: { store.stillHoldsLock() }))
        } catch {
            return .failure(FindingError(owner.failure(error, target: "your admin credentials", remedy: "Check the prerequisites screen's answers.")))
        }
    }

    /// The cloud's APIs with the run's session, making no call once another run has taken the state over.
    func api(_ run: StepContext) async throws -> OpenStackAPI {
        let (session, client) = try await session(run)
        let store = run.engine.store
        return OpenStackAPI(client: client, session: session, proceed: { store.stillHoldsLock() })
    }
}
