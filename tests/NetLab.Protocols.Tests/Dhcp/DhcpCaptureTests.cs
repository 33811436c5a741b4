using System.Globalization;
using System.Text.RegularExpressions;
using NetLab.Pcap;
using NetLab.Protocols.Addressing;
using NetLab.Protocols.Dhcp;
using NetLab.Protocols.Ethernet;
using NetLab.Protocols.Frames;
using NetLab.Protocols.IP;
using NetLab.Protocols.Transport;
using NetLab.Testing;

namespace NetLab.Protocols.Tests.Dhcp;

/// <summary>Every DHCP/BOOTP capture of tcpdump's test suite, checked against what tcpdump printed in the
/// .out file beside it: the expectations come from that text, not from this code.</summary>
public partial class DhcpCaptureTests
{
    public static TheoryData<string> Captures()
    {
        var data = new TheoryData<string>();
        foreach (string line in File.ReadAllLines(Path.Combine(Repo.TcpdumpCaptures, "TESTLIST")))
        {
            string[] fields = line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 3 && (fields[0].StartsWith("dhcp", StringComparison.Ordinal) || fields[0].StartsWith("bootp", StringComparison.Ordinal))
                && !fields[0].StartsWith("dhcpv6", StringComparison.Ordinal) && !fields[1].Contains("dhcpv6", StringComparison.Ordinal))
            {
                data.Add(fields[0]);
            }
        }
        return data;
    }

    [Fact]
    public void Captures_AreFound()
    {
        // Guards the theory below against silently running zero cases.
        Assert.True(Captures().Count >= 8, $"found {Captures().Count} DHCP captures in {Repo.TcpdumpCaptures}");
    }

    [Theory]
    [MemberData(nameof(Captures))]
    public void Capture_DecodesAsTcpdumpPrinted(string testName)
    {
        var (pcap, output) = Files(testName);
        var frames = PcapFileReader.ReadAll(pcap).Select(f => f.Data).ToList();
        var printed = ParseTcpdumpOutput(File.ReadAllText(output));
        Assert.NotEmpty(printed);
        int checkedOptions = 0;
        foreach (var expected in printed)
        {
            byte[] payload = UdpPayload(frames[expected.Number - 1]);
            bool ok = DhcpMessage.TryRead(payload, out var message, out string? error);
            if (expected.Truncated)
            {
                Assert.False(ok, $"frame {expected.Number}: tcpdump saw a truncated message, we decoded {message}");
                continue;
            }
            Assert.True(ok, $"frame {expected.Number}: {error}");
            var m = message!;
            string where = $"{testName} frame {expected.Number}";
            Assert.True(expected.TransactionId == m.TransactionId, $"{where}: xid");
            Assert.True(expected.Operation == m.Operation, $"{where}: op");
            foreach (var (label, value) in expected.Fields)
            {
                var actual = label switch
                {
                    "Client-IP" => m.ClientAddress.ToString(),
                    "Your-IP" => m.YourAddress.ToString(),
                    "Server-IP" => m.ServerAddress.ToString(),
                    "Gateway-IP" => m.GatewayAddress.ToString(),
                    "Client-Ethernet-Address" => m.ClientMac.ToString(),
                    _ => throw new InvalidOperationException(label),
                };
                Assert.True(value == actual, $"{where}: {label} tcpdump {value}, ours {actual}");
            }
            foreach (var option in expected.Options)
            {
                if (option.Code == (byte)DhcpOptionCode.End)
                {
                    continue;
                }
                var ours = m.GetOption((DhcpOptionCode)option.Code);
                Assert.True(ours is not null, $"{where}: option {option.Code} missing");
                Assert.True(option.Length == ours!.Data.Length, $"{where}: option {option.Code} length");
                CheckValue(where, option, ours, m);
                checkedOptions++;
            }
            Assert.Equal(expected.Options.Count(o => o.Code != 255), m.Options.Count);
        }
        Assert.True(checkedOptions > 0 || printed.All(p => p.Truncated));
    }

    private static void CheckValue(string where, PrintedOption option, DhcpOption ours, DhcpMessage message)
    {
        string value = option.Value;
        string context = $"{where}: option {option.Code} tcpdump '{value}'";
        switch ((DhcpOptionCode)option.Code)
        {
            case DhcpOptionCode.MessageType:
                Assert.True(string.Equals(value, message.MessageType.ToString(), StringComparison.OrdinalIgnoreCase), context);
                break;
            case DhcpOptionCode.ServerIdentifier:
                Assert.True(value == message.ServerIdentifier.ToString(), context);
                break;
            case DhcpOptionCode.RequestedIPAddress:
                Assert.True(value == message.RequestedIPAddress.ToString(), context);
                break;
            case DhcpOptionCode.SubnetMask:
                Assert.True(value == message.SubnetMask.ToString(), context);
                break;
            case DhcpOptionCode.Router:
                Assert.True(value == string.Join(",", message.Routers!), context);
                break;
            case DhcpOptionCode.DomainNameServer:
                Assert.True(value == string.Join(",", message.DnsServers!), context);
                break;
            case DhcpOptionCode.LeaseTime:
                Assert.True(value == message.LeaseTime?.ToString(CultureInfo.InvariantCulture), context);
                break;
            case DhcpOptionCode.MaxMessageSize:
                Assert.True(value == message.MaxMessageSize?.ToString(CultureInfo.InvariantCulture), context);
                break;
            case DhcpOptionCode.DomainName:
                Assert.True(value == $"\"{message.DomainName}\"", context);
                break;
            case DhcpOptionCode.HostName:
                Assert.True(value == $"\"{message.HostName}\"", context);
                break;
            case DhcpOptionCode.VendorClassIdentifier:
                Assert.True(value == $"\"{message.VendorClassIdentifier}\"", context);
                break;
            case DhcpOptionCode.ClientIdentifier when value.StartsWith("ether ", StringComparison.Ordinal):
                byte[] expected = [1, .. MacAddress.Parse(value["ether ".Length..]).ToArray()];
                Assert.True(expected.SequenceEqual(message.ClientIdentifier!), context);
                break;
            case DhcpOptionCode.ParameterRequestList:
                Assert.True(option.RequestedCodes.SequenceEqual(message.ParameterRequestList!.Select(c => (int)c)), context);
                break;
            case DhcpOptionCode.StaticRoute when ours.HasValidLength:
                // tcpdump prints (destination:router) pairs.
                var pairs = ours.AsAddresses()!;
                string formatted = string.Join(",", pairs.Chunk(2).Select(p => $"({p[0]}:{p[1]})"));
                Assert.True(value == formatted, context);
                break;
            default:
                if (ours.Format == DhcpOptionFormat.Addresses && ours.HasValidLength)
                {
                    Assert.True(value == ours.FormatValue(), context);
                }
                break;
        }
    }

    private static (string Pcap, string Output) Files(string testName)
    {
        string line = File.ReadAllLines(Path.Combine(Repo.TcpdumpCaptures, "TESTLIST"))
            .First(l => l.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries) is [var name, ..] && name == testName);
        string[] fields = line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        return (Path.Combine(Repo.TcpdumpCaptures, fields[1]), Path.Combine(Repo.TcpdumpCaptures, fields[2]));
    }

    /// <summary>The UDP payload as tcpdump sees it: through UdpFrame when the frame is whole, else whatever
    /// follows the IPv4 and UDP headers in the captured bytes (the fuzzed captures lie in their lengths).</summary>
    private static byte[] UdpPayload(byte[] frame)
    {
        if (UdpFrame.TryParse(frame, out var udp))
        {
            return udp.Payload(frame).ToArray();
        }
        Assert.True(EthernetHeader.TryRead(frame, out _, out int ipOffset));
        Assert.True(IPv4Header.TryRead(frame.AsSpan(ipOffset), out _, out int ipLength));
        int payloadOffset = Math.Min(frame.Length, ipOffset + ipLength + UdpHeader.Length);
        return frame[payloadOffset..];
    }

    internal sealed record PrintedOption(int Code, int Length, string Value)
    {
        public List<int> RequestedCodes { get; } = [];
    }

    internal sealed record PrintedMessage(int Number, DhcpOperation Operation, uint TransactionId, bool Truncated)
    {
        public List<(string Label, string Value)> Fields { get; } = [];
        public List<PrintedOption> Options { get; } = [];
    }

    internal static List<PrintedMessage> ParseTcpdumpOutput(string text)
    {
        var messages = new List<PrintedMessage>();
        PrintedMessage? current = null;
        PrintedOption? lastOption = null;
        int frameNumber = 0;
        foreach (string line in text.Split('\n'))
        {
            if (FrameHeader().Match(line) is { Success: true } frame)
            {
                frameNumber = int.Parse(frame.Groups[1].Value, CultureInfo.InvariantCulture);
                current = null;
                continue;
            }
            if (line.Contains("BOOTP/DHCP", StringComparison.Ordinal))
            {
                var operation = line.Contains("BOOTP/DHCP, Reply", StringComparison.Ordinal) ? DhcpOperation.BootReply
                    : line.Contains("BOOTP/DHCP, Request", StringComparison.Ordinal) ? DhcpOperation.BootRequest : (DhcpOperation)0;
                uint xid = uint.Parse(Xid().Match(line).Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                current = new PrintedMessage(frameNumber, operation, xid, line.Contains("[|bootp]", StringComparison.Ordinal));
                messages.Add(current);
                continue;
            }
            if (current is null)
            {
                continue;
            }
            if (FixedField().Match(line) is { Success: true } field)
            {
                current.Fields.Add((field.Groups[1].Value, field.Groups[2].Value.Trim()));
            }
            else if (OptionLine().Match(line) is { Success: true } option)
            {
                lastOption = new PrintedOption(int.Parse(option.Groups[1].Value, CultureInfo.InvariantCulture),
                    int.Parse(option.Groups[2].Value, CultureInfo.InvariantCulture), option.Groups[3].Value.Trim());
                current.Options.Add(lastOption);
            }
            else if (lastOption is { Code: (int)DhcpOptionCode.ParameterRequestList })
            {
                lastOption.RequestedCodes.AddRange(CodeInParentheses().Matches(line).Select(c => int.Parse(c.Groups[1].Value, CultureInfo.InvariantCulture)));
            }
        }
        return messages;
    }

    [GeneratedRegex(@"^\s*(\d+)\s+\d{4}-\d\d-\d\d ")]
    private static partial Regex FrameHeader();

    [GeneratedRegex(@"xid 0x([0-9a-f]+)")]
    private static partial Regex Xid();

    [GeneratedRegex(@"^\s+(Client-IP|Your-IP|Server-IP|Gateway-IP|Client-Ethernet-Address) (\S+)\s*$")]
    private static partial Regex FixedField();

    [GeneratedRegex(@"^\s+[\w-]+ \((\d+)\), length (\d+):?(.*)$")]
    private static partial Regex OptionLine();

    [GeneratedRegex(@"\((\d+)\)")]
    private static partial Regex CodeInParentheses();
}
