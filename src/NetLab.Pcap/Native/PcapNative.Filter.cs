using System.Runtime.InteropServices;

namespace NetLab.Pcap.Native;

/// <summary>BPF filters: compile text to a bpf_program, install it, free it.</summary>
internal static unsafe partial class PcapNative
{
    /// <summary>PCAP_NETMASK_UNKNOWN: only the "broadcast" primitive needs the real mask.</summary>
    internal const uint NetmaskUnknown = 0xffffffff;

    [LibraryImport(LibraryName, EntryPoint = "pcap_compile", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Compile(SafePcapHandle pcap, SafeBpfProgramHandle program, string expression, int optimize, uint netmask);

    [LibraryImport(LibraryName, EntryPoint = "pcap_setfilter")]
    internal static partial int SetFilter(SafePcapHandle pcap, SafeBpfProgramHandle program);

    [LibraryImport(LibraryName, EntryPoint = "pcap_freecode")]
    internal static partial void FreeCode(nint program);

    /// <summary>struct bpf_program.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct BpfProgram
    {
        public uint InstructionCount;
        public nint Instructions;
    }
}
