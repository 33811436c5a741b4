using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using NetLab.Protocols.Dns;

namespace NetLab.Dns.Zones;

/// <summary>Reads RFC 1035 5 master files (the format NSD, Knot and BIND read): $ORIGIN, $TTL, @, relative names,
/// omitted owners, TTL and class in either order, parentheses, comments, and the record types of the codec;
/// any type also in the RFC 3597 generic form <c>TYPEnnn \# length hex</c>.</summary>
public static class MasterFileParser
{
    /// <summary>TTL used before any $TTL or explicit TTL (NSD and Knot use the same default).</summary>
    public const uint DefaultTtl = 3600;

    public static IReadOnlyList<DnsResourceRecord> ParseFile(string path, string origin)
    {
        string text;
        try
        {
            text = File.ReadAllText(path, Encoding.Latin1);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ZoneFileException(path, 0, $"cannot read the zone file: {e.Message}");
        }
        return Parse(path, text, origin);
    }

    public static IReadOnlyList<DnsResourceRecord> Parse(string file, string text, string origin)
    {
        var records = new List<DnsResourceRecord>();
        var state = new ParserState(file, Normalize(file, 0, origin, ""));
        foreach (var entry in MasterFileTokenizer.Read(file, text))
        {
            var record = ParseEntry(state, entry);
            if (record is not null)
            {
                records.Add(record);
            }
        }
        return records;
    }

    /// <summary>Parses one record in master-file form with absolute names, e.g. "ftp.lab.test 300 A 192.168.10.1"
    /// (the form of dns-server's --record flag).</summary>
    public static DnsResourceRecord ParseRecord(string text, string source = "--record")
    {
        var entries = MasterFileTokenizer.Read(source, text).ToList();
        if (entries.Count != 1)
        {
            throw new ZoneFileException(source, 1, $"expected one record like \"ftp.lab.test A 192.168.10.1\", got \"{text}\"");
        }
        var state = new ParserState(source, "");
        return ParseEntry(state, entries[0] with { OwnerOmitted = false })
            ?? throw new ZoneFileException(source, 1, "expected a record, not a $ directive");
    }

    private sealed class ParserState(string file, string origin)
    {
        public string File { get; } = file;
        public string Origin { get; set; } = origin;
        public uint? DefaultTtl { get; set; }
        public uint? LastTtl { get; set; }
        public string? LastOwner { get; set; }
    }

    private static DnsResourceRecord? ParseEntry(ParserState state, MasterEntry entry)
    {
        var tokens = entry.Tokens;
        int line = entry.Line;
        string first = tokens[0].Text;
        if (!tokens[0].Quoted && first.StartsWith('$'))
        {
            switch (first.ToUpperInvariant())
            {
                case "$ORIGIN" when tokens.Count >= 2:
                    state.Origin = Normalize(state.File, line, tokens[1].Text, state.Origin);
                    return null;
                case "$TTL" when tokens.Count >= 2:
                    state.DefaultTtl = ParseTtl(state.File, line, tokens[1].Text);
                    return null;
                default:
                    throw new ZoneFileException(state.File, line, $"unsupported or incomplete directive '{first}' (supported: $ORIGIN name, $TTL ttl)");
            }
        }
        int index = 0;
        string owner;
        if (entry.OwnerOmitted)
        {
            owner = state.LastOwner ?? throw new ZoneFileException(state.File, line, "the first record has no owner name (the line starts with a blank)");
        }
        else
        {
            owner = Normalize(state.File, line, tokens[0].Text, state.Origin);
            index = 1;
        }
        state.LastOwner = owner;

        uint? ttl = null;
        DnsClass recordClass = DnsClass.IN;
        DnsRecordType? type = null;
        while (index < tokens.Count && type is null)
        {
            string token = tokens[index++].Text;
            if (char.IsAsciiDigit(token[0]))
            {
                ttl = ParseTtl(state.File, line, token);
            }
            else if (token.Equals("IN", StringComparison.OrdinalIgnoreCase))
            {
                recordClass = DnsClass.IN;
            }
            else if (token.Equals("CH", StringComparison.OrdinalIgnoreCase) || token.Equals("HS", StringComparison.OrdinalIgnoreCase))
            {
                throw new ZoneFileException(state.File, line, $"class {token} is not served (only IN)");
            }
            else if (DnsMessage.TryParseType(token, out var parsed))
            {
                type = parsed;
            }
            else
            {
                throw new ZoneFileException(state.File, line, $"unknown record type or class '{token}'");
            }
        }
        if (type is not { } recordType)
        {
            throw new ZoneFileException(state.File, line, "record without a type (expected e.g. 'name [ttl] [IN] A 192.168.10.1')");
        }
        var rdata = tokens.Skip(index).ToList();
        var data = ParseRdata(state, line, recordType, rdata);
        uint effectiveTtl = ttl ?? state.DefaultTtl ?? state.LastTtl ?? DefaultTtl;
        state.LastTtl = effectiveTtl;
        return new DnsResourceRecord(owner, recordType, recordClass, effectiveTtl, data);
    }

