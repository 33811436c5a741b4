using NetLab.Pcap;
using NetLab.Protocols.Arp;
using NetLab.Protocols.Ethernet;
using NetLab.Testing;

namespace Dhcp.Client.Tests;

/// <summary>Records the ARP packets that reach eth0 of a namespace, from a capture on a background thread.</summary>
internal sealed class ArpRecorder : IDisposable
{
    private readonly LiveCapture _capture;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reader;
    private readonly List<ArpPacket> _packets = [];

    public ArpRecorder(NetworkNamespace host)
    {
        using (host.Enter())
        {
            _capture = LiveCapture.Open("eth0");
        }
        _capture.SetFilter("arp");
        _reader = Task.Run(() => _capture.Run(Record, _stop.Token));
    }

    public IReadOnlyList<ArpPacket> Packets
    {
        get
        {
            lock (_packets)
            {
                return _packets.ToList();
            }
        }
    }

    private void Record(in CapturedFrame frame)
    {
        if (EthernetHeader.TryRead(frame.Data, out _, out int offset) && ArpPacket.TryRead(frame.Data[offset..], out var packet, out _))
        {
            lock (_packets)
            {
                _packets.Add(packet);
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _capture.Interrupt();
        _reader.Wait(TimeSpan.FromSeconds(5));
        _capture.Dispose();
        _stop.Dispose();
    }
}
