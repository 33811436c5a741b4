using System.Text.RegularExpressions;
using NetLab.Testing;

namespace Dhcp.Client.Tests;

/// <summary>dhcp-client against NetLab's own dhcp-server: lease, renewal, release and decline as the server's
/// lease journal records them.</summary>
public class NetLabServerInteropTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [RootFact("ip")]
    public void DhcpServer_LeaseIsAppliedRenewedAndReleased()
    {
        using var lab = ClientLab.Pair();
        var server = lab.StartNetLabServer("--lease-time", "10s");
        using var arp = new ArpRecorder(lab.Server);
        var client = lab.StartClient(lab.ClientArgs("--release"));
        string address = client.WaitForLine(@"lease of 10\.9\.0\.\d+ obtained from 10\.9\.0\.1, lease time 10s", Patience).Split(' ')[3];
        string mac = lab.ClientMac();

        // RFC 5227: probes from 0.0.0.0 before the address is used, then announcements of it from the client.
        var fromClient = arp.Packets.Where(p => p.SenderMac.ToString() == mac && p.TargetIp.ToString() == address).ToList();
        Assert.Contains(fromClient, p => p.SenderIp.IsAny);
        var started = DateTime.UtcNow;
        while (!fromClient.Any(p => p.IsGratuitous) && DateTime.UtcNow - started < Patience)
        {
            Thread.Sleep(50);
            fromClient = arp.Packets.Where(p => p.SenderMac.ToString() == mac && p.TargetIp.ToString() == address).ToList();
        }
        Assert.Equal(2, fromClient.Count(p => p.IsGratuitous));

        Assert.Equal([address + "/24"], lab.ClientAddresses());
        Assert.StartsWith($"default via {ClientLab.ServerIp} dev eth0", lab.ClientDefaultRoute());
        var granted = lab.NetLabServerLease(address);
        Assert.NotNull(granted);
        Assert.Equal("active", granted.Value.GetProperty("state").GetString());
        Assert.Equal(mac, granted.Value.GetProperty("mac").GetString());

        client.WaitForLine(@"RENEWING: DHCPREQUEST", Patience);
        client.WaitForLine($@"lease of {Regex.Escape(address)} renewed", Patience);
        long renewedExpiry = lab.NetLabServerLease(address)!.Value.GetProperty("expires").GetInt64();
        Assert.True(renewedExpiry > granted.Value.GetProperty("expires").GetInt64(), "the renewal extended the lease on the server");

        client.Signal(15);
        Assert.True(client.WaitForExit(Patience), client.Output);
        Assert.Equal(0, client.ExitCode);
        server.WaitForLine($@"DHCPRELEASE\(eth0\) {Regex.Escape(address)}", Patience);
        Assert.Equal("released", lab.NetLabServerLease(address)!.Value.GetProperty("state").GetString());
        Assert.Empty(lab.ClientAddresses());
    }

    [RootFact("ip")]
    public void DhcpServer_AddressHeldByAnotherHost_IsDeclinedAndQuarantined()
    {
        var (lab, squatter) = ClientLab.Bridged("10.9.0.100/24");
        using (lab)
        {
            string squatterMac = squatter.Exec("cat", "/sys/class/net/eth0/address").Trim();
            // --no-ping: the server would otherwise detect the squatter itself before offering.
            var server = lab.StartNetLabServer("--no-ping");
            var result = lab.RunClient(lab.ClientArgs("--once", "--requested-ip", "10.9.0.100", "--decline-delay", "1s"));

            Assert.True(result.ExitCode == 0, result.Output);
            Assert.Contains($"10.9.0.100 is already in use by {squatterMac}: DHCPDECLINE", result.Output);
            server.WaitForLine(@"DHCPDECLINE\(eth0\) 10\.9\.0\.100", Patience);
            Assert.Equal("declined", lab.NetLabServerLease("10.9.0.100")!.Value.GetProperty("state").GetString());
            string address = Assert.Single(lab.ClientAddresses());
            Assert.NotEqual("10.9.0.100/24", address);
            Assert.Matches(@"^10\.9\.0\.1[0-5]\d/24$", address);
        }
    }
}
