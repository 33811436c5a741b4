namespace NetLab.Sniffer.Reporting;

/// <summary>Everything the end-of-capture report shows; the text, JSON and HTML renderers all read this.</summary>
public sealed record CaptureReport
{
    public required string Source { get; init; }
    public string? Filter { get; init; }
    public DateTimeOffset? FirstFrame { get; init; }
    public DateTimeOffset? LastFrame { get; init; }
    public double DurationSeconds { get; init; }
    public long Frames { get; init; }
    public long Bytes { get; init; }
    public long MalformedFrames { get; init; }
    /// <summary>Frames the kernel dropped (live capture only; null when reading a file).</summary>
    public long? KernelDrops { get; init; }
    public long? InterfaceDrops { get; init; }
    public IReadOnlyList<ProtocolNode> ProtocolHierarchy { get; init; } = [];
    public IReadOnlyList<TalkerRow> TopTalkers { get; init; } = [];
    public IReadOnlyList<ConversationRow> Conversations { get; init; } = [];
    public IReadOnlyList<DhcpTransactionRow> DhcpTransactions { get; init; } = [];
    public IReadOnlyList<DnsQueryRow> DnsQueries { get; init; } = [];
    public IReadOnlyList<FtpSessionRow> FtpSessions { get; init; } = [];
    public IReadOnlyList<AlertRow> Alerts { get; init; } = [];
    /// <summary>Rows of each table in all; the lists above may hold only the first of them (the text and HTML
    /// reports need no more, and formatting 100,000 rows nobody sees is most of a large report's cost).</summary>
    public int ConversationTotal { get; init; }
    public int DhcpTransactionTotal { get; init; }
    public int DnsQueryTotal { get; init; }
    public int FtpSessionTotal { get; init; }
    /// <summary>Frames and bytes per time bucket, for the traffic-over-time chart.</summary>
    public IReadOnlyList<TrafficBucket> Traffic { get; init; } = [];
    public double TrafficBucketSeconds { get; init; } = 1;
}

/// <summary>One node of the protocol hierarchy (tshark -z io,phs): Depth 0 is eth, children follow their parent.</summary>
public sealed record ProtocolNode(string Protocol, string Path, int Depth, long Frames, long Bytes);

public sealed record TalkerRow(string Address, long FramesSent, long BytesSent, long FramesReceived, long BytesReceived);

public sealed record ConversationRow(
    string Protocol, string EndpointA, string EndpointB, long Frames, long Bytes, long BytesAToB, long BytesBToA,
    DateTimeOffset Start, double DurationSeconds, double? HandshakeRttMs, long Retransmissions, string? State);

public sealed record DhcpTransactionRow(
    string TransactionId, string ClientMac, string? Address, string? Server, string? HostName,
    IReadOnlyList<string> Messages, double? DiscoverToAckMs, string Outcome);

public sealed record DnsQueryRow(
    DateTimeOffset Time, string Client, string Server, ushort Id, string Question,
    IReadOnlyList<string> Answers, string? ResponseCode, double? ResponseTimeMs);

public sealed record FtpTransferRow(string Command, string File, string Direction, bool Completed);

public sealed record FtpSessionRow(
    string Client, string Server, string? User, bool PasswordSentInClear, long Commands, bool LoggedIn,
    IReadOnlyList<FtpTransferRow> Files);

public sealed record AlertRow(string Kind, string Severity, DateTimeOffset Time, long Frame, string Message, long Occurrences);

public sealed record TrafficBucket(double OffsetSeconds, long Frames, long Bytes);
