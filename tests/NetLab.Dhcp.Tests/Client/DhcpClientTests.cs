using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using NetLab.Dhcp.Client;
using NetLab.Protocols.Addressing;
using NetLab.Protocols.Dhcp;
using static NetLab.Dhcp.Tests.Client.InMemoryDhcpPeer;

namespace NetLab.Dhcp.Tests.Client;

public class DhcpClientTests
{
    private static readonly MacAddress ClientMac = MacAddress.Parse("02:00:00:00:00:01");
    private static readonly IPv4Address Offered = IPv4Address.Parse("192.168.10.100");

    private static DhcpClientOptions Options(TimeSpan? timeout = null) => new()
    {
        Interface = "eth0",
        Mac = ClientMac,
        Timeout = timeout ?? TimeSpan.FromSeconds(5),
        RetryInterval = TimeSpan.FromMilliseconds(200),
        OfferWait = TimeSpan.FromMilliseconds(50),
        DeclineDelay = TimeSpan.FromMilliseconds(100),
        ClientIdentifier = DhcpClientOptions.ClientIdentifierFromMac(ClientMac),
        HostName = "client1",
    };

    /// <summary>A well-behaved server: OFFER for DISCOVER, ACK for REQUEST.</summary>
    private static IEnumerable<DhcpMessage> Server(DhcpMessage request, IPv4Address address, uint lease = 3600, uint? t1 = null, uint? t2 = null) =>
        request.MessageType switch
        {
            DhcpMessageType.Discover => [Reply(request, DhcpMessageType.Offer, address, lease, t1, t2)],
            DhcpMessageType.Request => [Reply(request, DhcpMessageType.Ack, request.RequestedIPAddress ?? request.ClientAddress, lease, t1, t2)],
            _ => [],
        };

    private static DhcpClient NewClient(DhcpClientOptions options, InMemoryDhcpPeer peer, RecordingLeaseEvents events, IAddressConflictProbe? probe = null) =>
        new(options, peer, probe, events, NullLogger.Instance);

    [Fact]
    public async Task Acquire_OneServer_SelectsRequestsAndReturnsTheServersLease()
    {
        var peer = new InMemoryDhcpPeer((m, _) => Server(m, Offered, 600, 200, 500));
        var events = new RecordingLeaseEvents();
        var lease = await NewClient(Options(), peer, events).AcquireAsync(null, CancellationToken.None);

        Assert.NotNull(lease);
        Assert.Equal(Offered, lease.Address);
        Assert.Equal(24, lease.PrefixLength);
        Assert.Equal([ServerIp], lease.Routers);
        Assert.Equal([IPv4Address.Parse("192.168.10.53")], lease.DnsServers);
        Assert.Equal("lab.test", lease.DomainName);
        Assert.Equal(ServerIp, lease.ServerIdentifier);
        Assert.Equal(ServerMac, lease.ServerMac);
        Assert.Equal((600u, 200u, 500u), (lease.LeaseSeconds, lease.RenewalSeconds, lease.RebindingSeconds));
        Assert.Equal(LeaseEvent.Bound, Assert.Single(events.Events).Event);

        var sent = peer.Sent;
        Assert.Equal([DhcpMessageType.Discover, DhcpMessageType.Request], sent.Select(s => s.Message.MessageType));
        var (discover, discoverTo, _) = sent[0];
        var (request, requestTo, _) = sent[1];
        Assert.True(discoverTo.IsBroadcast && discoverTo.SourceIp.IsAny && discoverTo.DestinationMac.IsBroadcast);
        Assert.True(requestTo.IsBroadcast);
        Assert.Equal(discover.TransactionId, request.TransactionId);
        Assert.Equal(ClientMac, discover.ClientMac);
        Assert.Contains(DhcpOptionCode.DomainNameServer, discover.ParameterRequestList!);
        Assert.Equal(DhcpClientOptions.ClientIdentifierFromMac(ClientMac), discover.ClientIdentifier);
        Assert.Equal("client1", request.HostName);
        // RFC 2131 4.3.2: a REQUEST in SELECTING names the server and the offered address, with ciaddr zero.
        Assert.Equal(ServerIp, request.ServerIdentifier);
        Assert.Equal(Offered, request.RequestedIPAddress);
        Assert.True(request.ClientAddress.IsAny);
    }

