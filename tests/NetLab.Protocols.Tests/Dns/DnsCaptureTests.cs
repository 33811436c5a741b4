using System.Text.RegularExpressions;
using NetLab.Pcap;
using NetLab.Protocols.Dns;
using NetLab.Protocols.Ethernet;
using NetLab.Protocols.IP;
using NetLab.Protocols.Transport;
using NetLab.Testing;

namespace NetLab.Protocols.Tests.Dns;

/// <summary>Every dns* capture of tcpdump's test suite against tcpdump's own decoding in the .out beside it.</summary>
public partial class DnsCaptureTests
{
    /// <summary>Marks tcpdump puts in a decoding it could not finish: the message is malformed or cut by the snap length.</summary>
    private static readonly string[] MalformedMarks = ["[|domain]", "<BAD PTR>", "(invalid)", "<BAD LABEL TYPE>", "<DOMAIN NAME TOO LONG>"];

    public static TheoryData<string, string> Captures()
    {
        var data = new TheoryData<string, string>();
        foreach (var (capture, output) in ChooseOutputs())
        {
            data.Add(capture, output);
        }
        return data;
    }

    [Fact]
    public void EveryDnsCaptureHasACase() => Assert.Equal(
        Directory.GetFiles(Repo.TcpdumpCaptures, "dns*.pcap").Select(Path.GetFileName).Order(),
        ChooseOutputs().Select(c => c.Capture).Order());

    [Theory]
    [MemberData(nameof(Captures))]
    public void Capture_DecodesAsTcpdumpPrinted(string capture, string output)
    {
        var printed = ReadPackets(Path.Combine(Repo.TcpdumpCaptures, output));
        using var reader = PcapFileReader.Open(Path.Combine(Repo.TcpdumpCaptures, capture));
        int index = 0;
        int checkedMessages = 0;
        while (reader.TryReadNext(out var frame))
        {
            string text = printed[index++];
            string? dns = DnsPart(text);
            if (dns is null || !TryGetDnsPayload(reader.LinkType, frame.Data, out var payload))
            {
                continue;
            }
            bool parsed = DnsMessage.TryRead(payload, out var message, out _);
            if (MalformedMarks.Any(dns.Contains))
            {
                Assert.False(parsed, $"{capture} #{index}: tcpdump found it malformed ({dns}) but we parsed it");
                checkedMessages++;
                continue;
            }
            Assert.True(parsed, $"{capture} #{index}: tcpdump decoded '{dns}' but we did not");
            AssertSameAsTcpdump(dns, message!, $"{capture} #{index}");
            checkedMessages++;
        }
        Assert.Equal(printed.Count, index);
        Assert.True(checkedMessages > 0, $"{capture}: no DNS message checked");
    }

