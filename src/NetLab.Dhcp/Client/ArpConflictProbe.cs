using Microsoft.Extensions.Logging;
using NetLab.Pcap;
using NetLab.Protocols.Addressing;
using NetLab.Protocols.Arp;
using NetLab.Protocols.Ethernet;
using NetLab.Protocols.Frames;

namespace NetLab.Dhcp.Client;

/// <summary>RFC 5227 2.1.1 address probe: ARP requests with sender IP 0.0.0.0 and the candidate address as
/// target, while listening for any ARP whose sender is that address (its holder answering) or another host
/// probing for it at the same time. RFC 5227 spaces 3 probes 1-2 s apart; the count and spacing are options
/// so a lab exchange need not wait seven seconds.</summary>
public sealed class ArpConflictProbe : IAddressConflictProbe
{
    private readonly string _interface;
    private readonly MacAddress _mac;
    private readonly int _probes;
    private readonly TimeSpan _interval;
    private readonly ILogger _logger;

    public ArpConflictProbe(string interfaceName, MacAddress mac, int probes, TimeSpan interval, ILogger logger)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(probes);
        _interface = interfaceName;
        _mac = mac;
        _probes = probes;
        _interval = interval;
        _logger = logger;
    }

    public Task<MacAddress?> ProbeAsync(IPv4Address address, CancellationToken cancellationToken) =>
        Task.Run(() => Probe(address, cancellationToken), cancellationToken);

    private MacAddress? Probe(IPv4Address address, CancellationToken cancellationToken)
    {
        using var capture = LiveCapture.Open(_interface, new LiveCaptureOptions
        {
            Promiscuous = false,
            Snaplen = 128,
            TimeoutMs = 20,
            Direction = CaptureDirection.In,
        });
        capture.SetFilter("arp");
        byte[] probe = FrameBuilder.BuildArp(_mac, MacAddress.Broadcast, new ArpPacket
        {
            Operation = ArpOperation.Request,
            SenderMac = _mac,
            SenderIp = IPv4Address.Any,
            TargetMac = MacAddress.Zero,
            TargetIp = address,
        });
        _logger.LogInformation("ARP probe for {Address} ({Probes} probes, {Interval} ms apart)", address, _probes, _interval.TotalMilliseconds);
        var start = DateTime.UtcNow;
        for (int sent = 0; sent < _probes; sent++)
        {
            capture.Send(probe);
            var until = start + (_interval * (sent + 1));
            while (CaptureReceiver.TryReceive(capture, until, cancellationToken, out var frame))
            {
                if (Conflict(frame.Data, address) is { } holder)
                {
                    return holder;
                }
            }
        }
        return null;
    }

    /// <summary>RFC 5227 2.3: once the address is configured, two ARP announcements (sender and target IP both
    /// the address) update the neighbours' caches, which may still map it to a previous holder.</summary>
    public Task AnnounceAsync(IPv4Address address, CancellationToken cancellationToken) => Task.Run(async () =>
    {
        using var capture = LiveCapture.Open(_interface, new LiveCaptureOptions { Promiscuous = false, Snaplen = 128 });
        byte[] announcement = FrameBuilder.BuildArp(_mac, MacAddress.Broadcast, new ArpPacket
        {
            Operation = ArpOperation.Request,
            SenderMac = _mac,
            SenderIp = address,
            TargetMac = MacAddress.Zero,
            TargetIp = address,
        });
        capture.Send(announcement);
        await Task.Delay(_interval, cancellationToken).ConfigureAwait(false);
        capture.Send(announcement);
    }, cancellationToken);

    /// <summary>The MAC of another host that claims <paramref name="address"/> in this ARP frame, if any.</summary>
    public MacAddress? Conflict(ReadOnlySpan<byte> frame, IPv4Address address)
    {
        if (!EthernetHeader.TryRead(frame, out var ethernet, out int offset) || ethernet.EtherType != EtherType.Arp
            || !ArpPacket.TryRead(frame[offset..], out var arp, out _) || arp.SenderMac == _mac)
        {
            return null;
        }
        // RFC 5227 2.1.1: a packet whose sender IP is the address (its owner), or a probe from another host
        // for the same address, both mean the address cannot be used.
        bool ownerSpeaks = arp.SenderIp == address;
        bool rivalProbe = arp.SenderIp.IsAny && arp.Operation == ArpOperation.Request && arp.TargetIp == address;
        return ownerSpeaks || rivalProbe ? arp.SenderMac : null;
    }
}
