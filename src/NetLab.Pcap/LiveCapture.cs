using System.Diagnostics;
using System.Runtime.InteropServices;
using NetLab.Pcap.Native;

namespace NetLab.Pcap;

/// <summary>A live capture on one interface, opened in the calling thread's network namespace.
/// One thread receives (<see cref="TryReceive"/> or <see cref="Run"/>); <see cref="Send"/> may be called from
/// other threads meanwhile. <see cref="Dispose"/> from any thread wakes the receiver, which returns
/// false (or <see cref="Run"/> returns); the handle is closed once no native call uses it any more.</summary>
/// <remarks>libpcap 1.10 on Linux does not return from pcap_next_ex when its timeout expires without traffic,
/// so the handle runs in non-blocking mode and the wait is our own poll() on its descriptor plus an eventfd
/// that <see cref="Interrupt"/> and <see cref="Dispose"/> signal.</remarks>
public sealed class LiveCapture : IDisposable
{
    /// <summary>How long Send waits in all for room in a full socket buffer before giving up.</summary>
    private const int SendBufferWaitMs = 5000;

    private readonly SafePcapHandle _handle;
    private readonly SafeEventFdHandle _wake;
    private readonly int _fd;
    private readonly int _timeoutMs;
    private readonly FrameCopier _copier;
    private readonly Lock _sendLock = new();
    private readonly uint _netmask;
    private int _disposed;

    private LiveCapture(SafePcapHandle handle, string device, string? activationWarning, uint netmask, int timeoutMs)
    {
        _handle = handle;
        _netmask = netmask;
        _timeoutMs = timeoutMs;
        _fd = PcapNative.GetSelectableFd(handle);
        _copier = FrameCopier.For(handle);
        _wake = SafeEventFdHandle.Create();
        Device = device;
        ActivationWarning = activationWarning;
        LinkType = LinkTypes.FromDlt(PcapNative.DataLink(handle));
    }

    private enum ReceiveStatus
    {
        Frame,
        Timeout,
        Interrupted,
        Closed,
    }

    public string Device { get; }

    public LinkType LinkType { get; }

    /// <summary>A warning pcap_activate gave (for example promiscuous mode not supported), or null.</summary>
    public string? ActivationWarning { get; }

