using NetLab.Protocols.Addressing;
using NetLab.Protocols.Dhcp;

namespace NetLab.Dhcp.Client;

/// <summary>Where a client message goes at layers 2 and 3.</summary>
public readonly record struct DhcpDestination(IPv4Address SourceIp, IPv4Address DestinationIp, MacAddress DestinationMac)
{
    /// <summary>To every server on the link (from 0.0.0.0 before the client has an address).</summary>
    public static DhcpDestination Broadcast(IPv4Address sourceIp) => new(sourceIp, IPv4Address.Broadcast, MacAddress.Broadcast);

    public bool IsBroadcast => DestinationIp.IsBroadcast;
}

/// <summary>A decoded server message with the addresses it came from.</summary>
public sealed record DhcpReply(DhcpMessage Message, IPv4Address SourceIp, MacAddress SourceMac);

/// <summary>How the client sends and receives DHCP messages: raw frames on a NIC in the program, an
/// in-memory peer in unit tests. Receiving yields every well-formed server-to-client message; deciding
/// whether it answers this client (xid, MAC, state) is the state machine's job.</summary>
public interface IDhcpClientTransport
{
    Task SendAsync(DhcpMessage message, DhcpDestination destination, CancellationToken cancellationToken);

    /// <summary>The next server message, or null when <paramref name="timeout"/> passes first.</summary>
    Task<DhcpReply?> ReceiveAsync(TimeSpan timeout, CancellationToken cancellationToken);
}

/// <summary>RFC 5227 address conflict detection: who, if anyone, already uses an address.</summary>
public interface IAddressConflictProbe
{
    /// <summary>The MAC of a host that claims <paramref name="address"/>, or null when nobody answered.</summary>
    Task<MacAddress?> ProbeAsync(IPv4Address address, CancellationToken cancellationToken);
}

/// <summary>What the client reports as the lease changes: the host runs the lease script, prints the lease
/// and saves the lease file.</summary>
public interface ILeaseEvents
{
    Task OnLeaseEventAsync(LeaseEvent leaseEvent, DhcpLease? lease, string? message, CancellationToken cancellationToken);
}
