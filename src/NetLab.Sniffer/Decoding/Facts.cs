using System.Buffers.Binary;
using System.Net;
using NetLab.Protocols.Addressing;
using NetLab.Protocols.IP;

namespace NetLab.Sniffer.Decoding;

/// <summary>An IPv4 or IPv6 address in a value type, so that the statistics can key on it without allocating.
/// Two 64-bit halves rather than a UInt128, which would keep ReadyToRun from precompiling every method that takes a
/// frame (see <see cref="IPv6Address"/>).</summary>
public readonly record struct NetAddress(ulong High, ulong Low, bool IsV6) : IComparable<NetAddress>
{
    public static NetAddress FromIPv4(IPv4Address address) => new(0, address.Value, false);

    public static NetAddress FromIPv6(ReadOnlySpan<byte> sixteenBytes) =>
        new(BinaryPrimitives.ReadUInt64BigEndian(sixteenBytes), BinaryPrimitives.ReadUInt64BigEndian(sixteenBytes[8..16]), true);

    public IPv4Address AsIPv4 => new((uint)Low);

    /// <summary>Both halves folded, so an IPv4 address hashes to itself (the generated hash combines three times).</summary>
    public override int GetHashCode() => (High ^ Low).GetHashCode() ^ (IsV6 ? 0x5bd1e995 : 0);

    /// <summary>"address:port", with the IPv6 address in brackets (RFC 3986 3.2.2).</summary>
    public string WithPort(ushort port) => IsV6 ? $"[{this}]:{port}" : $"{this}:{port}";

    public int CompareTo(NetAddress other) =>
        IsV6 != other.IsV6 ? IsV6.CompareTo(other.IsV6) : High != other.High ? High.CompareTo(other.High) : Low.CompareTo(other.Low);

    public override string ToString()
    {
        if (!IsV6)
        {
            return AsIPv4.ToString();
        }
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, High);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], Low);
        return new IPAddress(bytes).ToString();
    }
}

public sealed record ArpFacts(int Operation, MacAddress SenderMac, IPv4Address SenderIp, MacAddress TargetMac, IPv4Address TargetIp)
{
    /// <summary>A sender announcing its own address (RFC 5227 section 3): sender IP equals target IP.</summary>
    public bool IsGratuitous => SenderIp == TargetIp && !SenderIp.IsAny;
}

/// <summary>TCP header values the statistics need (flags as the raw byte so this type stands alone).</summary>
public readonly record struct TcpFacts(byte Flags, uint Sequence, uint Acknowledgment, ushort Window, int PayloadLength)
{
    public const byte Fin = 0x01, Syn = 0x02, Rst = 0x04, Psh = 0x08, AckFlag = 0x10, Urg = 0x20;

    public bool Has(byte flag) => (Flags & flag) != 0;
}

public sealed record DhcpFacts(
    string MessageType, bool IsReply, uint TransactionId, MacAddress ClientMac, IPv4Address ClientIp, IPv4Address YourIp,
    IPv4Address? ServerIdentifier, IPv4Address? RequestedIp, string? HostName);

public sealed record DnsRecordFacts(string Name, string Type, string Data);

public sealed record DnsFacts(
    ushort Id, bool IsResponse, string ResponseCode, IReadOnlyList<DnsRecordFacts> Questions, IReadOnlyList<DnsRecordFacts> Answers)
{
    /// <summary>The first question as "name type", the key for matching a response to its query (built once:
    /// the tracker asks for it on every message).</summary>
    public string QuestionKey { get; } = Questions.Count == 0 ? "" : $"{Questions[0].Name} {Questions[0].Type}";

    /// <summary>Whether <paramref name="other"/> gives the same response code and the same answer data, in any order.</summary>
    public bool HasSameAnswers(DnsFacts other)
    {
        if (ResponseCode != other.ResponseCode || Answers.Count != other.Answers.Count)
        {
            return false;
        }
        // Answer sections are a handful of records: match each one to an unused equal one on the other side.
        Span<bool> used = Answers.Count <= 64 ? stackalloc bool[Answers.Count] : new bool[Answers.Count];
        foreach (var answer in Answers)
        {
            int match = -1;
            for (int i = 0; i < other.Answers.Count && match < 0; i++)
            {
                if (!used[i] && other.Answers[i].Type == answer.Type && other.Answers[i].Data == answer.Data)
                {
                    match = i;
                }
            }
            if (match < 0)
            {
                return false;
            }
            used[match] = true;
        }
        return true;
    }
}

/// <summary>One FTP control line: a command (Verb, Argument) or a reply (Code, Text).</summary>
public readonly record struct FtpFacts(bool IsCommand, string Verb, string Argument, int Code, string Text);

/// <summary>One auth-protocol frame: the operation and the user it names; the password itself is never kept.</summary>
public sealed record AuthFacts(string Operation, string? User, bool CarriesPassword, bool IsResponse);
