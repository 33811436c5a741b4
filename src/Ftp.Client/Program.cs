using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using NetLab.Dns.Client;
using NetLab.Ftp.Client;
using NetLab.Hosts.FtpClient;

var url = new Argument<string>("url") { Description = "ftp://user:pass@host[:port]/path (no user: anonymous)" };
var verb = new Argument<string>("command") { Description = "ls | get [LOCAL|-] | put LOCAL... | mkdir [NAME...] | rm [NAME...] (NAME/ removes a directory)" };
var arguments = new Argument<string[]>("arguments") { Description = "Arguments of the command", Arity = ArgumentArity.ZeroOrMore };
var dns = new Option<string?>("--dns") { Description = "Resolve the host through this DNS server (IP[:port]) with NetLab's DNS client" };
var passive = new Option<bool>("--passive") { Description = "Passive data connections (EPSV, then PASV); the default" };
var active = new Option<bool>("--active") { Description = "Active data connections (EPRT, then PORT): the server connects back" };
var tls = new Option<bool>("--tls") { Description = "Explicit FTPS: AUTH TLS, PBSZ 0, PROT P" };
var insecure = new Option<bool>("--insecure", "-k") { Description = "With --tls, accept any server certificate (self-signed lab certificates)" };
var resume = new Option<bool>("--continue", "-c") { Description = "Resume: get appends to the local file, put continues the remote one (REST)" };
var timeout = new Option<int>("--timeout") { Description = "Seconds to wait for connections and replies", DefaultValueFactory = _ => 30 };

var command = new RootCommand("NetLab FTP client: ls, get, put, mkdir and rm over FTP or explicit FTPS");
command.Arguments.Add(url);
command.Arguments.Add(verb);
command.Arguments.Add(arguments);
foreach (Option option in new Option[] { dns, passive, active, tls, insecure, resume, timeout })
{
    command.Options.Add(option);
}

command.SetAction(async (parseResult, cancellationToken) =>
{
    if (!FtpUrl.TryParse(parseResult.GetValue(url)!, out var ftpUrl, out string? error))
    {
        return Fail(error, 2);
    }
    if (parseResult.GetValue(passive) && parseResult.GetValue(active))
    {
        return Fail("--passive and --active exclude each other", 2);
    }
    IPEndPoint? dnsServer = null;
    if (parseResult.GetValue(dns) is { } dnsText)
    {
        if (!DnsEndpoint.TryParse(dnsText, out dnsServer))
        {
            return Fail($"--dns '{dnsText}' is not IP or IP:PORT", 2);
        }
    }
    var options = new FtpClientOptions
    {
        Passive = !parseResult.GetValue(active),
        UseTls = parseResult.GetValue(tls),
        AcceptAnyCertificate = parseResult.GetValue(insecure),
        TlsHostName = ftpUrl.Host,
        Timeout = TimeSpan.FromSeconds(Math.Max(1, parseResult.GetValue(timeout))),
    };
    try
    {
        var address = await ClientCommands.ResolveAsync(ftpUrl.Host, dnsServer, cancellationToken);
        await using var client = await NetLab.Ftp.Client.FtpClient.ConnectAsync(new IPEndPoint(address, ftpUrl.Port), options, cancellationToken);
        await client.LoginAsync(ftpUrl.User, ftpUrl.Password, ftpUrl.Host, cancellationToken);
        int code = await ClientCommands.RunAsync(client, ftpUrl, parseResult.GetValue(verb)!, parseResult.GetValue(arguments) ?? [],
            parseResult.GetValue(resume), cancellationToken);
        await client.QuitAsync(cancellationToken);
        return code;
    }
    catch (FtpReplyException ex)
    {
        // The server's own reply, so the user sees exactly what it refused and why.
        return Fail(ex.Message, 1);
    }
    catch (Exception ex) when (ex is SocketException or IOException or System.Security.Authentication.AuthenticationException
        or OperationCanceledException or DnsLookupException)
    {
        return Fail($"{ftpUrl.Host}:{ftpUrl.Port}: {ex.Message}", 3);
    }
});

return await command.Parse(args).InvokeAsync();

static int Fail(string message, int code)
{
    Console.Error.WriteLine($"ftp-client: {message}");
    return code;
}
