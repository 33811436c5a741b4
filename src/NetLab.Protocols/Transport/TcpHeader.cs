using System.Buffers.Binary;

namespace NetLab.Protocols.Transport;

/// <summary>A TCP header (RFC 9293 section 3.1) with the options that matter for a lab decoded: MSS, window
/// scale, SACK-permitted, SACK blocks and timestamps. The raw options stay in the segment (bytes
/// <see cref="MinimumLength"/> to <see cref="HeaderLength"/>) for <see cref="TcpOptionReader"/>.</summary>
public readonly struct TcpHeader
{
    public const int MinimumLength = 20;
    public const int MaximumLength = 60;
    /// <summary>Offset of the checksum field inside the header.</summary>
    public const int ChecksumOffset = 16;
    private const int MaximumOptionsLength = MaximumLength - MinimumLength;
    private const ushort FlagsMask = 0x01FF;

    public ushort SourcePort { get; init; }
    public ushort DestinationPort { get; init; }
    public uint Sequence { get; init; }
    public uint Acknowledgment { get; init; }
    /// <summary>Header length in 32-bit words as read; the writer derives it from the options it emits.</summary>
    public byte DataOffset { get; init; }
    public TcpFlags Flags { get; init; }
    public ushort Window { get; init; }
    /// <summary>The checksum as read or to write; fill it with <see cref="TransportChecksum"/>.</summary>
    public ushort Checksum { get; init; }
    public ushort UrgentPointer { get; init; }

    public ushort? Mss { get; init; }
    /// <summary>The shift count of the Window Scale option (RFC 7323 section 2.2).</summary>
    public byte? WindowScale { get; init; }
    public bool SackPermitted { get; init; }
    public TcpSackBlocks SackBlocks { get; init; }
    public TcpTimestamp? Timestamp { get; init; }
    /// <summary>False when the options area held a malformed option or a known option with the wrong length
    /// (decoding stops there; the fixed header is still good).</summary>
    public bool OptionsValid { get; init; }

    /// <summary>Header length in bytes as read (data offset times four).</summary>
    public int HeaderLength => DataOffset * 4;

    public bool HasFlag(TcpFlags flag) => (Flags & flag) == flag;

    /// <summary>Reads the header and decodes its options; fails when the data offset is under five words or
    /// the header runs past <paramref name="source"/>.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out TcpHeader header, out int bytesRead)
    {
        header = default;
        bytesRead = 0;
        if (source.Length < MinimumLength)
        {
            return false;
        }
        ushort offsetAndFlags = BinaryPrimitives.ReadUInt16BigEndian(source[12..]);
        byte dataOffset = (byte)(offsetAndFlags >> 12);
        int headerLength = dataOffset * 4;
        if (headerLength < MinimumLength || headerLength > source.Length)
        {
            return false;
        }
        ushort? mss = null;
        byte? windowScale = null;
        bool sackPermitted = false;
        TcpSackBlocks sackBlocks = default;
        TcpTimestamp? timestamp = null;
        bool valid = true;
        var reader = new TcpOptionReader(source[MinimumLength..headerLength]);
        while (valid && reader.TryReadNext(out var kind, out var data))
        {
            switch (kind)
            {
                case TcpOptionKind.MaximumSegmentSize when data.Length == 2:
                    mss = BinaryPrimitives.ReadUInt16BigEndian(data);
                    break;
                case TcpOptionKind.WindowScale when data.Length == 1:
                    windowScale = data[0];
                    break;
                case TcpOptionKind.SackPermitted when data.Length == 0:
                    sackPermitted = true;
                    break;
                case TcpOptionKind.Timestamps when data.Length == 8:
                    timestamp = new TcpTimestamp(BinaryPrimitives.ReadUInt32BigEndian(data), BinaryPrimitives.ReadUInt32BigEndian(data[4..]));
                    break;
                case TcpOptionKind.Sack when data.Length is > 0 and <= 8 * TcpSackBlocks.MaximumCount && data.Length % 8 == 0:
                    sackBlocks = ReadSackBlocks(data);
                    break;
                case TcpOptionKind.MaximumSegmentSize or TcpOptionKind.WindowScale or TcpOptionKind.SackPermitted
                    or TcpOptionKind.Timestamps or TcpOptionKind.Sack:
                    valid = false;
                    break;
                default:
                    break;
            }
        }
        header = new TcpHeader
        {
            SourcePort = BinaryPrimitives.ReadUInt16BigEndian(source),
            DestinationPort = BinaryPrimitives.ReadUInt16BigEndian(source[2..]),
            Sequence = BinaryPrimitives.ReadUInt32BigEndian(source[4..]),
            Acknowledgment = BinaryPrimitives.ReadUInt32BigEndian(source[8..]),
            DataOffset = dataOffset,
            Flags = (TcpFlags)(offsetAndFlags & FlagsMask),
            Window = BinaryPrimitives.ReadUInt16BigEndian(source[14..]),
            Checksum = BinaryPrimitives.ReadUInt16BigEndian(source[16..]),
            UrgentPointer = BinaryPrimitives.ReadUInt16BigEndian(source[18..]),
            Mss = mss,
            WindowScale = windowScale,
            SackPermitted = sackPermitted,
            SackBlocks = sackBlocks,
            Timestamp = timestamp,
            OptionsValid = valid && !reader.IsMalformed,
        };
        bytesRead = headerLength;
        return true;
    }

    private static TcpSackBlocks ReadSackBlocks(ReadOnlySpan<byte> data)
    {
        Span<TcpSackBlock> blocks = stackalloc TcpSackBlock[TcpSackBlocks.MaximumCount];
        int count = data.Length / 8;
        for (int i = 0; i < count; i++)
        {
            blocks[i] = new TcpSackBlock(BinaryPrimitives.ReadUInt32BigEndian(data[(i * 8)..]), BinaryPrimitives.ReadUInt32BigEndian(data[((i * 8) + 4)..]));
        }
        return new TcpSackBlocks(blocks[..count]);
    }

    /// <summary>Bytes <see cref="TryWrite"/> emits: 20 plus the options padded to a multiple of four.</summary>
    public int GetWrittenLength()
    {
        int options = (Mss is null ? 0 : 4) + (SackPermitted ? 2 : 0) + (Timestamp is null ? 0 : 10)
            + (WindowScale is null ? 0 : 3) + (SackBlocks.Count == 0 ? 0 : 2 + (8 * SackBlocks.Count));
        return MinimumLength + ((options + 3) & ~3);
    }

    /// <summary>Writes the header with its options in the order MSS, SACK-permitted, timestamps, window scale,
    /// SACK, padded with End of Option List (RFC 9293 section 3.2). Fails when they do not fit in 40 bytes.</summary>
    public bool TryWrite(Span<byte> destination, out int bytesWritten)
    {
        bytesWritten = 0;
        int headerLength = GetWrittenLength();
        if (headerLength > MaximumLength || destination.Length < headerLength || ((ushort)Flags & ~FlagsMask) != 0)
        {
            return false;
        }
        BinaryPrimitives.WriteUInt16BigEndian(destination, SourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], DestinationPort);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], Sequence);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], Acknowledgment);
        BinaryPrimitives.WriteUInt16BigEndian(destination[12..], (ushort)(((headerLength / 4) << 12) | (ushort)Flags));
        BinaryPrimitives.WriteUInt16BigEndian(destination[14..], Window);
        BinaryPrimitives.WriteUInt16BigEndian(destination[16..], Checksum);
        BinaryPrimitives.WriteUInt16BigEndian(destination[18..], UrgentPointer);
        var options = destination[MinimumLength..headerLength];
        options.Clear();
        int offset = 0;
        if (Mss is { } mss)
        {
            offset += WriteOptionHeader(options[offset..], TcpOptionKind.MaximumSegmentSize, 4);
            BinaryPrimitives.WriteUInt16BigEndian(options[offset..], mss);
            offset += 2;
        }
        if (SackPermitted)
        {
            offset += WriteOptionHeader(options[offset..], TcpOptionKind.SackPermitted, 2);
        }
        if (Timestamp is { } timestamp)
        {
            offset += WriteOptionHeader(options[offset..], TcpOptionKind.Timestamps, 10);
            BinaryPrimitives.WriteUInt32BigEndian(options[offset..], timestamp.Value);
            BinaryPrimitives.WriteUInt32BigEndian(options[(offset + 4)..], timestamp.EchoReply);
            offset += 8;
        }
        if (WindowScale is { } shift)
        {
            offset += WriteOptionHeader(options[offset..], TcpOptionKind.WindowScale, 3);
            options[offset++] = shift;
        }
        if (SackBlocks.Count > 0)
        {
            offset += WriteOptionHeader(options[offset..], TcpOptionKind.Sack, (byte)(2 + (8 * SackBlocks.Count)));
            for (int i = 0; i < SackBlocks.Count; i++)
            {
                BinaryPrimitives.WriteUInt32BigEndian(options[offset..], SackBlocks[i].LeftEdge);
                BinaryPrimitives.WriteUInt32BigEndian(options[(offset + 4)..], SackBlocks[i].RightEdge);
                offset += 8;
            }
        }
        bytesWritten = headerLength;
        return true;
    }

    private static int WriteOptionHeader(Span<byte> destination, TcpOptionKind kind, byte length)
    {
        destination[0] = (byte)kind;
        destination[1] = length;
        return 2;
    }
}
