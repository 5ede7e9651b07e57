import AtmoModel
import Foundation

/// What Atmosphere needs to exist in the cloud: images, flavors, networks, routers, an external network with free IPs,
/// routers with a gateway on it, the roles, a volume type.
enum InventoryChecks {
    static func run(_ context: CheckContext) async -> ([Finding], CloudFacts) {
        let glance = context.endpoint(["image"])
        let nova = context.endpoint(["compute"])
        let neutron = context.endpoint(["network"]).map { $0.hasSuffix("/v2.0") ? $0 : $0 + "/v2.0" }
        let cinder = context.endpoint(["volumev3", "block-storage", "volumev2", "volume"])
        async let images = list(glance.map { "\($0)/v2/images?status=active&limit=100" }, key: "images", service: "image (Glance)", context: context)
        async let flavors = list(nova.map { "\($0)/flavors" }, key: "flavors", service: "compute (Nova)", context: context)
        async let networks = networksAndExternalDetails(neutron: neutron, context: context)
        async let routers = list(neutron.map { "\($0)/routers" }, key: "routers", service: "network (Neutron)", context: context)
        async let roles = list("\(context.session.identityURL)/roles", key: "roles", service: "identity (Keystone)", context: context)
        async let types = list(cinder.map { "\($0)/types" }, key: "volume_types", service: "volume (Cinder)", context: context)
        let (imageList, flavorList, (networkList, details), routerList, roleList, typeList) = await (images, flavors, networks, routers, roles, types)

        var findings: [Finding] = []
        findings += count(
            imageList, noun: "active image", checkID: "cloud.inventory",
            remedy: "Upload one: openstack image create --disk-format qcow2 --container-format bare --public --file IMAGE.qcow2 NAME")
        findings += count(
            flavorList, noun: "flavor", checkID: "cloud.inventory",
            remedy: "Create one: openstack flavor create --ram 2048 --vcpus 1 --disk 20 m1.small")
        findings += count(
            networkList, noun: "network", checkID: "cloud.inventory",
            remedy: "Create one: openstack network create selfservice (and a subnet)")
        findings += count(
            routerList, noun: "router", checkID: "cloud.inventory",
            remedy: "Create one with a gateway: openstack router create --external-gateway public public_router")
        let (externalFindings, facts) = external(networks: networkList, details: details, routers: routerList)
        findings += externalFindings
        findings += rolesFindings(roleList, context: context)
        var learned = facts
        if case let .success(roles) = roleList {
            let names = Set(roles.compactMap(\.name))
            learned.adminRole = names.contains(context.adminRole) ? context.adminRole : nil
            learned.memberRole = context.memberRoles.first(where: names.contains)
        }
        findings += volumeTypes(typeList, cinder: cinder)
        let admin = context.session.roles.contains(context.adminRole)
        findings.append(
            Finding(
                checkID: "keystone.admin-account", target: "\(context.session.userName) on \(context.session.projectName)",
                severity: admin ? .ok : .failure,
                observed: "roles: \(context.session.roles.joined(separator: ", "))", expected: "the \(context.adminRole) role",
                remedy: admin ? "" : "Use an admin account: creating atmoadmin and reading the whole cloud needs it."))
        return (findings, learned)
    }

    typealias Listing = Result<[InventoryBodies.Item], FindingBox>

    /// A whole list (following Glance's relative and Neutron's absolute next links), or why not.
    static func list(_ url: String?, key: String, service: String, context: CheckContext) async -> Listing {
        guard var next = url else {
            return .failure(
                FindingBox(
                    Finding(
                        checkID: "cloud.inventory", target: service, severity: .failure,
                        observed: "the catalog has no public \(service) endpoint", remedy: "Register the service's public endpoint.")))
        }
        var items: [InventoryBodies.Item] = []
        for _ in 0..<50 {
            switch await context.decode(next, checkID: "cloud.inventory", as: InventoryBodies.Page.self, listKey: key) {
            case let .failure(box): return .failure(box)
            case let .success(page):
                items += page.items
                if let relative = page.next, let base = URLComponents(string: next), let resolved = URL(string: relative, relativeTo: base.url) {
                    next = resolved.absoluteString
                } else if let href = page.links?.first(where: { $0.rel == "next" })?.href {
                    next = href
                } else {
                    return .success(items)
                }
            }
        }
        return .success(items)
    }

