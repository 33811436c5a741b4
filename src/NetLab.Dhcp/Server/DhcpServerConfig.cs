using NetLab.Protocols.Addressing;
using NetLab.Protocols.Dhcp;

namespace NetLab.Dhcp.Server;

/// <summary>Everything dhcp-server is told on its command line, checked by <see cref="Validate"/> before
/// anything starts.</summary>
public sealed record DhcpServerConfig
{
    /// <summary>Shortest lease accepted: short enough for renewal tests, long enough that T1 is a few seconds.</summary>
    public static readonly TimeSpan MinimumLeaseTime = TimeSpan.FromSeconds(10);

    public required string InterfaceName { get; init; }
    public required IPv4Address ServerIp { get; init; }
    public required MacAddress ServerMac { get; init; }
    public required IPv4Address RangeStart { get; init; }
    public required IPv4Address RangeEnd { get; init; }
    public required IPv4Address SubnetMask { get; init; }
    public IReadOnlyList<IPv4Address> Routers { get; init; } = [];
    public IReadOnlyList<IPv4Address> DnsServers { get; init; } = [];
    public string? Domain { get; init; }
    public TimeSpan LeaseTime { get; init; } = TimeSpan.FromHours(1);
    public IReadOnlyDictionary<MacAddress, IPv4Address> Reservations { get; init; } = new Dictionary<MacAddress, IPv4Address>();
    public string LeaseFile { get; init; } = "/var/lib/netlab/dhcp-leases.jsonl";
    /// <summary>ARP-probe an address before offering it to a client that never had it.</summary>
    public bool ArpProbe { get; init; } = true;
    public TimeSpan ProbeTimeout { get; init; } = TimeSpan.FromMilliseconds(500);
    /// <summary>How long an offered address stays reserved for the client it was offered to.</summary>
    public TimeSpan OfferHold { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>Quarantine after DHCPDECLINE or an ARP conflict (Kea: decline-probation-period).</summary>
    public TimeSpan DeclineProbation { get; init; } = TimeSpan.FromMinutes(10);
    /// <summary>How often the lease file is rewritten with one line per address (Kea: lfc-interval).</summary>
    public TimeSpan CompactInterval { get; init; } = TimeSpan.FromMinutes(10);
    /// <summary>Further options (--dhcp-option), sent when the client's parameter request list asks for them.</summary>
    public IReadOnlyList<DhcpOption> ExtraOptions { get; init; } = [];

    public IPv4Address Network => ServerIp.Mask(SubnetMask);
    public IPv4Address SubnetBroadcast => new(Network.Value | ~SubnetMask.Value);
    public string SubnetText => $"{Network}/{SubnetMask.PrefixLength}";

    public bool InSubnet(IPv4Address address) => address.Mask(SubnetMask) == Network;

    public bool InRange(IPv4Address address) => address >= RangeStart && address <= RangeEnd;

    /// <summary>Every problem with the configuration, each saying what is wrong and how to fix it; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        int prefix = SubnetMask.PrefixLength;
        if (prefix < 0)
        {
            errors.Add($"invalid subnet mask {SubnetMask}: the one bits must be contiguous from the left (e.g. 255.255.255.0)");
            return errors;
        }
        if (prefix is 0 or > 30)
        {
            errors.Add($"invalid subnet mask {SubnetMask}: a DHCP subnet needs a prefix between /1 and /30");
            return errors;
        }
        if (RangeStart > RangeEnd)
        {
            errors.Add($"--dhcp-range start {RangeStart} is after its end {RangeEnd}; give the lower address first");
        }
        foreach (var (name, address) in new[] { ("start", RangeStart), ("end", RangeEnd) })
        {
            if (!InSubnet(address))
            {
                errors.Add($"--dhcp-range {name} {address} is outside the subnet {SubnetText} of the server address {ServerIp} on {InterfaceName}");
            }
            else if (address == Network || address == SubnetBroadcast)
            {
                errors.Add($"--dhcp-range {name} {address} is the {(address == Network ? "network" : "broadcast")} address of {SubnetText}; it cannot be leased");
            }
        }
        foreach (var (mac, address) in Reservations)
        {
            if (!InSubnet(address) || address == Network || address == SubnetBroadcast)
            {
                errors.Add($"--reserve {mac}={address}: the address is not a host address of the subnet {SubnetText}");
            }
            else if (address == ServerIp)
            {
                errors.Add($"--reserve {mac}={address}: that is the server's own address");
            }
        }
        foreach (var duplicate in Reservations.GroupBy(r => r.Value).Where(g => g.Count() > 1))
        {
            errors.Add($"--reserve: {duplicate.Key} is reserved for more than one MAC ({string.Join(", ", duplicate.Select(r => r.Key))})");
        }
        foreach (var router in Routers.Where(r => !InSubnet(r)))
        {
            errors.Add($"--router {router} is outside the subnet {SubnetText}; clients could not reach it");
        }
        if (LeaseTime < MinimumLeaseTime)
        {
            errors.Add($"--lease-time {LeaseTime.TotalSeconds:0}s is too short; use at least {MinimumLeaseTime.TotalSeconds:0}s");
        }
        if (LeaseTime.TotalSeconds >= uint.MaxValue)
        {
            errors.Add("--lease-time is longer than DHCP can express (about 136 years)");
        }
        if (ProbeTimeout <= TimeSpan.Zero || ProbeTimeout > TimeSpan.FromSeconds(10))
        {
            errors.Add($"--ping-timeout must be between 1ms and 10s (got {ProbeTimeout.TotalMilliseconds:0}ms)");
        }
        return errors;
    }
}
