using System.Runtime.InteropServices;
using NetLab.Pcap.Native;

namespace NetLab.Pcap;

/// <summary>A live capture on one interface, opened in the calling thread's network namespace.
/// One thread receives (<see cref="TryReceive"/> or <see cref="Run"/>); <see cref="Send"/> may be called from
/// other threads meanwhile. <see cref="Dispose"/> from any thread wakes the receiver, which returns
/// false (or <see cref="Run"/> returns); the handle is closed once no native call uses it any more.</summary>
public sealed class LiveCapture : IDisposable
{
    private readonly SafePcapHandle _handle;
    private readonly FrameCopier _copier = new(nanosecondTimestamps: false);
    private readonly Lock _sendLock = new();
    private readonly uint _netmask;
    private int _disposed;

    private LiveCapture(SafePcapHandle handle, string device, string? activationWarning, uint netmask)
    {
        _handle = handle;
        _netmask = netmask;
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
            throw new PcapException(PcapErrorKind.Other,
                $"capture on {device} failed: {PcapNative.ErrorText(new ReadOnlySpan<byte>(errorBuffer, PcapNative.ErrorBufferSize))}");
        }
        try
        {
            // These only fail on an already activated handle, which cannot happen here.
            _ = PcapNative.SetSnapshotLength(handle, options.Snaplen);
            _ = PcapNative.SetPromiscuous(handle, options.Promiscuous ? 1 : 0);
            _ = PcapNative.SetImmediateMode(handle, options.Immediate ? 1 : 0);
            _ = PcapNative.SetTimeout(handle, options.TimeoutMs);
            if (options.BufferSize is { } bufferSize)
            {
                _ = PcapNative.SetBufferSize(handle, bufferSize);
            }

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

            // Looked up now, while the thread is still in the capture's network namespace.
            uint netmask = PcapNative.LookupNetwork(device, out _, out uint mask, errorBuffer) == 0 ? mask : PcapNative.NetmaskUnknown;
            return new LiveCapture(handle, device, warning, netmask);
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
        ArgumentNullException.ThrowIfNull(bpf);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        using var program = SafeBpfProgramHandle.Allocate();
        if (PcapNative.Compile(_handle, program, bpf, optimize: 1, _netmask) != 0)
        {
            throw new PcapException(PcapErrorKind.BadFilter, $"bad capture filter \"{bpf}\": {PcapNative.LastError(_handle)}");
        }
        // pcap_setfilter copies the program (into the kernel on Linux), so it is freed right after.
        if (PcapNative.SetFilter(_handle, program) != 0)
        {
            throw new PcapException(PcapErrorKind.Other, $"capture on {Device}: cannot install filter \"{bpf}\": {PcapNative.LastError(_handle)}");
        }
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

    /// <summary>Makes a receive in progress (or else the next one) return at once (pcap_breakloop).</summary>
    public void Interrupt()
    {
        if (TryAcquire())
        {
            try
            {
                PcapNative.BreakLoop(_handle);
            }
            finally
            {
                _handle.DangerousRelease();
            }
        }
    }

    /// <summary>Sends one complete frame (link-layer header included) out of the interface.</summary>
    public unsafe void Send(ReadOnlySpan<byte> frame)
    {
        if (frame.IsEmpty)
        {
            throw new ArgumentException("a frame needs at least a link-layer header", nameof(frame));
        }
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        lock (_sendLock)
        {
            fixed (byte* data = frame)
            {
                if (PcapNative.SendPacket(_handle, data, frame.Length) != 0)
                {
                    int errno = Marshal.GetLastPInvokeError();
                    throw PcapErrors.FromSend(Device, errno, PcapNative.LastError(_handle));
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
    }

    private unsafe ReceiveStatus Receive(out CapturedFrame frame)
    {
        frame = default;
        // Holding a reference keeps pcap_close from running while libpcap's buffer is read.
        if (!TryAcquire())
        {
            return ReceiveStatus.Closed;
        }
        try
        {
            int status = PcapNative.NextEx(_handle, out var header, out byte* data);
            switch (status)
            {
                case 1:
                    frame = _copier.Copy(header, data);
                    return ReceiveStatus.Frame;
                case 0:
                    return ReceiveStatus.Timeout;
                case PcapNative.ErrorBreak:
                    return ReceiveStatus.Interrupted;
                default:
                    throw PcapErrors.FromReceive(Device, status, PcapNative.LastError(_handle));
            }
        }
        finally
        {
            _handle.DangerousRelease();
        }
    }

    private bool TryAcquire()
    {
        bool acquired = false;
        try
        {
            _handle.DangerousAddRef(ref acquired);
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
