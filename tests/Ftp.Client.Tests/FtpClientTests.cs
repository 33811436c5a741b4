using System.Globalization;
using NetLab.Testing;

namespace Ftp.Client.Tests;

/// <summary>The ftp-client program against pyftpdlib (a reference server) and against ftp-server,
/// including FTPS, active mode, resume, --dns through dns-server, and failures.</summary>
public sealed class FtpClientTests : IDisposable
{
    private readonly FtpTempDirectory _temp = new();

    private Shell.Result FtpClient(params string[] args)
        => Shell.Run("dotnet", [Repo.ProgramDll("ftp-client"), .. args], TimeSpan.FromSeconds(60));

    private static void AssertOk(Shell.Result result) => Assert.True(result.ExitCode == 0, $"ftp-client exited {result.ExitCode}: {result.Output}");

    /// <summary>pyftpdlib with user alice:secret (full rights) on a free port, served from <paramref name="root"/>.</summary>
    private static BackgroundProcess StartPyftpdlib(string root, out int port)
    {
        port = FreePort.Tcp();
        string script = """
            import sys, logging
            from pyftpdlib.authorizers import DummyAuthorizer
            from pyftpdlib.handlers import FTPHandler
            from pyftpdlib.servers import FTPServer
            logging.basicConfig(level=logging.INFO)
            authorizer = DummyAuthorizer()
            authorizer.add_user('alice', 'secret', sys.argv[1], perm='elradfmwMT')
            handler = FTPHandler
            handler.authorizer = authorizer
            server = FTPServer(('127.0.0.1', int(sys.argv[2])), handler)
            server.serve_forever()
            """;
        var process = new BackgroundProcess(SystemPythonFactAttribute.Python, ["-c", script, root, port.ToString(CultureInfo.InvariantCulture)]);
        process.WaitForLine("starting FTP server", TimeSpan.FromSeconds(20));
        return process;
    }

    [SystemPythonFact("pyftpdlib")]
    public void AgainstPyftpdlib_MkdirPutLsGetResumeRm()
    {
        string root = _temp.Combine("root");
        Directory.CreateDirectory(root);
        using var server = StartPyftpdlib(root, out int port);
        string url = $"ftp://alice:secret@127.0.0.1:{port}";
        byte[] content = File.ReadAllBytes(_temp.RandomFile("local/report.bin", 3_000_000));

        AssertOk(FtpClient($"{url}/incoming", "mkdir"));
        Assert.True(Directory.Exists(Path.Combine(root, "incoming")));
        AssertOk(FtpClient($"{url}/incoming/", "put", _temp.Combine("local", "report.bin")));
        Assert.Equal(content, File.ReadAllBytes(Path.Combine(root, "incoming", "report.bin")));

        var ls = FtpClient($"{url}/incoming/", "ls");
        AssertOk(ls);
        Assert.Contains("report.bin", ls.Stdout, StringComparison.Ordinal);

        string copy = _temp.Combine("copy.bin");
        AssertOk(FtpClient($"{url}/incoming/report.bin", "get", copy, "--active"));
        Assert.Equal(content, File.ReadAllBytes(copy));

        File.WriteAllBytes(copy, content[..1_000_000]);
        var resumed = FtpClient($"{url}/incoming/report.bin", "get", copy, "--continue");
        AssertOk(resumed);
        Assert.Contains("resumed at 1000000", resumed.Stderr, StringComparison.Ordinal);
        Assert.Equal(content, File.ReadAllBytes(copy));

        AssertOk(FtpClient($"{url}/incoming/", "rm", "report.bin"));
        AssertOk(FtpClient($"{url}/incoming/", "rm"));
        Assert.False(Directory.Exists(Path.Combine(root, "incoming")));
    }

