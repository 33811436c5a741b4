using System.Text.RegularExpressions;
using NetLab.Testing;

namespace Auth.Client.Tests;

/// <summary>The auth-client program against a real auth-server process.</summary>
public sealed partial class AuthClientProgramTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("netlab-auth-client-").FullName;

    public static TheoryData<string> Backends => AuthTestDatabases.Backends;

    [Theory]
    [MemberData(nameof(Backends))]
    public void Register_Login_ChangePassword_Scripted(string backend)
    {
        using var server = new AuthServerProcess(AuthTestDatabases.FreshSpec(backend, _directory));

        var registered = Client(server, "hal@lab.test-pass\n", "register", "--email", "hal@lab.test", "--password-stdin");
        var again = Client(server, "hal@lab.test-pass\n", "register", "--email", "HAL@lab.test", "--password-stdin");
        var login = Client(server, "hal@lab.test-pass\n", "login", "--email", "Hal@Lab.Test", "--password-stdin");
        var wrong = Client(server, "not-the-pass\n", "login", "--email", "hal@lab.test", "--password-stdin");
        var changed = Client(server, "hal@lab.test-pass\nnew-hal-pass\n", "change-password", "--email", "hal@lab.test", "--password-stdin");
        var newLogin = Client(server, "new-hal-pass\n", "login", "--email", "hal@lab.test", "--password-stdin");

        Assert.Equal(0, registered.ExitCode);
        Assert.Matches(ResponseLine("REGISTER ok"), registered.Stdout);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("email-taken", again.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, login.ExitCode);
        Assert.Matches(ResponseLine("LOGIN ok: logged in | hal@lab.test"), login.Stdout);
        Assert.Equal(1, wrong.ExitCode);
        Assert.Matches(ResponseLine("LOGIN error invalid-credentials: wrong e-mail or password"), wrong.Stderr);
        Assert.Equal(0, changed.ExitCode);
        Assert.Matches(ResponseLine("CHANGE-PASSWORD ok: password changed"), changed.Stdout);
        Assert.Equal(0, newLogin.ExitCode);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void InteractiveMenu_DrivenThroughStdin(string backend)
    {
        using var server = new AuthServerProcess(AuthTestDatabases.FreshSpec(backend, _directory));
        string script = string.Join('\n',
            "1", "ivy@lab.test", "ivy-password", "ivy-password",   // register
            "2", "ivy@lab.test", "wrong-password",                 // failed login
            "9",                                                   // not a choice
            "2", "ivy@lab.test", "ivy-password",                   // login
            "1",                                                   // who am I
            "2", "ivy-password", "ivy-password-2",                 // change password
            "3",                                                   // log out
            "2", "ivy@lab.test", "ivy-password-2",                 // login with the new password
            "4") + "\n";                                           // quit

        var result = Client(server, script);

        Assert.Equal(0, result.ExitCode);
        string output = result.Stdout;
        Assert.StartsWith("1- Register 2- Login 3- Quit", output, StringComparison.Ordinal);
        Assert.Matches(ResponseLine("REGISTER ok"), output);
        Assert.Matches(ResponseLine("LOGIN error invalid-credentials"), output);
        Assert.Contains("choose one of the numbers shown", output, StringComparison.Ordinal);
        Assert.Contains("[ivy@lab.test] 1- Who am I 2- Change password 3- Log out 4- Quit", output, StringComparison.Ordinal);
        Assert.Matches(ResponseLine("WHOAMI ok: you are ivy@lab.test"), output);
        Assert.Matches(ResponseLine("CHANGE-PASSWORD ok"), output);
        Assert.Matches(ResponseLine("LOGOUT ok"), output);
        Assert.Equal(2, Regex.Matches(output, "LOGIN ok").Count);
        Assert.EndsWith("bye", output.TrimEnd(), StringComparison.Ordinal);
        Assert.DoesNotContain("ivy-password", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Ping_CountAndConcurrency_Summary()
    {
        using var server = new AuthServerProcess(AuthTestDatabases.FreshSpec(AuthTestDatabases.Sqlite, _directory));

        var quiet = Client(server, "", "ping", "--count", "200", "--concurrency", "8", "-q");
        var verbose = Client(server, "", "ping", "-c", "3");

        Assert.Equal(0, quiet.ExitCode);
        Assert.Contains("(8 connections)", quiet.Stdout, StringComparison.Ordinal);
        Assert.Contains("200 requests, 0 failed", quiet.Stdout, StringComparison.Ordinal);
        var rtt = SummaryLine().Match(quiet.Stdout);
        Assert.True(rtt.Success, quiet.Stdout);
        double[] values = [.. Enumerable.Range(1, 6).Select(i => double.Parse(rtt.Groups[i].Value, System.Globalization.CultureInfo.InvariantCulture))];
        Assert.True(values[0] <= values[2] && values[2] <= values[3] && values[3] <= values[4] && values[4] <= values[5], rtt.Value);
        Assert.InRange(values[1], values[0], values[5]);
        Assert.DoesNotContain("seq=", quiet.Stdout, StringComparison.Ordinal);
        Assert.Equal(3, Regex.Matches(verbose.Stdout, @"seq=\d PING ok: pong \[\d+\.\d{3} ms\]").Count);
    }

    [ToolFact("openssl")]
    public void Tls_TrustGivenCertificate_PlainConfigFails()
    {
        string cert = Path.Combine(_directory, "cert.pem"), key = Path.Combine(_directory, "key.pem");
        Shell.Check("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
            "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1");
        using var server = new AuthServerProcess(AuthTestDatabases.FreshSpec(AuthTestDatabases.Sqlite, _directory), "--tls-cert", cert, "--tls-key", key);

        var trusted = Client(server, "", "--tls-trust", cert, "ping", "-c", "1");
        var untrusted = Client(server, "", "--tls", "ping", "-c", "1");
        var insecure = Client(server, "", "--tls-insecure", "ping", "-c", "1");

        Assert.Equal(0, trusted.ExitCode);
        Assert.Contains("1 requests, 0 failed", trusted.Stdout, StringComparison.Ordinal);
        Assert.Equal(2, untrusted.ExitCode);
        Assert.Contains("--tls-trust", untrusted.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, insecure.ExitCode);
    }

    /// <summary>The store is shared (ftp-server --auth-db writes and reads the same table): a user put
    /// there by another program logs in through auth-server.</summary>
    [MySqlFact]
    public async Task MariaDbStore_SharedWithOtherPrograms_UserLogsIn()
    {
        string spec = AuthTestDatabases.FreshMySqlSpec();
        await using (var store = await NetLab.Auth.Storage.UserStoreFactory.OpenAsync(spec, CancellationToken.None))
        {
            await store.CreateAsync("shared@lab.test", NetLab.Auth.Passwords.PasswordHasher.Hash("shared-password", 1000), CancellationToken.None);
        }
        using var server = new AuthServerProcess(spec);

        var login = Client(server, "shared-password\n", "login", "--email", "shared@lab.test", "--password-stdin");

        Assert.Equal(0, login.ExitCode);
        Assert.Matches(ResponseLine("LOGIN ok: logged in | shared@lab.test"), login.Stdout);
    }

    [Fact]
    public void NoServer_ClearErrorExit2()
    {
        int port = FreePort.Tcp();
        var result = Shell.Run("dotnet", [Repo.ProgramDll("auth-client"), "--server", $"127.0.0.1:{port}", "ping"], TimeSpan.FromSeconds(60));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"cannot reach auth-server at 127.0.0.1:{port}", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void BadServerFlag_ClearError()
    {
        var result = Shell.Run("dotnet", [Repo.ProgramDll("auth-client"), "--server", "host:99999", "ping"], TimeSpan.FromSeconds(60));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--server 'host:99999': the port must be a number from 1 to 65535", result.Stderr, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static Shell.Result Client(AuthServerProcess server, string stdin, params string[] args) =>
        Shell.Run("dotnet", [Repo.ProgramDll("auth-client"), "--server", server.Server, .. args], TimeSpan.FromSeconds(120), stdin);

    /// <summary>A response line as the client prints it, ending with its response time.</summary>
    private static Regex ResponseLine(string start) => new(Regex.Escape(start) + @".*\[\d+\.\d{3} ms\]");

    [GeneratedRegex(@"rtt min/mean/p50/p90/p99/max = ([\d.]+)/([\d.]+)/([\d.]+)/([\d.]+)/([\d.]+)/([\d.]+) ms")]
    private static partial Regex SummaryLine();
}
