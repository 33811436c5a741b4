using System.Net;
using NetLab.Dns.Zones;
using NetLab.Protocols.Dns;
using NetLab.Testing;

namespace NetLab.Dns.Tests.Zones;

public class MasterFileParserTests
{
    private static IReadOnlyList<DnsResourceRecord> LabRecords() => MasterFileParser.Parse("lab.test.zone", DnsTestZones.LabZone, "lab.test");

    [Fact]
    public void LabZone_ParsesEveryRecord()
    {
        var records = LabRecords();
        Assert.Equal(17 + 20, records.Count);
        var soa = Assert.Single(records, r => r.Type == DnsRecordType.SOA);
        Assert.Equal("lab.test", soa.Name);
        // Parentheses over lines, comments and time units (2h, 15m, 2w).
        Assert.Equal(new DnsSoaData("ns1.lab.test", "hostmaster.lab.test", 2026112101, 7200, 900, 1209600, 300), soa.Data);
        Assert.Equal(3600u, soa.Ttl);
    }

    [Fact]
    public void OmittedOwner_IsThePreviousOwner()
    {
        var records = LabRecords();
        Assert.Contains(records, r => r.Name == "ftp.lab.test" && r.Data.Equals(new DnsAddressData(IPAddress.Parse("fd00:10::1"))));
        Assert.Contains(records, r => r.Name == "lab.test" && r.Data.Equals(new DnsMxData(10, "mail.lab.test")));
    }

    [Fact]
    public void ExplicitTtl_OverridesDefault()
    {
        var mail = Assert.Single(LabRecords(), r => r.Name == "mail.lab.test");
        Assert.Equal(300u, mail.Ttl);
    }

    [Fact]
    public void AbsoluteAndRelativeNames()
    {
        var records = LabRecords();
        Assert.Equal(new DnsNameData("www.example.org"), Assert.Single(records, r => r.Name == "ext.lab.test").Data);
        Assert.Equal(new DnsNameData("ftp.lab.test"), Assert.Single(records, r => r.Type == DnsRecordType.PTR).Data);
        Assert.Equal(new DnsSrvData(0, 5, 21, "ftp.lab.test"), Assert.Single(records, r => r.Type == DnsRecordType.SRV).Data);
    }

    [Fact]
    public void TxtStrings_AndGenericRdata()
    {
        var records = LabRecords();
        var txt = Assert.Single(records, r => r.Name == "lab.test" && r.Type == DnsRecordType.TXT);
        Assert.Equal(["v=spf1 -all", "second string"], ((DnsTxtData)txt.Data).Strings);
        var caa = Assert.Single(records, r => r.Type == DnsRecordType.CAA);
        Assert.Equal(Convert.FromHexString("0005697373756563612e6c61622e74657374"), ((DnsRawData)caa.Data).Data);
    }

    [Fact]
    public void RecordFlagForm_Parses()
    {
        var record = MasterFileParser.ParseRecord("ftp.lab.test A 192.168.10.1");
        Assert.Equal(new DnsResourceRecord("ftp.lab.test", DnsRecordType.A, DnsClass.IN, 3600, new DnsAddressData(IPAddress.Parse("192.168.10.1"))), record);
        Assert.Equal(60u, MasterFileParser.ParseRecord("x.lab.test. 60 IN TXT \"a \\\"quoted\\\" word\"").Ttl);
    }

    [Theory]
    [InlineData("@ IN SOA a b 1 2 3 4 5\nwww IN A 300.1.1.1\n", 2, "'300.1.1.1' is not an IPv4 address")]
    [InlineData("@ IN SOA a b 1 2 3 4 5\nwww IN BOGUS x\n", 2, "unknown record type or class 'BOGUS'")]
    [InlineData("@ IN SOA a b 1 2 3 4 5\nwww IN MX mail\n", 2, "MX needs a preference and a mail exchanger name")]
    [InlineData("@ IN SOA a b (1 2 3\n 4 5\n", 1, "unclosed '('")]
    [InlineData("@ IN SOA a b 1 2 3 4 5\n\n$INCLUDE other\n", 3, "unsupported or incomplete directive '$INCLUDE'")]
    [InlineData("@ IN SOA a b 1 2 3 4 5\nx IN TXT \"open\n", 2, "unterminated quoted string")]
    [InlineData("@ IN SOA a b 1 2 3 4 5\nx IN A 1.2.3.4 ; ok\ny 1x IN A 1.2.3.4\n", 3, "'1x' is not a time value")]
    public void Errors_NameFileLineAndProblem(string text, int line, string problem)
    {
        var error = Assert.Throws<ZoneFileException>(() => MasterFileParser.Parse("zones/lab.test.zone", text, "lab.test"));
        Assert.Equal(line, error.Line);
        Assert.StartsWith($"zones/lab.test.zone:{line}: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LabelOver63_IsAnError()
    {
        var error = Assert.Throws<ZoneFileException>(() => MasterFileParser.Parse("z", $"{new string('a', 64)} IN A 1.2.3.4\n", "lab.test"));
        Assert.Contains("not a valid domain name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ZoneChecks_MissingSoa_CnameWithData_OutOfZone()
    {
        Assert.Contains("no SOA", Assert.Throws<ZoneFileException>(() =>
            Zone.Create("lab.test", MasterFileParser.Parse("z", "www IN A 1.2.3.4\n", "lab.test"), "z")).Message, StringComparison.Ordinal);
        Assert.Contains("CNAME and other data", Assert.Throws<ZoneFileException>(() =>
            Zone.Create("lab.test", MasterFileParser.Parse("z", "@ IN SOA a b 1 2 3 4 5\nw IN CNAME x\nw IN A 1.2.3.4\n", "lab.test"), "z")).Message, StringComparison.Ordinal);
        Assert.Contains("outside the zone", Assert.Throws<ZoneFileException>(() =>
            Zone.Create("lab.test", MasterFileParser.Parse("z", "@ IN SOA a b 1 2 3 4 5\nexample.org. IN A 1.2.3.4\n", "lab.test"), "z")).Message, StringComparison.Ordinal);
    }
}
