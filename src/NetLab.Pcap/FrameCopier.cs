using NetLab.Pcap.Native;

namespace NetLab.Pcap;

/// <summary>Turns a pcap_pkthdr and its data into a <see cref="CapturedFrame"/> over a managed copy, so the
/// frame stays valid even if another thread closes the handle (libpcap's buffer dies with it).</summary>
internal sealed class FrameCopier(bool nanosecondTimestamps)
{
    /// <summary>For a handle whose timestamps are in the precision pcap_get_tstamp_precision reports.</summary>
    public static FrameCopier For(SafePcapHandle handle) => new(PcapNative.GetTimestampPrecision(handle) == PcapNative.TimestampNano);

    private byte[] _buffer = new byte[2048];

    public unsafe CapturedFrame Copy(PcapNative.PacketHeader* header, byte* data)
    {
        int length = (int)header->CaptureLength;
        if (length > _buffer.Length)
        {
            _buffer = new byte[length];
        }
        new ReadOnlySpan<byte>(data, length).CopyTo(_buffer);
        return new CapturedFrame(ToTimestamp(header->Seconds.Value, header->Fraction.Value, nanosecondTimestamps), (int)header->Length, _buffer.AsSpan(0, length));
    }

    /// <summary>A pcap timestamp (seconds and a micro- or nanosecond fraction) as a DateTimeOffset.</summary>
    internal static DateTimeOffset ToTimestamp(long seconds, long fraction, bool nanoseconds)
    {
        // DateTimeOffset counts 100 ns ticks: nanoseconds lose their last two digits.
        long ticks = nanoseconds ? fraction / 100 : fraction * 10;
        return DateTimeOffset.UnixEpoch.AddTicks((seconds * TimeSpan.TicksPerSecond) + ticks);
    }
}
