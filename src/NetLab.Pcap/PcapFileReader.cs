using NetLab.Pcap.Native;

namespace NetLab.Pcap;

/// <summary>Reads a capture file, pcap or pcapng (timestamps at nanosecond precision when the file has them).
/// libpcap opens every file and reads pcapng and filtered files; the records of a classic pcap file are read
/// by <see cref="PcapRecordReader"/>, which gives the same frames several times faster.</summary>
public sealed class PcapFileReader : IDisposable
{
    private readonly SafePcapHandle _handle;
    private readonly FrameCopier _copier;
    private PcapRecordReader? _records;
    private bool _started;

    private PcapFileReader(SafePcapHandle handle, string path, bool recordReader)
    {
        _handle = handle;
        _copier = FrameCopier.For(handle);
        Path = path;
        LinkType = LinkTypes.FromDlt(PcapNative.DataLink(handle));
        Snaplen = PcapNative.Snapshot(handle);
        _records = recordReader ? PcapRecordReader.TryOpen(path, Snaplen) : null;
    }

    public string Path { get; }

    public LinkType LinkType { get; }

    /// <summary>The file's snapshot length; libpcap cuts any record that claims more bytes to this.</summary>
    public int Snaplen { get; }

    /// <summary>Opens a file; a missing, unreadable or unknown-format file throws <see cref="PcapException"/> (<see cref="PcapErrorKind.Io"/>).</summary>
    public static PcapFileReader Open(string path) => Open(path, recordReader: true);

    /// <param name="recordReader">False reads every file through libpcap (tests compare the two).</param>
    internal static unsafe PcapFileReader Open(string path, bool recordReader)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        PcapNative.EnsureLoaded();
        byte* errorBuffer = stackalloc byte[PcapNative.ErrorBufferSize];
        var handle = PcapNative.OpenOffline(path, PcapNative.TimestampNano, errorBuffer);
        if (handle.IsInvalid)
        {
            handle.Dispose();
            throw new PcapException(PcapErrorKind.Io,
                $"cannot read capture file {path}: {PcapNative.ErrorText(errorBuffer)}");
        }
        try
        {
            return new PcapFileReader(handle, path, recordReader);
        }
        catch (IOException e)
        {
            handle.Dispose();
            throw new PcapException(PcapErrorKind.Io, $"cannot read capture file {path}: {e.Message}");
        }
    }

    /// <summary>Keeps only frames matching a BPF expression (pcap-filter(7) syntax), as `tcpdump -r FILE EXPR` does.
    /// A bad expression throws <see cref="PcapException"/> (<see cref="PcapErrorKind.BadFilter"/>) with libpcap's message.
    /// Call it before the first read: the filter runs in libpcap, which then reads the file.</summary>
    public void SetFilter(string bpf)
    {
        if (_started)
        {
            throw new InvalidOperationException("set the filter before reading the first frame");
        }
        BpfFilter.Install(_handle, bpf, PcapNative.NetmaskUnknown, $"capture file {Path}");
        _records?.Dispose();
        _records = null;
    }

    /// <summary>Every frame of a file, copied (for tests and small files).</summary>
    public static IEnumerable<(DateTimeOffset Timestamp, int OriginalLength, byte[] Data)> ReadAll(string path)
    {
        using var reader = Open(path);
        while (reader.TryReadNext(out var frame))
        {
            yield return (frame.Timestamp, frame.OriginalLength, frame.Data.ToArray());
        }
    }

    /// <summary>The next frame, or false at the end of the file. A damaged file (truncated record) throws
    /// <see cref="PcapException"/> (<see cref="PcapErrorKind.Io"/>). The data stays valid until the next call.</summary>
    public unsafe bool TryReadNext(out CapturedFrame frame)
    {
        _started = true;
        if (_records is { } records)
        {
            return records.TryReadNext(out frame);
        }
        frame = default;
        int status = PcapNative.NextEx(_handle, out var header, out byte* data);
        if (status == 1)
        {
            frame = _copier.Copy(header, data);
            return true;
        }
        if (status == PcapNative.ErrorEndOfFile)
        {
            return false;
        }
        throw new PcapException(PcapErrorKind.Io, $"cannot read capture file {Path}: {PcapErrors.Describe(status, PcapNative.LastError(_handle))}");
    }

    public void Dispose()
    {
        _records?.Dispose();
        _handle.Dispose();
    }
}
