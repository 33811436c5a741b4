namespace NetLab.Sniffer.Decoding;

/// <summary>Whether a layer decoded completely.</summary>
public enum LayerStatus
{
    Ok,
    /// <summary>The capture ends inside the header (snaplen or a cut frame).</summary>
    Truncated,
    /// <summary>The bytes are there but do not make a valid header.</summary>
    Malformed,
}

/// <summary>One header field as shown by --layers; <paramref name="Depth"/> nests sub-items (DNS records, DHCP options).</summary>
public readonly record struct LayerField(string Name, string Value, int Depth = 0);

/// <summary>One protocol layer of a frame: its name (as in tshark's frame.protocols), the bytes it spans
/// and, when the decoder was asked for detail, every header field.</summary>
public sealed class Layer
{
    private List<LayerField>? _fields;

    public Layer(string name, string title, int offset, int length)
    {
        Name = name;
        Title = title;
        Offset = offset;
        Length = length;
    }

    /// <summary>Short protocol name: eth, vlan, arp, ip, ipv6, icmp, icmpv6, udp, tcp, dhcp, dns, ftp, auth.</summary>
    public string Name { get; private set; }

    /// <summary>Human title for the tree, e.g. "Internet Protocol version 4".</summary>
    public string Title { get; private set; }

    public int Offset { get; private set; }

    /// <summary>Bytes of this layer's own header (the payload belongs to the next layer).</summary>
    public int Length { get; set; }

    public LayerStatus Status { get; private set; }

    /// <summary>What is wrong when <see cref="Status"/> is not Ok.</summary>
    public string? Problem { get; private set; }

    public IReadOnlyList<LayerField> Fields => (IReadOnlyList<LayerField>?)_fields ?? [];

    public void Add(string name, string value, int depth = 0) => (_fields ??= []).Add(new LayerField(name, value, depth));

    /// <summary>Makes this object a fresh layer (see <see cref="DecodedFrame.AddLayer"/>).</summary>
    internal void Reset(string name, string title, int offset, int length)
    {
        Name = name;
        Title = title;
        Offset = offset;
        Length = length;
        Status = LayerStatus.Ok;
        Problem = null;
        _fields?.Clear();
    }

    public void MarkBroken(LayerStatus status, string problem)
    {
        if (Status == LayerStatus.Ok)
        {
            Status = status;
            Problem = problem;
        }
    }
}
