using NetLab.Protocols.Addressing;

namespace NetLab.Dhcp.Leases;

/// <summary>What a lease record says about an address (the "state" field of the lease file).</summary>
public enum LeaseState
{
    Active,
    Released,
    /// <summary>Quarantined after a DHCPDECLINE or an ARP conflict until <see cref="Lease.Expires"/>.</summary>
    Declined,
    Expired,
}

/// <summary>One address binding as the server keeps it and the lease file stores it.</summary>
public sealed record Lease(
    IPv4Address Address,
    MacAddress Mac,
    byte[]? ClientId,
    string? HostName,
    DateTimeOffset Expires,
    LeaseState State)
{
    /// <summary>Active and not yet past its expiry: the address belongs to this client.</summary>
    public bool IsActiveAt(DateTimeOffset now) => State == LeaseState.Active && Expires > now;

    /// <summary>Declined and still in its probation period: nobody may get the address.</summary>
    public bool IsQuarantinedAt(DateTimeOffset now) => State == LeaseState.Declined && Expires > now;

    public string? ClientIdHex => ClientId is null ? null : Convert.ToHexString(ClientId).ToLowerInvariant();

    /// <summary>The state a reader should show: an active record past its expiry is expired.</summary>
    public LeaseState EffectiveStateAt(DateTimeOffset now) =>
        State == LeaseState.Active && Expires <= now ? LeaseState.Expired : State;
}
