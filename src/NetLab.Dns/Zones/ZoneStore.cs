using NetLab.Protocols.Dns;

namespace NetLab.Dns.Zones;

/// <summary>The zones a server is authoritative for, and the answering rules of RFC 1034 4.3.2 for them:
/// AA, CNAME chains inside the zone, referrals with NS and glue at delegations, NXDOMAIN and NODATA with the SOA
/// in the authority section (RFC 2308 3).</summary>
public sealed class ZoneStore
{
    /// <summary>Longest chain of CNAMEs followed inside a zone before giving up (a loop, or a silly zone).</summary>
    private const int MaxCnameChain = 16;

    private readonly Dictionary<string, Zone> _zones = new(StringComparer.Ordinal);

    public IReadOnlyCollection<Zone> Zones => _zones.Values;

    /// <summary>Extra address records for names of one domain (dhcp-server's leases, for example).</summary>
    public IHostRecordSource? HostRecords { get; set; }

    public void Add(Zone zone)
    {
        if (!_zones.TryAdd(zone.Origin, zone))
        {
            throw new ZoneFileException($"zone {DnsName.ToFqdn(zone.Origin)} is loaded twice");
        }
    }

    /// <summary>The closest enclosing zone of a (lower-case) name, or null when the name is outside every zone.</summary>
    public Zone? FindZone(string name)
    {
        for (string? current = name; current is not null; current = Zone.Parent(current))
        {
            if (_zones.TryGetValue(current, out var zone))
            {
                return zone;
            }
        }
        return null;
    }

    /// <summary>Fills <paramref name="response"/> when the question falls in one of the zones; false otherwise.</summary>
    public bool TryAnswer(DnsQuestion question, DnsMessage response) => TryAnswer(question, response, out _);

    /// <summary>Like <see cref="TryAnswer(DnsQuestion, DnsMessage)"/>; <paramref name="fixedAnswer"/> is false when the answer
    /// depends on data that changes while the server runs (host records of the lease file).</summary>
    public bool TryAnswer(DnsQuestion question, DnsMessage response, out bool fixedAnswer)
    {
        string name = question.Name.ToLowerInvariant();
        var zone = FindZone(name);
        fixedAnswer = true;
        if (zone is null)
        {
            return false;
        }
        fixedAnswer = HostRecords is null || !DnsName.IsSubdomainOf(HostRecords.Domain, zone.Origin);
        response.IsAuthoritative = true;
        var visited = new HashSet<string>(StringComparer.Ordinal);
        for (int chain = 0; ; chain++)
        {
            if (zone.FindDelegation(name) is { } cut)
            {
                Refer(zone, cut, response, chain);
                return true;
            }
            var records = RecordsAt(zone, name);
            if (records.Count == 0)
            {
                // RFC 6604 3: after a CNAME the RCODE describes the last name in the chain.
                bool exists = zone.Exists(name) || HostRecords?.Owns(name) == true;
                response.ResponseCode = exists ? DnsResponseCode.NoError : DnsResponseCode.NXDomain;
                AddNegativeSoa(zone, response);
                return true;
            }
            var cname = records.FirstOrDefault(r => r.Type == DnsRecordType.CNAME);
            if (cname is not null && question.Type is not (DnsRecordType.CNAME or DnsRecordType.ANY))
            {
                response.Answers.Add(cname);
                string target = ((DnsNameData)cname.Data).Target;
                // Targets outside this zone are left to the client's resolver, as NSD and Knot do.
                if (!visited.Add(name) || chain >= MaxCnameChain || !DnsName.IsSubdomainOf(target, zone.Origin) || visited.Contains(target))
                {
                    return true;
                }
                name = target;
                continue;
            }
            var matching = question.Type == DnsRecordType.ANY ? records : records.Where(r => r.Type == question.Type).ToList();
            if (matching.Count == 0)
            {
                AddNegativeSoa(zone, response);
                return true;
            }
            response.Answers.AddRange(matching);
            AddGlue(zone, matching, response);
            return true;
        }
    }

    private IReadOnlyList<DnsResourceRecord> RecordsAt(Zone zone, string name)
    {
        var records = zone.Find(name);
        if (HostRecords is null || records.Any(r => r.Type is DnsRecordType.CNAME or DnsRecordType.A))
        {
            return records;
        }
        var hosts = HostRecords.Find(name);
        return hosts.Count == 0 ? records : [.. records, .. hosts];
    }

    /// <summary>RFC 1034 4.3.2 step 3b: a referral is not authoritative; NS of the cut in authority, glue in additional.</summary>
    private static void Refer(Zone zone, string cut, DnsMessage response, int chain)
    {
        if (chain == 0)
        {
            response.IsAuthoritative = false;
        }
        var ns = zone.Find(cut).Where(r => r.Type == DnsRecordType.NS).ToList();
        response.Authorities.AddRange(ns);
        AddGlue(zone, ns, response);
    }

    /// <summary>Addresses of the names that NS, MX and SRV records point to, when this zone has them (RFC 1035 3.3.9, 4.3.2).</summary>
    private static void AddGlue(Zone zone, IEnumerable<DnsResourceRecord> records, DnsMessage response)
    {
        foreach (var record in records)
        {
            string? target = record.Data switch
            {
                DnsNameData n when record.Type == DnsRecordType.NS => n.Target,
                DnsMxData mx => mx.Exchange,
                DnsSrvData srv => srv.Target,
                _ => null,
            };
            if (target is null || !DnsName.IsSubdomainOf(target, zone.Origin))
            {
                continue;
            }
            foreach (var address in zone.Find(target.ToLowerInvariant()))
            {
                if (address.Type is DnsRecordType.A or DnsRecordType.AAAA && !response.Additionals.Contains(address) && !response.Answers.Contains(address))
                {
                    response.Additionals.Add(address);
                }
            }
        }
    }

    /// <summary>RFC 2308 3: the SOA goes in the authority section with TTL = min(SOA TTL, SOA MINIMUM).</summary>
    private static void AddNegativeSoa(Zone zone, DnsMessage response)
    {
        var soa = zone.Soa;
        uint minimum = ((DnsSoaData)soa.Data).Minimum;
        response.Authorities.Add(soa with { Ttl = Math.Min(soa.Ttl, minimum) });
    }
}

/// <summary>Address records that come from outside the zone files (dhcp-server's leases).</summary>
public interface IHostRecordSource
{
    /// <summary>The A records for a (lower-case) name, or an empty list.</summary>
    IReadOnlyList<DnsResourceRecord> Find(string name);

    /// <summary>True when the name has records now.</summary>
    bool Owns(string name);

    /// <summary>The domain the names live in (lower case).</summary>
    string Domain { get; }
}
