using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using NetLab.Protocols.Auth;

namespace NetLab.Auth.Server;

public sealed record AuthServerOptions
{
    public required IPEndPoint Listen { get; init; }

    /// <summary>When set, every connection must start with a TLS handshake.</summary>
    public X509Certificate2? Certificate { get; init; }

    public int MaxClients { get; init; } = 1000;

    /// <summary>A connection that sends nothing for this long is told so and closed.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(300);
}

/// <summary>Accepts TCP (optionally TLS) connections and serves framed requests on each, concurrently.
/// One bad connection or request never affects the others: errors are caught per connection.</summary>
public sealed class AuthServer(AuthServerOptions options, AuthService service, ILogger logger)
{
    private int _clients;

    public async Task RunAsync(CancellationToken ct)
    {
        using var listener = new TcpListener(options.Listen);
        if (options.Listen.AddressFamily == AddressFamily.InterNetworkV6)
        {
            listener.Server.DualMode = true;
        }
        listener.Start(backlog: 512);
        logger.LogInformation("listening on {Endpoint} ({Mode})", listener.LocalEndpoint,
            options.Certificate is null ? "plain text: passwords cross the wire in clear" : "TLS");
        var connections = new List<Task>();
        while (!ct.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (SocketException e)
            {
                // e.g. the client reset before accept completed, or out of descriptors: keep accepting.
                logger.LogWarning("accept failed: {Reason}", e.Message);
                continue;
            }
            connections.RemoveAll(task => task.IsCompleted);
            connections.Add(ServeAsync(client, ct));
        }
        await Task.WhenAll(connections).ConfigureAwait(false);
    }

    private async Task ServeAsync(TcpClient client, CancellationToken ct)
    {
        await Task.Yield();
        var remote = (IPEndPoint)client.Client.RemoteEndPoint!;
        int clients = Interlocked.Increment(ref _clients);
        try
        {
            using (client)
            {
                client.NoDelay = true;
                Stream stream = client.GetStream();
                if (clients > options.MaxClients)
                {
                    logger.LogWarning("refused {Remote}: {Max} clients already connected (--max-clients)", remote, options.MaxClients);
                    if (options.Certificate is null)
                    {
                        await SendAsync(stream, AuthFrame.Failure(AuthOperation.Unknown, AuthErrors.ServerBusy,
                            $"the server already has {options.MaxClients} clients; try again later"), ct).ConfigureAwait(false);
                    }
                    return;
                }
                if (options.Certificate is not null)
                {
                    if (await HandshakeAsync(stream, remote, ct).ConfigureAwait(false) is not { } tls)
                    {
                        return;
                    }
                    stream = tls;
                }
                await using (stream.ConfigureAwait(false))
                {
                    logger.LogDebug("{Remote} connected", remote);
                    await ConverseAsync(stream, new AuthSession(remote.Address), remote, ct).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            logger.LogDebug("{Remote} dropped: {Reason}", remote, e.Message);
        }
        catch (Exception e)
        {
            // A bug for this connection only; the server keeps serving the others.
            logger.LogError(e, "connection from {Remote} failed", remote);
        }
        finally
        {
            Interlocked.Decrement(ref _clients);
        }
    }

    private async Task<Stream?> HandshakeAsync(Stream stream, IPEndPoint remote, CancellationToken ct)
    {
        var tls = new SslStream(stream, leaveInnerStreamOpen: false);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.IdleTimeout);
        try
        {
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = options.Certificate,
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            }, timeout.Token).ConfigureAwait(false);
            return tls;
        }
        catch (Exception e) when (e is AuthenticationException or IOException or OperationCanceledException)
        {
            logger.LogWarning("TLS handshake with {Remote} failed (a plain-text client?): {Reason}", remote, e.Message);
            await tls.DisposeAsync().ConfigureAwait(false);
            return null;
        }
    }

    /// <summary>Reads frames and answers each in order until the client closes or idles out.</summary>
    private async Task ConverseAsync(Stream stream, AuthSession session, IPEndPoint remote, CancellationToken ct)
    {
        byte[] buffer = new byte[AuthProtocol.MaxFrameLength];
        int filled = 0;
        bool skippingLongLine = false;
        while (true)
        {
            int read;
            using (var idle = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                idle.CancelAfter(options.IdleTimeout);
                try
                {
                    read = await stream.ReadAsync(buffer.AsMemory(filled), idle.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    logger.LogDebug("{Remote} idle for {Timeout}; closing", remote, options.IdleTimeout);
                    await SendAsync(stream, AuthFrame.Failure(AuthOperation.Unknown, AuthErrors.IdleTimeout,
                        $"no request for {options.IdleTimeout.TotalSeconds:0} s; closing the connection"), ct).ConfigureAwait(false);
                    return;
                }
            }
            if (read == 0)
            {
                logger.LogDebug("{Remote} closed the connection", remote);
                return;
            }
            filled += read;
            int start = 0;
            while (start < filled)
            {
                var pending = buffer.AsSpan(start, filled - start);
                if (skippingLongLine)
                {
                    int end = pending.IndexOf((byte)'\n');
                    start = end < 0 ? filled : start + end + 1;
                    skippingLongLine = end < 0;
                    continue;
                }
                var status = AuthFrame.Read(pending, out var request, out int consumed, out string? error);
                if (status == AuthFrameStatus.Incomplete)
                {
                    break;
                }
                start += consumed;
                AuthFrame response;
                switch (status)
                {
                    case AuthFrameStatus.Complete:
                        response = await service.HandleAsync(request!, session, ct).ConfigureAwait(false);
                        break;
                    case AuthFrameStatus.TooLong:
                        logger.LogWarning("{Remote} sent an over-long request; answered too-large", remote);
                        response = AuthFrame.Failure(AuthOperation.Unknown, AuthErrors.TooLarge, error!);
                        skippingLongLine = true;
                        start = filled;
                        break;
                    case AuthFrameStatus.UnsupportedVersion:
                        logger.LogWarning("{Remote} sent an unsupported version: {Error}", remote, error);
                        response = AuthFrame.Failure(AuthOperation.Unknown, AuthErrors.UnsupportedVersion, error!);
                        break;
                    default:
                        logger.LogWarning("{Remote} sent a malformed request: {Error}", remote, error);
                        response = AuthFrame.Failure(AuthOperation.Unknown, AuthErrors.BadRequest, error!);
                        break;
                }
                await SendAsync(stream, response, ct).ConfigureAwait(false);
            }
            filled -= start;
            buffer.AsSpan(start, filled).CopyTo(buffer);
        }
    }

    private static async Task SendAsync(Stream stream, AuthFrame frame, CancellationToken ct)
    {
        await stream.WriteAsync(frame.ToArray(), ct).ConfigureAwait(false);
        await stream.FlushAsync(ct).ConfigureAwait(false);
    }
}
