using NetLab.Pcap.Native;

namespace NetLab.Pcap;

/// <summary>Turns libpcap status codes and errno values into <see cref="PcapException"/>s whose message tells
/// the user what to do.</summary>
internal static class PcapErrors
{
    private const string NeedsRoot = "capture needs root or CAP_NET_RAW (run as root, or `setcap cap_net_raw,cap_net_admin=eip` on the program)";

    /// <summary>Linux errno values that pcap_sendpacket leaves behind.</summary>
    private const int Eperm = 1;
    private const int Enxio = 6;
    private const int Eacces = 13;
    private const int Enodev = 19;
    private const int Enetdown = 100;

    public static PcapException FromActivate(string device, int status, string detail) => status switch
    {
        PcapNative.ErrorNoSuchDevice => new PcapException(PcapErrorKind.NoSuchDevice,
            $"capture on {device} failed: no such interface (list interfaces with `ip link`){Detail(detail)}"),
        PcapNative.ErrorPermissionDenied or PcapNative.ErrorPromiscuousPermissionDenied => new PcapException(PcapErrorKind.PermissionDenied,
            $"capture on {device} failed: permission denied; {NeedsRoot}{Detail(detail)}"),
        PcapNative.ErrorInterfaceNotUp => InterfaceDown(device, detail),
        _ => new PcapException(PcapErrorKind.Other, $"capture on {device} failed: {Describe(status, detail)}"),
    };

    public static PcapException FromSend(string device, int errno, string detail) => errno switch
    {
        Enetdown => InterfaceDown(device, detail),
        Enxio or Enodev => new PcapException(PcapErrorKind.NoSuchDevice, $"sending on {device} failed: the interface is gone{Detail(detail)}"),
        Eperm or Eacces => new PcapException(PcapErrorKind.PermissionDenied, $"sending on {device} failed: permission denied; {NeedsRoot}"),
        _ => new PcapException(PcapErrorKind.Io, $"sending on {device} failed: {detail}"),
    };

    /// <summary>pcap_next_ex reports only text; on Linux it says the interface "went down" or "disappeared"
    /// (PCAP_ERROR_IFACE_NOT_UP is also possible from 1.10 on).</summary>
    public static PcapException FromReceive(string device, int status, string detail)
    {
        if (status == PcapNative.ErrorInterfaceNotUp || detail.Contains("went down", StringComparison.OrdinalIgnoreCase))
        {
            return InterfaceDown(device, detail);
        }
        if (detail.Contains("disappeared", StringComparison.OrdinalIgnoreCase) || detail.Contains("No such device", StringComparison.OrdinalIgnoreCase))
        {
            return new PcapException(PcapErrorKind.NoSuchDevice, $"capture on {device} stopped: the interface is gone{Detail(detail)}");
        }
        return new PcapException(PcapErrorKind.Io, $"capture on {device} failed: {Describe(status, detail)}");
    }

    private static PcapException InterfaceDown(string device, string detail) => new(PcapErrorKind.InterfaceDown,
        $"interface {device} is down; bring it up with `ip link set {device} up`{Detail(detail)}");

    /// <summary>libpcap's message, or the generic text of the status code when it left none.</summary>
    public static unsafe string Describe(int status, string detail) =>
        string.IsNullOrWhiteSpace(detail) ? PcapNative.StaticText(PcapNative.StatusToString(status)) : detail;

    private static string Detail(string detail) => string.IsNullOrWhiteSpace(detail) ? "" : $" ({detail})";
}
