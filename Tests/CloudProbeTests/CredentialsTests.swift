import CloudProbe
import Foundation
import StepEngine
import TestSupport
import XCTest

final class OpenrcTests: XCTestCase {
    func write(_ text: String) -> String {
        let path = TestPaths.scratch("openrc") + "/openrc.sh"
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }

    func testHorizonV3CurrentFormAsksForThePassword() throws {
        let path = write(
            """
            #!/usr/bin/env bash
            export OS_AUTH_URL="https://keystone.example.org:5000/v3"
            export OS_PROJECT_ID="0f3c"
            export OS_PROJECT_NAME="myproject"
            export OS_USER_DOMAIN_NAME="Default"
            if [ -z "$OS_USER_DOMAIN_NAME" ]; then unset OS_USER_DOMAIN_NAME; fi
            export OS_PROJECT_DOMAIN_ID=""
            if [ -z "$OS_PROJECT_DOMAIN_ID" ]; then unset OS_PROJECT_DOMAIN_ID; fi
            # unset v2.0 items in case set
            unset OS_TENANT_ID
            unset OS_TENANT_NAME
            export OS_USERNAME="alice"
            echo "Please enter your OpenStack Password for project $OS_PROJECT_NAME as user $OS_USERNAME: "
            read -sr OS_PASSWORD_INPUT
            export OS_PASSWORD="$OS_PASSWORD_INPUT"
            export OS_REGION_NAME="RegionOne"
            if [ -z "$OS_REGION_NAME" ]; then unset OS_REGION_NAME; fi
            export OS_INTERFACE="public"
            export OS_IDENTITY_API_VERSION="3"
            """)
        let parsed = try OpenrcParser.parse(try String(contentsOfFile: path, encoding: .utf8), path: path)
        XCTAssertTrue(parsed.passwordMustBeAsked)
        XCTAssertNil(parsed.variables["OS_PROJECT_DOMAIN_ID"], "the if -z idiom drops an empty variable")
        XCTAssertEqual(parsed.variables["OS_USER_DOMAIN_NAME"], "Default", "and keeps a set one")
        XCTAssertEqual(parsed.lines["OS_USERNAME"], 12)
        let credentials = try OpenrcParser.load(path: path)
        XCTAssertNil(credentials.secret, "the password must be asked, even if OS_PASSWORD_INPUT were set")
        XCTAssertEqual(credentials.username, "alice")
        XCTAssertEqual(credentials.projectID, "0f3c")
        XCTAssertEqual(credentials.regionName, "RegionOne")
        XCTAssertEqual(credentials.interface, "public")
        XCTAssertEqual(credentials.warnings, [])
    }

    func testTheGuidesOldUnquotedFormAndHorizonEscapes() throws {
        let parsed = try OpenrcParser.parse(
            """
            export OS_AUTH_URL=https://keystone.example.org:5000/v3
            export OS_PROJECT_NAME=cmart
            export OS_PASSWORD=$OS_PASSWORD_INPUT
            OS_USERNAME=admin  # trailing comment
            export OS_SECRET="a\\!b\\'c\\$d\\"e"
            export OS_SINGLE='it''s'
            export OS_BRACED="${OS_PROJECT_NAME}-x"
            """, path: "old.sh")
        XCTAssertEqual(parsed.variables["OS_AUTH_URL"], "https://keystone.example.org:5000/v3")
        XCTAssertEqual(parsed.variables["OS_USERNAME"], "admin")
        XCTAssertEqual(parsed.variables["OS_SECRET"], "a!b'c$d\"e", "Horizon's escapes give the value Horizon meant")
        XCTAssertEqual(parsed.variables["OS_SINGLE"], "its")
        XCTAssertEqual(parsed.variables["OS_BRACED"], "cmart-x")
        XCTAssertFalse(parsed.passwordMustBeAsked, "no read line: the password is just empty")
    }

