using System.Threading.Channels;
using NetLab.Dhcp.Client;
using NetLab.Protocols.Addressing;
using NetLab.Protocols.Dhcp;

namespace NetLab.Dhcp.Tests.Client;

/// <summary>The client's link in memory: every message the client sends is encoded and decoded again (as the
/// wire would), recorded, and handed to a responder that plays the server; its replies, also re-encoded,
/// are what the client receives.</summary>
internal sealed class InMemoryDhcpPeer : IDhcpClientTransport
{
    private readonly Channel<DhcpReply> _replies = Channel.CreateUnbounded<DhcpReply>();
    private readonly Func<DhcpMessage, DhcpDestination, IEnumerable<DhcpMessage>> _respond;
    private readonly List<(DhcpMessage Message, DhcpDestination Destination, DateTimeOffset At)> _sent = [];

    public InMemoryDhcpPeer(Func<DhcpMessage, DhcpDestination, IEnumerable<DhcpMessage>> respond) => _respond = respond;

    public static readonly IPv4Address ServerIp = IPv4Address.Parse("192.168.10.1");
    public static readonly MacAddress ServerMac = MacAddress.Parse("02:00:00:00:00:fe");

    public IReadOnlyList<(DhcpMessage Message, DhcpDestination Destination, DateTimeOffset At)> Sent
    {
        get
        {
            lock (_sent)
            {
                return _sent.ToList();
            }
        }
    }

    public IEnumerable<DhcpMessage> SentOfType(DhcpMessageType type) => Sent.Select(s => s.Message).Where(m => m.MessageType == type);

    /// <summary>Puts a reply on the link without a request (stray traffic, late answers).</summary>
    public void Inject(DhcpMessage reply) => _replies.Writer.TryWrite(new DhcpReply(RoundTrip(reply), ServerIp, ServerMac));

    public Task SendAsync(DhcpMessage message, DhcpDestination destination, CancellationToken cancellationToken)
    {
        var received = RoundTrip(message);
        lock (_sent)
        {
            _sent.Add((received, destination, DateTimeOffset.UtcNow));
        }
        foreach (var reply in _respond(received, destination))
        {
            Inject(reply);
        }
        return Task.CompletedTask;
    }

    public async Task<DhcpReply?> ReceiveAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(timeout);
        try
        {
            return await _replies.Reader.ReadAsync(timer.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private static DhcpMessage RoundTrip(DhcpMessage message)
    {
        Assert.True(DhcpMessage.TryRead(message.ToArray(), out var copy, out string? error), error);
        return copy!;
    }

    /// <summary>A server reply to <paramref name="request"/> as RFC 2131 table 3 builds it.</summary>
    public static DhcpMessage Reply(DhcpMessage request, DhcpMessageType type, IPv4Address yourAddress, uint leaseSeconds = 3600,
        uint? renewal = null, uint? rebinding = null)
    {
        var reply = new DhcpMessage
        {
            Operation = DhcpOperation.BootReply,
            TransactionId = request.TransactionId,
            ClientMac = request.ClientMac,
            YourAddress = type == DhcpMessageType.Nak ? IPv4Address.Any : yourAddress,
            Flags = request.Flags,
        };
        reply.MessageType = type;
        reply.ServerIdentifier = ServerIp;
        if (type == DhcpMessageType.Nak)
        {
            return reply;
        }
        reply.LeaseTime = leaseSeconds;
        reply.RenewalTime = renewal;
        reply.RebindingTime = rebinding;
        reply.SubnetMask = IPv4Address.Parse("255.255.255.0");
        reply.Routers = [ServerIp];
        reply.DnsServers = [IPv4Address.Parse("192.168.10.53")];
        reply.DomainName = "lab.test";
        return reply;
    }
}

/// <summary>Records lease events in order.</summary>
internal sealed class RecordingLeaseEvents : ILeaseEvents
{
    private readonly List<(LeaseEvent Event, DhcpLease? Lease, string? Message)> _events = [];

    public IReadOnlyList<(LeaseEvent Event, DhcpLease? Lease, string? Message)> Events
    {
        get
        {
            lock (_events)
            {
                return _events.ToList();
            }
        }
    }

    public Task OnLeaseEventAsync(LeaseEvent leaseEvent, DhcpLease? lease, string? message, CancellationToken cancellationToken)
    {
        lock (_events)
        {
            _events.Add((leaseEvent, lease, message));
        }
        return Task.CompletedTask;
    }
}

/// <summary>An ARP probe whose answers the test decides: the holder's MAC for addresses in <see cref="Taken"/>.</summary>
internal sealed class FakeConflictProbe : IAddressConflictProbe
{
    public Dictionary<IPv4Address, MacAddress> Taken { get; } = [];
    public List<IPv4Address> Probed { get; } = [];

    public Task<MacAddress?> ProbeAsync(IPv4Address address, CancellationToken cancellationToken)
    {
        Probed.Add(address);
        return Task.FromResult(Taken.TryGetValue(address, out var mac) ? mac : (MacAddress?)null);
    }
}
