using System.Runtime.InteropServices;
using NetLab.Pcap.Native;

namespace NetLab.Pcap;

/// <summary>Writes a classic pcap file (microsecond timestamps), the format every tool opens, through
/// pcap_open_dead + pcap_dump_open.</summary>
public sealed class PcapFileWriter : IDisposable
{
    private readonly SafePcapHandle _dead;
    private readonly SafePcapDumperHandle _dumper;

    private PcapFileWriter(SafePcapHandle dead, SafePcapDumperHandle dumper, string path, LinkType linkType, int snaplen)
    {
        _dead = dead;
        _dumper = dumper;
        Path = path;
        LinkType = linkType;
        Snaplen = snaplen;
    }

    public string Path { get; }

    public LinkType LinkType { get; }

    /// <summary>Frames longer than this are cut to it (the original length is kept in the record).</summary>
    public int Snaplen { get; }

    /// <summary>Creates (or truncates) the file; failure throws <see cref="PcapException"/> (<see cref="PcapErrorKind.Io"/>).</summary>
    public static PcapFileWriter Create(string path, LinkType linkType = LinkType.Ethernet, int snaplen = 262144)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(snaplen);
        PcapNative.EnsureLoaded();
        var dead = PcapNative.OpenDead(LinkTypes.ToDlt(linkType), snaplen, PcapNative.TimestampMicro);
        if (dead.IsInvalid)
        {
            dead.Dispose();
            throw new PcapException(PcapErrorKind.Other, $"cannot write capture file {path}: libpcap does not support link type {linkType}");
        }
        var dumper = PcapNative.DumpOpen(dead, path);
        if (dumper.IsInvalid)
        {
            string error = PcapNative.LastError(dead);
            dumper.Dispose();
            dead.Dispose();
            throw new PcapException(PcapErrorKind.Io, $"cannot write capture file {path}: {error}");
        }
        return new PcapFileWriter(dead, dumper, path, linkType, snaplen);
    }

    /// <summary>Appends a frame captured whole.</summary>
    public void Write(DateTimeOffset timestamp, ReadOnlySpan<byte> data) => Write(timestamp, data, data.Length);

    /// <summary>Appends a frame; <paramref name="originalLength"/> is its length on the wire (at least data.Length).</summary>
    public unsafe void Write(DateTimeOffset timestamp, ReadOnlySpan<byte> data, int originalLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(originalLength, data.Length);
        // pcap records hold unsigned seconds since 1970.
        ArgumentOutOfRangeException.ThrowIfLessThan(timestamp, DateTimeOffset.UnixEpoch);
        var kept = data.Length > Snaplen ? data[..Snaplen] : data;
        long ticks = (timestamp - DateTimeOffset.UnixEpoch).Ticks;
        var header = new PcapNative.PacketHeader
        {
            Seconds = new CLong((nint)Math.DivRem(ticks, TimeSpan.TicksPerSecond, out long remainder)),
            Fraction = new CLong((nint)(remainder / TimeSpan.TicksPerMicrosecond)),
            CaptureLength = (uint)kept.Length,
            Length = (uint)originalLength,
        };
        fixed (byte* bytes = kept)
        {
            PcapNative.Dump(_dumper, &header, bytes);
        }
    }

    /// <summary>Pushes buffered records to the file so other programs see them.</summary>
    public void Flush()
    {
        if (PcapNative.DumpFlush(_dumper) != 0)
        {
            throw new PcapException(PcapErrorKind.Io, $"cannot write capture file {Path}: flushing failed (disk full?)");
        }
    }

    public void Dispose()
    {
        _dumper.Dispose();
        _dead.Dispose();
    }
}
