using System.CommandLine;
using System.CommandLine.Parsing;
using NetLab.Dhcp.Client;
using NetLab.Hosts.DhcpClient;
using NetLab.Protocols.Addressing;

var interfaceArgument = new Argument<string>("interface") { Description = "The Ethernet interface to configure, e.g. eth0" };
var timeout = DurationOption("--timeout", "Give up when no lease is obtained within this time (e.g. 10s, 2m)", TimeSpan.FromSeconds(30));
var retries = new Option<int>("--retries", "-t")
{
    Description = "Retransmissions of each DISCOVER/REQUEST before giving up on that step (back-off doubles from --retry-interval)",
    DefaultValueFactory = _ => 4,
};
retries.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 0 or > 100) r.AddError("--retries must be between 0 and 100"); });
var retryInterval = DurationOption("--retry-interval", "Delay before the first retransmission; doubles up to 64s, each randomised by ±25% (RFC 2131: 4s ± 1s)", TimeSpan.FromSeconds(4));
var requestedIp = new Option<IPv4Address?>("--requested-ip", "-r")
{
    Description = "Ask for this address (option 50)",
    CustomParser = r => IPv4Address.TryParse(r.Tokens[0].Value, out var ip) ? ip
        : Fail<IPv4Address?>(r, $"--requested-ip: '{r.Tokens[0].Value}' is not an IPv4 address (expected e.g. 192.168.10.150)"),
};
var hostName = new Option<string?>("--hostname", "-x") { Description = "Send this host name (option 12)" };
hostName.Validators.Add(r =>
{
    if (r.GetValueOrDefault<string?>() is { } name && !ClientArguments.IsValidHostName(name))
    {
        r.AddError($"--hostname: '{name}' is not a host name (letters, digits, '-' and '.', up to 253 characters)");
    }
});
var clientId = new Option<byte[]?>("--client-id", "-c")
{
    Description = "Client identifier (option 61): hex bytes like 01:02:00:00:00:00:01, or text (sent as type 0). Default: 01 + MAC",
    CustomParser = r => ClientArguments.TryParseClientId(r.Tokens[0].Value, out byte[] id, out string? error) ? id : Fail<byte[]?>(r, "--client-id: " + error),
};
var vendorClass = new Option<string?>("--vendor-class", "-V") { Description = "Vendor class identifier (option 60)" };
var once = new Option<bool>("--once", "-q", "--quit") { Description = "Exit once the lease is applied (udhcpc -q) instead of staying to renew it" };
var noConfigure = new Option<bool>("--no-configure") { Description = "Only obtain and print the lease; do not run the script or touch the interface" };
var script = new Option<string?>("--script", "-s") { Description = "Lease script run with deconfig/bound/renew/nak/leasefail (default: dhcp-client.script beside the program)" };
var leaseFile = new Option<string?>("--lease-file", "-l") { Description = "Where the lease is saved as JSON (default: /var/lib/netlab/dhcp-client.<interface>.json)" };
var json = new Option<bool>("--json") { Description = "Print the lease as JSON instead of text" };
var release = new Option<bool>("--release", "-R") { Description = "Send DHCPRELEASE and deconfigure the interface when stopped (SIGINT/SIGTERM)" };
var resolvConf = new Option<string?>("--resolv-conf") { Description = "Resolver file the script writes DNS servers and domain to (passed as RESOLV_CONF; default: none)" };
var broadcast = new Option<bool>("--broadcast", "-B") { Description = "Ask servers to broadcast their replies (BROADCAST flag)" };
var arpProbes = new Option<int>("--arp-probes")
{
    Description = "ARP probes checking the leased address is free before use (RFC 5227); 0 disables",
    DefaultValueFactory = _ => 2,
};
arpProbes.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 0 or > 10) r.AddError("--arp-probes must be between 0 and 10"); });
var arpInterval = DurationOption("--arp-interval", "Time between ARP probes and after the last one", TimeSpan.FromMilliseconds(500));
var declineDelay = DurationOption("--decline-delay", "Wait after a DHCPDECLINE before starting over (RFC 2131 says at least 10s)", TimeSpan.FromSeconds(10));
var foreground = new Option<bool>("--foreground", "-f") { Description = "Stay in the foreground (always the case; accepted for udhcpc compatibility)" };
var quiet = new Option<bool>("--quiet") { Description = "Log only warnings and errors" };
var verbose = new Option<bool>("--verbose", "-v") { Description = "Log every message, including ignored ones" };

var root = new RootCommand("dhcp-client: obtain, apply, renew and release a DHCPv4 lease on an Ethernet interface (raw frames through libpcap)");
root.Arguments.Add(interfaceArgument);
foreach (var option in new Option[] { timeout, retries, retryInterval, requestedIp, hostName, clientId, vendorClass, once, noConfigure, script,
    leaseFile, json, release, resolvConf, broadcast, arpProbes, arpInterval, declineDelay, foreground, quiet, verbose })
{
    root.Options.Add(option);
}
root.SetAction(async (parseResult, cancellationToken) =>
{
    string name = parseResult.GetValue(interfaceArgument)!;
    var settings = new ClientSettings
    {
        Interface = name,
        Timeout = parseResult.GetValue(timeout).Value,
        Retries = parseResult.GetValue(retries),
        RetryInterval = parseResult.GetValue(retryInterval).Value,
        RequestedAddress = parseResult.GetValue(requestedIp),
        HostName = parseResult.GetValue(hostName),
        // An absent array-typed option reads as an empty array, not null.
        ClientId = parseResult.GetValue(clientId) is { Length: > 0 } id ? id : null,
        VendorClass = parseResult.GetValue(vendorClass),
        Once = parseResult.GetValue(once),
        Configure = !parseResult.GetValue(noConfigure),
        ScriptPath = parseResult.GetValue(script) ?? Path.Combine(AppContext.BaseDirectory, "dhcp-client.script"),
        LeaseFilePath = parseResult.GetValue(leaseFile) ?? $"/var/lib/netlab/dhcp-client.{name}.json",
        Json = parseResult.GetValue(json),
        Release = parseResult.GetValue(release),
        ResolvConf = parseResult.GetValue(resolvConf),
        RequestBroadcast = parseResult.GetValue(broadcast),
        ArpProbes = parseResult.GetValue(arpProbes),
        ArpInterval = parseResult.GetValue(arpInterval).Value,
        DeclineDelay = parseResult.GetValue(declineDelay).Value,
        Quiet = parseResult.GetValue(quiet),
        Verbose = parseResult.GetValue(verbose),
    };
    return await ClientProgram.RunAsync(settings, cancellationToken).ConfigureAwait(false);
});
return await root.Parse(args).InvokeAsync().ConfigureAwait(false);

static Option<Duration> DurationOption(string name, string description, TimeSpan defaultValue) => new(name)
{
    Description = description,
    DefaultValueFactory = _ => new Duration(defaultValue),
    CustomParser = r => ClientArguments.TryParseDuration(r.Tokens[0].Value, out var value, out string? error) && value > TimeSpan.Zero
        ? new Duration(value) : Fail<Duration>(r, $"{name}: {error ?? "must be more than zero"}"),
};

static T Fail<T>(ArgumentResult result, string error)
{
    result.AddError(error);
    return default!;
}
