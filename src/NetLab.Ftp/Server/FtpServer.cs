using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace NetLab.Ftp.Server;

/// <summary>Accepts control connections and runs one asynchronous <see cref="FtpSession"/> per client,
/// enforcing the server-wide and per-address client limits.</summary>
public sealed class FtpServer : IDisposable
{
    private readonly FtpServerOptions _options;
    private readonly ILogger _logger;
    private readonly Socket _listener;
    private readonly Dictionary<IPAddress, int> _clientsPerAddress = [];
    private int _clients;

    public FtpServer(FtpServerOptions options, ILogger logger)
    {
        _options = options;
        _logger = logger;
        FileSystem = new VirtualFileSystem(options.Root);
        if (options.Certificate is not null)
        {
            TlsOptions = new SslServerAuthenticationOptions
            {
                ServerCertificateContext = SslStreamCertificateContext.Create(options.Certificate, additionalCertificates: null),
            };
        }
        _listener = new Socket(options.Listen.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        _listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Bind(options.Listen);
        _listener.Listen(512);
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_listener.LocalEndPoint!;
    internal VirtualFileSystem FileSystem { get; }
    internal SslServerAuthenticationOptions? TlsOptions { get; }
    internal FtpServerOptions Options => _options;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _logger.LogInformation("ftp-server listening on {Endpoint}, root {Root}{Tls}", LocalEndPoint, FileSystem.RealRoot,
            TlsOptions is null ? "" : ", AUTH TLS enabled");
        var sessions = new List<Task>();
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (SocketException ex)
            {
                // Out of descriptors or a connection reset before accept: this client is lost, the server goes on.
                _logger.LogWarning("accept failed: {Message}", ex.Message);
                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
                continue;
            }
            sessions.RemoveAll(t => t.IsCompleted);
            sessions.Add(ServeAsync(client, cancellationToken));
        }
        await Task.WhenAll(sessions).ConfigureAwait(false);
    }

    private async Task ServeAsync(Socket client, CancellationToken cancellationToken)
    {
        var remote = (IPEndPoint)client.RemoteEndPoint!;
        IPAddress address = remote.Address.IsIPv4MappedToIPv6 ? remote.Address.MapToIPv4() : remote.Address;
        string? refusal = Admit(address);
        try
        {
            if (refusal is not null)
            {
                _logger.LogWarning("{Client} refused: {Reason}", remote, refusal);
                await client.SendAsync(System.Text.Encoding.ASCII.GetBytes($"421 {refusal}\r\n"), cancellationToken).ConfigureAwait(false);
                return;
            }
            await using var session = new FtpSession(this, client, _logger);
            await session.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException
            or System.Security.Authentication.AuthenticationException)
        {
            // One client's broken connection or TLS handshake ends that session only.
            _logger.LogInformation("{Client} disconnected: {Message}", remote, ex.Message);
        }
        finally
        {
            client.Dispose();
            if (refusal is null)
            {
                Release(address);
            }
        }
    }

    private string? Admit(IPAddress address)
    {
        lock (_clientsPerAddress)
        {
            if (_clients >= _options.MaxClients)
            {
                return "Too many users, try again later (--max-clients reached).";
            }
            _clientsPerAddress.TryGetValue(address, out int count);
            if (count >= _options.MaxClientsPerIp)
            {
                return "Too many connections from your address (--max-per-ip reached).";
            }
            _clientsPerAddress[address] = count + 1;
            _clients++;
            return null;
        }
    }

    private void Release(IPAddress address)
    {
        lock (_clientsPerAddress)
        {
            _clients--;
            if (--_clientsPerAddress[address] == 0)
            {
                _clientsPerAddress.Remove(address);
            }
        }
    }

    public void Dispose() => _listener.Dispose();
}
