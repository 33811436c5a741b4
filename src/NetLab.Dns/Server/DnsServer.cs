using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using NetLab.Dns.Client;
using NetLab.Protocols.Dns;

namespace NetLab.Dns.Server;

/// <summary>The listeners of dns-server: per address, <see cref="DnsServerOptions.Workers"/> UDP threads on
/// SO_REUSEPORT sockets (the kernel spreads datagrams over them) and one TCP listener (RFC 7766: several queries per
/// connection, idle timeout). One bad datagram or connection is caught on its own and never stops a loop.</summary>
public sealed partial class DnsServer : IAsyncDisposable
{
    private const int SolSocket = 1;
    private const int SoReusePort = 15;

    /// <summary>Queries of one TCP connection answered at the same time at most; the next read waits for a slot.</summary>
    private const int MaxPipelinedQueries = 16;

    private readonly DnsServerOptions _options;
    private readonly DnsQueryProcessor _processor;
    private readonly ILogger _logger;
    private readonly List<Socket> _udpSockets = [];
    private readonly List<TcpListener> _tcpListeners = [];
    private readonly List<Thread> _threads = [];
    private readonly List<Task> _tasks = [];
    private readonly CancellationTokenSource _stopping = new();

    public DnsServer(DnsServerOptions options, DnsQueryProcessor processor, ILogger logger)
    {
        _options = options;
        _processor = processor;
        _logger = logger;
    }

