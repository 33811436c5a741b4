using System.CommandLine;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using NetLab.Dhcp.Server;
using NetLab.Pcap;
using NetLab.Protocols.Addressing;
using NetLab.Protocols.Dhcp;

namespace NetLab.Hosts.DhcpServer;

/// <summary>The serving command: flags to a checked <see cref="DhcpServerConfig"/>, then the library runs it.</summary>
internal static class ServeCommand
{
    private const int SigUsr1 = 10;
    private static readonly Option<string> Interface = new("--interface", "-i") { Description = "NIC to serve (required), e.g. eth0" };
    private static readonly Option<string[]> Range = new("--dhcp-range")
    {
        Description = "START END [MASK] of the address pool (dnsmasq's START,END,MASK works too); MASK defaults to the interface's",
        Arity = new ArgumentArity(1, 3),
        AllowMultipleArgumentsPerToken = true,
    };
    private static readonly Option<string[]> Router = new("--router") { Description = "default gateway(s) given to clients (option 3)" };
    private static readonly Option<string[]> Dns = new("--dns") { Description = "DNS server(s), IP[,IP] (option 6)" };
    private static readonly Option<string?> Domain = new("--domain") { Description = "domain name given to clients (option 15), e.g. lab.test" };
    private static readonly Option<string> LeaseTime = new("--lease-time") { Description = "lease duration: 30s, 10m, 1h, 1d (at least 10s)", DefaultValueFactory = _ => "1h" };
    private static readonly Option<string[]> Reserve = new("--reserve", "--dhcp-host")
    {
        Description = "fixed address for a MAC: MAC=IP (repeatable)",
        AllowMultipleArgumentsPerToken = true,
    };
    private static readonly Option<string> LeaseFile = new("--lease-file") { Description = "lease journal (JSON Lines)", DefaultValueFactory = _ => "/var/lib/netlab/dhcp-leases.jsonl" };
    private static readonly Option<string?> ServerIp = new("--server-ip") { Description = "server identifier and reply source; default: the interface's IPv4 address" };
    private static readonly Option<bool> NoPing = new("--no-ping") { Description = "do not ARP-probe addresses before offering them (dnsmasq's --no-ping)" };
    private static readonly Option<string> PingTimeout = new("--ping-timeout") { Description = "how long an ARP probe waits for an answer", DefaultValueFactory = _ => "500ms" };
    private static readonly Option<string> OfferHold = new("--offer-hold") { Description = "how long an offered address stays reserved for its client", DefaultValueFactory = _ => "30s" };
    private static readonly Option<string> DeclineProbation = new("--decline-probation") { Description = "quarantine of a declined or conflicting address (Kea's decline-probation-period)", DefaultValueFactory = _ => "10m" };
    private static readonly Option<string> CompactInterval = new("--compact-interval") { Description = "how often the lease file is rewritten compactly (Kea's lfc-interval)", DefaultValueFactory = _ => "10m" };
    private static readonly Option<string[]> ExtraOption = new("--dhcp-option")
    {
        Description = "extra option sent when the client requests it: CODE,VALUE (e.g. 42,192.168.10.1 or 66,tftp.lab.test)",
    };
    private static readonly Option<LogLevel> LogLevelOption = new("--log-level") { Description = "Trace, Debug (ignored and malformed packets), Information, Warning", DefaultValueFactory = _ => LogLevel.Information };
    private static readonly Option<bool> Quiet = new("--quiet", "-q") { Description = "log warnings and errors only (same as --log-level Warning)" };

    public static void AddTo(RootCommand root)
    {
        foreach (Option option in new Option[] { Interface, Range, Router, Dns, Domain, LeaseTime, Reserve, LeaseFile, ServerIp, NoPing, PingTimeout,
            OfferHold, DeclineProbation, CompactInterval, ExtraOption, LogLevelOption, Quiet })
        {
            root.Options.Add(option);
        }
        root.SetAction(async (parseResult, cancellationToken) => await RunAsync(parseResult, cancellationToken));
    }

