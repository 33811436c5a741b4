using System.Runtime.InteropServices;

namespace NetLab.Pcap.Native;

/// <summary>A <c>pcap_dumper_t*</c>; pcap_dump_close flushes and closes the file.</summary>
internal sealed class SafePcapDumperHandle : SafeHandle
{
    public SafePcapDumperHandle()
        : base(0, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        PcapNative.DumpClose(handle);
        return true;
    }
}