    /// <summary>Binds every socket (throws <see cref="DnsServerException"/> with a user-ready message) and starts serving.</summary>
    public void Start()
    {
        foreach (var endpoint in _options.Listen)
        {
            for (int worker = 0; worker < Math.Max(1, _options.Workers); worker++)
            {
                var socket = new Socket(endpoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
                _udpSockets.Add(socket);
                socket.SetRawSocketOption(SolSocket, SoReusePort, BitConverter.GetBytes(1));
                Bind(socket, endpoint, "UDP");
                var thread = new Thread(OperatingSystem.IsLinux() ? () => BatchedUdpLoop(socket, endpoint) : () => UdpLoop(socket, endpoint)) { IsBackground = true, Name = $"dns-udp-{endpoint}-{worker}" };
                _threads.Add(thread);
            }
            var listener = new TcpListener(endpoint);
            _tcpListeners.Add(listener);
            try
            {
                listener.Start(backlog: 512);
            }
            catch (SocketException e)
            {
                throw BindError(endpoint, "TCP", e);
            }
        }
        foreach (var thread in _threads)
        {
            thread.Start();
        }
        foreach (var listener in _tcpListeners)
        {
            _tasks.Add(AcceptLoopAsync(listener, _stopping.Token));
        }
        LogListening(string.Join(", ", _options.Listen), _options.Workers);
    }

    private static void Bind(Socket socket, IPEndPoint endpoint, string transport)
    {
        try
        {
            socket.Bind(endpoint);
        }
        catch (SocketException e)
        {
            throw BindError(endpoint, transport, e);
        }
    }

    private static DnsServerException BindError(IPEndPoint endpoint, string transport, SocketException e) => e.SocketErrorCode switch
    {
        SocketError.AccessDenied => new DnsServerException(
            $"cannot listen on {transport} {endpoint}: port {endpoint.Port} needs root or CAP_NET_BIND_SERVICE (or use --listen 127.0.0.1:5353)"),
        SocketError.AddressAlreadyInUse => new DnsServerException(
            $"cannot listen on {transport} {endpoint}: the port is in use by another program (find it with `ss -lunp 'sport = :{endpoint.Port}'`)"),
        SocketError.AddressNotAvailable => new DnsServerException(
            $"cannot listen on {transport} {endpoint}: no interface has that address (see `ip addr`)"),
        _ => new DnsServerException($"cannot listen on {transport} {endpoint}: {e.Message}"),
    };

    private void UdpLoop(Socket socket, IPEndPoint local)
    {
        byte[] query = new byte[DnsMessage.MaxSize];
        byte[] response = new byte[DnsMessage.MaxSize];
        var address = new SocketAddress(local.AddressFamily);
        while (!_stopping.IsCancellationRequested)
        {
            int received;
            try
            {
                received = socket.ReceiveFrom(query, SocketFlags.None, address);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.MessageSize)
            {
                // An ICMP error for an earlier reply, or an oversized datagram: nothing to answer.
                continue;
            }
            catch (Exception e) when (e is ObjectDisposedException || _stopping.IsCancellationRequested)
            {
                // The socket was closed: the server is stopping.
                return;
            }
            catch (SocketException e)
            {
                // Anything else the kernel reports for one datagram must not end this worker.
                LogReceiveFailed(e.SocketErrorCode.ToString());
                continue;
            }
            int length = AnswerDatagram(socket, local, address, query.AsMemory(0, received), ref response);
            if (length > 0)
            {
                try
                {
                    socket.SendTo(response.AsSpan(0, length), SocketFlags.None, address);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    _processor.Counters.Drop();
                    LogDatagramFailed(e, received);
                }
            }
        }
    }

    /// <summary>Answers one UDP query from <paramref name="address"/> into <paramref name="response"/>: the reply's
    /// length when it goes back now, 0 when there is none or it goes later. A forwarded query is answered when the
    /// upstream replies, into the buffer it was given, so <paramref name="response"/> is then a fresh one (pinned:
    /// the batched loop hands it to the kernel). A query that fails is counted as dropped and logged.</summary>
    private int AnswerDatagram(Socket socket, IPEndPoint local, SocketAddress address, ReadOnlyMemory<byte> query, ref byte[] response)
    {
        try
        {
            var client = (IPEndPoint)local.Create(address);
            var pending = _processor.ProcessAsync(query, response, client, tcp: false, _stopping.Token);
            if (pending.IsCompletedSuccessfully)
            {
                return pending.Result;
            }
            _ = ReplyLaterAsync(socket, pending, response, client);
            response = GC.AllocateUninitializedArray<byte>(DnsMessage.MaxSize, pinned: true);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _processor.Counters.Drop();
            LogDatagramFailed(e, query.Length);
        }
        return 0;
    }

    private async Task ReplyLaterAsync(Socket socket, ValueTask<int> pending, byte[] response, IPEndPoint client)
    {
        try
        {
            int length = await pending.ConfigureAwait(false);
            if (length > 0)
            {
                await socket.SendToAsync(response.AsMemory(0, length), SocketFlags.None, client).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogDatagramFailed(e, 0);
        }
    }

    private async Task AcceptLoopAsync(TcpListener listener, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            Socket connection;
            try
            {
                connection = await listener.AcceptSocketAsync(ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                LogAcceptFailed(e.Message);
                continue;
            }
            _ = ServeConnectionAsync(connection, ct);
        }
    }

    private async Task ServeConnectionAsync(Socket connection, CancellationToken ct)
    {
        var client = (IPEndPoint)connection.RemoteEndPoint!;
        connection.NoDelay = true;
        using var writeLock = new SemaphoreSlim(1);
        using var slots = new SemaphoreSlim(MaxPipelinedQueries);
        var answers = new List<Task>();
        try
        {
            await using var stream = new NetworkStream(connection, ownsSocket: true);
            try
            {
                while (!ct.IsCancellationRequested)
                {
                    using var idle = CancellationTokenSource.CreateLinkedTokenSource(ct);
                    idle.CancelAfter(_options.TcpIdleTimeout);
                    byte[]? query = await DnsLookup.ReadFrameAsync(stream, idle.Token).ConfigureAwait(false);
                    if (query is null)
                    {
                        return;
                    }
                    // RFC 7766 6.2.1.1: pipelined queries are answered concurrently, each answer as soon as it is ready.
                    await slots.WaitAsync(ct).ConfigureAwait(false);
                    answers.RemoveAll(t => t.IsCompleted);
                    answers.Add(AnswerOnConnectionAsync(stream, query, client, writeLock, slots, ct));
                }
            }
            finally
            {
                // Answers still on their way are written before the stream closes.
                await Task.WhenAll(answers).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Idle timeout (RFC 7766 6.2.3) or shutdown.
        }
        catch (Exception e) when (e is IOException or SocketException or EndOfStreamException or ObjectDisposedException)
        {
            LogConnectionEnded(client, e.Message);
        }
    }

    private async Task AnswerOnConnectionAsync(NetworkStream stream, byte[] query, IPEndPoint client, SemaphoreSlim writeLock, SemaphoreSlim slots,
        CancellationToken ct)
    {
        byte[] response = ArrayPool<byte>.Shared.Rent(DnsTcpFraming.LengthPrefixSize + DnsMessage.MaxSize);
        try
        {
            int length = await _processor.ProcessAsync(query, response.AsMemory(DnsTcpFraming.LengthPrefixSize, DnsMessage.MaxSize), client, tcp: true, ct)
                .ConfigureAwait(false);
            if (length == 0)
            {
                return;
            }
            BinaryPrimitives.WriteUInt16BigEndian(response, (ushort)length);
            await writeLock.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                await stream.WriteAsync(response.AsMemory(0, DnsTcpFraming.LengthPrefixSize + length), ct).ConfigureAwait(false);
            }
            finally
            {
                writeLock.Release();
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            LogConnectionEnded(client, e.Message);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(response);
            slots.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var socket in _udpSockets)
        {
            socket.Dispose();
        }
        foreach (var listener in _tcpListeners)
        {
            listener.Stop();
        }
        foreach (var thread in _threads.Where(t => t.IsAlive))
        {
            thread.Join(TimeSpan.FromSeconds(2));
        }
        await Task.WhenAll(_tasks).ConfigureAwait(false);
        _stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "listening on {Endpoints} (UDP with {Workers} worker(s) each, and TCP)")]
    private partial void LogListening(string endpoints, int workers);

    [LoggerMessage(Level = LogLevel.Warning, Message = "a {Length}-byte datagram could not be handled; dropped")]
    private partial void LogDatagramFailed(Exception e, int length);

    [LoggerMessage(Level = LogLevel.Warning, Message = "receiving a datagram failed: {Error}")]
    private partial void LogReceiveFailed(string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "sending a reply failed: {Error}; dropped")]
    private partial void LogSendFailed(string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "accepting a TCP connection failed: {Problem}")]
    private partial void LogAcceptFailed(string problem);

    [LoggerMessage(Level = LogLevel.Debug, Message = "TCP connection from {Client} ended: {Problem}")]
    private partial void LogConnectionEnded(IPEndPoint client, string problem);
}

/// <summary>The server cannot start (a port in use, missing privileges); the message says how to fix it.</summary>
public sealed class DnsServerException : Exception
{
    public DnsServerException()
    {
    }

    public DnsServerException(string message)
        : base(message)
    {
    }

    public DnsServerException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