    private static DnsRecordData ParseRdata(ParserState state, int line, DnsRecordType type, List<MasterToken> rdata)
    {
        string file = state.File;
        if (rdata.Count >= 1 && rdata[0] is { Quoted: false, Text: @"\#" })
        {
            return ParseGeneric(file, line, type, rdata);
        }
        void Expect(int count, string shape)
        {
            if (rdata.Count != count)
            {
                throw new ZoneFileException(file, line, $"{type} needs {shape}, got {rdata.Count} field(s): '{string.Join(' ', rdata.Select(t => t.Text))}'");
            }
        }
        string Name(int i) => Normalize(file, line, rdata[i].Text, state.Origin);
        ushort Number16(int i) => ushort.TryParse(rdata[i].Text, NumberStyles.None, CultureInfo.InvariantCulture, out ushort value)
            ? value : throw new ZoneFileException(file, line, $"'{rdata[i].Text}' is not a number from 0 to 65535");
        switch (type)
        {
            case DnsRecordType.A:
                Expect(1, "an IPv4 address");
                return IPAddress.TryParse(rdata[0].Text, out var v4) && v4.AddressFamily == AddressFamily.InterNetwork && rdata[0].Text.Count(c => c == '.') == 3
                    ? new DnsAddressData(v4) : throw new ZoneFileException(file, line, $"'{rdata[0].Text}' is not an IPv4 address");
            case DnsRecordType.AAAA:
                Expect(1, "an IPv6 address");
                return IPAddress.TryParse(rdata[0].Text, out var v6) && v6.AddressFamily == AddressFamily.InterNetworkV6
                    ? new DnsAddressData(v6) : throw new ZoneFileException(file, line, $"'{rdata[0].Text}' is not an IPv6 address");
            case DnsRecordType.CNAME or DnsRecordType.NS or DnsRecordType.PTR:
                Expect(1, "a domain name");
                return new DnsNameData(Name(0));
            case DnsRecordType.MX:
                Expect(2, "a preference and a mail exchanger name");
                return new DnsMxData(Number16(0), Name(1));
            case DnsRecordType.SRV:
                Expect(4, "priority, weight, port and target");
                return new DnsSrvData(Number16(0), Number16(1), Number16(2), Name(3));
            case DnsRecordType.SOA:
                Expect(7, "primary server, mailbox, serial, refresh, retry, expire and minimum");
                return new DnsSoaData(Name(0), Name(1), ParseTtl(file, line, rdata[2].Text), ParseTtl(file, line, rdata[3].Text),
                    ParseTtl(file, line, rdata[4].Text), ParseTtl(file, line, rdata[5].Text), ParseTtl(file, line, rdata[6].Text));
            case DnsRecordType.TXT:
                if (rdata.Count == 0)
                {
                    throw new ZoneFileException(file, line, "TXT needs at least one string");
                }
                return new DnsTxtData([.. rdata.Select(t => DecodeCharacterString(file, line, t.Text))]);
            default:
                throw new ZoneFileException(file, line,
                    $"type {DnsMessage.TypeName(type)} has no text form here; write its RDATA as '\\# length hex' (RFC 3597)");
        }
    }

