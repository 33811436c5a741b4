using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using NetLab.Protocols.Text;

namespace NetLab.Protocols.Dns;

/// <summary>A whole DNS message (RFC 1035 4.1): header flags, questions and the three record sections.
/// EDNS0 (RFC 6891) rides in an OPT record among <see cref="Additionals"/>; <see cref="ResponseCode"/> folds its
/// extended RCODE bits in on read and out on write.</summary>
public sealed class DnsMessage
{
    /// <summary>RFC 1035 4.2.1: without EDNS0 a UDP message carries at most 512 bytes.</summary>
    public const int MaxUdpSizeWithoutEdns = 512;

    /// <summary>The largest message (a TCP frame's length prefix is 16 bits).</summary>
    public const int MaxSize = ushort.MaxValue;

    public ushort Id { get; set; }
    public bool IsResponse { get; set; }
    public DnsOpCode OpCode { get; set; }
    public bool IsAuthoritative { get; set; }
    public bool IsTruncated { get; set; }
    public bool RecursionDesired { get; set; }
    public bool RecursionAvailable { get; set; }
    public bool AuthenticData { get; set; }
    public bool CheckingDisabled { get; set; }

    /// <summary>The full RCODE: the header's four bits plus, with EDNS0, the OPT record's upper eight.</summary>
    public DnsResponseCode ResponseCode { get; set; }

    public List<DnsQuestion> Questions { get; } = [];
    public List<DnsResourceRecord> Answers { get; } = [];
    public List<DnsResourceRecord> Authorities { get; } = [];
    public List<DnsResourceRecord> Additionals { get; } = [];

    /// <summary>The OPT pseudo-record, if the message has one.</summary>
    public DnsResourceRecord? Opt => Additionals.Find(r => r.Type == DnsRecordType.OPT);

    /// <summary>The sender's UDP payload size from OPT (RFC 6891 6.2.3), or null without EDNS0.</summary>
    public ushort? EdnsUdpPayloadSize => Opt is { } opt ? (ushort)opt.Class : null;

    /// <summary>The EDNS version from OPT (RFC 6891 6.1.3), or null without EDNS0.</summary>
    public byte? EdnsVersion => Opt is { } opt ? (byte)(opt.Ttl >> 16) : null;

    /// <summary>The DNSSEC OK bit (RFC 3225).</summary>
    public bool DnssecOk => Opt is { } opt && (opt.Ttl & 0x8000) != 0;

    public DnsQuestion? Question => Questions.Count > 0 ? Questions[0] : null;

    /// <summary>An OPT record announcing <paramref name="udpPayloadSize"/> (RFC 6891 6.1.2; owner is the root).</summary>
    public static DnsResourceRecord CreateOpt(ushort udpPayloadSize, bool dnssecOk = false) =>
        new("", DnsRecordType.OPT, (DnsClass)udpPayloadSize, dnssecOk ? 0x8000u : 0u, new DnsOptData([]));

    /// <summary>A query for one name with RD set and, when <paramref name="ednsUdpSize"/> is given, EDNS0.</summary>
    public static DnsMessage CreateQuery(ushort id, string name, DnsRecordType type, bool recursionDesired = true, ushort? ednsUdpSize = null)
    {
        var query = new DnsMessage { Id = id, RecursionDesired = recursionDesired };
        query.Questions.Add(new DnsQuestion(name, type));
        if (ednsUdpSize is { } size)
        {
            query.Additionals.Add(CreateOpt(size));
        }
        return query;
    }

    /// <summary>A response skeleton: same id, opcode, RD and CD (RFC 1035 4.1.1, RFC 4035 3.2.2), same questions.</summary>
    public DnsMessage CreateResponse()
    {
        var response = new DnsMessage
        {
            Id = Id,
            IsResponse = true,
            OpCode = OpCode,
            RecursionDesired = RecursionDesired,
            CheckingDisabled = CheckingDisabled,
        };
        response.Questions.AddRange(Questions);
        return response;
    }

    public DnsHeader Header => new()
    {
        Id = Id,
        Flags = DnsHeader.ComposeFlags(IsResponse, OpCode, IsAuthoritative, IsTruncated, RecursionDesired, RecursionAvailable,
            AuthenticData, CheckingDisabled, (DnsResponseCode)((int)ResponseCode & 0xF)),
        QuestionCount = (ushort)Questions.Count,
        AnswerCount = (ushort)Answers.Count,
        AuthorityCount = (ushort)Authorities.Count,
        AdditionalCount = (ushort)Additionals.Count,
    };