    [Fact]
    public async Task Acquire_RepliesForOtherXidOrMac_AreIgnored()
    {
        var stranger = MacAddress.Parse("02:00:00:00:00:99");
        var peer = new InMemoryDhcpPeer((m, _) =>
        {
            if (m.MessageType != DhcpMessageType.Discover)
            {
                return Server(m, Offered);
            }
            var wrongXid = Reply(m, DhcpMessageType.Offer, IPv4Address.Parse("192.168.10.201"));
            wrongXid.TransactionId ^= 1;
            var wrongMac = Reply(m, DhcpMessageType.Offer, IPv4Address.Parse("192.168.10.202"));
            wrongMac.ClientMac = stranger;
            var request = Reply(m, DhcpMessageType.Offer, IPv4Address.Parse("192.168.10.203"));
            request.Operation = DhcpOperation.BootRequest;
            return [wrongXid, wrongMac, request, Reply(m, DhcpMessageType.Offer, Offered)];
        });
        var lease = await NewClient(Options(), peer, new RecordingLeaseEvents()).AcquireAsync(null, CancellationToken.None);

        Assert.Equal(Offered, lease?.Address);
        Assert.Equal(Offered, Assert.Single(peer.SentOfType(DhcpMessageType.Request)).RequestedIPAddress);
    }

    [Fact]
    public async Task Acquire_SeveralOffers_PrefersTheRequestedAddress()
    {
        var other = IPv4Address.Parse("192.168.10.150");
        var peer = new InMemoryDhcpPeer((m, _) => m.MessageType == DhcpMessageType.Discover
            ? [Reply(m, DhcpMessageType.Offer, other), Reply(m, DhcpMessageType.Offer, Offered)]
            : Server(m, Offered));
        var lease = await NewClient(Options() with { RequestedAddress = Offered }, peer, new RecordingLeaseEvents())
            .AcquireAsync(null, CancellationToken.None);

        Assert.Equal(Offered, lease?.Address);
        Assert.Equal(Offered, peer.SentOfType(DhcpMessageType.Discover).Single().RequestedIPAddress);
        Assert.Equal(Offered, peer.SentOfType(DhcpMessageType.Request).Single().RequestedIPAddress);
    }

    [Fact]
    public async Task Acquire_Nak_StartsOverWithANewDiscover()
    {
        int requests = 0;
        var peer = new InMemoryDhcpPeer((m, _) =>
            m.MessageType == DhcpMessageType.Request && ++requests == 1 ? [Reply(m, DhcpMessageType.Nak, default)] : Server(m, Offered));
        var events = new RecordingLeaseEvents();
        var lease = await NewClient(Options(), peer, events).AcquireAsync(null, CancellationToken.None);

        Assert.Equal(Offered, lease?.Address);
        var discovers = peer.SentOfType(DhcpMessageType.Discover).ToList();
        Assert.Equal(2, discovers.Count);
        Assert.NotEqual(discovers[0].TransactionId, discovers[1].TransactionId);
        Assert.Equal([LeaseEvent.Nak, LeaseEvent.Bound], events.Events.Select(e => e.Event));
    }

