using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using NetLab.Ftp.Common;
using NetLab.Ftp.Server;
using NetLab.Ftp.Users;

var root = new Option<DirectoryInfo>("--root") { Description = "Directory served as / (must exist)", Required = true };
var listen = new Option<string>("--listen") { Description = "Address and port to listen on", DefaultValueFactory = _ => "0.0.0.0:21" };
var users = new Option<string[]>("--user") { Description = "An account NAME:PASSWORD (repeatable)", AllowMultipleArgumentsPerToken = false };
var usersFile = new Option<FileInfo?>("--users") { Description = "Users file with PBKDF2 hashes (see the adduser subcommand)" };
var authDb = new Option<string?>("--auth-db") { Description = "auth-server's user store: sqlite:PATH or mysql://user:pass@host:port/db (FTP user = e-mail)" };
var anonymous = new Option<bool>("--anonymous") { Description = "Allow anonymous login (user anonymous or ftp), read-only unless --write" };
var write = new Option<bool>("--write") { Description = "Let anonymous users upload, rename and delete" };
var pasvPorts = new Option<string?>("--pasv-ports") { Description = "Port range for passive data connections, e.g. 50000-50100" };
var pasvAddress = new Option<string?>("--pasv-address") { Description = "IPv4 address announced in PASV replies (behind NAT)" };
var tlsCert = new Option<FileInfo?>("--tls-cert") { Description = "PEM certificate; enables AUTH TLS (explicit FTPS)" };
var tlsKey = new Option<FileInfo?>("--tls-key") { Description = "PEM private key of --tls-cert" };
var maxClients = new Option<int>("--max-clients") { Description = "Most simultaneous sessions", DefaultValueFactory = _ => 500 };
var maxPerIp = new Option<int>("--max-per-ip") { Description = "Most simultaneous sessions from one address", DefaultValueFactory = _ => 100 };
var idleTimeout = new Option<string>("--idle-timeout") { Description = "Close sessions idle this long (e.g. 30s, 5m)", DefaultValueFactory = _ => "5m" };
var loginDelay = new Option<string>("--login-delay") { Description = "Delay after a failed login, times the number of failures", DefaultValueFactory = _ => "1s" };
var maxLoginFailures = new Option<int>("--max-login-failures") { Description = "Failed logins before the session is closed", DefaultValueFactory = _ => 3 };

var command = new RootCommand("NetLab FTP server (RFC 959, 2389, 2428, 3659, 2640; explicit FTPS per RFC 4217)");
foreach (Option option in new Option[] { root, listen, users, usersFile, authDb, anonymous, write, pasvPorts, pasvAddress, tlsCert, tlsKey,
    maxClients, maxPerIp, idleTimeout, loginDelay, maxLoginFailures })
{
    command.Options.Add(option);
}

var addUserFile = new Option<FileInfo>("--users") { Description = "Users file to create or update", Required = true };
var addUserName = new Argument<string>("name") { Description = "User name to add or whose password to replace" };
var addUserIterations = new Option<int>("--iterations") { Description = "PBKDF2 iterations", DefaultValueFactory = _ => 600_000 };
var addUser = new Command("adduser", "Add a user to a users file; the password is read from the first line of standard input");
addUser.Options.Add(addUserFile);
addUser.Options.Add(addUserIterations);
addUser.Arguments.Add(addUserName);
addUser.SetAction(parseResult =>
{
    string name = parseResult.GetValue(addUserName)!;
    string? password = Console.In.ReadLine();
    if (string.IsNullOrEmpty(password))
    {
        Console.Error.WriteLine("error: no password on standard input; e.g. echo 'secret' | ftp-server adduser --users users.txt alice");
        return 2;
    }
    try
    {
        var file = parseResult.GetValue(addUserFile)!;
        UsersFile.AddUser(file.FullName, name, password, parseResult.GetValue(addUserIterations));
        Console.WriteLine($"user {name} saved in {file.FullName}");
        return 0;
    }
    catch (Exception ex) when (ex is ArgumentException or IOException or UnauthorizedAccessException or FormatException)
    {
        Console.Error.WriteLine($"error: {ex.Message}");
        return 2;
    }
});
command.Subcommands.Add(addUser);

