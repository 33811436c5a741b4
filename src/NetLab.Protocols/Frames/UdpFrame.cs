using NetLab.Protocols.Addressing;
using NetLab.Protocols.Ethernet;
using NetLab.Protocols.IP;
using NetLab.Protocols.Transport;

namespace NetLab.Protocols.Frames;

/// <summary>An Ethernet (optionally 802.1Q tagged) / IPv4 / UDP frame, decoded in one step for programs that
/// receive UDP through a raw capture handle. Holds offsets into the frame, not a copy.</summary>
public readonly struct UdpFrame
{
    public EthernetHeader Ethernet { get; init; }
    public IPv4Header IPv4 { get; init; }
    public UdpHeader Udp { get; init; }

    public MacAddress SourceMac => Ethernet.Source;
    public MacAddress DestinationMac => Ethernet.Destination;
    public IPv4Address SourceIp => IPv4.Source;
    public IPv4Address DestinationIp => IPv4.Destination;
    public ushort SourcePort => Udp.SourcePort;
    public ushort DestinationPort => Udp.DestinationPort;

    /// <summary>Offset of the UDP payload from the start of the frame.</summary>
    public int PayloadOffset { get; init; }
    public int PayloadLength { get; init; }
    public bool IPv4ChecksumValid => IPv4.HeaderChecksumValid;
    /// <summary>The UDP checksum verified over the pseudo-header, or absent (zero), which RFC 768 allows.</summary>
    public bool UdpChecksumValid { get; init; }
    public bool ChecksumsValid => IPv4ChecksumValid && UdpChecksumValid;

    public ReadOnlySpan<byte> Payload(ReadOnlySpan<byte> frame) => frame.Slice(PayloadOffset, PayloadLength);

    /// <summary>Decodes the three headers. False for anything that is not IPv4/UDP, for a fragment (its UDP
    /// header is absent or incomplete), and whenever a length field points past the captured bytes. Bad
    /// checksums do not fail the parse; they show in <see cref="ChecksumsValid"/>. Ethernet padding after the
    /// IPv4 Total Length is ignored.</summary>
    public static bool TryParse(ReadOnlySpan<byte> frame, out UdpFrame udp)
    {
        udp = default;
        if (!EthernetHeader.TryRead(frame, out var ethernet, out int ipOffset) || ethernet.EtherType != EtherType.IPv4)
        {
            return false;
        }
        var ipBytes = frame[ipOffset..];
        if (!IPv4Header.TryRead(ipBytes, out var ip, out int ipHeaderLength)
            || ip.TotalLength > ipBytes.Length || ip.IsFragment || ip.Protocol != IpProtocol.Udp)
        {
            return false;
        }
        var segment = ipBytes[ipHeaderLength..ip.TotalLength];
        if (!UdpHeader.TryRead(segment, out var header, out int udpHeaderLength) || header.TotalLength > segment.Length)
        {
            return false;
        }
        udp = new UdpFrame
        {
            Ethernet = ethernet,
            IPv4 = ip,
            Udp = header,
            PayloadOffset = ipOffset + ipHeaderLength + udpHeaderLength,
            PayloadLength = header.PayloadLength,
            UdpChecksumValid = TransportChecksum.VerifyIPv4(ip.Source, ip.Destination, IpProtocol.Udp, segment[..header.TotalLength]),
        };
        return true;
    }
}
