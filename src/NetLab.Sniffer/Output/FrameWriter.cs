using System.Globalization;
using System.Text;
using NetLab.Sniffer.Decoding;

namespace NetLab.Sniffer.Output;

/// <summary>What to print per frame.</summary>
public sealed record FrameOutputOptions(bool Layers, bool Hex, bool Number, bool UtcTime);

/// <summary>Prints a decoded frame: the tcpdump-style line, then optionally the layer tree (--layers) and a
/// hex dump with each layer's bytes marked (--hex).</summary>
public sealed class FrameWriter(TextWriter output, FrameOutputOptions options)
{
    private readonly StringBuilder _buffer = new(512);

    private long _offsetValidUntilTicks = long.MinValue;
    private TimeSpan _utcOffset;

    public void Write(DecodedFrame frame)
    {
        _buffer.Clear();
        if (options.Number)
        {
            _buffer.Append(CultureInfo.InvariantCulture, $"{frame.Number,5}  ");
        }
        AppendClock(_buffer, frame.Timestamp + LocalOffset(frame.Timestamp));
        _buffer.Append(' ').Append(frame.Summary);
        _buffer.Append('\n');
        if (options.Layers)
        {
            AppendTree(_buffer, frame);
        }
        if (options.Hex)
        {
            AppendHex(_buffer, frame);
        }
        output.Write(_buffer);
    }

    /// <summary>The local UTC offset, looked up again only when the hour changes (the lookup is slow per frame).</summary>
    private TimeSpan LocalOffset(DateTimeOffset time)
    {
        if (options.UtcTime)
        {
            return TimeSpan.Zero;
        }
        long ticks = time.UtcTicks;
        if (ticks >= _offsetValidUntilTicks || ticks < _offsetValidUntilTicks - TimeSpan.TicksPerHour)
        {
            _utcOffset = TimeZoneInfo.Local.GetUtcOffset(time);
            _offsetValidUntilTicks = ticks - (ticks % TimeSpan.TicksPerHour) + TimeSpan.TicksPerHour;
        }
        return _utcOffset;
    }

    /// <summary>HH:mm:ss.ffffff of the clock time (the offset already applied), without format parsing.</summary>
    private static void AppendClock(StringBuilder text, DateTimeOffset shifted)
    {
        long ticks = shifted.UtcTicks % TimeSpan.TicksPerDay;
        Span<char> clock = stackalloc char[15];
        Two(clock, 0, (int)(ticks / TimeSpan.TicksPerHour));
        clock[2] = ':';
        Two(clock, 3, (int)(ticks / TimeSpan.TicksPerMinute % 60));
        clock[5] = ':';
        Two(clock, 6, (int)(ticks / TimeSpan.TicksPerSecond % 60));
        clock[8] = '.';
        int micros = (int)(ticks % TimeSpan.TicksPerSecond / 10);
        for (int i = 14; i >= 9; i--)
        {
            clock[i] = (char)('0' + (micros % 10));
            micros /= 10;
        }
        text.Append(clock);

        static void Two(Span<char> into, int at, int value)
        {
            into[at] = (char)('0' + (value / 10));
            into[at + 1] = (char)('0' + (value % 10));
        }
    }

    public static void AppendTree(StringBuilder text, DecodedFrame frame)
    {
        text.Append(CultureInfo.InvariantCulture,
            $"Frame {frame.Number}: {frame.OriginalLength} bytes on wire, {frame.Data.Length} captured, {frame.Timestamp.UtcDateTime:yyyy-MM-dd HH:mm:ss.ffffff} UTC, protocols {frame.ProtocolPath}\n");
        foreach (var layer in frame.Layers)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {layer.Title} ({layer.Name}), bytes {layer.Offset}-{layer.Offset + Math.Max(layer.Length, 1) - 1}");
            if (layer.Status != LayerStatus.Ok)
            {
                text.Append(CultureInfo.InvariantCulture, $" [{layer.Status.ToString().ToUpperInvariant()}: {layer.Problem}]");
            }
            text.Append('\n');
            foreach (var field in layer.Fields)
            {
                text.Append(' ', 4 + (field.Depth * 2)).Append(field.Name).Append(": ").Append(field.Value).Append('\n');
            }
        }
        int end = frame.Layers.Count == 0 ? 0 : frame.Layers.Max(l => l.Offset + l.Length);
        if (end < frame.Data.Length && frame.Layers.Count > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"  Remaining bytes (payload, padding or trailer), bytes {end}-{frame.Data.Length - 1}\n");
        }
        text.Append('\n');
    }

    /// <summary>16 bytes per row, every layer's own bytes under a heading that names it; rows restart at each layer.</summary>
    public static void AppendHex(StringBuilder text, DecodedFrame frame)
    {
        var spans = new List<(string Name, int Start, int End)>();
        for (int i = 0; i < frame.Layers.Count; i++)
        {
            var layer = frame.Layers[i];
            int start = Math.Min(layer.Offset, frame.Data.Length);
            int end = i + 1 < frame.Layers.Count && frame.Layers[i + 1].Offset > start ? frame.Layers[i + 1].Offset : layer.Offset + layer.Length;
            end = Math.Clamp(end, start, frame.Data.Length);
            spans.Add((layer.Status == LayerStatus.Ok ? layer.Name : $"{layer.Name} ({layer.Status.ToString().ToLowerInvariant()})", start, end));
        }
        int covered = spans.Count == 0 ? 0 : spans.Max(s => s.End);
        if (covered < frame.Data.Length)
        {
            spans.Add(("payload/trailer", covered, frame.Data.Length));
        }
        foreach (var (name, start, end) in spans)
        {
            if (end <= start)
            {
                continue;
            }
            text.Append(CultureInfo.InvariantCulture, $"  -- {name}: bytes {start}-{end - 1} ({end - start})\n");
            for (int row = start; row < end; row += 16)
            {
                int count = Math.Min(16, end - row);
                text.Append(CultureInfo.InvariantCulture, $"  {row:x4}  ");
                for (int i = 0; i < 16; i++)
                {
                    if (i < count && frame.IsSensitive(row + i))
                    {
                        text.Append("** ");
                    }
                    else if (i < count)
                    {
                        text.Append(CultureInfo.InvariantCulture, $"{frame.Data[row + i]:x2} ");
                    }
                    else
                    {
                        text.Append("   ");
                    }
                    if (i == 7)
                    {
                        text.Append(' ');
                    }
                }
                text.Append(' ');
                for (int i = 0; i < count; i++)
                {
                    byte b = frame.Data[row + i];
                    text.Append(frame.IsSensitive(row + i) ? '*' : b is >= 0x20 and < 0x7F ? (char)b : '.');
                }
                text.Append('\n');
            }
        }
        text.Append('\n');
    }
}
