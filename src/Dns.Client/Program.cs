using System.CommandLine;
using System.Net;
using NetLab.Dns.Client;
using NetLab.Protocols.Dns;

var name = new Argument<string>("NAME") { Description = "The name to look up, e.g. ftp.lab.test" };
var type = new Argument<string>("TYPE") { Description = "Record type (A, AAAA, MX, TXT, NS, SOA, CNAME, PTR, SRV, ANY, TYPEnnn).", DefaultValueFactory = _ => "A" };
var server = new Option<string?>("--server") { Description = "DNS server IP[:PORT]; default: the first nameserver in /etc/resolv.conf." };
var tcp = new Option<bool>("--tcp") { Description = "Ask over TCP (otherwise UDP, retried over TCP when the answer is truncated)." };
var brief = new Option<bool>("--short") { Description = "Print only the answer data, one per line (for scripts)." };
var json = new Option<bool>("--json") { Description = "Print the response as JSON." };
var timeout = new Option<int>("--timeout") { Description = "Milliseconds to wait for the answer.", DefaultValueFactory = _ => 2000 };

var root = new RootCommand("dns-client: a dig-like lookup that prints the answer sections and the response time.")
{
    name, type, server, tcp, brief, json, timeout,
};

root.SetAction(async (parseResult, ct) =>
{
    string query = parseResult.GetValue(name)!;
    string typeText = parseResult.GetValue(type)!;
    if (!DnsMessage.TryParseType(typeText, out var recordType))
    {
        Console.Error.WriteLine($"dns-client: '{typeText}' is not a record type (try A, AAAA, MX, TXT, NS, SOA, CNAME, PTR, SRV or TYPE65)");
        return 2;
    }
    string? serverText = parseResult.GetValue(server) ?? ResolvConfNameserver();
    if (serverText is null || !DnsEndpoint.TryParse(serverText, out var endpoint))
    {
        Console.Error.WriteLine(serverText is null
            ? "dns-client: no --server given and no nameserver in /etc/resolv.conf; pass --server IP[:PORT]"
            : $"dns-client: --server '{serverText}' is not IP[:PORT] (e.g. 127.0.0.1 or 192.168.10.1:5353)");
        return 2;
    }
    int timeoutMs = parseResult.GetValue(timeout);
    if (timeoutMs is < 1 or > 600_000)
    {
        Console.Error.WriteLine($"dns-client: --timeout {timeoutMs} is out of range (1..600000 ms)");
        return 2;
    }
    try
    {
        var result = await DnsLookup.QueryAsync(query, recordType, endpoint, parseResult.GetValue(tcp), TimeSpan.FromMilliseconds(timeoutMs), ct);
        Console.Write(parseResult.GetValue(json) ? DnsResultFormatter.FormatJson(result)
            : parseResult.GetValue(brief) ? DnsResultFormatter.FormatShort(result)
            : DnsResultFormatter.FormatDig(result));
        return 0;
    }
    catch (DnsLookupException e)
    {
        Console.Error.WriteLine("dns-client: " + e.Message);
        // dig's code for "no reply from the server".
        return 9;
    }
});

return await root.Parse(args).InvokeAsync();

static string? ResolvConfNameserver()
{
    try
    {
        return File.ReadLines("/etc/resolv.conf")
            .Select(line => line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length >= 2 && fields[0] == "nameserver" && IPAddress.TryParse(fields[1], out _))
            .Select(fields => fields[1])
            .FirstOrDefault();
    }
    catch (IOException)
    {
        return null;
    }
}
