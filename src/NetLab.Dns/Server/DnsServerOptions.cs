using System.Net;

namespace NetLab.Dns.Server;

/// <summary>Settings of a running dns-server (the flags, checked).</summary>
public sealed class DnsServerOptions
{
    /// <summary>Recursion is offered to these clients only, so the server is never an open resolver:
    /// loopback and the lab subnet (DESIGN.md) unless --allow-recursion says otherwise.</summary>
    public static IReadOnlyList<AddressRange> DefaultRecursionClients { get; } =
        [new(IPAddress.Parse("127.0.0.0"), 8), new(IPAddress.IPv6Loopback, 128), new(IPAddress.Parse("192.168.10.0"), 24)];

    public IReadOnlyList<IPEndPoint> Listen { get; init; } = [new(IPAddress.Any, 53)];
    public IReadOnlyList<IPEndPoint> Forwarders { get; init; } = [];
    public IReadOnlyList<AddressRange> RecursionClients { get; init; } = DefaultRecursionClients;
    public TimeSpan ForwardTimeout { get; init; } = TimeSpan.FromSeconds(2);
    public int CacheSize { get; init; } = 10_000;

    /// <summary>UDP receive threads per listening address (each with its own SO_REUSEPORT socket).</summary>
    public int Workers { get; init; } = Environment.ProcessorCount;

    /// <summary>RFC 7766 6.2.3: close idle TCP connections after a few seconds.</summary>
    public TimeSpan TcpIdleTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Largest UDP response we send even if the client offers more (RFC 6891 6.2.5; 1232 avoids fragments).</summary>
    public ushort MaxUdpPayload { get; init; } = 1232;
}
