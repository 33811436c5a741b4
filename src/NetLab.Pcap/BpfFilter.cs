using NetLab.Pcap.Native;

namespace NetLab.Pcap;

/// <summary>Compiles a BPF expression for a handle and installs it: in the kernel for a live capture,
/// in libpcap's own interpreter for a capture file.</summary>
internal static class BpfFilter
{
    public static void Install(SafePcapHandle handle, string bpf, uint netmask, string source)
    {
        ArgumentNullException.ThrowIfNull(bpf);
        using var program = SafeBpfProgramHandle.Allocate();
        if (PcapNative.Compile(handle, program, bpf, optimize: 1, netmask) != 0)
        {
            throw new PcapException(PcapErrorKind.BadFilter, $"bad capture filter \"{bpf}\": {PcapNative.LastError(handle)}");
        }
        // pcap_setfilter copies the program, so it is freed right after.
        if (PcapNative.SetFilter(handle, program) != 0)
        {
            throw new PcapException(PcapErrorKind.Other, $"{source}: cannot install filter \"{bpf}\": {PcapNative.LastError(handle)}");
        }
    }
}
