using NetLab.Protocols.Addressing;

namespace NetLab.Sniffer.Decoding;

/// <summary>A captured frame after decoding: its layers (outermost first) and the facts the statistics and
/// alert detectors use. A malformed layer stops the walk; the layers before it stay. A reading loop may decode
/// the next frame into the same object (<see cref="FrameDecoder.Decode(DecodedFrame, long, DateTimeOffset, int, ReadOnlySpan{byte}, NetLab.Pcap.LinkType)"/>):
/// its byte buffer and layer objects are then reused, so nothing may keep a frame past its turn.</summary>
public sealed class DecodedFrame
{
    private byte[] _ownBytes = [];
    /// <summary><see cref="_ownBytes"/>, or the decoder's reused buffer while it decodes without keeping the bytes.</summary>
    private byte[] _data = [];
    private int _length;

    public long Number { get; private set; }
    public DateTimeOffset Timestamp { get; private set; }
    public int OriginalLength { get; private set; }
    /// <summary>The captured bytes (at most the snap length); empty when the decoder did not keep them (<see cref="DecoderOptions.KeepBytes"/>).</summary>
    public ReadOnlySpan<byte> Data => new(_data, 0, _length);
    public LayerStack Layers { get; } = new();

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
    /// <summary>The FTP control lines of the segment (empty for a continuation), or null when it is not FTP.</summary>
    public IReadOnlyList<FtpFacts>? Ftp { get; private set; }
    private readonly List<FtpFacts> _ftpLines = [];
    public AuthFacts? Auth { get; set; }

    /// <summary>Byte ranges holding secrets (an FTP PASS argument, an auth password) that --hex masks.</summary>
    public List<(int Start, int Length)>? SensitiveRanges { get; set; }

    public bool IsSensitive(int index) =>
        SensitiveRanges is { } ranges && ranges.Exists(r => index >= r.Start && index < r.Start + r.Length);

    /// <summary>The one-line summary of the innermost layers (tcpdump style, without time).</summary>
    public string Summary { get; set; } = "";

    /// <summary>"eth:ip:udp:dns" — the stack as tshark's frame.protocols names it.</summary>
    public string ProtocolPath { get; private set; } = "";

    /// <summary>Starts over as a new frame: copies the bytes (into <paramref name="sharedBuffer"/> when given, which
    /// <see cref="ReleaseSharedBuffer"/> gives back after decoding) and clears every layer and fact of the previous one.</summary>
    internal void Reset(long number, DateTimeOffset timestamp, int originalLength, ReadOnlySpan<byte> data, byte[]? sharedBuffer)
    {
        Number = number;
        Timestamp = timestamp;
        OriginalLength = originalLength;
        if (sharedBuffer is null && _ownBytes.Length < data.Length)
        {
            _ownBytes = new byte[Math.Max(data.Length, 2048)];
        }
        _data = sharedBuffer ?? _ownBytes;
        data.CopyTo(_data);
        _length = data.Length;
        Layers.Clear();
        SourceMac = DestinationMac = null;
        VlanId = null;
        Arp = null;
        SourceIp = DestinationIp = null;
        IpProtocol = -1;
        Ttl = 0;
        IsFragment = false;
        SourcePort = DestinationPort = 0;
        Tcp = null;
        TransportPayloadLength = 0;
        Dhcp = null;
        Dns = null;
        Ftp = null;
        Auth = null;
        SensitiveRanges = null;
        Summary = "";
        ProtocolPath = "";
        IsMalformed = false;
    }

    /// <summary>Lets go of the decoder's shared buffer once the frame is decoded: <see cref="Data"/> is empty from then on.</summary>
    internal void ReleaseSharedBuffer()
    {
        _data = _ownBytes;
        _length = 0;
    }

    /// <summary>Marks the frame as FTP and gives the list to add its lines to (the frame's own, reused).</summary>
    internal List<FtpFacts> StartFtpLines()
    {
        _ftpLines.Clear();
        Ftp = _ftpLines;
        return _ftpLines;
    }

    /// <summary>Appends a layer, reusing a layer object of an earlier frame when there is one.</summary>
    internal Layer AddLayer(string name, string title, int offset, int length) => Layers.Push(name, title, offset, length);

    /// <summary>True when a layer is truncated or malformed.</summary>
    public bool IsMalformed { get; private set; }

    /// <summary>Sets what the decoder works out once the walk is over, so that the analysing thread need not
    /// touch the layer objects (written on the decoding thread's core) for them.</summary>
    internal void Complete(string protocolPath)
    {
        ProtocolPath = protocolPath;
        IsMalformed = false;
        foreach (var layer in Layers)
        {
            IsMalformed |= layer.Status != LayerStatus.Ok;
        }
    }
}

/// <summary>A frame's layers, outermost first. The layer objects outlive the frame: the next frame decoded into the
/// same <see cref="DecodedFrame"/> resets and reuses them, so starting over clears nothing.</summary>
public sealed class LayerStack : IReadOnlyList<Layer>
{
    private Layer[] _items = new Layer[8];

    public int Count { get; private set; }

    public Layer this[int index] => (uint)index < (uint)Count ? _items[index] : throw new ArgumentOutOfRangeException(nameof(index));

    internal void Clear() => Count = 0;

    internal Layer Push(string name, string title, int offset, int length)
    {
        if (Count == _items.Length)
        {
            Array.Resize(ref _items, Count * 2);
        }
        var layer = _items[Count];
        if (layer is null)
        {
            _items[Count] = layer = new Layer(name, title, offset, length);
        }
        else
        {
            layer.Reset(name, title, offset, length);
        }
        Count++;
        return layer;
    }

    /// <summary>A struct enumerator, so that a foreach over the layers of every frame allocates nothing.</summary>
    public Enumerator GetEnumerator() => new(this);

    IEnumerator<Layer> IEnumerable<Layer>.GetEnumerator()
    {
        for (int i = 0; i < Count; i++)
        {
            yield return _items[i];
        }
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => ((IEnumerable<Layer>)this).GetEnumerator();

    public struct Enumerator(LayerStack stack)
    {
        private int _index = -1;

        public readonly Layer Current => stack._items[_index];

        public bool MoveNext() => ++_index < stack.Count;
    }
}
