using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using NetLab.Protocols.Dns;

namespace NetLab.Dns.Client;

/// <summary>The answer to one lookup: the response, how long it took, and whether it came over TCP.</summary>
public sealed record DnsLookupResult(DnsMessage Response, TimeSpan Elapsed, bool UsedTcp, int ResponseSize, IPEndPoint Server);

/// <summary>A lookup that failed: no answer in time, no such name, or a server error. The message is user-ready.</summary>
public sealed class DnsLookupException : Exception
{
    public DnsLookupException()
    {
    }

    public DnsLookupException(string message)
        : base(message)
    {
    }

    public DnsLookupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>Stub-resolver queries to one server (RFC 1035 7, RFC 7766): UDP with EDNS0, retried over TCP when the
/// answer comes back truncated.</summary>
public static class DnsLookup
{
    /// <summary>The EDNS0 buffer size we announce (the DNS Flag Day 2020 value, which avoids IP fragmentation).</summary>
    public const ushort EdnsBufferSize = 1232;

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(2);

    public static async Task<DnsLookupResult> QueryAsync(string name, DnsRecordType type, IPEndPoint server, bool useTcp, TimeSpan timeout,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(server);
        if (!DnsName.IsValid(name))
        {
            throw new DnsLookupException($"'{name}' is not a valid domain name (labels up to 63 bytes, names up to 255)");
        }
        var query = DnsMessage.CreateQuery(NewId(), name.TrimEnd('.'), type, ednsUdpSize: EdnsBufferSize);
        return await QueryAsync(query, server, useTcp, timeout, ct).ConfigureAwait(false);
    }

    /// <summary>Sends a prepared query (its id and question are checked against the response).</summary>
    public static async Task<DnsLookupResult> QueryAsync(DnsMessage query, IPEndPoint server, bool useTcp, TimeSpan timeout, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(server);
        byte[] wire = query.ToArray();
        var stopwatch = Stopwatch.StartNew();
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeoutSource.CancelAfter(timeout);
        try
        {
            if (!useTcp)
            {
                var (response, size) = await ExchangeUdpAsync(wire, query, server, timeoutSource.Token).ConfigureAwait(false);
                if (!response.IsTruncated)
                {
                    return new DnsLookupResult(response, stopwatch.Elapsed, false, size, server);
                }
                // RFC 7766 5: a truncated UDP answer is retried over TCP.
            }
            var (tcpResponse, tcpSize) = await ExchangeTcpAsync(wire, query, server, timeoutSource.Token).ConfigureAwait(false);
            return new DnsLookupResult(tcpResponse, stopwatch.Elapsed, true, tcpSize, server);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new DnsLookupException($"no answer from {server} within {timeout.TotalSeconds:0.###} s (is a DNS server running there?)");
        }
        catch (SocketException e)
        {
            throw new DnsLookupException($"cannot reach {server}: {e.Message}", e);
        }
        catch (IOException e)
        {
            throw new DnsLookupException($"connection to {server} failed: {e.Message}", e);
        }
    }

    /// <summary>The IPv4 addresses of a name, following CNAMEs in the answer.</summary>
    public static async Task<IReadOnlyList<IPAddress>> ResolveIPv4Async(string name, IPEndPoint server, CancellationToken ct)
    {
        var result = await QueryAsync(name, DnsRecordType.A, server, useTcp: false, DefaultTimeout, ct).ConfigureAwait(false);
        var response = result.Response;
        if (response.ResponseCode == DnsResponseCode.NXDomain)
        {
            throw new DnsLookupException($"{DnsName.ToFqdn(name.TrimEnd('.'))} does not exist (NXDOMAIN from {server})");
        }
        if (response.ResponseCode != DnsResponseCode.NoError)
        {
            throw new DnsLookupException($"{server} answered {response.ResponseCode} for {DnsName.ToFqdn(name.TrimEnd('.'))}");
        }
        return FollowAddresses(response, name.TrimEnd('.'), DnsRecordType.A);
    }

    /// <summary>The addresses owned by <paramref name="name"/> or by the end of its CNAME chain in the answer section.</summary>
    public static IReadOnlyList<IPAddress> FollowAddresses(DnsMessage response, string name, DnsRecordType type)
    {
        ArgumentNullException.ThrowIfNull(response);
        string current = name;
        for (int hops = 0; hops < 16; hops++)
        {
            var cname = response.Answers.Find(r => r.Type == DnsRecordType.CNAME && DnsName.NameEquals(r.Name, current));
            if (cname is null)
            {
                break;
            }
            current = ((DnsNameData)cname.Data).Target;
        }
        return [.. response.Answers.Where(r => r.Type == type && DnsName.NameEquals(r.Name, current)).Select(r => ((DnsAddressData)r.Data).Address)];
    }

    private static ushort NewId() => (ushort)RandomNumberGenerator.GetInt32(ushort.MaxValue + 1);

    private static async Task<(DnsMessage, int)> ExchangeUdpAsync(byte[] wire, DnsMessage query, IPEndPoint server, CancellationToken ct)
    {
        using var socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        // Connected: the kernel drops datagrams from any other address (RFC 5452 9.1 asks for that check).
        await socket.ConnectAsync(server, ct).ConfigureAwait(false);
        await socket.SendAsync(wire, SocketFlags.None, ct).ConfigureAwait(false);
        byte[] buffer = new byte[DnsMessage.MaxSize];
        while (true)
        {
            int received = await socket.ReceiveAsync(buffer, SocketFlags.None, ct).ConfigureAwait(false);
            if (DnsMessage.TryRead(buffer.AsSpan(0, received), out var response, out _) && Matches(query, response))
            {
                return (response, received);
            }
            // Not ours (wrong id or question) or malformed: keep waiting until the timeout.
        }
    }

    private static async Task<(DnsMessage, int)> ExchangeTcpAsync(byte[] wire, DnsMessage query, IPEndPoint server, CancellationToken ct)
    {
        using var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(server, ct).ConfigureAwait(false);
        byte[] framed = new byte[wire.Length + DnsTcpFraming.LengthPrefixSize];
        DnsTcpFraming.TryWriteFrame(wire, framed, out _);
        await socket.SendAsync(framed, SocketFlags.None, ct).ConfigureAwait(false);
        using var stream = new NetworkStream(socket, ownsSocket: false);
        while (true)
        {
            byte[]? message = await ReadFrameAsync(stream, ct).ConfigureAwait(false)
                ?? throw new DnsLookupException($"{server} closed the TCP connection without answering");
            if (DnsMessage.TryRead(message, out var response, out _) && Matches(query, response))
            {
                return (response, message.Length);
            }
        }
    }

    /// <summary>Reads one length-prefixed message (RFC 1035 4.2.2); null when the peer closed the connection cleanly first.</summary>
    public static async Task<byte[]?> ReadFrameAsync(Stream stream, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(stream);
        byte[] prefix = new byte[DnsTcpFraming.LengthPrefixSize];
        int read = await stream.ReadAtLeastAsync(prefix, prefix.Length, throwOnEndOfStream: false, ct).ConfigureAwait(false);
        if (read < prefix.Length)
        {
            return null;
        }
        byte[] message = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
        await stream.ReadExactlyAsync(message, ct).ConfigureAwait(false);
        return message;
    }

    private static bool Matches(DnsMessage query, DnsMessage response) =>
        response.IsResponse && response.Id == query.Id
        && (response.Questions.Count == 0 || (query.Question is { } q && response.Question is { } r
            && DnsName.NameEquals(q.Name, r.Name) && q.Type == r.Type));
}
