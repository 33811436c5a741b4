using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using NetLab.Dns.Leases;
using NetLab.Dns.Resolution;
using NetLab.Dns.Zones;
using NetLab.Protocols.Dns;

namespace NetLab.Dns.Server;

/// <summary>What dns-server's flags describe: zone files, single records, and the lease file for DHCP names.</summary>
public sealed class DnsServerConfiguration
{
    public DnsServerOptions Options { get; init; } = new();
    public IReadOnlyList<(string Origin, string Path)> ZoneFiles { get; init; } = [];
    public IReadOnlyList<string> Records { get; init; } = [];
    public string? DhcpLeasesPath { get; init; }
    public string Domain { get; init; } = "lab.test";
}

/// <summary>Loads the zones, starts the listeners, prints counters on SIGUSR1 and at exit.</summary>
public static class DnsServerHost
{
    /// <summary>Linux SIGUSR1; .NET accepts raw signal numbers for PosixSignalRegistration.</summary>
    private const int SigUsr1 = 10;

    /// <summary>The zones of a configuration. Records given alone (--record) outside every zone file go into a zone
    /// of their own: the lab domain if they are under it, otherwise their parent name. The lab domain also gets a
    /// zone when the lease file is served.</summary>
    public static ZoneStore BuildZones(DnsServerConfiguration configuration, ILogger logger)
    {
        var zoneRecords = new List<(string Origin, string Source, List<DnsResourceRecord> Records)>();
        foreach (var (origin, path) in configuration.ZoneFiles)
        {
            if (!DnsName.TryNormalize(origin, out string? apex))
            {
                throw new ZoneFileException(path, 0, $"'{origin}' is not a valid zone name (in --zone {origin}={path})");
            }
            zoneRecords.Add((apex, path, [.. MasterFileParser.ParseFile(path, apex)]));
        }
        DnsName.TryNormalize(configuration.Domain, out string? domain);
        foreach (string text in configuration.Records)
        {
            var record = MasterFileParser.ParseRecord(text);
            var homes = zoneRecords.Where(z => DnsName.IsSubdomainOf(record.Name, z.Origin)).OrderByDescending(z => z.Origin.Length).ToList();
            if (homes.Count == 0)
            {
                string origin = domain is not null && DnsName.IsSubdomainOf(record.Name, domain) ? domain : Zone.Parent(record.Name) ?? "";
                homes.Add((origin, "--record", [SyntheticSoa(origin)]));
                zoneRecords.Add(homes[0]);
            }
            homes[0].Records.Add(record);
        }
        if (configuration.DhcpLeasesPath is not null && domain is not null && !zoneRecords.Exists(z => z.Origin == domain))
        {
            zoneRecords.Add((domain, "--domain", [SyntheticSoa(domain)]));
        }
        var store = new ZoneStore();
        foreach (var (origin, source, records) in zoneRecords)
        {
            var zone = Zone.Create(origin, records, source);
            store.Add(zone);
            logger.LogInformation("zone {Zone}: {Count} records from {Source}", DnsName.ToFqdn(zone.Origin), zone.RecordCount, source);
        }
        if (configuration.DhcpLeasesPath is not null && domain is not null)
        {
            store.HostRecords = new DhcpLeaseHostRecords(configuration.DhcpLeasesPath, domain, logger);
        }
        return store;
    }

    private static DnsResourceRecord SyntheticSoa(string origin) =>
        new(origin, DnsRecordType.SOA, DnsClass.IN, 300,
            new DnsSoaData(origin.Length == 0 ? "ns" : "ns." + origin, origin.Length == 0 ? "hostmaster" : "hostmaster." + origin, 1, 3600, 900, 604800, 60));

    /// <summary>Runs until <paramref name="ct"/> is cancelled (SIGINT/SIGTERM in the host).</summary>
    public static async Task RunAsync(DnsServerConfiguration configuration, ILogger logger, TextWriter counterOutput, CancellationToken ct)
    {
        var options = configuration.Options;
        var zones = BuildZones(configuration, logger);
        var forwarder = options.Forwarders.Count > 0 ? new DnsForwarder(options.Forwarders, options.ForwardTimeout) : null;
        var counters = new DnsCounters();
        var processor = new DnsQueryProcessor(zones, new DnsCache(options.CacheSize), forwarder, options, counters, logger);
        await using var server = new DnsServer(options, processor, logger);
        server.Start();
        using var usr1 = PosixSignalRegistration.Create((PosixSignal)SigUsr1, context =>
        {
            context.Cancel = true;
            counterOutput.WriteLine("counters: " + counters);
            counterOutput.Flush();
        });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Normal shutdown.
        }
        counterOutput.WriteLine("counters: " + counters);
        counterOutput.Flush();
    }
}
