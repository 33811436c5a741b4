using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace NetLab.Sniffer.Decoding;

/// <summary>The one-line summary under construction. When nothing prints it (--quiet with a report) it is
/// disabled: every Append returns at once and an interpolated string's holes are not even formatted, which
/// is most of the decoder's cost per frame.</summary>
internal sealed class SummaryBuilder
{
    private readonly StringBuilder _text = new(256);

    public bool Enabled { get; init; } = true;

    public void Clear() => _text.Clear();

    public SummaryBuilder Append(string? value)
    {
        if (Enabled)
        {
            _text.Append(value);
        }
        return this;
    }

    public SummaryBuilder Append(char value)
    {
        if (Enabled)
        {
            _text.Append(value);
        }
        return this;
    }

    /// <summary>Appends an interpolated string, formatted with the invariant culture (tcpdump's output does not vary by locale).</summary>
    public SummaryBuilder Append([InterpolatedStringHandlerArgument("")] ref Handler handler)
    {
        _ = handler; // the handler already appended its parts, or skipped them when disabled
        return this;
    }

    public override string ToString() => Enabled ? _text.ToString() : "";

    /// <summary>Formats the holes of <c>$"..."</c> only when the builder is enabled.</summary>
    [InterpolatedStringHandler]
    public ref struct Handler
    {
        private StringBuilder.AppendInterpolatedStringHandler _inner;

        public Handler(int literalLength, int formattedCount, SummaryBuilder builder, out bool shouldAppend)
        {
            shouldAppend = builder.Enabled;
            _inner = shouldAppend
                ? new StringBuilder.AppendInterpolatedStringHandler(literalLength, formattedCount, builder._text, CultureInfo.InvariantCulture)
                : default;
        }

        public void AppendLiteral(string value) => _inner.AppendLiteral(value);

        public void AppendFormatted<T>(T value) => _inner.AppendFormatted(value);

        public void AppendFormatted<T>(T value, string? format) => _inner.AppendFormatted(value, format);

        public void AppendFormatted<T>(T value, int alignment) => _inner.AppendFormatted(value, alignment);

        public void AppendFormatted(string? value) => _inner.AppendFormatted(value);
    }
}
