using NetLab.Auth.Client;
using NetLab.Auth.Storage;
using NetLab.Protocols.Auth;
using NetLab.Testing;

namespace Auth.Server.Tests;

public sealed class AuthServerStartupTests : AuthServerTestBase
{
    [Fact]
    public void DatabaseDown_ClearErrorAtStart()
    {
        int port = FreePort.Tcp();
        var result = RunServer("--db", $"mysql://netlab:pw-not-shown@127.0.0.1:{port}/netlab");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("cannot open the user database", result.Stderr, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{port}", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("pw-not-shown", result.Output, StringComparison.Ordinal);
    }

    [MySqlFact]
    public void BadDatabaseCredentials_ClearErrorAtStart()
    {
        string spec = AuthTestDatabases.MySqlSpec!.Replace("://netlab:", "://netlab:bad-", StringComparison.Ordinal);
        var result = RunServer("--db", spec);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Access denied", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--listen nowhere:12345", "IP address")]
    [InlineData("--listen 127.0.0.1:99999", "port must be a number from 1 to 65535")]
    [InlineData("--pbkdf2-iterations 0", "--pbkdf2-iterations must be at least 1")]
    [InlineData("--max-clients -1", "--max-clients must be at least 1")]
    [InlineData("--db postgres://x", "sqlite:FILE")]
    [InlineData("--tls-cert /nonexistent/cert.pem", "--tls-key")]
    public void BadFlags_ClearErrorNonZeroExit(string flags, string hint)
    {
        var args = flags.Split(' ').ToList();
        if (!args.Contains("--db"))
        {
            args.AddRange(["--db", "sqlite:" + Path.Combine(TempDirectory, "x.db")]);
        }
        var result = RunServer([.. args]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(hint, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void BadCertificateFiles_ClearError()
    {
        string cert = Path.Combine(TempDirectory, "cert.pem");
        File.WriteAllText(cert, "not a certificate");
        var result = RunServer("--db", "sqlite:" + Path.Combine(TempDirectory, "x.db"), "--tls-cert", cert, "--tls-key", cert);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("cannot load the TLS certificate", result.Stderr, StringComparison.Ordinal);
    }

    /// <summary>Stops MariaDB (by its PID) under a running server: requests get an error reply on a
    /// connection that stays open, and after MariaDB restarts on the same data directory and port the
    /// server serves again with every user kept.</summary>
    [PrivateMariaDbFact]
    public async Task MariaDbOutage_ErrorRepliesThenRecovery_NoUserLost()
    {
        using var mariadb = new PrivateMariaDb();
        using var server = new AuthServerProcess(mariadb.Spec);
        await using var client = await ConnectAsync(server);
        for (int i = 0; i < 5; i++)
        {
            await ExpectOkAsync(client.RegisterAsync($"before{i}@lab.test", "outage-password", Ct));
        }

        int pid = mariadb.Pid;
        mariadb.Stop();
        Assert.False(Directory.Exists($"/proc/{pid}"), "mariadbd still running after stop");
        await ExpectErrorAsync(client.RegisterAsync("during@lab.test", "outage-password", Ct), AuthErrors.Unavailable);
        await ExpectErrorAsync(client.LoginAsync("before0@lab.test", "outage-password", Ct), AuthErrors.Unavailable);
        await ExpectOkAsync(client.SimpleAsync(AuthOperation.Ping, Ct));
        Assert.Contains("user database is unavailable", (await client.LoginAsync("before1@lab.test", "outage-password", Ct)).Response.Message, StringComparison.Ordinal);

        mariadb.Start();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        AuthExchange exchange;
        while (!(exchange = await client.LoginAsync("before0@lab.test", "outage-password", Ct)).Response.Ok && DateTime.UtcNow < deadline)
        {
            await Task.Delay(500);
        }
        Assert.True(exchange.Response.Ok, exchange.Response.Describe(false));
        await ExpectOkAsync(client.RegisterAsync("after@lab.test", "outage-password", Ct));
        for (int i = 0; i < 5; i++)
        {
            await ExpectOkAsync(client.LoginAsync($"before{i}@lab.test", "outage-password", Ct));
        }
        await using var store = await UserStoreFactory.OpenAsync(mariadb.Spec, Ct);
        Assert.Equal(6, await store.CountAsync(Ct));
    }

    private static Shell.Result RunServer(params string[] args) =>
        Shell.Run("dotnet", [Repo.ProgramDll("auth-server"), .. args.Contains("--listen") ? args : [.. args, "--listen", $"127.0.0.1:{FreePort.Tcp()}"]],
            TimeSpan.FromSeconds(60));
}
