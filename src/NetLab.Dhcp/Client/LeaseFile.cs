using System.Text.Json;
using System.Text.Json.Serialization;
using NetLab.Protocols.Addressing;

namespace NetLab.Dhcp.Client;

/// <summary>The client's lease file: one JSON object (snake_case keys, addresses as dotted quads, times as
/// Unix seconds) that boot scripts read for the DNS server and domain, and that the client reads back on
/// restart for INIT-REBOOT. Written atomically (temporary file + rename) so a reader never sees half a lease.</summary>
public static class LeaseFile
{
    /// <summary>The lease as one line of JSON, the same document the lease file holds.</summary>
    public static string ToJson(DhcpLease lease, bool indented = false)
    {
        var document = LeaseDocument.From(lease);
        return indented
            ? JsonSerializer.Serialize(document, LeaseJsonContext.Indented.LeaseDocument)
            : JsonSerializer.Serialize(document, LeaseJsonContext.Default.LeaseDocument);
    }

    public static void Save(string path, DhcpLease lease)
    {
        string fullPath = Path.GetFullPath(path);
        string? directory = Path.GetDirectoryName(fullPath);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
        string temporary = fullPath + ".tmp";
        File.WriteAllText(temporary, ToJson(lease, indented: true) + "\n");
        File.Move(temporary, fullPath, overwrite: true);
    }

    /// <summary>Reads a saved lease; null when there is none, or when the file is not a lease this client wrote
    /// (the reason goes to <paramref name="error"/> so the caller can warn and start from INIT).</summary>
    public static DhcpLease? Load(string path, out string? error)
    {
        error = null;
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            var document = JsonSerializer.Deserialize(File.ReadAllText(path), LeaseJsonContext.Default.LeaseDocument);
            var lease = document?.ToLease(out error);
            if (lease is null)
            {
                error = $"lease file {path} is not usable: {error ?? "empty document"}";
            }
            return lease;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            error = $"lease file {path} is not usable: {e.Message}";
            return null;
        }
    }

    public static void Delete(string path)
    {
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }
}

/// <summary>The lease file's JSON shape; kept apart from <see cref="DhcpLease"/> so the file format stays plain
/// strings and numbers that shell scripts (jq, python) read without knowing NetLab's types.</summary>
internal sealed record LeaseDocument
{
    public string? Interface { get; init; }
    public string? Mac { get; init; }
    public string? Address { get; init; }
    public string? SubnetMask { get; init; }
    public int PrefixLength { get; init; }
    public IReadOnlyList<string> Routers { get; init; } = [];
    public IReadOnlyList<string> DnsServers { get; init; } = [];
    public string? Domain { get; init; }
    public string? Broadcast { get; init; }
    public string? Server { get; init; }
    public string? ServerMac { get; init; }
    public uint LeaseTime { get; init; }
    public uint RenewalTime { get; init; }
    public uint RebindingTime { get; init; }
    public long Acquired { get; init; }

    /// <summary>Unix seconds; null for an infinite lease.</summary>
    public long? Expires { get; init; }

    public static LeaseDocument From(DhcpLease lease) => new()
    {
        Interface = lease.Interface,
        Mac = lease.ClientMac.ToString(),
        Address = lease.Address.ToString(),
        SubnetMask = lease.SubnetMask.ToString(),
        PrefixLength = lease.PrefixLength,
        Routers = lease.Routers.Select(r => r.ToString()).ToList(),
        DnsServers = lease.DnsServers.Select(d => d.ToString()).ToList(),
        Domain = lease.DomainName,
        Broadcast = lease.BroadcastAddress?.ToString(),
        Server = lease.ServerIdentifier.ToString(),
        ServerMac = lease.ServerMac.ToString(),
        LeaseTime = lease.LeaseSeconds,
        RenewalTime = lease.RenewalSeconds,
        RebindingTime = lease.RebindingSeconds,
        Acquired = lease.Acquired.ToUnixTimeSeconds(),
        Expires = lease.IsInfinite ? null : lease.Expires.ToUnixTimeSeconds(),
    };

    public DhcpLease? ToLease(out string? error)
    {
        error = null;
        if (string.IsNullOrEmpty(Interface))
        {
            error = "no interface";
            return null;
        }
        if (!MacAddress.TryParse(Mac, out var mac) || !MacAddress.TryParse(ServerMac, out var serverMac))
        {
            error = "bad or missing mac/server_mac";
            return null;
        }
        if (!IPv4Address.TryParse(Address, out var address) || !IPv4Address.TryParse(SubnetMask, out var mask)
            || !IPv4Address.TryParse(Server, out var server))
        {
            error = "bad or missing address/subnet_mask/server";
            return null;
        }
        var routers = ParseAll(Routers);
        var dns = ParseAll(DnsServers);
        if (routers is null || dns is null)
        {
            error = "bad address in routers/dns_servers";
            return null;
        }
        IPv4Address? broadcast = null;
        if (Broadcast is not null)
        {
            if (!IPv4Address.TryParse(Broadcast, out var parsed))
            {
                error = "bad broadcast";
                return null;
            }
            broadcast = parsed;
        }
        return new DhcpLease
        {
            Interface = Interface,
            ClientMac = mac,
            Address = address,
            SubnetMask = mask,
            Routers = routers,
            DnsServers = dns,
            DomainName = Domain,
            BroadcastAddress = broadcast,
            ServerIdentifier = server,
            ServerMac = serverMac,
            LeaseSeconds = LeaseTime,
            RenewalSeconds = RenewalTime,
            RebindingSeconds = RebindingTime,
            Acquired = DateTimeOffset.FromUnixTimeSeconds(Acquired),
        };
    }

    private static List<IPv4Address>? ParseAll(IReadOnlyList<string> texts)
    {
        var result = new List<IPv4Address>(texts.Count);
        foreach (string text in texts)
        {
            if (!IPv4Address.TryParse(text, out var address))
            {
                return null;
            }
            result.Add(address);
        }
        return result;
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(LeaseDocument))]
internal sealed partial class LeaseJsonContext : JsonSerializerContext
{
    public static LeaseJsonContext Indented { get; } = new(new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true });
}
