using System.Buffers.Binary;
using System.Collections.Concurrent;
using NetLab.Protocols.Dns;

namespace NetLab.Dns.Server;

/// <summary>Finished authoritative responses in wire form, keyed by the question (case-folded), the RD/CD bits,
/// whether the query had EDNS0, and the RA bit we set. A hit copies the bytes, puts in the query's id and its
/// question (keeping the client's letter case, RFC 4343) and skips parsing and building altogether.
/// Only zone data goes here, which does not change while the server runs.</summary>
public sealed class DnsAnswerCache
{
    private const int MaxEntries = 100_000;
    private const byte RdFlag = 1, CdFlag = 2, EdnsFlag = 4, RaFlag = 8;

    private readonly ConcurrentDictionary<ulong, Entry> _entries = new();
    private readonly ushort _maxUdpPayload;

    public DnsAnswerCache(ushort maxUdpPayload) => _maxUdpPayload = maxUdpPayload;

    private sealed record Entry(byte[] Key, byte[] Response, DnsResponseCode ResponseCode);

    /// <summary>A plain query this cache can answer: one IN question without compression, nothing but an optional
    /// EDNS0 version 0 OPT after it.</summary>
    private readonly ref struct CacheableQuery
    {
        public required int QuestionLength { get; init; }
        public required byte Flags { get; init; }
        public required int SizeLimit { get; init; }
    }

    public bool TryAnswer(ReadOnlySpan<byte> query, Span<byte> destination, bool tcp, bool recursionAvailable, out int length, out DnsResponseCode responseCode)
    {
        length = 0;
        responseCode = default;
        if (!TryClassify(query, tcp, recursionAvailable, out var plain))
        {
            return false;
        }
        var question = query.Slice(DnsHeader.Size, plain.QuestionLength);
        if (!_entries.TryGetValue(Hash(question, plain.Flags), out var entry) || !KeyEquals(entry.Key, question, plain.Flags)
            || entry.Response.Length > plain.SizeLimit || entry.Response.Length > destination.Length)
        {
            return false;
        }
        entry.Response.CopyTo(destination);
        // RFC 1035 4.1.1: the id is copied from the query; the question too, letter case included.
        query[..2].CopyTo(destination);
        question.CopyTo(destination[DnsHeader.Size..]);
        length = entry.Response.Length;
        responseCode = entry.ResponseCode;
        return true;
    }

    public void Store(ReadOnlySpan<byte> query, ReadOnlySpan<byte> response, bool tcp, bool recursionAvailable, DnsResponseCode responseCode)
    {
        if (!TryClassify(query, tcp, recursionAvailable, out var plain))
        {
            return;
        }
        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }
        var question = query.Slice(DnsHeader.Size, plain.QuestionLength);
        byte[] key = new byte[question.Length + 1];
        FoldCase(question, key);
        key[^1] = plain.Flags;
        _entries[Hash(question, plain.Flags)] = new Entry(key, response.ToArray(), responseCode);
    }

    private bool TryClassify(ReadOnlySpan<byte> query, bool tcp, bool recursionAvailable, out CacheableQuery plain)
    {
        plain = default;
        if (!DnsHeader.TryRead(query, out var header, out _) || header.IsResponse || header.OpCode != DnsOpCode.Query || header.IsTruncated
            || header.QuestionCount != 1 || header.AnswerCount != 0 || header.AuthorityCount != 0 || header.AdditionalCount > 1)
        {
            return false;
        }
        int position = DnsHeader.Size;
        // Labels only: a pointer in the question would make the bytes mean something else elsewhere.
        while (true)
        {
            if (position >= query.Length)
            {
                return false;
            }
            int label = query[position];
            if (label == 0)
            {
                position++;
                break;
            }
            if (label > DnsName.MaxLabelLength || position + 1 + label > query.Length || position - DnsHeader.Size + label + 2 > DnsName.MaxWireLength)
            {
                return false;
            }
            position += 1 + label;
        }
        if (position + 4 > query.Length || BinaryPrimitives.ReadUInt16BigEndian(query[(position + 2)..]) != (ushort)DnsClass.IN)
        {
            return false;
        }
        position += 4;
        int questionLength = position - DnsHeader.Size;
        byte flags = (byte)((header.RecursionDesired ? RdFlag : 0) | (header.CheckingDisabled ? CdFlag : 0) | (recursionAvailable ? RaFlag : 0));
        int limit = tcp ? DnsMessage.MaxSize : DnsMessage.MaxUdpSizeWithoutEdns;
        if (header.AdditionalCount == 1)
        {
            // RFC 6891 6.1.2: OPT is owned by the root: 0, TYPE 41, CLASS = payload size, TTL = ext-rcode/version/flags.
            if (position + 11 > query.Length || query[position] != 0 || BinaryPrimitives.ReadUInt16BigEndian(query[(position + 1)..]) != (ushort)DnsRecordType.OPT
                || query[position + 5] != 0 || query[position + 6] != 0
                || position + 11 + BinaryPrimitives.ReadUInt16BigEndian(query[(position + 9)..]) != query.Length)
            {
                return false;
            }
            flags |= EdnsFlag;
            if (!tcp)
            {
                limit = Math.Clamp((int)BinaryPrimitives.ReadUInt16BigEndian(query[(position + 3)..]), DnsMessage.MaxUdpSizeWithoutEdns, (int)_maxUdpPayload);
            }
        }
        else if (position != query.Length)
        {
            return false;
        }
        plain = new CacheableQuery { QuestionLength = questionLength, Flags = flags, SizeLimit = limit };
        return true;
    }

    private static void FoldCase(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = source[i] is >= (byte)'A' and <= (byte)'Z' ? (byte)(source[i] | 0x20) : source[i];
        }
    }

    /// <summary>FNV-1a over the case-folded question and the flags.</summary>
    private static ulong Hash(ReadOnlySpan<byte> question, byte flags)
    {
        ulong hash = 14695981039346656037UL;
        foreach (byte b in question)
        {
            hash = (hash ^ (b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b | 0x20) : b)) * 1099511628211UL;
        }
        return (hash ^ flags) * 1099511628211UL;
    }

    private static bool KeyEquals(byte[] key, ReadOnlySpan<byte> question, byte flags)
    {
        if (key.Length != question.Length + 1 || key[^1] != flags)
        {
            return false;
        }
        for (int i = 0; i < question.Length; i++)
        {
            byte b = question[i] is >= (byte)'A' and <= (byte)'Z' ? (byte)(question[i] | 0x20) : question[i];
            if (key[i] != b)
            {
                return false;
            }
        }
        return true;
    }
}
