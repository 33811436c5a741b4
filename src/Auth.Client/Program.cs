using System.CommandLine;
using NetLab.Auth;
using NetLab.Auth.Client;
using NetLab.Protocols.Auth;

var server = new Option<string>("--server") { Description = "auth-server as HOST:PORT", DefaultValueFactory = _ => "127.0.0.1:" + AuthProtocol.DefaultPort, Recursive = true };
var tls = new Option<bool>("--tls") { Description = "connect with TLS (auth-server --tls-cert)", Recursive = true };
var tlsTrust = new Option<string?>("--tls-trust") { Description = "PEM certificate to trust (a lab's self-signed one); implies --tls", Recursive = true };
var tlsInsecure = new Option<bool>("--tls-insecure") { Description = "TLS without checking the server certificate (lab only); implies --tls", Recursive = true };
var email = new Option<string>("--email") { Description = "the account's e-mail address", Required = true };
var passwordStdin = new Option<bool>("--password-stdin") { Description = "read the password from the first line of standard input" };
var count = new Option<int>("--count", "-c") { Description = "number of PING requests", DefaultValueFactory = _ => 10 };
var concurrency = new Option<int>("--concurrency") { Description = "connections sending at once", DefaultValueFactory = _ => 1 };

var register = new Command("register", "create an account") { Options = { email, passwordStdin } };
var login = new Command("login", "log in and show the account") { Options = { email, passwordStdin } };
var changePassword = new Command("change-password", "log in, then change the password (stdin: current, then new)") { Options = { email, passwordStdin } };
var pingQuiet = new Option<bool>("--quiet", "-q") { Description = "print only the summary, not every reply" };
var ping = new Command("ping", "measure the server's response time with PING requests") { Options = { count, concurrency, pingQuiet } };
var users = new Option<int>("--users") { Description = "accounts to register, then log in", DefaultValueFactory = _ => 64 };
var benchConcurrency = new Option<int>("--concurrency") { Description = "connections sending at once", DefaultValueFactory = _ => 16 };
var bench = new Command("bench", "registrations/s and logins/s: registers --users new accounts, then logs each in") { Options = { users, benchConcurrency } };
var hashIterations = new Option<int>("--iterations") { Description = "PBKDF2-SHA256 iterations (as auth-server --pbkdf2-iterations)", DefaultValueFactory = _ => NetLab.Auth.Passwords.PasswordHasher.DefaultIterations };
var seconds = new Option<int>("--seconds") { Description = "how long to measure", DefaultValueFactory = _ => 5 };
var hashRate = new Command("hash-rate", "this machine's raw PBKDF2 verifications/s on all cores (no server involved)") { Options = { hashIterations, seconds } };
var root = new RootCommand("auth-client: talk to auth-server (NLA/1, docs/auth.md); without a command, an interactive menu")
{
    Options = { server, tls, tlsTrust, tlsInsecure },
    Subcommands = { register, login, changePassword, ping, bench, hashRate },
};

root.SetAction((parse, ct) => WithClientAsync(parse, async client =>
{
    await new AuthMenu(client, Console.In, Console.Out, ConsoleSecret.Read).RunAsync(ct);
    return 0;
}, ct));
register.SetAction((parse, ct) => WithClientAsync(parse, async client =>
    Print(await client.RegisterAsync(parse.GetValue(email)!, ReadPassword(parse, "password: ") ?? "", ct)), ct));
login.SetAction((parse, ct) => WithClientAsync(parse, async client =>
    Print(await client.LoginAsync(parse.GetValue(email)!, ReadPassword(parse, "password: ") ?? "", ct)), ct));
