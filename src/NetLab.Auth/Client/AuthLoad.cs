using System.Collections.Concurrent;
using System.Diagnostics;
using NetLab.Protocols.Auth;

namespace NetLab.Auth.Client;

/// <summary>Sends many requests over several connections at once and times each one; used by
/// `auth-client ping` and the benchmark. Each connection sends its next request when the previous
/// answer arrives.</summary>
public static class AuthLoad
{
    /// <param name="makeRequest">The request number i (0-based) to send.</param>
    /// <param name="onReply">Called with each request number and its exchange (from several threads).</param>
    public static async Task<LatencySummary> RunAsync(Func<Task<AuthClient>> connect, int count, int concurrency,
        Func<int, AuthFrame> makeRequest, Action<int, AuthExchange>? onReply, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);
        var clients = await Task.WhenAll(Enumerable.Range(0, Math.Min(concurrency, count)).Select(_ => connect())).ConfigureAwait(false);
        var samples = new ConcurrentBag<TimeSpan>();
        int next = -1, failures = 0;
        long started = Stopwatch.GetTimestamp();
        try
        {
            await Task.WhenAll(clients.Select(async client =>
            {
                for (int i; (i = Interlocked.Increment(ref next)) < count;)
                {
                    var exchange = await client.SendAsync(makeRequest(i), ct).ConfigureAwait(false);
                    onReply?.Invoke(i, exchange);
                    if (exchange.Response.Ok)
                    {
                        samples.Add(exchange.Elapsed);
                    }
                    else
                    {
                        Interlocked.Increment(ref failures);
                    }
                }
            })).ConfigureAwait(false);
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync().ConfigureAwait(false);
            }
        }
        return LatencySummary.From(samples, failures, Stopwatch.GetElapsedTime(started));
    }
}
