using System.CommandLine;
using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging;
using NetLab.Dns.Client;
using NetLab.Dns.Server;
using NetLab.Dns.Zones;

var listen = new Option<string[]>("--listen") { Description = "Address and port to serve on (UDP and TCP), repeatable. Default 0.0.0.0:53.", AllowMultipleArgumentsPerToken = false };
var zone = new Option<string[]>("--zone") { Description = "Authoritative zone from an RFC 1035 master file: NAME=PATH, e.g. lab.test=zones/lab.test.zone. Repeatable." };
var record = new Option<string[]>("--record") { Description = "One record in master-file form with absolute names, e.g. \"ftp.lab.test A 192.168.10.1\". Repeatable." };
var forward = new Option<string[]>("--forward") { Description = "Upstream resolver IP[:PORT] for names outside the zones, repeatable (tried in turn on failure)." };
var allowRecursion = new Option<string[]>("--allow-recursion") { Description = "CIDR of clients that may use forwarding, repeatable. Default 127.0.0.0/8, ::1, 192.168.10.0/24." };
var cacheSize = new Option<int>("--cache-size") { Description = "Forwarded answers kept in the cache (0 turns it off).", DefaultValueFactory = _ => 10_000 };
var workers = new Option<int>("--workers") { Description = "UDP worker threads per listening address.", DefaultValueFactory = _ => Environment.ProcessorCount };
var forwardTimeout = new Option<int>("--forward-timeout") { Description = "Milliseconds to wait for an upstream before trying the next.", DefaultValueFactory = _ => 2000 };
var tcpIdle = new Option<int>("--tcp-idle-timeout") { Description = "Seconds an idle TCP connection stays open (RFC 7766).", DefaultValueFactory = _ => 10 };
var maxUdp = new Option<int>("--max-udp-size") { Description = "Largest UDP response in bytes even if the client offers more (EDNS0).", DefaultValueFactory = _ => 1232 };
var leases = new Option<string?>("--dhcp-leases") { Description = "dhcp-server's lease file: serve HOSTNAME.DOMAIN A records for active leases." };
var domain = new Option<string>("--domain") { Description = "Domain of the DHCP host names.", DefaultValueFactory = _ => "lab.test" };
var logLevel = new Option<LogLevel>("--log-level") { Description = "Trace, Debug (one line per query), Information, Warning, Error.", DefaultValueFactory = _ => LogLevel.Information };

var root = new RootCommand("dns-server: authoritative DNS for the lab zones, forwarding with a cache for lab clients, over UDP and TCP.")
{
    listen, zone, record, forward, allowRecursion, cacheSize, workers, forwardTimeout, tcpIdle, maxUdp, leases, domain, logLevel,
};

root.SetAction(async (parseResult, ct) =>
{
    var errors = new List<string>();
    var listenEndpoints = ParseEndpoints(parseResult.GetValue(listen), "--listen", errors);
    var forwarders = ParseEndpoints(parseResult.GetValue(forward), "--forward", errors);
    var recursionClients = new List<AddressRange>();
    foreach (string text in parseResult.GetValue(allowRecursion) ?? [])
    {
        if (AddressRange.TryParse(text, out var range))
        {
            recursionClients.Add(range);
        }
        else
        {
            errors.Add($"--allow-recursion '{text}' is not an address or CIDR block (e.g. 192.168.10.0/24)");
        }
    }
    var zoneFiles = new List<(string, string)>();
    foreach (string text in parseResult.GetValue(zone) ?? [])
    {
        int equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0 || equals == text.Length - 1)
        {
            errors.Add($"--zone '{text}' must be NAME=PATH, e.g. lab.test=zones/lab.test.zone");
            continue;
        }
        zoneFiles.Add((text[..equals], text[(equals + 1)..]));
    }
    CheckRange(parseResult.GetValue(workers), 1, 256, "--workers", errors);
    CheckRange(parseResult.GetValue(cacheSize), 0, 10_000_000, "--cache-size", errors);
    CheckRange(parseResult.GetValue(forwardTimeout), 10, 60_000, "--forward-timeout", errors);
    CheckRange(parseResult.GetValue(tcpIdle), 1, 3600, "--tcp-idle-timeout", errors);
    CheckRange(parseResult.GetValue(maxUdp), 512, 65535, "--max-udp-size", errors);
    if (errors.Count > 0)
    {
        foreach (string error in errors)
        {
            Console.Error.WriteLine("dns-server: " + error);
        }
        return 2;
    }
    var configuration = new DnsServerConfiguration
    {
        Options = new DnsServerOptions
        {
            Listen = listenEndpoints.Count > 0 ? listenEndpoints : [new IPEndPoint(IPAddress.Any, 53)],
            Forwarders = forwarders,
            RecursionClients = recursionClients.Count > 0 ? recursionClients : DnsServerOptions.DefaultRecursionClients,
            CacheSize = parseResult.GetValue(cacheSize),
            Workers = parseResult.GetValue(workers),
            ForwardTimeout = TimeSpan.FromMilliseconds(parseResult.GetValue(forwardTimeout)),
            TcpIdleTimeout = TimeSpan.FromSeconds(parseResult.GetValue(tcpIdle)),
            MaxUdpPayload = (ushort)parseResult.GetValue(maxUdp),
        },
        ZoneFiles = zoneFiles,
        Records = parseResult.GetValue(record) ?? [],
        DhcpLeasesPath = parseResult.GetValue(leases),
        Domain = parseResult.GetValue(domain) ?? "lab.test",
    };
    using var loggerFactory = LoggerFactory.Create(builder => builder
        .SetMinimumLevel(parseResult.GetValue(logLevel))
        .AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss.fff "; })
        .AddFilter("Microsoft", LogLevel.Warning));
    var logger = loggerFactory.CreateLogger("dns-server");
    try
    {
        await DnsServerHost.RunAsync(configuration, logger, Console.Out, ct);
        return 0;
    }
    catch (ZoneFileException e)
    {
        Console.Error.WriteLine("dns-server: zone error: " + e.Message);
        return 1;
    }
    catch (DnsServerException e)
    {
        Console.Error.WriteLine("dns-server: " + e.Message);
        return 1;
    }
});

return await root.Parse(args).InvokeAsync();

static List<IPEndPoint> ParseEndpoints(string[]? values, string flag, List<string> errors)
{
    var endpoints = new List<IPEndPoint>();
    foreach (string text in values ?? [])
    {
        if (DnsEndpoint.TryParse(text, out var endpoint))
        {
            endpoints.Add(endpoint);
        }
        else
        {
            errors.Add($"{flag} '{text}' is not IP[:PORT] (e.g. 127.0.0.1:5353 or [::1]:53)");
        }
    }
    return endpoints;
}

static void CheckRange(int value, int min, int max, string flag, List<string> errors)
{
    if (value < min || value > max)
    {
        errors.Add($"{flag} {value.ToString(CultureInfo.InvariantCulture)} is out of range ({min}..{max})");
    }
}
