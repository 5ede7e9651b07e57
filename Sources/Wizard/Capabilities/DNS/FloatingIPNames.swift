import CloudProbe
import StepEngine

/// The floating IPs and the names Atmosphere gives them, as the DNS screen says: what both DNS capabilities read.
struct FloatingIPNames: CapabilityInputs {
    /// More than this many addresses is a whole network, not the floating ranges.
    static let maximumAddresses = 65_536

    var ranges: [IPRange]
    var format: String
    var domain: String?
    var server: String?
    var writeZoneFiles: Bool
    var zoneDirectory: String
    private let owner: any FindingOwner

    init(_ answers: InputReader) {
        owner = answers.owner
        ranges = answers.list("dns.floating_ranges").compactMap(IPRange.init)
        format = answers.text("dns.hostname_format")
        domain = answers.optionalText("dns.domain")
        server = answers.optionalText("dns.server")
        writeZoneFiles = answers.flag("dns.write_zone_files")
        zoneDirectory = answers.path("dns.zone_dir") ?? ""
    }

    /// The ranges checked: no range, or more than a /16 of them, is a failure naming dns.floating_ranges.
    func checked() throws(FindingError) -> FloatingIPNames {
        guard !ranges.isEmpty else {
            throw owner.refusal(
                target: "dns.floating_ranges", observed: "no floating IP ranges",
                remedy: "Run the prerequisites step (it reads the external network's pools) or type the ranges.")
        }
        guard count <= Self.maximumAddresses else {
            throw owner.refusal(
                target: "dns.floating_ranges", observed: "\(count) addresses: more than a /16",
                remedy: "Give the floating ranges themselves, not a whole network.")
        }
        return self
    }

    /// How many addresses the ranges hold.
    var count: Int { ranges.reduce(0) { $0 + $1.count } }
}
