using System.Collections.Concurrent;
using NetLab.Protocols.Dns;

namespace NetLab.Dns.Resolution;

/// <summary>Forwarded answers kept for their TTL (RFC 1035 7.4), negative answers for the SOA's negative TTL
/// (RFC 2308 5), at most <see cref="Capacity"/> entries. Thread-safe.</summary>
public sealed class DnsCache
{
    private readonly ConcurrentDictionary<(string Name, DnsRecordType Type), Entry> _entries = new();
    private readonly Func<long> _clock;

    /// <param name="capacity">Entries kept at most; 0 turns the cache off.</param>
    /// <param name="clock">Milliseconds since an arbitrary start (for tests).</param>
    public DnsCache(int capacity, Func<long>? clock = null)
    {
        Capacity = capacity;
        _clock = clock ?? (() => Environment.TickCount64);
    }

    public int Capacity { get; }

    public int Count => _entries.Count;

    private sealed record Entry(DnsResponseCode ResponseCode, DnsResourceRecord[] Answers, DnsResourceRecord[] Authorities, long StoredAt, long ExpiresAt);

    /// <summary>Stores a forwarded response if it is cacheable: NOERROR with answers (TTL = smallest record TTL),
    /// or NXDOMAIN / NODATA with a SOA in authority (TTL = min(SOA TTL, SOA MINIMUM)).</summary>
    public void Store(DnsQuestion question, DnsMessage response)
    {
        if (Capacity == 0 || response.IsTruncated)
        {
            return;
        }
        uint ttl;
        var soa = response.Authorities.Find(r => r.Type == DnsRecordType.SOA);
        bool negative = response.ResponseCode == DnsResponseCode.NXDomain
            || (response.ResponseCode == DnsResponseCode.NoError && response.Answers.Count == 0);
        if (negative)
        {
            // RFC 2308 5: without a SOA a negative answer is not cached.
            if (soa is null)
            {
                return;
            }
            ttl = Math.Min(soa.Ttl, ((DnsSoaData)soa.Data).Minimum);
        }
        else if (response.ResponseCode == DnsResponseCode.NoError)
        {
            ttl = response.Answers.Concat(response.Authorities).Min(r => r.Ttl);
        }
        else
        {
            return;
        }
        if (ttl == 0)
        {
            return;
        }
        if (_entries.Count >= Capacity)
        {
            MakeRoom();
        }
        long now = _clock();
        _entries[Key(question)] = new Entry(response.ResponseCode, [.. response.Answers], [.. response.Authorities], now, now + (ttl * 1000L));
    }

    /// <summary>Copies a cached answer into <paramref name="response"/> with TTLs counted down; false on a miss.</summary>
    public bool TryAnswer(DnsQuestion question, DnsMessage response)
    {
        if (!_entries.TryGetValue(Key(question), out var entry))
        {
            return false;
        }
        long now = _clock();
        if (now >= entry.ExpiresAt)
        {
            _entries.TryRemove(new KeyValuePair<(string, DnsRecordType), Entry>(Key(question), entry));
            return false;
        }
        uint elapsed = (uint)((now - entry.StoredAt) / 1000);
        response.ResponseCode = entry.ResponseCode;
        response.Answers.AddRange(entry.Answers.Select(r => r with { Ttl = r.Ttl > elapsed ? r.Ttl - elapsed : 0 }));
        response.Authorities.AddRange(entry.Authorities.Select(r => r with { Ttl = r.Ttl > elapsed ? r.Ttl - elapsed : 0 }));
        return true;
    }

    private static (string, DnsRecordType) Key(DnsQuestion question) => (question.Name.ToLowerInvariant(), question.Type);

    /// <summary>Drops expired entries, then the oldest tenth if the cache is still full.</summary>
    private void MakeRoom()
    {
        long now = _clock();
        foreach (var (key, entry) in _entries)
        {
            if (entry.ExpiresAt <= now)
            {
                _entries.TryRemove(key, out _);
            }
        }
        if (_entries.Count < Capacity)
        {
            return;
        }
        foreach (var (key, _) in _entries.OrderBy(e => e.Value.StoredAt).Take(Math.Max(1, Capacity / 10)).ToList())
        {
            _entries.TryRemove(key, out _);
        }
    }
}