    [SystemPythonFact("pyftpdlib")]
    public void AgainstPyftpdlib_FailureExitsNonZeroWithServerReply()
    {
        string root = _temp.Combine("root");
        Directory.CreateDirectory(root);
        using var server = StartPyftpdlib(root, out int port);
        var missing = FtpClient($"ftp://alice:secret@127.0.0.1:{port}/nope.txt", "get", _temp.Combine("x"));
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("550", missing.Stderr, StringComparison.Ordinal);
        var login = FtpClient($"ftp://alice:wrong@127.0.0.1:{port}/", "ls");
        Assert.Equal(1, login.ExitCode);
        Assert.Contains("530", login.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void AgainstFtpServer_TlsPutGetAndResumedUpload()
    {
        string root = _temp.Combine("root");
        Directory.CreateDirectory(root);
        var (cert, key) = FtpTestCertificate.Create(_temp.Path);
        using var server = FtpServerProcess.Start(root, "--user", "bob:pw", "--tls-cert", cert, "--tls-key", key);
        string local = _temp.RandomFile("big.bin", 4_000_000);
        byte[] content = File.ReadAllBytes(local);

        AssertOk(FtpClient(server.Url("bob", "pw"), "put", local, "--tls", "-k"));
        Assert.Equal(content, File.ReadAllBytes(Path.Combine(root, "big.bin")));

        // Resume an upload: the server holds a prefix (REST + STOR).
        File.WriteAllBytes(Path.Combine(root, "big.bin"), content[..1_500_000]);
        var resumed = FtpClient(server.Url("bob", "pw"), "put", local, "--continue", "--tls", "-k", "--active");
        AssertOk(resumed);
        Assert.Contains("resumed at 1500000", resumed.Stderr, StringComparison.Ordinal);
        Assert.Equal(content, File.ReadAllBytes(Path.Combine(root, "big.bin")));

        var get = FtpClient(server.Url("bob", "pw", "/big.bin"), "get", "-", "--tls", "-k");
        AssertOk(get);
        Assert.Contains("PROT P -> 200", server.Process.Output, StringComparison.Ordinal);
        Assert.Contains("transfer RETR /big.bin complete: 4000000 bytes", server.Process.Output, StringComparison.Ordinal);

        var untrusted = FtpClient(server.Url("bob", "pw"), "ls", "--tls");
        Assert.Equal(3, untrusted.ExitCode);
    }

    [Fact]
    public void Dns_ResolvesTheServerNameThroughDnsServer()
    {
        string root = _temp.Combine("root");
        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, "motd.txt"), "welcome to the lab");
        string zone = _temp.Combine("lab.test.zone");
        File.WriteAllText(zone, """
            $ORIGIN lab.test.
            $TTL 300
            @   IN SOA ns.lab.test. admin.lab.test. 1 3600 600 86400 300
            @   IN NS  ns.lab.test.
            ns  IN A   127.0.0.1
            ftp IN A   127.0.0.1
            """);
        int dnsPort = FreePort.UdpAndTcp();
        using var dns = new BackgroundProcess("dotnet", [Repo.ProgramDll("dns-server"), "--listen", $"127.0.0.1:{dnsPort}", "--zone", $"lab.test={zone}"]);
        dns.WaitForLine("listening on", TimeSpan.FromSeconds(30));
        using var server = FtpServerProcess.Start(root, "--user", "bob:pw");

        var get = FtpClient($"ftp://bob:pw@ftp.lab.test:{server.Port}/motd.txt", "get", "-", "--dns", $"127.0.0.1:{dnsPort}");
        AssertOk(get);
        Assert.Equal("welcome to the lab", get.Stdout);

        var unknown = FtpClient($"ftp://bob:pw@nope.lab.test:{server.Port}/", "ls", "--dns", $"127.0.0.1:{dnsPort}");
        Assert.Equal(3, unknown.ExitCode);
        Assert.Contains("NXDOMAIN", unknown.Stderr, StringComparison.Ordinal);
    }

    [ToolFact("script")]
    public void ProgressBar_ShownOnATerminal_NotWhenRedirected()
    {
        string root = _temp.Combine("root");
        _temp.RandomFile("root/large.bin", 8_000_000);
        using var server = FtpServerProcess.Start(root, "--user", "bob:pw");
        string command = $"dotnet {Repo.ProgramDll("ftp-client")} {server.Url("bob", "pw", "/large.bin")} get {_temp.Combine("tty.bin")}";
        // script(1) gives the client a pseudo-terminal, as an interactive user has.
        var onTerminal = Shell.Run("script", ["-qec", command, "/dev/null"], TimeSpan.FromSeconds(60));
        Assert.True(onTerminal.ExitCode == 0, onTerminal.Output);
        Assert.Matches(@"get large\.bin.*━", onTerminal.Stdout);
        Assert.Matches(@"[\d.]+ [KMG]B/s", onTerminal.Stdout);

        var redirected = FtpClient(server.Url("bob", "pw", "/large.bin"), "get", _temp.Combine("plain.bin"));
        AssertOk(redirected);
        Assert.Equal("", redirected.Stdout);
    }

    [Theory]
    [InlineData("http://host/x", "ls", "is not an ftp:// URL")]
    [InlineData("ftp://127.0.0.1:1/", "frobnicate", "unknown command")]
    public void BadArguments_SayWhatIsWrong(string url, string verb, string message)
    {
        var result = FtpClient(url, verb);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();
}
