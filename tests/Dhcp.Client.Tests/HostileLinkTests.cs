using NetLab.Pcap;
using NetLab.Protocols.Addressing;
using NetLab.Protocols.Dhcp;
using NetLab.Protocols.Frames;
using NetLab.Testing;

namespace Dhcp.Client.Tests;

/// <summary>dhcp-client on a link where another host keeps sending it junk on port 68: garbage payloads,
/// truncated DHCP, replies for other transactions and other MACs. It must ignore all of it and still take
/// its lease from the real server.</summary>
public class HostileLinkTests
{
    [RootFact("dnsmasq", "ip")]
    public void JunkOnPort68_IsDroppedOrIgnored_AndTheLeaseStillArrives()
    {
        using var lab = ClientLab.Pair();
        lab.StartDnsmasq("--dhcp-range=10.9.0.100,10.9.0.150,255.255.255.0,2m");
        var clientMac = MacAddress.Parse(lab.ClientMac());
        LiveCapture injector;
        using (lab.Server.Enter())
        {
            injector = LiveCapture.Open("eth0");
        }
        using (injector)
        using (var stop = new CancellationTokenSource())
        {
            var junk = JunkFrames(clientMac).ToList();
            var flood = Task.Run(() =>
            {
                for (int i = 0; !stop.IsCancellationRequested; i++)
                {
                    injector.Send(junk[i % junk.Count]);
                    Thread.Sleep(2);
                }
            });
            var result = lab.RunClient(lab.ClientArgs("--once", "--verbose"));
            stop.Cancel();
            flood.Wait();

            Assert.True(result.ExitCode == 0, result.Output);
            Assert.Matches(@"lease of 10\.9\.0\.1[0-5]\d obtained from 10\.9\.0\.1", result.Output);
            Assert.Contains("dropped a frame on port 68: malformed DHCP", result.Output);
            Assert.Contains("dropped a frame on port 68: not a complete Ethernet/IPv4/UDP frame", result.Output);
            Assert.Matches(@"ignored Offer from 10\.9\.0\.66: not for xid", result.Output);
            // Port 68 is held so that unicast replies after configuration draw no ICMP port unreachable.
            Assert.DoesNotContain("could not bind UDP port 68", result.Output);
            Assert.Matches(@"^10\.9\.0\.1[0-5]\d/24$", Assert.Single(lab.ClientAddresses()));
        }
    }

    private static IEnumerable<byte[]> JunkFrames(MacAddress clientMac)
    {
        var rogueMac = MacAddress.Parse("02:00:00:00:06:66");
        var rogueIp = IPv4Address.Parse("10.9.0.66");
        byte[] Udp(byte[] payload, MacAddress to) =>
            FrameBuilder.BuildUdp(rogueMac, to, rogueIp, IPv4Address.Broadcast, DhcpMessage.ServerPort, DhcpMessage.ClientPort, payload);

        var random = new Random(68);
        byte[] garbage = new byte[300];
        random.NextBytes(garbage);
        yield return Udp(garbage, MacAddress.Broadcast);

        // An OFFER for this client's MAC but a transaction it never started, and one for another MAC.
        var wrongXid = new DhcpMessage
        {
            Operation = DhcpOperation.BootReply, TransactionId = 0xDEADBEEF, ClientMac = clientMac, YourAddress = IPv4Address.Parse("10.9.0.66"),
        };
        wrongXid.MessageType = DhcpMessageType.Offer;
        wrongXid.ServerIdentifier = rogueIp;
        yield return Udp(wrongXid.ToArray(), clientMac);
        var otherMac = new DhcpMessage
        {
            Operation = DhcpOperation.BootReply, TransactionId = 0x12345678, ClientMac = rogueMac, YourAddress = IPv4Address.Parse("10.9.0.67"),
        };
        otherMac.MessageType = DhcpMessageType.Offer;
        yield return Udp(otherMac.ToArray(), MacAddress.Broadcast);

        // Truncated DHCP inside a well-formed UDP datagram, and a frame cut short of its IPv4 total length
        // (the ports survive, so the capture filter lets it through).
        yield return Udp(wrongXid.ToArray()[..120], MacAddress.Broadcast);
        yield return Udp(garbage, MacAddress.Broadcast)[..100];
    }
}