    static func count(_ listing: Listing, noun: String, checkID: String, remedy: String) -> [Finding] {
        switch listing {
        case let .failure(box): return [box.finding]
        case let .success(items):
            let names = items.prefix(5).compactMap(\.name).joined(separator: ", ")
            return [
                Finding(
                    checkID: checkID, target: "\(noun)s", severity: items.isEmpty ? .failure : .ok,
                    observed: items.isEmpty ? "no \(noun)" : "\(items.count) \(noun)\(items.count == 1 ? "" : "s") (\(names))",
                    expected: "at least one \(noun)", remedy: items.isEmpty ? remedy : "")
            ]
        }
    }

    /// Each external network's free-address finding and allocation pools (the floating ranges).
    typealias ExternalDetails = [(free: Finding, pools: [String], network: String, count: Int)]

    static func externalNetworks(_ networks: Listing) -> [InventoryBodies.Item] {
        guard case let .success(all) = networks else { return [] }
        return all.filter { $0.external == true }
    }

    /// The networks, then at once for each external one its free addresses and allocation pools. The longest chain of
    /// requests in the check, so its second half starts as soon as the list is in, not after every other list.
    static func networksAndExternalDetails(neutron: String?, context: CheckContext) async -> (Listing, ExternalDetails) {
        let networks = await list(neutron.map { "\($0)/networks" }, key: "networks", service: "network (Neutron)", context: context)
        guard let neutron else { return (networks, []) }
        let details = await withTaskGroup(of: ExternalDetails.Element.self) { group in
            for network in externalNetworks(networks) {
                let id = network.id ?? ""
                let name = network.name ?? id
                group.addTask {
                    async let free = freeAddresses(id: id, name: name, neutron: neutron, context: context)
                    async let pools = allocationPools(id: id, neutron: neutron, context: context)
                    let (counted, ranges) = await (free, pools)
                    return (counted.finding, ranges, name, counted.free)
                }
            }
            var result: ExternalDetails = []
            for await part in group { result.append(part) }
            return result.sorted { $0.free.target < $1.free.target }
        }
        return (networks, details)
    }

    static func external(networks: Listing, details: ExternalDetails, routers: Listing) -> ([Finding], CloudFacts) {
        var facts = CloudFacts()
        guard case .success = networks else { return ([], facts) }
        let external = externalNetworks(networks)
        guard !external.isEmpty else {
            return (
                [
                    Finding(
                        checkID: "neutron.external-network", target: "external networks", severity: .failure, observed: "no external network",
                        expected: "an external network with floating IPs routable from the Atmosphere server",
                        remedy:
                            "openstack network create --external --provider-network-type flat --provider-physical-network PHYSNET public, then a subnet with an allocation pool"
                    )
                ], facts
            )
        }
        var findings = details.map(\.free)
        facts.floatingRanges = details.flatMap(\.pools)
        facts.freeFloatingIPs = Dictionary(details.map { ($0.network, $0.count) }, uniquingKeysWith: +)
        // The one users' routers can use: with free addresses, else the only one.
        let names = external.compactMap(\.name)
        facts.externalNetwork =
            names.first { name in details.contains { $0.free.severity == .ok && $0.free.target == "external network \(name)" } }
            ?? (names.count == 1 ? names.first : nil)
        let externalIDs = Set(external.compactMap(\.id))

        if case let .success(routerList) = routers {
            let gateways = routerList.filter { router in router.gateway?.networkID.map(externalIDs.contains) ?? false }.compactMap(\.name)
            facts.routerCandidates = gateways
            findings.append(
                Finding(
                    checkID: "neutron.router-gateways", target: "routers", severity: gateways.isEmpty ? .failure : .ok,
                    observed: gateways.isEmpty
                        ? "no router has a gateway on an external network" : "candidates for public_routers: \(gateways.joined(separator: ", "))",
                    expected: "a router with its gateway on the external network",
                    remedy: gateways.isEmpty ? "openstack router set --external-gateway \(external.first?.name ?? "public") ROUTER" : ""
                ))
        }
        return (findings, facts)
    }

