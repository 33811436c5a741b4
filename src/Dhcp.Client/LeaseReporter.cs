using Microsoft.Extensions.Logging;
using NetLab.Dhcp.Client;

namespace NetLab.Hosts.DhcpClient;

/// <summary>Turns lease events into what the user sees and what the system gets: the lease printed (text or
/// JSON) and saved to the lease file, and the lease script run (unless --no-configure).</summary>
internal sealed class LeaseReporter : ILeaseEvents
{
    private readonly ClientSettings _settings;
    private readonly ILogger _logger;
    private readonly LeaseScript? _script;
    private readonly ArpConflictProbe? _arp;

    /// <param name="arp">Announces a newly configured address (null: no ARP at all).</param>
    public LeaseReporter(ClientSettings settings, ArpConflictProbe? arp, ILogger logger)
    {
        _settings = settings;
        _arp = arp;
        _logger = logger;
        if (settings.Configure)
        {
            var environment = new Dictionary<string, string>(StringComparer.Ordinal);
            if (settings.ResolvConf is { } resolvConf)
            {
                environment["RESOLV_CONF"] = Path.GetFullPath(resolvConf);
            }
            _script = new LeaseScript(settings.ScriptPath, environment, logger);
        }
    }

    public async Task OnLeaseEventAsync(LeaseEvent leaseEvent, DhcpLease? lease, string? message, CancellationToken cancellationToken)
    {
        try
        {
            if (lease is not null)
            {
                LeaseFile.Save(_settings.LeaseFilePath, lease);
            }
            else if (leaseEvent is LeaseEvent.Nak)
            {
                // The server refused the address: INIT-REBOOT must not ask for it again.
                LeaseFile.Delete(_settings.LeaseFilePath);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The lease is still good; only the next start loses INIT-REBOOT and scripts lose the file.
            _logger.LogError("cannot write lease file {LeaseFile}: {Reason} (choose another with --lease-file)", _settings.LeaseFilePath, e.Message);
        }
        if (_script is not null)
        {
            bool applied = await _script.RunAsync(leaseEvent, _settings.Interface, lease, message, cancellationToken).ConfigureAwait(false);
            if (applied && leaseEvent == LeaseEvent.Bound && lease is not null && _arp is not null)
            {
                await _arp.AnnounceAsync(lease.Address, cancellationToken).ConfigureAwait(false);
            }
        }
        if (lease is null)
        {
            return;
        }
        if (leaseEvent == LeaseEvent.Bound)
        {
            _logger.LogInformation("lease of {Address} obtained from {Server}, lease time {Seconds}s", lease.Address, lease.ServerIdentifier,
                lease.IsInfinite ? "infinite" : lease.LeaseSeconds);
        }
        else
        {
            _logger.LogInformation("lease of {Address} renewed, lease time {Seconds}s", lease.Address, lease.IsInfinite ? "infinite" : lease.LeaseSeconds);
        }
        if (leaseEvent == LeaseEvent.Bound || _settings.Json)
        {
            await Console.Out.WriteAsync(_settings.Json ? LeaseFile.ToJson(lease) + "\n" : LeaseText.Format(lease)).ConfigureAwait(false);
            await Console.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
