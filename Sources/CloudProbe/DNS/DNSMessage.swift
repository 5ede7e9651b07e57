import Foundation
@preconcurrency import Glibc

/// The DNS wire format (RFC 1035), as much as A and PTR questions need.
enum DNSMessage {
    /// A recursive query for one question.
    static func query(id: UInt16, _ question: DNSClient.Question) -> [UInt8] {
        var bytes: [UInt8] = [UInt8(id >> 8), UInt8(id & 0xff), 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]
        for label in question.name.split(separator: ".") {
            let utf8 = Array(label.utf8.prefix(63))
            bytes.append(UInt8(utf8.count))
            bytes += utf8
        }
        bytes += [0, UInt8(question.kind.rawValue >> 8), UInt8(question.kind.rawValue & 0xff), 0, 1]
        return bytes
    }

    /// A reply: its id, rcode, the question's name and the answer records.
    struct Reply {
        var id: UInt16
        var rcode: UInt8
        var question: String?
        var records: [(type: UInt16, data: String)]

        init?(_ bytes: [UInt8]) {
            guard bytes.count >= 12, bytes[2] & 0x80 != 0 else { return nil }
            id = UInt16(bytes[0]) << 8 | UInt16(bytes[1])
            rcode = bytes[3] & 0x0f
            let questions = Int(UInt16(bytes[4]) << 8 | UInt16(bytes[5]))
            let count = Int(UInt16(bytes[6]) << 8 | UInt16(bytes[7]))
            var offset = 12
            records = []
            for index in 0..<questions {
                guard let (name, end) = Self.name(in: bytes, at: offset), end + 4 <= bytes.count else { return nil }
                if index == 0 { question = name }
                offset = end + 4
            }
            for _ in 0..<count {
                guard let (_, end) = Self.name(in: bytes, at: offset), end + 10 <= bytes.count else { return nil }
                let type = UInt16(bytes[end]) << 8 | UInt16(bytes[end + 1])
                let length = Int(UInt16(bytes[end + 8]) << 8 | UInt16(bytes[end + 9]))
                let start = end + 10
                guard start + length <= bytes.count else { return nil }
                if type == 1, length == 4 {
                    records.append((1, bytes[start..<start + 4].map(String.init).joined(separator: ".")))
                } else if type == 12, let (target, _) = Self.name(in: bytes, at: start) {
                    records.append((12, target))
                }
                offset = start + length
            }
        }

        /// The answer to a question of `kind`.
        func answer(for kind: DNSClient.Question.Kind) -> DNSClient.Answer {
            switch rcode {
            case 0:
                let data = records.filter { $0.type == kind.rawValue }.map(\.data)
                return data.isEmpty ? .none : .records(data)
            case 3: return .none
            case 2: return .failure("SERVFAIL")
            case 5: return .failure("REFUSED")
            default: return .failure("RCODE \(rcode)")
            }
        }

        /// A name at `offset`, following compression pointers; the offset just past it where it started.
        static func name(in bytes: [UInt8], at start: Int) -> (String, Int)? {
            var labels: [String] = []
            var offset = start
            var end: Int?
            var jumps = 0
            while offset < bytes.count {
                let length = Int(bytes[offset])
                if length == 0 {
                    return (labels.joined(separator: "."), end ?? offset + 1)
                }
                if length & 0xc0 == 0xc0 {
                    guard offset + 1 < bytes.count, jumps < 32 else { return nil }
                    if end == nil { end = offset + 2 }
                    offset = (length & 0x3f) << 8 | Int(bytes[offset + 1])
                    jumps += 1
                    continue
                }
                guard offset + 1 + length <= bytes.count else { return nil }
                labels.append(String(decoding: bytes[offset + 1...offset + length], as: UTF8.self))
                offset += 1 + length
            }
            return nil
        }
    }
}

/// One UDP socket connected to a server.
final class DatagramSocket: @unchecked Sendable {
    private let descriptor: Int32

    init(host: String, port: UInt16) throws {
        var v4 = sockaddr_in(), v6 = sockaddr_in6()
        if inet_pton(AF_INET, host, &v4.sin_addr) == 1 {
            v4.sin_family = sa_family_t(AF_INET)
            v4.sin_port = port.bigEndian
            descriptor = try Self.connected(family: AF_INET, to: &v4)
        } else {
            guard inet_pton(AF_INET6, host, &v6.sin6_addr) == 1 else { throw DNSProblem.badServer(host) }
            v6.sin6_family = sa_family_t(AF_INET6)
            v6.sin6_port = port.bigEndian
            descriptor = try Self.connected(family: AF_INET6, to: &v6)
        }
    }

    /// A UDP socket of `family` connected to `address` (a sockaddr_in or sockaddr_in6).
    private static func connected<Address>(family: Int32, to address: inout Address) throws -> Int32 {
        let descriptor = socket(family, Int32(SOCK_DGRAM.rawValue), 0)
        guard descriptor >= 0 else { throw DNSProblem.socket(String(cString: strerror(errno))) }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<Address>.size)) }
        }
        guard result == 0 else {
            _ = Glibc.close(descriptor)
            throw DNSProblem.socket(String(cString: strerror(errno)))
        }
        return descriptor
    }

    func send(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, 0) }
    }

    /// One datagram, or nil when none came within `timeout` seconds.
    func receive(timeout: TimeInterval) -> [UInt8]? {
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, Int32(timeout * 1000)) > 0 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(descriptor, &buffer, buffer.count, 0)
        return count > 0 ? Array(buffer[0..<count]) : nil
    }

    func close() { _ = Glibc.close(descriptor) }
}
