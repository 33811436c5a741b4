using NetLab.Dhcp.Leases;
using NetLab.Protocols.Addressing;
using NetLab.Protocols.Dhcp;
using NetLab.Testing;

namespace NetLab.Hosts.DhcpServer.Tests;

/// <summary>The server against many hand-made clients at once (raw frames from the client namespace).</summary>
public class RawClientTests
{
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(10);

    [RootFact]
    public void FiftyClientsAtOnce_GetFiftyDistinctAddresses_WhileProbesRun()
    {
        // ARP probes stay on: 50 probes of 300 ms in series would take 15 s; the timeout below allows a fraction.
        using var lab = DhcpServerLab.Start("dhcp50", "192.168.10.200", "--ping-timeout", "300ms");
        using var clients = new RawDhcpClient(lab.ClientHost);
        var macs = Enumerable.Range(1, 50).Select(RawDhcpClient.Mac).ToList();

        var leases = clients.Dora(macs, ReplyTimeout);

        Assert.All(leases, l => Assert.True(l.Value is not null, $"{l.Key} got no lease; server output:\n{lab.Server.Output}"));
        var addresses = leases.Values.Select(a => a!.Value).ToList();
        Assert.Equal(50, addresses.Distinct().Count());
        Assert.All(addresses, a => Assert.True(a >= IPv4Address.Parse("192.168.10.100") && a <= IPv4Address.Parse("192.168.10.200"), $"{a} outside the pool"));
        // Every ACK was journaled before it left.
        var journal = lab.Leases();
        Assert.All(leases, l => Assert.Equal(l.Key, journal[l.Value!.Value].Mac));
    }

    [RootFact]
    public void ReservedMac_GetsItsAddress_OthersDoNot()
    {
        var reserved = RawDhcpClient.Mac(7);
        using var lab = DhcpServerLab.Start("dhcpres", "192.168.10.200", "--reserve", $"{reserved}=192.168.10.42", "--no-ping");
        using var clients = new RawDhcpClient(lab.ClientHost);

        var leases = clients.Dora([reserved, RawDhcpClient.Mac(8)], ReplyTimeout);

        Assert.Equal(IPv4Address.Parse("192.168.10.42"), leases[reserved]);
        Assert.NotEqual(IPv4Address.Parse("192.168.10.42"), leases[RawDhcpClient.Mac(8)]);
        var stranger = clients.Exchange(RawDhcpClient.Reboot(RawDhcpClient.Mac(9), IPv4Address.Parse("192.168.10.42")), ReplyTimeout);
        Assert.Equal(DhcpMessageType.Nak, stranger?.MessageType);
    }

    [RootFact]
    public void RequestForAddressOfAnotherSubnet_GetsNak()
    {
        using var lab = DhcpServerLab.Start("dhcpnak", "192.168.10.200", "--no-ping");
        using var clients = new RawDhcpClient(lab.ClientHost);
        var mac = RawDhcpClient.Mac(1);

        var reply = clients.Exchange(RawDhcpClient.Reboot(mac, IPv4Address.Parse("10.99.0.5")), ReplyTimeout);

        Assert.NotNull(reply);
        Assert.Equal(DhcpMessageType.Nak, reply.MessageType);
        Assert.Equal(IPv4Address.Any, reply.YourAddress);
        Assert.Equal(IPv4Address.Parse("192.168.10.1"), reply.ServerIdentifier);
        lab.Server.WaitForLine($@"DHCPNAK\(eth0\) 10\.99\.0\.5 {mac} wrong network", ReplyTimeout);
    }

    [RootFact]
    public void PoolExhausted_NoOffer_AndWarning()
    {
        using var lab = DhcpServerLab.Start("dhcpfull", "192.168.10.101", "--no-ping");
        using var clients = new RawDhcpClient(lab.ClientHost);

        var first = clients.Dora([RawDhcpClient.Mac(1), RawDhcpClient.Mac(2)], ReplyTimeout);
        Assert.All(first.Values, a => Assert.NotNull(a));
        var third = clients.Exchange(RawDhcpClient.Discover(RawDhcpClient.Mac(3)), TimeSpan.FromSeconds(2));

        Assert.Null(third);
        lab.Server.WaitForLine(@"warning: address pool 192\.168\.10\.100-192\.168\.10\.101 exhausted", ReplyTimeout);
        lab.Server.WaitForLine($@"DHCPDISCOVER\(eth0\) {RawDhcpClient.Mac(3)} no address available", ReplyTimeout);
    }

