using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace NetLab.Ftp.Server;

/// <summary>Data connections: PASV/EPSV listeners (RFC 959, RFC 2428), PORT/EPRT targets restricted to
/// the client's own address (RFC 2577 bounce protection), and TLS when PROT P is set (RFC 4217).</summary>
internal sealed partial class FtpSession
{
    /// <summary>RFC 2577 section 3: never connect to privileged ports on a client's behalf.</summary>
    private const int LowestActivePort = 1024;

    private Socket? _passiveListener;
    private IPEndPoint? _activeTarget;
    private bool _extendedPassiveOnly;

    private async Task PassiveAsync(bool extended, string argument)
    {
        if (extended && argument.Equals("ALL", StringComparison.OrdinalIgnoreCase))
        {
            _extendedPassiveOnly = true;
            await ReplyAsync(200, "EPSV ALL ok; only EPSV will be accepted from now on.").ConfigureAwait(false);
            return;
        }
        if (!extended && _extendedPassiveOnly)
        {
            await ReplyAsync(503, "PASV refused after EPSV ALL.").ConfigureAwait(false);
            return;
        }
        var local = (IPEndPoint)_control.LocalEndPoint!;
        IPAddress localAddress = Normalize(local.Address);
        if (extended && argument.Length > 0 && argument != (localAddress.AddressFamily == AddressFamily.InterNetwork ? "1" : "2"))
        {
            await ReplyAsync(522, $"Network protocol not supported, use ({(localAddress.AddressFamily == AddressFamily.InterNetwork ? 1 : 2)})").ConfigureAwait(false);
            return;
        }
        IPAddress announced = _options.PassiveAddress ?? localAddress;
        if (!extended && announced.AddressFamily != AddressFamily.InterNetwork)
        {
            await ReplyAsync(501, "PASV works with IPv4 only; use EPSV.").ConfigureAwait(false);
            return;
        }
        ClosePassiveListener();
        _activeTarget = null;
        Socket? listener = BindPassiveListener(local.Address);
        if (listener is null)
        {
            await ReplyAsync(425, "No free passive port; widen --pasv-ports.").ConfigureAwait(false);
            return;
        }
        _passiveListener = listener;
        int port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        if (extended)
        {
            await ReplyAsync(229, $"Entering Extended Passive Mode (|||{port}|)").ConfigureAwait(false);
            return;
        }
        byte[] ip = announced.GetAddressBytes();
        await ReplyAsync(227, $"Entering Passive Mode ({ip[0]},{ip[1]},{ip[2]},{ip[3]},{port >> 8},{port & 0xFF}).").ConfigureAwait(false);
    }

    private Socket? BindPassiveListener(IPAddress localAddress)
    {
        var (first, last) = _options.PassivePorts ?? (0, 0);
        int count = last - first + 1;
        int offset = count > 1 ? Random.Shared.Next(count) : 0;
        for (int i = 0; i < count; i++)
        {
            var socket = new Socket(localAddress.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            if (localAddress.AddressFamily == AddressFamily.InterNetworkV6)
            {
                socket.DualMode = true;
            }
            try
            {
                socket.Bind(new IPEndPoint(localAddress, first == 0 ? 0 : first + ((offset + i) % count)));
                socket.Listen(1);
                return socket;
            }
            catch (SocketException)
            {
                socket.Dispose();
            }
        }
        return null;
    }

    private async Task ActiveAsync(string argument, bool extended)
    {
        if (_extendedPassiveOnly)
        {
            await ReplyAsync(503, $"{(extended ? "EPRT" : "PORT")} refused after EPSV ALL.").ConfigureAwait(false);
            return;
        }
        if (!(extended ? TryParseEprt(argument, out var target) : TryParsePort(argument, out target)))
        {
            await ReplyAsync(501, $"Syntax error in {(extended ? "EPRT" : "PORT")} argument '{argument}'.").ConfigureAwait(false);
            return;
        }
        if (!Normalize(target.Address).Equals(_remoteAddress))
        {
            // RFC 2577 section 3 (FTP bounce): data may only go back to the client itself.
            _logger.LogWarning("{Client} {User} bounce attempt: data connection to {Target} refused", _remote, UserForLog, target);
            await ReplyAsync(501, "Rejected: data connections go only to your own address.").ConfigureAwait(false);
            return;
        }
        if (target.Port < LowestActivePort)
        {
            await ReplyAsync(501, $"Rejected: port {target.Port} is privileged.").ConfigureAwait(false);
            return;
        }
        ClosePassiveListener();
        _activeTarget = target;
        await ReplyAsync(200, $"{(extended ? "EPRT" : "PORT")} command successful.").ConfigureAwait(false);
    }

    /// <summary>RFC 959 4.1.2: h1,h2,h3,h4,p1,p2.</summary>
    internal static bool TryParsePort(string argument, out IPEndPoint endPoint)
    {
        endPoint = null!;
        string[] parts = argument.Split(',');
        if (parts.Length != 6)
        {
            return false;
        }
        Span<byte> values = stackalloc byte[6];
        for (int i = 0; i < 6; i++)
        {
            if (!byte.TryParse(parts[i].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out values[i]))
            {
                return false;
            }
        }
        endPoint = new IPEndPoint(new IPAddress(values[..4]), (values[4] << 8) | values[5]);
        return true;
    }

    /// <summary>RFC 2428 section 2: &lt;d&gt;net-prt&lt;d&gt;net-addr&lt;d&gt;tcp-port&lt;d&gt;.</summary>
    internal static bool TryParseEprt(string argument, out IPEndPoint endPoint)
    {
        endPoint = null!;
        if (argument.Length < 7)
        {
            return false;
        }
        string[] parts = argument.Split(argument[0]);
        if (parts.Length != 5 || parts[0].Length != 0 || parts[4].Length != 0
            || !IPAddress.TryParse(parts[2], out var address)
            || !int.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
        {
            return false;
        }
        bool familyMatches = (parts[1], address.AddressFamily) is ("1", AddressFamily.InterNetwork) or ("2", AddressFamily.InterNetworkV6);
        endPoint = new IPEndPoint(address, port);
        return familyMatches;
    }

    /// <summary>Opens the TCP data connection chosen by the last PASV/EPSV/PORT/EPRT. Throws
    /// <see cref="DataConnectionException"/> when that fails.</summary>
    private async Task<Socket> OpenDataConnectionAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.DataConnectionTimeout);
        try
        {
            var socket = await ConnectDataSocketAsync(timeout.Token).ConfigureAwait(false);
            socket.NoDelay = true;
            return socket;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DataConnectionException("Can't open data connection: timed out.");
        }
        catch (SocketException ex)
        {
            throw new DataConnectionException($"Can't open data connection: {ex.Message}.");
        }
    }