    /// <summary>A message with the id and flags of <paramref name="header"/> and empty sections.</summary>
    public static DnsMessage FromHeader(DnsHeader header) => new()
    {
        Id = header.Id,
        IsResponse = header.IsResponse,
        OpCode = header.OpCode,
        IsAuthoritative = header.IsAuthoritative,
        IsTruncated = header.IsTruncated,
        RecursionDesired = header.RecursionDesired,
        RecursionAvailable = header.RecursionAvailable,
        AuthenticData = header.AuthenticData,
        CheckingDisabled = header.CheckingDisabled,
        ResponseCode = header.ResponseCode,
    };

    public static bool TryRead(ReadOnlySpan<byte> source, [NotNullWhen(true)] out DnsMessage? message, out int bytesRead)
    {
        message = null;
        bytesRead = 0;
        if (!DnsHeader.TryRead(source, out var header, out int offset))
        {
            return false;
        }
        var result = FromHeader(header);
        for (int i = 0; i < header.QuestionCount; i++)
        {
            if (!DnsQuestion.TryRead(source, offset, out var question, out int used))
            {
                return false;
            }
            result.Questions.Add(question);
            offset += used;
        }
        if (!TryReadSection(source, ref offset, header.AnswerCount, result.Answers)
            || !TryReadSection(source, ref offset, header.AuthorityCount, result.Authorities)
            || !TryReadSection(source, ref offset, header.AdditionalCount, result.Additionals))
        {
            return false;
        }
        // RFC 6891 6.1.1: more than one OPT makes the message malformed.
        if (result.Additionals.Count(r => r.Type == DnsRecordType.OPT) > 1)
        {
            return false;
        }
        int optIndex = result.Additionals.FindIndex(r => r.Type == DnsRecordType.OPT);
        if (optIndex >= 0)
        {
            // Fold the extended RCODE into ResponseCode and out of the record, so writing it back gives the same bytes.
            var opt = result.Additionals[optIndex];
            result.ResponseCode = (DnsResponseCode)(((opt.Ttl >> 24) << 4) | (uint)header.ResponseCode);
            result.Additionals[optIndex] = opt with { Ttl = opt.Ttl & 0x00FF_FFFF };
        }
        message = result;
        bytesRead = offset;
        return true;
    }

    private static bool TryReadSection(ReadOnlySpan<byte> source, ref int offset, int count, List<DnsResourceRecord> section)
    {
        for (int i = 0; i < count; i++)
        {
            if (!DnsResourceRecord.TryRead(source, offset, out var record, out int used))
            {
                return false;
            }
            section.Add(record);
            offset += used;
        }
        return true;
    }

    /// <summary>Writes the message with name compression; false when it does not fit in <paramref name="destination"/>.</summary>
    public bool TryWrite(Span<byte> destination, out int bytesWritten)
    {
        bytesWritten = 0;
        if (!Header.TryWrite(destination, out _))
        {
            return false;
        }
        var writer = new DnsWriter(destination);
        if (!writer.TryWriteBytes(destination[..DnsHeader.Size]))
        {
            return false;
        }
        foreach (var question in Questions)
        {
            if (!question.TryWrite(ref writer))
            {
                return false;
            }
        }
        foreach (var record in Answers.Concat(Authorities))
        {
            if (!record.TryWrite(ref writer))
            {
                return false;
            }
        }
        foreach (var record in Additionals)
        {
            // RFC 6891 6.1.3: the upper eight bits of a 12-bit RCODE go in the first TTL byte of OPT.
            uint ttl = record.Type == DnsRecordType.OPT ? (record.Ttl & 0x00FF_FFFF) | (((uint)ResponseCode >> 4) << 24) : record.Ttl;
            if (!record.TryWrite(ref writer, ttl))
            {
                return false;
            }
        }
        bytesWritten = writer.Position;
        return true;
    }

    public byte[] ToArray()
    {
        byte[] buffer = new byte[MaxSize];
        return TryWrite(buffer, out int length)
            ? buffer[..length]
            : throw new InvalidOperationException("The message does not fit in 65535 bytes or holds a name that cannot be encoded.");
    }

    /// <summary>The mnemonic of a type (A, MX, ...) or TYPEnnn for unknown ones (RFC 3597 5).</summary>
    public static string TypeName(DnsRecordType type) =>
        EnumNames<DnsRecordType>.TryGet(type, out string name) ? name : "TYPE" + ((ushort)type).ToString(CultureInfo.InvariantCulture);

    /// <summary>Parses a type mnemonic or TYPEnnn (case-insensitive).</summary>
    public static bool TryParseType(string text, out DnsRecordType type)
    {
        if (text.StartsWith("TYPE", StringComparison.OrdinalIgnoreCase)
            && ushort.TryParse(text.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out ushort number))
        {
            type = (DnsRecordType)number;
            return true;
        }
        return Enum.TryParse(text, ignoreCase: true, out type) && Enum.IsDefined(type) && !char.IsAsciiDigit(text[0]);
    }
}