    func testApplicationCredentialForm() throws {
        let credentials = try OpenrcParser.load(
            path: write(
                """
                export OS_AUTH_TYPE=v3applicationcredential
                export OS_AUTH_URL="https://keystone.example.org:5000/v3"
                export OS_IDENTITY_API_VERSION=3
                export OS_REGION_NAME="RegionOne"
                export OS_INTERFACE="public"
                export OS_APPLICATION_CREDENTIAL_ID="abc123"
                export OS_APPLICATION_CREDENTIAL_SECRET="s3cr3t-value"
                """))
        XCTAssertEqual(credentials.method, .applicationCredential)
        XCTAssertEqual(credentials.applicationCredentialID, "abc123")
        XCTAssertEqual(credentials.secret?.reveal(), "s3cr3t-value")
        XCTAssertEqual("\(String(describing: credentials.secret))".contains("s3cr3t"), false)
    }

    func testOpenStackAnsibleOpenrcWarnings() throws {
        let credentials = try OpenrcParser.load(
            path: write(
                """
                export LC_ALL=C
                export OS_ENDPOINT_TYPE=internalURL
                export OS_INTERFACE=internalURL
                export OS_USERNAME=admin
                export OS_PASSWORD='literal$pass'
                export OS_PROJECT_NAME=admin
                export OS_TENANT_NAME=admin
                export OS_AUTH_TYPE=password
                export OS_AUTH_URL=http://172.29.236.100:5000/v2.0
                export OS_NO_CACHE=1
                export OS_USER_DOMAIN_NAME=Default
                export OS_PROJECT_DOMAIN_NAME=Default
                export OS_INSECURE='true'
                alias openstack='openstack --insecure'
                """))
        XCTAssertEqual(credentials.secret?.reveal(), "literal$pass", "single quotes keep $ literally")
        XCTAssertEqual(credentials.interface, "internal")
        XCTAssertTrue(credentials.insecure)
        XCTAssertEqual(credentials.warnings.count, 3)
        XCTAssertTrue(credentials.warnings[0].contains("turns TLS verification off"))
        XCTAssertTrue(credentials.warnings[1].contains("internal interface"))
        XCTAssertTrue(credentials.warnings[2].contains("Keystone v2.0"))
    }

    /// Forms bash reads that a line-by-line reader used to misread silently: each is now read as bash would, or said.
    func testOpenrcFormsBashReads() throws {
        let forms = [
            "export OS_AUTH_URL=https://k:5000/v3\r\nexport OS_USERNAME=alice\r\nexport OS_PASSWORD='pw-1'\r\n",
            "export\tOS_AUTH_URL=https://k:5000/v3\nexport\tOS_USERNAME=alice\nexport\tOS_PASSWORD=pw-1\n",
            "declare -x OS_AUTH_URL=\"https://k:5000/v3\"\ndeclare -rx OS_USERNAME=alice\ntypeset -x OS_PASSWORD=pw-1\n",
            "OS_AUTH_URL=https://k:5000/v3; export OS_USERNAME=alice; export OS_PASSWORD=\"pw-1\" # note\n",
            "export OS_AUTH_URL=https://k:5000/v3 OS_USERNAME=alice\nexport OS_PASSWORD=pw-1;\n",
        ]
        for text in forms {
            let parsed = try OpenrcParser.parse(
                text + "export OS_PROJECT_NAME=p\nexport OS_USER_DOMAIN_NAME=Default\nexport OS_PROJECT_DOMAIN_NAME=Default\n", path: "rc")
            XCTAssertEqual(parsed.variables["OS_AUTH_URL"], "https://k:5000/v3", text.debugDescription)
            XCTAssertEqual(parsed.variables["OS_USERNAME"], "alice", text.debugDescription)
            XCTAssertEqual(parsed.variables["OS_PASSWORD"], "pw-1", text.debugDescription)
            XCTAssertEqual(parsed.warnings.contains { $0.contains("CRLF") }, text.contains("\r"), text.debugDescription)
        }
        let substituted = try OpenrcParser.parse("export OS_PASSWORD='$(not-run)'\nexport OS_USERNAME=a\n", path: "rc")
        XCTAssertEqual(substituted.variables["OS_PASSWORD"], "$(not-run)", "single quotes: literal, as in bash, no warning")
        XCTAssertTrue(substituted.warnings.isEmpty)
        let looksLikeOne = try OpenrcParser.parse("export OS_PASSWORD=\"$(cat ~/pw)\"\n", path: "rc")
        XCTAssertTrue(looksLikeOne.warnings.contains { $0.contains("rc:1: OS_PASSWORD looks like a command") }, "\(looksLikeOne.warnings)")
    }

