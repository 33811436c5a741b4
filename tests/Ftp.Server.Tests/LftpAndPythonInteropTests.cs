using NetLab.Testing;

namespace Ftp.Server.Tests;

/// <summary>lftp mirrors trees both ways; Python's ftplib exercises MLSD, REST, RNFR/RNTO, APPE and ABOR.</summary>
public sealed class LftpAndPythonInteropTests : IDisposable
{
    private readonly FtpTempDirectory _temp = new();
    private readonly string _root;

    public LftpAndPythonInteropTests()
    {
        _root = _temp.Combine("root");
        Directory.CreateDirectory(_root);
    }

    [ToolFact("lftp")]
    public void Lftp_MirrorsATreeDownAndUp_OverFtps()
    {
        var (cert, key) = FtpTestCertificate.Create(_temp.Path);
        _temp.RandomFile("root/tree/a.bin", 100_000);
        _temp.RandomFile("root/tree/deep/b.bin", 250_000);
        _temp.RandomFile("root/tree/deep/deeper/c.bin", 10);
        File.WriteAllText(Path.Combine(_root, "tree", "name with spaces.txt"), "spaces");
        using var server = FtpServerProcess.Start(_root, "--user", "alice:secret", "--tls-cert", cert, "--tls-key", key);
        string down = _temp.Combine("down");
        string open = $"set ssl:verify-certificate no; set ftp:ssl-force true; open -u alice,secret ftp://127.0.0.1:{server.Port}";

        var mirror = Shell.Run("lftp", ["-c", $"{open}; mirror /tree {down}"], TimeSpan.FromSeconds(60));
        Assert.True(mirror.ExitCode == 0, mirror.Output);
        AssertSameTree(Path.Combine(_root, "tree"), down);

        var reverse = Shell.Run("lftp", ["-c", $"{open}; mirror -R {down} /copy"], TimeSpan.FromSeconds(60));
        Assert.True(reverse.ExitCode == 0, reverse.Output);
        AssertSameTree(down, Path.Combine(_root, "copy"));
    }

    private static void AssertSameTree(string expected, string actual)
    {
        var expectedFiles = Directory.GetFiles(expected, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(expected, f)).Order().ToArray();
        var actualFiles = Directory.GetFiles(actual, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(actual, f)).Order().ToArray();
        Assert.Equal(expectedFiles, actualFiles);
        foreach (string file in expectedFiles)
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(expected, file)), File.ReadAllBytes(Path.Combine(actual, file)));
        }
    }

    [SystemPythonFact]
    public void Ftplib_MlsdRestRenameAppendAbort()
    {
        _temp.RandomFile("root/big.bin", 32 << 20);
        File.WriteAllText(Path.Combine(_root, "hello.txt"), "0123456789");
        using var server = FtpServerProcess.Start(_root, "--user", "alice:secret");
        string script = """
            import ftplib, io, sys
            f = ftplib.FTP()
            f.connect('127.0.0.1', int(sys.argv[1]), timeout=20)
            f.login('alice', 'secret')
            facts = dict(f.mlsd('/'))
            assert facts['hello.txt']['type'] == 'file' and facts['hello.txt']['size'] == '10', facts
            buf = io.BytesIO(); f.retrbinary('RETR hello.txt', buf.write, rest=4)
            assert buf.getvalue() == b'456789', buf.getvalue()
            f.storbinary('STOR new.txt', io.BytesIO(b'abc'))
            f.storbinary('APPE new.txt', io.BytesIO(b'def'))
            assert f.rename('new.txt', 'renamed.txt').startswith('250')
            assert f.size('renamed.txt') == 6
            f.storbinary('STOR renamed.txt', io.BytesIO(b'XY'), rest=3)
            conn = f.transfercmd('RETR big.bin'); conn.recv(4096)
            first = f.abort(); conn.close()
            assert first.startswith('426'), first
            assert f.getresp().startswith('226')
            assert f.voidcmd('NOOP').startswith('200')
            f.quit()
            print('ok')
            """;
        var result = Shell.Run(SystemPythonFactAttribute.Python, ["-c", script, server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Equal("ok\n", result.Stdout);
        Assert.Equal("abcXY", File.ReadAllText(Path.Combine(_root, "renamed.txt")));
        Assert.Contains("transfer RETR /big.bin aborted", server.Process.Output, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();
}
