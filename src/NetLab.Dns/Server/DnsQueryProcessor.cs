using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Logging;
using NetLab.Dns.Resolution;
using NetLab.Dns.Zones;
using NetLab.Protocols.Dns;

namespace NetLab.Dns.Server;

/// <summary>Turns one query into one response (or nothing): authoritative data first, then the cache and the
/// forwarders for clients allowed recursion, REFUSED otherwise. Shared by the UDP and TCP listeners; thread-safe.</summary>
public sealed partial class DnsQueryProcessor
{
    private readonly ZoneStore _zones;
    private readonly DnsCache _cache;
    private readonly DnsForwarder? _forwarder;
    private readonly DnsServerOptions _options;
    private readonly ILogger _logger;
    private readonly DnsAnswerCache _answers;

    public DnsQueryProcessor(ZoneStore zones, DnsCache cache, DnsForwarder? forwarder, DnsServerOptions options, DnsCounters counters, ILogger logger)
    {
        _zones = zones;
        _cache = cache;
        _forwarder = forwarder;
        _options = options;
        Counters = counters;
        _logger = logger;
        _answers = new DnsAnswerCache(options.MaxUdpPayload);
    }

    public DnsCounters Counters { get; }

    /// <summary>Writes the response to <paramref name="query"/> into <paramref name="responseBuffer"/> and returns its
    /// length, or 0 when the datagram is to be dropped (too short to answer, or itself a response).</summary>
    public async ValueTask<int> ProcessAsync(ReadOnlyMemory<byte> query, Memory<byte> responseBuffer, IPEndPoint client, bool tcp, CancellationToken ct)
    {
        long started = Stopwatch.GetTimestamp();
        Counters.Query(tcp);
        if (!DnsHeader.TryRead(query.Span, out var header, out _) || header.IsResponse)
        {
            // RFC 1035 4.1.1 gives no way to answer without a header; answering responses would let two servers loop.
            Counters.Drop();
            LogDropped(client, query.Length);
            return 0;
        }
        bool recursionAvailable = MayRecurse(client.Address);
        bool debug = _logger.IsEnabled(LogLevel.Debug);
        if (!debug && _answers.TryAnswer(query.Span, responseBuffer.Span, tcp, recursionAvailable, out int cachedLength, out var cachedCode))
        {
            Counters.Authoritative();
            Counters.Answer(cachedCode);
            return cachedLength;
        }
        DnsMessage response;
        string source = "-";
        if (!DnsMessage.TryRead(query.Span, out var request, out _))
        {
            response = new DnsMessage { Id = header.Id, IsResponse = true, OpCode = header.OpCode, ResponseCode = DnsResponseCode.FormErr };
            request = null;
        }
        else
        {
            response = request.CreateResponse();
            source = await AnswerAsync(request, response, recursionAvailable, ct).ConfigureAwait(false);
        }
        int length = Write(request, response, responseBuffer.Span, tcp);
        // Zone answers never wait, so the caller's query buffer is still this query here (UDP reuses it after an await).
        if (source == FixedZoneAnswer && !response.IsTruncated)
        {
            _answers.Store(query.Span, responseBuffer.Span[..length], tcp, recursionAvailable, response.ResponseCode);
        }
        Counters.Answer(response.ResponseCode);
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            LogQuery(client, tcp ? "tcp" : "udp", header.Id, request?.Question?.ToString() ?? "(malformed)", response.ResponseCode,
                response.Answers.Count, source, response.IsTruncated ? " TC" : "", Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        return length;
    }

    /// <summary>The source of answers that come from zone files alone and may be kept in wire form.</summary>
    private const string FixedZoneAnswer = "zone";

    private bool MayRecurse(IPAddress client)
    {
        if (_forwarder is null)
        {
            return false;
        }
        foreach (var range in _options.RecursionClients)
        {
            if (range.Contains(client))
            {
                return true;
            }
        }
        return false;
    }

    private async ValueTask<string> AnswerAsync(DnsMessage request, DnsMessage response, bool mayRecurse, CancellationToken ct)
    {
        if (request.Opt is not null)
        {
            response.Additionals.Add(DnsMessage.CreateOpt(_options.MaxUdpPayload));
            // RFC 6891 6.1.3: we speak EDNS version 0 only.
            if (request.EdnsVersion > 0)
            {
                response.ResponseCode = DnsResponseCode.BadVers;
                return "edns";
            }
        }
        if (request.OpCode != DnsOpCode.Query)
        {
            response.ResponseCode = DnsResponseCode.NotImp;
            return "opcode";
        }
        if (request.Questions.Count != 1)
        {
            response.ResponseCode = DnsResponseCode.FormErr;
            return "questions";
        }
        var question = request.Questions[0];
        if (question.Type is DnsRecordType.AXFR or DnsRecordType.IXFR || question.Class is not (DnsClass.IN or DnsClass.Any))
        {
            response.ResponseCode = DnsResponseCode.Refused;
            return "unsupported";
        }
        // RA tells this client whether it may use us as a resolver (RFC 1035 4.1.1), also on authoritative answers.
        response.RecursionAvailable = mayRecurse;
        if (_zones.TryAnswer(question, response, out bool fixedAnswer))
        {
            Counters.Authoritative();
            return fixedAnswer ? FixedZoneAnswer : "zone-leases";
        }
        if (!mayRecurse || !request.RecursionDesired)
        {
            Counters.Refuse();
            response.ResponseCode = DnsResponseCode.Refused;
            return "refused";
        }
        if (_cache.TryAnswer(question, response))
        {
            Counters.CacheHit();
            return "cache";
        }
        Counters.CacheMiss();
        var upstream = await _forwarder!.ForwardAsync(question, request.CheckingDisabled, ct).ConfigureAwait(false);
        if (upstream is null)
        {
            Counters.ForwardFailed();
            response.ResponseCode = DnsResponseCode.ServFail;
            return "forward-failed";
        }
        Counters.Forwarded();
        _cache.Store(question, upstream);
        response.ResponseCode = upstream.ResponseCode;
        response.AuthenticData = upstream.AuthenticData;
        response.Answers.AddRange(upstream.Answers);
        response.Authorities.AddRange(upstream.Authorities);
        response.Additionals.AddRange(upstream.Additionals.Where(r => r.Type != DnsRecordType.OPT));
        return "forward";
    }

    /// <summary>Writes within the size the transport allows: 65535 over TCP, the client's EDNS0 size (at least 512,
    /// at most ours) over UDP, 512 without EDNS0. If it does not fit, the records are dropped and TC is set
    /// (RFC 2181 9, RFC 6891 7) so the client retries over TCP.</summary>
    private int Write(DnsMessage? request, DnsMessage response, Span<byte> buffer, bool tcp)
    {
        int limit = tcp ? DnsMessage.MaxSize
            : request?.EdnsUdpPayloadSize is { } offered ? Math.Clamp((int)offered, DnsMessage.MaxUdpSizeWithoutEdns, _options.MaxUdpPayload)
            : DnsMessage.MaxUdpSizeWithoutEdns;
        limit = Math.Min(limit, buffer.Length);
        if (response.TryWrite(buffer[..limit], out int length))
        {
            return length;
        }
        var opt = response.Opt;
        response.Answers.Clear();
        response.Authorities.Clear();
        response.Additionals.Clear();
        if (opt is not null)
        {
            response.Additionals.Add(opt);
        }
        response.IsTruncated = true;
        Counters.Truncate();
        if (response.TryWrite(buffer[..limit], out length))
        {
            return length;
        }
        // Only an absurd question would not fit even alone; say so without it.
        response.Questions.Clear();
        response.ResponseCode = DnsResponseCode.FormErr;
        return response.TryWrite(buffer[..limit], out length) ? length : 0;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Client} dropped a {Length}-byte datagram that is not a query")]
    private partial void LogDropped(IPEndPoint client, int length);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Client} {Transport} id={Id} {Question} -> {Rcode} answers={Answers} from={Source}{Truncated} {Milliseconds:0.000} ms")]
    private partial void LogQuery(IPEndPoint client, string transport, ushort id, string question, DnsResponseCode rcode, int answers, string source,
        string truncated, double milliseconds);
}
