using System.Globalization;
using System.Text;
using System.Text.Json;
using NetLab.Protocols.Dns;

namespace NetLab.Dns.Client;

/// <summary>The three outputs of dns-client: dig-like sections, bare data (--short), JSON (--json).</summary>
public static class DnsResultFormatter
{
    public static string FormatDig(DnsLookupResult result)
    {
        var m = result.Response;
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $";; ->>HEADER<<- opcode: {m.OpCode.ToString().ToUpperInvariant()}, status: {RcodeName(m.ResponseCode)}, id: {m.Id}");
        text.AppendLine(CultureInfo.InvariantCulture,
            $";; flags: {string.Join(' ', Flags(m))}; QUERY: {m.Questions.Count}, ANSWER: {m.Answers.Count}, AUTHORITY: {m.Authorities.Count}, ADDITIONAL: {m.Additionals.Count}");
        if (m.EdnsUdpPayloadSize is { } size)
        {
            text.AppendLine().AppendLine(";; OPT PSEUDOSECTION:")
                .AppendLine(CultureInfo.InvariantCulture, $"; EDNS: version: {m.EdnsVersion}, flags:{(m.DnssecOk ? " do" : "")}; udp: {size}");
        }
        text.AppendLine().AppendLine(";; QUESTION SECTION:");
        foreach (var q in m.Questions)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $";{DnsName.ToFqdn(q.Name)}\t\t{q.Class}\t{DnsMessage.TypeName(q.Type)}");
        }
        AppendSection(text, "ANSWER", m.Answers);
        AppendSection(text, "AUTHORITY", m.Authorities);
        AppendSection(text, "ADDITIONAL", m.Additionals.Where(r => r.Type != DnsRecordType.OPT).ToList());
        text.AppendLine().AppendLine(CultureInfo.InvariantCulture, $";; Query time: {result.Elapsed.TotalMilliseconds:0.###} msec")
            .AppendLine(CultureInfo.InvariantCulture, $";; SERVER: {result.Server.Address}#{result.Server.Port}({result.Server.Address}) ({(result.UsedTcp ? "TCP" : "UDP")})")
            .AppendLine(CultureInfo.InvariantCulture, $";; MSG SIZE  rcvd: {result.ResponseSize}");
        return text.ToString();
    }

    /// <summary>Like dig +short: the data of each answer record, one per line.</summary>
    public static string FormatShort(DnsLookupResult result)
    {
        var text = new StringBuilder();
        foreach (var record in result.Response.Answers)
        {
            text.AppendLine(record.Data.ToString());
        }
        return text.ToString();
    }

    public static string FormatJson(DnsLookupResult result)
    {
        var m = result.Response;
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("server", result.Server.ToString());
            json.WriteString("transport", result.UsedTcp ? "tcp" : "udp");
            json.WriteNumber("elapsed_ms", Math.Round(result.Elapsed.TotalMilliseconds, 3));
            json.WriteNumber("size", result.ResponseSize);
            json.WriteNumber("id", m.Id);
            json.WriteString("rcode", RcodeName(m.ResponseCode));
            json.WriteStartArray("flags");
            foreach (string flag in Flags(m))
            {
                json.WriteStringValue(flag);
            }
            json.WriteEndArray();
            json.WriteStartArray("question");
            foreach (var q in m.Questions)
            {
                json.WriteStartObject();
                json.WriteString("name", DnsName.ToFqdn(q.Name));
                json.WriteString("type", DnsMessage.TypeName(q.Type));
                json.WriteString("class", q.Class.ToString());
                json.WriteEndObject();
            }
            json.WriteEndArray();
            WriteRecords(json, "answer", m.Answers);
            WriteRecords(json, "authority", m.Authorities);
            WriteRecords(json, "additional", m.Additionals.Where(r => r.Type != DnsRecordType.OPT));
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + Environment.NewLine;
    }

    /// <summary>RCODE names as dig prints them (NOERROR, NXDOMAIN, ...).</summary>
    public static string RcodeName(DnsResponseCode code) => code.ToString().ToUpperInvariant();

    private static IEnumerable<string> Flags(DnsMessage m)
    {
        if (m.IsResponse)
        {
            yield return "qr";
        }
        if (m.IsAuthoritative)
        {
            yield return "aa";
        }
        if (m.IsTruncated)
        {
            yield return "tc";
        }
        if (m.RecursionDesired)
        {
            yield return "rd";
        }
        if (m.RecursionAvailable)
        {
            yield return "ra";
        }
        if (m.AuthenticData)
        {
            yield return "ad";
        }
        if (m.CheckingDisabled)
        {
            yield return "cd";
        }
    }

    private static void AppendSection(StringBuilder text, string title, IReadOnlyList<DnsResourceRecord> records)
    {
        if (records.Count == 0)
        {
            return;
        }
        text.AppendLine().AppendLine(CultureInfo.InvariantCulture, $";; {title} SECTION:");
        foreach (var record in records)
        {
            text.AppendLine(record.ToString());
        }
    }

    private static void WriteRecords(Utf8JsonWriter json, string name, IEnumerable<DnsResourceRecord> records)
    {
        json.WriteStartArray(name);
        foreach (var record in records)
        {
            json.WriteStartObject();
            json.WriteString("name", DnsName.ToFqdn(record.Name));
            json.WriteString("type", DnsMessage.TypeName(record.Type));
            json.WriteNumber("ttl", record.Ttl);
            json.WriteString("data", record.Data.ToString());
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }
}
