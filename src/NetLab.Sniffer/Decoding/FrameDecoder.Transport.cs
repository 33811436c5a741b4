using System.Globalization;
using System.Text;
using NetLab.Protocols.IP;
using NetLab.Protocols.Transport;

namespace NetLab.Sniffer.Decoding;

public sealed partial class FrameDecoder
{
    private const ushort DhcpServerPort = 67, DhcpClientPort = 68;

    private void DecodeUdp(DecodedFrame frame, int offset, IpContext ip)
    {
        var span = frame.Data.Slice(offset, Math.Max(0, ip.PayloadEnd - offset));
        var layer = frame.AddLayer("udp", "User Datagram Protocol", offset, Math.Min(span.Length, UdpHeader.Length));
        if (!UdpHeader.TryRead(span, out var udp, out _))
        {
            TransportUnreadable(frame, layer, ip, "UDP", UdpHeader.Length, span.Length < UdpHeader.Length ? "shorter than a UDP header" : "length field under 8",
                "quoted header cut short");
            return;
        }
        int declaredEnd = offset + udp.TotalLength;
        int end = Math.Min(declaredEnd, ip.PayloadEnd);
        if (Detailed)
        {
            AddUdpFields(frame, layer, ip, udp, offset, declaredEnd);
        }
        if (ip.Quoted)
        {
            return;
        }
        frame.SourcePort = udp.SourcePort;
        frame.DestinationPort = udp.DestinationPort;
        int payloadLength = Math.Max(0, end - (offset + UdpHeader.Length));
        frame.TransportPayloadLength = Math.Max(0, udp.PayloadLength);
        AppendEndpoints(ip, udp.SourcePort, udp.DestinationPort);
        if (declaredEnd > ip.PayloadEnd && frame.Data.Length >= frame.OriginalLength)
        {
            layer.MarkBroken(LayerStatus.Malformed, $"length {udp.TotalLength} runs past the IP payload");
        }
        var payload = frame.Data.Slice(offset + UdpHeader.Length, payloadLength);
        if (IsPort(udp, DhcpServerPort) || IsPort(udp, DhcpClientPort))
        {
            if (payloadLength > 0)
            {
                DecodeDhcp(frame, offset + UdpHeader.Length, payload);
                return;
            }
        }
        else if (EitherHas(udp.SourcePort, udp.DestinationPort, PortRole.Dns))
        {
            if (payloadLength == 0)
            {
                _summary.Append("domain [length 0 < 12] (invalid)");
                return;
            }
            DecodeDns(frame, offset + UdpHeader.Length, payload, overTcp: false, udp.PayloadLength);
            return;
        }
        else if (payloadLength > 0 && LooksLikeDns(payload))
        {
            DecodeDns(frame, offset + UdpHeader.Length, payload, overTcp: false, udp.PayloadLength);
            return;
        }
        _summary.Append($"UDP, length {udp.PayloadLength}");
    }

    /// <summary>A transport header that cannot be read: marked broken, or only cut short (<paramref name="quotedProblem"/>)
    /// when quoted in an ICMP error, which carries its first eight bytes (RFC 792).</summary>
    private void TransportUnreadable(DecodedFrame frame, Layer layer, IpContext ip, string protocol, int needed, string problem, string quotedProblem)
    {
        if (ip.Quoted)
        {
            layer.MarkBroken(LayerStatus.Truncated, quotedProblem);
            return;
        }
        _summary.Append($"{ip.Source} > {ip.Destination}: {protocol}");
        Broken(frame, layer, needed, problem);
    }

    private static void AddUdpFields(DecodedFrame frame, Layer layer, IpContext ip, UdpHeader udp, int offset, int declaredEnd)
    {
        layer.Add("Source port", $"{udp.SourcePort}");
        layer.Add("Destination port", $"{udp.DestinationPort}");
        layer.Add("Length", $"{udp.TotalLength}");
        layer.Add("Checksum", ip.Quoted ? $"0x{udp.Checksum:x4}" : ChecksumText(frame, ip, IpProtocol.Udp, udp.Checksum, offset, declaredEnd));
    }