    [Fact]
    public async Task Acquire_NoServer_RetransmitsWithBackOffAndGivesUpWithinTheTimeout()
    {
        var peer = new InMemoryDhcpPeer((_, _) => []);
        var events = new RecordingLeaseEvents();
        var client = NewClient(Options(TimeSpan.FromSeconds(2)) with { Retries = 10 }, peer, events);
        var watch = Stopwatch.StartNew();
        var lease = await client.AcquireAsync(null, CancellationToken.None);
        watch.Stop();

        Assert.Null(lease);
        Assert.False(client.AnyServerAnswered);
        Assert.Equal(LeaseEvent.LeaseFail, Assert.Single(events.Events).Event);
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(1.9), TimeSpan.FromSeconds(4));
        var times = peer.Sent.Select(s => s.At).ToList();
        Assert.All(peer.Sent, s => Assert.Equal(DhcpMessageType.Discover, s.Message.MessageType));
        // 200 ms doubling, each randomised by ±25%, within 2 s: sends near 0, 0.2, 0.6, 1.4 s. A busy machine can only
        // stretch the gaps, so each is checked against the shortest the back-off allows.
        Assert.InRange(times.Count, 3, 5);
        var gaps = times.Zip(times.Skip(1), (a, b) => b - a).ToList();
        for (int i = 0; i < gaps.Count; i++)
        {
            var shortest = TimeSpan.FromMilliseconds(200 * (1 << i) * 0.75 - 5);
            Assert.True(gaps[i] >= shortest, $"gap {i} was {gaps[i]}, back-off allows no less than {shortest}");
        }
        Assert.True(peer.Sent[^1].Message.Seconds >= 1, "secs counts from the first DISCOVER");
    }

    [Fact]
    public async Task Acquire_AddressHeldByAnotherHost_DeclinesAndTakesTheNextOffer()
    {
        var second = IPv4Address.Parse("192.168.10.101");
        int discovers = 0;
        var peer = new InMemoryDhcpPeer((m, _) => Server(m, m.MessageType == DhcpMessageType.Discover && ++discovers > 1 ? second : Offered));
        var probe = new FakeConflictProbe { Taken = { [Offered] = MacAddress.Parse("02:00:00:00:00:66") } };
        var options = Options() with { RequestedAddress = Offered };
        var lease = await NewClient(options, peer, new RecordingLeaseEvents(), probe).AcquireAsync(null, CancellationToken.None);

        Assert.Equal(second, lease?.Address);
        Assert.Equal([Offered, second], probe.Probed);
        // The declined address is not asked for again.
        Assert.Equal([Offered, null], peer.SentOfType(DhcpMessageType.Discover).Select(d => d.RequestedIPAddress));
        var decline = Assert.Single(peer.SentOfType(DhcpMessageType.Decline));
        // RFC 2131 4.4.1: DECLINE carries the address as option 50 and the server identifier; ciaddr stays zero.
        Assert.Equal(Offered, decline.RequestedIPAddress);
        Assert.Equal(ServerIp, decline.ServerIdentifier);
        Assert.True(decline.ClientAddress.IsAny);
    }

    [Fact]
    public async Task Acquire_SavedLease_InitRebootRequestsItWithoutServerIdentifier()
    {
        var peer = new InMemoryDhcpPeer((m, _) => Server(m, IPv4Address.Parse("192.168.10.199")));
        var saved = await NewClient(Options(), new InMemoryDhcpPeer((m, _) => Server(m, Offered)), new RecordingLeaseEvents())
            .AcquireAsync(null, CancellationToken.None);
        var lease = await NewClient(Options(), peer, new RecordingLeaseEvents()).AcquireAsync(saved, CancellationToken.None);

        Assert.Equal(Offered, lease?.Address);
        var request = Assert.Single(peer.Sent).Message;
        Assert.Equal(DhcpMessageType.Request, request.MessageType);
        Assert.Equal(Offered, request.RequestedIPAddress);
        Assert.Null(request.ServerIdentifier);
        Assert.True(request.ClientAddress.IsAny);
    }

    [Fact]
    public async Task Acquire_SavedLeaseRefused_FallsBackToDiscover()
    {
        var peer = new InMemoryDhcpPeer((m, _) => m.MessageType == DhcpMessageType.Request && m.ServerIdentifier is null
            ? [Reply(m, DhcpMessageType.Nak, default)] : Server(m, Offered));
        var saved = new DhcpLease
        {
            Interface = "eth0", ClientMac = ClientMac, Address = IPv4Address.Parse("10.99.0.5"), SubnetMask = IPv4Address.MaskFromPrefix(24),
            ServerIdentifier = ServerIp, ServerMac = ServerMac, LeaseSeconds = 3600, RenewalSeconds = 1800, RebindingSeconds = 3150,
            Acquired = DateTimeOffset.UtcNow,
        };
        var events = new RecordingLeaseEvents();
        var lease = await NewClient(Options(), peer, events).AcquireAsync(saved, CancellationToken.None);

        Assert.Equal(Offered, lease?.Address);
        Assert.Equal([DhcpMessageType.Request, DhcpMessageType.Discover, DhcpMessageType.Request], peer.Sent.Select(s => s.Message.MessageType));
        Assert.Equal([LeaseEvent.Nak, LeaseEvent.Bound], events.Events.Select(e => e.Event));
    }

    [Fact]
    public async Task Maintain_RenewsByUnicastAtT1()
    {
        var peer = new InMemoryDhcpPeer((m, _) => Server(m, Offered, lease: 30, t1: 1, t2: 20));
        var events = new RecordingLeaseEvents();
        var client = NewClient(Options(), peer, events);
        var lease = await client.AcquireAsync(null, CancellationToken.None);
        using var stop = new CancellationTokenSource();
        var maintaining = client.MaintainAsync(lease!, stop.Token);
        await WaitUntil(() => events.Events.Any(e => e.Event == LeaseEvent.Renew));
        stop.Cancel();
        var kept = await maintaining;

        var (renewal, destination, at) = peer.Sent[2];
        // RFC 2131 4.3.2 RENEWING: unicast to the server, ciaddr filled, no server identifier or requested address.
        Assert.Equal(DhcpMessageType.Request, renewal.MessageType);
        Assert.Equal(Offered, renewal.ClientAddress);
        Assert.Null(renewal.ServerIdentifier);
        Assert.Null(renewal.RequestedIPAddress);
        Assert.Equal(new DhcpDestination(Offered, ServerIp, ServerMac), destination);
        Assert.True(at >= lease!.RenewAt.AddMilliseconds(-50), "renewal not before T1");
        Assert.Equal(Offered, kept?.Address);
        Assert.True(kept!.Acquired > lease.Acquired);
    }

    [Fact]
    public async Task Maintain_SilentServer_RebindsByBroadcastThenDeconfiguresAtExpiry()
    {
        bool bound = false;
        var peer = new InMemoryDhcpPeer((m, _) =>
        {
            if (bound)
            {
                return [];
            }
            bound = m.MessageType == DhcpMessageType.Request;
            return Server(m, Offered, lease: 3, t1: 1, t2: 2);
        });
        var events = new RecordingLeaseEvents();
        var client = NewClient(Options(), peer, events);
        var lease = await client.AcquireAsync(null, CancellationToken.None);
        var lost = await client.MaintainAsync(lease!, CancellationToken.None);

        Assert.Null(lost);
        Assert.Equal(LeaseEvent.Deconfig, events.Events[^1].Event);
        var extensions = peer.Sent.Skip(2).ToList();
        Assert.True(extensions.Count >= 2);
        Assert.All(extensions, e => Assert.Equal(Offered, e.Message.ClientAddress));
        Assert.False(extensions[0].Destination.IsBroadcast);
        Assert.True(extensions[^1].Destination.IsBroadcast);
        Assert.Equal(Offered, extensions[^1].Destination.SourceIp);
        Assert.True(extensions[^1].At >= lease!.RebindAt.AddMilliseconds(-50), "rebinding not before T2");
    }

    [Fact]
    public async Task Release_UnicastsToTheServerWithClientAddressAndServerIdentifier()
    {
        var peer = new InMemoryDhcpPeer((m, _) => Server(m, Offered));
        var client = NewClient(Options(), peer, new RecordingLeaseEvents());
        var lease = await client.AcquireAsync(null, CancellationToken.None);
        await client.ReleaseAsync(lease!, CancellationToken.None);

        var (release, destination, _) = peer.Sent[^1];
        Assert.Equal(DhcpMessageType.Release, release.MessageType);
        Assert.Equal(Offered, release.ClientAddress);
        Assert.Equal(ServerIp, release.ServerIdentifier);
        Assert.Equal(new DhcpDestination(Offered, ServerIp, ServerMac), destination);
    }

    [Theory]
    [InlineData(3600u, null, null, 1800u, 3150u)]
    [InlineData(3600u, 600u, 1200u, 600u, 1200u)]
    [InlineData(3600u, 2000u, 1000u, 571u, 1000u)]
    [InlineData(100u, null, 200u, 50u, 87u)]
    [InlineData(uint.MaxValue, null, null, uint.MaxValue, uint.MaxValue)]
    public void Timers_FollowRfc2131Defaults_AndRejectDisorderedValues(uint lease, uint? t1, uint? t2, uint expectedT1, uint expectedT2) =>
        Assert.Equal((expectedT1, expectedT2), DhcpLease.Timers(lease, t1, t2));

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached within 10 s");
            await Task.Delay(20);
        }
    }
}
