using NetLab.Protocols.Addressing;

namespace NetLab.Dhcp.Client;

/// <summary>A lease as the client holds it: what the server granted in its DHCPACK plus when it was
/// granted, so renewal (T1), rebinding (T2) and expiry can be computed after a restart.</summary>
public sealed record DhcpLease
{
    /// <summary>RFC 2131 3.3: 0xffffffff means an infinite lease.</summary>
    public const uint InfiniteSeconds = uint.MaxValue;

    public required string Interface { get; init; }
    public required MacAddress ClientMac { get; init; }
    public required IPv4Address Address { get; init; }
    public required IPv4Address SubnetMask { get; init; }
    public IReadOnlyList<IPv4Address> Routers { get; init; } = [];
    public IReadOnlyList<IPv4Address> DnsServers { get; init; } = [];
    public string? DomainName { get; init; }
    public IPv4Address? BroadcastAddress { get; init; }
    public required IPv4Address ServerIdentifier { get; init; }

    /// <summary>The MAC the server's reply came from (the server itself, or the relay that forwarded it):
    /// the next hop for unicast renewals sent as raw frames.</summary>
    public required MacAddress ServerMac { get; init; }

    public required uint LeaseSeconds { get; init; }
    public required uint RenewalSeconds { get; init; }
    public required uint RebindingSeconds { get; init; }

    /// <summary>When the REQUEST that was acknowledged was sent (RFC 2131 4.4.1: lease times count from then).</summary>
    public required DateTimeOffset Acquired { get; init; }

    public int PrefixLength => SubnetMask.PrefixLength;
    public bool IsInfinite => LeaseSeconds == InfiniteSeconds;
    public DateTimeOffset Expires => IsInfinite ? DateTimeOffset.MaxValue : Acquired.AddSeconds(LeaseSeconds);
    public DateTimeOffset RenewAt => IsInfinite ? DateTimeOffset.MaxValue : Acquired.AddSeconds(RenewalSeconds);
    public DateTimeOffset RebindAt => IsInfinite ? DateTimeOffset.MaxValue : Acquired.AddSeconds(RebindingSeconds);

    public bool IsExpired(DateTimeOffset now) => now >= Expires;

    /// <summary>RFC 2131 4.4.5: T1 defaults to 0.5 and T2 to 0.875 of the lease; a server's values are kept
    /// only when they are ordered (T1 &lt; T2 &lt; lease), otherwise defaults in the same proportions apply.</summary>
    public static (uint Renewal, uint Rebinding) Timers(uint leaseSeconds, uint? renewal, uint? rebinding)
    {
        if (leaseSeconds == InfiniteSeconds)
        {
            return (InfiniteSeconds, InfiniteSeconds);
        }
        uint defaultRebinding = (uint)(leaseSeconds * 0.875);
        uint t2 = rebinding is { } r2 && r2 < leaseSeconds ? r2 : defaultRebinding;
        // With T2 given below half the lease, T1 keeps the default proportion to it (0.5 / 0.875).
        uint defaultRenewal = leaseSeconds / 2 < t2 ? leaseSeconds / 2 : (uint)(t2 * 4UL / 7);
        uint t1 = renewal is { } r1 && r1 < t2 ? r1 : defaultRenewal;
        return (t1, t2);
    }
}
