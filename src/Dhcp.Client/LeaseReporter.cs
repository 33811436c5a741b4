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

    public LeaseReporter(ClientSettings settings, ILogger logger)
    {
        _settings = settings;
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
        if (lease is not null)
        {
            LeaseFile.Save(_settings.LeaseFilePath, lease);
        }
        else if (leaseEvent is LeaseEvent.Nak)
        {
            // The server refused the saved address: INIT-REBOOT must not try it again.
            LeaseFile.Delete(_settings.LeaseFilePath);
        }
        if (_script is not null)
        {
            await _script.RunAsync(leaseEvent, _settings.Interface, lease, message, cancellationToken).ConfigureAwait(false);
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
