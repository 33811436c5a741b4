using NetLab.Protocols.Addressing;
using NetLab.Protocols.Arp;
using NetLab.Protocols.Ethernet;
using NetLab.Protocols.Frames;
using NetLab.Protocols.IP;
using NetLab.Protocols.Transport;
using Xunit.Sdk;

namespace NetLab.Protocols.Tests.Frames;

public class FrameFuzzTests
{
    private const int Iterations = 100_000;
    private const int Seed = 20261121;

    /// <summary>Valid frames of every kind the decoders know, captured or built.</summary>
    private static byte[][] SeedFrames() =>
    [
        SampleFrames.TcpSyn,
        SampleFrames.TcpSynAck,
        SampleFrames.DnsQueryUdp,
        SampleFrames.ArpRequestPadded,
        SampleFrames.ArpReply,
        SampleFrames.IcmpEchoRequest,
        SampleFrames.IcmpEchoReply,
        SampleFrames.IcmpPortUnreachable,
        SampleFrames.IcmpV6EchoRequest,
        SampleFrames.UdpV6,
        BuiltFrames.DhcpLikeDiscover(),
        BuiltFrames.Tagged(BuiltFrames.DhcpLikeDiscover()),
        BuiltFrames.TcpWithEveryOption(),
        BuiltFrames.IcmpTimeExceeded(),
        BuiltFrames.IPv6ExtensionChain(),
    ];

    [Fact]
    public void EveryDecoder_100000MutatedFrames_NeverThrowsNorReadsPastTheBuffer()
    {
        var random = new Random(Seed);
        byte[][] seeds = SeedFrames();
        var lengthFields = seeds.Select(seed => LayerWalker.Walk(seed).LengthFields).ToArray();
        var decoded = new Dictionary<string, int>();

        for (int i = 0; i < Iterations; i++)
        {
            int pick = random.Next(seeds.Length);
            byte[] frame = Mutate(seeds[pick], lengthFields[pick], random);
            try
            {
                var report = LayerWalker.Walk(frame);
                Count(decoded, report);
                AssertRewriteReadsBackTheSame(frame, report);
                DecodeAtEveryOffset(frame);
            }
            catch (Exception e) when (e is not XunitException)
            {
                throw new XunitException($"iteration {i} (seed frame {pick}) threw on {Convert.ToHexString(frame)}: {e}");
            }
        }

        // The mutations must leave plenty of frames decodable to the deepest layer, and break plenty of others.
        string[] expected = ["arp", "ipv4", "ipv6", "ipv6 upper layer", "udp", "tcp", "icmp", "icmp quote", "udp frame",
            "checksum good", "checksum bad", "no udp frame"];
        Assert.All(expected, key => Assert.True(decoded.GetValueOrDefault(key) > Iterations / 500, $"only {decoded.GetValueOrDefault(key)} frames reached '{key}'"));
    }

    [Fact]
    public void SeedFrames_AreValid()
    {
        foreach (byte[] seed in SeedFrames())
        {
            var report = LayerWalker.Walk(seed);
            bool udpFragment = report.IPv6UpperLayer is { IsFragment: true, Protocol: IpProtocol.Udp } && report.Udp is not null;
            Assert.True(report.Arp is not null || report.TransportChecksumValid == true || udpFragment, Convert.ToHexString(seed));
        }
    }

    private static void Count(Dictionary<string, int> decoded, LayerReport report)
    {
        void Add(string key, bool condition)
        {
            if (condition)
            {
                decoded[key] = decoded.GetValueOrDefault(key) + 1;
            }
        }
        Add("arp", report.Arp is not null);
        Add("ipv4", report.IPv4 is not null);
        Add("ipv6", report.IPv6 is not null);
        Add("ipv6 upper layer", report.IPv6UpperLayer is not null);
        Add("udp", report.Udp is not null);
        Add("tcp", report.Tcp is not null);
        Add("icmp", report.IcmpV4 is not null);
        Add("icmp quote", report.QuotedIPv4 is not null);
        Add("udp frame", report.UdpFrame is not null);
        Add("no udp frame", report.UdpFrame is null);
        Add("checksum good", report.TransportChecksumValid == true);
        Add("checksum bad", report.TransportChecksumValid == false);
    }

    /// <summary>One to three mutations: bit flips, truncation, a rewritten length field, a random byte, extra bytes.</summary>
    private static byte[] Mutate(byte[] seed, List<(int Offset, LengthFieldKind Kind)> lengthFields, Random random)
    {
        byte[] frame = (byte[])seed.Clone();
        int mutations = random.Next(1, 4);
        for (int m = 0; m < mutations && frame.Length > 0; m++)
        {
            switch (random.Next(5))
            {
                case 0:
                    for (int flips = random.Next(1, 9); flips > 0; flips--)
                    {
                        frame[random.Next(frame.Length)] ^= (byte)(1 << random.Next(8));
                    }
                    break;
                case 1:
                    frame = frame[..random.Next(frame.Length + 1)];
                    break;
                case 2 when lengthFields.Count > 0:
                    RewriteLengthField(frame, lengthFields[random.Next(lengthFields.Count)], random);
                    break;
                case 2:
                    RewriteLengthField(frame, (random.Next(frame.Length), LengthFieldKind.Word), random);
                    break;
                case 3:
                    frame[random.Next(frame.Length)] = (byte)random.Next(256);
                    break;
                default:
                    var extra = new byte[random.Next(1, 41)];
                    random.NextBytes(extra);
                    frame = [.. frame, .. extra];
                    break;
            }
        }
        return frame;
    }

