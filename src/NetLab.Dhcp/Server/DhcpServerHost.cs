using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using NetLab.Dhcp.Leases;
using NetLab.Pcap;
using NetLab.Protocols.Arp;
using NetLab.Protocols.Dhcp;
using NetLab.Protocols.Ethernet;
using NetLab.Protocols.Frames;

namespace NetLab.Dhcp.Server;

/// <summary>Runs the server on a NIC: DHCP frames in and out through libpcap, the lease journal, ARP probes,
/// and a UDP socket on port 67 so the kernel does not answer unicast renewals with ICMP port unreachable.
/// The receive thread decides; a sender thread makes each burst of new leases durable with one fsync and
/// only then sends the replies (group commit), so no ACK leaves before its lease is on disk.</summary>
public sealed partial class DhcpServerHost : IDisposable
{
    private const int SoBindToDevice = 25;
    private const int SolSocket = 1;
    /// <summary>Leases per fsync at most; large, so a slow disk lowers latency, not throughput.</summary>
    private const int MaxBatch = 4096;
    /// <summary>Ethernet + 802.1Q + IPv4 with options + UDP + the largest DHCP message a client may send on a 1500-octet link.</summary>
    private const int MaxFrameLength = 2048;

    private readonly DhcpServerConfig _config;
    private readonly ILogger _logger;
    private readonly LeaseJournal _journal;
    private readonly DhcpServerCore _core;
    private readonly LiveCapture _capture;
    private readonly Socket? _portSocket;
    private readonly ArpProber _prober;
    private readonly BlockingCollection<(IReadOnlyList<Lease> Persist, byte[]? Frame)> _outbound = new();
    private DateTimeOffset _lastCompaction = DateTimeOffset.UtcNow;

    /// <summary>Loads the lease file and opens the capture; throws <see cref="PcapException"/> or
    /// <see cref="IOException"/> with a user-ready message when that fails.</summary>
    public DhcpServerHost(DhcpServerConfig config, ILogger logger)
    {
        _config = config;
        _logger = logger;
        _journal = LeaseJournal.Open(config.LeaseFile, out var leases, out int skipped);
        if (skipped > 0)
        {
            LogSkippedLines(skipped, config.LeaseFile);
        }
        _core = new DhcpServerCore(config, leases, logger, TimeProvider.System);
        try
        {
            _capture = LiveCapture.Open(config.InterfaceName, new LiveCaptureOptions
            {
                Promiscuous = false,
                Immediate = true,
                TimeoutMs = 100,
                // In immediate mode every ring slot is snaplen-sized: a DHCP-sized snaplen lets the 8 MiB ring
                // hold thousands of frames instead of 32, so bursts of clients are not dropped.
                Snaplen = MaxFrameLength,
                BufferSize = 8 << 20,
                Direction = CaptureDirection.In,
            });
            _capture.SetFilter("arp or (udp dst port 67)");
        }
        catch
        {
            _journal.Dispose();
            throw;
        }
        _portSocket = BindServerPort();
        _prober = new ArpProber(config.ServerMac, config.ServerIp, config.ProbeTimeout,
            SendNow, (probe, holder) => Dispatch(_core.CompleteProbe(probe, holder)));
        LogStarted(config.InterfaceName, config.ServerMac, config.ServerIp, config.RangeStart, config.RangeEnd, config.SubnetMask,
            config.LeaseTime, config.LeaseFile, leases.Count);
    }

    public DhcpServerCounters Counters => _core.Counters;

