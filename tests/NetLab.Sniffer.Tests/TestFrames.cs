using NetLab.Pcap;
using NetLab.Protocols.Addressing;
using NetLab.Protocols.Arp;
using NetLab.Protocols.Ethernet;
using NetLab.Protocols.Frames;
using NetLab.Protocols.IP;
using NetLab.Protocols.Transport;
using NetLab.Sniffer.Decoding;

namespace NetLab.Sniffer.Tests;

/// <summary>Frames built with NetLab.Protocols for the detector tests, and captures decoded from disk.</summary>
internal static class TestFrames
{
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    public static MacAddress Mac(int last) => new(0x0200_0000_0000UL | (uint)last);

    public static IPv4Address Ip(string text) => IPv4Address.Parse(text);

    public static byte[] Udp(int srcMac, string srcIp, ushort srcPort, int dstMac, string dstIp, ushort dstPort, byte[] payload) =>
        FrameBuilder.BuildUdp(Mac(srcMac), Mac(dstMac), Ip(srcIp), Ip(dstIp), srcPort, dstPort, payload);

    public static byte[] Arp(ArpOperation operation, int senderMac, string senderIp, int targetMac, string targetIp) =>
        FrameBuilder.BuildArp(Mac(senderMac), operation == ArpOperation.Request ? MacAddress.Broadcast : Mac(targetMac), new ArpPacket
        {
            Operation = operation,
            SenderMac = Mac(senderMac),
            SenderIp = Ip(senderIp),
            TargetMac = operation == ArpOperation.Request ? MacAddress.Zero : Mac(targetMac),
            TargetIp = Ip(targetIp),
        });

    public static byte[] Tcp(string srcIp, ushort srcPort, string dstIp, ushort dstPort, TcpFlags flags, uint seq, uint ack, byte[] payload)
    {
        var tcp = new TcpHeader
        {
            SourcePort = srcPort,
            DestinationPort = dstPort,
            Sequence = seq,
            Acknowledgment = ack,
            DataOffset = 5,
            Flags = flags,
            Window = 64240,
        };
        int tcpLength = tcp.GetWrittenLength();
        var frame = new byte[14 + 20 + tcpLength + payload.Length];
        new EthernetHeader { Destination = Mac(2), Source = Mac(1), EtherType = EtherType.IPv4 }.TryWrite(frame, out int offset);
        new IPv4Header
        {
            TotalLength = (ushort)(20 + tcpLength + payload.Length),
            Ttl = 64,
            Protocol = IpProtocol.Tcp,
            Source = Ip(srcIp),
            Destination = Ip(dstIp),
        }.TryWrite(frame.AsSpan(offset), out int ipLength);
        var segment = frame.AsSpan(offset + ipLength);
        tcp.TryWrite(segment, out _);
        payload.CopyTo(segment[tcpLength..]);
        TransportChecksum.FillIPv4(Ip(srcIp), Ip(dstIp), IpProtocol.Tcp, segment);
        return frame;
    }

    /// <summary>Decodes frames in order as the sniffer would, one second apart unless given.</summary>
    public static List<DecodedFrame> Decode(IEnumerable<byte[]> frames, bool detailed = true)
    {
        var decoder = new FrameDecoder(new DecoderOptions { Detailed = detailed });
        return frames.Select((data, i) => decoder.Decode(i + 1, Start.AddMilliseconds(i * 10), data.Length, data, LinkType.Ethernet)).ToList();
    }

    public static List<DecodedFrame> DecodeCapture(string path, bool detailed = true)
    {
        var decoder = new FrameDecoder(new DecoderOptions { Detailed = detailed });
        using var reader = PcapFileReader.Open(path);
        var frames = new List<DecodedFrame>();
        while (reader.TryReadNext(out var frame))
        {
            frames.Add(decoder.Decode(frames.Count + 1, frame.Timestamp, frame.OriginalLength, frame.Data.ToArray(), reader.LinkType));
        }
        return frames;
    }

    public static IEnumerable<string> CaptureFiles() =>
        Directory.EnumerateFiles(NetLab.Testing.Repo.TcpdumpCaptures)
            .Where(f => f.EndsWith(".pcap", StringComparison.Ordinal) || f.EndsWith(".pcapng", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
}
