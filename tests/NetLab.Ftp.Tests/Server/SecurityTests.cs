using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using NetLab.Ftp.Client;
using NetLab.Ftp.Server;
using NetLab.Testing;
using static NetLab.Ftp.Tests.Server.FtpSessionTests;

namespace NetLab.Ftp.Tests.Server;

/// <summary>Attacks an FTP server must refuse: traversal out of the root, anonymous writes, FTP bounce
/// (RFC 2577), password guessing, and half-written uploads.</summary>
public sealed class SecurityTests
{
    public static TheoryData<string> TraversalPaths => new()
    {
        "../etc/passwd",
        "../../../../../../etc/passwd",
        "/../etc/passwd",
        "sub/../../etc/passwd",
        "escape/passwd",
        "escape",
        "outside-file",
        "%2e%2e/%2e%2e/etc/passwd",
        "..%2f..%2fetc%2fpasswd",
        "/etc/passwd",
        "/" + string.Join('/', Enumerable.Repeat("..", 2000)) + "/etc/passwd",
        new string('a', 5000),
    };

    [Theory]
    [MemberData(nameof(TraversalPaths))]
    public async Task Traversal_EveryCommand_IsRefused(string path)
    {
        await using var server = new InProcessFtpServer();
        Directory.CreateDirectory(Path.Combine(server.Root, "sub"));
        Directory.CreateSymbolicLink(Path.Combine(server.Root, "escape"), "/etc");
        File.CreateSymbolicLink(Path.Combine(server.Root, "outside-file"), "/etc/passwd");
        await using var client = await server.LoginAsync();

        foreach (string verb in new[] { "RETR", "SIZE", "MDTM", "CWD", "MLST", "LIST", "DELE", "RNFR", "RMD" })
        {
            var reply = await client.CommandAsync($"{verb} {path}", default);
            Assert.True(reply.Code == 550, $"{verb} {path[..Math.Min(40, path.Length)]} answered {reply}");
        }
        string probe = Path.Combine(Path.GetTempPath(), "netlab-ftp-probe-" + Guid.NewGuid().ToString("N"));
        Assert.Equal(550, (await client.CommandAsync($"MKD ../{Path.GetFileName(probe)}", default)).Code);
        Assert.False(Directory.Exists(probe));
        Assert.Equal(550, (await client.CommandAsync("STOR ../../evil.txt", default)).Code);
        Assert.Equal("\"/\" is the current directory.", (await client.CommandAsync("PWD", default)).Lines[0]);
    }

    [Fact]
    public async Task Anonymous_IsOffByDefault_AndReadOnlyWhenOn()
    {
        await using (var closed = new InProcessFtpServer())
        {
            await using var client = await closed.ConnectAsync();
            var ex = await Assert.ThrowsAsync<FtpReplyException>(() => client.LoginAsync("anonymous", "me@lab.test", "localhost", default));
            Assert.Equal(530, ex.Reply.Code);
        }

        await using var server = new InProcessFtpServer(o => WithLimits(o, anonymous: true));
        await File.WriteAllTextAsync(Path.Combine(server.Root, "pub.txt"), "public");
        Directory.CreateDirectory(Path.Combine(server.Root, "dir"));
        await using var anonymous = await server.LoginAsync("anonymous", "me@lab.test");
        var copy = new MemoryStream();
        await anonymous.DownloadAsync("pub.txt", copy, 0, null, default);
        Assert.Equal("public"u8.ToArray(), copy.ToArray());

        foreach (string command in new[] { "STOR new.txt", "APPE pub.txt", "STOU", "DELE pub.txt", "MKD x", "RMD dir", "RNFR pub.txt" })
        {
            Assert.Equal(550, (await anonymous.CommandAsync(command, default)).Code);
        }
        Assert.False(File.Exists(Path.Combine(server.Root, "new.txt")));
        Assert.True(File.Exists(Path.Combine(server.Root, "pub.txt")));
    }

    [Fact]
    public async Task Anonymous_WithWrite_CanUpload()
    {
        await using var server = new InProcessFtpServer(o => WithLimits(o, anonymous: true, anonymousWrite: true));
        await using var anonymous = await server.LoginAsync("ftp", "");
        await anonymous.UploadAsync(new MemoryStream("up"u8.ToArray()), "up.txt", 0, null, default);
        Assert.Equal("up", await File.ReadAllTextAsync(Path.Combine(server.Root, "up.txt")));
    }

    [Theory]
    [InlineData("PORT 127,0,0,2,200,10")]
    [InlineData("PORT 10,0,0,1,0,80")]
    [InlineData("PORT 192,168,10,1,200,10")]
    [InlineData("EPRT |1|127.0.0.2|51210|")]
    [InlineData("EPRT |1|10.0.0.1|51210|")]
    [InlineData("EPRT |2|::1|51210|")]
    [InlineData("PORT 127,0,0,1,0,25")]
    [InlineData("EPRT |1|127.0.0.1|22|")]
    public async Task BouncePort_ToAnotherAddressOrPrivilegedPort_IsRefused(string command)
    {
        await using var server = new InProcessFtpServer();
        await using var client = await server.LoginAsync();
        Assert.Equal(501, (await client.CommandAsync(command, default)).Code);
        // No data target was accepted, so a transfer cannot start.
        await File.WriteAllTextAsync(Path.Combine(server.Root, "f.txt"), "x");
        var reply = await client.CommandAsync("RETR f.txt", default);
        Assert.Equal(425, reply.Code);
    }