    func testMalformedOpenrcNamesFileLineAndVariable() {
        let cases: [(String, Int?, String, String)] = [
            ("export OS_AUTH_URL=\"https://x\nexport OS_USERNAME=a\n", 1, "OS_AUTH_URL", "never closed"),
            ("export OS_USERNAME=a\nexport OS_PASSWORD='abc\n", 2, "OS_PASSWORD", "never closed"),
            ("export 1BAD=x\n", 1, "1BAD", "not a variable name"),
            ("export OS_USERNAME=a\n", nil, "OS_AUTH_URL", "no auth URL"),
            ("export OS_AUTH_URL=https://k:5000/v3\nexport OS_USERNAME=a\nexport OS_PROJECT_NAME=p\n", nil, "OS_USER_DOMAIN_NAME", "domain"),
            ("export OS_AUTH_URL=https://k:5000/v3\nexport OS_USERNAME=a\nexport OS_USER_DOMAIN_NAME=D\n", nil, "OS_PROJECT_NAME", "no project"),
            ("export OS_AUTH_URL=https://k:5000/v3\nexport OS_USERNAME=$(whoami)\n", 2, "OS_USERNAME", "runs a command"),
            ("export OS_AUTH_URL=\"https://`hostname`:5000/v3\"\n", 1, "OS_AUTH_URL", "runs a command"),
        ]
        for (text, line, key, fragment) in cases {
            let path = write(text)
            XCTAssertThrowsError(try OpenrcParser.load(path: path), fragment) { error in
                guard let problem = error as? LocatedProblem else { return XCTFail("\(error)") }
                XCTAssertEqual(problem.path, path)
                XCTAssertEqual(problem.line, line, "\(problem)")
                XCTAssertEqual(problem.key, key, "\(problem)")
                XCTAssertTrue(problem.problem.contains(fragment), "\(problem)")
            }
        }
        XCTAssertThrowsError(try OpenrcParser.load(path: "/nonexistent/openrc"))
    }

    func testEnvironmentVariables() throws {
        let credentials = try CloudCredentials.from(
            variables: [
                "OS_AUTH_URL": "https://k:5000", "OS_USERNAME": "u", "OS_PASSWORD": "pw-123456",
                "OS_USER_DOMAIN_ID": "default", "OS_PROJECT_ID": "p1",
            ], source: "the environment")
        XCTAssertEqual(credentials.secret?.reveal(), "pw-123456")
        XCTAssertEqual(credentials.userDomainID, "default")
    }
}

final class CloudsYAMLTests: XCTestCase {
    var directory: String!
    var home: String!

    override func setUp() {
        directory = TestPaths.scratch("clouds-cwd")
        home = TestPaths.scratch("clouds-home")
        try? FileManager.default.createDirectory(atPath: home + "/.config/openstack", withIntermediateDirectories: true)
    }

