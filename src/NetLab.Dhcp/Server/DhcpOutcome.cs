using NetLab.Dhcp.Leases;
using NetLab.Protocols.Addressing;
using NetLab.Protocols.Dhcp;

namespace NetLab.Dhcp.Server;

/// <summary>Where a reply goes (RFC 2131 4.1): link-layer and IP destination and UDP port.</summary>
public readonly record struct ReplyDestination(MacAddress Mac, IPv4Address Ip, ushort Port)
{
    public static ReplyDestination Broadcast { get; } = new(MacAddress.Broadcast, IPv4Address.Broadcast, DhcpMessage.ClientPort);
}

/// <summary>An address that needs an ARP probe before it is offered, with the DISCOVER that asked for it.</summary>
public sealed record ProbeRequest(IPv4Address Address, DhcpMessage Discover, MacAddress FrameSource, int Attempt);

/// <summary>What the core decided for one message: records to make durable (before any reply leaves), and a
/// reply, or a probe to run first, or nothing.</summary>
public sealed record DhcpOutcome(IReadOnlyList<Lease> Persist, DhcpMessage? Reply, ReplyDestination Destination, ProbeRequest? Probe)
{
    public static DhcpOutcome None { get; } = new([], null, default, null);
}

/// <summary>Counters the server prints on exit and on request.</summary>
public sealed class DhcpServerCounters
{
    public long Received;
    public long Malformed;
    public long Ignored;
    public long Discovers;
    public long Requests;
    public long Declines;
    public long Releases;
    public long Informs;
    public long Offers;
    public long Acks;
    public long Naks;
    public long ProbeConflicts;
    public long PoolExhausted;

    public override string ToString() =>
        $"received {Received}, malformed {Malformed}, ignored {Ignored}; DISCOVER {Discovers}, REQUEST {Requests}, DECLINE {Declines}, " +
        $"RELEASE {Releases}, INFORM {Informs}; sent OFFER {Offers}, ACK {Acks}, NAK {Naks}; ARP conflicts {ProbeConflicts}, pool exhausted {PoolExhausted}";
}