    private static async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        var config = BuildConfig(parseResult, errors);
        if (config is not null)
        {
            errors.AddRange(config.Validate());
        }
        if (!NativePrivileges.IsRoot)
        {
            errors.Add("dhcp-server needs root (raw frames through libpcap and UDP port 67): run it with sudo, or grant CAP_NET_RAW and CAP_NET_BIND_SERVICE");
        }
        if (errors.Count > 0 || config is null)
        {
            foreach (string error in errors)
            {
                await Console.Error.WriteLineAsync($"dhcp-server: {error}");
            }
            return 2;
        }
        var level = parseResult.GetValue(Quiet) ? LogLevel.Warning : parseResult.GetValue(LogLevelOption);
        using var loggerFactory = LoggerFactory.Create(builder => builder
            .AddConsole(console => console.FormatterName = LineFormatter.FormatterName)
            .AddConsoleFormatter<LineFormatter, ConsoleFormatterOptions>()
            .SetMinimumLevel(level));
        var logger = loggerFactory.CreateLogger("dhcp-server");
        // SIGINT and SIGTERM end the receive loop; the host then saves and compacts the lease file.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, StopGracefully);
        using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, StopGracefully);
        void StopGracefully(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
        try
        {
            using var host = new DhcpServerHost(config, logger);
            // SIGUSR1 prints the counters, as it makes dnsmasq dump its statistics (raw signal number: .NET has no name for it).
            using var onStatistics = PosixSignalRegistration.Create((PosixSignal)SigUsr1, context =>
            {
                context.Cancel = true;
                logger.LogInformation("counters: {Counters}", host.Counters);
            });
            await Task.Factory.StartNew(() => host.Run(stop.Token), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            return 0;
        }
        catch (Exception exception) when (exception is PcapException or IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"dhcp-server: {exception.Message}");
            return 1;
        }
    }

    private static DhcpServerConfig? BuildConfig(ParseResult parseResult, List<string> errors)
    {
        string? interfaceName = parseResult.GetValue(Interface);
        string[] range = (parseResult.GetValue(Range) ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries)).ToArray();
        if (string.IsNullOrWhiteSpace(interfaceName))
        {
            errors.Add("--interface is required: the NIC to serve, e.g. --interface eth0");
        }
        if (range.Length is < 2 or > 3)
        {
            errors.Add("--dhcp-range is required: START END [MASK], e.g. --dhcp-range 192.168.10.100 192.168.10.200 255.255.255.0");
        }
        if (errors.Count > 0)
        {
            return null;
        }
        if (!ServerArguments.TryFindInterface(interfaceName!, out var mac, out var interfaceIp, out var interfaceMask, out string? error))
        {
            errors.Add(error!);
            return null;
        }
        IPv4Address serverIp = default;
        if (parseResult.GetValue(ServerIp) is { } serverIpText)
        {
            Check(ServerArguments.TryParseAddress(serverIpText, "--server-ip", out serverIp, out error), error, errors);
        }
        else if (interfaceIp is { } found)
        {
            serverIp = found;
        }
        else
        {
            errors.Add($"interface {interfaceName} has no IPv4 address: add one (ip addr add 192.168.10.1/24 dev {interfaceName}) or give --server-ip");
        }
        IPv4Address mask = interfaceMask ?? default;
        if (range.Length == 3)
        {
            Check(ServerArguments.TryParseMask(range[2], out mask, out error), error, errors);
        }
        else if (interfaceMask is null)
        {
            errors.Add("--dhcp-range needs a MASK (third value) when the interface has no IPv4 address");
        }
        Check(ServerArguments.TryParseAddress(range[0], "--dhcp-range", out var start, out error), error, errors);
        Check(ServerArguments.TryParseAddress(range[1], "--dhcp-range", out var end, out error), error, errors);
        Check(ServerArguments.TryParseAddressList(parseResult.GetValue(Router) ?? [], "--router", out var routers, out error), error, errors);
        Check(ServerArguments.TryParseAddressList(parseResult.GetValue(Dns) ?? [], "--dns", out var dns, out error), error, errors);
        var leaseTime = Duration(parseResult, LeaseTime, errors);
        var reservations = new Dictionary<MacAddress, IPv4Address>();
        foreach (string text in parseResult.GetValue(Reserve) ?? [])
        {
            if (Check(ServerArguments.TryParseReservation(text, out var reservedMac, out var reservedIp, out error), error, errors)
                && !reservations.TryAdd(reservedMac, reservedIp))
            {
                errors.Add($"--reserve: {reservedMac} is given more than one address");
            }
        }
        var extras = new List<DhcpOption>();
        foreach (string text in parseResult.GetValue(ExtraOption) ?? [])
        {
            if (Check(ServerArguments.TryParseOption(text, out var option, out error), error, errors))
            {
                extras.Add(option!);
            }
        }
        string? domain = parseResult.GetValue(Domain);
        if (domain is not null && (domain.Length is 0 or > 253 || !domain.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-')))
        {
            errors.Add($"--domain '{domain}' is not a domain name (letters, digits, '-' and '.', e.g. lab.test)");
        }
        var config = new DhcpServerConfig
        {
            InterfaceName = interfaceName!,
            ServerIp = serverIp,
            ServerMac = mac,
            RangeStart = start,
            RangeEnd = end,
            SubnetMask = mask,
            Routers = routers,
            DnsServers = dns,
            Domain = domain,
            LeaseTime = leaseTime,
            Reservations = reservations,
            LeaseFile = parseResult.GetValue(LeaseFile)!,
            ArpProbe = !parseResult.GetValue(NoPing),
            ProbeTimeout = Duration(parseResult, PingTimeout, errors),
            OfferHold = Duration(parseResult, OfferHold, errors),
            DeclineProbation = Duration(parseResult, DeclineProbation, errors),
            CompactInterval = Duration(parseResult, CompactInterval, errors),
            ExtraOptions = extras,
        };
        return errors.Count == 0 ? config : null;
    }

    private static TimeSpan Duration(ParseResult parseResult, Option<string> option, List<string> errors)
    {
        string text = parseResult.GetValue(option)!;
        if (ServerArguments.TryParseDuration(text, out var duration, out string? error))
        {
            return duration;
        }
        errors.Add($"{option.Name}: {error}");
        return default;
    }

    private static bool Check(bool ok, string? error, List<string> errors)
    {
        if (!ok)
        {
            errors.Add(error!);
        }
        return ok;
    }
}