    private static DnsRecordData ParseGeneric(string file, int line, DnsRecordType type, List<MasterToken> rdata)
    {
        if (rdata.Count < 2 || !int.TryParse(rdata[1].Text, NumberStyles.None, CultureInfo.InvariantCulture, out int length))
        {
            throw new ZoneFileException(file, line, @"generic RDATA needs '\# length hex' (RFC 3597 5)");
        }
        byte[] bytes;
        try
        {
            bytes = Convert.FromHexString(string.Concat(rdata.Skip(2).Select(t => t.Text)));
        }
        catch (FormatException)
        {
            throw new ZoneFileException(file, line, "generic RDATA is not hexadecimal");
        }
        if (bytes.Length != length)
        {
            throw new ZoneFileException(file, line, $"generic RDATA says {length} bytes but has {bytes.Length}");
        }
        // Known types given generically are decoded so they answer like their text form.
        return DnsRecordData.TryRead(type, bytes, 0, bytes.Length, out var data)
            ? data
            : throw new ZoneFileException(file, line, $"generic RDATA is not a valid {DnsMessage.TypeName(type)}");
    }

    private static string DecodeCharacterString(string file, int line, string text)
    {
        var bytes = new StringBuilder();
        for (int i = 0; i < text.Length; i++)
        {
            if (!DnsName.TryReadEscapedByte(text, ref i, out byte value))
            {
                throw new ZoneFileException(file, line, $"bad escape in \"{text}\"");
            }
            bytes.Append((char)value);
        }
        return bytes.Length <= 255 ? bytes.ToString() : throw new ZoneFileException(file, line, "a TXT string is longer than 255 bytes; split it into several quoted strings");
    }

    /// <summary>Makes a name absolute: '@' is the origin, a name without a trailing dot is relative to it.</summary>
    private static string Normalize(string file, int line, string name, string origin)
    {
        string absolute = name == "@" ? origin
            : name.EndsWith('.') && !name.EndsWith(@"\.", StringComparison.Ordinal) ? name
            : origin.Length == 0 ? name : name + "." + origin;
        return DnsName.TryNormalize(absolute, out string? normalized)
            ? normalized
            : throw new ZoneFileException(file, line, $"'{name}' is not a valid domain name (labels up to 63 bytes, names up to 255)");
    }

    /// <summary>A TTL in seconds or with BIND units (1h30m, 2d, 1w).</summary>
    public static uint ParseTtl(string file, int line, string text)
    {
        if (uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out uint seconds))
        {
            return seconds;
        }
        ulong total = 0;
        ulong number = 0;
        bool digits = false;
        foreach (char c in text.ToLowerInvariant())
        {
            if (char.IsAsciiDigit(c))
            {
                number = (number * 10) + (ulong)(c - '0');
                digits = true;
                if (number > uint.MaxValue)
                {
                    break;
                }
                continue;
            }
            ulong unit = c switch { 's' => 1, 'm' => 60, 'h' => 3600, 'd' => 86400, 'w' => 604800, _ => 0 };
            if (unit == 0 || !digits)
            {
                throw new ZoneFileException(file, line, $"'{text}' is not a time value (seconds, or units like 1h30m, 2d, 1w)");
            }
            total += number * unit;
            number = 0;
            digits = false;
        }
        total += number;
        return total <= uint.MaxValue ? (uint)total : throw new ZoneFileException(file, line, $"'{text}' is too large for a 32-bit time value");
    }
}
