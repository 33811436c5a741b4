using NetLab.Protocols.Addressing;
using NetLab.Sniffer.Decoding;

namespace NetLab.Sniffer.Analysis;

/// <summary>Learns which MAC owns each IPv4 address from ARP senders and flags a second MAC claiming it
/// (the signature of ARP cache poisoning), and hosts sending gratuitous ARP in bursts.</summary>
public sealed class ArpWatcher(AlertLog alerts)
{
    /// <summary>More gratuitous announcements than this from one MAC within <see cref="FloodWindow"/> is a flood
    /// (RFC 5227 section 2.3 announces twice; a few more after a link flap are normal).</summary>
    public const int FloodThreshold = 10;
    public static readonly TimeSpan FloodWindow = TimeSpan.FromSeconds(10);

    private readonly Dictionary<IPv4Address, MacAddress> _owners = [];
    private readonly Dictionary<MacAddress, Queue<DateTimeOffset>> _gratuitous = [];

    public IReadOnlyDictionary<IPv4Address, MacAddress> Table => _owners;

    public void Observe(DecodedFrame frame)
    {
        if (frame.Arp is not { } arp || arp.SenderIp.IsAny)
        {
            return; // RFC 5227 probes carry sender IP 0.0.0.0 and claim nothing.
        }
        if (_owners.TryGetValue(arp.SenderIp, out var owner))
        {
            if (owner != arp.SenderMac)
            {
                alerts.Raise(AlertKinds.ArpSpoofing, "high", $"{arp.SenderIp}/{arp.SenderMac}", frame.Timestamp, frame.Number,
                    $"{arp.SenderIp} is claimed by {arp.SenderMac} but was at {owner} (possible ARP spoofing)");
            }
        }
        else
        {
            _owners[arp.SenderIp] = arp.SenderMac;
        }

        if (arp.IsGratuitous)
        {
            if (!_gratuitous.TryGetValue(arp.SenderMac, out var times))
            {
                _gratuitous[arp.SenderMac] = times = new Queue<DateTimeOffset>();
            }
            times.Enqueue(frame.Timestamp);
            while (times.Count > 0 && frame.Timestamp - times.Peek() > FloodWindow)
            {
                times.Dequeue();
            }
            if (times.Count > FloodThreshold)
            {
                alerts.Raise(AlertKinds.GratuitousArpFlood, "medium", arp.SenderMac.ToString(), frame.Timestamp, frame.Number,
                    $"{arp.SenderMac} sent more than {FloodThreshold} gratuitous ARP announcements within {FloodWindow.TotalSeconds:0} s (claiming {arp.SenderIp})");
            }
        }
    }
}
