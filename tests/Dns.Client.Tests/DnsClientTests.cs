using System.Globalization;
using System.Text.Json;
using NetLab.Testing;

namespace Dns.Client.Tests;

/// <summary>dns-client (the program) against NSD serving the lab zone.</summary>
public sealed class DnsClientTests : IClassFixture<DnsClientTests.Nsd>
{
    private readonly Nsd _nsd;

    public DnsClientTests(Nsd nsd) => _nsd = nsd;

    public sealed class Nsd : IDisposable
    {
        public Nsd()
        {
            if (Requirements.HasTool("nsd"))
            {
                Server = DnsReferenceServer.StartNsd("lab.test", DnsTestZones.LabZone);
            }
        }

        public DnsReferenceServer? Server { get; }

        public void Dispose() => Server?.Dispose();
    }

    private Shell.Result Client(params string[] args) =>
        Shell.Run("dotnet", [Repo.ProgramDll("dns-client"), .. args, "--server", "127.0.0.1:" + _nsd.Server!.Port.ToString(CultureInfo.InvariantCulture)],
            TimeSpan.FromSeconds(60));

    [ToolFact("nsd")]
    public void DigLikeOutput_WithSectionsAndTime()
    {
        var result = Client("www.lab.test");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("status: NOERROR", result.Stdout, StringComparison.Ordinal);
        Assert.Matches(@"flags: qr aa rd;", result.Stdout);
        Assert.Contains(";; ANSWER SECTION:\nwww.lab.test.\t3600\tIN\tCNAME\tftp.lab.test.\nftp.lab.test.\t3600\tIN\tA\t192.168.10.1\n", result.Stdout, StringComparison.Ordinal);
        Assert.Matches(@";; Query time: \d+(\.\d+)? msec", result.Stdout);
        Assert.Contains("(UDP)", result.Stdout, StringComparison.Ordinal);
    }

    [ToolFact("nsd")]
    public void Short_PrintsOnlyTheData()
    {
        Assert.Equal("10 mail.lab.test.\n", Client("lab.test", "MX", "--short").Stdout);
        Assert.Equal("0 5 21 ftp.lab.test.\n", Client("_ftp._tcp.lab.test", "SRV", "--short").Stdout);
        Assert.Equal("\"v=spf1 -all\" \"second string\"\n", Client("lab.test", "TXT", "--short").Stdout);
    }

    [ToolFact("nsd")]
    public void Json_HasTheSections()
    {
        var result = Client("nope.lab.test", "A", "--json");
        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Stdout);
        var root = json.RootElement;
        Assert.Equal("NXDOMAIN", root.GetProperty("rcode").GetString());
        Assert.Equal("udp", root.GetProperty("transport").GetString());
        Assert.Equal(0, root.GetProperty("answer").GetArrayLength());
        var soa = root.GetProperty("authority")[0];
        Assert.Equal("SOA", soa.GetProperty("type").GetString());
        Assert.Equal(300, soa.GetProperty("ttl").GetInt32());
        Assert.True(root.GetProperty("elapsed_ms").GetDouble() > 0);
    }

    [ToolFact("nsd")]
    public void TruncatedAnswer_IsRetriedOverTcp()
    {
        var result = Client("big.lab.test", "TXT");
        Assert.Contains("ANSWER: 20,", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("(TCP)", result.Stdout, StringComparison.Ordinal);
    }

    [ToolFact("nsd")]
    public void Tcp_Flag()
    {
        var result = Client("ftp.lab.test", "AAAA", "--tcp", "--short");
        Assert.Equal("fd00:10::1\n", result.Stdout);
    }

    [Fact]
    public void BadType_AndNoServer_AreExplained()
    {
        var badType = Shell.Run("dotnet", [Repo.ProgramDll("dns-client"), "ftp.lab.test", "BOGUS", "--server", "127.0.0.1"], TimeSpan.FromSeconds(60));
        Assert.Equal(2, badType.ExitCode);
        Assert.Contains("'BOGUS' is not a record type", badType.Stderr, StringComparison.Ordinal);
        int port = FreePort.UdpAndTcp();
        var silent = Shell.Run("dotnet", [Repo.ProgramDll("dns-client"), "ftp.lab.test", "--server", $"127.0.0.1:{port}", "--tcp", "--timeout", "500"],
            TimeSpan.FromSeconds(60));
        Assert.Equal(9, silent.ExitCode);
        Assert.Contains($"127.0.0.1:{port}", silent.Stderr, StringComparison.Ordinal);
    }
}
