using System.Globalization;
using System.Runtime.CompilerServices;
using NetLab.Pcap;
using NetLab.Protocols.Addressing;
using NetLab.Protocols.Arp;
using NetLab.Protocols.Ethernet;

namespace NetLab.Sniffer.Decoding;

/// <summary>Turns captured bytes into a <see cref="DecodedFrame"/>: walks the link layer, ARP or IP, the
/// transport and the application protocol with NetLab.Protocols' codecs, builds a tcpdump-style summary and,
/// when detailed, every header field. A layer that cannot be read is marked Truncated or Malformed and the
/// walk stops there; nothing in here throws on bad input.</summary>
public sealed partial class FrameDecoder(DecoderOptions options)
{
    private readonly SummaryBuilder _summary = new() { Enabled = options.Summary };
    private readonly TcpSequenceBases _tcpBases = new();
    /// <summary>Distinct protocol stacks remembered (a fuzzed capture could make many).</summary>
    private const int MaxPaths = 1024;
    private readonly Dictionary<long, string> _paths = [];
    private readonly PortRole[] _portRoles = PortRolesOf(options);
    /// <summary>The bytes of the frame being decoded when they are not kept (<see cref="DecoderOptions.KeepBytes"/>).</summary>
    private byte[] _sharedBuffer = [];
    private readonly DecodeMemo<DnsFacts> _dnsMemo = new(MaxMemoEntries);
    private readonly DecodeMemo<FtpFacts> _ftpCommandMemo = new(MaxMemoEntries), _ftpReplyMemo = new(MaxMemoEntries);
    /// <summary>Distinct messages or lines remembered per protocol.</summary>
    private const int MaxMemoEntries = 4096;

    /// <summary>Which application protocols a port carries, per <see cref="DecoderOptions"/>.</summary>
    [Flags]
    private enum PortRole : byte
    {
        None = 0,
        Dns = 1,
        Ftp = 2,
        Auth = 4,
    }

    public DecoderOptions Options { get; } = options;

    private bool Detailed => Options.Detailed;

    public DecodedFrame Decode(long number, DateTimeOffset timestamp, int originalLength, ReadOnlySpan<byte> data, LinkType linkType) =>
        Decode(new DecodedFrame(), number, timestamp, originalLength, data, linkType);

    /// <summary>Decodes into <paramref name="frame"/>, reusing its buffer and layer objects from an earlier frame:
    /// a loop that recycles its frames then allocates almost nothing per frame.</summary>
    public DecodedFrame Decode(DecodedFrame frame, long number, DateTimeOffset timestamp, int originalLength, ReadOnlySpan<byte> data, LinkType linkType)
    {
        byte[]? shared = null;
        if (!Options.KeepBytes)
        {
            if (_sharedBuffer.Length < data.Length)
            {
                _sharedBuffer = new byte[Math.Max(data.Length, 65536)];
            }
            shared = _sharedBuffer;
        }
        frame.Reset(number, timestamp, originalLength, data, shared);
        _summary.Clear();
        switch (linkType)
        {
            case LinkType.Ethernet:
                DecodeEthernet(frame, 0);
                break;
            case LinkType.Null or LinkType.Loop:
                DecodeLoopback(frame, linkType);
                break;
            case LinkType.Raw or LinkType.IPv4 or LinkType.IPv6:
                DecodeIp(frame, 0, data.Length > 0 && (data[0] >> 4) == 6);
                break;
            case LinkType.LinuxSll:
                DecodeLinuxCooked(frame);
                break;
            default:
                _summary.Append($"unsupported link type {linkType}, length {originalLength}");
                break;
        }
        frame.Summary = _summary.ToString();
        frame.Complete(PathOf(frame));
        if (shared is not null)
        {
            frame.ReleaseSharedBuffer();
        }
        return frame;
    }

    /// <summary>Every port's roles in one table: the UDP and TCP decoders look a port up for every frame, which is
    /// then an array read instead of hashing into three sets.</summary>
    private static PortRole[] PortRolesOf(DecoderOptions options)
    {
        var roles = new PortRole[ushort.MaxValue + 1];
        foreach (var (ports, role) in new[] { (options.DnsPorts, PortRole.Dns), (options.FtpPorts, PortRole.Ftp), (options.AuthPorts, PortRole.Auth) })
        {
            foreach (ushort port in ports)
            {
                roles[port] |= role;
            }
        }
        return roles;
    }

    private bool EitherHas(ushort sourcePort, ushort destinationPort, PortRole role) => ((_portRoles[sourcePort] | _portRoles[destinationPort]) & role) != 0;

