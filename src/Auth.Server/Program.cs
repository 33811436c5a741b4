using System.CommandLine;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using NetLab.Auth;
using NetLab.Auth.Passwords;
using NetLab.Auth.Server;
using NetLab.Protocols.Auth;

var listen = new Option<string>("--listen") { Description = "address:port to listen on", DefaultValueFactory = _ => "0.0.0.0:" + AuthProtocol.DefaultPort };
var db = new Option<string>("--db") { Description = "user database: sqlite:FILE or mysql://user:pass@host:3306/db", DefaultValueFactory = _ => "sqlite:auth.db" };
var tlsCert = new Option<string?>("--tls-cert") { Description = "PEM certificate: serve TLS only (needs --tls-key)" };
var tlsKey = new Option<string?>("--tls-key") { Description = "PEM private key of --tls-cert" };
var iterations = new Option<int>("--pbkdf2-iterations") { Description = "PBKDF2-SHA256 iterations for new password records", DefaultValueFactory = _ => PasswordHasher.DefaultIterations };
var maxClients = new Option<int>("--max-clients") { Description = "connections served at once; more are refused with server-busy", DefaultValueFactory = _ => 1000 };
var idleTimeout = new Option<int>("--idle-timeout") { Description = "seconds a connection may stay silent before it is closed", DefaultValueFactory = _ => 300 };
var accountFailures = new Option<int>("--max-failures-per-account") { Description = "failed logins per account within the window before throttling", DefaultValueFactory = _ => 5 };
var addressFailures = new Option<int>("--max-failures-per-address") { Description = "failed logins per client address within the window before throttling", DefaultValueFactory = _ => 20 };
var window = new Option<int>("--throttle-window") { Description = "seconds a failed login counts against the limits", DefaultValueFactory = _ => 300 };
var logLevel = new Option<LogLevel>("--log-level") { Description = "Trace, Debug, Information, Warning, Error", DefaultValueFactory = _ => LogLevel.Information };

var root = new RootCommand("auth-server: register and log in users over TCP (NLA/1 protocol, docs/auth.md)")
{
    Options = { listen, db, tlsCert, tlsKey, iterations, maxClients, idleTimeout, accountFailures, addressFailures, window, logLevel },
};
root.SetAction(async (parse, ct) =>
{
    if (!HostPort.TryParseEndPoint(parse.GetValue(listen)!, AuthProtocol.DefaultPort, out var endPoint, out string? error))
    {
        return Fail("--listen " + error);
    }
    foreach (var (option, minimum) in new[] { (iterations, 1), (maxClients, 1), (idleTimeout, 1), (accountFailures, 1), (addressFailures, 1), (window, 1) })
    {
        if (parse.GetValue(option) < minimum)
        {
            return Fail($"{option.Name} must be at least {minimum}");
        }
    }
    using var logging = LoggerFactory.Create(builder => builder
        .SetMinimumLevel(parse.GetValue(logLevel))
        .AddSimpleConsole(console => { console.SingleLine = true; console.TimestampFormat = "HH:mm:ss.fff "; }));
    using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
    using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stop.Cancel(); });
    try
    {
        await AuthServerApp.RunAsync(new AuthServerSettings
        {
            Listen = endPoint!,
            Database = parse.GetValue(db)!,
            TlsCertificatePath = parse.GetValue(tlsCert),
            TlsKeyPath = parse.GetValue(tlsKey),
            Iterations = parse.GetValue(iterations),
            MaxClients = parse.GetValue(maxClients),
            IdleTimeout = TimeSpan.FromSeconds(parse.GetValue(idleTimeout)),
            MaxFailuresPerAccount = parse.GetValue(accountFailures),
            MaxFailuresPerAddress = parse.GetValue(addressFailures),
            ThrottleWindow = TimeSpan.FromSeconds(parse.GetValue(window)),
        }, logging, stop.Token);
        return 0;
    }
    catch (Exception e) when (e is AuthServerApp.StartupException or ArgumentException)
    {
        logging.Dispose();
        return Fail(e.Message);
    }
});
return await root.Parse(args).InvokeAsync();

static int Fail(string message)
{
    Console.Error.WriteLine("auth-server: " + message);
    return 1;
}
