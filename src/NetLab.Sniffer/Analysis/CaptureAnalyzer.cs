using NetLab.Protocols.Addressing;
using NetLab.Sniffer.Decoding;
using NetLab.Sniffer.Reporting;

namespace NetLab.Sniffer.Analysis;

/// <summary>Feeds every decoded frame to the statistics and the alert detectors and builds the report.</summary>
public sealed class CaptureAnalyzer
{
    private const int MaxTalkers = 10;
    private const int MaxChartPoints = 120;

    private readonly Dictionary<string, FrameCount> _paths = [];
    private readonly Dictionary<NetAddress, Talker> _ipTalkers = [];
    private readonly Dictionary<MacAddress, Talker> _macTalkers = [];
    /// <summary>Every talker in the order first seen, the tie-break of the top talkers.</summary>
    private readonly List<Talker> _talkers = [];
    private readonly List<FrameCount> _perSecond = [];
    private readonly ConversationTracker _conversations;
    private readonly ArpWatcher _arp;
    private readonly DhcpTracker _dhcp;
    private readonly DnsTracker _dns;
    private readonly FtpTracker _ftp;
    private string? _lastPath;
    private long _lastPathFrames, _lastPathBytes;

    public CaptureAnalyzer(IReadOnlyCollection<IPv4Address> trustedDhcpServers)
    {
        _conversations = new ConversationTracker(IpTalker);
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
        var traffic = new List<TrafficBucket>();
        for (int start = 0; start < _perSecond.Count; start += perBucket)
        {
            long frames = 0, bytes = 0;
            for (int second = start; second < Math.Min(start + perBucket, _perSecond.Count); second++)
            {
                frames += _perSecond[second].Frames;
                bytes += _perSecond[second].Bytes;
            }
            traffic.Add(new TrafficBucket(start, frames, bytes));
        }
        var topTalkers = new List<TalkerRow>();
        foreach (var talker in Largest.Of(_talkers, MaxTalkers, t => t.Bytes))
        {
            topTalkers.Add(talker.Row());
        }
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
            TopTalkers = topTalkers,
            Conversations = _conversations.Rows(rows),
            DhcpTransactions = _dhcp.Rows(rows),
            DnsQueries = _dns.Rows(rows),
            FtpSessions = _ftp.Rows(rows),
            ConversationTotal = _conversations.Count,
            DhcpTransactionTotal = _dhcp.Count,
            DnsQueryTotal = _dns.Count,
            FtpSessionTotal = _ftp.Count,
            Alerts = new List<AlertRow>(Alerts.Rows),
            Traffic = traffic,
            TrafficBucketSeconds = perBucket,
        };
    }

    private void CountPath(DecodedFrame frame)
    {
        // Consecutive frames usually share a stack (and the decoder hands out one string per stack).
        if (frame.ProtocolPath == _lastPath)
        {
            _lastPathFrames++;
            _lastPathBytes += frame.OriginalLength;
            return;
        }
        FlushPath();
        _lastPath = frame.ProtocolPath;
        _lastPathFrames = 1;
        _lastPathBytes = frame.OriginalLength;
    }

    private void FlushPath()
    {
        if (_lastPath is null)
        {
            return;
        }
        CountFor(_paths, _lastPath).Add(_lastPathFrames, _lastPathBytes);
        _lastPath = null;
    }

    private static FrameCount CountFor(Dictionary<string, FrameCount> counts, string name)
    {
        if (!counts.TryGetValue(name, out var count))
        {
            counts[name] = count = new FrameCount();
        }
        return count;
    }

    private List<ProtocolNode> Hierarchy()
    {
        FlushPath();
        // Every prefix of a stack counts the frame once: eth, eth:ip, eth:ip:udp, ...
        var prefixes = new Dictionary<string, FrameCount>();
        foreach (var (path, counts) in _paths)
        {
            int cut = -1;
            do
            {
                cut = path.IndexOf(':', cut + 1);
                CountFor(prefixes, cut < 0 ? path : path[..cut]).Add(counts.Frames, counts.Bytes);
            }
            while (cut >= 0);
        }
        var children = new Dictionary<string, List<string>>();
        foreach (string path in prefixes.Keys)
        {
            int cut = path.LastIndexOf(':');
            string parent = cut < 0 ? "" : path[..cut];
            if (!children.TryGetValue(parent, out var siblings))
            {
                children[parent] = siblings = [];
            }
            siblings.Add(path);
        }
        var nodes = new List<ProtocolNode>();
        void Add(string parent, int depth)
        {
            if (!children.TryGetValue(parent, out var paths))
            {
                return;
            }
            foreach (string path in Largest.Of(paths, paths.Count, p => prefixes[p].Frames))
            {
                var counts = prefixes[path];
                nodes.Add(new ProtocolNode(path[(path.LastIndexOf(':') + 1)..], path, depth, counts.Frames, counts.Bytes));
                Add(path, depth + 1);
            }
        }
        Add("", 0);
        return nodes;
    }

    private void CountTraffic(DecodedFrame frame)
    {
        long second = (long)(frame.Timestamp - FirstFrame!.Value).TotalSeconds;
        // Clamp out-of-order or far-future timestamps so one odd frame cannot allocate a huge table.
        second = Math.Clamp(second, 0, 7 * 24 * 3600);
        while (_perSecond.Count <= second)
        {
            _perSecond.Add(new FrameCount());
        }
        _perSecond[(int)second].Add(1, frame.OriginalLength);
    }

    private void CountTalkers(DecodedFrame frame)
    {
        if (frame.SourceIp is { } src && frame.DestinationIp is { } dst)
        {
            IpTalker(src).Sent(frame.OriginalLength);
            IpTalker(dst).Received(frame.OriginalLength);
        }
        else if (frame.SourceMac is { } smac && frame.DestinationMac is { } dmac)
        {
            MacTalker(smac).Sent(frame.OriginalLength);
            MacTalker(dmac).Received(frame.OriginalLength);
        }
    }

    private Talker IpTalker(NetAddress address)
    {
        if (!_ipTalkers.TryGetValue(address, out var talker))
        {
            _ipTalkers[address] = talker = new Talker(address);
            _talkers.Add(talker);
        }
        return talker;
    }

    private Talker MacTalker(MacAddress address)
    {
        if (!_macTalkers.TryGetValue(address, out var talker))
        {
            _macTalkers[address] = talker = new Talker(address);
            _talkers.Add(talker);
        }
        return talker;
    }
}
