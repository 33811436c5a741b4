using NetLab.Dhcp.Leases;
using NetLab.Protocols.Addressing;
using NetLab.Testing;

namespace NetLab.Hosts.DhcpServer.Tests;

/// <summary>busybox udhcpc and ISC dhclient against dhcp-server: lease with router, DNS and domain, a
/// unicast renewal at T1 (20 s leases), and a release.</summary>
public class RealClientTests
{
    private static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(30);

    [RootFact("udhcpc")]
    public void Udhcpc_ObtainsRenewsAndReleases()
    {
        using var lab = DhcpServerLab.Start("udhcpc", "192.168.10.200", "--lease-time", "20s", "--ping-timeout", "200ms");
        string events = Path.Combine(lab.Directory, "events.txt");
        // udhcpc exports ip, subnet, router, dns, domain, lease; the address must be configured for the unicast renewal.
        string script = lab.WriteFile("udhcpc.sh", $$"""
            #!/bin/sh
            echo "$1 ip=$ip router=$router dns=$dns domain=$domain lease=$lease" >> {{events}}
            case "$1" in
              bound|renew) ip addr replace "$ip/$subnet" dev "$interface" ;;
              deconfig) ip addr flush dev "$interface" ;;
            esac
            """, executable: true);
        var client = lab.ClientHost.Start("udhcpc", "-i", "eth0", "-s", script, "-f", "-R", "-t", "5", "-T", "1");

        string bound = DhcpServerLab.WaitForFileLine(events, "^bound ", ClientTimeout);
        Assert.Matches(@"^bound ip=192\.168\.10\.\d+ router=192\.168\.10\.1 dns=192\.168\.10\.1 domain=lab\.test lease=20$", bound);
        string ip = bound.Split(' ')[1]["ip=".Length..];

        // T1 is 10 s: the renewal is a unicast REQUEST the server answers through the kernel-bound port 67 path.
        Assert.Matches($@"^renew ip={ip} ", DhcpServerLab.WaitForFileLine(events, "^renew ", ClientTimeout));
        Assert.Contains(":67 ", lab.ServerHost.Exec("ss", "-Hunl"), StringComparison.Ordinal);

        client.Signal(15);
        lab.Server.WaitForLine($@"DHCPRELEASE\(eth0\) {ip.Replace(".", @"\.", StringComparison.Ordinal)} ", ClientTimeout);
        AssertJournalState(lab, ip, LeaseState.Released);
    }

    [RootFact("dhclient")]
    public void Dhclient_ObtainsRenewsAndReleases()
    {
        using var lab = DhcpServerLab.Start("dhclient", "192.168.10.200", "--lease-time", "20s", "--ping-timeout", "200ms");
        string events = Path.Combine(lab.Directory, "events.txt");
        string script = lab.WriteFile("dhclient.sh", $$"""
            #!/bin/sh
            echo "$reason ip=$new_ip_address router=$new_routers dns=$new_domain_name_servers domain=$new_domain_name lease=$new_dhcp_lease_time" >> {{events}}
            case "$reason" in
              BOUND|RENEW|REBIND|REBOOT) ip addr replace "$new_ip_address/$new_subnet_mask" dev "$interface" ;;
              RELEASE|EXPIRE|STOP) ip addr flush dev "$interface" ;;
            esac
            """, executable: true);
        string[] files = ["-sf", script, "-lf", Path.Combine(lab.Directory, "dhclient.leases"), "-pf", Path.Combine(lab.Directory, "dhclient.pid")];
        lab.ClientHost.Start("dhclient", [.. files, "-d", "-1", "-v", "eth0"]);

        string bound = DhcpServerLab.WaitForFileLine(events, "^BOUND ", ClientTimeout);
        Assert.Matches(@"^BOUND ip=192\.168\.10\.\d+ router=192\.168\.10\.1 dns=192\.168\.10\.1 domain=lab\.test lease=20$", bound);
        string ip = bound.Split(' ')[1]["ip=".Length..];

        Assert.Matches($@"^RENEW ip={ip} ", DhcpServerLab.WaitForFileLine(events, "^RENEW ", ClientTimeout));

        // dhclient -r finds the running client through the pid file, releases its lease and stops it.
        var release = lab.ClientHost.Run("dhclient", [.. files, "-r", "eth0"]);
        Assert.True(release.ExitCode == 0, release.Output);
        lab.Server.WaitForLine($@"DHCPRELEASE\(eth0\) {ip.Replace(".", @"\.", StringComparison.Ordinal)} ", ClientTimeout);
        AssertJournalState(lab, ip, LeaseState.Released);
    }

    private static void AssertJournalState(DhcpServerLab lab, string ip, LeaseState state)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        LeaseState? seen = null;
        while (DateTime.UtcNow < deadline && (seen = lab.Leases().GetValueOrDefault(IPv4Address.Parse(ip))?.State) != state)
        {
            Thread.Sleep(100);
        }
        Assert.Equal(state, seen);
    }
}
