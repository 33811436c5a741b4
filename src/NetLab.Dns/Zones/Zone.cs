using NetLab.Protocols.Dns;

namespace NetLab.Dns.Zones;

/// <summary>The records of one zone, indexed by owner name (lower case). Checked when built: one SOA at the apex,
/// every owner inside the zone, no data beside a CNAME (RFC 1034 3.6.2).</summary>
public sealed class Zone
{
    private readonly Dictionary<string, List<DnsResourceRecord>> _nodes;
    private readonly HashSet<string> _names;

    private Zone(string origin, DnsResourceRecord soa, Dictionary<string, List<DnsResourceRecord>> nodes)
    {
        Origin = origin;
        Soa = soa;
        _nodes = nodes;
        // Empty non-terminals exist too (RFC 8020): a name with data below it answers NODATA, not NXDOMAIN.
        _names = [];
        foreach (string owner in nodes.Keys)
        {
            for (string? name = owner; name is not null && DnsName.IsSubdomainOf(name, origin); name = Parent(name))
            {
                if (!_names.Add(name))
                {
                    break;
                }
            }
        }
    }

    /// <summary>The apex, lower case, no trailing dot.</summary>
    public string Origin { get; }

    public DnsResourceRecord Soa { get; }

    public int RecordCount => _nodes.Values.Sum(n => n.Count);

    public IEnumerable<DnsResourceRecord> Records => _nodes.Values.SelectMany(n => n);

    /// <summary>Builds a zone; <paramref name="source"/> names the file (or flag) for error messages.</summary>
    public static Zone Create(string origin, IEnumerable<DnsResourceRecord> records, string source)
    {
        if (!DnsName.TryNormalize(origin, out string? apex))
        {
            throw new ZoneFileException(source, 0, $"'{origin}' is not a valid zone name");
        }
        var nodes = new Dictionary<string, List<DnsResourceRecord>>(StringComparer.Ordinal);
        foreach (var record in records)
        {
            if (!DnsName.TryNormalize(record.Name, out string? owner) || !DnsName.IsSubdomainOf(owner, apex))
            {
                throw new ZoneFileException(source, 0, $"record '{record}' is outside the zone {DnsName.ToFqdn(apex)}");
            }
            if (!nodes.TryGetValue(owner, out var node))
            {
                nodes[owner] = node = [];
            }
            if (!node.Contains(record))
            {
                node.Add(record with { Name = owner });
            }
        }
        foreach (var (owner, node) in nodes)
        {
            if (node.Any(r => r.Type == DnsRecordType.CNAME) && node.Any(r => r.Type != DnsRecordType.CNAME))
            {
                throw new ZoneFileException(source, 0, $"{DnsName.ToFqdn(owner)} has a CNAME and other data (RFC 1034 3.6.2 forbids that)");
            }
            if (node.Count(r => r.Type == DnsRecordType.CNAME) > 1)
            {
                throw new ZoneFileException(source, 0, $"{DnsName.ToFqdn(owner)} has more than one CNAME");
            }
            if (owner != apex && node.Any(r => r.Type == DnsRecordType.SOA))
            {
                throw new ZoneFileException(source, 0, $"SOA at {DnsName.ToFqdn(owner)} is not at the zone apex {DnsName.ToFqdn(apex)}");
            }
        }
        var soas = nodes.TryGetValue(apex, out var apexNode) ? apexNode.Where(r => r.Type == DnsRecordType.SOA).ToList() : [];
        if (soas.Count != 1)
        {
            throw new ZoneFileException(source, 0, soas.Count == 0
                ? $"zone {DnsName.ToFqdn(apex)} has no SOA record at its apex (add '@ IN SOA ns.{apex}. hostmaster.{apex}. 1 3600 900 604800 300')"
                : $"zone {DnsName.ToFqdn(apex)} has more than one SOA record");
        }
        return new Zone(apex, soas[0], nodes);
    }

    /// <summary>The records owned by <paramref name="name"/> (lower case), or an empty list.</summary>
    public IReadOnlyList<DnsResourceRecord> Find(string name) => _nodes.TryGetValue(name, out var node) ? node : [];

    /// <summary>True when the name owns records or has names below it.</summary>
    public bool Exists(string name) => _names.Contains(name);

    /// <summary>The delegation point (a name below the apex with NS records) at or above <paramref name="name"/>, if any.</summary>
    public string? FindDelegation(string name)
    {
        string? cut = null;
        for (string? current = name; current is not null && current.Length > Origin.Length; current = Parent(current))
        {
            if (_nodes.TryGetValue(current, out var node) && node.Exists(r => r.Type == DnsRecordType.NS))
            {
                // Keep climbing: the highest cut wins (records below it belong to the child zone).
                cut = current;
            }
        }
        return cut;
    }

    /// <summary>The parent name, or null above the root.</summary>
    public static string? Parent(string name)
    {
        if (name.Length == 0)
        {
            return null;
        }
        for (int i = 0; i < name.Length; i++)
        {
            if (name[i] == '\\')
            {
                i++;
            }
            else if (name[i] == '.')
            {
                return name[(i + 1)..];
            }
        }
        return "";
    }
}
