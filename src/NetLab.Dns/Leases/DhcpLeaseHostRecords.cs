using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using NetLab.Dns.Zones;
using NetLab.Protocols.Dns;

namespace NetLab.Dns.Leases;

/// <summary>Serves <c>hostname.domain</c> A records from dhcp-server's lease journal (JSON Lines; the last line for
/// an address wins), as dnsmasq does for its own leases. Only active, unexpired leases with a hostname count.
/// The file is read again when its time stamp or size changes (checked at most once a second).</summary>
public sealed class DhcpLeaseHostRecords : IHostRecordSource
{
    /// <summary>Answers stay short-lived so a released lease disappears quickly from caches.</summary>
    private const uint MaxTtl = 60;

    private static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);

    private readonly string _path;
    private readonly string _domain;
    private readonly ILogger _logger;
    private readonly Func<DateTimeOffset> _clock;
    private readonly Lock _lock = new();
    private Dictionary<string, List<(IPAddress Address, long Expires)>> _hosts = new(StringComparer.Ordinal);
    private DateTime _lastWrite;
    private long _lastLength = -1;
    private DateTimeOffset _nextCheck;

    public DhcpLeaseHostRecords(string path, string domain, ILogger logger, Func<DateTimeOffset>? clock = null)
    {
        _path = path;
        _domain = DnsName.TryNormalize(domain, out string? normalized) ? normalized : throw new ArgumentException($"'{domain}' is not a domain name", nameof(domain));
        _logger = logger;
        _clock = clock ?? (() => DateTimeOffset.UtcNow);
    }

    public string Domain => _domain;

    public IReadOnlyList<DnsResourceRecord> Find(string name)
    {
        if (Zone.Parent(name) != _domain)
        {
            return [];
        }
        string host = name[..^(_domain.Length + (_domain.Length == 0 ? 0 : 1))];
        var hosts = Current();
        long now = _clock().ToUnixTimeSeconds();
        if (!hosts.TryGetValue(host, out var leases))
        {
            return [];
        }
        return [.. leases.Where(l => l.Expires > now)
            .Select(l => new DnsResourceRecord(name, DnsRecordType.A, DnsClass.IN, (uint)Math.Min(MaxTtl, l.Expires - now), new DnsAddressData(l.Address)))];
    }

    public bool Owns(string name) => Find(name).Count > 0;

    private Dictionary<string, List<(IPAddress Address, long Expires)>> Current()
    {
        lock (_lock)
        {
            var now = _clock();
            if (now < _nextCheck)
            {
                return _hosts;
            }
            _nextCheck = now + CheckInterval;
            var info = new FileInfo(_path);
            if (!info.Exists)
            {
                _hosts = new(StringComparer.Ordinal);
                _lastLength = -1;
                return _hosts;
            }
            if (info.LastWriteTimeUtc == _lastWrite && info.Length == _lastLength)
            {
                return _hosts;
            }
            _lastWrite = info.LastWriteTimeUtc;
            _lastLength = info.Length;
            _hosts = Load();
            return _hosts;
        }
    }

    private Dictionary<string, List<(IPAddress Address, long Expires)>> Load()
    {
        var byAddress = new Dictionary<string, (string? Host, string State, long Expires)>(StringComparer.Ordinal);
        int lineNumber = 0;
        try
        {
            // dhcp-server replaces the file atomically when it compacts; an append may be caught half-written.
            using var stream = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            while (reader.ReadLine() is { } line)
            {
                lineNumber++;
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }
                try
                {
                    using var json = JsonDocument.Parse(line);
                    var root = json.RootElement;
                    string? ip = root.GetProperty("ip").GetString();
                    string? host = root.TryGetProperty("hostname", out var h) && h.ValueKind == JsonValueKind.String ? h.GetString() : null;
                    string state = root.GetProperty("state").GetString() ?? "";
                    long expires = root.GetProperty("expires").GetInt64();
                    if (ip is not null)
                    {
                        byAddress[ip] = (host, state, expires);
                    }
                }
                catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
                {
                    _logger.LogWarning("{Path}:{Line}: skipped a lease line that is not a lease record ({Problem})", _path, lineNumber, e.Message);
                }
            }
        }
        catch (IOException e)
        {
            _logger.LogWarning("cannot read the lease file {Path}: {Problem}", _path, e.Message);
            return _hosts;
        }
        var hosts = new Dictionary<string, List<(IPAddress, long)>>(StringComparer.Ordinal);
        foreach (var (ip, lease) in byAddress)
        {
            if (lease.State != "active" || lease.Host is null || !IPAddress.TryParse(ip, out var address)
                || !DnsName.TryNormalize(lease.Host, out string? label) || label.Contains('.', StringComparison.Ordinal) || label.Length == 0)
            {
                continue;
            }
            if (!hosts.TryGetValue(label, out var list))
            {
                hosts[label] = list = [];
            }
            list.Add((address, lease.Expires));
        }
        _logger.LogInformation("lease file {Path}: {Count} host name(s) under {Domain}", _path, hosts.Count, DnsName.ToFqdn(_domain));
        return hosts;
    }
}