    /// <summary>Opens and activates a capture. Throws <see cref="PcapException"/> with
    /// <see cref="PcapErrorKind.NoSuchDevice"/>, <see cref="PcapErrorKind.PermissionDenied"/> or
    /// <see cref="PcapErrorKind.InterfaceDown"/> and a message saying what to do.</summary>
    public static unsafe LiveCapture Open(string device, LiveCaptureOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(device);
        options ??= new LiveCaptureOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Snaplen, "options.Snaplen");
        ArgumentOutOfRangeException.ThrowIfNegative(options.TimeoutMs, "options.TimeoutMs");
        if (options.BufferSize is { } size)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size, "options.BufferSize");
        }
        PcapNative.EnsureLoaded();

        byte* errorBuffer = stackalloc byte[PcapNative.ErrorBufferSize];
        var handle = PcapNative.Create(device, errorBuffer);
        if (handle.IsInvalid)
        {
            handle.Dispose();
            throw new PcapException(PcapErrorKind.Other, $"capture on {device} failed: {PcapNative.ErrorText(errorBuffer)}");
        }
        try
        {
            // These only fail on an already activated handle, which cannot happen here.
            _ = PcapNative.SetSnapshotLength(handle, options.Snaplen);
            _ = PcapNative.SetPromiscuous(handle, options.Promiscuous ? 1 : 0);
            _ = PcapNative.SetImmediateMode(handle, options.Immediate ? 1 : 0);
            // Without immediate mode this is how long the kernel fills a buffer block before handing it over.
            _ = PcapNative.SetTimeout(handle, options.TimeoutMs == 0 ? 100 : options.TimeoutMs);
            _ = PcapNative.SetBufferSize(handle, options.BufferSize ?? LiveCaptureOptions.DefaultBufferSize);
            // Nanoseconds where the kernel offers them (Linux does); otherwise libpcap keeps microseconds.
            _ = PcapNative.SetTimestampPrecision(handle, PcapNative.TimestampNano);

            int status = PcapNative.Activate(handle);
            if (status < 0)
            {
                throw PcapErrors.FromActivate(device, status, PcapNative.LastError(handle));
            }
            string? warning = status > 0 ? PcapErrors.Describe(status, PcapNative.LastError(handle)) : null;

            if (options.Direction != CaptureDirection.InOut && PcapNative.SetDirection(handle, ToNative(options.Direction)) != 0)
            {
                throw new PcapException(PcapErrorKind.Other, $"capture on {device}: cannot select direction {options.Direction}: {PcapNative.LastError(handle)}");
            }
            if (PcapNative.SetNonBlocking(handle, 1, errorBuffer) != 0)
            {
                throw new PcapException(PcapErrorKind.Other, $"capture on {device}: cannot enter non-blocking mode: {PcapNative.ErrorText(errorBuffer)}");
            }

            // Looked up now, while the thread is still in the capture's network namespace.
            uint netmask = PcapNative.LookupNetwork(device, out _, out uint mask, errorBuffer) == 0 ? mask : PcapNative.NetmaskUnknown;
            return new LiveCapture(handle, device, warning, netmask, options.TimeoutMs);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Keeps only frames matching a BPF expression (pcap-filter(7) syntax, as tcpdump takes it).
    /// A bad expression throws <see cref="PcapException"/> (<see cref="PcapErrorKind.BadFilter"/>) with libpcap's message.</summary>
    public void SetFilter(string bpf)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        BpfFilter.Install(_handle, bpf, _netmask, $"capture on {Device}");
    }

    /// <summary>Waits up to the timeout for the next frame. Returns false on timeout or when
    /// <see cref="Interrupt"/> or <see cref="Dispose"/> woke it. The frame's data stays valid until the next call.</summary>
    public bool TryReceive(out CapturedFrame frame) => Receive(out frame) switch
    {
        ReceiveStatus.Frame => true,
        ReceiveStatus.Closed => throw new ObjectDisposedException(nameof(LiveCapture)),
        _ => false,
    };

    /// <summary>Calls <paramref name="onFrame"/> for each frame until cancelled or disposed, then returns.</summary>
    public void Run(FrameHandler onFrame, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onFrame);
        using var registration = cancellationToken.Register(static state => ((LiveCapture)state!).Interrupt(), this);
        while (!cancellationToken.IsCancellationRequested)
        {
            switch (Receive(out var frame))
            {
                case ReceiveStatus.Frame:
                    onFrame(in frame);
                    break;
                case ReceiveStatus.Closed:
                    return;
            }
        }
    }

    /// <summary>Makes a receive in progress (or else the next one) return false at once.</summary>
    public void Interrupt()
    {
        if (TryAcquire(_wake))
        {
            try
            {
                _wake.Signal();
            }
            finally
            {
                _wake.DangerousRelease();
            }
        }
    }

    /// <summary>Sends one complete frame (link-layer header included) out of the interface. When the socket
    /// buffer is full it waits for room (a few seconds at most) instead of failing.</summary>
    public unsafe void Send(ReadOnlySpan<byte> frame)
    {
        if (frame.IsEmpty)
        {
            throw new ArgumentException("a frame needs at least a link-layer header", nameof(frame));
        }
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        lock (_sendLock)
        {
            var waited = Stopwatch.StartNew();
            fixed (byte* data = frame)
            {
                while (PcapNative.SendPacket(_handle, data, frame.Length) != 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    bool bufferFull = errno is LibcNative.Eagain or LibcNative.Enobufs or LibcNative.Eintr;
                    int remainingMs = SendBufferWaitMs - (int)waited.ElapsedMilliseconds;
                    if (!bufferFull || remainingMs <= 0)
                    {
                        throw PcapErrors.FromSend(Device, errno, PcapNative.LastError(_handle));
                    }
                    WaitUntilWritable(remainingMs);
                }
            }
        }
    }

    /// <summary>Kernel counters (pcap_stats) since the capture was opened.</summary>
    public CaptureStatistics GetStatistics()
    {
        if (PcapNative.Stats(_handle, out var stats) != 0)
        {
            throw new PcapException(PcapErrorKind.Io, $"capture on {Device}: cannot read statistics: {PcapNative.LastError(_handle)}");
        }
        return new CaptureStatistics(stats.Received, stats.Dropped, stats.InterfaceDropped);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        Interrupt();
        _handle.Dispose();
        _wake.Dispose();
    }

    private ReceiveStatus Receive(out CapturedFrame frame)
    {
        frame = default;
        // Dispose sets the flag before it signals the eventfd, so a receive that starts after an earlier one
        // consumed that signal stops here instead of waiting for a wake-up that will not come.
        // Holding references keeps pcap_close (and close of the eventfd) from running while we use them.
        if (Volatile.Read(ref _disposed) != 0 || !TryAcquire(_handle))
        {
            return ReceiveStatus.Closed;
        }
        try
        {
            if (!TryAcquire(_wake))
            {
                return ReceiveStatus.Closed;
            }
            try
            {
                return ReceiveAcquired(out frame);
            }
            finally
            {
                _wake.DangerousRelease();
            }
        }
        finally
        {
            _handle.DangerousRelease();
        }
    }

    private unsafe ReceiveStatus ReceiveAcquired(out CapturedFrame frame)
    {
        frame = default;
        long deadline = _timeoutMs == 0 ? long.MaxValue : Environment.TickCount64 + _timeoutMs;
        var fds = stackalloc LibcNative.PollFd[2];
        while (true)
        {
            // Non-blocking: 1 = a frame, 0 = nothing queued (or a queued frame the filter rejected).
            int status = PcapNative.NextEx(_handle, out var header, out byte* data);
            if (status == 1)
            {
                frame = _copier.Copy(header, data);
                return ReceiveStatus.Frame;
            }
            if (status < 0)
            {
                throw PcapErrors.FromReceive(Device, status, PcapNative.LastError(_handle));
            }

            long remaining = deadline - Environment.TickCount64;
            if (remaining <= 0)
            {
                return ReceiveStatus.Timeout;
            }
            int waitMs = deadline == long.MaxValue ? -1 : (int)remaining;
            if (PcapNative.GetRequiredSelectTimeout(_handle) is var required && required != null)
            {
                // The device reported ENETDOWN: libpcap must look again soon to tell "down" from "gone".
                int requiredMs = Math.Max(1, (int)((required->Seconds.Value * 1000) + (required->Microseconds.Value / 1000)));
                waitMs = waitMs < 0 ? requiredMs : Math.Min(waitMs, requiredMs);
            }
            fds[0] = new LibcNative.PollFd { Fd = _fd, Events = LibcNative.PollIn };
            fds[1] = new LibcNative.PollFd { Fd = _wake.Fd, Events = LibcNative.PollIn };
            if (LibcNative.Poll(fds, 2, waitMs) < 0 && Marshal.GetLastPInvokeError() != LibcNative.Eintr)
            {
                throw new PcapException(PcapErrorKind.Io,
                    $"capture on {Device} failed: poll: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
            }
            if ((fds[1].ReturnedEvents & LibcNative.PollIn) != 0 && _wake.Drain())
            {
                return ReceiveStatus.Interrupted;
            }
        }
    }

    private unsafe void WaitUntilWritable(int timeoutMs)
    {
        var fd = new LibcNative.PollFd { Fd = _fd, Events = LibcNative.PollOut };
        _ = LibcNative.Poll(&fd, 1, Math.Min(timeoutMs, 100));
    }

    private static bool TryAcquire(SafeHandle handle)
    {
        bool acquired = false;
        try
        {
            handle.DangerousAddRef(ref acquired);
        }
        catch (ObjectDisposedException)
        {
            // Closed by Dispose on another thread.
        }
        return acquired;
    }

    private static int ToNative(CaptureDirection direction) => direction switch
    {
        CaptureDirection.In => PcapNative.DirectionIn,
        CaptureDirection.Out => PcapNative.DirectionOut,
        _ => PcapNative.DirectionInOut,
    };
}
