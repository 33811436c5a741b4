using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using NetLab.Dhcp.Client;
using NetLab.Pcap;
using Client = NetLab.Dhcp.Client.DhcpClient;

namespace NetLab.Hosts.DhcpClient;

/// <summary>Wires the client together: checks the interface and privileges, opens the raw transport, runs the
/// state machine, and turns lease events into script runs, printed leases and the lease file.</summary>
internal static class ClientProgram
{
    public static async Task<int> RunAsync(ClientSettings settings, CancellationToken invocationToken)
    {
        using var loggerFactory = LoggerFactory.Create(builder => builder
            .AddConsole(o => { o.FormatterName = PlainConsoleFormatter.FormatterName; o.LogToStandardErrorThreshold = LogLevel.Trace; })
            .AddConsoleFormatter<PlainConsoleFormatter, Microsoft.Extensions.Logging.Console.ConsoleFormatterOptions>()
            .SetMinimumLevel(settings.Verbose ? LogLevel.Debug : settings.Quiet ? LogLevel.Warning : LogLevel.Information));
        var logger = loggerFactory.CreateLogger("dhcp-client");

        if (Preflight(settings, out string? problem) is not { } info)
        {
            await Console.Error.WriteLineAsync($"dhcp-client: {problem}").ConfigureAwait(false);
            return 1;
        }

        // SIGINT/SIGTERM end the run cleanly (releasing the lease with --release) instead of killing the process.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(invocationToken);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);

        RawDhcpTransport transport;
        try
        {
            transport = RawDhcpTransport.Open(settings.Interface, info.Mac, logger);
        }
        catch (PcapException e)
        {
            await Console.Error.WriteLineAsync($"dhcp-client: {e.Message}").ConfigureAwait(false);
            return 1;
        }
        using (transport)
        {
            var options = new DhcpClientOptions
            {
                Interface = settings.Interface,
                Mac = info.Mac,
                Timeout = settings.Timeout,
                Retries = settings.Retries,
                RetryInterval = settings.RetryInterval,
                DeclineDelay = settings.DeclineDelay,
                RequestedAddress = settings.RequestedAddress,
                HostName = settings.HostName,
                ClientIdentifier = settings.ClientId ?? DhcpClientOptions.ClientIdentifierFromMac(info.Mac),
                VendorClass = settings.VendorClass,
                RequestBroadcast = settings.RequestBroadcast,
            };
            var probe = settings.ArpProbes > 0 ? new ArpConflictProbe(settings.Interface, info.Mac, settings.ArpProbes, settings.ArpInterval, logger) : null;
            var reporter = new LeaseReporter(settings, probe, logger);
            var client = new Client(options, transport, probe, reporter, logger);
            try
            {
                return await RunClientAsync(client, settings, reporter, logger, stop.Token).ConfigureAwait(false);
            }
            catch (PcapException e)
            {
                await Console.Error.WriteLineAsync($"dhcp-client: {e.Message}").ConfigureAwait(false);
                return 1;
            }
        }

        void Cancel(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
    }

    private static async Task<int> RunClientAsync(Client client, ClientSettings settings, LeaseReporter reporter, ILogger logger,
        CancellationToken stop)
    {
        var saved = LeaseFile.Load(settings.LeaseFilePath, out string? leaseFileProblem);
        if (leaseFileProblem is not null)
        {
            logger.LogWarning("{Problem}; starting without it", leaseFileProblem);
        }
        try
        {
            // As udhcpc does: start from a clean interface, whatever an earlier run left on it.
            await reporter.OnLeaseEventAsync(LeaseEvent.Deconfig, null, null, stop).ConfigureAwait(false);
            var lease = await client.AcquireAsync(saved, stop).ConfigureAwait(false);
            while (lease is not null)
            {
                if (settings.Once)
                {
                    return 0;
                }
                var kept = await client.MaintainAsync(lease, stop).ConfigureAwait(false);
                if (stop.IsCancellationRequested)
                {
                    await StopAsync(client, settings, reporter, kept, logger).ConfigureAwait(false);
                    return 0;
                }
                logger.LogWarning("lease lost; looking for a new one");
                lease = await client.AcquireAsync(null, stop).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            logger.LogWarning("stopped before a lease was obtained");
            return 1;
        }
        await Console.Error.WriteLineAsync(client.AnyServerAnswered
            ? $"dhcp-client: no lease obtained on {settings.Interface} within {settings.Timeout.TotalSeconds:0.###}s: servers answered but none granted a usable address (see the log above)"
            : $"dhcp-client: no DHCP server answered on {settings.Interface} within {settings.Timeout.TotalSeconds:0.###}s; check that a server runs on that link (and that {settings.Interface} is the right interface)")
            .ConfigureAwait(false);
        return 1;
    }

    /// <summary>Stopping: with --release, DHCPRELEASE, deconfigure and forget the lease; otherwise keep all of it
    /// so the next run can INIT-REBOOT (udhcpc without -R does the same).</summary>
    private static async Task StopAsync(Client client, ClientSettings settings, LeaseReporter reporter, DhcpLease? lease, ILogger logger)
    {
        if (!settings.Release || lease is null)
        {
            logger.LogInformation("stopped; the lease stays configured and saved in {LeaseFile}", settings.LeaseFilePath);
            return;
        }
        await client.ReleaseAsync(lease, CancellationToken.None).ConfigureAwait(false);
        await reporter.OnLeaseEventAsync(LeaseEvent.Deconfig, null, null, CancellationToken.None).ConfigureAwait(false);
        LeaseFile.Delete(settings.LeaseFilePath);
    }

    /// <summary>The interface to use, or null with the reason it cannot be used.</summary>
    private static NetworkInterfaceInfo? Preflight(ClientSettings settings, out string? problem)
    {
        var info = NetworkInterfaceInfo.Find(settings.Interface, "/sys/class/net", out problem);
        if (info is null)
        {
            return null;
        }
        if (!info.IsUp)
        {
            problem = $"{settings.Interface} is down; bring it up first: ip link set {settings.Interface} up";
            return null;
        }
        if (!NetworkInterfaceInfo.HasPrivileges(settings.Configure, out problem))
        {
            return null;
        }
        if (settings.Configure && !File.Exists(settings.ScriptPath))
        {
            problem = $"lease script {settings.ScriptPath} not found; pass --script PATH, or --no-configure to only print the lease";
            return null;
        }
        return info;
    }
}
