using System.Runtime.InteropServices;

namespace NetLab.Pcap.Native;

/// <summary>Live capture: create, configure, activate, receive, send, statistics.</summary>
internal static unsafe partial class PcapNative
{
    /// <summary>pcap_activate results (pcap/pcap.h).</summary>
    internal const int Error = -1;

    /// <summary>pcap_next_ex on a file: no more packets.</summary>
    internal const int ErrorEndOfFile = -2;
    internal const int ErrorNoSuchDevice = -5;
    internal const int ErrorPermissionDenied = -8;
    internal const int ErrorInterfaceNotUp = -9;
    internal const int ErrorPromiscuousPermissionDenied = -11;

    /// <summary>pcap_direction_t.</summary>
    internal const int DirectionInOut = 0;
    internal const int DirectionIn = 1;
    internal const int DirectionOut = 2;

    [LibraryImport(LibraryName, EntryPoint = "pcap_create", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial SafePcapHandle Create(string source, byte* errorBuffer);

    [LibraryImport(LibraryName, EntryPoint = "pcap_set_snaplen")]
    internal static partial int SetSnapshotLength(SafePcapHandle pcap, int snaplen);

    [LibraryImport(LibraryName, EntryPoint = "pcap_set_promisc")]
    internal static partial int SetPromiscuous(SafePcapHandle pcap, int promiscuous);

    [LibraryImport(LibraryName, EntryPoint = "pcap_set_immediate_mode")]
    internal static partial int SetImmediateMode(SafePcapHandle pcap, int immediate);

    [LibraryImport(LibraryName, EntryPoint = "pcap_set_timeout")]
    internal static partial int SetTimeout(SafePcapHandle pcap, int milliseconds);

    [LibraryImport(LibraryName, EntryPoint = "pcap_set_buffer_size")]
    internal static partial int SetBufferSize(SafePcapHandle pcap, int bytes);

    [LibraryImport(LibraryName, EntryPoint = "pcap_activate")]
    internal static partial int Activate(SafePcapHandle pcap);

    [LibraryImport(LibraryName, EntryPoint = "pcap_setnonblock")]
    internal static partial int SetNonBlocking(SafePcapHandle pcap, int nonBlocking, byte* errorBuffer);

    [LibraryImport(LibraryName, EntryPoint = "pcap_get_selectable_fd")]
    internal static partial int GetSelectableFd(SafePcapHandle pcap);

    /// <summary>Non-null while the device may have gone away: poll no longer than this, then call again.</summary>
    [LibraryImport(LibraryName, EntryPoint = "pcap_get_required_select_timeout")]
    internal static partial TimeValue* GetRequiredSelectTimeout(SafePcapHandle pcap);

    [LibraryImport(LibraryName, EntryPoint = "pcap_setdirection")]
    internal static partial int SetDirection(SafePcapHandle pcap, int direction);

    /// <summary>Returns a buffer owned by the handle: never free it, so the return is a raw pointer.</summary>
    [LibraryImport(LibraryName, EntryPoint = "pcap_geterr")]
    internal static partial byte* GetError(SafePcapHandle pcap);

    /// <summary>The handle's last error message (pcap_geterr) as managed text.</summary>
    internal static string LastError(SafePcapHandle pcap) => StaticText(GetError(pcap));

    [LibraryImport(LibraryName, EntryPoint = "pcap_statustostr")]
    internal static partial byte* StatusToString(int status);

    [LibraryImport(LibraryName, EntryPoint = "pcap_datalink")]
    internal static partial int DataLink(SafePcapHandle pcap);

    [LibraryImport(LibraryName, EntryPoint = "pcap_snapshot")]
    internal static partial int Snapshot(SafePcapHandle pcap);

    [LibraryImport(LibraryName, EntryPoint = "pcap_next_ex")]
    internal static partial int NextEx(SafePcapHandle pcap, out PacketHeader* header, out byte* data);

    [LibraryImport(LibraryName, EntryPoint = "pcap_sendpacket", SetLastError = true)]
    internal static partial int SendPacket(SafePcapHandle pcap, byte* data, int length);

    [LibraryImport(LibraryName, EntryPoint = "pcap_stats")]
    internal static partial int Stats(SafePcapHandle pcap, out PcapStat stats);

    [LibraryImport(LibraryName, EntryPoint = "pcap_close")]
    internal static partial void Close(nint pcap);

    [LibraryImport(LibraryName, EntryPoint = "pcap_lib_version")]
    internal static partial byte* LibraryVersion();

    /// <summary>struct timeval.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct TimeValue
    {
        public CLong Seconds;
        public CLong Microseconds;
    }

    /// <summary>struct pcap_pkthdr: a struct timeval (microseconds, or nanoseconds at nano precision) then caplen and len.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct PacketHeader
    {
        public CLong Seconds;
        public CLong Fraction;
        public uint CaptureLength;
        public uint Length;
    }

    /// <summary>struct pcap_stat.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct PcapStat
    {
        public uint Received;
        public uint Dropped;
        public uint InterfaceDropped;
    }
}
