using NetLab.Protocols.Addressing;
using NetLab.Testing;

namespace NetLab.Pcap.Tests;

/// <summary>Opening captures inside a test namespace and reading its interfaces' MAC addresses.</summary>
internal static class PcapNamespaces
{
    public static LiveCapture OpenIn(NetworkNamespace host, string device, LiveCaptureOptions? options = null)
    {
        using (host.Enter())
        {
            return LiveCapture.Open(device, options);
        }
    }

    /// <summary>`ip netns exec` mounts the namespace's own sysfs, so this is that namespace's eth0.</summary>
    public static MacAddress MacOf(NetworkNamespace host, string device = "eth0") =>
        MacAddress.Parse(host.Exec("cat", $"/sys/class/net/{device}/address").Trim());
}