command.SetAction(async (parseResult, cancellationToken) =>
{
    using var loggerFactory = LoggerFactory.Create(builder => builder.AddSimpleConsole(o =>
    {
        o.SingleLine = true;
        o.TimestampFormat = "HH:mm:ss ";
    }));
    var logger = loggerFactory.CreateLogger("ftp-server");
    AuthStoreUserDirectory? store = null;
    try
    {
        var directories = new List<IFtpUserDirectory>();
        var staticUsers = new List<(string, string)>();
        foreach (string text in parseResult.GetValue(users) ?? [])
        {
            if (!StaticUserDirectory.TryParse(text, out var user))
            {
                return Fail($"--user '{text.Split(':')[0]}...' must look like NAME:PASSWORD");
            }
            staticUsers.Add(user);
        }
        if (staticUsers.Count > 0)
        {
            directories.Add(new StaticUserDirectory(staticUsers));
        }
        if (parseResult.GetValue(usersFile) is { } file)
        {
            if (!file.Exists)
            {
                return Fail($"--users {file.FullName} does not exist; create it with 'ftp-server adduser --users {file.FullName} NAME'");
            }
            directories.Add(UsersFile.Load(file.FullName));
        }
        if (parseResult.GetValue(authDb) is { } spec)
        {
            store = await AuthStoreUserDirectory.OpenAsync(spec, cancellationToken);
            directories.Add(store);
        }
        bool allowAnonymous = parseResult.GetValue(anonymous);
        if (directories.Count == 0 && !allowAnonymous)
        {
            return Fail("nobody could log in: give --user NAME:PASSWORD, --users FILE, --auth-db SPEC or --anonymous");
        }
        if (!IPEndPoint.TryParse(parseResult.GetValue(listen)!, out var endPoint) || endPoint.Port == 0 && !parseResult.GetValue(listen)!.EndsWith(":0", StringComparison.Ordinal))
        {
            return Fail($"--listen '{parseResult.GetValue(listen)}' is not ADDRESS:PORT (e.g. 0.0.0.0:2121)");
        }
        (int, int)? ports = null;
        if (parseResult.GetValue(pasvPorts) is { } range)
        {
            string[] bounds = range.Split('-');
            if (bounds.Length != 2 || !int.TryParse(bounds[0], CultureInfo.InvariantCulture, out int first) || !int.TryParse(bounds[1], CultureInfo.InvariantCulture, out int last)
                || first < 1024 || last > 65535 || first > last)
            {
                return Fail($"--pasv-ports '{range}' must be FIRST-LAST within 1024-65535, e.g. 50000-50100");
            }
            ports = (first, last);
        }
        IPAddress? announced = null;
        if (parseResult.GetValue(pasvAddress) is { } addressText && (!IPAddress.TryParse(addressText, out announced)
            || announced.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork))
        {
            return Fail($"--pasv-address '{addressText}' is not an IPv4 address");
        }
        if (!DurationText.TryParse(parseResult.GetValue(idleTimeout), out var idle) || idle <= TimeSpan.Zero)
        {
            return Fail($"--idle-timeout '{parseResult.GetValue(idleTimeout)}' is not a duration such as 30s or 5m");
        }
        if (!DurationText.TryParse(parseResult.GetValue(loginDelay), out var delay))
        {
            return Fail($"--login-delay '{parseResult.GetValue(loginDelay)}' is not a duration such as 1s or 500ms");
        }
        if (parseResult.GetValue(maxClients) < 1 || parseResult.GetValue(maxPerIp) < 1 || parseResult.GetValue(maxLoginFailures) < 1)
        {
            return Fail("--max-clients, --max-per-ip and --max-login-failures must be at least 1");
        }
        X509Certificate2? certificate = null;
        var (certFile, keyFile) = (parseResult.GetValue(tlsCert), parseResult.GetValue(tlsKey));
        if ((certFile is null) != (keyFile is null))
        {
            return Fail("--tls-cert and --tls-key go together; give both PEM files");
        }
        if (certFile is not null)
        {
            try
            {
                certificate = X509Certificate2.CreateFromPemFile(certFile.FullName, keyFile!.FullName);
            }
            catch (Exception ex) when (ex is CryptographicException or IOException or ArgumentException)
            {
                return Fail($"cannot load --tls-cert/--tls-key: {ex.Message} (expected PEM files, e.g. from openssl req -x509 -newkey rsa:2048 -nodes)");
            }
        }

        var options = new FtpServerOptions
        {
            Root = parseResult.GetValue(root)!.FullName,
            Listen = endPoint,
            Users = directories.Count == 0 ? null : new FtpUserDirectoryChain(directories),
            AllowAnonymous = allowAnonymous,
            AnonymousWrite = parseResult.GetValue(write),
            PassivePorts = ports,
            PassiveAddress = announced,
            Certificate = certificate,
            MaxClients = parseResult.GetValue(maxClients),
            MaxClientsPerIp = parseResult.GetValue(maxPerIp),
            IdleTimeout = idle,
            FailedLoginDelay = delay,
            MaxLoginFailures = parseResult.GetValue(maxLoginFailures),
        };
        using var server = new FtpServer(options, logger);
        await server.RunAsync(cancellationToken);
        return 0;
    }
    catch (Exception ex) when (ex is DirectoryNotFoundException or FormatException or ArgumentException
        or NetLab.Auth.Storage.UserStoreUnavailableException)
    {
        return Fail(ex.Message);
    }
    catch (System.Net.Sockets.SocketException ex)
    {
        return Fail($"cannot listen on {parseResult.GetValue(listen)}: {ex.Message}"
            + (ex.SocketErrorCode == System.Net.Sockets.SocketError.AccessDenied ? " (ports below 1024 need root or CAP_NET_BIND_SERVICE)" : ""));
    }
    finally
    {
        if (store is not null)
        {
            await store.DisposeAsync();
        }
    }
});

return await command.Parse(args).InvokeAsync();

static int Fail(string message)
{
    Console.Error.WriteLine($"ftp-server: {message}");
    return 2;
}
