using System.Net.Sockets;
using System.Text;
using NetLab.Auth.Client;
using NetLab.Auth.Storage;
using NetLab.Protocols.Auth;
using NetLab.Testing;

namespace Auth.Server.Tests;

public sealed class AuthServerSecurityTests : AuthServerTestBase
{
    public static TheoryData<string> Backends => AuthTestDatabases.Backends;

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task SqlInjectionStrings_InEveryField_StoredAndReturnedLiterally(string backend)
    {
        using var server = StartServer(backend);
        string[] emails = ["o'hara'--or'1'='1@lab.test", "x'/**/OR/**/1=1#@lab.test", "robert'`drop`{tables}@lab.test", "a'%_--@lab.test"];
        string[] passwords = ["'); DROP TABLE users; --", "\" OR \"\"=\"\\\\", "' UNION SELECT password_hash FROM users #", "%_\\0\u0000' ✓"];

        for (int i = 0; i < emails.Length; i++)
        {
            await using var client = await ConnectAsync(server);
            var registered = await ExpectOkAsync(client.RegisterAsync(emails[i], passwords[i], Ct));
            Assert.Equal(emails[i], registered.User!.Email);
            await ExpectOkAsync(client.LoginAsync(emails[i], passwords[i], Ct));
            Assert.Equal(emails[i], (await ExpectOkAsync(client.SimpleAsync(AuthOperation.WhoAmI, Ct))).User!.Email);
            string replacement = passwords[(i + 1) % passwords.Length] + "-new";
            await ExpectOkAsync(client.ChangePasswordAsync(passwords[i], replacement, Ct));
            await ExpectOkAsync(client.LoginAsync(emails[i], replacement, Ct));
            await ExpectErrorAsync(client.LoginAsync("' OR '1'='1", "' OR '1'='1", Ct), AuthErrors.InvalidCredentials);
        }

        await using var store = await UserStoreFactory.OpenAsync(server.DatabaseSpec, Ct);
        Assert.Equal(emails.Length, await store.CountAsync(Ct));
        foreach (string email in emails)
        {
            Assert.Equal(email, (await store.FindByEmailAsync(email, Ct))!.Email);
        }
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task OverLongAndBinaryRequests_ErrorReply_ConnectionAndServerSurvive(string backend)
    {
        using var server = StartServer(backend);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", server.Port);
        var stream = tcp.GetStream();
        var reader = new StreamReader(stream, Encoding.UTF8);

        await stream.WriteAsync(Encoding.ASCII.GetBytes("NLA/1 {\"op\":\"REGISTER\",\"email\":\"" + new string('a', 20_000) + "\"}\n"));
        Assert.Contains($"\"error\":\"{AuthErrors.TooLarge}\"", await reader.ReadLineAsync(), StringComparison.Ordinal);
        await stream.WriteAsync(new byte[] { 0x00, 0xFF, 0xFE, 0x80, 0x16, 0x03, 0x01, (byte)'\n' });
        Assert.Contains($"\"error\":\"{AuthErrors.BadRequest}\"", await reader.ReadLineAsync(), StringComparison.Ordinal);
        await stream.WriteAsync("NLA/1 {\"op\":\"LOGIN\",\"email\":\"\u0001\"}\n"u8.ToArray());
        Assert.Contains($"\"error\":\"{AuthErrors.BadRequest}\"", await reader.ReadLineAsync(), StringComparison.Ordinal);
        await stream.WriteAsync("NLA/9 {\"op\":\"PING\"}\n"u8.ToArray());
        Assert.Contains($"\"error\":\"{AuthErrors.UnsupportedVersion}\"", await reader.ReadLineAsync(), StringComparison.Ordinal);
        await stream.WriteAsync("NLA/1 {\"op\":\"PING\"}\n"u8.ToArray());
        Assert.Contains("\"ok\":true", await reader.ReadLineAsync(), StringComparison.Ordinal);

        await using var other = await ConnectAsync(server);
        await ExpectOkAsync(other.SimpleAsync(AuthOperation.Ping, Ct));
        Assert.Contains("over-long request", server.Output, StringComparison.Ordinal);
        Assert.Contains("malformed request", server.Output, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task RepeatedFailures_Throttled_PerAccountThenPerAddress(string backend)
    {
        using var server = StartServer(backend, "--max-failures-per-account", "3", "--max-failures-per-address", "6");
        await using var client = await ConnectAsync(server);
        await ExpectOkAsync(client.RegisterAsync("gina@lab.test", "gina-password", Ct));

        for (int i = 0; i < 3; i++)
        {
            await ExpectErrorAsync(client.LoginAsync("gina@lab.test", "wrong-password", Ct), AuthErrors.InvalidCredentials);
        }
        var throttled = await ExpectErrorAsync(client.LoginAsync("gina@lab.test", "gina-password", Ct), AuthErrors.Throttled);
        Assert.InRange(throttled.RetryAfterSeconds!.Value, 1, 300);

        for (int i = 0; i < 3; i++)
        {
            await ExpectErrorAsync(client.LoginAsync($"guess{i}@lab.test", "wrong-password", Ct), AuthErrors.InvalidCredentials);
        }
        await ExpectErrorAsync(client.LoginAsync("other@lab.test", "any-password", Ct), AuthErrors.Throttled);
        Assert.Contains("throttled", server.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-password", server.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("gina-password", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PartialFramesAndAbruptCloses_ServerKeepsServing()
    {
        using var server = StartServer(AuthTestDatabases.Sqlite);

        await Task.WhenAll(Enumerable.Range(0, 30).Select(async i =>
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync("127.0.0.1", server.Port);
            byte[] partial = Encoding.ASCII.GetBytes("NLA/1 {\"op\":\"REGISTER\",\"email\":\"half" + i);
            await tcp.GetStream().WriteAsync(partial);
            if (i % 2 == 0)
            {
                tcp.Client.LingerState = new LingerOption(true, 0); // close with a reset instead of FIN
            }
        }));

        await using var client = await ConnectAsync(server);
        await ExpectOkAsync(client.SimpleAsync(AuthOperation.Ping, Ct));
        await ExpectOkAsync(client.RegisterAsync("after-resets@lab.test", "after-password", Ct));
        Assert.False(server.Process.HasExited);
    }

    [ToolFact("openssl")]
    public async Task TlsMode_RejectsPlainTextClient_ServesTlsClient()
    {
        string cert = Path.Combine(TempDirectory, "cert.pem"), key = Path.Combine(TempDirectory, "key.pem");
        Shell.Check("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
            "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost");
        using var server = StartServer(AuthTestDatabases.Sqlite, "--tls-cert", cert, "--tls-key", key);

        using (var tcp = new TcpClient())
        {
            await tcp.ConnectAsync("127.0.0.1", server.Port);
            var stream = tcp.GetStream();
            await stream.WriteAsync("NLA/1 {\"op\":\"LOGIN\",\"email\":\"a@lab.test\",\"password\":\"in-clear-123\"}\n"u8.ToArray());
            byte[] buffer = new byte[4096];
            int total = 0;
            try
            {
                for (int read; (read = await stream.ReadAsync(buffer.AsMemory(total))) > 0;)
                {
                    total += read;
                }
            }
            catch (IOException)
            {
                // A reset is as good as a close: the server refused to talk in plain text.
            }
            Assert.DoesNotContain("NLA/1", Encoding.Latin1.GetString(buffer, 0, total), StringComparison.Ordinal);
        }
        Assert.Contains("TLS handshake", server.Process.WaitForLine("TLS handshake", TimeSpan.FromSeconds(10)), StringComparison.Ordinal);

        await ExpectAuthClientErrorAsync(() => AuthClient.ConnectAsync("127.0.0.1", server.Port, new AuthTlsOptions(), Ct));
        await using var trusted = await ConnectAsync(server, new AuthTlsOptions(TrustedCertificatePath: cert));
        await ExpectOkAsync(trusted.RegisterAsync("tls@lab.test", "tls-password", Ct));
        await ExpectOkAsync(trusted.LoginAsync("tls@lab.test", "tls-password", Ct));
        await using var insecure = await ConnectAsync(server, new AuthTlsOptions(SkipVerification: true));
        await ExpectOkAsync(insecure.SimpleAsync(AuthOperation.Ping, Ct));
    }

    [Fact]
    public async Task IdleConnection_ToldAndClosed()
    {
        using var server = StartServer(AuthTestDatabases.Sqlite, "--idle-timeout", "1");
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", server.Port);
        var reader = new StreamReader(tcp.GetStream(), Encoding.UTF8);

        Assert.Contains($"\"error\":\"{AuthErrors.IdleTimeout}\"", await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20)), StringComparison.Ordinal);
        Assert.Null(await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public async Task MaxClients_ExtraConnectionToldBusy()
    {
        using var server = StartServer(AuthTestDatabases.Sqlite, "--max-clients", "2");
        await using var first = await ConnectAsync(server);
        await using var second = await ConnectAsync(server);
        await ExpectOkAsync(first.SimpleAsync(AuthOperation.Ping, Ct));
        await ExpectOkAsync(second.SimpleAsync(AuthOperation.Ping, Ct));

        using var third = new TcpClient();
        await third.ConnectAsync("127.0.0.1", server.Port);
        var line = await new StreamReader(third.GetStream()).ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Contains($"\"error\":\"{AuthErrors.ServerBusy}\"", line, StringComparison.Ordinal);
        await ExpectOkAsync(first.SimpleAsync(AuthOperation.Ping, Ct));
    }

    private static async Task ExpectAuthClientErrorAsync(Func<Task<AuthClient>> connect)
    {
        var error = await Assert.ThrowsAsync<AuthClientException>(async () => await (await connect()).DisposeAsync());
        Assert.Contains("--tls-trust", error.Message, StringComparison.Ordinal);
    }
}
