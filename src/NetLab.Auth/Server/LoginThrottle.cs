using System.Net;

namespace NetLab.Auth.Server;

/// <summary>Counts failed logins per account and per client address in a sliding window; past the limit
/// further attempts are refused without checking the password until the oldest failure ages out.
/// Unknown accounts are counted the same way, so throttling does not reveal which e-mails exist.</summary>
public sealed class LoginThrottle(int maxFailuresPerAccount, int maxFailuresPerAddress, TimeSpan window, TimeProvider? clock = null)
{
    private const int PruneThreshold = 10_000;

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly Dictionary<string, Queue<DateTimeOffset>> _failures = new(StringComparer.Ordinal);

    /// <summary>How long the caller must wait, or null when an attempt is allowed now.</summary>
    public TimeSpan? RetryAfter(string accountKey, IPAddress address)
    {
        var now = _clock.GetUtcNow();
        lock (_failures)
        {
            return Max(Blocked(AccountKey(accountKey), maxFailuresPerAccount, now), Blocked(AddressKey(address), maxFailuresPerAddress, now));
        }
    }

    public void RecordFailure(string accountKey, IPAddress address)
    {
        var now = _clock.GetUtcNow();
        lock (_failures)
        {
            if (_failures.Count > PruneThreshold)
            {
                Prune(now);
            }
            Add(AccountKey(accountKey), now);
            Add(AddressKey(address), now);
        }
    }

    /// <summary>A successful login clears the account's failures (not the address's).</summary>
    public void RecordSuccess(string accountKey)
    {
        lock (_failures)
        {
            _failures.Remove(AccountKey(accountKey));
        }
    }

    private static string AccountKey(string accountKey) => "a:" + accountKey;

    private static string AddressKey(IPAddress address) => "ip:" + (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);

    private static TimeSpan? Max(TimeSpan? a, TimeSpan? b) => a is null ? b : b is null ? a : a > b ? a : b;

    private TimeSpan? Blocked(string key, int limit, DateTimeOffset now)
    {
        if (!_failures.TryGetValue(key, out var times))
        {
            return null;
        }
        Expire(times, now);
        return times.Count >= limit ? times.Peek() + window - now : null;
    }

    private void Add(string key, DateTimeOffset now)
    {
        if (!_failures.TryGetValue(key, out var times))
        {
            _failures[key] = times = new Queue<DateTimeOffset>();
        }
        Expire(times, now);
        times.Enqueue(now);
    }

    private void Expire(Queue<DateTimeOffset> times, DateTimeOffset now)
    {
        while (times.Count > 0 && times.Peek() + window <= now)
        {
            times.Dequeue();
        }
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (key, times) in _failures.ToList())
        {
            Expire(times, now);
            if (times.Count == 0)
            {
                _failures.Remove(key);
            }
        }
    }
}
