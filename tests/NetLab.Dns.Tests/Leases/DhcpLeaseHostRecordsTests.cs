using Microsoft.Extensions.Logging.Abstractions;
using NetLab.Dns.Leases;
using NetLab.Testing;

namespace NetLab.Dns.Tests.Leases;

public sealed class DhcpLeaseHostRecordsTests : IDisposable
{
    private readonly string _dir = DnsTestZones.NewTempDir("leases");
    private DateTimeOffset _now = DateTimeOffset.FromUnixTimeSeconds(1_795_000_000);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Lease(string ip, string? host, long expires, string state) =>
        $"{{\"ip\":\"{ip}\",\"mac\":\"02:00:00:00:00:01\",\"client_id\":null,\"hostname\":{(host is null ? "null" : $"\"{host}\"")},\"expires\":{expires},\"state\":\"{state}\"}}";

    [Fact]
    public void ActiveUnexpiredLeases_WithHostnames_AreServed()
    {
        string path = Path.Combine(_dir, "leases.jsonl");
        long now = _now.ToUnixTimeSeconds();
        File.WriteAllLines(path,
        [
            Lease("192.168.10.100", "client1", now + 3600, "active"),
            Lease("192.168.10.101", "client2", now + 3600, "active"),
            Lease("192.168.10.101", "client2", now + 3600, "released"),
            Lease("192.168.10.102", "old", now - 1, "active"),
            Lease("192.168.10.103", null, now + 3600, "active"),
            "not json",
            Lease("192.168.10.104", "Client4", now + 30, "active"),
        ]);
        var hosts = new DhcpLeaseHostRecords(path, "lab.test", NullLogger.Instance, () => _now);
        var client1 = Assert.Single(hosts.Find("client1.lab.test"));
        Assert.Equal("192.168.10.100", client1.Data.ToString());
        Assert.Equal(60u, client1.Ttl);
        Assert.Empty(hosts.Find("client2.lab.test"));
        Assert.Empty(hosts.Find("old.lab.test"));
        // Host names are case-insensitive; a lease about to end is served for the time it has left.
        Assert.Equal(30u, Assert.Single(hosts.Find("client4.lab.test")).Ttl);
        Assert.Empty(hosts.Find("client1.other.test"));
    }

    [Fact]
    public void FileChanges_AreSeen_AndExpiryIsCheckedAtAnswerTime()
    {
        string path = Path.Combine(_dir, "leases.jsonl");
        long now = _now.ToUnixTimeSeconds();
        File.WriteAllLines(path, [Lease("192.168.10.100", "client1", now + 100, "active")]);
        var hosts = new DhcpLeaseHostRecords(path, "lab.test", NullLogger.Instance, () => _now);
        Assert.Single(hosts.Find("client1.lab.test"));
        File.AppendAllLines(path, [Lease("192.168.10.150", "client9", now + 600, "active")]);
        _now += TimeSpan.FromSeconds(2);
        Assert.Single(hosts.Find("client9.lab.test"));
        _now += TimeSpan.FromSeconds(100);
        Assert.Empty(hosts.Find("client1.lab.test"));
    }

    [Fact]
    public void MissingFile_ServesNothing()
    {
        var hosts = new DhcpLeaseHostRecords(Path.Combine(_dir, "none.jsonl"), "lab.test", NullLogger.Instance, () => _now);
        Assert.Empty(hosts.Find("client1.lab.test"));
    }
}