    private static bool IsPort(UdpHeader udp, ushort port) => udp.SourcePort == port || udp.DestinationPort == port;

    private void DecodeTcp(DecodedFrame frame, int offset, IpContext ip)
    {
        var span = frame.Data.Slice(offset, Math.Max(0, ip.PayloadEnd - offset));
        var layer = frame.AddLayer("tcp", "Transmission Control Protocol", offset, Math.Min(span.Length, TcpHeader.MinimumLength));
        if (!TcpHeader.TryRead(span, out var tcp, out int headerLength))
        {
            TransportUnreadable(frame, layer, ip, "TCP",
                span.Length >= 13 ? Math.Max(TcpHeader.MinimumLength, (span[12] >> 4) * 4) : TcpHeader.MinimumLength,
                span.Length >= 13 && (span[12] >> 4) < 5 ? $"data offset {span[12] >> 4} under 5" : "header cut short",
                "quoted header cut short (ICMP quotes 8 bytes)");
            return;
        }
        layer.Length = headerLength;
        int payloadLength = Math.Max(0, ip.PayloadEnd - offset - headerLength);
        if (Detailed)
        {
            AddTcpFields(frame, layer, ip, tcp, span[..headerLength], offset, payloadLength);
        }
        if (ip.Quoted)
        {
            return;
        }
        frame.SourcePort = tcp.SourcePort;
        frame.DestinationPort = tcp.DestinationPort;
        frame.TransportPayloadLength = payloadLength;
        frame.Tcp = new TcpFacts((byte)tcp.Flags, tcp.Sequence, tcp.Acknowledgment, tcp.Window, payloadLength);
        if (!tcp.OptionsValid)
        {
            layer.MarkBroken(LayerStatus.Malformed, "malformed options");
        }

        if (_summary.Enabled)
        {
            AppendTcpSummary(frame, ip, tcp, span[..headerLength], payloadLength);
        }
        if (payloadLength > 0)
        {
            DecodeTcpPayload(frame, tcp, offset + headerLength, payloadLength);
        }
    }

    private static void AddTcpFields(DecodedFrame frame, Layer layer, IpContext ip, in TcpHeader tcp, ReadOnlySpan<byte> header, int offset, int payloadLength)
    {
        layer.Add("Source port", $"{tcp.SourcePort}");
        layer.Add("Destination port", $"{tcp.DestinationPort}");
        layer.Add("Sequence number", $"{tcp.Sequence}");
        layer.Add("Acknowledgment number", $"{tcp.Acknowledgment}");
        layer.Add("Header length", $"{header.Length} bytes ({tcp.DataOffset})");
        layer.Add("Flags", $"0x{(ushort)tcp.Flags:x3} ({FlagNames(tcp.Flags)})");
        layer.Add("Window", $"{tcp.Window}");
        layer.Add("Checksum", ip.Quoted ? $"0x{tcp.Checksum:x4}" : ChecksumText(frame, ip, IpProtocol.Tcp, tcp.Checksum, offset, ip.PayloadEnd));
        layer.Add("Urgent pointer", $"{tcp.UrgentPointer}");
        if (header.Length > TcpHeader.MinimumLength)
        {
            layer.Add("Options", $"[{OptionsText(header[TcpHeader.MinimumLength..])}]{(tcp.OptionsValid ? "" : " (malformed)")}");
        }
        if (payloadLength > 0)
        {
            layer.Add("Payload", $"{payloadLength} bytes");
        }
    }

