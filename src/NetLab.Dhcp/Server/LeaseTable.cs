using NetLab.Dhcp.Leases;
using NetLab.Protocols.Addressing;

namespace NetLab.Dhcp.Server;

/// <summary>The server's view of its pool: lease records by address, which client holds which address,
/// offers held for a client, and the address choice of issue 3 (reservation, the client's lease, the
/// requested address, the next free one). Not thread-safe: the server core serializes calls.</summary>
public sealed class LeaseTable
{
    private readonly DhcpServerConfig _config;
    private readonly Dictionary<IPv4Address, Lease> _byAddress;
    private readonly Dictionary<string, IPv4Address> _byClientId = [];
    private readonly Dictionary<MacAddress, IPv4Address> _byMac = [];
    private readonly Dictionary<IPv4Address, (ClientKey Client, DateTimeOffset Until)> _holds = [];
    private readonly Dictionary<ClientKey, IPv4Address> _holdByClient = [];
    private readonly Dictionary<IPv4Address, MacAddress> _reservedFor;
    private uint _cursor;

    public LeaseTable(DhcpServerConfig config, IDictionary<IPv4Address, Lease> replayed)
    {
        _config = config;
        _byAddress = new Dictionary<IPv4Address, Lease>(replayed);
        _reservedFor = config.Reservations.ToDictionary(r => r.Value, r => r.Key);
        foreach (var lease in _byAddress.Values.OrderBy(l => l.Expires))
        {
            Index(lease);
        }
        _cursor = config.RangeStart.Value;
    }

    public IEnumerable<Lease> Records => _byAddress.Values;

    public int PoolSize => (int)Math.Min(int.MaxValue, (long)_config.RangeEnd.Value - _config.RangeStart.Value + 1);

    public Lease? Get(IPv4Address address) => _byAddress.GetValueOrDefault(address);

    /// <summary>The latest record of this client's address, in whatever state, if the record is still its.</summary>
    public Lease? FindForClient(ClientKey client)
    {
        if (client.ClientIdHex is not null && _byClientId.TryGetValue(client.ClientIdHex, out var byId)
            && _byAddress.TryGetValue(byId, out var lease) && client.Owns(lease))
        {
            return lease;
        }
        return _byMac.TryGetValue(client.Mac, out var byMac) && _byAddress.TryGetValue(byMac, out lease) && client.Owns(lease) ? lease : null;
    }

    public void Set(Lease lease)
    {
        _byAddress[lease.Address] = lease;
        Index(lease);
    }

    /// <summary>Reserves an address for a client (one per client: a new hold replaces its previous one).</summary>
    public void Hold(IPv4Address address, ClientKey client, DateTimeOffset until)
    {
        ReleaseHoldsOf(client);
        if (_holds.TryGetValue(address, out var previous))
        {
            _holdByClient.Remove(previous.Client);
        }
        _holds[address] = (client, until);
        _holdByClient[client] = address;
    }

    public void ReleaseHoldsOf(ClientKey client)
    {
        if (_holdByClient.Remove(client, out var address))
        {
            _holds.Remove(address);
        }
    }

    public IPv4Address? HeldFor(ClientKey client, DateTimeOffset now) =>
        _holdByClient.TryGetValue(client, out var address) && _holds[address].Until > now ? address : null;

    /// <summary>Whether this client may have the address now: a host address of the subnet, in the range or
    /// reserved for it, not reserved for someone else, not the server's, not leased to or held for another
    /// client, not quarantined.</summary>
    public bool IsAvailableFor(IPv4Address address, ClientKey client, DateTimeOffset now)
    {
        if (!_config.InSubnet(address) || address == _config.Network || address == _config.SubnetBroadcast || address == _config.ServerIp)
        {
            return false;
        }
        if (_reservedFor.TryGetValue(address, out var reservedMac))
        {
            if (reservedMac != client.Mac)
            {
                return false;
            }
        }
        else if (!_config.InRange(address))
        {
            return false;
        }
        if (_byAddress.TryGetValue(address, out var lease)
            && (lease.IsQuarantinedAt(now) || (lease.IsActiveAt(now) && !client.Owns(lease))))
        {
            return false;
        }
        return !_holds.TryGetValue(address, out var hold) || hold.Until <= now || hold.Client == client;
    }

    /// <summary>The address to offer, in the order issue 3 gives, and whether it is new to this client (then
    /// it deserves an ARP probe). Null when the pool is exhausted.</summary>
    public (IPv4Address Address, bool NewToClient)? Choose(ClientKey client, IPv4Address? requested, DateTimeOffset now)
    {
        var own = FindForClient(client);
        if (_config.Reservations.TryGetValue(client.Mac, out var reserved))
        {
            // A reserved client gets its address or nothing, never a dynamic one.
            return IsAvailableFor(reserved, client, now) ? (reserved, own?.Address != reserved) : null;
        }
        if (HeldFor(client, now) is { } held && IsAvailableFor(held, client, now))
        {
            return (held, false);
        }
        if (own is not null && own.State != LeaseState.Declined && IsAvailableFor(own.Address, client, now))
        {
            return (own.Address, false);
        }
        if (requested is { } wanted && _config.InRange(wanted) && IsAvailableFor(wanted, client, now))
        {
            return (wanted, true);
        }
        return NextFree(client, now) is { } free ? (free, true) : null;
    }

    /// <summary>First an address never leased (from a rotating cursor, so consecutive clients do not race
    /// for the same one), else the record that expired or was released longest ago.</summary>
    private IPv4Address? NextFree(ClientKey client, DateTimeOffset now)
    {
        uint start = _config.RangeStart.Value;
        uint end = _config.RangeEnd.Value;
        ulong count = (ulong)end - start + 1;
        for (ulong i = 0; i < count; i++)
        {
            var address = new IPv4Address(_cursor);
            _cursor = _cursor >= end ? start : _cursor + 1;
            if (!_byAddress.ContainsKey(address) && IsAvailableFor(address, client, now))
            {
                return address;
            }
        }
        Lease? oldest = null;
        foreach (var lease in _byAddress.Values)
        {
            if ((oldest is null || lease.Expires < oldest.Expires) && _config.InRange(lease.Address) && IsAvailableFor(lease.Address, client, now))
            {
                oldest = lease;
            }
        }
        return oldest?.Address;
    }

    public (int Active, int Quarantined, int Held) Usage(DateTimeOffset now) => (
        _byAddress.Values.Count(l => l.IsActiveAt(now)),
        _byAddress.Values.Count(l => l.IsQuarantinedAt(now)),
        _holds.Values.Count(h => h.Until > now));

    private void Index(Lease lease)
    {
        if (lease.ClientIdHex is { } id)
        {
            _byClientId[id] = lease.Address;
        }
        _byMac[lease.Mac] = lease.Address;
    }
}
