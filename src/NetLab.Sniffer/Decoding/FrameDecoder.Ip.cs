using System.Globalization;
using NetLab.Protocols.Addressing;
using NetLab.Protocols.IP;
using NetLab.Protocols.Transport;

namespace NetLab.Sniffer.Decoding;

public sealed partial class FrameDecoder
{
    /// <summary>Where a transport segment sits and which addresses its pseudo-header checksum covers.</summary>
    private readonly record struct IpContext(bool IsV6, IPv4Address Source4, IPv4Address Destination4,
        IPv6Address Source6, IPv6Address Destination6, int PayloadEnd, bool Quoted)
    {
        public string Source => IsV6 ? Source6.ToString() : Source4.ToString();
        public string Destination => IsV6 ? Destination6.ToString() : Destination4.ToString();

        public bool VerifyChecksum(IpProtocol protocol, ReadOnlySpan<byte> segment) => IsV6
            ? TransportChecksum.VerifyIPv6(Source6, Destination6, protocol, segment)
            : TransportChecksum.VerifyIPv4(Source4, Destination4, protocol, segment);
    }

    private void DecodeIp(DecodedFrame frame, int offset, bool isV6)
    {
        if (isV6)
        {
            DecodeIPv6(frame, offset);
        }
        else
        {
            DecodeIPv4(frame, offset, quoted: false);
        }
    }

    private void DecodeIPv4(DecodedFrame frame, int offset, bool quoted)
    {
        var span = frame.Data[offset..];
        var layer = frame.AddLayer("ip", quoted ? "Internet Protocol version 4 (quoted in ICMP)" : "Internet Protocol version 4",
            offset, Math.Min(span.Length, IPv4Header.MinimumLength));
        if (!IPv4Header.TryRead(span, out var ip, out int headerLength))
        {
            IPv4Unreadable(frame, layer, span, quoted);
            return;
        }
        layer.Length = headerLength;
        int end = offset + Math.Min(ip.TotalLength, span.Length);
        if (Detailed)
        {
            AddIPv4Fields(layer, ip, headerLength);
        }
        if (quoted)
        {
            if (!ip.IsFragment || ip.FragmentOffset == 0)
            {
                DecodeTransport(frame, offset + headerLength, ip.Protocol,
                    new IpContext(false, ip.Source, ip.Destination, default, default, end, true));
            }
            return;
        }

        frame.SourceIp = NetAddress.FromIPv4(ip.Source);
        frame.DestinationIp = NetAddress.FromIPv4(ip.Destination);
        frame.IpProtocol = (byte)ip.Protocol;
        frame.Ttl = ip.Ttl;
        frame.IsFragment = ip.IsFragment;
        _summary.Append("IP ");
        if (ip.TotalLength > span.Length && frame.Data.Length >= frame.OriginalLength)
        {
            layer.MarkBroken(LayerStatus.Malformed, $"total length {ip.TotalLength} exceeds the {span.Length} bytes in the frame");
        }
        if (ip.FragmentOffset != 0)
        {
            AppendFragment(ip);
            return;
        }
        DecodeTransport(frame, offset + headerLength, ip.Protocol, new IpContext(false, ip.Source, ip.Destination, default, default, end, false));
    }

    private void IPv4Unreadable(DecodedFrame frame, Layer layer, ReadOnlySpan<byte> span, bool quoted)
    {
        if (quoted)
        {
            layer.MarkBroken(LayerStatus.Truncated, "quoted header cut short");
            return;
        }
        _summary.Append("IP");
        Broken(frame, layer, span.Length >= 1 ? Math.Max(IPv4Header.MinimumLength, (span[0] & 0x0F) * 4) : IPv4Header.MinimumLength,
            span.Length >= 1 && (span[0] >> 4) != 4 ? $"version {span[0] >> 4}, not 4" : "bad header length");
    }

    private static void AddIPv4Fields(Layer layer, IPv4Header ip, int headerLength)
    {
        layer.Add("Version", "4");
        layer.Add("Header length", $"{headerLength} bytes ({headerLength / 4})");
        layer.Add("DSCP", $"{ip.Dscp}");
        layer.Add("ECN", $"{ip.Ecn}");
        layer.Add("Total length", $"{ip.TotalLength}");
        layer.Add("Identification", $"0x{ip.Identification:x4} ({ip.Identification})");
        layer.Add("Flags", ip.DontFragment ? "DF" : ip.MoreFragments ? "MF" : "none");
        layer.Add("Fragment offset", $"{ip.FragmentOffsetBytes}");
        layer.Add("Time to live", $"{ip.Ttl}");
        layer.Add("Protocol", $"{ProtocolName(ip.Protocol)} ({(byte)ip.Protocol})");
        layer.Add("Header checksum", $"0x{ip.HeaderChecksum:x4} [{(ip.HeaderChecksumValid ? "correct" : "INCORRECT")}]");
        layer.Add("Source", ip.Source.ToString());
        layer.Add("Destination", ip.Destination.ToString());
        if (ip.OptionsLength > 0)
        {
            layer.Add("Options", $"{ip.OptionsLength} bytes");
        }
    }

    private void AppendFragment(IPv4Header ip) => _summary.Append(
        $"{ip.Source} > {ip.Destination}: ip-proto-{(byte)ip.Protocol} (frag {ip.Identification}:{ip.PayloadLength}@{ip.FragmentOffsetBytes}{(ip.MoreFragments ? "+" : "")})");