    /// <summary>tcpdump's TCP part of the line: endpoints, flags, seq (relative unless -S), ack, win, options, length.</summary>
    private void AppendTcpSummary(DecodedFrame frame, IpContext ip, TcpHeader tcp, ReadOnlySpan<byte> header, int payloadLength)
    {
        AppendEndpoints(ip, tcp.SourcePort, tcp.DestinationPort);
        uint seq = tcp.Sequence, ack = tcp.Acknowledgment;
        if (!Options.AbsoluteTcpSequence && tcp.HasFlag(TcpFlags.Ack))
        {
            (seq, ack) = _tcpBases.Relativize(frame.SourceIp!.Value, tcp.SourcePort, frame.DestinationIp!.Value, tcp.DestinationPort,
                seq, ack, tcp.HasFlag(TcpFlags.Syn));
        }
        _summary.Append("Flags [").Append(FlagLetters(tcp.Flags)).Append(']');
        if (payloadLength > 0 || (tcp.Flags & (TcpFlags.Syn | TcpFlags.Fin | TcpFlags.Rst)) != 0)
        {
            _summary.Append($", seq {seq}");
            if (payloadLength > 0)
            {
                _summary.Append($":{seq + (uint)payloadLength}");
            }
        }
        if (tcp.HasFlag(TcpFlags.Ack))
        {
            _summary.Append($", ack {ack}");
        }
        _summary.Append($", win {tcp.Window}");
        if (tcp.HasFlag(TcpFlags.Urg))
        {
            _summary.Append($", urg {tcp.UrgentPointer}");
        }
        if (header.Length > TcpHeader.MinimumLength)
        {
            _summary.Append(", options [").Append(OptionsText(header[TcpHeader.MinimumLength..])).Append(']');
        }
        _summary.Append($", length {payloadLength}");
    }

    private void DecodeTcpPayload(DecodedFrame frame, TcpHeader tcp, int offset, int length)
    {
        var payload = frame.Data.Slice(offset, length);
        if (EitherHas(tcp.SourcePort, tcp.DestinationPort, PortRole.Dns))
        {
            _summary.Append(' ');
            DecodeDns(frame, offset, payload, overTcp: true, 0);
        }
        else if (EitherHas(tcp.SourcePort, tcp.DestinationPort, PortRole.Ftp))
        {
            DecodeFtp(frame, offset, payload, fromClient: (_portRoles[tcp.DestinationPort] & PortRole.Ftp) != 0);
        }
        else if (EitherHas(tcp.SourcePort, tcp.DestinationPort, PortRole.Auth))
        {
            DecodeAuth(frame, offset, payload);
        }
    }

    /// <summary>tcpdump's letters in its order: F S R P . U E W (print-tcp.c tcp_flag_values).</summary>
    internal static string FlagLetters(TcpFlags flags)
    {
        if ((flags & ~TcpFlags.Ae) == TcpFlags.None)
        {
            return "none";
        }
        var text = new StringBuilder(8);
        Append(TcpFlags.Fin, 'F');
        Append(TcpFlags.Syn, 'S');
        Append(TcpFlags.Rst, 'R');
        Append(TcpFlags.Psh, 'P');
        Append(TcpFlags.Ack, '.');
        Append(TcpFlags.Urg, 'U');
        Append(TcpFlags.Ece, 'E');
        Append(TcpFlags.Cwr, 'W');
        return text.ToString();

        void Append(TcpFlags flag, char letter)
        {
            if ((flags & flag) != 0)
            {
                text.Append(letter);
            }
        }
    }

    private static string FlagNames(TcpFlags flags) =>
        flags == TcpFlags.None ? "none" : string.Join(", ", Enum.GetValues<TcpFlags>().Where(f => f != TcpFlags.None && (flags & f) != 0).Select(f => f.ToString().ToUpperInvariant()));

