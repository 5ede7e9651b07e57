import AtmoModel
import Foundation

/// The auth_url and admin_url Atmosphere stores: scheme://host:port with no path (it adds /v3 itself), https, and Keystone v3 there.
public enum AtmosphereURLChecks {
    /// Findings for each URL, checked concurrently.
    public static func run(authURL: String?, adminURL: String?, client: HTTPClient) async -> [Finding] {
        await withTaskGroup(of: [Finding].self) { group in
            for (name, url) in [("auth_url", authURL), ("admin_url", adminURL)] {
                group.addTask { await check(name: name, url: url, client: client) }
            }
            var findings: [Finding] = []
            for await part in group { findings += part }
            return findings.sorted { $0.target < $1.target }
        }
    }

    static func check(name: String, url: String?, client: HTTPClient) async -> [Finding] {
        let id = "credentials.atmosphere-urls"
        guard let url, let components = URLComponents(string: url), let host = components.host, let scheme = components.scheme?.lowercased() else {
            return [
                Finding(
                    checkID: id, target: name, severity: .failure, observed: "not set or not a URL", expected: "scheme://host:port",
                    remedy:
                        "Answer credential.\(name == "auth_url" ? "auth_url" : "admin_url") with Keystone's public URL, such as https://cloud.example.org:5000."
                )
            ]
        }
        var findings: [Finding] = []
        let path = components.path
        if !(path.isEmpty || path == "/") {
            var trimmed = components
            trimmed.path = ""
            findings.append(
                Finding(
                    checkID: id, target: "\(name) \(url)", severity: .failure, observed: "has the path \(path)",
                    expected: "scheme://host:port with no path",
                    remedy: "Use \(trimmed.string ?? url): Atmosphere adds /v3 (and for 2.0_password rewrites the path), so a path here doubles it."))
        }
        if scheme != "https" {
            findings.append(
                Finding(
                    checkID: id, target: "\(name) \(url)", severity: .failure, observed: "plain \(scheme)", expected: "https",
                    remedy: "Atmosphere sends the admin password here: use the https endpoint."))
        }
        let base = "\(scheme)://\(host)" + (components.port.map { ":\($0)" } ?? "")
        do {
            let v3 = try await KeystoneClient(client: client).discover(authURL: base)
            if findings.isEmpty {
                findings.append(Finding(checkID: id, target: "\(name) \(url)", severity: .ok, observed: "Keystone v3 answers at \(v3)"))
            }
        } catch let error as KeystoneError {
            findings.append(Finding(checkID: id, target: "\(name) \(url)", severity: .failure, observed: error.message, remedy: error.remedy))
        } catch {
            findings.append(Finding(checkID: id, target: "\(name) \(url)", severity: .failure, observed: String(describing: error), remedy: "Retry."))
        }
        return findings
    }
}
