using System.Runtime.InteropServices;

namespace NetLab.Pcap.Native;

/// <summary>A <c>struct bpf_program</c> in native memory: pcap_compile fills it, pcap_freecode frees the
/// instructions it allocated, then the struct itself is freed.</summary>
internal sealed unsafe class SafeBpfProgramHandle : SafePointerHandle
{
    /// <summary>An empty (zeroed) program ready for pcap_compile; freeing it is safe even if compiling fails.</summary>
    public static SafeBpfProgramHandle Allocate()
    {
        var program = new SafeBpfProgramHandle();
        program.SetHandle((nint)NativeMemory.AllocZeroed((nuint)sizeof(PcapNative.BpfProgram)));
        return program;
    }

    protected override bool ReleaseHandle()
    {
        PcapNative.FreeCode(handle);
        NativeMemory.Free((void*)handle);
        return true;
    }
}