    /// <summary>Wraps the data socket in TLS when PROT P is in force. Clients (lftp) start the TLS
    /// handshake only after the 150 reply, so this runs after it, as in vsftpd.</summary>
    private async Task<DataConnection> SecureDataConnectionAsync(Socket socket, CancellationToken cancellationToken)
    {
        var network = new NetworkStream(socket, ownsSocket: true);
        if (!_protectData)
        {
            return new DataConnection(socket, network, null);
        }
        var tls = new SslStream(network, leaveInnerStreamOpen: false);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.DataConnectionTimeout);
        try
        {
            await tls.AuthenticateAsServerAsync(_server.TlsOptions!, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is System.Security.Authentication.AuthenticationException or IOException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            await tls.DisposeAsync().ConfigureAwait(false);
            throw new DataConnectionException($"TLS negotiation on the data connection failed: {ex.Message}");
        }
        return new DataConnection(socket, tls, tls);
    }

    private async Task<Socket> ConnectDataSocketAsync(CancellationToken cancellationToken)
    {
        if (_passiveListener is { } listener)
        {
            try
            {
                while (true)
                {
                    Socket accepted = await listener.AcceptAsync(cancellationToken).ConfigureAwait(false);
                    if (Normalize(((IPEndPoint)accepted.RemoteEndPoint!).Address).Equals(_remoteAddress))
                    {
                        return accepted;
                    }
                    // Someone else raced for the passive port (data connection theft): not this session's client.
                    _logger.LogWarning("{Client} passive connection from foreign address {Other} refused", _remote, accepted.RemoteEndPoint);
                    accepted.Dispose();
                }
            }
            finally
            {
                ClosePassiveListener();
            }
        }
        if (_activeTarget is { } target)
        {
            _activeTarget = null;
            var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await socket.ConnectAsync(target, cancellationToken).ConfigureAwait(false);
                return socket;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw new DataConnectionException("Use PORT, EPRT, PASV or EPSV first.");
    }

    private void ClosePassiveListener()
    {
        _passiveListener?.Dispose();
        _passiveListener = null;
    }

    /// <summary>An open data connection; <see cref="Tls"/> is set under PROT P.</summary>
    private sealed class DataConnection(Socket socket, Stream stream, SslStream? tls) : IAsyncDisposable
    {
        public Socket Socket { get; } = socket;
        public Stream Stream { get; } = stream;
        public SslStream? Tls { get; } = tls;

        /// <summary>Ends the connection cleanly: TLS close_notify (lftp waits for it and reports a
        /// truncated transfer without it), then FIN.</summary>
        public async Task FinishAsync()
        {
            if (Tls is not null)
            {
                await Tls.ShutdownAsync().ConfigureAwait(false);
            }
            await Stream.FlushAsync().ConfigureAwait(false);
            Socket.Shutdown(SocketShutdown.Send);
        }

        public ValueTask DisposeAsync() => Stream.DisposeAsync();
    }
}

/// <summary>The data connection could not be opened (reply 425).</summary>
internal sealed class DataConnectionException(string message) : Exception(message);
