using NetLab.Testing;

namespace Dns.Server.Tests;

/// <summary>dig and kdig (Knot's client) against dns-server serving the lab zone.</summary>
public sealed class DigInteropTests : IClassFixture<DigInteropTests.LabServer>
{
    private readonly LabServer _lab;

    public DigInteropTests(LabServer lab) => _lab = lab;

    public sealed class LabServer : IDisposable
    {
        private readonly string _dir = DnsTestZones.NewTempDir("dig");

        public LabServer()
        {
            Server = DnsServerProcess.Start("--zone", "lab.test=" + DnsTestZones.WriteLabZone(_dir));
        }

        public DnsServerProcess Server { get; }

        public void Dispose()
        {
            Server.Dispose();
            Directory.Delete(_dir, recursive: true);
        }
    }

    public static TheoryData<string, string, string> EveryType => new()
    {
        { "ftp.lab.test", "A", "ftp.lab.test. 3600 IN A 192.168.10.1" },
        { "ftp.lab.test", "AAAA", "ftp.lab.test. 3600 IN AAAA fd00:10::1" },
        { "www.lab.test", "CNAME", "www.lab.test. 3600 IN CNAME ftp.lab.test." },
        { "lab.test", "NS", "lab.test. 3600 IN NS ns1.lab.test." },
        { "lab.test", "SOA", "lab.test. 3600 IN SOA ns1.lab.test. hostmaster.lab.test. 2026112101 7200 900 1209600 300" },
        { "lab.test", "MX", "lab.test. 3600 IN MX 10 mail.lab.test." },
        { "lab.test", "TXT", "lab.test. 3600 IN TXT \"v=spf1 -all\" \"second string\"" },
        { "1.10.168.192.lab.test", "PTR", "1.10.168.192.lab.test. 3600 IN PTR ftp.lab.test." },
        { "_ftp._tcp.lab.test", "SRV", "_ftp._tcp.lab.test. 3600 IN SRV 0 5 21 ftp.lab.test." },
        { "caa.lab.test", "CAA", "caa.lab.test. 3600 IN CAA 0 issue \"ca.lab.test\"" },
    };

    [ToolTheory("dig")]
    [MemberData(nameof(EveryType))]
    public void Dig_EveryRecordType(string name, string type, string expected)
    {
        string output = Dig.Run("dig", _lab.Server.Port, "+norec", "+noall", "+answer", name, type);
        Assert.Equal([expected], Dig.Records(output));
    }

    [ToolTheory("kdig")]
    [MemberData(nameof(EveryType))]
    public void Kdig_EveryRecordType(string name, string type, string expected)
    {
        string output = Dig.Run("kdig", _lab.Server.Port, "+norec", "+noall", "+answer", name, type);
        // kdig writes the same master-file lines as dig.
        Assert.Equal([expected], Dig.Records(output));
    }

    [ToolTheory("dig")]
    [InlineData("dig")]
    [InlineData("kdig")]
    public void NxDomain_WithSoa(string tool)
    {
        SkipUnless(tool);
        string output = Dig.Run(tool, _lab.Server.Port, "+norec", "nope.lab.test", "A");
        Assert.Equal("NXDOMAIN", Dig.Status(output));
        Assert.Matches(@"(?m)^lab\.test\.\s+300\s+IN\s+SOA\s+ns1\.lab\.test\.", output);
        Assert.Matches(@"(?i)flags: qr aa", output);
    }

    [ToolTheory("dig")]
    [InlineData("dig")]
    [InlineData("kdig")]
    public void NoData_WithSoa(string tool)
    {
        SkipUnless(tool);
        string output = Dig.Run(tool, _lab.Server.Port, "+norec", "ftp.lab.test", "MX");
        Assert.Equal("NOERROR", Dig.Status(output));
        Assert.Matches(@"ANSWER: 0[,;] AUTHORITY: 1", output);
        Assert.Matches(@"(?m)^lab\.test\.\s+300\s+IN\s+SOA", output);
    }

    [ToolFact("dig")]
    public void Tcp()
    {
        string output = Dig.Run("dig", _lab.Server.Port, "+tcp", "+norec", "alias.lab.test", "A");
        Assert.Contains("(TCP)", output, StringComparison.Ordinal);
        Assert.Equal(["alias.lab.test. 3600 IN CNAME www.lab.test.", "ftp.lab.test. 3600 IN A 192.168.10.1", "www.lab.test. 3600 IN CNAME ftp.lab.test."],
            Dig.Records(Dig.Run("dig", _lab.Server.Port, "+tcp", "+norec", "+noall", "+answer", "alias.lab.test", "A")));
    }

    [ToolFact("kdig")]
    public void Kdig_Tcp() =>
        Assert.Equal(["ftp.lab.test. 3600 IN A 192.168.10.1"],
            Dig.Records(Dig.Run("kdig", _lab.Server.Port, "+tcp", "+norec", "+noall", "+answer", "ftp.lab.test", "A")));

    [ToolFact("dig")]
    public void Edns0_ServerAnnouncesItsBufferSize()
    {
        string output = Dig.Run("dig", _lab.Server.Port, "+norec", "+bufsize=4096", "ftp.lab.test", "A");
        Assert.Matches(@"EDNS: version: 0, flags:; udp: 1232", output);
        string plain = Dig.Run("dig", _lab.Server.Port, "+norec", "+noedns", "ftp.lab.test", "A");
        Assert.DoesNotContain("OPT PSEUDOSECTION", plain, StringComparison.Ordinal);
    }

    [ToolFact("dig")]
    public void Truncated_DigRetriesOverTcp()
    {
        string truncated = Dig.Run("dig", _lab.Server.Port, "+norec", "+ignore", "big.lab.test", "TXT");
        Assert.Matches(@"flags: qr aa tc", truncated);
        string retried = Dig.Run("dig", _lab.Server.Port, "+norec", "big.lab.test", "TXT");
        Assert.Contains("Truncated, retrying in TCP mode", retried, StringComparison.Ordinal);
        Assert.Matches(@"ANSWER: 20,", retried);
    }

    [ToolFact("kdig")]
    public void Truncated_KdigRetriesOverTcp()
    {
        string output = Dig.Run("kdig", _lab.Server.Port, "+norec", "big.lab.test", "TXT");
        Assert.Matches(@"ANSWER: 20;", output);
        Assert.Contains("TCP", output, StringComparison.Ordinal);
    }

    [ToolFact("dig")]
    public void Referral_HasNsAndGlue()
    {
        string output = Dig.Run("dig", _lab.Server.Port, "+norec", "host.sub.lab.test", "A");
        Assert.DoesNotMatch(@"flags: qr aa", output);
        Assert.Matches(@"(?m)^sub\.lab\.test\.\s+3600\s+IN\s+NS\s+ns\.sub\.lab\.test\.", output);
        Assert.Matches(@"(?m)^ns\.sub\.lab\.test\.\s+3600\s+IN\s+A\s+192\.168\.10\.53", output);
    }

    [ToolFact("dig")]
    public void OutsideZone_WithoutForwarder_IsRefused() =>
        Assert.Equal("REFUSED", Dig.Status(Dig.Run("dig", _lab.Server.Port, "example.org", "A")));

    private static void SkipUnless(string tool)
    {
        // The theory attribute checks dig; kdig rows need kdig too (CI installs both).
        Assert.True(Requirements.HasTool(tool), $"{tool} is not installed; scripts/test.sh installs knot-dnsutils");
    }
}