    private void DecodeIPv6(DecodedFrame frame, int offset)
    {
        var span = frame.Data[offset..];
        var layer = frame.AddLayer("ipv6", "Internet Protocol version 6", offset, Math.Min(span.Length, IPv6Header.Length));
        if (!IPv6Header.TryRead(span, out var ip, out _))
        {
            _summary.Append("IP6");
            Broken(frame, layer, IPv6Header.Length, span.Length >= 1 && (span[0] >> 4) != 6 ? $"version {span[0] >> 4}, not 6" : "short header");
            return;
        }
        if (Detailed)
        {
            AddIPv6Fields(layer, ip);
        }
        Span<byte> address = stackalloc byte[16];
        ip.Source.Write(address);
        frame.SourceIp = NetAddress.FromIPv6(address);
        ip.Destination.Write(address);
        frame.DestinationIp = NetAddress.FromIPv6(address);
        frame.Ttl = ip.HopLimit;
        _summary.Append("IP6 ");
        int end = offset + Math.Min(IPv6Header.Length + ip.PayloadLength, span.Length);
        if (!IPv6Header.TryFindUpperLayer(span, out var upper))
        {
            _summary.Append($"{ip.Source} > {ip.Destination}:");
            Broken(frame, layer, IPv6Header.Length + ip.PayloadLength, "extension header chain cut short or too long");
            return;
        }
        layer.Length = upper.Offset;
        if (Detailed && upper.ExtensionHeaderCount > 0)
        {
            layer.Add("Extension headers", $"{upper.ExtensionHeaderCount} ({upper.Offset - IPv6Header.Length} bytes)");
        }
        frame.IpProtocol = (byte)upper.Protocol;
        frame.IsFragment = upper.IsFragment;
        if (!upper.HasUpperLayerHeader)
        {
            _summary.Append($"{ip.Source} > {ip.Destination}: {ProtocolName(upper.Protocol)}");
            return;
        }
        DecodeTransport(frame, offset + upper.Offset, upper.Protocol, new IpContext(true, default, default, ip.Source, ip.Destination, end, false));
    }

    private static void AddIPv6Fields(Layer layer, IPv6Header ip)
    {
        layer.Add("Version", "6");
        layer.Add("Traffic class", $"0x{ip.TrafficClass:x2}");
        layer.Add("Flow label", $"0x{ip.FlowLabel:x5}");
        layer.Add("Payload length", $"{ip.PayloadLength}");
        layer.Add("Next header", $"{ProtocolName(ip.NextHeader)} ({(byte)ip.NextHeader})");
        layer.Add("Hop limit", $"{ip.HopLimit}");
        layer.Add("Source", ip.Source.ToString());
        layer.Add("Destination", ip.Destination.ToString());
    }

    private void DecodeTransport(DecodedFrame frame, int offset, IpProtocol protocol, IpContext ip)
    {
        switch (protocol)
        {
            case IpProtocol.Udp:
                DecodeUdp(frame, offset, ip);
                break;
            case IpProtocol.Tcp:
                DecodeTcp(frame, offset, ip);
                break;
            case IpProtocol.Icmp when !ip.IsV6:
                DecodeIcmp(frame, offset, ip);
                break;
            case IpProtocol.IPv6Icmp when ip.IsV6:
                DecodeIcmpV6(frame, offset, ip);
                break;
            default:
                if (!ip.Quoted)
                {
                    _summary.Append($"{ip.Source} > {ip.Destination}: {ProtocolName(protocol)}, length {Math.Max(0, ip.PayloadEnd - offset)}");
                }
                break;
        }
    }

    /// <summary>"src.port > dst.port: " as tcpdump -n prints it.</summary>
    private void AppendEndpoints(IpContext ip, ushort sourcePort, ushort destinationPort) =>
        _summary.Append($"{ip.Source}.{sourcePort} > {ip.Destination}.{destinationPort}: ");

    /// <summary>The checksum field with its verdict; a segment cut by the snap length cannot be checked.</summary>
    private static string ChecksumText(DecodedFrame frame, IpContext ip, IpProtocol protocol, ushort checksum, int offset, int declaredEnd)
    {
        if (declaredEnd > frame.Data.Length || declaredEnd < offset)
        {
            return $"0x{checksum:x4} [unverified: segment not fully captured]";
        }
        if (protocol == IpProtocol.Udp && checksum == 0 && !ip.IsV6)
        {
            return "0x0000 [none]";
        }
        bool valid = ip.VerifyChecksum(protocol, frame.Data.Slice(offset, declaredEnd - offset));
        // Frames a host sends are captured before the NIC fills in offloaded checksums, so a wrong value is shown, not treated as malformed.
        return $"0x{checksum:x4} [{(valid ? "correct" : "INCORRECT (or offloaded to the NIC)")}]";
    }

    private static string ProtocolName(IpProtocol protocol) => protocol switch
    {
        IpProtocol.Icmp => "ICMP",
        IpProtocol.Tcp => "TCP",
        IpProtocol.Udp => "UDP",
        IpProtocol.IPv6Icmp => "ICMPv6",
        _ when Enum.IsDefined(protocol) => protocol.ToString(),
        _ => $"ip-proto-{(byte)protocol}",
    };
}
