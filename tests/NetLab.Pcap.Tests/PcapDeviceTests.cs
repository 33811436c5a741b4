using System.Net;
using NetLab.Testing;

namespace NetLab.Pcap.Tests;

public class PcapDeviceTests
{
    [Fact]
    public void List_HasLoopbackWithItsAddress()
    {
        var devices = PcapDevice.List();

        Assert.Equal(devices.Count, devices.Select(d => d.Name).Distinct().Count());
        var loopback = Assert.Single(devices, d => d.Name == "lo");
        Assert.True(loopback.IsLoopback);
        Assert.Contains(IPAddress.Loopback, loopback.IPv4Addresses);
    }

    [RootFact]
    public void List_InNamespace_ShowsVethEndWithAddressAndState()
    {
        using var network = TestNetwork.CreatePair("pcapdev", "10.9.0.1/24", null);
        var host = network.Hosts[0];
        host.Exec("ip", "link", "add", "down0", "type", "veth", "peer", "name", "down1");

        IReadOnlyList<PcapDeviceInfo> devices;
        using (host.Enter())
        {
            devices = PcapDevice.List();
        }

        var eth0 = Assert.Single(devices, d => d.Name == "eth0");
        Assert.True(eth0.IsUp);
        Assert.False(eth0.IsLoopback);
        var address = Assert.Single(eth0.Addresses, a => a.Address.Equals(IPAddress.Parse("10.9.0.1")));
        Assert.Equal(IPAddress.Parse("255.255.255.0"), address.Netmask);
        Assert.Equal(IPAddress.Parse("10.9.0.1"), Assert.Single(eth0.IPv4Addresses));
        var down = Assert.Single(devices, d => d.Name == "down0");
        Assert.False(down.IsUp);
        Assert.Empty(down.IPv4Addresses);
    }
}
