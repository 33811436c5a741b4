using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace NetLab.Dhcp.Client;

/// <summary>The events a lease script receives as its first argument, named as busybox udhcpc names them.</summary>
public enum LeaseEvent
{
    /// <summary>Remove the interface's IPv4 configuration (at start, on expiry, after a release).</summary>
    Deconfig,

    /// <summary>A new lease: apply address, routes and resolver settings.</summary>
    Bound,

    /// <summary>The same lease was extended (its options may have changed).</summary>
    Renew,

    /// <summary>The server refused the address (DHCPNAK); the client starts over.</summary>
    Nak,

    /// <summary>No lease could be obtained within the timeout.</summary>
    LeaseFail,
}

/// <summary>Runs a udhcpc-compatible script: <c>script EVENT</c> with the lease in environment variables
/// (interface, ip, subnet, mask, broadcast, router, dns, domain, lease, serverid). A script that exits non-zero
/// or hangs is reported; the client keeps its lease either way, as udhcpc does.</summary>
public sealed class LeaseScript
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly string _path;
    private readonly IReadOnlyDictionary<string, string> _extraEnvironment;
    private readonly ILogger _logger;

    /// <param name="path">The script; run directly when executable, else through /bin/sh.</param>
    /// <param name="extraEnvironment">Added to every run (e.g. RESOLV_CONF naming the resolver file to write).</param>
    public LeaseScript(string path, IReadOnlyDictionary<string, string> extraEnvironment, ILogger logger)
    {
        _path = path;
        _extraEnvironment = extraEnvironment;
        _logger = logger;
    }

    public string Path => _path;

    /// <summary>The variables a script sees for a lease (udhcpc names; lists are space separated).</summary>
    public static Dictionary<string, string> Variables(string interfaceName, DhcpLease? lease, string? message = null)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal) { ["interface"] = interfaceName };
        if (message is not null)
        {
            variables["message"] = message;
        }
        if (lease is null)
        {
            return variables;
        }
        variables["ip"] = lease.Address.ToString();
        variables["subnet"] = lease.SubnetMask.ToString();
        variables["mask"] = lease.PrefixLength.ToString(CultureInfo.InvariantCulture);
        variables["serverid"] = lease.ServerIdentifier.ToString();
        variables["lease"] = lease.LeaseSeconds.ToString(CultureInfo.InvariantCulture);
        if (lease.BroadcastAddress is { } broadcast)
        {
            variables["broadcast"] = broadcast.ToString();
        }
        if (lease.Routers.Count > 0)
        {
            variables["router"] = string.Join(' ', lease.Routers);
        }
        if (lease.DnsServers.Count > 0)
        {
            variables["dns"] = string.Join(' ', lease.DnsServers);
        }
        if (!string.IsNullOrEmpty(lease.DomainName))
        {
            variables["domain"] = lease.DomainName;
        }
        return variables;
    }

    /// <summary>Runs the script for one event; returns whether it exited 0.</summary>
    public async Task<bool> RunAsync(LeaseEvent leaseEvent, string interfaceName, DhcpLease? lease, string? message, CancellationToken cancellationToken)
    {
        string eventName = leaseEvent.ToString().ToLowerInvariant();
        if (!File.Exists(_path))
        {
            _logger.LogError("cannot run script {Script} {Event}: no such file", _path, eventName);
            return false;
        }
        var startInfo = IsExecutable(_path) ? new ProcessStartInfo(_path) : new ProcessStartInfo("/bin/sh") { ArgumentList = { _path } };
        startInfo.ArgumentList.Add(eventName);
        startInfo.UseShellExecute = false;
        startInfo.RedirectStandardOutput = true;
        startInfo.RedirectStandardError = true;
        foreach (var (name, value) in _extraEnvironment.Concat(Variables(interfaceName, lease, message)))
        {
            startInfo.Environment[name] = value;
        }
        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            _logger.LogError("cannot run script {Script} {Event}: {Reason}", _path, eventName, e.Message);
            return false;
        }
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            _logger.LogError("script {Script} {Event} did not finish within {Seconds}s and was stopped", _path, eventName, Timeout.TotalSeconds);
            return false;
        }
        string output = (await stdout.ConfigureAwait(false) + await stderr.ConfigureAwait(false)).Trim();
        if (output.Length > 0)
        {
            _logger.LogInformation("script {Event}: {Output}", eventName, output);
        }
        if (process.ExitCode != 0)
        {
            _logger.LogError("script {Script} {Event} exited with status {Status}", _path, eventName, process.ExitCode);
            return false;
        }
        return true;
    }

    private static bool IsExecutable(string path) =>
        !OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
}
