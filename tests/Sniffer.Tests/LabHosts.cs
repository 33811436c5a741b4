using System.Text.RegularExpressions;
using NetLab.Testing;

namespace NetLab.Sniffer.Hosts.Tests;

/// <summary>The lab's services on a test host: dnsmasq for DHCP and DNS, udhcpc as client, sniffer on the bridge.</summary>
internal static partial class LabHosts
{
    public const string ServerIp = "192.168.10.1";

    /// <summary>dnsmasq serving DHCP from <paramref name="range"/> and, unless <paramref name="dns"/> is false,
    /// DNS with ftp.lab.test at <see cref="ServerIp"/>. Private config, lease file and no pid file.</summary>
    public static BackgroundProcess StartDnsmasq(NetworkNamespace host, TempDirectory dir, string range, bool dns)
    {
        string name = Guid.NewGuid().ToString("N")[..6];
        var process = host.Start("dnsmasq", "--no-daemon", "--conf-file=/dev/null", "--user=root", "--pid-file=",
            "--bind-interfaces", "--interface=eth0", "--except-interface=lo", "--no-resolv", "--no-hosts", "--log-dhcp",
            dns ? "--port=53" : "--port=0", "--address=/ftp.lab.test/" + ServerIp,
            $"--dhcp-range={range},255.255.255.0,1h", "--dhcp-authoritative", $"--dhcp-leasefile={dir.File($"leases-{name}")}");
        process.WaitForLine("started|DHCP, IP range", TimeSpan.FromSeconds(10));
        return process;
    }

    /// <summary>Starts the sniffer on the bridge for a fixed time and waits until it listens.</summary>
    public static BackgroundProcess StartSniffer(TestNetwork network, double seconds, params string[] args)
    {
        var sniffer = network.Bridge.StartProgram("sniffer", ["--interface", "br0", "--duration", $"{seconds}", "--quiet", .. args]);
        sniffer.WaitForLine("listening on br0", TimeSpan.FromSeconds(30));
        return sniffer;
    }

    /// <summary>Runs udhcpc once (no script, so the host stays unaddressed) and returns the leased address.</summary>
    public static string Udhcpc(NetworkNamespace client)
    {
        var result = client.Run("udhcpc", "-i", "eth0", "-f", "-q", "-n", "-t", "5", "-T", "1", "-s", "/bin/true");
        var match = Lease().Match(result.Output);
        Assert.True(match.Success, "udhcpc got no lease: " + result.Output);
        return match.Groups[1].Value;
    }

    [GeneratedRegex(@"lease of (\d+\.\d+\.\d+\.\d+) obtained")]
    private static partial Regex Lease();

    public static void WaitForExit(BackgroundProcess sniffer, double seconds)
    {
        Assert.True(sniffer.WaitForExit(TimeSpan.FromSeconds(seconds + 30)), "sniffer did not stop after --duration: " + sniffer.Output);
        Assert.True(sniffer.ExitCode == 0, sniffer.Output);
    }
}
