using System.Runtime.InteropServices;

namespace NetLab.Pcap.Native;

/// <summary>Base of libpcap's handles: a native pointer, invalid when null, owned and released once.</summary>
internal abstract class SafePointerHandle : SafeHandle
{
    protected SafePointerHandle()
        : base(0, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == 0;
}
