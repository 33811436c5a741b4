using System.Buffers.Binary;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using NetLab.Dns.Resolution;
using NetLab.Dns.Server;
using NetLab.Dns.Zones;
using NetLab.Protocols.Dns;
using NetLab.Testing;

namespace NetLab.Dns.Tests.Server;

public class DnsQueryProcessorTests
{
    private static readonly IPEndPoint Loopback = new(IPAddress.Loopback, 40000);
    private static readonly IPEndPoint Stranger = new(IPAddress.Parse("203.0.113.7"), 40000);

    private readonly DnsCounters _counters = new();

    private DnsQueryProcessor NewProcessor(DnsForwarder? forwarder = null)
    {
        var store = new ZoneStore();
        store.Add(Zone.Create("lab.test", MasterFileParser.Parse("lab.test.zone", DnsTestZones.LabZone, "lab.test"), "lab.test.zone"));
        return new DnsQueryProcessor(store, new DnsCache(100), forwarder, new DnsServerOptions(), _counters, NullLogger.Instance);
    }

    private static DnsMessage? Process(DnsQueryProcessor processor, byte[] query, IPEndPoint client, bool tcp = false)
    {
        byte[] buffer = new byte[DnsMessage.MaxSize];
        int length = processor.ProcessAsync(query, buffer, client, tcp, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        if (length == 0)
        {
            return null;
        }
        Assert.True(DnsMessage.TryRead(buffer.AsSpan(0, length), out var response, out _));
        Assert.True(length <= (tcp ? 65535 : Math.Max(512, (int)(response.EdnsUdpPayloadSize ?? 512))));
        return response;
    }

    [Fact]
    public void ShortDatagram_IsDroppedAndCounted()
    {
        Assert.Null(Process(NewProcessor(), [1, 2, 3], Loopback));
        Assert.Equal(1, _counters.Dropped);
    }

    [Fact]
    public void Response_IsDropped()
    {
        var message = DnsMessage.CreateQuery(5, "ftp.lab.test", DnsRecordType.A);
        message.IsResponse = true;
        Assert.Null(Process(NewProcessor(), message.ToArray(), Loopback));
    }

    [Fact]
    public void MalformedQuery_GetsFormErrWithItsId()
    {
        // A header that promises a question, then a compression loop.
        byte[] query = [0xAB, 0xCD, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 12, 0, 1, 0, 1];
        var response = Process(NewProcessor(), query, Loopback)!;
        Assert.Equal(0xABCD, response.Id);
        Assert.Equal(DnsResponseCode.FormErr, response.ResponseCode);
        Assert.Equal(1, _counters.Answers(DnsResponseCode.FormErr));
    }

    [Fact]
    public void TwoQuestions_GetFormErr()
    {
        var query = DnsMessage.CreateQuery(5, "ftp.lab.test", DnsRecordType.A);
        query.Questions.Add(new DnsQuestion("www.lab.test", DnsRecordType.A));
        Assert.Equal(DnsResponseCode.FormErr, Process(NewProcessor(), query.ToArray(), Loopback)!.ResponseCode);
    }

    [Fact]
    public void EdnsVersion1_GetsBadVers()
    {
        var query = DnsMessage.CreateQuery(5, "ftp.lab.test", DnsRecordType.A);
        query.Additionals.Add(DnsMessage.CreateOpt(1232) with { Ttl = 1 << 16 });
        var response = Process(NewProcessor(), query.ToArray(), Loopback)!;
        Assert.Equal(DnsResponseCode.BadVers, response.ResponseCode);
    }

    [Fact]
    public void OutsideZones_WithoutForwarders_IsRefused()
    {
        var response = Process(NewProcessor(), DnsMessage.CreateQuery(5, "example.org", DnsRecordType.A).ToArray(), Loopback)!;
        Assert.Equal(DnsResponseCode.Refused, response.ResponseCode);
        Assert.False(response.RecursionAvailable);
    }

    [Fact]
    public void OutsideZones_FromClientNotAllowedRecursion_IsRefused()
    {
        // The forwarder points at a port nobody answers on; a stranger must be refused before it is ever used.
        var forwarder = new DnsForwarder([new IPEndPoint(IPAddress.Loopback, FreePort.UdpAndTcp())], TimeSpan.FromSeconds(5));
        var response = Process(NewProcessor(forwarder), DnsMessage.CreateQuery(5, "example.org", DnsRecordType.A).ToArray(), Stranger)!;
        Assert.Equal(DnsResponseCode.Refused, response.ResponseCode);
    }

    [Fact]
    public void InZone_IsAnsweredForEveryone()
    {
        var response = Process(NewProcessor(), DnsMessage.CreateQuery(5, "ftp.lab.test", DnsRecordType.A).ToArray(), Stranger)!;
        Assert.True(response.IsAuthoritative);
        Assert.Equal("192.168.10.1", Assert.Single(response.Answers).Data.ToString());
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData((ushort)1232, true)]
    [InlineData((ushort)4096, true)]
    public void TooBigForUdp_IsTruncated(ushort? ednsSize, bool truncated)
    {
        var query = DnsMessage.CreateQuery(5, "big.lab.test", DnsRecordType.TXT, ednsUdpSize: ednsSize);
        var response = Process(NewProcessor(), query.ToArray(), Loopback)!;
        Assert.Equal(truncated, response.IsTruncated);
        Assert.Empty(response.Answers);
        Assert.Equal(ednsSize is not null, response.EdnsUdpPayloadSize is not null);
        var overTcp = Process(NewProcessor(), query.ToArray(), Loopback, tcp: true)!;
        Assert.False(overTcp.IsTruncated);
        Assert.Equal(20, overTcp.Answers.Count);
    }

    [Fact]
    public void SmallAnswer_FitsIn512WithoutEdns()
    {
        var response = Process(NewProcessor(), DnsMessage.CreateQuery(5, "lab.test", DnsRecordType.TXT).ToArray(), Loopback)!;
        Assert.False(response.IsTruncated);
        Assert.Null(response.EdnsUdpPayloadSize);
    }

    [Fact]
    public void Notify_IsNotImplemented()
    {
        var query = DnsMessage.CreateQuery(5, "lab.test", DnsRecordType.SOA);
        query.OpCode = DnsOpCode.Notify;
        Assert.Equal(DnsResponseCode.NotImp, Process(NewProcessor(), query.ToArray(), Loopback)!.ResponseCode);
    }

    [Fact]
    public void Id_IsCopied_AndQueryFlagsEchoed()
    {
        byte[] query = DnsMessage.CreateQuery(0x4242, "ftp.lab.test", DnsRecordType.A).ToArray();
        var response = Process(NewProcessor(), query, Loopback)!;
        Assert.Equal(0x4242, response.Id);
        Assert.True(response.RecursionDesired);
        Assert.Equal(0x4242, BinaryPrimitives.ReadUInt16BigEndian(query));
    }

    [Fact]
    public void RepeatedQuery_FromWireCache_KeepsItsIdCaseAndEdns()
    {
        var processor = NewProcessor();
        var first = Process(processor, DnsMessage.CreateQuery(1, "ftp.lab.test", DnsRecordType.A, ednsUdpSize: 1232).ToArray(), Loopback)!;
        var second = Process(processor, DnsMessage.CreateQuery(2, "FTP.Lab.TEST", DnsRecordType.A, ednsUdpSize: 1232).ToArray(), Loopback)!;
        Assert.Equal(2, second.Id);
        Assert.Equal("FTP.Lab.TEST", second.Question!.Value.Name);
        // The answer's owner is a pointer to the question, so it carries the client's case too.
        Assert.Equal(first.Answers.Select(r => r with { Name = r.Name.ToUpperInvariant() }), second.Answers.Select(r => r with { Name = r.Name.ToUpperInvariant() }));
        Assert.Equal("FTP.Lab.TEST", Assert.Single(second.Answers).Name);
        Assert.Equal((ushort)1232, second.EdnsUdpPayloadSize);
        var withoutEdns = Process(processor, DnsMessage.CreateQuery(3, "ftp.lab.test", DnsRecordType.A).ToArray(), Loopback)!;
        Assert.Null(withoutEdns.EdnsUdpPayloadSize);
        var noRecursion = Process(processor, DnsMessage.CreateQuery(4, "ftp.lab.test", DnsRecordType.A, recursionDesired: false).ToArray(), Loopback)!;
        Assert.False(noRecursion.RecursionDesired);
        Assert.Equal(4, _counters.Answers(DnsResponseCode.NoError));
        // A truncated answer is never kept: the same query over TCP still gets everything.
        Assert.True(Process(processor, DnsMessage.CreateQuery(5, "big.lab.test", DnsRecordType.TXT).ToArray(), Loopback)!.IsTruncated);
        Assert.Equal(20, Process(processor, DnsMessage.CreateQuery(6, "big.lab.test", DnsRecordType.TXT).ToArray(), Loopback, tcp: true)!.Answers.Count);
        Assert.True(Process(processor, DnsMessage.CreateQuery(7, "big.lab.test", DnsRecordType.TXT).ToArray(), Loopback)!.IsTruncated);
    }
}