    /// <summary>The frame's protocol path, one string per distinct stack: keyed by the identities of the layer
    /// names (string literals) and checked name by name, so a lookup allocates nothing.</summary>
    private string PathOf(DecodedFrame frame)
    {
        long key = frame.Layers.Count;
        foreach (var layer in frame.Layers)
        {
            key = (key * 1_000_003) + RuntimeHelpers.GetHashCode(layer.Name);
        }
        if (_paths.TryGetValue(key, out string? path) && SamePath(frame, path))
        {
            return path;
        }
        if (_paths.Count >= MaxPaths)
        {
            _paths.Clear();
        }
        path = string.Join(':', frame.Layers.Select(l => l.Name));
        _paths[key] = path;
        return path;
    }

    private static bool SamePath(DecodedFrame frame, string path)
    {
        int at = 0;
        for (int i = 0; i < frame.Layers.Count; i++)
        {
            string name = frame.Layers[i].Name;
            if (i > 0)
            {
                if (at >= path.Length || path[at] != ':')
                {
                    return false;
                }
                at++;
            }
            if (string.CompareOrdinal(path, at, name, 0, name.Length) != 0)
            {
                return false;
            }
            at += name.Length;
        }
        return at == path.Length;
    }

    /// <summary>Marks a layer that could not be read: Truncated when the capture ended inside it, else Malformed.</summary>
    private void Broken(DecodedFrame frame, Layer layer, int needed, string what)
    {
        bool truncated = frame.Data.Length < frame.OriginalLength && layer.Offset + needed > frame.Data.Length;
        layer.MarkBroken(truncated ? LayerStatus.Truncated : LayerStatus.Malformed,
            truncated ? $"{what}: capture ends after {frame.Data.Length - layer.Offset} bytes" : what);
        _summary.Append(truncated ? $" [|{layer.Name}]" : $" [malformed {layer.Name}: {what}]");
    }

    private void DecodeEthernet(DecodedFrame frame, int offset)
    {
        var span = frame.Data[offset..];
        var layer = frame.AddLayer("eth", "Ethernet II", offset, Math.Min(span.Length, EthernetHeader.UntaggedLength));
        if (!EthernetHeader.TryRead(span, out var eth, out int headerLength))
        {
            Broken(frame, layer, EthernetHeader.TaggedLength, "shorter than an Ethernet header");
            return;
        }
        frame.SourceMac = eth.Source;
        frame.DestinationMac = eth.Destination;
        if (Detailed)
        {
            AddEthernetFields(layer, eth);
        }
        if (eth.VlanTci is { } tci)
        {
            DecodeVlan(frame, offset, eth.EtherType, tci);
        }
        DecodeEtherPayload(frame, offset + headerLength, eth.EtherType);
    }

    // The per-field texts below are split from the walk so that the walk, which runs for every frame, stays small
    // for the JIT and in the instruction cache when nothing shows the fields (--quiet).
    private static void AddEthernetFields(Layer layer, EthernetHeader eth)
    {
        layer.Add("Destination", Describe(eth.Destination));
        layer.Add("Source", Describe(eth.Source));
        layer.Add("Type", eth.VlanTci is null ? EtherTypeName(eth.EtherType) : "802.1Q Virtual LAN (0x8100)");
    }

    private void DecodeVlan(DecodedFrame frame, int offset, EtherType innerType, ushort tci)
    {
        var vlan = frame.AddLayer("vlan", "802.1Q Virtual LAN", offset + 14, 4);
        frame.VlanId = (ushort)(tci & 0x0FFF);
        if (Detailed)
        {
            vlan.Add("Priority", $"{tci >> 13}");
            vlan.Add("Drop eligible", $"{(tci >> 12) & 1}");
            vlan.Add("VLAN ID", $"{tci & 0x0FFF}");
            vlan.Add("Type", EtherTypeName(innerType));
        }
        _summary.Append($"vlan {tci & 0x0FFF}, p {tci >> 13}, ");
    }

    private void DecodeEtherPayload(DecodedFrame frame, int offset, EtherType type)
    {
        switch (type)
        {
            case EtherType.IPv4:
                DecodeIp(frame, offset, false);
                break;
            case EtherType.IPv6:
                DecodeIp(frame, offset, true);
                break;
            case EtherType.Arp:
                DecodeArp(frame, offset);
                break;
            default:
                _summary.Append((ushort)type < EthernetHeader.MinimumEtherType ? "802.3" : "ethertype " + EtherTypeName(type))
                    .Append($", length {frame.OriginalLength}");
                break;
        }
    }

