using System.Globalization;
using NetLab.Protocols.Dns;

namespace NetLab.Dns.Server;

/// <summary>What the server has done since it started; printed on SIGUSR1 and at exit. Thread-safe.
/// Each processor counts in its own stripe (its own cache lines) and a read adds the stripes up: UDP workers count
/// every query, and one shared line bounced between cores on each increment cost more than the answer itself.</summary>
public sealed class DnsCounters
{
    private const int ResponseCodes = 24;

    private enum Counter
    {
        Queries, Udp, Tcp, Dropped, Authoritative, CacheHits, CacheMisses, Forwarded, ForwardFailures, Truncated, Refused, FirstResponseCode,
    }

    /// <summary>Counters per stripe, rounded up to whole 128-byte blocks so no two stripes share a cache line
    /// (adjacent-line prefetch included).</summary>
    private const int Stride = ((int)Counter.FirstResponseCode + ResponseCodes + 15) / 16 * 16;

    private readonly int _stripes = Math.Max(1, Environment.ProcessorCount);
    private readonly long[] _cells;

    public DnsCounters() => _cells = new long[(_stripes + 1) * Stride];

    public long Queries => Read(Counter.Queries);
    public long Dropped => Read(Counter.Dropped);
    public long CacheHits => Read(Counter.CacheHits);
    public long Truncated => Read(Counter.Truncated);

    public void Query(bool tcp)
    {
        Increment(Counter.Queries);
        Increment(tcp ? Counter.Tcp : Counter.Udp);
    }

    public void Drop() => Increment(Counter.Dropped);
    public void Authoritative() => Increment(Counter.Authoritative);
    public void CacheHit() => Increment(Counter.CacheHits);
    public void CacheMiss() => Increment(Counter.CacheMisses);
    public void Forwarded() => Increment(Counter.Forwarded);
    public void ForwardFailed() => Increment(Counter.ForwardFailures);
    public void Truncate() => Increment(Counter.Truncated);
    public void Refuse() => Increment(Counter.Refused);

    public void Answer(DnsResponseCode code) => Increment(Counter.FirstResponseCode + Math.Min((int)code, ResponseCodes - 1));

    public long Answers(DnsResponseCode code) => Read(Counter.FirstResponseCode + (int)code);

    // Stripe 0 is left empty so the first stripe does not share a line with the array's header.
    private void Increment(Counter counter) =>
        Interlocked.Increment(ref _cells[((1 + (Thread.GetCurrentProcessorId() % _stripes)) * Stride) + (int)counter]);

    private long Read(Counter counter)
    {
        long sum = 0;
        for (int stripe = 1; stripe <= _stripes; stripe++)
        {
            sum += Interlocked.Read(ref _cells[(stripe * Stride) + (int)counter]);
        }
        return sum;
    }

    /// <summary>One line, key=value pairs, stable order (scripts grep it).</summary>
    public override string ToString()
    {
        var parts = new List<string>
        {
            $"queries={Queries}", $"udp={Read(Counter.Udp)}", $"tcp={Read(Counter.Tcp)}",
            $"dropped={Dropped}", $"authoritative={Read(Counter.Authoritative)}",
            $"cache_hits={CacheHits}", $"cache_misses={Read(Counter.CacheMisses)}",
            $"forwarded={Read(Counter.Forwarded)}", $"forward_failures={Read(Counter.ForwardFailures)}",
            $"truncated={Truncated}", $"refused_recursion={Read(Counter.Refused)}",
        };
        for (int code = 0; code < ResponseCodes; code++)
        {
            long count = Read(Counter.FirstResponseCode + code);
            if (count > 0)
            {
                parts.Add($"rcode_{((DnsResponseCode)code).ToString().ToLowerInvariant()}={count.ToString(CultureInfo.InvariantCulture)}");
            }
        }
        return string.Join(' ', parts);
    }
}
