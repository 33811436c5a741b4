using System.Runtime.InteropServices;

namespace NetLab.Pcap.Native;

/// <summary>The few libc calls a live capture needs besides libpcap: waiting on its descriptor with a timeout
/// (libpcap 1.10 on Linux keeps polling past its own timeout) and an eventfd to wake that wait.</summary>
internal static unsafe partial class LibcNative
{
    private const string LibraryName = "libc";

    internal const short PollIn = 0x1;
    internal const short PollOut = 0x4;
    internal const int EventFdNonBlocking = 0x800; // EFD_NONBLOCK
    internal const int EventFdCloseOnExec = 0x80000; // EFD_CLOEXEC

    /// <summary>errno values a non-blocking send reports when the socket buffer is full.</summary>
    internal const int Eintr = 4;
    internal const int Eagain = 11;
    internal const int Enobufs = 105;

    [LibraryImport(LibraryName, EntryPoint = "poll", SetLastError = true)]
    internal static partial int Poll(PollFd* fds, nuint count, int timeoutMs);

    [LibraryImport(LibraryName, EntryPoint = "eventfd", SetLastError = true)]
    internal static partial int EventFd(uint initialValue, int flags);

    [LibraryImport(LibraryName, EntryPoint = "read", SetLastError = true)]
    internal static partial nint Read(int fd, void* buffer, nuint count);

    [LibraryImport(LibraryName, EntryPoint = "write", SetLastError = true)]
    internal static partial nint Write(int fd, void* buffer, nuint count);

    [LibraryImport(LibraryName, EntryPoint = "close")]
    internal static partial int Close(int fd);

    /// <summary>struct pollfd.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct PollFd
    {
        public int Fd;
        public short Events;
        public short ReturnedEvents;
    }
}