    private static void RewriteLengthField(byte[] frame, (int Offset, LengthFieldKind Kind) field, Random random)
    {
        int width = field.Kind == LengthFieldKind.Word ? 2 : 1;
        if (field.Offset + width > frame.Length)
        {
            return;
        }
        // Boundary values near the real length are the interesting ones; random values cover the rest.
        int[] candidates = [0, 1, 4, 5, 7, 8, 15, 20, 40, 255, 0xFFFF, frame.Length - field.Offset, frame.Length - field.Offset + 1,
            frame.Length - field.Offset - 1, random.Next(0x10000)];
        int value = candidates[random.Next(candidates.Length)] & 0xFFFF;
        switch (field.Kind)
        {
            case LengthFieldKind.LowNibble:
                frame[field.Offset] = (byte)((frame[field.Offset] & 0xF0) | (value & 0x0F));
                break;
            case LengthFieldKind.HighNibble:
                frame[field.Offset] = (byte)((frame[field.Offset] & 0x0F) | ((value & 0x0F) << 4));
                break;
            case LengthFieldKind.Byte:
                frame[field.Offset] = (byte)value;
                break;
            default:
                frame[field.Offset] = (byte)(value >> 8);
                frame[field.Offset + 1] = (byte)value;
                break;
        }
    }

    /// <summary>Whatever a decoder accepted, its writer must reproduce: write the decoded header again and read it
    /// back, and every field must match, except those the writer derives (checksums, lengths of re-laid options).</summary>
    private static void AssertRewriteReadsBackTheSame(byte[] frame, LayerReport report)
    {
        var buffer = new byte[128];
        if (report.Ethernet is { } ethernet && ethernet.EtherType != EtherType.Vlan)
        {
            Assert.True(ethernet.TryWrite(buffer, out _));
            Assert.True(EthernetHeader.TryRead(buffer, out var again, out _));
            Assert.Equal(ethernet, again);
        }
        if (report.Arp is { } arp)
        {
            Assert.True(arp.TryWrite(buffer, out _));
            Assert.True(ArpPacket.TryRead(buffer, out var again, out _));
            Assert.Equal(arp, again);
        }
        if (report.IPv4 is { } ip)
        {
            var options = frame.AsSpan(report.NetworkOffset + IPv4Header.OptionsOffset, ip.OptionsLength);
            Assert.True(ip.TryWrite(buffer, options, out _));
            Assert.True(IPv4Header.TryRead(buffer, out var again, out _));
            Assert.Equal(ip with { HeaderChecksum = 0, HeaderChecksumValid = true }, again with { HeaderChecksum = 0 });
        }
        if (report.IPv6 is { } ipv6)
        {
            Assert.True(ipv6.TryWrite(buffer, out _));
            Assert.True(IPv6Header.TryRead(buffer, out var again, out _));
            Assert.Equal(ipv6, again);
        }
        if (report.Udp is { } udp)
        {
            Assert.True(udp.TryWrite(buffer, out _));
            Assert.True(UdpHeader.TryRead(buffer, out var again, out _));
            Assert.Equal(udp, again);
        }
        if (report.Tcp is { OptionsValid: true } tcp && tcp.GetWrittenLength() <= TcpHeader.MaximumLength)
        {
            Assert.True(tcp.TryWrite(buffer, out _));
            Assert.True(TcpHeader.TryRead(buffer, out var again, out _));
            Assert.Equal(tcp with { DataOffset = 0 }, again with { DataOffset = 0 });
        }
        if (report.IcmpV4 is { } icmp)
        {
            Assert.True(icmp.TryWrite(buffer, out _));
            Assert.True(IcmpV4Message.TryRead(buffer.AsSpan(0, IcmpV4Message.HeaderLength), out var again, out _));
            Assert.Equal(icmp with { Checksum = 0, ChecksumValid = true }, again with { Checksum = 0 });
        }
    }

    /// <summary>Runs every decoder on the frame at the offsets where headers usually start, whatever the type fields say.</summary>
    private static void DecodeAtEveryOffset(byte[] frame)
    {
        foreach (int offset in (int[])[0, 14, 18, 34, 38, 54])
        {
            if (offset > frame.Length)
            {
                continue;
            }
            var data = frame.AsSpan(offset);
            int limit = data.Length;
            AssertWithin(EthernetHeader.TryRead(data, out _, out int read), read, limit);
            AssertWithin(ArpPacket.TryRead(data, out _, out read), read, limit);
            AssertWithin(IPv4Header.TryRead(data, out _, out read), read, limit);
            AssertWithin(IPv6Header.TryRead(data, out _, out read), read, limit);
            if (IPv6Header.TryFindUpperLayer(data, out var upper))
            {
                Assert.InRange(upper.Offset, 40, limit);
            }
            AssertWithin(UdpHeader.TryRead(data, out _, out read), read, limit);
            AssertWithin(TcpHeader.TryRead(data, out _, out read), read, limit);
            AssertWithin(IcmpV4Message.TryRead(data, out _, out read), read, limit);
            var options = new TcpOptionReader(data[..Math.Min(40, limit)]);
            while (options.TryReadNext(out _, out var option))
            {
                Assert.InRange(option.Length, 0, 38);
            }
            TransportChecksum.VerifyIPv4(IPv4Address.Any, IPv4Address.Broadcast, IpProtocol.Udp, data);
            TransportChecksum.VerifyIPv6(IPv6Address.Any, IPv6Address.Loopback, IpProtocol.Udp, data);
            UdpFrame.TryParse(data, out _);
        }
    }

    private static void AssertWithin(bool success, int bytesRead, int available) =>
        Assert.InRange(bytesRead, success ? 1 : 0, success ? available : 0);
}