    /// <summary>BSD loopback (DLT_NULL/DLT_LOOP): a 4-byte address family, host order for NULL, network order for LOOP.</summary>
    private void DecodeLoopback(DecodedFrame frame, LinkType linkType)
    {
        var layer = frame.AddLayer("null", "Null/Loopback", 0, 4);
        if (frame.Data.Length < 4)
        {
            Broken(frame, layer, 4, "shorter than the 4-byte loopback header");
            return;
        }
        uint family = linkType == LinkType.Loop
            ? System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(frame.Data)
            : System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(frame.Data);
        if ((family & 0xFFFF) == 0 && family != 0)
        {
            family >>= 24; // written in the other byte order
        }
        if (Detailed)
        {
            layer.Add("Family", family switch { 2 => "IP (2)", 24 or 28 or 30 => $"IPv6 ({family})", _ => $"{family}" });
        }
        if (family is 2 or 24 or 28 or 30)
        {
            DecodeIp(frame, 4, family != 2);
        }
        else
        {
            _summary.Append($"loopback family {family}, length {frame.OriginalLength}");
        }
    }

    /// <summary>Linux cooked capture v1 (tcpdump -i any): 16 bytes, protocol type at offset 14.</summary>
    private void DecodeLinuxCooked(DecodedFrame frame)
    {
        var layer = frame.AddLayer("sll", "Linux cooked capture v1", 0, 16);
        if (frame.Data.Length < 16)
        {
            Broken(frame, layer, 16, "shorter than the 16-byte cooked header");
            return;
        }
        var type = (EtherType)System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(frame.Data[14..]);
        if (Detailed)
        {
            layer.Add("Packet type", $"{System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(frame.Data)}");
            layer.Add("Protocol", EtherTypeName(type));
        }
        DecodeEtherPayload(frame, 16, type);
    }

    private void DecodeArp(DecodedFrame frame, int offset)
    {
        var span = frame.Data[offset..];
        var layer = frame.AddLayer("arp", "Address Resolution Protocol", offset, Math.Min(span.Length, ArpPacket.Length));
        _summary.Append("ARP, ");
        if (!ArpPacket.TryRead(span, out var arp, out _))
        {
            Broken(frame, layer, ArpPacket.Length, "not an Ethernet/IPv4 ARP packet");
            return;
        }
        frame.Arp = new ArpFacts((int)arp.Operation, arp.SenderMac, arp.SenderIp, arp.TargetMac, arp.TargetIp);
        if (Detailed)
        {
            AddArpFields(layer, arp);
        }
        if (_summary.Enabled)
        {
            // The length tcpdump prints is the ARP payload captured (28 plus any padding).
            AppendArpSummary(arp, frame.OriginalLength - offset);
        }
    }

    private static void AddArpFields(Layer layer, ArpPacket arp)
    {
        layer.Add("Hardware type", "Ethernet (1)");
        layer.Add("Protocol type", "IPv4 (0x0800)");
        layer.Add("Opcode", $"{OperationName(arp.Operation)} ({(int)arp.Operation})");
        layer.Add("Sender MAC", Describe(arp.SenderMac));
        layer.Add("Sender IP", arp.SenderIp.ToString());
        layer.Add("Target MAC", Describe(arp.TargetMac));
        layer.Add("Target IP", arp.TargetIp.ToString());
        if (arp.IsGratuitous)
        {
            layer.Add("Gratuitous", "yes (sender IP = target IP)");
        }
    }

    private void AppendArpSummary(ArpPacket arp, int length)
    {
        switch (arp.Operation)
        {
            case ArpOperation.Request:
                _summary.Append($"Request who-has {arp.TargetIp}");
                if (!arp.TargetMac.Equals(MacAddress.Zero))
                {
                    _summary.Append($" ({arp.TargetMac})");
                }
                _summary.Append($" tell {arp.SenderIp}, length {length}");
                break;
            case ArpOperation.Reply:
                _summary.Append($"Reply {arp.SenderIp} is-at {arp.SenderMac}, length {length}");
                break;
            default:
                _summary.Append($"{OperationName(arp.Operation)} {arp.SenderIp} ({arp.SenderMac}) to {arp.TargetIp}, length {length}");
                break;
        }
    }

    private static string OperationName(ArpOperation operation) => operation switch
    {
        ArpOperation.Request => "request",
        ArpOperation.Reply => "reply",
        ArpOperation.ReverseRequest => "reverse request",
        ArpOperation.ReverseReply => "reverse reply",
        _ => $"opcode {(int)operation}",
    };

    private static string Describe(MacAddress mac) => mac.IsBroadcast ? $"{mac} (broadcast)" : mac.IsMulticast ? $"{mac} (multicast)" : mac.ToString();

    internal static string EtherTypeName(EtherType type) =>
        Enum.IsDefined(type) ? $"{type} (0x{(ushort)type:x4})" : $"Unknown (0x{(ushort)type:x4})";
}
