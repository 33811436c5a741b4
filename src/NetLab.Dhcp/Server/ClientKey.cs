using NetLab.Protocols.Addressing;
using NetLab.Protocols.Dhcp;

namespace NetLab.Dhcp.Server;

/// <summary>Who a client is: RFC 2131 4.2 says the client identifier (option 61) when present, else chaddr.</summary>
public readonly record struct ClientKey(MacAddress Mac, string? ClientIdHex)
{
    public static ClientKey From(DhcpMessage message) =>
        new(message.ClientMac, message.ClientIdentifier is { } id ? Convert.ToHexString(id).ToLowerInvariant() : null);

    public byte[]? ClientId => ClientIdHex is null ? null : Convert.FromHexString(ClientIdHex);

    /// <summary>Whether a lease record belongs to this client: same client identifier, or same MAC when
    /// either side has no identifier.</summary>
    public bool Owns(Leases.Lease lease) =>
        ClientIdHex is not null && lease.ClientId is not null ? ClientIdHex == lease.ClientIdHex : Mac == lease.Mac;

    public override string ToString() => Mac.ToString();
}
