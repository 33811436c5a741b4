using System.Runtime.InteropServices;

namespace NetLab.Pcap.Native;

/// <summary>An eventfd that wakes a receiver blocked in poll (Interrupt, Dispose).</summary>
internal sealed unsafe class SafeEventFdHandle : SafeHandle
{
    public SafeEventFdHandle()
        : base(-1, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == -1;

    public int Fd => (int)handle;

    public static SafeEventFdHandle Create()
    {
        int fd = LibcNative.EventFd(0, LibcNative.EventFdNonBlocking | LibcNative.EventFdCloseOnExec);
        if (fd < 0)
        {
            throw new PcapException(PcapErrorKind.Other, $"eventfd failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        }
        var eventFd = new SafeEventFdHandle();
        eventFd.SetHandle(fd);
        return eventFd;
    }

    /// <summary>Adds one to the counter, making the descriptor readable.</summary>
    public void Signal()
    {
        ulong one = 1;
        _ = LibcNative.Write(Fd, &one, sizeof(ulong));
    }

    /// <summary>Resets the counter to zero; returns whether it was signalled.</summary>
    public bool Drain()
    {
        ulong value;
        return LibcNative.Read(Fd, &value, sizeof(ulong)) == sizeof(ulong);
    }

    protected override bool ReleaseHandle() => LibcNative.Close((int)handle) == 0;
}
