using System.Runtime.InteropServices;

namespace NetLab.Pcap.Native;

/// <summary>Capture files: reading (pcap and pcapng) and writing pcap through a dumper; timestamp precision.</summary>
internal static unsafe partial class PcapNative
{
    /// <summary>PCAP_TSTAMP_PRECISION_*.</summary>
    internal const uint TimestampMicro = 0;
    internal const uint TimestampNano = 1;

    [LibraryImport(LibraryName, EntryPoint = "pcap_set_tstamp_precision")]
    internal static partial int SetTimestampPrecision(SafePcapHandle pcap, uint precision);

    [LibraryImport(LibraryName, EntryPoint = "pcap_get_tstamp_precision")]
    internal static partial uint GetTimestampPrecision(SafePcapHandle pcap);

    [LibraryImport(LibraryName, EntryPoint = "pcap_open_offline_with_tstamp_precision", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial SafePcapHandle OpenOffline(string path, uint precision, byte* errorBuffer);

    [LibraryImport(LibraryName, EntryPoint = "pcap_open_dead_with_tstamp_precision")]
    internal static partial SafePcapHandle OpenDead(int linkType, int snaplen, uint precision);

    [LibraryImport(LibraryName, EntryPoint = "pcap_dump_open", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial SafePcapDumperHandle DumpOpen(SafePcapHandle pcap, string path);

    [LibraryImport(LibraryName, EntryPoint = "pcap_dump")]
    internal static partial void Dump(SafePcapDumperHandle dumper, PacketHeader* header, byte* data);

    [LibraryImport(LibraryName, EntryPoint = "pcap_dump_flush")]
    internal static partial int DumpFlush(SafePcapDumperHandle dumper);

    [LibraryImport(LibraryName, EntryPoint = "pcap_dump_close")]
    internal static partial void DumpClose(nint dumper);
}
