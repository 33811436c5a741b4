using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using NetLab.Protocols.Auth;

namespace NetLab.Auth.Client;

/// <summary>How the client checks the server in TLS mode: the system's trust store by default, a given
/// certificate (a lab's self-signed one), or no check at all (lab only; says so).</summary>
public sealed record AuthTlsOptions(string? TrustedCertificatePath = null, bool SkipVerification = false);

/// <summary>A response and how long the server took to give it (request written to response read).</summary>
public sealed record AuthExchange(AuthFrame Response, TimeSpan Elapsed);

/// <summary>The connection was refused, closed, timed out or the server sent something unreadable.</summary>
public sealed class AuthClientException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>One connection to auth-server. Requests go one at a time, in order.</summary>
public sealed class AuthClient : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly Stream _stream;
    private readonly byte[] _buffer = new byte[AuthProtocol.MaxFrameLength];
    private int _filled;

    private AuthClient(TcpClient tcp, Stream stream)
    {
        _tcp = tcp;
        _stream = stream;
    }

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    public static async Task<AuthClient> ConnectAsync(string host, int port, AuthTlsOptions? tls, CancellationToken ct)
    {
        var tcp = new TcpClient { NoDelay = true };
        try
        {
            await tcp.ConnectAsync(host, port, ct).ConfigureAwait(false);
            Stream stream = tcp.GetStream();
            if (tls is not null)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                {
                    TargetHost = host,
                    RemoteCertificateValidationCallback = Validator(tls),
                }, ct).ConfigureAwait(false);
                stream = ssl;
            }
            return new AuthClient(tcp, stream);
        }
        catch (Exception e) when (e is SocketException or IOException or System.Security.Authentication.AuthenticationException)
        {
            tcp.Dispose();
            throw new AuthClientException($"cannot reach auth-server at {host}:{port}: {e.Message}"
                + (tls is not null ? " (is the server running with --tls-cert? use --tls-trust FILE for a self-signed certificate)" : ""), e);
        }
    }

    public async Task<AuthExchange> SendAsync(AuthFrame request, CancellationToken ct)
    {
        byte[] wire = request.ToArray();
        if (wire.Length > AuthProtocol.MaxFrameLength)
        {
            throw new AuthClientException($"the request is {wire.Length} bytes; the protocol allows {AuthProtocol.MaxFrameLength}");
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Timeout);
        long started = Stopwatch.GetTimestamp();
        try
        {
            await _stream.WriteAsync(wire, timeout.Token).ConfigureAwait(false);
            await _stream.FlushAsync(timeout.Token).ConfigureAwait(false);
            AuthFrame response = await ReadFrameAsync(timeout.Token).ConfigureAwait(false);
            return new AuthExchange(response, Stopwatch.GetElapsedTime(started));
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new AuthClientException($"no answer from the server within {Timeout.TotalSeconds:0} s");
        }
        catch (IOException e)
        {
            throw new AuthClientException("the connection to the server broke: " + e.Message, e);
        }
    }

    public Task<AuthExchange> RegisterAsync(string email, string password, CancellationToken ct) =>
        SendAsync(AuthFrame.Request(AuthOperation.Register, email, password), ct);

    public Task<AuthExchange> LoginAsync(string email, string password, CancellationToken ct) =>
        SendAsync(AuthFrame.Request(AuthOperation.Login, email, password), ct);

    public Task<AuthExchange> ChangePasswordAsync(string current, string replacement, CancellationToken ct) =>
        SendAsync(AuthFrame.Request(AuthOperation.ChangePassword, password: current, newPassword: replacement), ct);

    public Task<AuthExchange> SimpleAsync(AuthOperation operation, CancellationToken ct) =>
        SendAsync(AuthFrame.Request(operation), ct);

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync().ConfigureAwait(false);
        _tcp.Dispose();
    }

    private async Task<AuthFrame> ReadFrameAsync(CancellationToken ct)
    {
        while (true)
        {
            var status = AuthFrame.Read(_buffer.AsSpan(0, _filled), out var frame, out int consumed, out string? error);
            if (status != AuthFrameStatus.Incomplete)
            {
                _filled -= consumed;
                _buffer.AsSpan(consumed, _filled).CopyTo(_buffer);
                return status == AuthFrameStatus.Complete ? frame!
                    : throw new AuthClientException($"the server sent something that is not an NLA/1 response: {error}");
            }
            int read = await _stream.ReadAsync(_buffer.AsMemory(_filled), ct).ConfigureAwait(false);
            if (read == 0)
            {
                throw new AuthClientException("the server closed the connection");
            }
            _filled += read;
        }
    }

    private static RemoteCertificateValidationCallback Validator(AuthTlsOptions tls)
    {
        if (tls.SkipVerification)
        {
            return (_, _, _, _) => true;
        }
        if (tls.TrustedCertificatePath is null)
        {
            return (_, _, _, errors) => errors == SslPolicyErrors.None;
        }
        var trusted = X509CertificateLoader.LoadCertificateFromFile(tls.TrustedCertificatePath);
        return (_, certificate, _, _) => certificate is not null && trusted.RawDataMemory.Span.SequenceEqual(certificate.GetRawCertData());
    }
}
