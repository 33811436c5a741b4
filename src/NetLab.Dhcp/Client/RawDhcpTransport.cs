using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using NetLab.Pcap;
using NetLab.Protocols.Addressing;
using NetLab.Protocols.Dhcp;
using NetLab.Protocols.Frames;

namespace NetLab.Dhcp.Client;

/// <summary>DHCP over raw Ethernet/IPv4/UDP frames through libpcap: works while the interface has no address
/// (RFC 2131 4.1: the client sends from 0.0.0.0 and receives replies addressed to its MAC), and for unicast
/// renewals the frame goes straight to the server's (or relay's) MAC.</summary>
public sealed class RawDhcpTransport : IDhcpClientTransport, IDisposable
{
    /// <summary>Replies come from port 67 to port 68 (RFC 2131 4.1); the kernel drops everything else.</summary>
    private const string Filter = "udp and src port 67 and dst port 68";

    private const int SolSocket = 1;
    private const int SoBindToDevice = 25;

    private readonly LiveCapture _capture;
    private readonly MacAddress _mac;
    private readonly Socket? _portHolder;
    private readonly ILogger _logger;
    private long _malformed;

    private RawDhcpTransport(LiveCapture capture, MacAddress mac, Socket? portHolder, ILogger logger)
    {
        _capture = capture;
        _mac = mac;
        _portHolder = portHolder;
        _logger = logger;
    }

    /// <summary>Frames on port 68 that did not decode as DHCP; counted, logged at debug level, never fatal.</summary>
    public long MalformedFrames => Interlocked.Read(ref _malformed);

    /// <summary>Opens the capture on <paramref name="interfaceName"/>. Throws <see cref="PcapException"/> with a
    /// user-ready message for an unknown interface, missing privileges or an interface that is down.</summary>
    public static RawDhcpTransport Open(string interfaceName, MacAddress mac, ILogger logger)
    {
        var capture = LiveCapture.Open(interfaceName, new LiveCaptureOptions
        {
            Promiscuous = false,
            Snaplen = 2048,
            TimeoutMs = 50,
            Direction = CaptureDirection.In,
        });
        try
        {
            capture.SetFilter(Filter);
            return new RawDhcpTransport(capture, mac, HoldClientPort(interfaceName, logger), logger);
        }
        catch
        {
            capture.Dispose();
            throw;
        }
    }

    public Task SendAsync(DhcpMessage message, DhcpDestination destination, CancellationToken cancellationToken)
    {
        byte[] frame = FrameBuilder.BuildUdp(_mac, destination.DestinationMac, destination.SourceIp, destination.DestinationIp,
            DhcpMessage.ClientPort, DhcpMessage.ServerPort, message.ToArray());
        _capture.Send(frame);
        return Task.CompletedTask;
    }

    public Task<DhcpReply?> ReceiveAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        Task.Run(() => Receive(DateTime.UtcNow + timeout, cancellationToken), cancellationToken);

    private DhcpReply? Receive(DateTime deadline, CancellationToken cancellationToken)
    {
        while (CaptureReceiver.TryReceive(_capture, deadline, cancellationToken, out var frame))
        {
            if (Decode(frame.Data, out string? problem) is { } reply)
            {
                return reply;
            }
            Interlocked.Increment(ref _malformed);
            _logger.LogDebug("dropped a frame on port 68: {Problem}", problem);
        }
        return null;
    }

    /// <summary>Turns a captured frame into a server message; null (with the reason) for anything else.</summary>
    public static DhcpReply? Decode(ReadOnlySpan<byte> frame, out string? problem)
    {
        if (!UdpFrame.TryParse(frame, out var udp))
        {
            problem = "not a complete Ethernet/IPv4/UDP frame";
            return null;
        }
        // The UDP checksum is not checked: with transmit checksum offload (veth, most NICs) a frame captured
        // on the sending host, or forwarded across a veth pair, carries only the pseudo-header sum, and libpcap
        // does not say so (udhcpc skips it for the same reason via TP_STATUS_CSUMNOTREADY).
        if (!udp.IPv4ChecksumValid)
        {
            problem = "bad IPv4 header checksum";
            return null;
        }
        if (!DhcpMessage.TryRead(udp.Payload(frame), out var message, out string? error) || message is null)
        {
            problem = "malformed DHCP: " + error;
            return null;
        }
        problem = null;
        return new DhcpReply(message, udp.SourceIp, udp.SourceMac);
    }

    /// <summary>Binds UDP port 68 on the interface so that, once the address is configured, the kernel does not
    /// answer the server's unicast replies (which arrive through the capture) with ICMP port unreachable.
    /// Best effort: another DHCP client may hold the port.</summary>
    private static Socket? HoldClientPort(string interfaceName, ILogger logger)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.SetRawSocketOption(SolSocket, SoBindToDevice, Encoding.ASCII.GetBytes(interfaceName + "\0"));
            socket.ReceiveBufferSize = 4096;
            socket.Bind(new IPEndPoint(IPAddress.Any, DhcpMessage.ClientPort));
            return socket;
        }
        catch (SocketException e)
        {
            logger.LogDebug("could not bind UDP port 68 on {Interface} ({Reason}); unicast replies may draw ICMP errors", interfaceName, e.Message);
            socket.Dispose();
            return null;
        }
    }

    public void Dispose()
    {
        _capture.Dispose();
        _portHolder?.Dispose();
    }
}
