using System.Text.RegularExpressions;
using System.Diagnostics;
using System.Text.Json;
using NetLab.Testing;

namespace Dhcp.Client.Tests;

/// <summary>dhcp-client against dnsmasq and ISC Kea on a veth link between namespaces: the lease it prints and
/// saves, and the address and route it applies, must be what the server was configured to hand out.</summary>
public class ReferenceServerInteropTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [RootFact("dnsmasq", "ip")]
    public void Dnsmasq_ObtainsAppliesAndRenewsTheLease()
    {
        using var lab = ClientLab.Pair();
        string resolvConf = lab.Path("resolv.conf");
        // dnsmasq's shortest lease is 2m; T1/T2 options bring the renewal within the test.
        var dnsmasq = lab.StartDnsmasq("--dhcp-range=10.9.0.100,10.9.0.150,255.255.255.0,2m",
            "--dhcp-option=option:T1,5", "--dhcp-option=option:T2,100");
        var client = lab.StartClient(lab.ClientArgs("--resolv-conf", resolvConf, "--hostname", "labclient"));
        string obtained = client.WaitForLine(@"lease of 10\.9\.0\.\d+ obtained from 10\.9\.0\.1", Patience);
        string address = obtained.Split(' ')[3];

        client.WaitForLine(@"^address\s", Patience);
        var printed = PrintedFields(client.Output);
        Assert.Equal(address + "/24", printed["address"]);
        Assert.Equal("255.255.255.0", printed["mask"]);
        Assert.Equal(ClientLab.ServerIp, printed["router"]);
        Assert.Equal(ClientLab.DnsIp, printed["dns"]);
        Assert.Equal(ClientLab.Domain, printed["domain"]);
        Assert.StartsWith("120s (renew 5s, rebind 100s)", printed["lease"]);
        Assert.Equal(ClientLab.ServerIp, printed["server"]);

        Assert.Equal([address + "/24"], lab.ClientAddresses());
        Assert.StartsWith($"default via {ClientLab.ServerIp} dev eth0", lab.ClientDefaultRoute());
        Assert.Equal(["search lab.test", $"nameserver {ClientLab.DnsIp}"], File.ReadAllLines(resolvConf).Where(l => !l.StartsWith('#')));
        using (var saved = JsonDocument.Parse(File.ReadAllText(lab.ClientLeaseFile)))
        {
            Assert.Equal(address, saved.RootElement.GetProperty("address").GetString());
            Assert.Equal(ClientLab.DnsIp, saved.RootElement.GetProperty("dns_servers")[0].GetString());
            Assert.Equal(ClientLab.Domain, saved.RootElement.GetProperty("domain").GetString());
        }

        client.WaitForLine($@"lease of {Regex.Escape(address)} renewed", Patience);
        // The renewal went to dnsmasq as a unicast REQUEST from the leased address (RENEWING).
        dnsmasq.WaitForLine($@"DHCPREQUEST\(eth0\) {Regex.Escape(address)} ", Patience);
        Assert.True(CountMatches(dnsmasq.Output, "DHCPACK(eth0) " + address) >= 2, dnsmasq.Output);
        // dnsmasq's lease line: expiry, MAC, address, host name (option 12), client identifier (default 01 + MAC).
        string mac = lab.ClientMac();
        Assert.Contains($"{mac} {address} labclient 01:{mac}", File.ReadAllText(lab.Path("dnsmasq.leases")));
    }

    [RootFact("dnsmasq", "ip")]
    public void Dnsmasq_Restart_InitRebootKeepsTheSavedAddress()
    {
        using var lab = ClientLab.Pair();
        var dnsmasq = lab.StartDnsmasq("--dhcp-range=10.9.0.100,10.9.0.150,255.255.255.0,2m");
        var first = lab.RunClient(lab.ClientArgs("--once"));
        Assert.True(first.ExitCode == 0, first.Output);
        string address = Assert.Single(lab.ClientAddresses()).Split('/')[0];
        int discovers = CountMatches(dnsmasq.Output, "DHCPDISCOVER(eth0)");

        var second = lab.RunClient(lab.ClientArgs("--once"));
        Assert.True(second.ExitCode == 0, second.Output);
        Assert.Contains($"INIT-REBOOT: DHCPREQUEST for saved address {address}", second.Output);
        Assert.Contains($"DHCPACK of {address} from {ClientLab.ServerIp}", second.Output);
        Assert.DoesNotContain("DHCPDISCOVER", second.Output);
        Assert.Equal([address + "/24"], lab.ClientAddresses());
        Assert.Equal(discovers, CountMatches(dnsmasq.Output, "DHCPDISCOVER(eth0)"));
    }

    [RootFact("kea-dhcp4", "ip")]
    public void Kea_ObtainsAppliesAndRenewsTheLease_PrintedAsJson()
    {
        using var lab = ClientLab.Pair();
        lab.StartKea(validLifetime: 8, renewTimer: 2, rebindTimer: 5);
        var client = lab.StartClient(lab.ClientArgs("--json"));
        string json = client.WaitForLine(@"^\{", Patience);
        using var lease = JsonDocument.Parse(json);
        var root = lease.RootElement;
        string address = root.GetProperty("address").GetString()!;

        Assert.Matches(@"^10\.9\.0\.(1[0-4]\d|150)$", address);
        Assert.Equal(24, root.GetProperty("prefix_length").GetInt32());
        Assert.Equal([ClientLab.ServerIp], root.GetProperty("routers").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal([ClientLab.DnsIp], root.GetProperty("dns_servers").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(ClientLab.Domain, root.GetProperty("domain").GetString());
        Assert.Equal((8, 2, 5), (root.GetProperty("lease_time").GetInt32(), root.GetProperty("renewal_time").GetInt32(),
            root.GetProperty("rebinding_time").GetInt32()));
        Assert.Equal(ClientLab.ServerIp, root.GetProperty("server").GetString());
        Assert.Equal([address + "/24"], lab.ClientAddresses());
        Assert.StartsWith($"default via {ClientLab.ServerIp} dev eth0", lab.ClientDefaultRoute());

        client.WaitForLine($@"lease of {Regex.Escape(address)} renewed", Patience);
        // Kea's memfile appends a line per lease update: the first grant and at least one renewal.
        string mac = lab.ClientMac();
        var keaLines = File.ReadAllLines(lab.Path("kea-leases4.csv")).Where(l => l.StartsWith(address + "," + mac, StringComparison.Ordinal)).ToList();
        Assert.True(keaLines.Count >= 2, string.Join('\n', keaLines));
        Assert.Equal([address + "/24"], lab.ClientAddresses());
    }

    [RootFact("dnsmasq", "ip")]
    public void Dnsmasq_NoConfigure_PrintsAndSavesTheLeaseButLeavesTheInterfaceAlone()
    {
        using var lab = ClientLab.Pair();
        lab.StartDnsmasq("--dhcp-range=10.9.0.100,10.9.0.150,255.255.255.0,2m");
        var result = lab.RunClient(lab.ClientArgs("--once", "--no-configure", "--json"));

        Assert.True(result.ExitCode == 0, result.Output);
        using var printed = JsonDocument.Parse(result.Stdout);
        string? address = printed.RootElement.GetProperty("address").GetString();
        Assert.Matches(@"^10\.9\.0\.1[0-5]\d$", address);
        using var saved = JsonDocument.Parse(File.ReadAllText(lab.ClientLeaseFile));
        Assert.Equal(address, saved.RootElement.GetProperty("address").GetString());
        Assert.Empty(lab.ClientAddresses());
        Assert.Equal("", lab.ClientDefaultRoute());
    }

    [RootFact("dnsmasq", "ip")]
    public void Dnsmasq_SavedAddressOfAnotherSubnet_NakThenFreshLease()
    {
        using var lab = ClientLab.Pair();
        var dnsmasq = lab.StartDnsmasq("--dhcp-range=10.9.0.100,10.9.0.150,255.255.255.0,2m", "--dhcp-authoritative");
        // A lease saved on another network: INIT-REBOOT asks for it, the authoritative server refuses.
        File.WriteAllText(lab.ClientLeaseFile, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["interface"] = "eth0", ["mac"] = lab.ClientMac(), ["address"] = "10.99.0.5", ["subnet_mask"] = "255.255.255.0",
            ["routers"] = new[] { "10.99.0.1" }, ["dns_servers"] = Array.Empty<string>(), ["server"] = "10.99.0.1",
            ["server_mac"] = "02:00:00:00:00:01", ["lease_time"] = 3600, ["renewal_time"] = 1800, ["rebinding_time"] = 3150,
            ["acquired"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        }));
        var result = lab.RunClient(lab.ClientArgs("--once"));

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("INIT-REBOOT: DHCPREQUEST for saved address 10.99.0.5", result.Output);
        Assert.Matches(@"DHCPNAK from 10\.9\.0\.1", result.Output);
        Assert.Matches(@"lease of 10\.9\.0\.1[0-5]\d obtained", result.Output);
        Assert.Contains("DHCPNAK(eth0) 10.99.0.5", dnsmasq.Output);
        Assert.Matches(@"^10\.9\.0\.1[0-5]\d/24$", Assert.Single(lab.ClientAddresses()));
    }

    [RootFact("dnsmasq", "ip")]
    public void Dnsmasq_OfferedAddressHeldByAnotherHost_DeclinesAndTakesAnother()
    {
        var (lab, squatter) = ClientLab.Bridged("10.9.0.100/24");
        using (lab)
        {
            string squatterMac = squatter.Exec("cat", "/sys/class/net/eth0/address").Trim();
            // --no-ping: dnsmasq would otherwise find the squatter itself and never offer its address.
            var dnsmasq = lab.StartDnsmasq("--dhcp-range=10.9.0.100,10.9.0.101,255.255.255.0,2m", "--no-ping");
            var result = lab.RunClient(lab.ClientArgs("--once", "--requested-ip", "10.9.0.100", "--decline-delay", "1s"));

            Assert.True(result.ExitCode == 0, result.Output);
            Assert.Contains($"10.9.0.100 is already in use by {squatterMac}: DHCPDECLINE", result.Output);
            Assert.Contains("DHCPDECLINE(eth0) 10.9.0.100", dnsmasq.Output);
            Assert.Contains("lease of 10.9.0.101 obtained", result.Output);
            Assert.Equal(["10.9.0.101/24"], lab.ClientAddresses());
        }
    }

    [RootFact("dnsmasq", "ip")]
    public void Dnsmasq_ReleaseOnSigterm_FreesTheLeaseOnTheServer()
    {
        using var lab = ClientLab.Pair();
        var dnsmasq = lab.StartDnsmasq("--dhcp-range=10.9.0.100,10.9.0.150,255.255.255.0,2m");
        var client = lab.StartClient(lab.ClientArgs("--release"));
        string address = client.WaitForLine(@"lease of 10\.9\.0\.\d+ obtained", Patience).Split(' ')[3];
        string mac = lab.ClientMac();
        string leases = lab.Path("dnsmasq.leases");
        Assert.Contains($" {mac} {address} ", File.ReadAllText(leases));

        client.Signal(15);
        Assert.True(client.WaitForExit(Patience), client.Output);
        Assert.Equal(0, client.ExitCode);
        Assert.Contains($"DHCPRELEASE of {address} to {ClientLab.ServerIp}", client.Output);
        dnsmasq.WaitForLine($@"DHCPRELEASE\(eth0\) {Regex.Escape(address)} {mac}", Patience);
        Assert.DoesNotContain(mac, File.ReadAllText(leases));
        Assert.Empty(lab.ClientAddresses());
        Assert.False(File.Exists(lab.ClientLeaseFile));
    }

    [RootFact("ip")]
    public void NoServer_GivesUpWithinTheTimeout_SayingNoServerAnswered()
    {
        using var lab = ClientLab.Pair();
        var watch = Stopwatch.StartNew();
        var result = lab.RunClient(lab.ClientArgs("--timeout", "3s", "--once"));
        watch.Stop();

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("no DHCP server answered on eth0 within 3s", result.Stderr);
        Assert.Contains("retransmitting DISCOVER", result.Output);
        // The timeout bounds the exchange; the rest is the runtime starting.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(13), $"took {watch.Elapsed}");
    }

    private static Dictionary<string, string> PrintedFields(string output) =>
        output.Split('\n').Select(line => line.TrimEnd('\r').Split(' ', 2, StringSplitOptions.RemoveEmptyEntries))
            .Where(parts => parts.Length == 2 && parts[0] is "address" or "mask" or "router" or "dns" or "domain" or "lease" or "server")
            .GroupBy(parts => parts[0]).ToDictionary(g => g.Key, g => g.First()[1].Trim());

    private static int CountMatches(string text, string value)
    {
        int count = 0;
        for (int index = text.IndexOf(value, StringComparison.Ordinal); index >= 0; index = text.IndexOf(value, index + 1, StringComparison.Ordinal))
        {
            count++;
        }
        return count;
    }
}
