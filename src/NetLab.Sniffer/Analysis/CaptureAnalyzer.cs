using NetLab.Protocols.Addressing;
using NetLab.Sniffer.Decoding;
using NetLab.Sniffer.Reporting;

namespace NetLab.Sniffer.Analysis;

/// <summary>Feeds every decoded frame to the statistics and the alert detectors and builds the report.</summary>
public sealed class CaptureAnalyzer
{
    private const int MaxTalkers = 10;
    private const int MaxChartPoints = 120;

    private readonly Dictionary<string, (long Frames, long Bytes)> _paths = [];
    private readonly Dictionary<NetAddress, Talker> _ipTalkers = [];
    private readonly Dictionary<MacAddress, Talker> _macTalkers = [];
    private readonly List<(long Frames, long Bytes)> _perSecond = [];
    private readonly ConversationTracker _conversations;
    private readonly ArpWatcher _arp;
    private readonly DhcpTracker _dhcp;
    private readonly DnsTracker _dns;
    private readonly FtpTracker _ftp;
    private string? _lastPath;
    private (long Frames, long Bytes) _lastPathCounts;

    public CaptureAnalyzer(IReadOnlyCollection<IPv4Address> trustedDhcpServers)
    {
        _conversations = new ConversationTracker(address => GetTalker(_ipTalkers, address));
        _arp = new ArpWatcher(Alerts);
        _dhcp = new DhcpTracker(Alerts, trustedDhcpServers);
        _dns = new DnsTracker(Alerts);
        _ftp = new FtpTracker(Alerts);
    }

    public AlertLog Alerts { get; } = new();
    public long Frames { get; private set; }
    public long Bytes { get; private set; }
    public long MalformedFrames { get; private set; }
    public DateTimeOffset? FirstFrame { get; private set; }
    public DateTimeOffset? LastFrame { get; private set; }

    public void Observe(DecodedFrame frame)
    {
        Frames++;
        Bytes += frame.OriginalLength;
        FirstFrame ??= frame.Timestamp;
        LastFrame = frame.Timestamp;
        if (frame.IsMalformed)
        {
            MalformedFrames++;
        }
        CountPath(frame);
        CountTraffic(frame);
        // A TCP or UDP flow counts its two addresses' talkers itself, which saves two lookups per frame.
        if (!_conversations.Observe(frame))
        {
            CountTalkers(frame);
        }
        _arp.Observe(frame);
        _dhcp.Observe(frame);
        _dns.Observe(frame);
        _ftp.Observe(frame);
        if (frame.Auth is { CarriesPassword: true, IsResponse: false } auth)
        {
            string key = $"auth {frame.DestinationIp}:{frame.DestinationPort} {auth.User}";
            if (!Alerts.TryRepeat(AlertKinds.ClearTextCredentials, key))
            {
                Alerts.Raise(AlertKinds.ClearTextCredentials, "high", key, frame.Timestamp, frame.Number,
                    $"auth {auth.Operation} for '{auth.User ?? "?"}' sent without TLS from {frame.SourceIp} to {frame.DestinationIp}:{frame.DestinationPort} (password ****)");
            }
        }
    }

    /// <param name="maxRows">Rows to keep per table (conversations, DHCP, DNS, FTP); null keeps all (the JSON report).</param>
    public CaptureReport BuildReport(string source, string? filter, long? kernelDrops, long? interfaceDrops, int? maxRows = null)
    {
        int rows = maxRows ?? int.MaxValue;
        double duration = FirstFrame is { } first && LastFrame is { } last ? (last - first).TotalSeconds : 0;
        int perBucket = Math.Max(1, (int)Math.Ceiling(_perSecond.Count / (double)MaxChartPoints));
        var traffic = _perSecond.Chunk(perBucket)
            .Select((chunk, i) => new TrafficBucket(i * perBucket, chunk.Sum(c => c.Frames), chunk.Sum(c => c.Bytes)))
            .ToList();
        return new CaptureReport
        {
            Source = source,
            Filter = filter,
            FirstFrame = FirstFrame,
            LastFrame = LastFrame,
            DurationSeconds = duration,
            Frames = Frames,
            Bytes = Bytes,
            MalformedFrames = MalformedFrames,
            KernelDrops = kernelDrops,
            InterfaceDrops = interfaceDrops,
            ProtocolHierarchy = Hierarchy(),
            TopTalkers = _ipTalkers.Select(kv => kv.Value.Row(kv.Key.ToString()))
                .Concat(_macTalkers.Select(kv => kv.Value.Row(kv.Key.ToString())))
                .OrderByDescending(t => t.BytesSent + t.BytesReceived).Take(MaxTalkers).ToList(),
            Conversations = _conversations.Rows(rows),
            DhcpTransactions = _dhcp.Rows(rows),
            DnsQueries = _dns.Rows(rows),
            FtpSessions = _ftp.Rows(rows),
            ConversationTotal = _conversations.Count,
            DhcpTransactionTotal = _dhcp.Count,
            DnsQueryTotal = _dns.Count,
            FtpSessionTotal = _ftp.Count,
            Alerts = Alerts.Rows.ToList(),
            Traffic = traffic,
            TrafficBucketSeconds = perBucket,
        };
    }