    /// <summary>Serves until cancelled, then drains the replies, writes and compacts the lease file.</summary>
    public void Run(CancellationToken cancellationToken)
    {
        var sender = new Thread(SendLoop) { Name = "dhcp-sender", IsBackground = true };
        sender.Start();
        var drain = _portSocket is null ? null : new Thread(DrainServerPort) { Name = "dhcp-port67", IsBackground = true };
        drain?.Start();
        using (cancellationToken.Register(_capture.Interrupt))
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                if (_capture.TryReceive(out var frame))
                {
                    HandleFrame(frame.Data);
                }
            }
        }
        _outbound.CompleteAdding();
        sender.Join();
        _journal.Compact(_core.Snapshot());
        LogStopped(_core.Counters.ToString(), _config.LeaseFile);
    }

    public void Dispose()
    {
        _portSocket?.Dispose();
        _capture.Dispose();
        _journal.Dispose();
        _outbound.Dispose();
    }

    /// <summary>One frame; nothing in it can stop the server (a failure is counted and logged, per frame).</summary>
    private void HandleFrame(ReadOnlySpan<byte> frame)
    {
        try
        {
            if (EthernetHeader.TryRead(frame, out var ethernet, out int headerLength) && ethernet.EtherType == EtherType.Arp)
            {
                if (ArpPacket.TryRead(frame[headerLength..], out var arp, out _))
                {
                    _prober.Observe(arp);
                }
                return;
            }
            if (!UdpFrame.TryParse(frame, out var udp) || udp.DestinationPort != DhcpMessage.ServerPort)
            {
                _core.CountMalformed("not a complete Ethernet/IPv4/UDP frame to port 67");
                return;
            }
            if (!DhcpMessage.TryRead(udp.Payload(frame), out var message, out string? error))
            {
                _core.CountMalformed($"from {udp.SourceMac}: {error}");
                return;
            }
            Dispatch(_core.Handle(message!, udp.SourceMac));
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            _core.CountMalformed($"frame handling failed: {exception.Message}");
            LogFrameFailed(exception);
        }
    }

    private void Dispatch(DhcpOutcome outcome)
    {
        if (outcome.Probe is { } probe)
        {
            _prober.Start(probe);
        }
        if (outcome.Reply is null && outcome.Persist.Count == 0)
        {
            return;
        }
        byte[]? frame = null;
        if (outcome.Reply is { } reply)
        {
            var destination = outcome.Destination;
            // RFC 2131 2: every client takes 576-octet datagrams; options beyond that go into file/sname (overload).
            byte[] payload = reply.TryToArray(DhcpMessage.DefaultMaxMessageLength, out byte[]? fitted) ? fitted! : reply.ToArray();
            frame = FrameBuilder.BuildUdp(_config.ServerMac, destination.Mac, _config.ServerIp, destination.Ip,
                DhcpMessage.ServerPort, destination.Port, payload);
        }
        if (outcome.Persist.Count == 0)
        {
            // Nothing to make durable (OFFER, NAK, INFORM's ACK): no reason to wait behind an fsync.
            SendNow(frame!);
            return;
        }
        Enqueue(outcome.Persist, frame);
    }

    private void SendNow(byte[] frame)
    {
        try
        {
            _capture.Send(frame);
        }
        catch (PcapException exception)
        {
            LogSendFailed(exception.Message);
        }
    }

    private void Enqueue(IReadOnlyList<Lease> persist, byte[]? frame)
    {
        try
        {
            _outbound.Add((persist, frame));
        }
        catch (InvalidOperationException)
        {
            // A probe finished after shutdown began: the client will retry with the next server run.
        }
    }

    private void SendLoop()
    {
        var batch = new List<(IReadOnlyList<Lease> Persist, byte[]? Frame)>(MaxBatch);
        while (!_outbound.IsCompleted)
        {
            if (_outbound.TryTake(out var first, TimeSpan.FromSeconds(1)))
            {
                batch.Add(first);
                while (batch.Count < MaxBatch && _outbound.TryTake(out var more))
                {
                    batch.Add(more);
                }
                SendBatch(batch);
                batch.Clear();
            }
            CompactWhenDue();
        }
    }

    private void SendBatch(List<(IReadOnlyList<Lease> Persist, byte[]? Frame)> batch)
    {
        foreach (var (persist, _) in batch)
        {
            foreach (var lease in persist)
            {
                _journal.Append(lease);
            }
        }
        // One fsync for the whole burst, before any of its replies leaves.
        _journal.Commit();
        foreach (var (_, frame) in batch)
        {
            if (frame is not null)
            {
                SendNow(frame);
            }
        }
    }

    private void CompactWhenDue()
    {
        var now = DateTimeOffset.UtcNow;
        if (now - _lastCompaction < _config.CompactInterval)
        {
            return;
        }
        _lastCompaction = now;
        var records = _core.Snapshot();
        if (_journal.LineCount > records.Count)
        {
            _journal.Compact(records);
            LogCompacted(_config.LeaseFile, records.Count);
        }
    }

    private Socket? BindServerPort()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.SetRawSocketOption(SolSocket, SoBindToDevice, Encoding.ASCII.GetBytes(_config.InterfaceName + "\0"));
            socket.Bind(new IPEndPoint(IPAddress.Any, DhcpMessage.ServerPort));
            return socket;
        }
        catch (SocketException exception)
        {
            socket.Dispose();
            LogPortBusy(_config.InterfaceName, exception.Message);
            return null;
        }
    }

    /// <summary>The frames reach the server through the capture; the socket only has to exist, so its copies are discarded.</summary>
    private void DrainServerPort()
    {
        var buffer = new byte[2048];
        try
        {
            while (true)
            {
                _portSocket!.Receive(buffer);
            }
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            // Closed at shutdown.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "dhcp-server on {Interface} ({Mac}, {ServerIp}): pool {Start}-{End} mask {Mask}, lease time {LeaseTime}, lease file {LeaseFile} ({Records} records loaded)")]
    private partial void LogStarted(string @interface, Protocols.Addressing.MacAddress mac, Protocols.Addressing.IPv4Address serverIp,
        Protocols.Addressing.IPv4Address start, Protocols.Addressing.IPv4Address end, Protocols.Addressing.IPv4Address mask, TimeSpan leaseTime, string leaseFile, int records);

    [LoggerMessage(Level = LogLevel.Information, Message = "stopped: {Counters}; leases saved in {LeaseFile}")]
    private partial void LogStopped(string counters, string leaseFile);

    [LoggerMessage(Level = LogLevel.Warning, Message = "lease file {LeaseFile}: skipped {Count} unreadable line(s) (a write cut short by a crash, or a hand edit)")]
    private partial void LogSkippedLines(int count, string leaseFile);

    [LoggerMessage(Level = LogLevel.Warning, Message = "could not bind UDP port 67 on {Interface} ({Reason}); is another DHCP server running? Unicast renewals may draw ICMP port-unreachable")]
    private partial void LogPortBusy(string @interface, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "frame handling failed; frame dropped")]
    private partial void LogFrameFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "sending a frame failed: {Reason}")]
    private partial void LogSendFailed(string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "compacted {LeaseFile} to {Records} records")]
    private partial void LogCompacted(string leaseFile, int records);
}
