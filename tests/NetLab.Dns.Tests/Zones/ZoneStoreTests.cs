using NetLab.Dns.Zones;
using NetLab.Protocols.Dns;
using NetLab.Testing;

namespace NetLab.Dns.Tests.Zones;

public class ZoneStoreTests
{
    private static readonly ZoneStore Store = CreateStore();

    private static ZoneStore CreateStore()
    {
        var store = new ZoneStore();
        store.Add(Zone.Create("lab.test", MasterFileParser.Parse("lab.test.zone", DnsTestZones.LabZone, "lab.test"), "lab.test.zone"));
        return store;
    }

    private static DnsMessage Ask(string name, DnsRecordType type)
    {
        var response = DnsMessage.CreateQuery(1, name, type).CreateResponse();
        Assert.True(Store.TryAnswer(new DnsQuestion(name, type), response));
        return response;
    }

    [Fact]
    public void Positive_IsAuthoritative()
    {
        var response = Ask("FTP.Lab.Test", DnsRecordType.A);
        Assert.True(response.IsAuthoritative);
        Assert.Equal(DnsResponseCode.NoError, response.ResponseCode);
        Assert.Equal("192.168.10.1", Assert.Single(response.Answers).Data.ToString());
        Assert.Empty(response.Authorities);
    }

    [Fact]
    public void CnameChain_IsFollowedInsideTheZone()
    {
        var response = Ask("alias.lab.test", DnsRecordType.AAAA);
        Assert.Equal(["CNAME www.lab.test.", "CNAME ftp.lab.test.", "AAAA fd00:10::1"], response.Answers.Select(r => $"{r.Type} {r.Data}"));
    }

    [Fact]
    public void CnameOutOfZone_StopsAtTheCname()
    {
        var response = Ask("ext.lab.test", DnsRecordType.A);
        Assert.Equal("www.example.org.", Assert.Single(response.Answers).Data.ToString());
        Assert.Equal(DnsResponseCode.NoError, response.ResponseCode);
    }

    [Fact]
    public void NxDomain_HasSoaWithNegativeTtl()
    {
        var response = Ask("nope.lab.test", DnsRecordType.A);
        Assert.Equal(DnsResponseCode.NXDomain, response.ResponseCode);
        Assert.Empty(response.Answers);
        var soa = Assert.Single(response.Authorities);
        Assert.Equal(DnsRecordType.SOA, soa.Type);
        // RFC 2308 3: min(SOA TTL 3600, MINIMUM 300).
        Assert.Equal(300u, soa.Ttl);
    }

    [Theory]
    [InlineData("ftp.lab.test", DnsRecordType.MX)]
    [InlineData("b.c.lab.test", DnsRecordType.A)]
    [InlineData("c.lab.test", DnsRecordType.TXT)]
    public void NoData_AlsoForEmptyNonTerminals(string name, DnsRecordType type)
    {
        var response = Ask(name, type);
        Assert.Equal(DnsResponseCode.NoError, response.ResponseCode);
        Assert.Empty(response.Answers);
        Assert.Equal(DnsRecordType.SOA, Assert.Single(response.Authorities).Type);
    }

    [Theory]
    [InlineData("sub.lab.test")]
    [InlineData("deep.below.sub.lab.test")]
    [InlineData("ns.sub.lab.test")]
    public void Delegation_IsAReferralWithGlue(string name)
    {
        var response = Ask(name, DnsRecordType.A);
        Assert.False(response.IsAuthoritative);
        Assert.Empty(response.Answers);
        Assert.Equal("ns.sub.lab.test.", Assert.Single(response.Authorities, r => r.Type == DnsRecordType.NS).Data.ToString());
        Assert.Equal("192.168.10.53", Assert.Single(response.Additionals).Data.ToString());
    }

    [Fact]
    public void Any_ReturnsEveryRecordOfTheName()
    {
        var response = Ask("lab.test", DnsRecordType.ANY);
        Assert.Equal([DnsRecordType.SOA, DnsRecordType.NS, DnsRecordType.MX, DnsRecordType.TXT], response.Answers.Select(r => r.Type).Distinct());
    }

    [Fact]
    public void OutsideEveryZone_IsNotAnswered()
    {
        var response = DnsMessage.CreateQuery(1, "example.org", DnsRecordType.A).CreateResponse();
        Assert.False(Store.TryAnswer(new DnsQuestion("example.org", DnsRecordType.A), response));
        Assert.False(Store.TryAnswer(new DnsQuestion("xlab.test", DnsRecordType.A), response));
    }

    [Fact]
    public void CnameLoop_Ends()
    {
        var store = new ZoneStore();
        store.Add(Zone.Create("loop.test", MasterFileParser.Parse("z", "@ IN SOA a b 1 2 3 4 5\na IN CNAME b\nb IN CNAME a\n", "loop.test"), "z"));
        var response = DnsMessage.CreateQuery(1, "a.loop.test", DnsRecordType.A).CreateResponse();
        Assert.True(store.TryAnswer(new DnsQuestion("a.loop.test", DnsRecordType.A), response));
        Assert.Equal(2, response.Answers.Count);
    }
}
