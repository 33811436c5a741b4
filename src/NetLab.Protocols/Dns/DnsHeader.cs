using System.Buffers.Binary;

namespace NetLab.Protocols.Dns;

/// <summary>The fixed 12-byte DNS header (RFC 1035 4.1.1). Reading it allocates nothing.</summary>
/// <remarks>
///                                 1  1  1  1  1  1
///   0  1  2  3  4  5  6  7  8  9  0  1  2  3  4  5
/// +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
/// |QR|   Opcode  |AA|TC|RD|RA| Z|AD|CD|   RCODE   |
/// +--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+--+
/// </remarks>
public readonly record struct DnsHeader
{
    public const int Size = 12;

    private const ushort QrBit = 0x8000;
    private const ushort AaBit = 0x0400;
    private const ushort TcBit = 0x0200;
    private const ushort RdBit = 0x0100;
    private const ushort RaBit = 0x0080;
    private const ushort AdBit = 0x0020;
    private const ushort CdBit = 0x0010;

    public ushort Id { get; init; }

    /// <summary>The second 16-bit word as sent: QR, Opcode, AA, TC, RD, RA, Z, AD, CD, RCODE.</summary>
    public ushort Flags { get; init; }

    public ushort QuestionCount { get; init; }
    public ushort AnswerCount { get; init; }
    public ushort AuthorityCount { get; init; }
    public ushort AdditionalCount { get; init; }

    public bool IsResponse => (Flags & QrBit) != 0;
    public DnsOpCode OpCode => (DnsOpCode)((Flags >> 11) & 0xF);
    public bool IsAuthoritative => (Flags & AaBit) != 0;
    public bool IsTruncated => (Flags & TcBit) != 0;
    public bool RecursionDesired => (Flags & RdBit) != 0;
    public bool RecursionAvailable => (Flags & RaBit) != 0;
    public bool AuthenticData => (Flags & AdBit) != 0;
    public bool CheckingDisabled => (Flags & CdBit) != 0;

    /// <summary>The low four bits of the RCODE; see <see cref="DnsMessage.ResponseCode"/> for the EDNS0-extended value.</summary>
    public DnsResponseCode ResponseCode => (DnsResponseCode)(Flags & 0xF);

    public static ushort ComposeFlags(bool isResponse, DnsOpCode opCode, bool authoritative, bool truncated,
        bool recursionDesired, bool recursionAvailable, bool authenticData, bool checkingDisabled, DnsResponseCode responseCode) =>
        (ushort)((isResponse ? QrBit : 0) | (((int)opCode & 0xF) << 11) | (authoritative ? AaBit : 0) | (truncated ? TcBit : 0)
            | (recursionDesired ? RdBit : 0) | (recursionAvailable ? RaBit : 0) | (authenticData ? AdBit : 0)
            | (checkingDisabled ? CdBit : 0) | ((int)responseCode & 0xF));

    public static bool TryRead(ReadOnlySpan<byte> source, out DnsHeader header, out int bytesRead)
    {
        if (source.Length < Size)
        {
            header = default;
            bytesRead = 0;
            return false;
        }
        header = new DnsHeader
        {
            Id = BinaryPrimitives.ReadUInt16BigEndian(source),
            Flags = BinaryPrimitives.ReadUInt16BigEndian(source[2..]),
            QuestionCount = BinaryPrimitives.ReadUInt16BigEndian(source[4..]),
            AnswerCount = BinaryPrimitives.ReadUInt16BigEndian(source[6..]),
            AuthorityCount = BinaryPrimitives.ReadUInt16BigEndian(source[8..]),
            AdditionalCount = BinaryPrimitives.ReadUInt16BigEndian(source[10..]),
        };
        bytesRead = Size;
        return true;
    }

    public bool TryWrite(Span<byte> destination, out int bytesWritten)
    {
        if (destination.Length < Size)
        {
            bytesWritten = 0;
            return false;
        }
        BinaryPrimitives.WriteUInt16BigEndian(destination, Id);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], Flags);
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], QuestionCount);
        BinaryPrimitives.WriteUInt16BigEndian(destination[6..], AnswerCount);
        BinaryPrimitives.WriteUInt16BigEndian(destination[8..], AuthorityCount);
        BinaryPrimitives.WriteUInt16BigEndian(destination[10..], AdditionalCount);
        bytesWritten = Size;
        return true;
    }
}
