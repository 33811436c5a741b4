namespace NetLab.Pcap;

/// <summary>Which frames a live capture sees, by direction (pcap_setdirection).</summary>
public enum CaptureDirection
{
    /// <summary>Frames received and sent (including those this process sends).</summary>
    InOut,

    /// <summary>Only frames received from the wire.</summary>
    In,

    /// <summary>Only frames sent out of the interface.</summary>
    Out,
}

/// <summary>Settings applied between pcap_create and pcap_activate.</summary>
public sealed class LiveCaptureOptions
{
    /// <summary>Bytes kept of each frame (libpcap's default: the whole frame).</summary>
    public int Snaplen { get; set; } = 262144;

    public bool Promiscuous { get; set; } = true;

    /// <summary>Deliver each frame as soon as it arrives instead of waiting for the kernel buffer to fill.</summary>
    public bool Immediate { get; set; } = true;

    /// <summary>How long <see cref="LiveCapture.TryReceive"/> waits before returning false (0 waits forever).</summary>
    public int TimeoutMs { get; set; } = 100;

    /// <summary>Used when <see cref="BufferSize"/> is null. libpcap's own default, 2 MiB, holds only 32 frames in
    /// immediate mode on interfaces with offloading (veth, most NICs): each frame gets a 64 KiB slot, so a burst
    /// the receiver does not drain at once is dropped. 16 MiB holds 256.</summary>
    public const int DefaultBufferSize = 16 << 20;

    /// <summary>Kernel ring buffer size in bytes; null means <see cref="DefaultBufferSize"/>. A small
    /// <see cref="Snaplen"/> also makes the slots smaller, so more frames fit.</summary>
    public int? BufferSize { get; set; }

    public CaptureDirection Direction { get; set; } = CaptureDirection.InOut;
}
