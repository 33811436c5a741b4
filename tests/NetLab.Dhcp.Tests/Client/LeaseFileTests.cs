using System.Text.Json;
using NetLab.Dhcp.Client;
using NetLab.Protocols.Addressing;

namespace NetLab.Dhcp.Tests.Client;

public sealed class LeaseFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("dhcpc-lease-").FullName;

    internal static DhcpLease SampleLease() => new()
    {
        Interface = "eth0",
        ClientMac = MacAddress.Parse("02:00:00:00:00:01"),
        Address = IPv4Address.Parse("192.168.10.100"),
        SubnetMask = IPv4Address.Parse("255.255.255.0"),
        Routers = [IPv4Address.Parse("192.168.10.1")],
        DnsServers = [IPv4Address.Parse("192.168.10.1"), IPv4Address.Parse("192.168.10.2")],
        DomainName = "lab.test",
        BroadcastAddress = IPv4Address.Parse("192.168.10.255"),
        ServerIdentifier = IPv4Address.Parse("192.168.10.1"),
        ServerMac = MacAddress.Parse("02:00:00:00:00:fe"),
        LeaseSeconds = 3600,
        RenewalSeconds = 1800,
        RebindingSeconds = 3150,
        Acquired = DateTimeOffset.FromUnixTimeSeconds(1_795_000_000),
    };

    [Fact]
    public void SaveThenLoad_RoundTripsEveryField()
    {
        string path = Path.Combine(_directory, "sub", "eth0.json");
        var lease = SampleLease();
        LeaseFile.Save(path, lease);
        var loaded = LeaseFile.Load(path, out string? error);

        Assert.Null(error);
        Assert.NotNull(loaded);
        Assert.Equal(lease with { Routers = loaded.Routers, DnsServers = loaded.DnsServers }, loaded);
        Assert.Equal(lease.Routers, loaded.Routers);
        Assert.Equal(lease.DnsServers, loaded.DnsServers);
        Assert.False(File.Exists(path + ".tmp"));
    }

    [Fact]
    public void Json_UsesPlainSnakeCaseFieldsScriptsCanRead()
    {
        using var document = JsonDocument.Parse(LeaseFile.ToJson(SampleLease()));
        var root = document.RootElement;
        Assert.Equal("192.168.10.100", root.GetProperty("address").GetString());
        Assert.Equal(24, root.GetProperty("prefix_length").GetInt32());
        Assert.Equal(["192.168.10.1", "192.168.10.2"], root.GetProperty("dns_servers").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("lab.test", root.GetProperty("domain").GetString());
        Assert.Equal(3600, root.GetProperty("lease_time").GetInt32());
        Assert.Equal(1_795_003_600, root.GetProperty("expires").GetInt64());
    }

    [Fact]
    public void Load_MissingFile_IsNoLeaseWithoutError()
    {
        Assert.Null(LeaseFile.Load(Path.Combine(_directory, "none.json"), out string? error));
        Assert.Null(error);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{}")]
    [InlineData("{\"interface\":\"eth0\",\"mac\":\"02:00:00:00:00:01\",\"server_mac\":\"02:00:00:00:00:02\",\"address\":\"300.1.1.1\",\"subnet_mask\":\"255.255.255.0\",\"server\":\"10.0.0.1\"}")]
    [InlineData("[1,2,3]")]
    public void Load_DamagedFile_GivesReasonInsteadOfThrowing(string content)
    {
        string path = Path.Combine(_directory, "bad.json");
        File.WriteAllText(path, content);
        Assert.Null(LeaseFile.Load(path, out string? error));
        Assert.Contains(path, error);
    }

    [Fact]
    public void Text_ListsAddressMaskRouterDnsDomainLeaseAndServer()
    {
        string text = LeaseText.Format(SampleLease());
        var fields = text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries))
            .ToDictionary(parts => parts[0], parts => parts[1].Trim());
        Assert.Equal("192.168.10.100/24", fields["address"]);
        Assert.Equal("255.255.255.0", fields["mask"]);
        Assert.Equal("192.168.10.1", fields["router"]);
        Assert.Equal("192.168.10.1 192.168.10.2", fields["dns"]);
        Assert.Equal("lab.test", fields["domain"]);
        Assert.StartsWith("3600s", fields["lease"]);
        Assert.Equal("192.168.10.1", fields["server"]);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