    [Fact]
    public async Task Port_ToOwnAddress_IsAccepted()
    {
        await using var server = new InProcessFtpServer();
        await using var client = await server.LoginAsync();
        Assert.Equal(200, (await client.CommandAsync("PORT 127,0,0,1,200,10", default)).Code);
        Assert.Equal(200, (await client.CommandAsync("EPRT |1|127.0.0.1|51210|", default)).Code);
        Assert.Equal(501, (await client.CommandAsync("PORT 127,0,0,1,200", default)).Code);
        Assert.Equal(501, (await client.CommandAsync("EPRT |1|127.0.0.1|70000|", default)).Code);
    }

    [Fact]
    public async Task WrongPasswords_AreDelayedAndTheClientIsDisconnected()
    {
        var delay = TimeSpan.FromMilliseconds(200);
        await using var server = new InProcessFtpServer(o => new FtpServerOptions
        {
            Root = o.Root, Listen = o.Listen, Users = o.Users, FailedLoginDelay = delay, MaxLoginFailures = 3,
        });
        await using var client = await server.ConnectAsync();
        var clock = Stopwatch.StartNew();
        int[] codes = new int[3];
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(331, (await client.CommandAsync("USER alice", default)).Code);
            codes[i] = (await client.CommandAsync("PASS guess" + i, default)).Code;
        }
        clock.Stop();
        Assert.Equal([530, 530, 421], codes);
        // Failure n waits n times the delay: 1 + 2 + 3 delays at least. .NET timers count whole milliseconds of
        // Environment.TickCount64, so each wait may end up to 1 ms early by the Stopwatch: allow a few.
        Assert.True(clock.Elapsed >= delay * 6 - TimeSpan.FromMilliseconds(10), $"three failures took only {clock.Elapsed}");
        await Assert.ThrowsAsync<IOException>(() => client.CommandAsync("USER alice", default));

        // The right password still works on a new connection.
        await using var again = await server.LoginAsync();
    }

    [Fact]
    public async Task UploadCutOffByReset_LeavesNoFileUnderTargetName()
    {
        await using var server = new InProcessFtpServer();
        await using var client = await server.LoginAsync();
        int port = await EnterPassiveAsync(client);
        using (var data = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            await data.ConnectAsync(IPAddress.Loopback, port);
            Assert.Equal(150, (await client.CommandAsync("STOR target.bin", default)).Code);
            await data.SendAsync(new byte[1 << 20]);
            // Linger 0: close sends RST, as when the network or the client dies mid-transfer.
            data.LingerState = new LingerOption(true, 0);
        }
        var final = await client.ReadReplyAsync(default);
        Assert.Equal(426, final.Code);
        Assert.Empty(Directory.GetFileSystemEntries(server.Root));
    }

    [Fact]
    public async Task UploadWhoseClientDied_LeavesNoFileUnderTargetName()
    {
        await using var server = new InProcessFtpServer();
        var control = new TcpClient();
        await control.ConnectAsync(server.EndPoint);
        var stream = control.GetStream();
        var reader = new StreamReader(stream);
        async Task<string> Send(string line)
        {
            await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(line + "\r\n"));
            return (await reader.ReadLineAsync())!;
        }
        await reader.ReadLineAsync();
        await Send("USER alice");
        Assert.StartsWith("230", await Send("PASS secret"), StringComparison.Ordinal);
        string epsv = await Send("EPSV");
        int port = int.Parse(epsv.Split('|')[3], System.Globalization.CultureInfo.InvariantCulture);
        using var data = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await data.ConnectAsync(IPAddress.Loopback, port);
        Assert.StartsWith("150", await Send("STOR target.bin"), StringComparison.Ordinal);
        await data.SendAsync(new byte[1 << 20]);
        // A killed client: the kernel closes the control connection, then the data one, both with FIN.
        control.Dispose();
        data.Shutdown(SocketShutdown.Both);
        data.Dispose();
        await WaitUntilAsync(() => Task.FromResult(Directory.GetFileSystemEntries(server.Root).Length == 0));
        await Task.Delay(300);
        Assert.Empty(Directory.GetFileSystemEntries(server.Root));
    }

    [Fact]
    public async Task CommandsPipelinedAfterAuthTls_CloseTheConnection()
    {
        using var certificateDirectory = new FtpTempDirectory();
        var (certPath, keyPath) = FtpTestCertificate.Create(certificateDirectory.Path);
        using var certificate = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPemFile(certPath, keyPath);
        await using var server = new InProcessFtpServer(o => new FtpServerOptions { Root = o.Root, Listen = o.Listen, Users = o.Users, Certificate = certificate });
        using var control = new TcpClient();
        await control.ConnectAsync(server.EndPoint);
        var stream = control.GetStream();
        var reader = new StreamReader(stream);
        await reader.ReadLineAsync();
        // STARTTLS command injection: plaintext sent with AUTH must not be executed as if protected.
        await stream.WriteAsync("AUTH TLS\r\nUSER alice\r\n"u8.ToArray());
        Assert.StartsWith("234", await reader.ReadLineAsync(), StringComparison.Ordinal);
        Assert.Null(await reader.ReadLineAsync());
    }
}
