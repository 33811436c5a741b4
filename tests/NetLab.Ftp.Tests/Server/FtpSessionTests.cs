using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using NetLab.Ftp.Client;
using NetLab.Testing;

namespace NetLab.Ftp.Tests.Server;

/// <summary>Protocol behaviour of the server driven by NetLab's own client: reply codes of RFC 959,
/// 2389, 2428, 3659 and 4217, transfers, resume, rename, ABOR, limits.</summary>
public sealed partial class FtpSessionTests
{
    [Fact]
    public async Task InformationalCommands_AnswerWithRfcCodes()
    {
        await using var server = new InProcessFtpServer();
        await using var client = await server.ConnectAsync();
        Assert.Equal(220, client.Greeting.Code);

        var feat = await client.CommandAsync("FEAT", default);
        Assert.Equal(211, feat.Code);
        Assert.Contains(" MLST type*;size*;modify*;perm*;", feat.Lines);
        Assert.Contains(" EPSV", feat.Lines);
        Assert.Contains(" UTF8", feat.Lines);
        Assert.DoesNotContain(" AUTH TLS", feat.Lines);

        Assert.Equal(215, (await client.CommandAsync("SYST", default)).Code);
        Assert.Equal(214, (await client.CommandAsync("HELP", default)).Code);
        Assert.Equal(200, (await client.CommandAsync("OPTS UTF8 ON", default)).Code);
        Assert.Equal(211, (await client.CommandAsync("STAT", default)).Code);
        Assert.Equal(530, (await client.CommandAsync("PWD", default)).Code);
        Assert.Equal(503, (await client.CommandAsync("PASS x", default)).Code);
        Assert.Equal(502, (await client.CommandAsync("AUTH TLS", default)).Code);
        Assert.Equal(503, (await client.CommandAsync("PBSZ 0", default)).Code);
        Assert.Equal(500, (await client.CommandAsync("XYZZ", default)).Code);
        Assert.Equal(500, (await client.CommandAsync("NOT A COMMAND", default)).Code);

        Assert.Equal(331, (await client.CommandAsync("USER alice", default)).Code);
        Assert.Equal(230, (await client.CommandAsync("PASS secret", default)).Code);
        Assert.Equal(200, (await client.CommandAsync("TYPE A", default)).Code);
        Assert.Equal(200, (await client.CommandAsync("TYPE I", default)).Code);
        Assert.Equal(504, (await client.CommandAsync("TYPE E", default)).Code);
        Assert.Equal(200, (await client.CommandAsync("MODE S", default)).Code);
        Assert.Equal(504, (await client.CommandAsync("MODE B", default)).Code);
        Assert.Equal(200, (await client.CommandAsync("STRU F", default)).Code);
        Assert.Equal(504, (await client.CommandAsync("STRU R", default)).Code);
        Assert.Equal(200, (await client.CommandAsync("NOOP", default)).Code);
        Assert.Equal(225, (await client.CommandAsync("ABOR", default)).Code);
        Assert.Equal(502, (await client.CommandAsync("REIN", default)).Code);
        Assert.Equal(503, (await client.CommandAsync("RNTO x", default)).Code);
        Assert.Equal(501, (await client.CommandAsync("REST abc", default)).Code);
        Assert.Equal(221, (await client.CommandAsync("QUIT", default)).Code);
    }

