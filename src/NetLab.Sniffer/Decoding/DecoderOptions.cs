namespace NetLab.Sniffer.Decoding;

/// <summary>How much the decoder works per frame and which ports carry which application protocol.</summary>
public sealed class DecoderOptions
{
    /// <summary>Fill every header field into the layers (for --layers and --hex); off, only the one-line summary and facts.</summary>
    public bool Detailed { get; init; }

    /// <summary>Build the one-line summary of each frame; off when nothing prints it (--quiet), which saves most of the work.</summary>
    public bool Summary { get; init; } = true;

    /// <summary>Keep each frame's bytes in it after decoding (--hex and --layers show them). Off, every frame is decoded
    /// from one buffer the decoder reuses and <see cref="DecodedFrame.Data"/> is empty afterwards: a file pipeline then
    /// streams through a buffer that stays in the cache instead of a buffer per frame in flight.</summary>
    public bool KeepBytes { get; init; } = true;

    /// <summary>Print absolute TCP sequence numbers (tcpdump -S); by default they are relative to the first seen.</summary>
    public bool AbsoluteTcpSequence { get; init; }

    public IReadOnlySet<ushort> DnsPorts { get; init; } = new HashSet<ushort> { 53 };
    public IReadOnlySet<ushort> FtpPorts { get; init; } = new HashSet<ushort> { 21 };
    /// <summary>TCP ports of NetLab's auth service (docs/auth.md).</summary>
    public IReadOnlySet<ushort> AuthPorts { get; init; } = new HashSet<ushort> { NetLab.Protocols.Auth.AuthProtocol.DefaultPort };
}
