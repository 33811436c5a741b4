using NetLab.Testing;

namespace NetLab.Pcap.Tests;

public class LiveCaptureErrorTests
{
    [RootFact]
    public void Open_UnknownInterface_ThrowsNoSuchDeviceNamingIt()
    {
        string name = $"nl{Guid.NewGuid().ToString("N")[..10]}";

        var error = Assert.Throws<PcapException>(() => LiveCapture.Open(name));

        Assert.Equal(PcapErrorKind.NoSuchDevice, error.Kind);
        Assert.Contains($"capture on {name} failed: no such interface", error.Message, StringComparison.Ordinal);
    }

    [RootFact]
    public void Open_InterfaceDown_ThrowsInterfaceDownSayingHowToBringItUp()
    {
        using var network = TestNetwork.CreatePair("pcaperr", null, null);
        var host = network.Hosts[0];
        host.Exec("ip", "link", "set", "eth0", "down");

        var error = Assert.Throws<PcapException>(() => PcapNamespaces.OpenIn(host, "eth0"));

        Assert.Equal(PcapErrorKind.InterfaceDown, error.Kind);
        Assert.Contains("ip link set eth0 up", error.Message, StringComparison.Ordinal);
    }

    [RootFact]
    public void Open_WithoutCapNetRaw_ThrowsPermissionDeniedNamingTheCapability()
    {
        var error = Assert.Throws<PcapException>(() => PcapCapabilities.RunWithoutNetRaw(() => LiveCapture.Open("lo").Dispose()));

        Assert.Equal(PcapErrorKind.PermissionDenied, error.Kind);
        Assert.Contains("capture needs root or CAP_NET_RAW", error.Message, StringComparison.Ordinal);
    }

    [RootTheory("tcpdump")]
    [InlineData("port 99999")]
    [InlineData("udp and and port 67")]
    [InlineData("ether host 02:00:00:00:00")]
    [InlineData("no_such_primitive")]
    public void SetFilter_BadExpression_ThrowsBadFilterWithLibpcapsMessage(string expression)
    {
        using var network = TestNetwork.CreatePair("pcapflt", "10.9.0.1/24", null);
        using var capture = PcapNamespaces.OpenIn(network.Hosts[0], "eth0");

        var error = Assert.Throws<PcapException>(() => capture.SetFilter(expression));

        Assert.Equal(PcapErrorKind.BadFilter, error.Kind);
        Assert.StartsWith($"bad capture filter \"{expression}\": ", error.Message, StringComparison.Ordinal);
        // tcpdump compiles with the same libpcap; its complaint must be ours, word for word.
        var tcpdump = Shell.Run("tcpdump", ["-d", "-r", Path.Combine(Repo.TcpdumpCaptures, "dns_udp.pcap"), expression], TimeSpan.FromSeconds(30));
        Assert.NotEqual(0, tcpdump.ExitCode);
        string libpcapMessage = tcpdump.Stderr.Split('\n').Single(line => line.StartsWith("tcpdump: ", StringComparison.Ordinal))["tcpdump: ".Length..];
        Assert.EndsWith(libpcapMessage, error.Message, StringComparison.Ordinal);
    }

    [RootFact]
    public void Send_FrameLongerThanTheMtu_ThrowsIoWithTheSystemsReason()
    {
        using var network = TestNetwork.CreatePair("pcapbig", "10.9.0.1/24", null);
        using var capture = PcapNamespaces.OpenIn(network.Hosts[0], "eth0");

        var error = Assert.Throws<PcapException>(() => capture.Send(new byte[3000]));

        Assert.Equal(PcapErrorKind.Io, error.Kind);
        Assert.Contains("sending on eth0 failed", error.Message, StringComparison.Ordinal);
        Assert.Contains("Message too long", error.Message, StringComparison.Ordinal);
    }

    [RootFact]
    public void Send_AfterInterfaceWentDown_ThrowsInterfaceDown()
    {
        using var network = TestNetwork.CreatePair("pcapsdn", "10.9.0.1/24", null);
        var host = network.Hosts[0];
        using var capture = PcapNamespaces.OpenIn(host, "eth0");
        host.Exec("ip", "link", "set", "eth0", "down");

        var error = Assert.Throws<PcapException>(() => capture.Send(new byte[60]));

        Assert.Equal(PcapErrorKind.InterfaceDown, error.Kind);
        Assert.Contains("ip link set eth0 up", error.Message, StringComparison.Ordinal);
    }

    [RootFact]
    public void TryReceive_AfterInterfaceWasDeleted_ThrowsNoSuchDevice()
    {
        using var network = TestNetwork.CreatePair("pcapdel", "10.9.0.1/24", null);
        var host = network.Hosts[0];
        using var capture = PcapNamespaces.OpenIn(host, "eth0");
        host.Exec("ip", "link", "delete", "eth0");

        // The first calls may return frames queued before the link went away, or time out.
        PcapException? error = null;
        for (int call = 0; call < 50 && error is null; call++)
        {
            try
            {
                capture.TryReceive(out _);
            }
            catch (PcapException exception)
            {
                error = exception;
            }
        }

        Assert.NotNull(error);
        Assert.Equal(PcapErrorKind.NoSuchDevice, error.Kind);
        Assert.Contains("capture on eth0 stopped: the interface is gone", error.Message, StringComparison.Ordinal);
    }

    [RootFact]
    public void Methods_AfterDispose_ThrowObjectDisposed()
    {
        using var network = TestNetwork.CreatePair("pcapdsp", "10.9.0.1/24", null);
        var capture = PcapNamespaces.OpenIn(network.Hosts[0], "eth0");
        capture.Dispose();

        Assert.Throws<ObjectDisposedException>(() => capture.TryReceive(out _));
        Assert.Throws<ObjectDisposedException>(() => capture.Send(new byte[60]));
        Assert.Throws<ObjectDisposedException>(() => capture.SetFilter("udp"));
        Assert.Throws<ObjectDisposedException>(() => capture.GetStatistics());
        capture.Interrupt();
        capture.Dispose();
    }
}
