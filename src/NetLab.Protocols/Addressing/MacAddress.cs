using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace NetLab.Protocols.Addressing;

/// <summary>A 48-bit IEEE 802 MAC address held in a value type, so parsing a frame allocates nothing.</summary>
public readonly record struct MacAddress : ISpanFormattable
{
    public const int Length = 6;

    private readonly ulong _value;

    public MacAddress(ulong value) => _value = value & 0xFFFF_FFFF_FFFFUL;

    public static MacAddress Broadcast { get; } = new(0xFFFF_FFFF_FFFFUL);
    public static MacAddress Zero { get; } = default;

    public ulong Value => _value;
    public bool IsBroadcast => _value == 0xFFFF_FFFF_FFFFUL;
    /// <summary>IEEE 802: the least significant bit of the first octet marks group addresses.</summary>
    public bool IsMulticast => ((_value >> 40) & 1) == 1;

    /// <summary>Reads six bytes; the caller guarantees the length (use <see cref="TryRead"/> otherwise).</summary>
    public static MacAddress Read(ReadOnlySpan<byte> source) =>
        new(((ulong)BinaryPrimitives.ReadUInt16BigEndian(source) << 32) | BinaryPrimitives.ReadUInt32BigEndian(source[2..]));

    public static bool TryRead(ReadOnlySpan<byte> source, out MacAddress address)
    {
        if (source.Length < Length)
        {
            address = default;
            return false;
        }
        address = Read(source);
        return true;
    }

    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)(_value >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(destination[2..], (uint)_value);
    }

    public byte[] ToArray()
    {
        var bytes = new byte[Length];
        Write(bytes);
        return bytes;
    }

    /// <summary>Accepts 02:00:00:00:00:01, 02-00-00-00-00-01 and 0200.0000.0001 styles.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out MacAddress address)
    {
        address = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        Span<char> hex = stackalloc char[12];
        int count = 0;
        foreach (char c in text.Trim())
        {
            if (c is ':' or '-' or '.')
            {
                continue;
            }
            if (!char.IsAsciiHexDigit(c) || count == 12)
            {
                return false;
            }
            hex[count++] = c;
        }
        if (count != 12 || !ulong.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong value))
        {
            return false;
        }
        address = new MacAddress(value);
        return true;
    }

    public static MacAddress Parse(string text) =>
        TryParse(text, out var address) ? address : throw new FormatException($"'{text}' is not a MAC address (expected six hex octets like 02:00:00:00:00:01).");

    public override string ToString() => ToString(null, null);

    public string ToString(string? format, IFormatProvider? formatProvider) => string.Create(17, _value, static (span, value) =>
    {
        for (int i = 0; i < 6; i++)
        {
            byte octet = (byte)(value >> (40 - (8 * i)));
            octet.TryFormat(span[(i * 3)..], out _, "x2", CultureInfo.InvariantCulture);
            if (i < 5)
            {
                span[(i * 3) + 2] = ':';
            }
        }
    });

    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        string text = ToString();
        charsWritten = 0;
        if (!text.AsSpan().TryCopyTo(destination))
        {
            return false;
        }
        charsWritten = text.Length;
        return true;
    }
}