    func put(_ text: String, at path: String) { FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) }

    let clouds = """
        clouds:
          lab:
            auth:
              auth_url: https://keystone.lab.example.org:5000
              username: alice
              project_name: research
              user_domain_name: Default
              project_domain_id: default
            regions: [RegionTwo, RegionOne]
            interface: public
            identity_api_version: 3
            cacert: /etc/ssl/lab-ca.pem
          other:
            auth_type: v3applicationcredential
            auth:
              auth_url: https://keystone.other.example.org:5000/v3
              application_credential_id: app1
              application_credential_secret: appsecret-1
            verify: false
        """

    func testSearchOrderSecureMergeAndSelection() throws {
        put(clouds, at: home + "/.config/openstack/clouds.yaml")
        put("clouds:\n  lab:\n    auth:\n      password: from-secure-yaml\n", at: home + "/.config/openstack/secure.yaml")
        let environment = ["HOME": home!, "OS_CLOUD": "lab"]
        let lab = try CloudsYAML.load(cloud: nil, environment: environment, currentDirectory: directory)
        XCTAssertEqual(lab.secret?.reveal(), "from-secure-yaml", "secure.yaml is merged over clouds.yaml")
        XCTAssertEqual(lab.regionName, "RegionTwo")
        XCTAssertEqual(lab.caCert, "/etc/ssl/lab-ca.pem")
        XCTAssertTrue(lab.source.hasSuffix("/.config/openstack/clouds.yaml (cloud lab)"))
        let other = try CloudsYAML.load(cloud: "other", environment: environment, currentDirectory: directory)
        XCTAssertEqual(other.method, .applicationCredential)
        XCTAssertTrue(other.insecure)
        XCTAssertEqual(other.warnings.first?.contains("turns TLS verification off"), true)

        // A clouds.yaml in the current directory comes first (secure.yaml would still merge in its own clouds).
        try FileManager.default.removeItem(atPath: home + "/.config/openstack/secure.yaml")
        put(
            "clouds:\n  local:\n    auth: {auth_url: 'https://k.local.example.org:5000', username: b, password: p, user_domain_name: D, project_name: p}\n",
            at: directory + "/clouds.yaml")
        XCTAssertEqual(try CloudsYAML.load(cloud: nil, environment: ["HOME": home!], currentDirectory: directory).username, "b")
        let explicit = home + "/explicit.yaml"
        put(clouds, at: explicit)
        XCTAssertEqual(
            try CloudsYAML.load(cloud: "lab", environment: ["HOME": home!, "OS_CLIENT_CONFIG_FILE": explicit], currentDirectory: directory).username,
            "alice")
    }

    func testChoosingErrors() {
        put(clouds, at: home + "/.config/openstack/clouds.yaml")
        XCTAssertThrowsError(try CloudsYAML.load(cloud: nil, environment: ["HOME": home!], currentDirectory: directory)) { error in
            XCTAssertTrue((error as? LocatedProblem)?.problem.contains("several clouds and none chosen (lab, other)") ?? false, "\(error)")
        }
        XCTAssertThrowsError(try CloudsYAML.load(cloud: "nope", environment: ["HOME": home!], currentDirectory: directory)) { error in
            XCTAssertTrue((error as? LocatedProblem)?.problem.contains("no cloud named nope (clouds: lab, other)") ?? false, "\(error)")
        }
        XCTAssertThrowsError(
            try CloudsYAML.load(cloud: nil, environment: ["HOME": TestPaths.scratch("empty")], currentDirectory: TestPaths.scratch("empty")))
    }

    func testMalformedCloudsYAMLNamesTheLine() {
        put("clouds:\n  lab:\n    auth: [unclosed\n", at: directory + "/clouds.yaml")
        XCTAssertThrowsError(try CloudsYAML.load(cloud: nil, environment: ["HOME": home!], currentDirectory: directory)) { error in
            let problem = error as? LocatedProblem
            XCTAssertEqual(problem?.path, directory + "/clouds.yaml")
            XCTAssertEqual(problem?.line, 4)
        }
        put("nothing: here\n", at: directory + "/clouds.yaml")
        XCTAssertThrowsError(try CloudsYAML.load(cloud: nil, environment: ["HOME": home!], currentDirectory: directory)) { error in
            XCTAssertEqual((error as? LocatedProblem)?.key, "clouds")
        }
    }

    /// Found by the fuzzer: Yams' untyped loader trapped on this input (keys that collide only once constructed).
    func testInputThatCrashedYamsUntypedLoaderIsAnError() throws {
        let data = try XCTUnwrap(Data(base64Encoded: "L2xvdWRjOgogM2wgYWI6Cj8gdXVoITogYSB7YXV0aF91cv94cGw="))
        XCTAssertThrowsError(try CloudsYAML.parse(String(decoding: data, as: UTF8.self), path: "fuzz.yaml"))
        let colliding =
            "clouds:\n  lab:\n    auth: {auth_url: 'https://k:5000', username: u, password: p, user_domain_name: D, project_name: p}\n    1: a\n    0x1: b\n"
        XCTAssertEqual(try CloudsYAML.parse(colliding, path: "c.yaml")["lab"]?.username, "u")
        // And this overflowed Yams' sexagesimal integer constructor.
        XCTAssertThrowsError(try CloudsYAML.parse("-999999999999993910:19", path: "fuzz.yaml"))
        let overflow =
            "clouds:\n  lab:\n    auth: {auth_url: 'https://k:5000', username: u, password: p, user_domain_name: D, project_name: p}\n    n: -999999999999993910:19\n"
        XCTAssertEqual(try CloudsYAML.parse(overflow, path: "c.yaml")["lab"]?.username, "u")
    }
}
