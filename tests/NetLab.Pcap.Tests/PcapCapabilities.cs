using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;

namespace NetLab.Pcap.Tests;

/// <summary>Runs code on a thread of its own whose effective capabilities lack CAP_NET_RAW. Linux keeps
/// capabilities per thread, so even root then gets EPERM from socket(AF_PACKET), like an ordinary user.</summary>
internal static partial class PcapCapabilities
{
    private const uint CapabilityVersion3 = 0x20080522; // _LINUX_CAPABILITY_VERSION_3
    private const int CapNetRaw = 13;

    public static void RunWithoutNetRaw(Action action)
    {
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                DropEffective(CapNetRaw);
                action();
            }
            catch (Exception exception)
            {
                failure = ExceptionDispatchInfo.Capture(exception);
            }
        });
        thread.Start();
        thread.Join();
        failure?.Throw();
    }

    private static unsafe void DropEffective(int capability)
    {
        var header = new CapHeader { Version = CapabilityVersion3, Pid = 0 };
        var data = stackalloc CapData[2];
        if (CapGet(&header, data) != 0)
        {
            throw new InvalidOperationException($"capget failed (errno {Marshal.GetLastPInvokeError()})");
        }
        data[capability / 32].Effective &= ~(1u << (capability % 32));
        if (CapSet(&header, data) != 0)
        {
            throw new InvalidOperationException($"capset failed (errno {Marshal.GetLastPInvokeError()})");
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct CapHeader
    {
        public uint Version;
        public int Pid;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct CapData
    {
        public uint Effective;
        public uint Permitted;
        public uint Inheritable;
    }

    [LibraryImport("libc", EntryPoint = "capget", SetLastError = true)]
    private static unsafe partial int CapGet(CapHeader* header, CapData* data);

    [LibraryImport("libc", EntryPoint = "capset", SetLastError = true)]
    private static unsafe partial int CapSet(CapHeader* header, CapData* data);
}
