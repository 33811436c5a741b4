using NetLab.Pcap;
using NetLab.Protocols.Addressing;
using NetLab.Protocols.Dhcp;
using NetLab.Protocols.Frames;
using NetLab.Testing;

namespace NetLab.Hosts.DhcpServer.Tests;

/// <summary>Many DHCP clients in one: hand-made DHCP messages sent as raw frames from the client namespace
/// through NetLab.Pcap, and the server's replies captured there, matched by transaction id.</summary>
public sealed class RawDhcpClient : IDisposable
{
    private static readonly IPv4Address ServerIp = IPv4Address.Parse("192.168.10.1");
    private readonly LiveCapture _capture;
    private uint _nextXid = (uint)Random.Shared.Next();

    public RawDhcpClient(NetworkNamespace host)
    {
        using (host.Enter())
        {
            _capture = LiveCapture.Open("eth0", new LiveCaptureOptions { Promiscuous = true, Immediate = true, TimeoutMs = 50, Snaplen = 2048 });
            _capture.SetFilter("udp src port 67");
        }
    }

    public static MacAddress Mac(int n) => new(0x0200_0000_1000UL + (ulong)n);

    public static DhcpMessage Discover(MacAddress mac) => New(DhcpMessageType.Discover, mac);

    public static DhcpMessage Select(MacAddress mac, IPv4Address offered)
    {
        var request = New(DhcpMessageType.Request, mac);
        request.ServerIdentifier = ServerIp;
        request.RequestedIPAddress = offered;
        return request;
    }

    /// <summary>INIT-REBOOT: the client only names the address it remembers.</summary>
    public static DhcpMessage Reboot(MacAddress mac, IPv4Address remembered)
    {
        var request = New(DhcpMessageType.Request, mac);
        request.RequestedIPAddress = remembered;
        return request;
    }

    public static DhcpMessage Decline(MacAddress mac, IPv4Address address)
    {
        var decline = New(DhcpMessageType.Decline, mac);
        decline.ServerIdentifier = ServerIp;
        decline.RequestedIPAddress = address;
        return decline;
    }

    /// <summary>Sends every message (broadcast, from 0.0.0.0:68) and returns the replies by message, null
    /// for those unanswered within the timeout.</summary>
    public Dictionary<DhcpMessage, DhcpMessage?> ExchangeAll(IReadOnlyList<DhcpMessage> requests, TimeSpan timeout)
    {
        var byXid = new Dictionary<uint, DhcpMessage>();
        foreach (var request in requests)
        {
            request.TransactionId = _nextXid++;
            byXid[request.TransactionId] = request;
        }
        foreach (var request in requests)
        {
            Send(request);
        }
        var replies = requests.ToDictionary(r => r, _ => (DhcpMessage?)null);
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && replies.Values.Any(r => r is null))
        {
            if (!_capture.TryReceive(out var frame) || !UdpFrame.TryParse(frame.Data, out var udp)
                || !DhcpMessage.TryRead(udp.Payload(frame.Data), out var reply, out _)
                || reply!.Operation != DhcpOperation.BootReply || !byXid.TryGetValue(reply.TransactionId, out var request))
            {
                continue;
            }
            replies[request] = reply;
        }
        return replies;
    }

    public DhcpMessage? Exchange(DhcpMessage request, TimeSpan timeout) => ExchangeAll([request], timeout)[request];

    /// <summary>Sends without waiting for an answer (DECLINE, RELEASE, garbage).</summary>
    public void Send(DhcpMessage message) => SendPayload(message.ToArray());

    public void SendPayload(ReadOnlySpan<byte> payload) =>
        _capture.Send(FrameBuilder.BuildUdp(MacAddress.Parse("02:00:00:00:0f:0f"), MacAddress.Broadcast, IPv4Address.Any, IPv4Address.Broadcast,
            DhcpMessage.ClientPort, DhcpMessage.ServerPort, payload));

    /// <summary>DISCOVER then REQUEST for each MAC at once; the ACKed address per MAC (null when refused).</summary>
    public Dictionary<MacAddress, IPv4Address?> Dora(IReadOnlyList<MacAddress> macs, TimeSpan timeout)
    {
        var offers = ExchangeAll(macs.Select(Discover).ToList(), timeout);
        var requests = offers.Where(o => o.Value is { MessageType: DhcpMessageType.Offer })
            .Select(o => Select(o.Key.ClientMac, o.Value!.YourAddress)).ToList();
        var acks = ExchangeAll(requests, timeout);
        return macs.ToDictionary(m => m, m => acks.FirstOrDefault(a => a.Key.ClientMac == m).Value is { MessageType: DhcpMessageType.Ack } ack
            ? ack.YourAddress : (IPv4Address?)null);
    }

    public void Dispose() => _capture.Dispose();

    private static DhcpMessage New(DhcpMessageType type, MacAddress mac)
    {
        var message = new DhcpMessage { ClientMac = mac, Broadcast = true };
        message.MessageType = type;
        message.ParameterRequestList = [DhcpOptionCode.SubnetMask, DhcpOptionCode.Router, DhcpOptionCode.DomainNameServer, DhcpOptionCode.DomainName];
        return message;
    }
}
