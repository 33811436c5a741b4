using System.Net;
using NetLab.Dns.Resolution;
using NetLab.Protocols.Dns;

namespace NetLab.Dns.Tests.Resolution;

public class DnsCacheTests
{
    private long _now = 1_000_000;

    private DnsCache NewCache(int capacity = 100) => new(capacity, () => _now);

    private static readonly DnsQuestion Question = new("www.example.org", DnsRecordType.A);

    private static DnsMessage Positive(uint ttl)
    {
        var response = DnsMessage.CreateQuery(1, Question.Name, Question.Type).CreateResponse();
        response.Answers.Add(new(Question.Name, DnsRecordType.A, DnsClass.IN, ttl, new DnsAddressData(IPAddress.Parse("192.0.2.1"))));
        return response;
    }

    private static DnsMessage Negative(DnsResponseCode code, uint soaTtl, uint minimum, bool withSoa = true)
    {
        var response = DnsMessage.CreateQuery(1, Question.Name, Question.Type).CreateResponse();
        response.ResponseCode = code;
        if (withSoa)
        {
            response.Authorities.Add(new("example.org", DnsRecordType.SOA, DnsClass.IN, soaTtl, new DnsSoaData("ns.example.org", "h.example.org", 1, 2, 3, 4, minimum)));
        }
        return response;
    }

    private DnsMessage? Lookup(DnsCache cache)
    {
        var response = DnsMessage.CreateQuery(2, Question.Name, Question.Type).CreateResponse();
        return cache.TryAnswer(Question, response) ? response : null;
    }

    [Fact]
    public void Positive_CountsTtlDown_ThenExpires()
    {
        var cache = NewCache();
        cache.Store(Question, Positive(60));
        _now += 25_000;
        Assert.Equal(35u, Assert.Single(Lookup(cache)!.Answers).Ttl);
        _now += 35_000;
        Assert.Null(Lookup(cache));
    }

    [Fact]
    public void NxDomain_IsCachedForTheSoaNegativeTtl()
    {
        var cache = NewCache();
        cache.Store(Question, Negative(DnsResponseCode.NXDomain, 3600, 30));
        _now += 29_000;
        var hit = Lookup(cache)!;
        Assert.Equal(DnsResponseCode.NXDomain, hit.ResponseCode);
        Assert.Equal(DnsRecordType.SOA, Assert.Single(hit.Authorities).Type);
        _now += 1_000;
        Assert.Null(Lookup(cache));
    }

    [Fact]
    public void NoData_IsCached_NegativeWithoutSoaIsNot()
    {
        var cache = NewCache();
        cache.Store(Question, Negative(DnsResponseCode.NoError, 10, 300));
        Assert.NotNull(Lookup(cache));
        var other = NewCache();
        other.Store(Question, Negative(DnsResponseCode.NXDomain, 10, 300, withSoa: false));
        Assert.Null(Lookup(other));
    }

    [Fact]
    public void ServFailAndZeroTtl_AreNotCached()
    {
        var cache = NewCache();
        cache.Store(Question, Negative(DnsResponseCode.ServFail, 10, 10));
        Assert.Null(Lookup(cache));
        cache.Store(Question, Positive(0));
        Assert.Null(Lookup(cache));
    }

    [Fact]
    public void Capacity_IsRespected()
    {
        var cache = NewCache(capacity: 50);
        for (int i = 0; i < 500; i++)
        {
            _now++;
            cache.Store(new DnsQuestion($"n{i}.example.org", DnsRecordType.A), Positive(600));
        }
        Assert.InRange(cache.Count, 1, 50);
    }

    [Fact]
    public void ZeroCapacity_TurnsCacheOff()
    {
        var cache = NewCache(capacity: 0);
        cache.Store(Question, Positive(60));
        Assert.Null(Lookup(cache));
    }
}
