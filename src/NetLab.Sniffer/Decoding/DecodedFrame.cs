using NetLab.Protocols.Addressing;

namespace NetLab.Sniffer.Decoding;

/// <summary>A captured frame after decoding: its layers (outermost first) and the facts the statistics and
/// alert detectors use. A malformed layer stops the walk; the layers before it stay.</summary>
public sealed class DecodedFrame
{
    public DecodedFrame(long number, DateTimeOffset timestamp, int originalLength, byte[] data)
    {
        Number = number;
        Timestamp = timestamp;
        OriginalLength = originalLength;
        Data = data;
    }

    public long Number { get; }
    public DateTimeOffset Timestamp { get; }
    public int OriginalLength { get; }
    public byte[] Data { get; }
    public List<Layer> Layers { get; } = [];

    public MacAddress? SourceMac { get; set; }
    public MacAddress? DestinationMac { get; set; }
    public ushort? VlanId { get; set; }
    public ArpFacts? Arp { get; set; }

    public NetAddress? SourceIp { get; set; }
    public NetAddress? DestinationIp { get; set; }
    /// <summary>IP protocol number of the transport (6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6), or -1.</summary>
    public int IpProtocol { get; set; } = -1;
    public byte Ttl { get; set; }
    public bool IsFragment { get; set; }

    public ushort SourcePort { get; set; }
    public ushort DestinationPort { get; set; }
    public TcpFacts? Tcp { get; set; }
    /// <summary>Bytes of transport payload (UDP data, TCP segment data).</summary>
    public int TransportPayloadLength { get; set; }

    public DhcpFacts? Dhcp { get; set; }
    public DnsFacts? Dns { get; set; }
    public IReadOnlyList<FtpFacts>? Ftp { get; set; }
    public AuthFacts? Auth { get; set; }

    /// <summary>Byte ranges holding secrets (an FTP PASS argument, an auth password) that --hex masks.</summary>
    public List<(int Start, int Length)>? SensitiveRanges { get; set; }

    public bool IsSensitive(int index) =>
        SensitiveRanges is { } ranges && ranges.Exists(r => index >= r.Start && index < r.Start + r.Length);

    /// <summary>The one-line summary of the innermost layers (tcpdump style, without time).</summary>
    public string Summary { get; set; } = "";

    /// <summary>"eth:ip:udp:dns" — the stack as tshark's frame.protocols names it.</summary>
    public string ProtocolPath => string.Join(':', Layers.Select(l => l.Name));

    public bool IsMalformed
    {
        get
        {
            foreach (var layer in Layers)
            {
                if (layer.Status != LayerStatus.Ok)
                {
                    return true;
                }
            }
            return false;
        }
    }
}
