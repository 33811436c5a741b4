using System.Net;
using System.Security.Cryptography;
using NetLab.Dns.Client;
using NetLab.Protocols.Dns;

namespace NetLab.Dns.Resolution;

/// <summary>Sends questions to upstream resolvers in turn: the one that answered last goes first; a timeout,
/// SERVFAIL or REFUSED moves on to the next (failover). Truncated answers are fetched again over TCP.</summary>
public sealed class DnsForwarder
{
    private readonly IReadOnlyList<IPEndPoint> _upstreams;
    private int _preferred;

    public DnsForwarder(IReadOnlyList<IPEndPoint> upstreams, TimeSpan timeout)
    {
        if (upstreams.Count == 0)
        {
            throw new ArgumentException("at least one upstream is needed", nameof(upstreams));
        }
        _upstreams = upstreams;
        Timeout = timeout;
    }

    public TimeSpan Timeout { get; }

    public IReadOnlyList<IPEndPoint> Upstreams => _upstreams;

    /// <summary>The first usable answer, or null when every upstream failed.</summary>
    public async Task<DnsMessage?> ForwardAsync(DnsQuestion question, bool checkingDisabled, CancellationToken ct)
    {
        int start = Volatile.Read(ref _preferred);
        for (int attempt = 0; attempt < _upstreams.Count; attempt++)
        {
            int index = (start + attempt) % _upstreams.Count;
            var query = DnsMessage.CreateQuery(0, question.Name, question.Type, ednsUdpSize: DnsLookup.EdnsBufferSize);
            // RFC 5452 9.2: an unpredictable id (and a fresh socket, so a random source port) against spoofed answers.
            query.Id = (ushort)RandomNumberGenerator.GetInt32(ushort.MaxValue + 1);
            query.CheckingDisabled = checkingDisabled;
            try
            {
                var result = await DnsLookup.QueryAsync(query, _upstreams[index], useTcp: false, Timeout, ct).ConfigureAwait(false);
                if (result.Response.ResponseCode is DnsResponseCode.ServFail or DnsResponseCode.Refused)
                {
                    continue;
                }
                Volatile.Write(ref _preferred, index);
                return result.Response;
            }
            catch (DnsLookupException)
            {
                // Timed out or unreachable: try the next upstream.
            }
        }
        return null;
    }
}