    [Fact]
    public async Task DirectoriesAndFiles_RoundTrip()
    {
        await using var server = new InProcessFtpServer();
        await using var client = await server.LoginAsync();

        var pwd = await client.CommandAsync("PWD", default);
        Assert.Equal((257, "\"/\" is the current directory."), (pwd.Code, pwd.Lines[0]));
        await client.MakeDirectoryAsync("docs", default);
        Assert.True(Directory.Exists(Path.Combine(server.Root, "docs")));
        Assert.Equal(550, (await client.CommandAsync("MKD docs", default)).Code);
        Assert.Equal(250, (await client.CommandAsync("CWD docs", default)).Code);
        Assert.Equal("\"/docs\" is the current directory.", (await client.CommandAsync("PWD", default)).Lines[0]);

        byte[] content = Encoding.UTF8.GetBytes("hello, ftp\n");
        await client.UploadAsync(new MemoryStream(content), "hello.txt", 0, null, default);
        Assert.Equal(content, await File.ReadAllBytesAsync(Path.Combine(server.Root, "docs", "hello.txt")));
        Assert.Equal(content.Length, await client.GetSizeAsync("hello.txt", default));
        var mdtm = await client.CommandAsync("MDTM hello.txt", default);
        Assert.Equal(213, mdtm.Code);
        Assert.Matches("^20[0-9]{12}$", mdtm.Lines[0]);

        string listing = await client.ListAsync(null, default);
        Assert.Matches(@"^-rw.* 1 ftp ftp +11 \w{3} \d\d .* hello\.txt\r\n$", listing);

        Assert.Equal(350, (await client.CommandAsync("RNFR hello.txt", default)).Code);
        Assert.Equal(250, (await client.CommandAsync("RNTO renamed.txt", default)).Code);
        Assert.True(File.Exists(Path.Combine(server.Root, "docs", "renamed.txt")));

        var mlst = await client.CommandAsync("MLST renamed.txt", default);
        Assert.Equal(250, mlst.Code);
        Assert.Matches(@"^ type=file;size=11;perm=radfw;modify=\d{14}; /docs/renamed\.txt$", mlst.Lines[1]);

        Assert.Equal(250, (await client.CommandAsync("CDUP", default)).Code);
        Assert.Equal(550, (await client.CommandAsync("RMD docs", default)).Code);
        await client.DeleteFileAsync("docs/renamed.txt", default);
        Assert.Equal(550, (await client.CommandAsync("DELE docs/renamed.txt", default)).Code);
        await client.RemoveDirectoryAsync("docs", default);
        Assert.False(Directory.Exists(Path.Combine(server.Root, "docs")));
        Assert.Equal(550, (await client.CommandAsync("CWD docs", default)).Code);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Download_WithRest_ResumesAtOffset(bool passive)
    {
        await using var server = new InProcessFtpServer();
        byte[] content = File.ReadAllBytes(server.Directory.RandomFile("root/data.bin", 3_000_000));
        await using var client = await server.LoginAsync(options: new FtpClientOptions { Passive = passive });

        var whole = new MemoryStream();
        await client.DownloadAsync("data.bin", whole, 0, null, default);
        Assert.Equal(content, whole.ToArray());

        var tail = new MemoryStream();
        await client.DownloadAsync("data.bin", tail, 1_234_567, null, default);
        Assert.Equal(content.AsSpan(1_234_567).ToArray(), tail.ToArray());
    }

    [Fact]
    public async Task Upload_WithRestAndAppe_KeepsPrefix()
    {
        await using var server = new InProcessFtpServer();
        await using var client = await server.LoginAsync();
        string target = Path.Combine(server.Root, "f.txt");
        await File.WriteAllTextAsync(target, "0123456789");

        await client.UploadAsync(new MemoryStream("ABC"u8.ToArray()), "f.txt", 4, null, default);
        Assert.Equal("0123ABC", await File.ReadAllTextAsync(target));

        Assert.Equal(350, (await client.CommandAsync("REST 100", default)).Code);
        Assert.Equal(554, (await client.CommandAsync("STOR f.txt", default)).Code);

        var appe = await TransferRawAsync(client, "APPE f.txt", "xyz"u8.ToArray());
        Assert.Equal((150, 226), appe);
        Assert.Equal("0123ABCxyz", await File.ReadAllTextAsync(target));
    }

    [Fact]
    public async Task Stou_CreatesUniqueFile()
    {
        await using var server = new InProcessFtpServer();
        await using var client = await server.LoginAsync();
        var (preliminary, final, opening) = await TransferRawWithTextAsync(client, "STOU", "unique"u8.ToArray());
        Assert.Equal((150, 226), (preliminary, final));
        var name = UniqueName().Match(opening);
        Assert.True(name.Success, opening);
        Assert.Equal("unique", await File.ReadAllTextAsync(Path.Combine(server.Root, name.Groups[1].Value)));
    }

    [Fact]
    public async Task MachineListing_MlsdFactsAndNlst()
    {
        await using var server = new InProcessFtpServer();
        Directory.CreateDirectory(Path.Combine(server.Root, "sub"));
        await File.WriteAllTextAsync(Path.Combine(server.Root, "a.txt"), "abc");
        await using var client = await server.LoginAsync();

        string mlsd = await ReadListingAsync(client, "MLSD");
        string[] lines = mlsd.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Matches(@"^type=file;size=3;perm=radfw;modify=\d{14}; a\.txt$", lines[0]);
        Assert.Matches(@"^type=dir;perm=elcmpf;modify=\d{14}; sub$", lines[1]);
        Assert.Equal("a.txt\r\nsub\r\n", await ReadListingAsync(client, "NLST"));
        Assert.Equal(501, (await client.CommandAsync("MLSD a.txt", default)).Code);
    }

    [Fact]
    public async Task Abor_DuringDownload_Replies426Then226()
    {
        await using var server = new InProcessFtpServer();
        server.Directory.RandomFile("root/big.bin", 64 << 20);
        await using var client = await server.LoginAsync();
        int port = await EnterPassiveAsync(client);
        using var data = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await data.ConnectAsync(IPAddress.Loopback, port);
        var opening = await client.CommandAsync("RETR big.bin", default);
        Assert.Equal(150, opening.Code);
        // Read a little and stop: the server blocks on a full socket buffer, mid-transfer.
        Assert.True(await data.ReceiveAsync(new byte[1024]) > 0);

        var abort = await client.CommandAsync("ABOR", default);
        Assert.Equal(426, abort.Code);
        var done = await client.ReadReplyAsync(default);
        Assert.Equal(226, done.Code);
        Assert.Equal(200, (await client.CommandAsync("NOOP", default)).Code);
    }

    [Fact]
    public async Task Tls_ExplicitFtps_ProtectsControlAndData()
    {
        using var certificateDirectory = new FtpTempDirectory();
        var (certPath, keyPath) = FtpTestCertificate.Create(certificateDirectory.Path);
        using var certificate = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPemFile(certPath, keyPath);
        await using var server = new InProcessFtpServer(o => new NetLab.Ftp.Server.FtpServerOptions
        {
            Root = o.Root, Listen = o.Listen, Users = o.Users, Certificate = certificate, FailedLoginDelay = o.FailedLoginDelay,
        });
        byte[] content = File.ReadAllBytes(server.Directory.RandomFile("root/secret.bin", 200_000));
        await using var client = await server.LoginAsync(options: new FtpClientOptions { UseTls = true, AcceptAnyCertificate = true });

        Assert.Contains(" AUTH TLS", (await client.CommandAsync("FEAT", default)).Lines);
        Assert.Equal(536, (await client.CommandAsync("PROT S", default)).Code);
        var copy = new MemoryStream();
        await client.DownloadAsync("secret.bin", copy, 0, null, default);
        Assert.Equal(content, copy.ToArray());
        await client.UploadAsync(new MemoryStream(content), "back.bin", 0, null, default);
        Assert.Equal(content, await File.ReadAllBytesAsync(Path.Combine(server.Root, "back.bin")));
        Assert.Contains("protected by TLS", (await client.CommandAsync("STAT", default)).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IdleSession_IsClosedWith421()
    {
        await using var server = new InProcessFtpServer(o => WithLimits(o, idle: TimeSpan.FromMilliseconds(300)));
        await using var client = await server.LoginAsync();
        var reply = await ReadUnsolicitedAsync(client);
        Assert.Equal(421, reply.Code);
    }

    [Fact]
    public async Task PerAddressLimit_RefusesExtraSessionWith421()
    {
        await using var server = new InProcessFtpServer(o => WithLimits(o, perIp: 2));
        await using var first = await server.ConnectAsync();
        await using var second = await server.ConnectAsync();
        var ex = await Assert.ThrowsAsync<FtpReplyException>(() => server.ConnectAsync());
        Assert.Equal(421, ex.Reply.Code);
        await first.QuitAsync(default);
        await first.DisposeAsync();
        // The slot is released when the session ends.
        await WaitUntilAsync(async () =>
        {
            try
            {
                await using var third = await server.ConnectAsync();
                return true;
            }
            catch (FtpReplyException)
            {
                return false;
            }
        });
    }

    [Fact]
    public async Task ServerLimit_RefusesExtraSessionWith421()
    {
        await using var server = new InProcessFtpServer(o => WithLimits(o, maxClients: 1));
        await using var first = await server.ConnectAsync();
        var ex = await Assert.ThrowsAsync<FtpReplyException>(() => server.ConnectAsync());
        Assert.Equal(421, ex.Reply.Code);
        Assert.Contains("--max-clients", ex.Reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LongCommandLine_Is500AndSessionContinues()
    {
        await using var server = new InProcessFtpServer();
        await using var client = await server.LoginAsync();
        Assert.Equal(500, (await client.CommandAsync("RETR " + new string('a', 20_000), default)).Code);
        Assert.Equal(200, (await client.CommandAsync("NOOP", default)).Code);
    }

    // ---- helpers ----

    internal static NetLab.Ftp.Server.FtpServerOptions WithLimits(NetLab.Ftp.Server.FtpServerOptions o, TimeSpan? idle = null,
        int? perIp = null, int? maxClients = null, bool anonymous = false, bool anonymousWrite = false, int? maxFailures = null)
        => new()
        {
            Root = o.Root,
            Listen = o.Listen,
            Users = o.Users,
            FailedLoginDelay = o.FailedLoginDelay,
            DataConnectionTimeout = o.DataConnectionTimeout,
            IdleTimeout = idle ?? o.IdleTimeout,
            MaxClientsPerIp = perIp ?? o.MaxClientsPerIp,
            MaxClients = maxClients ?? o.MaxClients,
            AllowAnonymous = anonymous,
            AnonymousWrite = anonymousWrite,
            MaxLoginFailures = maxFailures ?? o.MaxLoginFailures,
        };

    internal static async Task<int> EnterPassiveAsync(FtpClient client)
    {
        var reply = await client.CommandAsync("EPSV", default);
        Assert.Equal(229, reply.Code);
        return int.Parse(EpsvPort().Match(reply.Text).Groups[1].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>Sends a transfer command over a passive connection with the given upload data; returns the codes.</summary>
    internal static async Task<(int Preliminary, int Final)> TransferRawAsync(FtpClient client, string command, byte[] upload)
    {
        var (preliminary, final, _) = await TransferRawWithTextAsync(client, command, upload);
        return (preliminary, final);
    }

    private static async Task<(int, int, string)> TransferRawWithTextAsync(FtpClient client, string command, byte[] upload)
    {
        int port = await EnterPassiveAsync(client);
        using var data = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await data.ConnectAsync(IPAddress.Loopback, port);
        var opening = await client.CommandAsync(command, default);
        if (opening.Code != 150)
        {
            return (opening.Code, 0, opening.Text);
        }
        await data.SendAsync(upload);
        data.Shutdown(SocketShutdown.Send);
        while (await data.ReceiveAsync(new byte[256]) > 0)
        {
        }
        var final = await client.ReadReplyAsync(default);
        return (opening.Code, final.Code, opening.Text);
    }

    internal static async Task<string> ReadListingAsync(FtpClient client, string command)
    {
        int port = await EnterPassiveAsync(client);
        using var data = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await data.ConnectAsync(IPAddress.Loopback, port);
        Assert.Equal(150, (await client.CommandAsync(command, default)).Code);
        using var stream = new NetworkStream(data);
        using var reader = new StreamReader(stream);
        string text = await reader.ReadToEndAsync();
        Assert.Equal(226, (await client.ReadReplyAsync(default)).Code);
        return text;
    }

    /// <summary>A reply the server sends on its own (idle timeout): NOOP is never sent; the next reply is read.</summary>
    private static async Task<FtpReply> ReadUnsolicitedAsync(FtpClient client)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        // ABOR without a transfer answers 225; an idle timeout before it arrives as 421 instead.
        await Task.Delay(1500, timeout.Token);
        return await client.CommandAsync("ABOR", timeout.Token);
    }

    internal static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        for (int i = 0; i < 100; i++)
        {
            if (await condition())
            {
                return;
            }
            await Task.Delay(50);
        }
        Assert.Fail("condition not met within 5 s");
    }

    [GeneratedRegex(@"\(\|\|\|(\d+)\|\)")]
    private static partial Regex EpsvPort();

    [GeneratedRegex("FILE: (.+)$")]
    private static partial Regex UniqueName();
}
