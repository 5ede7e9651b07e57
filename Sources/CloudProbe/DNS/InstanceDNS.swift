import AtmoModel
import Foundation

/// Host names for floating IPs in Atmosphere's hostname_format syntax, their A and PTR records, and BIND fragments.
public enum InstanceDNS {
    static let id = "dns.instance-records"

    /// The name Atmosphere's build_host_name gives `address`: Python `%(key)s` formatting with the octets one to four
    /// and `domain`. Nil when the format has no octet placeholder, an unknown key, or `%(domain)s` with no domain.
    public static func hostname(for address: UInt32, format: String, domain: String?) -> String? {
        let octets = ["one": address >> 24, "two": (address >> 16) & 0xff, "three": (address >> 8) & 0xff, "four": address & 0xff].mapValues(
            String.init)
        guard let expanded = HostnameFormat.expand(format, values: octets, domain: domain) else { return nil }
        return expanded.usedOctet ? expanded.text : nil
    }

    /// Asks for the A record of each address's name and the PTR record of each address, all at once, and lists what
    /// does not match. `serverLabel` names the server in the findings.
    public static func check(ranges: [IPRange], format: String, domain: String?, client: DNSClient) throws -> [Finding] {
        let addresses = ranges.flatMap { Array($0.first...$0.last) }
        var names: [String] = []
        for address in addresses {
            guard let name = hostname(for: address, format: format, domain: domain) else {
                return [
                    Finding(
                        checkID: id, target: "dns.hostname_format", severity: .failure, observed: "\(format) is not a valid hostname_format",
                        expected: "at least one of %(one)s to %(four)s, and %(domain)s only with a domain",
                        remedy: "Atmosphere would fall back to raw IPs: fix the format (and give dns.domain if it uses %(domain)s).")
                ]
            }
            names.append(name)
        }
        let started = Date()
        let questions = names.map { DNSClient.Question(name: $0, kind: .a) } + addresses.map(DNSClient.Question.reverse)
        let answers = try client.resolve(questions)
        let elapsed = Date().timeIntervalSince(started)
        var problems: [Finding] = []
        var good = 0
        for (index, address) in addresses.enumerated() {
            let ip = IPRange.text(address), name = names[index]
            let reverse = DNSClient.Question.reverse(address).name
            let forward = judge(
                answers[index], ip: ip, matches: { $0 == ip },
                wrong: { "\(name) has A \($0), not \(ip)" }, wrongRemedy: "Point \(name) at \(ip) (the zone fragment has the record).",
                missing: "no A record for \(name)", missingRemedy: "Add \(name). IN A \(ip) (the zone fragment has it).",
                failed: "A \(name)", failedRemedy: "Check that the DNS server answers for this zone.")
            let backward = judge(
                answers[addresses.count + index], ip: ip, matches: { $0.lowercased() == name.lowercased() },
                wrong: { "PTR is \($0), not \(name)" }, wrongRemedy: "Set \(reverse). IN PTR \(name). (the reverse fragment has it).",
                missing: "no PTR record (\(reverse))", missingRemedy: "Add \(reverse). IN PTR \(name). (the reverse fragment has it).",
                failed: "PTR \(reverse)", failedRemedy: "Check that the DNS server answers for the in-addr.arpa zone.")
            problems += [forward, backward].compactMap { $0 }
            let fine = forward == nil && backward == nil
            if fine { good += 1 }
        }
        problems.sort { $0.severity > $1.severity }
        let shown = 40
        var findings = [
            Finding(
                checkID: id, target: "\(client.host):\(client.port)", severity: good == addresses.count ? .ok : .info,
                observed:
                    "\(good) of \(addresses.count) addresses have matching A and PTR records (\(questions.count) lookups in \(String(format: "%.2f", elapsed)) s)"
            )
        ]
        findings.append(Finding(checkID: id, target: "dns.hostname_format", severity: .info, observed: preview(addresses, names)))
        findings += problems.prefix(shown)
        if problems.count > shown {
            findings.append(
                Finding(
                    checkID: id, target: "\(problems.count - shown) more", severity: problems[shown...].map(\.severity).max() ?? .warning,
                    observed: "\(problems.count - shown) more problems like the ones above", remedy: "The zone fragments hold every record."))
        }
        return findings
    }

    /// The problem with one answer, or nil when it holds a matching record.
    static func judge(
        _ answer: DNSClient.Answer, ip: String, matches: (String) -> Bool, wrong: (String) -> String, wrongRemedy: String,
        missing: String, missingRemedy: String, failed: String, failedRemedy: String
    ) -> Finding? {
        switch answer {
        case let .records(found) where found.contains(where: matches): nil
        case let .records(found):
            Finding(checkID: id, target: ip, severity: .failure, observed: wrong(found.joined(separator: ", ")), remedy: wrongRemedy)
        case .none: Finding(checkID: id, target: ip, severity: .warning, observed: missing, remedy: missingRemedy)
        case let .failure(reason): Finding(checkID: id, target: ip, severity: .failure, observed: "\(failed): \(reason)", remedy: failedRemedy)
        }
    }

    static func preview(_ addresses: [UInt32], _ names: [String]) -> String {
        let pairs = zip(addresses, names).map { "\(IPRange.text($0)) → \($1)" }
        return pairs.count <= 3 ? pairs.joined(separator: ", ") : "\(pairs[0]), \(pairs[1]), …, \(pairs[pairs.count - 1])"
    }

    /// BIND fragments: the A records, and the PTR records for the in-addr.arpa zone.
    public static func zoneFragments(ranges: [IPRange], format: String, domain: String?) -> (forward: String, reverse: String)? {
        var forward = ["; A records for Atmosphere's floating IPs (atmo-connect): add to the zone of their names"]
        var reverse = ["; PTR records for Atmosphere's floating IPs (atmo-connect): add to the in-addr.arpa zone"]
        for address in ranges.flatMap({ Array($0.first...$0.last) }) {
            guard let name = hostname(for: address, format: format, domain: domain) else { return nil }
            forward.append("\(name).\tIN\tA\t\(IPRange.text(address))")
            reverse.append("\(DNSClient.Question.reverse(address).name).\tIN\tPTR\t\(name).")
        }
        return (forward.joined(separator: "\n") + "\n", reverse.joined(separator: "\n") + "\n")
    }
}
