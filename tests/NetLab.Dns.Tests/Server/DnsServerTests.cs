using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NetLab.Dns.Client;
using NetLab.Dns.Resolution;
using NetLab.Dns.Server;
using NetLab.Dns.Zones;
using NetLab.Protocols.Dns;
using NetLab.Testing;

namespace NetLab.Dns.Tests.Server;

/// <summary>The server on real loopback sockets, with the lookup API as its client.</summary>
public sealed class DnsServerTests : IAsyncLifetime
{
    private readonly List<DnsServer> _servers = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }
    }

    private (IPEndPoint Endpoint, DnsCounters Counters, DnsServer Server) Start(string origin, string zoneText, IReadOnlyList<IPEndPoint>? forwarders = null,
        TimeSpan? idle = null, int workers = 2, ILogger? logger = null)
    {
        var store = new ZoneStore();
        store.Add(Zone.Create(origin, MasterFileParser.Parse("zone", zoneText, origin), "zone"));
        var endpoint = new IPEndPoint(IPAddress.Loopback, FreePort.UdpAndTcp());
        var options = new DnsServerOptions
        {
            Listen = [endpoint],
            Workers = workers,
            Forwarders = forwarders ?? [],
            ForwardTimeout = TimeSpan.FromMilliseconds(300),
            TcpIdleTimeout = idle ?? TimeSpan.FromSeconds(10),
        };
        var counters = new DnsCounters();
        var forwarder = options.Forwarders.Count > 0 ? new DnsForwarder(options.Forwarders, options.ForwardTimeout) : null;
        var server = new DnsServer(options, new DnsQueryProcessor(store, new DnsCache(100), forwarder, options, counters, logger ?? NullLogger.Instance), NullLogger.Instance);
        server.Start();
        _servers.Add(server);
        return (endpoint, counters, server);
    }

    private (IPEndPoint Endpoint, DnsCounters Counters, DnsServer Server) StartLab() => Start("lab.test", DnsTestZones.LabZone);

    [Fact]
    public async Task ResolveIPv4_FollowsCname()
    {
        var (endpoint, _, _) = StartLab();
        var addresses = await DnsLookup.ResolveIPv4Async("alias.lab.test", endpoint, CancellationToken.None);
        Assert.Equal([IPAddress.Parse("192.168.10.1")], addresses);
    }

    [Fact]
    public async Task ResolveIPv4_NxDomain_Throws()
    {
        var (endpoint, _, _) = StartLab();
        var error = await Assert.ThrowsAsync<DnsLookupException>(() => DnsLookup.ResolveIPv4Async("nope.lab.test", endpoint, CancellationToken.None));
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_NoServer_TimesOutWithAClearMessage()
    {
        using var silent = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        silent.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var error = await Assert.ThrowsAsync<DnsLookupException>(() =>
            DnsLookup.QueryAsync("x.lab.test", DnsRecordType.A, (IPEndPoint)silent.LocalEndPoint!, false, TimeSpan.FromMilliseconds(200), CancellationToken.None));
        Assert.Contains("no answer from", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Truncated_IsRetriedOverTcp()
    {
        var (endpoint, counters, _) = StartLab();
        var result = await DnsLookup.QueryAsync("big.lab.test", DnsRecordType.TXT, endpoint, false, TimeSpan.FromSeconds(2), CancellationToken.None);
        Assert.True(result.UsedTcp);
        Assert.Equal(20, result.Response.Answers.Count);
        Assert.Equal(1, counters.Truncated);
    }

    [Fact]
    public async Task Tcp_SeveralQueriesOnOneConnection()
    {
        var (endpoint, _, _) = StartLab();
        using var client = new TcpClient();
        await client.ConnectAsync(endpoint);
        var stream = client.GetStream();
        string[] names = ["ftp.lab.test", "mail.lab.test", "ns1.lab.test"];
        // Pipelined (RFC 7766 6.2.1.1): all three queries go out before any answer is read.
        var pipelined = new MemoryStream();
        for (int i = 0; i < names.Length; i++)
        {
            byte[] query = DnsMessage.CreateQuery((ushort)(100 + i), names[i], DnsRecordType.A).ToArray();
            byte[] framed = new byte[query.Length + 2];
            DnsTcpFraming.TryWriteFrame(query, framed, out _);
            pipelined.Write(framed);
        }
        await stream.WriteAsync(pipelined.ToArray());
        var seen = new Dictionary<ushort, string>();
        for (int i = 0; i < names.Length; i++)
        {
            byte[] frame = (await DnsLookup.ReadFrameAsync(stream, CancellationToken.None))!;
            Assert.True(DnsMessage.TryRead(frame, out var response, out _));
            seen[response.Id] = Assert.Single(response.Answers).Name;
        }
        Assert.Equal(names, seen.OrderBy(p => p.Key).Select(p => p.Value));
    }

    [Fact]
    public async Task Tcp_SlowQueryDoesNotHoldUpTheNextOne()
    {
        using var dead = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        dead.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var (endpoint, _, _) = Start("lab.test", DnsTestZones.LabZone, [(IPEndPoint)dead.LocalEndPoint!]);
        using var client = new TcpClient();
        await client.ConnectAsync(endpoint);
        var stream = client.GetStream();
        // First a name that waits for the silent upstream (300 ms), then a zone name.
        foreach (var (id, name) in new[] { ((ushort)1, "www.example.org"), ((ushort)2, "ftp.lab.test") })
        {
            byte[] query = DnsMessage.CreateQuery(id, name, DnsRecordType.A).ToArray();
            byte[] framed = new byte[query.Length + 2];
            DnsTcpFraming.TryWriteFrame(query, framed, out _);
            await stream.WriteAsync(framed);
        }
        var order = new List<(ushort, DnsResponseCode)>();
        for (int i = 0; i < 2; i++)
        {
            Assert.True(DnsMessage.TryRead((await DnsLookup.ReadFrameAsync(stream, CancellationToken.None))!, out var response, out _));
            order.Add((response.Id, response.ResponseCode));
        }
        // RFC 7766 6.2.1.1: answers may come out of order; the ready one is not held back.
        Assert.Equal([((ushort)2, DnsResponseCode.NoError), ((ushort)1, DnsResponseCode.ServFail)], order);
    }

    [Fact]
    public async Task Tcp_IdleConnectionIsClosed()
    {
        var (endpoint, _, _) = Start("lab.test", DnsTestZones.LabZone, idle: TimeSpan.FromMilliseconds(300));
        using var client = new TcpClient();
        await client.ConnectAsync(endpoint);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        int read = await client.GetStream().ReadAsync(new byte[1], timeout.Token);
        Assert.Equal(0, read);
    }

    [Fact]
    public async Task MalformedDatagrams_DoNotStopTheServer()
    {
        var (endpoint, counters, _) = StartLab();
        using var udp = new UdpClient();
        udp.Connect(endpoint);
        var random = new Random(5);
        for (int i = 0; i < 200; i++)
        {
            byte[] garbage = new byte[random.Next(0, 40)];
            random.NextBytes(garbage);
            if (garbage.Length > 2)
            {
                garbage[2] &= 0x7F;
            }
            await udp.SendAsync(garbage);
        }
        var result = await DnsLookup.QueryAsync("ftp.lab.test", DnsRecordType.A, endpoint, false, TimeSpan.FromSeconds(2), CancellationToken.None);
        Assert.Single(result.Response.Answers);
        Assert.True(counters.Dropped + counters.Answers(DnsResponseCode.FormErr) > 0);
    }

    [Fact]
    public void Udp_QueuedBurstFromTwoClients_EachQueryIsAnsweredToItsSender()
    {
        using var gate = new WorkerGate();
        var (endpoint, counters, _) = Start("lab.test", DnsTestZones.LabZone, workers: 1, logger: gate);
        using var even = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        using var odd = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        even.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        odd.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        string[] names = ["ftp.lab.test", "mail.lab.test", "ns1.lab.test"];
        const int Queries = 40;
        // The worker is held in its first query's log line while the rest queue up, so it then takes them in batches
        // (recvmmsg); a runt after each query is dropped without disturbing its neighbours.
        for (ushort id = 0; id < Queries; id++)
        {
            var sender = id % 2 == 0 ? even : odd;
            sender.SendTo(DnsMessage.CreateQuery(id, names[id % 3], DnsRecordType.A).ToArray(), endpoint);
            if (id == 0)
            {
                Assert.True(gate.Entered.Wait(TimeSpan.FromSeconds(5)));
            }
            sender.SendTo(new byte[] { 1, 2, 3 }, endpoint);
        }
        gate.Open.Set();
        foreach (var (socket, parity) in new[] { (even, 0), (odd, 1) })
        {
            socket.ReceiveTimeout = 3000;
            var ids = new HashSet<ushort>();
            byte[] buffer = new byte[DnsMessage.MaxUdpSizeWithoutEdns];
            for (int i = 0; i < Queries / 2; i++)
            {
                int length = socket.Receive(buffer);
                Assert.True(DnsMessage.TryRead(buffer.AsSpan(0, length), out var response, out _));
                Assert.Equal(parity, response.Id % 2);
                string name = Assert.Single(response.Answers).Name;
                Assert.Equal(names[response.Id % 3], name);
                ids.Add(response.Id);
            }
            Assert.Equal(Queries / 2, ids.Count);
        }
        Assert.Equal(Queries, counters.Dropped);
    }

    /// <summary>A debug logger that holds the UDP worker in its first log line until the test opens the gate.</summary>
    private sealed class WorkerGate : ILogger, IDisposable
    {
        private int _held;

        public ManualResetEventSlim Entered { get; } = new();
        public ManualResetEventSlim Open { get; } = new();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (Thread.CurrentThread.Name?.StartsWith("dns-udp", StringComparison.Ordinal) == true && Interlocked.Exchange(ref _held, 1) == 0)
            {
                Entered.Set();
                Open.Wait(TimeSpan.FromSeconds(10));
            }
        }

        public void Dispose()
        {
            Entered.Dispose();
            Open.Dispose();
        }
    }

    [Fact]
    public async Task Forwarding_FailsOverToTheNextUpstream_AndCachesTheAnswer()
    {
        var (upstream, upstreamCounters, upstreamServer) = Start("example.org",
            "@ IN SOA ns h 1 2 3 4 60\nwww 120 IN A 192.0.2.80\n");
        using var dead = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        dead.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var (front, counters, _) = Start("lab.test", DnsTestZones.LabZone, [(IPEndPoint)dead.LocalEndPoint!, upstream]);

        var first = await DnsLookup.QueryAsync("www.example.org", DnsRecordType.A, front, false, TimeSpan.FromSeconds(3), CancellationToken.None);
        Assert.Equal("192.0.2.80", Assert.Single(first.Response.Answers).Data.ToString());
        Assert.True(first.Response.RecursionAvailable);
        Assert.False(first.Response.IsAuthoritative);
        Assert.Equal(1, upstreamCounters.Queries);

        // The upstream goes away; the cache still answers, with the TTL counted down from 120.
        await upstreamServer.DisposeAsync();
        _servers.Remove(upstreamServer);
        var second = await DnsLookup.QueryAsync("www.example.org", DnsRecordType.A, front, false, TimeSpan.FromSeconds(3), CancellationToken.None);
        Assert.InRange(Assert.Single(second.Response.Answers).Ttl, 110u, 120u);
        Assert.Equal(1, counters.CacheHits);

        // A name never asked before cannot come from the cache: with every upstream gone it is SERVFAIL.
        var third = await DnsLookup.QueryAsync("new.example.org", DnsRecordType.A, front, false, TimeSpan.FromSeconds(3), CancellationToken.None);
        Assert.Equal(DnsResponseCode.ServFail, third.Response.ResponseCode);
    }
}