    /// <summary>The options in wire order, named as tcpdump names them (mss, sackOK, TS val/ecr, nop, wscale, sack, eol).</summary>
    internal static string OptionsText(ReadOnlySpan<byte> options)
    {
        var text = new StringBuilder(64);
        int i = 0;
        while (i < options.Length)
        {
            if (text.Length > 0)
            {
                text.Append(',');
            }
            var kind = (TcpOptionKind)options[i];
            if (kind == TcpOptionKind.EndOfOptionList)
            {
                text.Append("eol");
                break;
            }
            if (kind == TcpOptionKind.NoOperation)
            {
                text.Append("nop");
                i++;
                continue;
            }
            int length = i + 1 < options.Length ? options[i + 1] : 0;
            if (length < 2 || i + length > options.Length)
            {
                text.Append("bad opt");
                break;
            }
            var data = options.Slice(i + 2, length - 2);
            var be = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian;
            switch (kind)
            {
                case TcpOptionKind.MaximumSegmentSize when data.Length == 2:
                    text.Append(CultureInfo.InvariantCulture, $"mss {System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(data)}");
                    break;
                case TcpOptionKind.WindowScale when data.Length == 1:
                    text.Append(CultureInfo.InvariantCulture, $"wscale {data[0]}");
                    break;
                case TcpOptionKind.SackPermitted when data.Length == 0:
                    text.Append("sackOK");
                    break;
                case TcpOptionKind.Timestamps when data.Length == 8:
                    text.Append(CultureInfo.InvariantCulture, $"TS val {be(data)} ecr {be(data[4..])}");
                    break;
                case TcpOptionKind.Sack when data.Length % 8 == 0:
                    text.Append(CultureInfo.InvariantCulture, $"sack {data.Length / 8}");
                    for (int b = 0; b < data.Length; b += 8)
                    {
                        text.Append(CultureInfo.InvariantCulture, $" {{{be(data[b..])}:{be(data[(b + 4)..])}}}");
                    }
                    break;
                default:
                    text.Append((byte)kind == 34 ? "tfo" : "unknown-" + ((byte)kind).ToString(CultureInfo.InvariantCulture));
                    break;
            }
            i += length;
        }
        return text.ToString();
    }

    private void DecodeIcmp(DecodedFrame frame, int offset, IpContext ip)
    {
        var span = frame.Data.Slice(offset, Math.Max(0, ip.PayloadEnd - offset));
        var layer = frame.AddLayer("icmp", ip.Quoted ? "Internet Control Message Protocol (quoted)" : "Internet Control Message Protocol",
            offset, Math.Min(span.Length, IcmpV4Message.HeaderLength));
        if (!IcmpV4Message.TryRead(span, out var icmp, out _))
        {
            if (!ip.Quoted)
            {
                _summary.Append($"{ip.Source} > {ip.Destination}: ICMP");
                Broken(frame, layer, IcmpV4Message.HeaderLength, "shorter than an ICMP header");
            }
            else
            {
                layer.MarkBroken(LayerStatus.Truncated, "quoted header cut short");
            }
            return;
        }
        if (Detailed)
        {
            layer.Add("Type", $"{(byte)icmp.Type} ({IcmpTypeText(icmp)})");
            layer.Add("Code", $"{icmp.Code}");
            bool complete = frame.Data.Length >= frame.OriginalLength;
            layer.Add("Checksum", ip.Quoted ? $"0x{icmp.Checksum:x4}"
                : $"0x{icmp.Checksum:x4} [{(icmp.ChecksumValid ? "correct" : complete ? "INCORRECT" : "unverified: message not fully captured")}]");
            if (icmp.IsEcho)
            {
                layer.Add("Identifier", $"{icmp.Identifier}");
                layer.Add("Sequence", $"{icmp.Sequence}");
            }
            if (span.Length > IcmpV4Message.HeaderLength && !icmp.IsError)
            {
                layer.Add("Data", $"{span.Length - IcmpV4Message.HeaderLength} bytes");
            }
        }
        if (ip.Quoted)
        {
            return;
        }
        _summary.Append($"{ip.Source} > {ip.Destination}: ICMP ");
        if (icmp.IsEcho)
        {
            _summary.Append($"{IcmpTypeText(icmp)}, id {icmp.Identifier}, seq {icmp.Sequence}");
        }
        else if (icmp.Type == IcmpV4Type.DestinationUnreachable)
        {
            _summary.Append(UnreachableText(icmp, span[IcmpV4Message.HeaderLength..]));
        }
        else
        {
            _summary.Append(IcmpTypeText(icmp));
        }
        _summary.Append($", length {span.Length}");
        if (icmp.InnerPacketOffset is { } inner && span.Length > inner)
        {
            DecodeIPv4(frame, offset + inner, quoted: true);
        }
    }

