using NetLab.Sniffer.Decoding;
using NetLab.Sniffer.Reporting;

namespace NetLab.Sniffer.Analysis;

/// <summary>Pairs DNS responses with their queries by (client, client port, id, question) and flags two
/// different answers to one query (a race won by a forger) and answers from a server the client never asked.</summary>
public sealed class DnsTracker(AlertLog alerts)
{
    /// <summary>Queries kept for matching; older ones are reported but no longer matched (bounded memory).</summary>
    private const int MaxOpenQueries = 100_000;

    /// <summary>The first query per key; queries for the same key to other servers follow it through <see cref="Query.Next"/>.</summary>
    private readonly Dictionary<(NetAddress Client, ushort Port, ushort Id, string Question), Query> _byKey = [];
    private readonly List<Query> _ordered = [];

    public void Observe(DecodedFrame frame)
    {
        if (frame.Dns is not { } dns || frame.SourceIp is not { } src || frame.DestinationIp is not { } dst)
        {
            return;
        }
        if (!dns.IsResponse)
        {
            var key = (src, frame.SourcePort, dns.Id, dns.QuestionKey);
            if (!_byKey.TryGetValue(key, out var first) && _byKey.Count >= MaxOpenQueries)
            {
                _byKey.Clear();
            }
            if (Asked(first, dst) is null)
            {
                var query = new Query(frame.Timestamp, src, dst, dns.Id, dns.QuestionKey);
                if (first is null)
                {
                    _byKey[key] = query;
                }
                else
                {
                    Last(first).Next = query;
                }
                _ordered.Add(query);
            }
            return;
        }

        if (!_byKey.TryGetValue((dst, frame.DestinationPort, dns.Id, dns.QuestionKey), out var queries))
        {
            return; // the query happened before the capture started
        }
        var asked = Asked(queries, src);
        if (asked is null)
        {
            alerts.Raise(AlertKinds.DnsAnswerFromUnaskedServer, "high", $"{src}>{dst}#{dns.Id}", frame.Timestamp, frame.Number,
                $"{src} answered {dst}'s query {dns.Id} for {dns.QuestionKey} with [{Describe(dns)}], but the client asked {string.Join(", ", Chain(queries).Select(q => q.Server))} (possible forged DNS answer)");
            return;
        }
        if (asked.Response is null)
        {
            asked.Response = dns;
            asked.ResponseTime = frame.Timestamp;
        }
        else if (!asked.Response.HasSameAnswers(dns))
        {
            alerts.Raise(AlertKinds.ForgedDnsAnswer, "high", $"{dst}#{dns.Id}#{dns.QuestionKey}", frame.Timestamp, frame.Number,
                $"two different answers to {dst}'s query {dns.Id} for {dns.QuestionKey} from {src}: [{string.Join(", ", AnswerLines(asked.Response))}] then [{Describe(dns)}] (possible forged DNS answer)");
        }
    }

    /// <summary>The query among <paramref name="first"/> and those after it that was sent to <paramref name="server"/>.</summary>
    private static Query? Asked(Query? first, NetAddress server)
    {
        for (var query = first; query is not null; query = query.Next)
        {
            if (query.Server == server)
            {
                return query;
            }
        }
        return null;
    }

    private static Query Last(Query first)
    {
        var last = first;
        while (last.Next is not null)
        {
            last = last.Next;
        }
        return last;
    }

    private static IEnumerable<Query> Chain(Query first)
    {
        for (var query = first; query is not null; query = query.Next)
        {
            yield return query;
        }
    }

    public int Count => _ordered.Count;

    public IReadOnlyList<DnsQueryRow> Rows(int max = int.MaxValue)
    {
        var rows = new List<DnsQueryRow>();
        for (int i = 0; i < Math.Min(max, _ordered.Count); i++)
        {
            var q = _ordered[i];
            rows.Add(new DnsQueryRow(q.Time, q.Client.ToString(), q.Server.ToString(), q.Id, q.Question, q.Response is { } r ? AnswerLines(r) : [],
                q.Response?.ResponseCode, q.ResponseTime is { } t ? (t - q.Time).TotalMilliseconds : null));
        }
        return rows;
    }

    private static List<string> AnswerLines(DnsFacts dns)
    {
        var lines = new List<string>(dns.Answers.Count);
        foreach (var a in dns.Answers)
        {
            lines.Add($"{a.Name} {a.Type} {a.Data}");
        }
        return lines;
    }

    private static string Describe(DnsFacts dns) =>
        dns.Answers.Count == 0 ? dns.ResponseCode : string.Join(", ", dns.Answers.Select(a => $"{a.Type} {a.Data}"));

    private sealed class Query(DateTimeOffset time, NetAddress client, NetAddress server, ushort id, string question)
    {
        public DateTimeOffset Time { get; } = time;
        public NetAddress Client { get; } = client;
        public NetAddress Server { get; } = server;
        public ushort Id { get; } = id;
        public string Question { get; } = question;
        /// <summary>The first response from the server asked; a later one that differs is a forgery alert.</summary>
        public DnsFacts? Response { get; set; }
        public DateTimeOffset? ResponseTime { get; set; }
        /// <summary>The same query (client, port, ID, question) sent to another server, a rare case kept without a list per query.</summary>
        public Query? Next { get; set; }
    }
}
