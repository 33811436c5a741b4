using System.Net;
using NetLab.Protocols.Dns;

namespace NetLab.Protocols.Tests.Dns;

/// <summary>Messages shared by the round-trip, truncation and mutation tests: every typed record, OPT, raw RDATA.</summary>
internal static class DnsTestMessages
{
    public static DnsMessage Query() => DnsMessage.CreateQuery(0x1234, "www.lab.test", DnsRecordType.A, ednsUdpSize: 1232);

    public static DnsMessage EveryType()
    {
        var message = new DnsMessage
        {
            Id = 0xBEEF,
            IsResponse = true,
            IsAuthoritative = true,
            RecursionDesired = true,
            RecursionAvailable = true,
            ResponseCode = DnsResponseCode.NoError,
        };
        message.Questions.Add(new DnsQuestion("lab.test", DnsRecordType.ANY));
        message.Answers.AddRange(
        [
            new("lab.test", DnsRecordType.A, DnsClass.IN, 300, new DnsAddressData(IPAddress.Parse("192.168.10.1"))),
            new("lab.test", DnsRecordType.AAAA, DnsClass.IN, 300, new DnsAddressData(IPAddress.Parse("fd00:10::1"))),
            new("www.lab.test", DnsRecordType.CNAME, DnsClass.IN, 60, new DnsNameData("lab.test")),
            new("lab.test", DnsRecordType.NS, DnsClass.IN, 3600, new DnsNameData("ns1.lab.test")),
            new("lab.test", DnsRecordType.SOA, DnsClass.IN, 3600, new DnsSoaData("ns1.lab.test", "hostmaster.lab.test", 2026112101, 7200, 900, 1209600, 300)),
            new("lab.test", DnsRecordType.MX, DnsClass.IN, 3600, new DnsMxData(10, "mail.lab.test")),
            new("lab.test", DnsRecordType.TXT, DnsClass.IN, 3600, new DnsTxtData(["v=spf1 -all", "two words", "\u00e9\"\\"])),
            new("1.10.168.192.in-addr.arpa", DnsRecordType.PTR, DnsClass.IN, 3600, new DnsNameData("lab.test")),
            new("_ftp._tcp.lab.test", DnsRecordType.SRV, DnsClass.IN, 3600, new DnsSrvData(0, 5, 21, "ftp.lab.test")),
            new("lab.test", DnsRecordType.CAA, DnsClass.IN, 3600, new DnsRawData([0, 5, .. "issue"u8, .. "ca.test"u8])),
            new("lab.test", (DnsRecordType)65400, DnsClass.IN, 3600, new DnsRawData([])),
        ]);
        message.Authorities.Add(new("lab.test", DnsRecordType.NS, DnsClass.IN, 3600, new DnsNameData("ns2.lab.test")));
        message.Additionals.Add(new("ns1.lab.test", DnsRecordType.A, DnsClass.IN, 3600, new DnsAddressData(IPAddress.Parse("192.168.10.1"))));
        message.Additionals.Add(new("", DnsRecordType.OPT, (DnsClass)4096, 0x8000,
            new DnsOptData([new DnsEdnsOption(10, [1, 2, 3, 4, 5, 6, 7, 8])])));
        return message;
    }

    public static DnsMessage NxDomain()
    {
        var query = DnsMessage.CreateQuery(7, "nope.lab.test", DnsRecordType.A);
        var message = query.CreateResponse();
        message.IsAuthoritative = true;
        message.ResponseCode = DnsResponseCode.NXDomain;
        message.Authorities.Add(new("lab.test", DnsRecordType.SOA, DnsClass.IN, 300, new DnsSoaData("ns1.lab.test", "hostmaster.lab.test", 1, 2, 3, 4, 5)));
        return message;
    }

    public static DnsMessage BadVersion()
    {
        var message = new DnsMessage { Id = 36787, IsResponse = true, ResponseCode = DnsResponseCode.BadVers };
        message.Additionals.Add(DnsMessage.CreateOpt(1232));
        return message;
    }

    public static TheoryData<string> Names => new() { "query", "every-type", "nxdomain", "badvers" };

    public static DnsMessage ByName(string name) => name switch
    {
        "query" => Query(),
        "every-type" => EveryType(),
        "nxdomain" => NxDomain(),
        "badvers" => BadVersion(),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    /// <summary>Every field of a message as text, so two messages compare with one assertion that shows the difference.</summary>
    public static string Describe(DnsMessage m) =>
        string.Join('\n', new[]
        {
            $"id={m.Id} qr={m.IsResponse} op={m.OpCode} aa={m.IsAuthoritative} tc={m.IsTruncated} rd={m.RecursionDesired} " +
            $"ra={m.RecursionAvailable} ad={m.AuthenticData} cd={m.CheckingDisabled} rcode={m.ResponseCode}",
        }
        .Concat(m.Questions.Select(q => "Q " + q))
        .Concat(m.Answers.Select(r => "AN " + r))
        .Concat(m.Authorities.Select(r => "NS " + r))
        .Concat(m.Additionals.Select(r => "AR " + r)));
}
