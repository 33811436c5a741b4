using System.Buffers.Binary;
using NetLab.Protocols.Frames;
using NetLab.Testing;

namespace NetLab.Pcap.Tests;

public class LiveCaptureTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [RootFact("tcpdump")]
    public void Send_FramesFromFrameBuilder_AreCapturedByUsAndTcpdumpWithGoodChecksums()
    {
        using var network = TestNetwork.CreatePair("pcaplive", "10.9.0.1/24", "10.9.0.2/24");
        var (client, server) = (network.Hosts[0], network.Hosts[1]);
        var clientMac = PcapNamespaces.MacOf(client);
        var serverMac = PcapNamespaces.MacOf(server);
        const string Filter = "udp and (dst port 67 or dst port 9999)";
        using var capture = PcapNamespaces.OpenIn(server, "eth0");
        capture.SetFilter(Filter);
        using var sender = PcapNamespaces.OpenIn(client, "eth0");
        var tcpdump = server.Start("tcpdump", "-vv", "-n", "-l", "-i", "eth0", "-c", "2", Filter);
        tcpdump.WaitForLine("listening on eth0", Patience);

        byte[] discover = TestFrames.DhcpDiscover(clientMac, 0x3903F326);
        byte[] unicast = TestFrames.Udp(clientMac, serverMac, "10.9.0.1", "10.9.0.2", 9999, "netlab pcap live test");
        byte[] filteredOut = TestFrames.Udp(clientMac, serverMac, "10.9.0.1", "10.9.0.2", 9998, "the filter drops this");
        var before = DateTimeOffset.UtcNow;
        sender.Send(filteredOut);
        sender.Send(discover);
        sender.Send(unicast);

        var received = ReceiveFrames(capture, 2);
        Assert.Equal(discover, received[0].Data);
        Assert.Equal(unicast, received[1].Data);
        Assert.All(received, frame => Assert.Equal(frame.Data.Length, frame.OriginalLength));
        Assert.InRange(received[0].Timestamp, before.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.True(received[0].Timestamp <= received[1].Timestamp);
        Assert.True(UdpFrame.TryParse(received[0].Data, out var parsed) && parsed.ChecksumsValid);

        Assert.True(tcpdump.WaitForExit(Patience), $"tcpdump did not see 2 frames: {tcpdump.Output}");
        string output = tcpdump.Output;
        Assert.Contains("0.0.0.0.68 > 255.255.255.255.67: [udp sum ok] BOOTP/DHCP, Request from " + clientMac, output, StringComparison.Ordinal);
        Assert.Contains("xid 0x3903f326", output, StringComparison.Ordinal);
        Assert.Contains("DHCP-Message (53), length 1: Discover", output, StringComparison.Ordinal);
        Assert.Contains("10.9.0.1.40000 > 10.9.0.2.9999: [udp sum ok] UDP, length 21", output, StringComparison.Ordinal);
        Assert.DoesNotContain("bad", output, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("9998", output, StringComparison.Ordinal);

        var statistics = capture.GetStatistics();
        Assert.True(statistics.Received >= 2, $"pcap_stats counted {statistics.Received} frames");
        Assert.Equal(0, statistics.Dropped);
    }

    [RootFact]
    public void TryReceive_BurstLargerThanLibpcapsDefaultBuffer_NothingDropped()
    {
        const int Burst = 200; // libpcap's 2 MiB default holds 32 frames of a veth in immediate mode
        using var network = TestNetwork.CreatePair("pcapburst", "10.9.0.1/24", "10.9.0.2/24");
        var (left, right) = (network.Hosts[0], network.Hosts[1]);
        using var capture = PcapNamespaces.OpenIn(right, "eth0");
        capture.SetFilter("udp dst port 9999");
        using var sender = PcapNamespaces.OpenIn(left, "eth0");
        var (leftMac, rightMac) = (PcapNamespaces.MacOf(left), PcapNamespaces.MacOf(right));

        for (int i = 0; i < Burst; i++)
        {
            sender.Send(Numbered(leftMac, rightMac, "10.9.0.1", "10.9.0.2", 9999, i));
        }

        var received = ReceiveFrames(capture, Burst);
        Assert.Equal(Enumerable.Range(0, Burst), received.Select(f => BinaryPrimitives.ReadInt32BigEndian(f.Data.AsSpan(FrameBuilder.UdpFrameLength(0)))));
        var statistics = capture.GetStatistics();
        Assert.True(statistics.Received >= Burst, $"pcap_stats counted {statistics.Received} frames"); // plus any before SetFilter
        // Nanosecond timestamps: not every one of 200 can fall on a whole microsecond (DateTimeOffset keeps 100 ns).
        Assert.Contains(received, frame => Tshark.TicksSinceEpoch(frame.Timestamp) % 10 != 0);
        Assert.Equal(0, statistics.Dropped);
    }

    [RootFact]
    public void Send_FromOneThreadWhileAnotherReceivesOnTheSameHandle_BothDirectionsComplete()
    {
        const int Count = 200;
        using var network = TestNetwork.CreatePair("pcapduo", "10.9.0.1/24", "10.9.0.2/24");
        var (left, right) = (network.Hosts[0], network.Hosts[1]);
        var leftMac = PcapNamespaces.MacOf(left);
        var rightMac = PcapNamespaces.MacOf(right);
        using var shared = PcapNamespaces.OpenIn(right, "eth0");
        shared.SetFilter("udp dst port 9999");
        using var peer = PcapNamespaces.OpenIn(left, "eth0");
        peer.SetFilter("udp dst port 7777");

        var sequenceNumbers = new List<int>();
        using var stop = new CancellationTokenSource();
        var receiver = new Thread(() => shared.Run((in CapturedFrame frame) =>
        {
            if (UdpFrame.TryParse(frame.Data, out var udp))
            {
                lock (sequenceNumbers)
                {
                    sequenceNumbers.Add(BinaryPrimitives.ReadInt32BigEndian(frame.Data.Slice(udp.PayloadOffset, 4)));
                }
            }
        }, stop.Token));
        receiver.Start();
        var atPeer = new List<int>();
        var peerReceiver = new Thread(() =>
        {
            var deadline = DateTime.UtcNow + (Patience * 2);
            while (atPeer.Count < Count && DateTime.UtcNow < deadline)
            {
                if (peer.TryReceive(out var frame))
                {
                    atPeer.Add(BinaryPrimitives.ReadInt32BigEndian(frame.Data[FrameBuilder.UdpFrameLength(0)..]));
                }
            }
        });
        peerReceiver.Start();
        var peerSender = new Thread(() =>
        {
            for (int i = 0; i < Count; i++)
            {
                peer.Send(Numbered(leftMac, rightMac, "10.9.0.1", "10.9.0.2", 9999, i));
            }
        });
        peerSender.Start();

        for (int i = 0; i < Count; i++)
        {
            shared.Send(Numbered(rightMac, leftMac, "10.9.0.2", "10.9.0.1", 7777, i));
        }
        Assert.True(peerSender.Join(Patience));
        Assert.True(peerReceiver.Join(Patience * 3));
        WaitUntil(() => { lock (sequenceNumbers) { return sequenceNumbers.Count >= Count; } });
        stop.Cancel();

        Assert.True(receiver.Join(Patience), "Run did not return after cancellation");
        Assert.Equal(Enumerable.Range(0, Count), sequenceNumbers);
        Assert.Equal(Enumerable.Range(0, Count), atPeer);
        Assert.Equal(0, shared.GetStatistics().Dropped);
        Assert.Equal(0, peer.GetStatistics().Dropped);
    }

    [RootFact]
    public void TryReceive_QuietLink_ReturnsFalseWhenTheTimeoutPasses()
    {
        // libpcap 1.10 itself keeps polling past its timeout when nothing arrives; LiveCapture must not.
        using var network = TestNetwork.CreatePair("pcapquiet", "10.9.0.1/24", null);
        using var capture = PcapNamespaces.OpenIn(network.Hosts[0], "eth0", new LiveCaptureOptions { TimeoutMs = 50 });
        capture.SetFilter("udp port 1");
        bool? received = null;

        var receiver = new Thread(() => received = capture.TryReceive(out _));
        receiver.Start();

        Assert.True(receiver.Join(Patience), "TryReceive did not return on a quiet link");
        Assert.False(received);
    }

    [RootFact]
    public void Interrupt_WakesABlockedReceive_AndTheCaptureKeepsWorking()
    {
        using var network = TestNetwork.CreatePair("pcapintr", "10.9.0.1/24", "10.9.0.2/24");
        var (left, right) = (network.Hosts[0], network.Hosts[1]);
        using var capture = PcapNamespaces.OpenIn(right, "eth0", new LiveCaptureOptions { TimeoutMs = 0 });
        capture.SetFilter("udp dst port 9999");
        using var sender = PcapNamespaces.OpenIn(left, "eth0");
        bool? received = null;
        var receiver = new Thread(() => received = capture.TryReceive(out _));
        receiver.Start();
        Thread.Sleep(200);

        capture.Interrupt();

        Assert.True(receiver.Join(Patience), "Interrupt did not wake TryReceive");
        Assert.False(received);
        byte[] frame = Numbered(PcapNamespaces.MacOf(left), PcapNamespaces.MacOf(right), "10.9.0.1", "10.9.0.2", 9999, 42);
        sender.Send(frame);
        Assert.Equal(frame, Assert.Single(ReceiveFrames(capture, 1)).Data);
    }

    [RootFact]
    public void TryReceive_WithoutImmediateMode_DeliversWhenTheKernelHandsOverTheBlock()
    {
        using var network = TestNetwork.CreatePair("pcapbatch", "10.9.0.1/24", "10.9.0.2/24");
        var (left, right) = (network.Hosts[0], network.Hosts[1]);
        using var capture = PcapNamespaces.OpenIn(right, "eth0", new LiveCaptureOptions { Immediate = false, TimeoutMs = 100 });
        capture.SetFilter("udp dst port 9999");
        using var sender = PcapNamespaces.OpenIn(left, "eth0");
        byte[] frame = Numbered(PcapNamespaces.MacOf(left), PcapNamespaces.MacOf(right), "10.9.0.1", "10.9.0.2", 9999, 7);

        sender.Send(frame);

        Assert.Equal(frame, Assert.Single(ReceiveFrames(capture, 1)).Data);
    }

    [RootFact]
    public void Open_AnyDevice_DeliversLinuxCookedFrames()
    {
        using var network = TestNetwork.CreatePair("pcapany", "10.9.0.1/24", "10.9.0.2/24");
        var (left, right) = (network.Hosts[0], network.Hosts[1]);
        using var capture = PcapNamespaces.OpenIn(right, "any");
        capture.SetFilter("udp dst port 9999");
        using var sender = PcapNamespaces.OpenIn(left, "eth0");
        byte[] frame = Numbered(PcapNamespaces.MacOf(left), PcapNamespaces.MacOf(right), "10.9.0.1", "10.9.0.2", 9999, 5);

        sender.Send(frame);

        Assert.Equal(LinkType.LinuxSll, capture.LinkType);
        var received = Assert.Single(ReceiveFrames(capture, 1)).Data;
        // LINKTYPE_LINUX_SLL: a 16-byte cooked header (protocol type last) replaces the 14-byte Ethernet header.
        Assert.Equal(frame[14..], received[16..]);
        Assert.Equal(0x0800, BinaryPrimitives.ReadUInt16BigEndian(received.AsSpan(14)));
    }

    [RootFact]
    public void Dispose_FromAnotherThread_WakesAReceiveThatWouldWaitForever()
    {
        using var network = TestNetwork.CreatePair("pcapwake", "10.9.0.1/24", null);
        var capture = PcapNamespaces.OpenIn(network.Hosts[0], "eth0", new LiveCaptureOptions { TimeoutMs = 0 });
        capture.SetFilter("udp port 1"); // nothing sends there
        bool? received = null;
        var receiver = new Thread(() => received = capture.TryReceive(out _));
        receiver.Start();
        Thread.Sleep(300);

        capture.Dispose();

        Assert.True(receiver.Join(Patience), "TryReceive did not return after Dispose");
        Assert.False(received);
        Assert.Throws<ObjectDisposedException>(() => capture.TryReceive(out _));
    }

    [RootFact]
    public void Run_UntilCancelled_ReturnsAndDisposeAfterwardsIsClean()
    {
        using var network = TestNetwork.CreatePair("pcaprun", "10.9.0.1/24", null);
        using var capture = PcapNamespaces.OpenIn(network.Hosts[0], "eth0", new LiveCaptureOptions { TimeoutMs = 0, Direction = CaptureDirection.In });
        capture.SetFilter("udp port 1");
        using var stop = new CancellationTokenSource();
        var runner = new Thread(() => capture.Run((in CapturedFrame _) => { }, stop.Token));
        runner.Start();
        Thread.Sleep(300);

        stop.Cancel();

        Assert.True(runner.Join(Patience), "Run did not return after cancellation");
        Assert.Equal(0, capture.GetStatistics().Dropped);
    }

    [RootFact]
    public void Open_DirectionIn_DoesNotSeeOwnFrames()
    {
        using var network = TestNetwork.CreatePair("pcapdir", "10.9.0.1/24", "10.9.0.2/24");
        var (left, right) = (network.Hosts[0], network.Hosts[1]);
        var leftMac = PcapNamespaces.MacOf(left);
        var rightMac = PcapNamespaces.MacOf(right);
        using var inbound = PcapNamespaces.OpenIn(left, "eth0", new LiveCaptureOptions { Direction = CaptureDirection.In });
        inbound.SetFilter("udp port 9999");
        using var other = PcapNamespaces.OpenIn(right, "eth0");

        inbound.Send(Numbered(leftMac, rightMac, "10.9.0.1", "10.9.0.2", 9999, 1));
        other.Send(Numbered(rightMac, leftMac, "10.9.0.2", "10.9.0.1", 9999, 2));

        var frame = Assert.Single(ReceiveFrames(inbound, 1));
        Assert.Equal(2, BinaryPrimitives.ReadInt32BigEndian(frame.Data.AsSpan(FrameBuilder.UdpFrameLength(0))));
        Assert.False(inbound.TryReceive(out _));
    }

    private static byte[] Numbered(Protocols.Addressing.MacAddress from, Protocols.Addressing.MacAddress to, string sourceIp, string destinationIp, ushort port, int number)
    {
        var payload = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(payload, number);
        return FrameBuilder.BuildUdp(from, to, Protocols.Addressing.IPv4Address.Parse(sourceIp), Protocols.Addressing.IPv4Address.Parse(destinationIp), 40000, port, payload);
    }

    /// <summary>Receives frames until <paramref name="count"/> arrived; fails if they do not come in time.</summary>
    private static List<(DateTimeOffset Timestamp, int OriginalLength, byte[] Data)> ReceiveFrames(LiveCapture capture, int count)
    {
        var frames = new List<(DateTimeOffset, int, byte[])>();
        var deadline = DateTime.UtcNow + Patience;
        while (frames.Count < count && DateTime.UtcNow < deadline)
        {
            if (capture.TryReceive(out var frame))
            {
                frames.Add((frame.Timestamp, frame.OriginalLength, frame.Data.ToArray()));
            }
        }
        Assert.True(frames.Count == count, $"received {frames.Count} of {count} frames on {capture.Device}");
        return frames;
    }

    private static void WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition() && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(20);
        }
    }
}