    private static string IcmpTypeText(IcmpV4Message icmp) => icmp.Type switch
    {
        IcmpV4Type.EchoRequest => "echo request",
        IcmpV4Type.EchoReply => "echo reply",
        IcmpV4Type.DestinationUnreachable => "destination unreachable",
        IcmpV4Type.TimeExceeded => icmp.Code == 0 ? "time exceeded in-transit" : "ip reassembly time exceeded",
        IcmpV4Type.Redirect => $"redirect to {icmp.Gateway}",
        IcmpV4Type.SourceQuench => "source quench",
        IcmpV4Type.ParameterProblem => $"parameter problem - octet {icmp.Pointer}",
        IcmpV4Type.RouterAdvertisement => "router advertisement",
        IcmpV4Type.RouterSolicitation => "router solicitation",
        IcmpV4Type.Timestamp => "time stamp query",
        IcmpV4Type.TimestampReply => "time stamp reply",
        _ => $"type {(byte)icmp.Type}, code {icmp.Code}",
    };

    /// <summary>tcpdump's wording, naming what the quoted datagram was sent to.</summary>
    private static string UnreachableText(IcmpV4Message icmp, ReadOnlySpan<byte> quoted)
    {
        if (!IPv4Header.TryRead(quoted, out var inner, out int innerLength))
        {
            return $"unreachable code {icmp.Code}";
        }
        var code = (IcmpV4UnreachableCode)icmp.Code;
        var port = quoted.Length >= innerLength + 4 ? System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(quoted[(innerLength + 2)..]) : (ushort?)null;
        return code switch
        {
            IcmpV4UnreachableCode.NetUnreachable => $"net {inner.Destination} unreachable",
            IcmpV4UnreachableCode.HostUnreachable => $"host {inner.Destination} unreachable",
            IcmpV4UnreachableCode.ProtocolUnreachable => $"{inner.Destination} protocol {(byte)inner.Protocol} unreachable",
            IcmpV4UnreachableCode.PortUnreachable => $"{inner.Destination} {ProtocolName(inner.Protocol).ToLowerInvariant()} port {port} unreachable",
            IcmpV4UnreachableCode.FragmentationNeeded => $"{inner.Destination} unreachable - need to frag (mtu {icmp.NextHopMtu})",
            IcmpV4UnreachableCode.CommunicationAdministrativelyProhibited => $"host {inner.Destination} unreachable - admin prohibited filter",
            _ => $"{inner.Destination} unreachable (code {icmp.Code})",
        };
    }

    private void DecodeIcmpV6(DecodedFrame frame, int offset, IpContext ip)
    {
        var span = frame.Data.Slice(offset, Math.Max(0, ip.PayloadEnd - offset));
        var layer = frame.AddLayer("icmpv6", "Internet Control Message Protocol v6", offset, Math.Min(span.Length, 4));
        _summary.Append($"{ip.Source} > {ip.Destination}: ICMP6, ");
        if (span.Length < 4)
        {
            Broken(frame, layer, 4, "shorter than an ICMPv6 header");
            return;
        }
        byte type = span[0];
        string name = type switch
        {
            1 => "destination unreachable",
            2 => "packet too big",
            3 => "time exceeded in-transit",
            4 => "parameter problem",
            128 => "echo request",
            129 => "echo reply",
            133 => "router solicitation",
            134 => "router advertisement",
            135 => "neighbor solicitation",
            136 => "neighbor advertisement",
            137 => "redirect",
            143 => "multicast listener report v2",
            _ => $"type {type}",
        };
        if (Detailed)
        {
            ushort checksum = System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(span[2..]);
            layer.Add("Type", $"{type} ({name})");
            layer.Add("Code", $"{span[1]}");
            layer.Add("Checksum", ChecksumText(frame, ip, IpProtocol.IPv6Icmp, checksum, offset, ip.PayloadEnd));
        }
        _summary.Append(name);
        if (type is 135 or 136 && span.Length >= 24)
        {
            _summary.Append($", {(type == 135 ? "who has" : "tgt is")} {NetLab.Protocols.IP.IPv6Address.Read(span[8..])}");
        }
        _summary.Append($", length {span.Length}");
    }
}
