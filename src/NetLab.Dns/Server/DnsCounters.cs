using System.Globalization;
using NetLab.Protocols.Dns;

namespace NetLab.Dns.Server;

/// <summary>What the server has done since it started; printed on SIGUSR1 and at exit. Thread-safe.</summary>
public sealed class DnsCounters
{
    private readonly long[] _byResponseCode = new long[24];
    private long _queries;
    private long _udp;
    private long _tcp;
    private long _dropped;
    private long _authoritative;
    private long _cacheHits;
    private long _cacheMisses;
    private long _forwarded;
    private long _forwardFailures;
    private long _truncated;
    private long _refused;

    public long Queries => Interlocked.Read(ref _queries);
    public long Dropped => Interlocked.Read(ref _dropped);
    public long CacheHits => Interlocked.Read(ref _cacheHits);
    public long Truncated => Interlocked.Read(ref _truncated);

    public void Query(bool tcp)
    {
        Interlocked.Increment(ref _queries);
        Interlocked.Increment(ref tcp ? ref _tcp : ref _udp);
    }

    public void Drop() => Interlocked.Increment(ref _dropped);
    public void Authoritative() => Interlocked.Increment(ref _authoritative);
    public void CacheHit() => Interlocked.Increment(ref _cacheHits);
    public void CacheMiss() => Interlocked.Increment(ref _cacheMisses);
    public void Forwarded() => Interlocked.Increment(ref _forwarded);
    public void ForwardFailed() => Interlocked.Increment(ref _forwardFailures);
    public void Truncate() => Interlocked.Increment(ref _truncated);
    public void Refuse() => Interlocked.Increment(ref _refused);

    public void Answer(DnsResponseCode code) => Interlocked.Increment(ref _byResponseCode[Math.Min((int)code, _byResponseCode.Length - 1)]);

    public long Answers(DnsResponseCode code) => Interlocked.Read(ref _byResponseCode[(int)code]);

    /// <summary>One line, key=value pairs, stable order (scripts grep it).</summary>
    public override string ToString()
    {
        var parts = new List<string>
        {
            $"queries={Queries}", $"udp={Interlocked.Read(ref _udp)}", $"tcp={Interlocked.Read(ref _tcp)}",
            $"dropped={Dropped}", $"authoritative={Interlocked.Read(ref _authoritative)}",
            $"cache_hits={CacheHits}", $"cache_misses={Interlocked.Read(ref _cacheMisses)}",
            $"forwarded={Interlocked.Read(ref _forwarded)}", $"forward_failures={Interlocked.Read(ref _forwardFailures)}",
            $"truncated={Truncated}", $"refused_recursion={Interlocked.Read(ref _refused)}",
        };
        for (int code = 0; code < _byResponseCode.Length; code++)
        {
            long count = Interlocked.Read(ref _byResponseCode[code]);
            if (count > 0)
            {
                parts.Add($"rcode_{((DnsResponseCode)code).ToString().ToLowerInvariant()}={count.ToString(CultureInfo.InvariantCulture)}");
            }
        }
        return string.Join(' ', parts);
    }
}
