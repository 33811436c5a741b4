namespace NetLab.Pcap;

/// <summary>Link-layer header types of capture files (LINKTYPE_* from tcpdump.org/linktypes.html).
/// libpcap's DLT_RAW differs per platform (12 on Linux); <see cref="LinkTypes"/> converts.</summary>
public enum LinkType
{
    Null = 0,
    Ethernet = 1,
    Ppp = 9,
    Raw = 101,
    Ieee80211 = 105,
    Loop = 108,
    LinuxSll = 113,
    Ieee80211Radiotap = 127,
    IPv4 = 228,
    IPv6 = 229,
    LinuxSll2 = 276,
}

internal static class LinkTypes
{
    /// <summary>DLT_RAW on Linux (14 on OpenBSD); files store LINKTYPE_RAW (101) instead.</summary>
    private const int DltRawLinux = 12;
    private const int DltRawOpenBsd = 14;

    public static LinkType FromDlt(int dlt) => dlt is DltRawLinux or DltRawOpenBsd ? LinkType.Raw : (LinkType)dlt;

    public static int ToDlt(LinkType linkType) => linkType == LinkType.Raw ? DltRawLinux : (int)linkType;
}