    [RootFact]
    public void Decline_QuarantinesAddress()
    {
        using var lab = DhcpServerLab.Start("dhcpdecl", "192.168.10.100", "--no-ping", "--decline-probation", "10m");
        using var clients = new RawDhcpClient(lab.ClientHost);
        var mac = RawDhcpClient.Mac(1);
        var address = clients.Dora([mac], ReplyTimeout)[mac]!.Value;

        clients.Send(RawDhcpClient.Decline(mac, address));
        lab.Server.WaitForLine($@"{address} declined by {mac} .*quarantined", ReplyTimeout);

        // The only address is quarantined: neither the decliner nor anyone else is offered it.
        Assert.Null(clients.Exchange(RawDhcpClient.Discover(RawDhcpClient.Mac(2)), TimeSpan.FromSeconds(2)));
        Assert.Equal(LeaseState.Declined, lab.Leases()[address].State);
    }

    [RootFact]
    public void ArpProbe_AddressInUse_IsSkippedAndQuarantined()
    {
        using var lab = DhcpServerLab.Start("dhcparp", "192.168.10.200", "--ping-timeout", "1s");
        // A host configured by hand already sits on the first pool address and answers ARP for it.
        lab.ClientHost.Exec("ip", "addr", "add", "192.168.10.100/24", "dev", "eth0");
        using var clients = new RawDhcpClient(lab.ClientHost);

        var offer = clients.Exchange(RawDhcpClient.Discover(RawDhcpClient.Mac(1)), ReplyTimeout);

        Assert.NotNull(offer);
        Assert.NotEqual(IPv4Address.Parse("192.168.10.100"), offer.YourAddress);
        lab.Server.WaitForLine(@"warning: ARP probe: 192\.168\.10\.100 is already used by", ReplyTimeout);
        lab.Server.Signal(15);
        Assert.True(lab.Server.WaitForExit(TimeSpan.FromSeconds(10)));
        Assert.Equal(LeaseState.Declined, lab.Leases()[IPv4Address.Parse("192.168.10.100")].State);
    }

    [RootFact]
    public void MalformedFrames_AreCountedAndDropped_ServerKeepsServing()
    {
        using var lab = DhcpServerLab.Start("dhcpbad", "192.168.10.200", "--no-ping");
        using var clients = new RawDhcpClient(lab.ClientHost);
        var random = new Random(3);
        var valid = RawDhcpClient.Discover(RawDhcpClient.Mac(1)).ToArray();
        for (int i = 0; i < 200; i++)
        {
            byte[] garbage = valid[..random.Next(valid.Length)];
            if (garbage.Length > 0)
            {
                garbage[random.Next(garbage.Length)] ^= (byte)random.Next(1, 256);
            }
            clients.SendPayload(garbage);
        }

        var offer = clients.Exchange(RawDhcpClient.Discover(RawDhcpClient.Mac(2)), ReplyTimeout);
        // SIGUSR1 prints the counters while the server keeps running.
        lab.Server.Signal(10);
        Assert.Matches(@"counters: received \d+, malformed [1-9]", lab.Server.WaitForLine("counters: received", ReplyTimeout));
        Assert.False(lab.Server.HasExited);
        lab.Server.Signal(15);
        string stopped = lab.Server.WaitForLine(@"stopped: received", ReplyTimeout);
        Assert.True(offer?.MessageType == DhcpMessageType.Offer, $"no offer after the garbage; server output:\n{lab.Server.Output}");
        int malformed = int.Parse(System.Text.RegularExpressions.Regex.Match(stopped, @"malformed (\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(malformed, 100, 200);
    }

    [RootFact]
    public void KillNine_RestartedServerKeepsEveryLease_AndHandsNoneOutTwice()
    {
        using var lab = DhcpServerLab.Start("dhcpkill", "192.168.10.200", "--no-ping");
        var first = Enumerable.Range(1, 20).Select(RawDhcpClient.Mac).ToList();
        Dictionary<MacAddress, IPv4Address?> leases;
        using (var clients = new RawDhcpClient(lab.ClientHost))
        {
            leases = clients.Dora(first, ReplyTimeout);
        }
        Assert.All(leases.Values, a => Assert.NotNull(a));

        lab.Server.Signal(9);
        Assert.True(lab.Server.WaitForExit(TimeSpan.FromSeconds(10)));
        lab.StartServer();

        using var again = new RawDhcpClient(lab.ClientHost);
        // INIT-REBOOT: every client asks for the address it remembers and gets it.
        var reboots = again.ExchangeAll(first.Select(m => RawDhcpClient.Reboot(m, leases[m]!.Value)).ToList(), ReplyTimeout);
        Assert.All(reboots, r => Assert.Equal(DhcpMessageType.Ack, r.Value?.MessageType));
        Assert.All(reboots, r => Assert.Equal(leases[r.Key.ClientMac], r.Value!.YourAddress));
        // New clients get other addresses.
        var newcomers = again.Dora(Enumerable.Range(100, 20).Select(RawDhcpClient.Mac).ToList(), ReplyTimeout);
        Assert.All(newcomers.Values, a => Assert.NotNull(a));
        Assert.Empty(newcomers.Values.Intersect(leases.Values));
        Assert.Equal(40, newcomers.Values.Concat(leases.Values).Distinct().Count());
    }
}
