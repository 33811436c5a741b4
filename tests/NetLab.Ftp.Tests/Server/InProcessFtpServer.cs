using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NetLab.Ftp.Client;
using NetLab.Ftp.Server;
using NetLab.Ftp.Users;
using NetLab.Testing;

namespace NetLab.Ftp.Tests.Server;

/// <summary>An <see cref="FtpServer"/> on a loopback port with its own root, for tests that drive the
/// protocol directly. User "alice" / "secret" can write.</summary>
internal sealed class InProcessFtpServer : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly FtpServer _server;
    private readonly Task _run;

    public InProcessFtpServer(Func<FtpServerOptions, FtpServerOptions>? configure = null, IFtpUserDirectory? users = null)
    {
        Directory = new FtpTempDirectory();
        Root = Directory.Combine("root");
        System.IO.Directory.CreateDirectory(Root);
        var options = new FtpServerOptions
        {
            Root = Root,
            Listen = new IPEndPoint(IPAddress.Loopback, 0),
            Users = users ?? new StaticUserDirectory([("alice", "secret")]),
            FailedLoginDelay = TimeSpan.FromMilliseconds(100),
            DataConnectionTimeout = TimeSpan.FromSeconds(10),
        };
        options = configure?.Invoke(options) ?? options;
        _server = new FtpServer(options, Logger);
        _run = _server.RunAsync(_stop.Token);
    }

    public static ILogger Logger { get; } = NullLogger.Instance;
    public FtpTempDirectory Directory { get; }
    public string Root { get; }
    public IPEndPoint EndPoint => _server.LocalEndPoint;

    public async Task<FtpClient> ConnectAsync(FtpClientOptions? options = null)
        => await FtpClient.ConnectAsync(EndPoint, options ?? new FtpClientOptions(), CancellationToken.None);

    public async Task<FtpClient> LoginAsync(string user = "alice", string password = "secret", FtpClientOptions? options = null)
    {
        var client = await ConnectAsync(options);
        await client.LoginAsync(user, password, "localhost", CancellationToken.None);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _server.Dispose();
        await _run.WaitAsync(TimeSpan.FromSeconds(10));
        _stop.Dispose();
        Directory.Dispose();
    }
}
