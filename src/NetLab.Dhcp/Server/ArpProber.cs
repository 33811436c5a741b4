using System.Collections.Concurrent;
using NetLab.Protocols.Addressing;
using NetLab.Protocols.Arp;
using NetLab.Protocols.Frames;

namespace NetLab.Dhcp.Server;

/// <summary>Asks the link whether an address is taken before it is offered: an ARP request for it, and any
/// ARP from that address within the timeout means a host holds it. Each probe runs on its own timer, so
/// the server keeps serving other clients meanwhile.</summary>
internal sealed class ArpProber
{
    private readonly ConcurrentDictionary<IPv4Address, ProbeRequest> _pending = new();
    private readonly MacAddress _serverMac;
    private readonly IPv4Address _serverIp;
    private readonly TimeSpan _timeout;
    private readonly Action<byte[]> _send;
    private readonly Action<ProbeRequest, MacAddress?> _completed;

    public ArpProber(MacAddress serverMac, IPv4Address serverIp, TimeSpan timeout, Action<byte[]> send, Action<ProbeRequest, MacAddress?> completed)
    {
        _serverMac = serverMac;
        _serverIp = serverIp;
        _timeout = timeout;
        _send = send;
        _completed = completed;
    }

    public void Start(ProbeRequest probe)
    {
        if (!_pending.TryAdd(probe.Address, probe))
        {
            // Already being probed for this client (a retransmitted DISCOVER): that probe's answer serves both.
            return;
        }
        var request = new ArpPacket
        {
            Operation = ArpOperation.Request,
            SenderMac = _serverMac,
            SenderIp = _serverIp,
            TargetMac = MacAddress.Zero,
            TargetIp = probe.Address,
        };
        _send(FrameBuilder.BuildArp(_serverMac, MacAddress.Broadcast, request));
        _ = Task.Delay(_timeout).ContinueWith(_ => Finish(probe.Address, null), TaskScheduler.Default);
    }

    /// <summary>Any ARP sent from a probed address (reply, request or gratuitous) shows a host holds it.</summary>
    public void Observe(in ArpPacket packet)
    {
        if (packet.SenderMac != _serverMac && !packet.SenderIp.IsAny && _pending.ContainsKey(packet.SenderIp))
        {
            Finish(packet.SenderIp, packet.SenderMac);
        }
    }

    private void Finish(IPv4Address address, MacAddress? holder)
    {
        if (_pending.TryRemove(address, out var probe))
        {
            _completed(probe, holder);
        }
    }
}