    private static void AssertSameAsTcpdump(string dns, DnsMessage message, string where)
    {
        var header = HeaderPattern().Match(dns);
        Assert.True(header.Success, where + ": " + dns);
        Assert.Equal(ushort.Parse(header.Groups["id"].Value), message.Id);
        string flags = header.Groups["flags"].Value;
        string[] words = header.Groups["words"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(flags.Contains('|'), message.IsTruncated);
        if (message.IsResponse)
        {
            Assert.Equal(flags.Contains('*'), message.IsAuthoritative);
            Assert.Equal(!flags.Contains('-'), message.RecursionAvailable);
            Assert.Equal(flags.Contains('$'), message.AuthenticData);
            Assert.Equal(words.Length == 0 ? "NoError" : words[^1], message.ResponseCode.ToString());
            var counts = CountsPattern().Match(dns);
            Assert.True(counts.Success, where);
            Assert.Equal(int.Parse(counts.Groups["an"].Value), message.Answers.Count);
            Assert.Equal(int.Parse(counts.Groups["ns"].Value), message.Authorities.Count);
            Assert.Equal(int.Parse(counts.Groups["ar"].Value), message.Additionals.Count);
            AssertAnswers(dns[(counts.Index + counts.Length)..], message, where);
        }
        else
        {
            Assert.Equal(flags.Contains('+'), message.RecursionDesired);
            var additional = Regex.Match(dns, @"\[(\d+)au\]");
            Assert.Equal(additional.Success ? int.Parse(additional.Groups[1].Value) : 0, message.Additionals.Count);
        }
        // Queries always show their question; responses only with -vv ("q: A? name.").
        var question = QuestionPattern().Match(dns);
        Assert.True(question.Success || message.IsResponse, where);
        var q = Assert.Single(message.Questions);
        if (question.Success)
        {
            Assert.Equal(question.Groups["type"].Value, DnsMessage.TypeName(q.Type));
            Assert.Equal(question.Groups["name"].Value, DnsName.ToFqdn(q.Name));
        }
        if (Regex.Match(dns, @"UDPsize=(\d+)") is { Success: true } udpSize)
        {
            Assert.Equal(ushort.Parse(udpSize.Groups[1].Value), message.EdnsUdpPayloadSize);
        }
    }

    /// <summary>tcpdump lists answers as "[owner. ]TYPE data" separated by ", " (owners only with -vv).</summary>
    private static void AssertAnswers(string afterCounts, DnsMessage message, string where)
    {
        string section = Regex.Replace(afterCounts, @"( ns: | ar: | \(\d+\)$).*", "").Trim();
        string[] entries = section.Length == 0 ? [] : section.Split(", ");
        Assert.Equal(message.Answers.Count, entries.Length);
        for (int i = 0; i < entries.Length; i++)
        {
            var answer = message.Answers[i];
            string entry = entries[i];
            string owner = DnsName.ToFqdn(answer.Name) + " ";
            if (entry.StartsWith(owner, StringComparison.Ordinal))
            {
                entry = entry[owner.Length..];
            }
            string[] tokens = entry.Split(' ');
            Assert.Equal(tokens[0], DnsMessage.TypeName(answer.Type));
            if (answer.Data is DnsAddressData or DnsNameData)
            {
                Assert.Equal(tokens[1], answer.Data.ToString());
            }
            else if (answer.Type == DnsRecordType.URI && answer.Data is DnsRawData raw)
            {
                // RFC 7553: priority, weight, target (the rest of the RDATA).
                Assert.Equal($"URI {(raw.Data[0] << 8) | raw.Data[1]} {(raw.Data[2] << 8) | raw.Data[3]} {System.Text.Encoding.ASCII.GetString(raw.Data, 4, raw.Data.Length - 4)}", entry);
            }
            _ = where;
        }
    }

    /// <summary>The DNS part of a tcpdump line (after the ports, checksum remarks and TCP header), or null for frames without one.</summary>
    private static string? DnsPart(string packet)
    {
        var ports = Regex.Match(packet, @"> [0-9a-f.:]+\.\d+: (\[[^\]]*\] )?(?<rest>.*)$");
        if (!ports.Success)
        {
            return null;
        }
        string rest = ports.Groups["rest"].Value;
        if (rest.StartsWith("Flags [", StringComparison.Ordinal))
        {
            var tcp = Regex.Match(rest, @"length \d+ (?<dns>\d.*)$");
            return tcp.Success ? tcp.Groups["dns"].Value : null;
        }
        if (rest.StartsWith("domain [", StringComparison.Ordinal))
        {
            return rest;
        }
        return rest.Length > 0 && char.IsAsciiDigit(rest[0]) ? rest : null;
    }

    private static bool TryGetDnsPayload(LinkType linkType, ReadOnlySpan<byte> frame, out ReadOnlySpan<byte> payload)
    {
        payload = default;
        int offset;
        switch (linkType)
        {
            case LinkType.Ethernet when EthernetHeader.TryRead(frame, out var ethernet, out int length) && ethernet.EtherType == EtherType.IPv4:
                offset = length;
                break;
            case LinkType.Null or LinkType.Loop:
                offset = 4;
                break;
            case LinkType.Raw:
                offset = 0;
                break;
            default:
                return false;
        }
        if (!IPv4Header.TryRead(frame[offset..], out var ip, out int ipLength))
        {
            return false;
        }
        var segment = frame[(offset + ipLength)..];
        segment = segment[..Math.Min(segment.Length, ip.PayloadLength)];
        if (ip.Protocol == IpProtocol.Udp && UdpHeader.TryRead(segment, out _, out int udpLength))
        {
            payload = segment[udpLength..];
            return true;
        }
        if (ip.Protocol == IpProtocol.Tcp && TcpHeader.TryRead(segment, out var tcp, out int tcpLength) && segment.Length > tcpLength)
        {
            // Each segment of these captures carries exactly one length-prefixed message (RFC 1035 4.2.2).
            return DnsTcpFraming.TryReadFrame(segment[tcpLength..], out payload, out _);
        }
        return false;
    }

    /// <summary>For each dns capture, the .out to compare with: the one decoded as DNS ("-T domain" for port 8053).</summary>
    private static List<(string Capture, string Output)> ChooseOutputs()
    {
        var entries = File.ReadAllLines(Path.Combine(Repo.TcpdumpCaptures, "TESTLIST"))
            .Select(line => line.Split((char[])[' ', '\t'], 4, StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length >= 3 && fields[1].StartsWith("dns", StringComparison.Ordinal) && fields[1].EndsWith(".pcap", StringComparison.Ordinal))
            .Select(fields => (Capture: fields[1], Output: fields[2], Flags: fields.Length > 3 ? fields[3] : ""))
            .Where(e => !e.Flags.Contains("--skip", StringComparison.Ordinal) && !e.Flags.Contains("-c", StringComparison.Ordinal));
        return [.. entries.GroupBy(e => e.Capture)
            .Select(g => g.OrderByDescending(e => e.Flags.Contains("-T domain", StringComparison.Ordinal)).ThenBy(e => e.Flags.Length).First())
            .Select(e => (e.Capture, e.Output))];
    }

    /// <summary>The packets of a .out file, continuation lines joined to the numbered line they belong to.</summary>
    private static List<string> ReadPackets(string path)
    {
        var packets = new List<string>();
        foreach (string line in File.ReadLines(path))
        {
            if (PacketStart().IsMatch(line))
            {
                packets.Add(line.Trim());
            }
            else if (packets.Count > 0)
            {
                packets[^1] += " " + line.Trim();
            }
        }
        return packets;
    }

    [GeneratedRegex(@"^\s*\d+\s+(caplen \d+ len \d+ )?\d{4}-\d\d-\d\d ")]
    private static partial Regex PacketStart();

    [GeneratedRegex(@"^(?<id>\d+)(?<words>( [A-Za-z]+)*)(?<flags>[*\-|$+%]*)( |$)")]
    private static partial Regex HeaderPattern();

    [GeneratedRegex(@" (?<an>\d+)/(?<ns>\d+)/(?<ar>\d+)")]
    private static partial Regex CountsPattern();

    [GeneratedRegex(@"(?<type>[A-Za-z0-9]+)\? (?<name>\S+)")]
    private static partial Regex QuestionPattern();
}
