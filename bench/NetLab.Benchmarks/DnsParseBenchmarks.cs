using System.Net;
using BenchmarkDotNet.Attributes;
using NetLab.Protocols.Dns;

namespace NetLab.Benchmarks;

/// <summary>Parsing a typical DNS response (question, two A answers, NS authority, glue, OPT).
/// The header and the name walk (fixed parts) must not allocate; the full message allocates its strings and lists.</summary>
[MemoryDiagnoser]
public class DnsParseBenchmarks
{
    private readonly byte[] _response = BuildResponse();

    [Benchmark]
    public ushort Header()
    {
        DnsHeader.TryRead(_response, out var header, out _);
        return header.AnswerCount;
    }

    [Benchmark]
    public int HeaderAndQuestionSkip()
    {
        DnsHeader.TryRead(_response, out _, out int offset);
        DnsName.TrySkip(_response, offset, out int nameLength);
        return nameLength;
    }

    [Benchmark]
    public int FullMessage()
    {
        DnsMessage.TryRead(_response, out var message, out _);
        return message!.Answers.Count;
    }

    [Benchmark]
    public int Write()
    {
        Span<byte> buffer = stackalloc byte[512];
        _parsed.TryWrite(buffer, out int written);
        return written;
    }

    private readonly DnsMessage _parsed = DnsMessage.TryRead(BuildResponse(), out var m, out _) ? m : throw new InvalidOperationException();

    private static byte[] BuildResponse()
    {
        var query = DnsMessage.CreateQuery(0x5934, "www.tcpdump.org", DnsRecordType.A, ednsUdpSize: 1232);
        var response = query.CreateResponse();
        response.IsAuthoritative = true;
        response.Answers.Add(new("www.tcpdump.org", DnsRecordType.A, DnsClass.IN, 3600, new DnsAddressData(IPAddress.Parse("192.139.46.66"))));
        response.Answers.Add(new("www.tcpdump.org", DnsRecordType.A, DnsClass.IN, 3600, new DnsAddressData(IPAddress.Parse("198.199.88.104"))));
        response.Authorities.Add(new("tcpdump.org", DnsRecordType.NS, DnsClass.IN, 3600, new DnsNameData("ns1.tcpdump.org")));
        response.Additionals.Add(new("ns1.tcpdump.org", DnsRecordType.A, DnsClass.IN, 3600, new DnsAddressData(IPAddress.Parse("192.139.46.1"))));
        response.Additionals.Add(DnsMessage.CreateOpt(1232));
        return response.ToArray();
    }
}
