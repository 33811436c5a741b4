using NetLab.Testing;

namespace Ftp.Server.Tests;

/// <summary>The ftp-server command line: the adduser subcommand, the users file, --auth-db, bad flags.</summary>
public sealed class HostTests : IDisposable
{
    private readonly FtpTempDirectory _temp = new();

    private static Shell.Result FtpServer(string? stdin, params string[] args)
        => Shell.Run("dotnet", [Repo.ProgramDll("ftp-server"), .. args], TimeSpan.FromSeconds(60), stdin);

    [ToolFact("curl")]
    public void AddUser_ThenLoginWithUsersFile()
    {
        string users = _temp.Combine("users.txt");
        var add = FtpServer("p@ss word\n", "adduser", "--users", users, "--iterations", "1000", "carol");
        Assert.True(add.ExitCode == 0, add.Output);
        Assert.DoesNotContain("p@ss", File.ReadAllText(users), StringComparison.Ordinal);
        Assert.Matches(@"(?m)^carol:pbkdf2-sha256\$1000\$", File.ReadAllText(users));

        string root = _temp.Combine("root");
        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, "f.txt"), "file");
        using var server = FtpServerProcess.Start(root, "--users", users);
        var ok = Shell.Run("curl", ["-sS", $"ftp://carol:p%40ss%20word@127.0.0.1:{server.Port}/f.txt"], TimeSpan.FromSeconds(30));
        Assert.Equal("file", ok.Stdout);
        var bad = Shell.Run("curl", ["-sS", $"ftp://carol:wrong@127.0.0.1:{server.Port}/f.txt"], TimeSpan.FromSeconds(30));
        Assert.Equal(67, bad.ExitCode); // CURLE_LOGIN_DENIED
    }

    [ToolFact("curl")]
    public async Task AuthDb_AccountRegisteredThroughAuth_LogsInWithItsEmail()
    {
        string spec = "sqlite:" + _temp.Combine("auth.db");
        await using (var store = await NetLab.Auth.Storage.UserStoreFactory.OpenAsync(spec, default))
        {
            Assert.NotNull(await store.CreateAsync("erin@lab.test", NetLab.Auth.Passwords.PasswordHasher.Hash("auth-pw", 1000), default));
        }
        string root = _temp.Combine("root");
        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, "f.txt"), "from auth");
        using var server = FtpServerProcess.Start(root, "--auth-db", spec);
        var ok = Shell.Run("curl", ["-sS", $"ftp://erin%40lab.test:auth-pw@127.0.0.1:{server.Port}/f.txt"], TimeSpan.FromSeconds(30));
        Assert.Equal("from auth", ok.Stdout);
        var bad = Shell.Run("curl", ["-sS", $"ftp://erin%40lab.test:nope@127.0.0.1:{server.Port}/f.txt"], TimeSpan.FromSeconds(30));
        Assert.Equal(67, bad.ExitCode);
    }

    [Fact]
    public void AddUser_WithoutPassword_Fails()
    {
        var add = FtpServer("", "adduser", "--users", _temp.Combine("u.txt"), "dave");
        Assert.Equal(2, add.ExitCode);
        Assert.Contains("no password on standard input", add.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--listen", "nonsense", "is not ADDRESS:PORT")]
    [InlineData("--pasv-ports", "10-5", "must be FIRST-LAST")]
    [InlineData("--idle-timeout", "soon", "is not a duration")]
    [InlineData("--pasv-address", "::1", "is not an IPv4 address")]
    [InlineData("--tls-cert", "/nonexistent.pem", "go together")]
    [InlineData("--users", "/nonexistent/users.txt", "does not exist")]
    public void BadFlags_SayWhatIsWrong(string flag, string value, string message)
    {
        string root = _temp.Combine("root");
        Directory.CreateDirectory(root);
        string[] listen = flag == "--listen" ? [] : ["--listen", "127.0.0.1:0"];
        var result = FtpServer(null, ["--root", root, "--user", "a:b", .. listen, flag, value]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void NoWayToLogIn_IsAnError()
    {
        var result = FtpServer(null, "--root", _temp.Path, "--listen", "127.0.0.1:0");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("nobody could log in", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingRoot_IsAnError()
    {
        var result = FtpServer(null, "--root", _temp.Combine("nope"), "--user", "a:b", "--listen", "127.0.0.1:0");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("does not exist", result.Stderr, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();
}