    /// An external network's allocation pools as first-last ranges.
    static func allocationPools(id: String, neutron: String, context: CheckContext) async -> [String] {
        guard
            case let .success(document) = await context.decode(
                "\(neutron)/subnets?network_id=\(id)", checkID: "neutron.external-network", as: InventoryBodies.Subnets.self)
        else { return [] }
        return document.subnets.flatMap { subnet in
            (subnet.allocationPools ?? []).compactMap { pool -> String? in
                IPRange.address(pool.start) == nil ? nil : "\(pool.start)-\(pool.end)"
            }
        }
    }

    /// Free floating IPs on one external network: Neutron's IP availability where allowed, else pools minus what is allocated.
    static func freeAddresses(id: String, name: String, neutron: String, context: CheckContext) async -> (finding: Finding, free: Int) {
        let target = "external network \(name)"
        var total = 0, used = 0, method = "Neutron's IP availability"
        if case let .success(document) = await context.decode(
            "\(neutron)/network-ip-availabilities/\(id)", checkID: "neutron.external-network", as: InventoryBodies.Availability.self)
        {
            total = document.availability.totalIPs
            used = document.availability.usedIPs
        } else {
            method = "allocation pools minus allocated addresses"
            if case let .success(document) = await context.decode(
                "\(neutron)/subnets?network_id=\(id)", checkID: "neutron.external-network", as: InventoryBodies.Subnets.self)
            {
                for subnet in document.subnets {
                    for pool in subnet.allocationPools ?? [] {
                        if let range = IPRange("\(pool.start)-\(pool.end)") { total += range.count }
                    }
                }
            }
            if case let .success(document) = await context.decode(
                "\(neutron)/ports?network_id=\(id)", checkID: "neutron.external-network", as: InventoryBodies.Ports.self)
            {
                used = document.ports.count
            }
        }
        let free = max(0, total - used)
        let finding = Finding(
            checkID: "neutron.external-network", target: target, severity: free == 0 ? .failure : (free < 5 ? .warning : .ok),
            observed: "\(free) free of \(total) addresses (\(method))", expected: "free floating IPs for instances",
            remedy: free == 0
                ? "Release unused floating IPs (openstack floating ip list --status DOWN) or add an allocation pool to the external subnet." : "")
        return (finding, free)
    }

    static func rolesFindings(_ listing: Listing, context: CheckContext) -> [Finding] {
        guard case let .success(roles) = listing else {
            if case let .failure(box) = listing { return [box.finding] }
            return []
        }
        let names = Set(roles.compactMap(\.name))
        var findings: [Finding] = []
        let hasAdmin = names.contains(context.adminRole)
        findings.append(
            Finding(
                checkID: "keystone.roles", target: "role \(context.adminRole)", severity: hasAdmin ? .ok : .failure,
                observed: hasAdmin ? "exists" : "missing (roles: \(names.sorted().joined(separator: ", ")))",
                remedy: hasAdmin
                    ? ""
                    : "Use the cloud's admin role name (atmoadmin.role and provider.admin_role_name), or create it: openstack role create \(context.adminRole)"
            ))
        let member = context.memberRoles.first(where: names.contains)
        findings.append(
            Finding(
                checkID: "keystone.roles", target: "member role", severity: member == nil ? .failure : .ok,
                observed: member.map { "\($0) exists" } ?? "none of \(context.memberRoles.joined(separator: ", ")) exists",
                remedy: member == nil ? "Set provider.user_role_name to the cloud's member role." : ""))
        return findings
    }

    static func volumeTypes(_ listing: Listing, cinder: String?) -> [Finding] {
        switch listing {
        case let .failure(box):
            var finding = box.finding
            finding.checkID = "cinder.volume-types"
            // Cinder is optional for Atmosphere; a certificate it cannot trust is the same failure it is everywhere.
            finding.severity = box.tls ? .failure : .warning
            return [finding]
        case let .success(types):
            return [
                Finding(
                    checkID: "cinder.volume-types", target: cinder ?? "volume", severity: types.isEmpty ? .warning : .ok,
                    observed: types.isEmpty
                        ? "no volume type" : "\(types.count) volume type(s): \(types.compactMap(\.name).joined(separator: ", "))",
                    remedy: types.isEmpty ? "openstack volume type create standard" : "")
            ]
        }
    }
}
