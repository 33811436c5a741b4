using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using NetLab.Ftp.Common;
using NetLab.Protocols.Ftp;

namespace NetLab.Ftp.Client;

/// <summary>An FTP client session over one control connection (RFC 959), with passive (EPSV/PASV) or
/// active (EPRT/PORT) data connections, REST for resuming, and explicit FTPS (RFC 4217).</summary>
public sealed partial class FtpClient : IAsyncDisposable
{
    private const int CopyBufferSize = 1 << 20;

    private readonly Socket _control;
    private readonly FtpClientOptions _options;
    private readonly IPEndPoint _server;
    private readonly FtpLineReader _reader;
    private Stream _stream;
    private SslClientAuthenticationOptions? _tls;

    private FtpClient(Socket control, FtpClientOptions options)
    {
        _control = control;
        _options = options;
        _server = (IPEndPoint)control.RemoteEndPoint!;
        _stream = new NetworkStream(control, ownsSocket: true);
        _reader = new FtpLineReader(_stream);
    }

    public FtpReply Greeting { get; private set; } = new(0, []);

    /// <summary>Connects and reads the 220 greeting.</summary>
    public static async Task<FtpClient> ConnectAsync(IPEndPoint server, FtpClientOptions options, CancellationToken cancellationToken)
    {
        var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.Timeout);
            await socket.ConnectAsync(server, timeout.Token).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        var client = new FtpClient(socket, options);
        try
        {
            client.Greeting = await client.ReadReplyAsync(cancellationToken).ConfigureAwait(false);
            Expect("connect", client.Greeting, 2);
            return client;
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>AUTH TLS first when <see cref="FtpClientOptions.UseTls"/>, then USER/PASS, TYPE I, and
    /// PBSZ 0 + PROT P for protected data.</summary>
    public async Task LoginAsync(string user, string password, string hostName, CancellationToken cancellationToken)
    {
        if (_options.UseTls)
        {
            Expect("AUTH TLS", await CommandAsync("AUTH TLS", cancellationToken).ConfigureAwait(false), 2);
            _tls = new SslClientAuthenticationOptions
            {
                TargetHost = _options.TlsHostName ?? hostName,
                RemoteCertificateValidationCallback = _options.AcceptAnyCertificate ? (_, _, _, _) => true : null,
            };
            var tls = new SslStream(_stream, leaveInnerStreamOpen: false);
            await tls.AuthenticateAsClientAsync(_tls, cancellationToken).ConfigureAwait(false);
            _stream = tls;
            _reader.Stream = tls;
        }
        var reply = await CommandAsync("USER " + user, cancellationToken).ConfigureAwait(false);
        if (reply.IsPositiveIntermediate)
        {
            reply = await CommandAsync("PASS " + password, cancellationToken).ConfigureAwait(false);
        }
        Expect("login", reply, 2);
        if (_options.UseTls)
        {
            Expect("PBSZ", await CommandAsync("PBSZ 0", cancellationToken).ConfigureAwait(false), 2);
            Expect("PROT", await CommandAsync("PROT P", cancellationToken).ConfigureAwait(false), 2);
        }
        Expect("TYPE", await CommandAsync("TYPE I", cancellationToken).ConfigureAwait(false), 2);
    }

    /// <summary>Sends one command and reads its reply (any code).</summary>
    public async Task<FtpReply> CommandAsync(string line, CancellationToken cancellationToken)
    {
        await _stream.WriteAsync(Encoding.UTF8.GetBytes(line + "\r\n"), cancellationToken).ConfigureAwait(false);
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        return await ReadReplyAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<string> ListAsync(string? path, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await TransferAsync(string.IsNullOrEmpty(path) ? "LIST" : "LIST " + path, async data =>
            await CopyAsync(data, buffer, null, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>SIZE of a remote file, or null when the server does not say (no such file, SIZE unsupported).</summary>
    public async Task<long?> GetSizeAsync(string path, CancellationToken cancellationToken)
    {
        var reply = await CommandAsync("SIZE " + path, cancellationToken).ConfigureAwait(false);
        return reply.Code == 213 && long.TryParse(reply.Lines[0], NumberStyles.None, CultureInfo.InvariantCulture, out long size) ? size : null;
    }

    /// <summary>RETR into <paramref name="destination"/>, starting at <paramref name="offset"/> (REST).</summary>
    public async Task<long> DownloadAsync(string path, Stream destination, long offset, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        long total = 0;
        await TransferAsync("RETR " + path, async data =>
            total = await CopyAsync(data, destination, progress, cancellationToken).ConfigureAwait(false), cancellationToken, offset).ConfigureAwait(false);
        return total;
    }

    /// <summary>STOR from <paramref name="source"/>; with an offset, REST first so the server keeps that many bytes.</summary>
    public async Task<long> UploadAsync(Stream source, string path, long offset, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        long total = 0;
        await TransferAsync("STOR " + path, async data =>
            total = await CopyAsync(source, data, progress, cancellationToken).ConfigureAwait(false), cancellationToken, offset).ConfigureAwait(false);
        return total;
    }

    public async Task MakeDirectoryAsync(string path, CancellationToken cancellationToken)
        => Expect("MKD", await CommandAsync("MKD " + path, cancellationToken).ConfigureAwait(false), 2);

    public async Task DeleteFileAsync(string path, CancellationToken cancellationToken)
        => Expect("DELE", await CommandAsync("DELE " + path, cancellationToken).ConfigureAwait(false), 2);

    public async Task RemoveDirectoryAsync(string path, CancellationToken cancellationToken)
        => Expect("RMD", await CommandAsync("RMD " + path, cancellationToken).ConfigureAwait(false), 2);

    public async Task QuitAsync(CancellationToken cancellationToken)
        => await CommandAsync("QUIT", cancellationToken).ConfigureAwait(false);

    /// <summary>Sets up the data connection, sends REST when resuming (last before the transfer command,
    /// RFC 3659 section 5), sends the command, expects 150/125, moves the data and expects the final 2xx.</summary>
    private async Task TransferAsync(string command, Func<Stream, Task> move, CancellationToken cancellationToken, long restartOffset = 0)
    {
        Socket? listener = null;
        Socket? socket = null;
        try
        {
            if (_options.Passive)
            {
                var endPoint = await EnterPassiveAsync(cancellationToken).ConfigureAwait(false);
                socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(_options.Timeout);
                await socket.ConnectAsync(endPoint, timeout.Token).ConfigureAwait(false);
            }
            else
            {
                listener = await EnterActiveAsync(cancellationToken).ConfigureAwait(false);
            }
            if (restartOffset > 0)
            {
                Expect("REST", await CommandAsync("REST " + restartOffset.ToString(CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false), 3);
            }
            var preliminary = await CommandAsync(command, cancellationToken).ConfigureAwait(false);
            Expect(command.Split(' ')[0], preliminary, 1);
            if (listener is not null)
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(_options.Timeout);
                socket = await listener.AcceptAsync(timeout.Token).ConfigureAwait(false);
            }
            var dataSocket = socket!;
            Stream data = new NetworkStream(dataSocket, ownsSocket: true);
            socket = null;
            await using (data.ConfigureAwait(false))
            {
                if (_tls is not null)
                {
                    var tls = new SslStream(data, leaveInnerStreamOpen: false);
                    await tls.AuthenticateAsClientAsync(_tls, cancellationToken).ConfigureAwait(false);
                    data = tls;
                }
                await move(data).ConfigureAwait(false);
                await CloseGracefullyAsync(data, dataSocket, cancellationToken).ConfigureAwait(false);
            }
            Expect(command.Split(' ')[0], await ReadReplyAsync(cancellationToken).ConfigureAwait(false), 2);
        }
        finally
        {
            socket?.Dispose();
            listener?.Dispose();
        }
    }

    /// <summary>Sends close_notify and FIN, then reads to the peer's end. Closing with unread bytes (TLS 1.3
    /// session tickets the server sent) would make the kernel answer with RST and the server could lose
    /// the end of an upload. Failures here are left to the server's final reply to judge.</summary>
    private async Task CloseGracefullyAsync(Stream data, Socket socket, CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(16384);
        try
        {
            if (data is SslStream tls)
            {
                await tls.ShutdownAsync().ConfigureAwait(false);
            }
            socket.Shutdown(SocketShutdown.Send);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.Timeout);
            while (await data.ReadAsync(buffer, timeout.Token).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // The server already closed; its reply on the control connection says whether all arrived.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task<IPEndPoint> EnterPassiveAsync(CancellationToken cancellationToken)
    {
        var reply = await CommandAsync("EPSV", cancellationToken).ConfigureAwait(false);
        if (reply.Code == 229 && EpsvPort().Match(reply.Text) is { Success: true } epsv)
        {
            // RFC 2428 section 3: the data connection goes to the control connection's address.
            return new IPEndPoint(_server.Address, int.Parse(epsv.Groups[1].Value, CultureInfo.InvariantCulture));
        }
        reply = await CommandAsync("PASV", cancellationToken).ConfigureAwait(false);
        Expect("PASV", reply, 2);
        var pasv = PasvAddress().Match(reply.Text);
        if (!pasv.Success)
        {
            throw new FtpReplyException("PASV", reply);
        }
        int port = (int.Parse(pasv.Groups[5].Value, CultureInfo.InvariantCulture) << 8) | int.Parse(pasv.Groups[6].Value, CultureInfo.InvariantCulture);
        // The announced address is ignored (as curl does by default): behind NAT it is often unreachable,
        // and trusting it lets a server aim the client elsewhere.
        return new IPEndPoint(_server.Address, port);
    }

    private async Task<Socket> EnterActiveAsync(CancellationToken cancellationToken)
    {
        var local = ((IPEndPoint)_control.LocalEndPoint!).Address;
        var listener = new Socket(local.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(local, 0));
        listener.Listen(1);
        int port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        IPAddress address = local.IsIPv4MappedToIPv6 ? local.MapToIPv4() : local;
        string family = address.AddressFamily == AddressFamily.InterNetwork ? "1" : "2";
        var reply = await CommandAsync($"EPRT |{family}|{address}|{port}|", cancellationToken).ConfigureAwait(false);
        if (!reply.IsPositiveCompletion && address.AddressFamily == AddressFamily.InterNetwork)
        {
            byte[] ip = address.GetAddressBytes();
            reply = await CommandAsync($"PORT {ip[0]},{ip[1]},{ip[2]},{ip[3]},{port >> 8},{port & 0xFF}", cancellationToken).ConfigureAwait(false);
        }
        if (!reply.IsPositiveCompletion)
        {
            listener.Dispose();
            throw new FtpReplyException("PORT", reply);
        }
        return listener;
    }

    private static async Task<long> CopyAsync(Stream source, Stream destination, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        long total = 0;
        try
        {
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                total += read;
                progress?.Report(total);
            }
            return total;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads one reply, following a multi-line reply to its "code SP" line (RFC 959 4.2).</summary>
    private async Task<FtpReply> ReadReplyAsync(CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        int code = 0;
        while (true)
        {
            var (result, line) = await _reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (result == LineResult.End)
            {
                throw new IOException("the server closed the control connection" + (lines.Count > 0 ? $" after '{lines[^1]}'" : ""));
            }
            if (result == LineResult.TooLong)
            {
                throw new IOException("the server sent a reply line longer than " + FtpLineReader.MaxLineLength + " bytes");
            }
            bool coded = FtpReplyLine.TryParse(line, out var reply);
            if (code == 0)
            {
                if (!coded)
                {
                    throw new IOException("not an FTP reply: " + Encoding.UTF8.GetString(line));
                }
                code = reply.Code;
                lines.Add(reply.Text);
                if (reply.IsLast)
                {
                    return new FtpReply(code, lines);
                }
                continue;
            }
            if (coded && reply.Code == code && reply.IsLast)
            {
                lines.Add(reply.Text);
                return new FtpReply(code, lines);
            }
            lines.Add(Encoding.UTF8.GetString(line));
        }
    }

    private static void Expect(string command, FtpReply reply, int category)
    {
        if (reply.Code / 100 != category)
        {
            throw new FtpReplyException(command, reply);
        }
    }

    [GeneratedRegex(@"\(\|\|\|(\d{1,5})\|\)")]
    private static partial Regex EpsvPort();

    [GeneratedRegex(@"(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3}),(\d{1,3})")]
    private static partial Regex PasvAddress();

    public async ValueTask DisposeAsync() => await _stream.DisposeAsync().ConfigureAwait(false);
}
