using NetLab.Testing;

namespace NetLab.Hosts.DhcpServer.Tests;

/// <summary>Bad flags are refused before anything starts, with a message naming the problem.</summary>
public class CommandLineTests
{
    [RootTheory]
    [InlineData("192.168.10.100 192.168.10.200 255.0.255.0", "invalid subnet mask")]
    [InlineData("192.168.10.200 192.168.10.100 255.255.255.0", "is after its end")]
    [InlineData("10.0.0.10 10.0.0.20 255.255.255.0", "outside the subnet 192.168.10.0/24")]
    [InlineData("192.168.10.100 192.168.10.200 255.255.255.0 --reserve 02:00:00:00:00:01=10.1.1.1", "not a host address of the subnet")]
    [InlineData("192.168.10.100 192.168.10.200 255.255.255.0 --lease-time soon", "is not a duration")]
    [InlineData("192.168.10.100 192.168.10.200 255.255.255.0 --router 10.0.0.1", "outside the subnet 192.168.10.0/24; clients could not reach it")]
    public void BadValues_FailBeforeStarting(string arguments, string expected)
    {
        using var network = TestNetwork.CreatePair("dhcpcli", "192.168.10.1/24", null);
        string[] args = ["--interface", "eth0", "--dhcp-range", .. arguments.Split(' ')];
        AssertRefused(network, args, expected);
    }

    [RootFact]
    public void UnknownInterface_FailsBeforeStarting()
    {
        using var network = TestNetwork.CreatePair("dhcpcli", "192.168.10.1/24", null);
        AssertRefused(network, ["--interface", "eth9", "--dhcp-range", "192.168.10.100", "192.168.10.200"], "no interface 'eth9'");
    }

    private static void AssertRefused(TestNetwork network, string[] args, string expected)
    {
        var result = network.Hosts[0].Run("dotnet", [Repo.ProgramDll("dhcp-server"), .. args]);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("dhcp-server on", result.Output, StringComparison.Ordinal);
    }

    [ToolFact]
    public void Leases_PrintsActiveLeasesAsTableAndJson()
    {
        string file = Path.Combine(Path.GetTempPath(), $"netlab-leases-{Guid.NewGuid():N}.jsonl");
        long future = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        File.WriteAllLines(file,
        [
            $$"""{"ip":"192.168.10.100","mac":"02:00:00:00:00:01","client_id":null,"hostname":"one","expires":{{future}},"state":"active"}""",
            $$"""{"ip":"192.168.10.101","mac":"02:00:00:00:00:02","client_id":null,"hostname":"two","expires":{{future}},"state":"active"}""",
            $$"""{"ip":"192.168.10.101","mac":"02:00:00:00:00:02","client_id":null,"hostname":"two","expires":{{future}},"state":"released"}""",
            """{"ip":"192.168.10.102","mac":"02:00:00:00:00:03","client_id":null,"hostname":"old","expires":1000,"state":"active"}""",
        ]);
        try
        {
            var table = Shell.Run("dotnet", Repo.ProgramDll("dhcp-server"), "leases", "--lease-file", file);
            Assert.Equal(0, table.ExitCode);
            Assert.Contains("02:00:00:00:00:01", table.Stdout, StringComparison.Ordinal);
            Assert.DoesNotContain("02:00:00:00:00:02", table.Stdout, StringComparison.Ordinal);
            Assert.Contains("1 lease(s)", table.Stdout, StringComparison.Ordinal);

            var json = Shell.Run("dotnet", Repo.ProgramDll("dhcp-server"), "leases", "--lease-file", file, "--json");
            using var document = System.Text.Json.JsonDocument.Parse(json.Stdout);
            var only = Assert.Single(document.RootElement.EnumerateArray().ToList());
            Assert.Equal("192.168.10.100", only.GetProperty("ip").GetString());
            Assert.Equal("one", only.GetProperty("hostname").GetString());
        }
        finally
        {
            File.Delete(file);
        }
    }
}
