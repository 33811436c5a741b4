namespace NetLab.Pcap.Native;

/// <summary>A <c>pcap_dumper_t*</c>; pcap_dump_close flushes and closes the file.</summary>
internal sealed class SafePcapDumperHandle : SafePointerHandle
{
    protected override bool ReleaseHandle()
    {
        PcapNative.DumpClose(handle);
        return true;
    }
}
