import Foundation

/// Whether the Atmosphere server reaches an instance's floating IP, as Atmosphere's deploy (SSH to each new instance)
/// will have to: the SSH server's banner read from the server (a bare connect proves nothing), retried for a while,
/// one result line, nothing changed.
public enum InstanceReachability {
    /// The Python it runs with the virtualenv's interpreter (Python 2.7 and 3 alike); the address, port, tag and
    /// patience come in argv (no secrets).
    public static let script = """
        import json
        import socket
        import sys
        import time
        address, port, tag, limit = sys.argv[1], int(sys.argv[2]), sys.argv[3], float(sys.argv[4])
        start = time.time()
        error = None
        while True:
            try:
                connection = socket.create_connection((address, port), timeout=5)
                try:
                    seen = b''
                    while b'SSH-' not in seen and len(seen) < 8192:
                        chunk = connection.recv(512)
                        if not chunk:
                            break
                        seen += chunk
                finally:
                    connection.close()
                lines = [line.strip() for line in seen.split(b'\\n')]
                if not any(line.startswith(b'SSH-2.0-') or line.startswith(b'SSH-1.99-') for line in lines):
                    raise ValueError('accepts connections but sends no SSH banner (%r)' % seen[:40])
                error = None
                break
            except Exception as failure:
                error = '%s: %s' % (type(failure).__name__, failure)
                if time.time() - start >= limit:
                    break
                time.sleep(1)
        print('\(DjangoShell.marker)' + json.dumps({'tag': tag, 'address': address, 'port': port, 'ok': error is None,
                                                   'error': error, 'seconds': round(time.time() - start, 1)}))

        """

    /// What the server found.
    public struct Answer: Sendable, Equatable, Decodable {
        public var tag: String
        public var address: String
        public var port: Int
        public var ok: Bool
        public var error: String?
        public var seconds: Double
    }

    /// The block for the server: the virtualenv's Python knocks at `address`:`port`, trying for `patience` seconds before
    /// it reports the address unreachable; `tag` names the test it is for. The address must be an IP address (it comes
    /// from Neutron, and is checked as one before it is shown).
    public static func block(virtualenv: String, address: String, port: Int, tag: String, patience: Int) -> String {
        RemoteScript.subshell(
            [RemoteScript.echo("INSTANCE")] + RemoteScript.environment
                + RemoteScript.pythonFileLines(
                    python: RemoteScript.quote(virtualenv + "/bin/python"), code: script,
                    arguments: [address, String(port), tag, String(patience)]))
    }

    /// The server's answer for the test tagged `tag`, if the text holds one.
    public static func answer(in text: String, tag: String) -> Answer? {
        guard let answer = DjangoShell.lastResult(in: text, as: Answer.self), answer.tag == tag else { return nil }
        return answer
    }
}
