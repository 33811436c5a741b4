using System.Runtime.InteropServices;

namespace NetLab.Pcap.Native;

/// <summary>A <c>pcap_t*</c> (live, offline or dead); closed with pcap_close once no call uses it any more.</summary>
internal sealed class SafePcapHandle : SafeHandle
{
    public SafePcapHandle()
        : base(0, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        PcapNative.Close(handle);
        return true;
    }
}