changePassword.SetAction((parse, ct) => WithClientAsync(parse, async client =>
{
    string current = ReadPassword(parse, "current password: ") ?? "";
    string replacement = ReadPassword(parse, "new password: ") ?? "";
    int loggedIn = Print(await client.LoginAsync(parse.GetValue(email)!, current, ct));
    return loggedIn != 0 ? loggedIn : Print(await client.ChangePasswordAsync(current, replacement, ct));
}, ct));
ping.SetAction((parse, ct) =>
{
    int requests = parse.GetValue(count), connections = parse.GetValue(concurrency);
    return requests < 1 || connections < 1 ? Task.FromResult(Fail("--count and --concurrency must be at least 1"))
        : WithTargetAsync(parse, async (target, connect) =>
        {
            var summary = await AuthLoad.RunAsync(connect, requests, connections, _ => AuthFrame.Request(AuthOperation.Ping),
                parse.GetValue(pingQuiet) ? null : (i, exchange) => Console.WriteLine($"seq={i + 1} {AuthMenu.Describe(exchange)}"), ct);
            Console.WriteLine($"--- {target} auth ping statistics ({connections} connections) ---");
            Console.WriteLine(summary.Format());
            return summary.Failures == 0 ? 0 : 1;
        }, ct);
});
bench.SetAction((parse, ct) =>
{
    int accounts = parse.GetValue(users), connections = parse.GetValue(benchConcurrency);
    string run = Guid.NewGuid().ToString("N")[..8];
    string Email(int i) => $"bench-{run}-{i % accounts}@lab.test";
    return accounts < 1 || connections < 1 ? Task.FromResult(Fail("--users and --concurrency must be at least 1"))
        : WithTargetAsync(parse, async (_, connect) =>
        {
            foreach (var (name, operation) in new[] { ("registrations", AuthOperation.Register), ("logins", AuthOperation.Login) })
            {
                var summary = await AuthLoad.RunAsync(connect, accounts, connections,
                    i => AuthFrame.Request(operation, Email(i), "bench-password"), null, ct);
                Console.WriteLine($"--- {name}: {connections} connections ---");
                Console.WriteLine(summary.Format().Replace("requests/s", name + "/s", StringComparison.Ordinal));
                if (summary.Failures > 0)
                {
                    return Fail($"{summary.Failures} {name} failed (is the server throttling or its database down?)");
                }
            }
            return 0;
        }, ct);
});
hashRate.SetAction(parse =>
{
    int iterationCount = parse.GetValue(hashIterations), duration = parse.GetValue(seconds);
    if (iterationCount < 1 || duration < 1)
    {
        return Fail("--iterations and --seconds must be at least 1");
    }
    double rate = NetLab.Auth.Passwords.PasswordHashRate.Measure(iterationCount, TimeSpan.FromSeconds(duration), Environment.ProcessorCount);
    Console.WriteLine(FormattableString.Invariant($"PBKDF2-SHA256 {iterationCount} iterations: {rate:0.00} verifications/s on {Environment.ProcessorCount} cores"));
    return 0;
});
return await root.Parse(args).InvokeAsync();

Task<int> WithClientAsync(ParseResult parse, Func<AuthClient, Task<int>> work, CancellationToken ct) =>
    WithTargetAsync(parse, async (_, connect) =>
    {
        await using var client = await connect();
        return await work(client);
    }, ct);

/// <summary>Parses --server and the TLS flags, then runs work with the target and a way to connect to it;
/// connection problems become a message and exit status 2.</summary>
async Task<int> WithTargetAsync(ParseResult parse, Func<string, Func<Task<AuthClient>>, Task<int>> work, CancellationToken ct)
{
    if (!TryTarget(parse, out string host, out int port, out var tlsOptions))
    {
        return 2;
    }
    try
    {
        return await work($"{host}:{port}", () => AuthClient.ConnectAsync(host, port, tlsOptions, ct));
    }
    catch (AuthClientException e)
    {
        return Fail(e.Message);
    }
}

bool TryTarget(ParseResult parse, out string host, out int port, out AuthTlsOptions? tlsOptions)
{
    tlsOptions = null;
    if (!HostPort.TryParse(parse.GetValue(server)!, AuthProtocol.DefaultPort, out host, out port, out string? error) || host.Length == 0)
    {
        Fail("--server " + (error ?? "needs a host, e.g. 127.0.0.1:12345"));
        return false;
    }
    string? trust = parse.GetValue(tlsTrust);
    if (trust is not null && !File.Exists(trust))
    {
        Fail($"--tls-trust {trust}: no such file (give the server's PEM certificate)");
        return false;
    }
    if (parse.GetValue(tls) || trust is not null || parse.GetValue(tlsInsecure))
    {
        tlsOptions = new AuthTlsOptions(trust, parse.GetValue(tlsInsecure));
    }
    return true;
}

string? ReadPassword(ParseResult parse, string prompt) =>
    parse.GetValue(passwordStdin) ? Console.In.ReadLine() : ConsoleSecret.Read(prompt);

static int Print(AuthExchange exchange)
{
    (exchange.Response.Ok ? Console.Out : Console.Error).WriteLine(AuthMenu.Describe(exchange));
    return exchange.Response.Ok ? 0 : 1;
}

static int Fail(string message)
{
    Console.Error.WriteLine("auth-client: " + message);
    return 2;
}