    private void CountPath(DecodedFrame frame)
    {
        // Consecutive frames usually share a stack (and the decoder hands out one string per stack).
        if (frame.ProtocolPath == _lastPath)
        {
            _lastPathCounts = (_lastPathCounts.Frames + 1, _lastPathCounts.Bytes + frame.OriginalLength);
            return;
        }
        FlushPath();
        _lastPath = frame.ProtocolPath;
        _lastPathCounts = (1, frame.OriginalLength);
    }

    private void FlushPath()
    {
        if (_lastPath is null)
        {
            return;
        }
        _paths.TryGetValue(_lastPath, out var counts);
        _paths[_lastPath] = (counts.Frames + _lastPathCounts.Frames, counts.Bytes + _lastPathCounts.Bytes);
        _lastPath = null;
    }

    private List<ProtocolNode> Hierarchy()
    {
        FlushPath();
        // Every prefix of a stack counts the frame once: eth, eth:ip, eth:ip:udp, ...
        var prefixes = new Dictionary<string, (long Frames, long Bytes)>();
        foreach (var (path, counts) in _paths)
        {
            int cut = -1;
            do
            {
                cut = path.IndexOf(':', cut + 1);
                string prefix = cut < 0 ? path : path[..cut];
                prefixes.TryGetValue(prefix, out var sum);
                prefixes[prefix] = (sum.Frames + counts.Frames, sum.Bytes + counts.Bytes);
            }
            while (cut >= 0);
        }
        var nodes = new List<ProtocolNode>();
        void AddChildren(string parent, int depth)
        {
            foreach (var (path, counts) in prefixes
                .Where(p => depth == 0 ? !p.Key.Contains(':', StringComparison.Ordinal)
                    : p.Key.StartsWith(parent + ":", StringComparison.Ordinal) && p.Key.Count(c => c == ':') == depth)
                .OrderByDescending(p => p.Value.Frames))
            {
                nodes.Add(new ProtocolNode(path[(path.LastIndexOf(':') + 1)..], path, depth, counts.Frames, counts.Bytes));
                AddChildren(path, depth + 1);
            }
        }
        AddChildren("", 0);
        return nodes;
    }

    private void CountTraffic(DecodedFrame frame)
    {
        long second = (long)(frame.Timestamp - FirstFrame!.Value).TotalSeconds;
        // Clamp out-of-order or far-future timestamps so one odd frame cannot allocate a huge table.
        second = Math.Clamp(second, 0, 7 * 24 * 3600);
        while (_perSecond.Count <= second)
        {
            _perSecond.Add((0, 0));
        }
        var bucket = _perSecond[(int)second];
        _perSecond[(int)second] = (bucket.Frames + 1, bucket.Bytes + frame.OriginalLength);
    }

    private void CountTalkers(DecodedFrame frame)
    {
        if (frame.SourceIp is { } src && frame.DestinationIp is { } dst)
        {
            GetTalker(_ipTalkers, src).Sent(frame.OriginalLength);
            GetTalker(_ipTalkers, dst).Received(frame.OriginalLength);
        }
        else if (frame.SourceMac is { } smac && frame.DestinationMac is { } dmac)
        {
            GetTalker(_macTalkers, smac).Sent(frame.OriginalLength);
            GetTalker(_macTalkers, dmac).Received(frame.OriginalLength);
        }
    }

    private static Talker GetTalker<TKey>(Dictionary<TKey, Talker> table, TKey key)
        where TKey : notnull
    {
        if (!table.TryGetValue(key, out var talker))
        {
            table[key] = talker = new Talker();
        }
        return talker;
    }
}
