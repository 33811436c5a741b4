using NetLab.Testing;

namespace Ftp.Server.Tests;

/// <summary>curl against the ftp-server program: listing, download, upload, resume, EPSV and PASV,
/// active mode, explicit FTPS.</summary>
public sealed class CurlInteropTests : IDisposable
{
    private readonly FtpTempDirectory _temp = new();
    private readonly string _root;
    private readonly byte[] _content;

    public CurlInteropTests()
    {
        _root = _temp.Combine("root");
        _content = File.ReadAllBytes(_temp.RandomFile("root/data.bin", 2_000_000));
        Directory.CreateDirectory(Path.Combine(_root, "sub"));
    }

    private static void AssertOk(Shell.Result result) => Assert.True(result.ExitCode == 0, $"curl exited {result.ExitCode}: {result.Stderr}");

    private static Shell.Result Curl(params string[] args) => Shell.Run("curl", ["-sS", "--max-time", "30", .. args], TimeSpan.FromSeconds(40));

    [ToolFact("curl")]
    public void ListDownloadUploadResume_Passive()
    {
        using var server = FtpServerProcess.Start(_root, "--user", "alice:secret");
        var list = Curl(server.Url("alice", "secret"));
        Assert.Equal(0, list.ExitCode);
        // curl turns the CRLF of the ASCII listing into local line ends.
        Assert.Matches(@"(?m)^-rw.* 2000000 .* data\.bin\r?$", list.Stdout);
        Assert.Matches(@"(?m)^d.* sub\r?$", list.Stdout);

        string downloaded = _temp.Combine("down.bin");
        AssertOk(Curl("-o", downloaded, server.Url("alice", "secret", "/data.bin")));
        Assert.Equal(_content, File.ReadAllBytes(downloaded));

        // Resume a download: keep the first 700000 bytes, let curl fetch the rest (REST).
        File.WriteAllBytes(downloaded, _content[..700_000]);
        AssertOk(Curl("-C", "-", "-o", downloaded, server.Url("alice", "secret", "/data.bin")));
        Assert.Equal(_content, File.ReadAllBytes(downloaded));

        string upload = _temp.RandomFile("up.bin", 1_500_000);
        AssertOk(Curl("-T", upload, server.Url("alice", "secret", "/sub/up.bin")));
        Assert.Equal(File.ReadAllBytes(upload), File.ReadAllBytes(Path.Combine(_root, "sub", "up.bin")));

        // Resume an upload: the server holds a prefix, curl appends the rest.
        File.WriteAllBytes(Path.Combine(_root, "sub", "up.bin"), File.ReadAllBytes(upload)[..500_000]);
        AssertOk(Curl("-C", "-", "-T", upload, server.Url("alice", "secret", "/sub/up.bin")));
        Assert.Equal(File.ReadAllBytes(upload), File.ReadAllBytes(Path.Combine(_root, "sub", "up.bin")));

        Assert.Matches(@"transfer RETR /data.bin complete: 2000000 bytes in [\d.]+ s \([\d.]+ MB/s\)", server.Process.Output);
        Assert.DoesNotContain("secret", server.Process.Output, StringComparison.Ordinal);
    }

    [ToolFact("curl")]
    public void PasvWithoutEpsv_AndActiveMode()
    {
        using var server = FtpServerProcess.Start(_root, "--user", "alice:secret", "--pasv-ports", "50000-50999");
        string pasv = _temp.Combine("pasv.bin");
        AssertOk(Curl("--disable-epsv", "-o", pasv, server.Url("alice", "secret", "/data.bin")));
        Assert.Equal(_content, File.ReadAllBytes(pasv));
        Assert.Contains("PASV -> 227", server.Process.Output, StringComparison.Ordinal);

        string active = _temp.Combine("active.bin");
        AssertOk(Curl("--ftp-port", "127.0.0.1", "-o", active, server.Url("alice", "secret", "/data.bin")));
        Assert.Equal(_content, File.ReadAllBytes(active));
        var activeList = Curl("--ftp-port", "127.0.0.1", "--disable-eprt", server.Url("alice", "secret", "/sub/"));
        Assert.Equal(0, activeList.ExitCode);
        Assert.Contains("PORT 127,0,0,1,", server.Process.Output, StringComparison.Ordinal);
    }

    [ToolFact("curl")]
    public void Ftps_AuthTlsWithPrivateData()
    {
        var (cert, key) = FtpTestCertificate.Create(_temp.Path);
        using var server = FtpServerProcess.Start(_root, "--user", "alice:secret", "--tls-cert", cert, "--tls-key", key);
        string downloaded = _temp.Combine("tls.bin");
        AssertOk(Curl("--ssl-reqd", "-k", "-o", downloaded, server.Url("alice", "secret", "/data.bin")));
        Assert.Equal(_content, File.ReadAllBytes(downloaded));
        string upload = _temp.RandomFile("tls-up.bin", 300_000);
        AssertOk(Curl("--ssl-reqd", "-k", "-T", upload, server.Url("alice", "secret", "/tls-up.bin")));
        Assert.Equal(File.ReadAllBytes(upload), File.ReadAllBytes(Path.Combine(_root, "tls-up.bin")));
        Assert.Matches("AUTH (TLS|SSL) -> 234", server.Process.Output);
        Assert.Contains("PROT P -> 200", server.Process.Output, StringComparison.Ordinal);
    }

    [ToolFact("curl")]
    public void Traversal_ThroughCurl_IsRefused()
    {
        using var server = FtpServerProcess.Start(_root, "--user", "alice:secret");
        var dotdot = Curl("--path-as-is", server.Url("alice", "secret", "/../../../../etc/passwd"));
        Assert.NotEqual(0, dotdot.ExitCode);
        Assert.DoesNotContain("root:", dotdot.Stdout, StringComparison.Ordinal);
        var encoded = Curl(server.Url("alice", "secret", "/%2e%2e/%2e%2e/etc/passwd"));
        Assert.NotEqual(0, encoded.ExitCode);
        Assert.DoesNotContain("root:", encoded.Stdout, StringComparison.Ordinal);
        var absolute = Curl(server.Url("alice", "secret", "/%2fetc/passwd"));
        Assert.NotEqual(0, absolute.ExitCode);
        Assert.DoesNotContain("root:", absolute.Stdout, StringComparison.Ordinal);
    }

    [ToolFact("curl")]
    public void AnonymousReadOnly_UploadRefused()
    {
        using var server = FtpServerProcess.Start(_root, "--anonymous");
        AssertOk(Curl("-o", _temp.Combine("anon.bin"), $"ftp://127.0.0.1:{server.Port}/data.bin"));
        string upload = _temp.RandomFile("x.bin", 1000);
        var put = Curl("-T", upload, $"ftp://127.0.0.1:{server.Port}/x.bin");
        Assert.NotEqual(0, put.ExitCode);
        Assert.Contains("550", put.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_root, "x.bin")));
    }

    public void Dispose() => _temp.Dispose();
}
