namespace NetLab.Pcap;

/// <summary>One frame as captured: when, how long it was on the wire, and the bytes kept (at most the snaplen).
/// <see cref="Data"/> is valid until the next receive/read call on the handle that produced it.</summary>
public readonly ref struct CapturedFrame
{
    public CapturedFrame(DateTimeOffset timestamp, int originalLength, ReadOnlySpan<byte> data)
    {
        Timestamp = timestamp;
        OriginalLength = originalLength;
        Data = data;
    }

    public DateTimeOffset Timestamp { get; }

    /// <summary>The length on the wire; larger than <see cref="Data"/>.Length when the snaplen cut the frame.</summary>
    public int OriginalLength { get; }

    public ReadOnlySpan<byte> Data { get; }

    public bool IsTruncated => Data.Length < OriginalLength;
}

/// <summary>Called for each frame by <see cref="LiveCapture.Run"/>.</summary>
public delegate void FrameHandler(in CapturedFrame frame);
