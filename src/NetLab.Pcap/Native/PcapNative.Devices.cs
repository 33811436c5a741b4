using System.Runtime.InteropServices;

namespace NetLab.Pcap.Native;

/// <summary>Device enumeration: pcap_findalldevs and the pcap_if / pcap_addr lists it returns.</summary>
internal static unsafe partial class PcapNative
{
    /// <summary>PCAP_IF_* flags from pcap/pcap.h.</summary>
    internal const uint InterfaceLoopback = 0x1;
    internal const uint InterfaceUp = 0x2;
    internal const uint InterfaceRunning = 0x4;

    [LibraryImport(LibraryName, EntryPoint = "pcap_findalldevs")]
    internal static partial int FindAllDevices(out PcapInterface* devices, byte* errorBuffer);

    [LibraryImport(LibraryName, EntryPoint = "pcap_freealldevs")]
    internal static partial void FreeAllDevices(PcapInterface* devices);

    [LibraryImport(LibraryName, EntryPoint = "pcap_lookupnet", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int LookupNetwork(string device, out uint network, out uint netmask, byte* errorBuffer);

    /// <summary>struct pcap_if.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct PcapInterface
    {
        public PcapInterface* Next;
        public byte* Name;
        public byte* Description;
        public PcapAddressEntry* Addresses;
        public uint Flags;
    }

    /// <summary>struct pcap_addr; each pointer is a struct sockaddr or null.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct PcapAddressEntry
    {
        public PcapAddressEntry* Next;
        public byte* Address;
        public byte* Netmask;
        public byte* Broadcast;
        public byte* Destination;
    }
}
