import Foundation
import NIOCore
import NIOPosix

/// A DNS responder for the demo's floating IPs on 127.0.0.1 (UDP): A records for vmTHIRD-FOURTH.demo.test and the
/// matching PTR records, NXDOMAIN for anything else.
final class DemoDNSHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    let records: [String: String]
    let pointers: [String: String]

    init(addresses: [String]) {
        var records: [String: String] = [:], pointers: [String: String] = [:]
        for address in addresses {
            let octets = address.split(separator: ".")
            guard octets.count == 4 else { continue }
            let name = "vm\(octets[2])-\(octets[3]).demo.test"
            records[name] = address
            pointers[octets.reversed().joined(separator: ".") + ".in-addr.arpa"] = name
        }
        self.records = records
        self.pointers = pointers
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        let query = Array(envelope.data.readableBytesView)
        guard query.count > 12 else { return }
        var labels: [String] = [], offset = 12
        while offset < query.count, query[offset] != 0 {
            let length = Int(query[offset])
            guard offset + 1 + length <= query.count else { return }
            labels.append(String(decoding: query[(offset + 1)...(offset + length)], as: UTF8.self))
            offset += 1 + length
        }
        guard offset + 5 <= query.count else { return }
        let type = UInt16(query[offset + 1]) << 8 | UInt16(query[offset + 2])
        let name = labels.joined(separator: ".").lowercased()
        var answer: [UInt8] = []
        if type == 1, let address = records[name] {
            answer = [0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4] + address.split(separator: ".").compactMap { UInt8($0) }
        } else if type == 12, let target = pointers[name] {
            let encoded: [UInt8] = target.split(separator: ".").flatMap { label -> [UInt8] in [UInt8(label.utf8.count)] + Array(label.utf8) } + [0]
            answer = [0xc0, 12, 0, 12, 0, 1, 0, 0, 0, 60, UInt8(encoded.count >> 8), UInt8(encoded.count & 0xff)] + encoded
        }
        let known = records[name] != nil || pointers[name] != nil
        var reply = Array(query[0..<(offset + 5)])
        reply[2] = 0x84 | (query[2] & 0x01)
        reply[3] = answer.isEmpty && !known ? 0x83 : 0x80
        reply[6] = 0
        reply[7] = answer.isEmpty ? 0 : 1
        reply[8...11] = [0, 0, 0, 0]
        reply += answer
        let buffer = context.channel.allocator.buffer(bytes: reply)
        context.writeAndFlush(wrapOutboundOut(AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: buffer)), promise: nil)
    }
}
