namespace NetLab.Pcap.Native;

/// <summary>A <c>pcap_t*</c> (live, offline or dead); closed with pcap_close once no call uses it any more.</summary>
internal sealed class SafePcapHandle : SafePointerHandle
{
    protected override bool ReleaseHandle()
    {
        PcapNative.Close(handle);
        return true;
    }
}
