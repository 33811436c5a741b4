using NetLab.Auth.Client;
using NetLab.Protocols.Auth;
using NetLab.Testing;

namespace Auth.Server.Tests;

/// <summary>What tcpdump sees on loopback: the protocol is readable text, so without TLS the password
/// is in the capture, and with TLS it is not.</summary>
public sealed class AuthCaptureTests : AuthServerTestBase
{
    [RootFact("tcpdump", "openssl")]
    public async Task Capture_PlainTextShowsFramesAndPassword_TlsHidesThem()
    {
        string cert = Path.Combine(TempDirectory, "cert.pem"), key = Path.Combine(TempDirectory, "key.pem");
        Shell.Check("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
            "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1");
        using var plain = StartServer(AuthTestDatabases.Sqlite);
        using var tls = StartServer(AuthTestDatabases.Sqlite, "--tls-cert", cert, "--tls-key", key);

        string plainText = await CaptureAsync(plain, null, "plain-Pa55word");
        string tlsText = await CaptureAsync(tls, new AuthTlsOptions(TrustedCertificatePath: cert), "tls-Pa55word");

        Assert.Contains("NLA/1 {\"op\":\"REGISTER\",\"email\":\"sniffed@lab.test\",\"password\":\"plain-Pa55word\"}", plainText, StringComparison.Ordinal);
        Assert.Contains("NLA/1 {\"op\":\"REGISTER\",\"ok\":true", plainText, StringComparison.Ordinal);
        Assert.DoesNotContain("tls-Pa55word", tlsText, StringComparison.Ordinal);
        Assert.DoesNotContain("NLA/1", tlsText, StringComparison.Ordinal);
    }

    /// <summary>Registers an account while tcpdump writes the server's port to a file; returns the
    /// capture as tcpdump's ASCII dump. -Z root: the temp directory is private, tcpdump must not drop to its own user.</summary>
    private async Task<string> CaptureAsync(AuthServerProcess server, AuthTlsOptions? tlsOptions, string password)
    {
        string file = Path.Combine(TempDirectory, $"auth-{server.Port}.pcap");
        using (var tcpdump = new BackgroundProcess("tcpdump", ["-i", "lo", "-U", "--immediate-mode", "-n", "-Z", "root", "-w", file, "tcp", "port", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            tcpdump.WaitForLine("listening on", TimeSpan.FromSeconds(20));
            await using (var client = await ConnectAsync(server, tlsOptions))
            {
                await ExpectOkAsync(client.RegisterAsync("sniffed@lab.test", password, Ct));
                await ExpectOkAsync(client.SimpleAsync(AuthOperation.Ping, Ct));
            }
            await Task.Delay(500);
            tcpdump.Signal(2);
            Assert.True(tcpdump.WaitForExit(TimeSpan.FromSeconds(20)), "tcpdump did not stop");
            Assert.True(new FileInfo(file).Length > 24, "empty capture; tcpdump said: " + tcpdump.Output);
        }
        return Shell.Check("tcpdump", "-r", file, "-A", "-n");
    }
}
