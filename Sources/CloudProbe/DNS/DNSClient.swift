import AtmoModel
import Foundation
@preconcurrency import Glibc

/// A DNS stub resolver over UDP: many A and PTR questions at once on one socket, each retried, answered by id.
public struct DNSClient: Sendable {
    /// What to ask.
    public struct Question: Sendable, Hashable {
        /// The record type asked for.
        public enum Kind: UInt16, Sendable { case a = 1, ptr = 12 }
        public var name: String
        public var kind: Kind

        /// A question for `name`.
        public init(name: String, kind: Kind) {
            self.name = name
            self.kind = kind
        }

        /// The PTR question for an IPv4 address.
        public static func reverse(_ address: UInt32) -> Question {
            Question(name: "\(address & 0xff).\((address >> 8) & 0xff).\((address >> 16) & 0xff).\(address >> 24).in-addr.arpa", kind: .ptr)
        }
    }

    /// What came back.
    public enum Answer: Sendable, Equatable {
        /// The records' data: dotted addresses for A, names (no trailing dot) for PTR.
        case records([String])
        /// The name does not exist (NXDOMAIN), or exists with no record of this type.
        case none
        /// The server failed or refused (its RCODE), or never answered.
        case failure(String)
    }

    public let host: String
    public let port: UInt16
    /// Seconds before a question is asked again; it is asked at most `attempts` times.
    public var retryAfter: TimeInterval = 0.4
    public var attempts = 3
    /// Questions in flight at once.
    public var window = 256

    /// A client for `server` ("address", "address:port" or "[v6]:port"); the system's first resolver when nil.
    public init(server: String?) throws {
        guard let server = server ?? Self.systemResolver() else { throw DNSProblem.noResolver }
        var host = server, port: UInt16 = 53
        if server.hasPrefix("["), let close = server.firstIndex(of: "]") {
            host = String(server[server.index(after: server.startIndex)..<close])
            if let colon = server[close...].firstIndex(of: ":") { port = UInt16(server[server.index(after: colon)...]) ?? 53 }
        } else if server.filter({ $0 == ":" }).count == 1, let colon = server.firstIndex(of: ":") {
            host = String(server[..<colon])
            guard let parsed = UInt16(server[server.index(after: colon)...]) else { throw DNSProblem.badServer(server) }
            port = parsed
        }
        var probe4 = in_addr(), probe6 = in6_addr()
        guard inet_pton(AF_INET, host, &probe4) == 1 || inet_pton(AF_INET6, host, &probe6) == 1 else { throw DNSProblem.badServer(server) }
        self.host = host
        self.port = port
    }

    /// The first nameserver in /etc/resolv.conf.
    public static func systemResolver(path: String = "/etc/resolv.conf") -> String? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") {
            let words = line.split(whereSeparator: \.isWhitespace)
            if words.count >= 2, words[0] == "nameserver" {
                let address = String(words[1])
                return address.contains(":") ? "[\(address)]:53" : address
            }
        }
        return nil
    }

    /// Asks every question and returns the answers in the same order. Blocking: call it off the main loop.
    public func resolve(_ questions: [Question]) throws -> [Answer] {
        let socket = try DatagramSocket(host: host, port: port)
        defer { socket.close() }
        var answers = [Answer?](repeating: nil, count: questions.count)
        var sent = [Int](repeating: 0, count: questions.count)
        var lastSent = [Date](repeating: .distantPast, count: questions.count)
        var idOf = [UInt16: Int]()
        var next = 0
        var open = Set<Int>()
        while next < questions.count || !open.isEmpty {
            while open.count < window, next < questions.count {
                open.insert(next)
                next += 1
            }
            let now = Date()
            for index in open where now.timeIntervalSince(lastSent[index]) >= retryAfter {
                if sent[index] >= attempts {
                    answers[index] = .failure("no answer from \(host):\(port) after \(attempts) tries")
                    open.remove(index)
                    continue
                }
                // A fresh id per try, so a late answer to an old try still counts.
                let id = UInt16(truncatingIfNeeded: index &* 3 &+ sent[index] &+ 1) ^ UInt16(truncatingIfNeeded: questions.count)
                idOf[id] = index
                socket.send(DNSMessage.query(id: id, questions[index]))
                sent[index] += 1
                lastSent[index] = now
            }
            while let packet = socket.receive(timeout: 0.02) {
                guard let reply = DNSMessage.Reply(packet), let index = idOf[reply.id], open.contains(index),
                    reply.question?.lowercased() == questions[index].name.lowercased()
                else { continue }
                answers[index] = reply.answer(for: questions[index].kind)
                open.remove(index)
            }
        }
        return answers.map { $0 ?? .failure("not asked") }
    }
}

/// Why DNS could not be asked.
public enum DNSProblem: Problem, Equatable {
    case noResolver
    case badServer(String)
    case socket(String)

    /// What failed.
    public var message: String {
        switch self {
        case .noResolver: "no DNS server is configured (no nameserver in /etc/resolv.conf)"
        case let .badServer(server): "\(server) is not an address[:port]"
        case let .socket(reason): "cannot open a UDP socket: \(reason)"
        }
    }

    /// What to do.
    public var remedy: String {
        switch self {
        case .noResolver: "Give the DNS server to ask (dns.server, address[:port])."
        case .badServer: "Write it as 192.0.2.53, 192.0.2.53:5353 or [2001:db8::53]:53."
        case .socket: "Check that this machine may send UDP."
        }
    }
}
