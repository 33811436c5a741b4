using System.Net;
using System.Net.Sockets;
using NetLab.Testing;

namespace Dns.Server.Tests;

/// <summary>The dns-server program itself: flag and zone errors, busy ports, counters, DHCP lease names.</summary>
public sealed class HostTests : IDisposable
{
    private readonly string _dir = DnsTestZones.NewTempDir("host");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Shell.Result RunServer(params string[] args) =>
        Shell.Run("dotnet", [Repo.ProgramDll("dns-server"), .. args], TimeSpan.FromSeconds(60));

    [Fact]
    public void ZoneError_NamesFileLineAndProblem()
    {
        string path = Path.Combine(_dir, "bad.zone");
        File.WriteAllText(path, "@ IN SOA ns h 1 2 3 4 5\nwww IN A 192.168.10.300\n");
        var result = RunServer("--listen", $"127.0.0.1:{FreePort.UdpAndTcp()}", "--zone", "lab.test=" + path);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{path}:2: '192.168.10.300' is not an IPv4 address", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingZoneFile_SaysSo()
    {
        var result = RunServer("--listen", $"127.0.0.1:{FreePort.UdpAndTcp()}", "--zone", "lab.test=" + Path.Combine(_dir, "none.zone"));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("cannot read the zone file", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--listen", "127.0.0.1:99999", "--listen '127.0.0.1:99999' is not IP[:PORT]")]
    [InlineData("--zone", "lab.test", "--zone 'lab.test' must be NAME=PATH")]
    [InlineData("--allow-recursion", "10.0.0.0/40", "--allow-recursion '10.0.0.0/40' is not an address or CIDR block")]
    [InlineData("--workers", "0", "--workers 0 is out of range")]
    public void BadFlag_ExplainsAndExitsNonZero(string flag, string value, string message)
    {
        var result = RunServer(flag, value);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void PortInUse_SaysSo()
    {
        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        int port = ((IPEndPoint)busy.LocalEndpoint).Port;
        var result = RunServer("--listen", $"127.0.0.1:{port}", "--record", "a.lab.test A 192.168.10.1");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("the port is in use", result.Stderr, StringComparison.Ordinal);
    }

    [ToolFact("dig")]
    public void Counters_OnSigusr1_AndAtExit()
    {
        using var server = DnsServerProcess.Start("--record", "ftp.lab.test A 192.168.10.1");
        Dig.Run("dig", server.Port, "ftp.lab.test", "A");
        Dig.Run("dig", server.Port, "nope.lab.test", "A");
        Dig.Run("dig", server.Port, "+tcp", "ftp.lab.test", "A");
        string counters = server.Counters();
        Assert.Contains("queries=3 udp=2 tcp=1", counters, StringComparison.Ordinal);
        Assert.Contains("rcode_noerror=2", counters, StringComparison.Ordinal);
        Assert.Contains("rcode_nxdomain=1", counters, StringComparison.Ordinal);
        server.Process.Signal(15);
        Assert.True(server.Process.WaitForExit(TimeSpan.FromSeconds(10)));
        Assert.Equal(2, server.Process.Output.Split('\n').Count(l => l.StartsWith("counters: queries=3", StringComparison.Ordinal)));
    }

    [ToolFact("dig")]
    public void DhcpLeaseNames_AreServed_AndFollowTheFile()
    {
        string leases = Path.Combine(_dir, "leases.jsonl");
        long expires = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 3600;
        File.WriteAllText(leases,
            $"{{\"ip\":\"192.168.10.100\",\"mac\":\"02:00:00:00:00:01\",\"client_id\":\"01020000000001\",\"hostname\":\"client1\",\"expires\":{expires},\"state\":\"active\"}}\n");
        using var server = DnsServerProcess.Start("--record", "ftp.lab.test A 192.168.10.1", "--dhcp-leases", leases, "--domain", "lab.test");
        Assert.Equal(["client1.lab.test. 60 IN A 192.168.10.100"], Dig.Records(Dig.Run("dig", server.Port, "+noall", "+answer", "client1.lab.test", "A")));
        Assert.Equal("NXDOMAIN", Dig.Status(Dig.Run("dig", server.Port, "client2.lab.test", "A")));

        // client2 arrives, client1 releases its lease: the server sees both within a second or two.
        File.AppendAllText(leases,
            $"{{\"ip\":\"192.168.10.101\",\"mac\":\"02:00:00:00:00:02\",\"client_id\":null,\"hostname\":\"client2\",\"expires\":{expires},\"state\":\"active\"}}\n" +
            $"{{\"ip\":\"192.168.10.100\",\"mac\":\"02:00:00:00:00:01\",\"client_id\":\"01020000000001\",\"hostname\":\"client1\",\"expires\":{expires},\"state\":\"released\"}}\n");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        List<string> answer;
        do
        {
            Thread.Sleep(300);
            answer = Dig.Records(Dig.Run("dig", server.Port, "+noall", "+answer", "client2.lab.test", "A"));
        }
        while (answer.Count == 0 && DateTime.UtcNow < deadline);
        Assert.Equal(["client2.lab.test. 60 IN A 192.168.10.101"], answer);
        Assert.Equal("NXDOMAIN", Dig.Status(Dig.Run("dig", server.Port, "client1.lab.test", "A")));
        Assert.Equal("NOERROR", Dig.Status(Dig.Run("dig", server.Port, "ftp.lab.test", "A")));
    }
}
