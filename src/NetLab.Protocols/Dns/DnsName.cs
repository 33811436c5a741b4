using System.Diagnostics.CodeAnalysis;

namespace NetLab.Protocols.Dns;

/// <summary>Domain names (RFC 1035 3.1, 4.1.4) in presentation form: labels joined by dots, no trailing dot,
/// the root as the empty string; a dot or backslash inside a label is escaped as <c>\.</c> / <c>\\</c>, and bytes
/// outside printable ASCII as <c>\DDD</c> (RFC 1035 5.1), the way dig prints them.</summary>
public static class DnsName
{
    /// <summary>RFC 1035 2.3.4: names are 255 octets or less on the wire, length bytes and the root label included.</summary>
    public const int MaxWireLength = 255;

    /// <summary>RFC 1035 2.3.4: labels are 63 octets or less.</summary>
    public const int MaxLabelLength = 63;

    /// <summary>A legal name has at most 127 labels, so a longer chain of pointers can only be a loop or an attack.</summary>
    private const int MaxPointers = 127;

    /// <summary>Reads the name that starts at <paramref name="offset"/> in <paramref name="message"/> (pointers are
    /// offsets into the whole message). <paramref name="bytesRead"/> counts the bytes at <paramref name="offset"/>, up to
    /// and including the first pointer.</summary>
    public static bool TryRead(ReadOnlySpan<byte> message, int offset, [NotNullWhen(true)] out string? name, out int bytesRead)
    {
        Span<byte> wire = stackalloc byte[MaxWireLength];
        if (!TryReadWire(message, offset, wire, out int wireLength, out bytesRead))
        {
            name = null;
            return false;
        }
        name = WireToText(wire[..wireLength]);
        return true;
    }

    /// <summary>Checks the name at <paramref name="offset"/> like <see cref="TryRead"/> without building a string.</summary>
    public static bool TrySkip(ReadOnlySpan<byte> message, int offset, out int bytesRead)
    {
        Span<byte> wire = stackalloc byte[MaxWireLength];
        return TryReadWire(message, offset, wire, out _, out bytesRead);
    }

    /// <summary>Follows labels and pointers, copying the uncompressed name into <paramref name="wire"/>.</summary>
    private static bool TryReadWire(ReadOnlySpan<byte> message, int offset, Span<byte> wire, out int wireLength, out int bytesRead)
    {
        wireLength = 0;
        bytesRead = 0;
        int position = offset;
        // RFC 1035 4.1.4: a pointer refers to a *prior* occurrence of a name. Each pointer must point before the start
        // of the run of labels it ends, so the walk moves strictly backwards and cannot loop.
        int runStart = offset;
        int pointers = 0;
        bool jumped = false;
        while (true)
        {
            if ((uint)position >= (uint)message.Length)
            {
                return false;
            }
            byte length = message[position];
            switch (length & 0xC0)
            {
                case 0x00 when length == 0:
                    wire[wireLength++] = 0;
                    if (!jumped)
                    {
                        bytesRead = position + 1 - offset;
                    }
                    return true;
                case 0x00:
                    // Keep one byte for the root label (RFC 1035 2.3.4 counts it in the 255).
                    if (position + 1 + length > message.Length || wireLength + 1 + length + 1 > MaxWireLength)
                    {
                        return false;
                    }
                    message.Slice(position, 1 + length).CopyTo(wire[wireLength..]);
                    wireLength += 1 + length;
                    position += 1 + length;
                    break;
                case 0xC0:
                    if (position + 1 >= message.Length || ++pointers > MaxPointers)
                    {
                        return false;
                    }
                    int target = ((length & 0x3F) << 8) | message[position + 1];
                    if (target >= runStart)
                    {
                        return false;
                    }
                    if (!jumped)
                    {
                        bytesRead = position + 2 - offset;
                        jumped = true;
                    }
                    position = runStart = target;
                    break;
                default:
                    // 0x40 and 0x80: extended label types, none in use (RFC 6891 5 retired them).
                    return false;
            }
        }
    }

    /// <summary>Converts an uncompressed wire name (ending with the root label) to presentation form.</summary>
    internal static string WireToText(ReadOnlySpan<byte> wire)
    {
        Span<char> text = stackalloc char[MaxWireLength * 4];
        int length = 0;
        int position = 0;
        while (wire[position] != 0)
        {
            int labelLength = wire[position];
            if (length > 0)
            {
                text[length++] = '.';
            }
            foreach (byte b in wire.Slice(position + 1, labelLength))
            {
                if (b is (byte)'.' or (byte)'\\')
                {
                    text[length++] = '\\';
                    text[length++] = (char)b;
                }
                else if (b is > 0x20 and < 0x7F)
                {
                    text[length++] = (char)b;
                }
                else
                {
                    text[length++] = '\\';
                    text[length++] = (char)('0' + (b / 100));
                    text[length++] = (char)('0' + (b / 10 % 10));
                    text[length++] = (char)('0' + (b % 10));
                }
            }
            position += 1 + labelLength;
        }
        return new string(text[..length]);
    }

    /// <summary>Encodes a presentation name (a trailing dot is allowed) as uncompressed wire labels.
    /// Fails for empty labels, labels over 63 octets, names over 255 octets and bad escapes.</summary>
    public static bool TryEncode(string name, Span<byte> wire, out int wireLength)
    {
        ArgumentNullException.ThrowIfNull(name);
        wireLength = 0;
        if (wire.Length < 1)
        {
            return false;
        }
        ReadOnlySpan<char> text = name;
        if (text is "." or "")
        {
            wire[0] = 0;
            wireLength = 1;
            return true;
        }
        if (text[^1] == '.' && (text.Length < 2 || text[^2] != '\\'))
        {
            text = text[..^1];
        }
        int limit = Math.Min(wire.Length, MaxWireLength);
        int labelStart = 0;
        int position = 1;
        for (int i = 0; i <= text.Length; i++)
        {
            if (i == text.Length || text[i] == '.')
            {
                int labelLength = position - labelStart - 1;
                if (labelLength == 0 || labelLength > MaxLabelLength)
                {
                    return false;
                }
                wire[labelStart] = (byte)labelLength;
                labelStart = position;
                position++;
                if (position > limit)
                {
                    return false;
                }
                continue;
            }
            if (!TryReadEscapedByte(text, ref i, out byte value) || position >= limit)
            {
                return false;
            }
            wire[position++] = value;
        }
        // The slot reserved for the next length byte becomes the root label.
        wire[labelStart] = 0;
        wireLength = labelStart + 1;
        return wireLength <= MaxWireLength;
    }

    /// <summary>Reads one character or escape (<c>\X</c>, <c>\DDD</c>) of presentation text; <paramref name="index"/> ends on its last char.</summary>
    public static bool TryReadEscapedByte(ReadOnlySpan<char> text, ref int index, out byte value)
    {
        char c = text[index];
        value = 0;
        if (c != '\\')
        {
            if (c > 0xFF)
            {
                return false;
            }
            value = (byte)c;
            return true;
        }
        if (index + 1 >= text.Length)
        {
            return false;
        }
        if (char.IsAsciiDigit(text[index + 1]))
        {
            if (index + 3 >= text.Length || !char.IsAsciiDigit(text[index + 2]) || !char.IsAsciiDigit(text[index + 3]))
            {
                return false;
            }
            int number = ((text[index + 1] - '0') * 100) + ((text[index + 2] - '0') * 10) + (text[index + 3] - '0');
            if (number > 255)
            {
                return false;
            }
            value = (byte)number;
            index += 3;
            return true;
        }
        if (text[index + 1] > 0xFF)
        {
            return false;
        }
        value = (byte)text[index + 1];
        index++;
        return true;
    }

    /// <summary>True when the text is a legal name.</summary>
    public static bool IsValid(string name)
    {
        Span<byte> wire = stackalloc byte[MaxWireLength];
        return TryEncode(name, wire, out _);
    }

    /// <summary>The canonical presentation form (escapes normalised, no trailing dot, lower case for comparisons and keys).</summary>
    public static bool TryNormalize(string name, [NotNullWhen(true)] out string? normalized)
    {
        Span<byte> wire = stackalloc byte[MaxWireLength];
        if (!TryEncode(name, wire, out int length))
        {
            normalized = null;
            return false;
        }
        normalized = WireToText(wire[..length]).ToLowerInvariant();
        return true;
    }

    /// <summary>Names compare without regard to ASCII case (RFC 4343).</summary>
    public static bool NameEquals(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    /// <summary>True when <paramref name="name"/> equals <paramref name="zone"/> or lies below it.</summary>
    public static bool IsSubdomainOf(string name, string zone)
    {
        if (zone.Length == 0)
        {
            return true;
        }
        if (name.Length == zone.Length)
        {
            return NameEquals(name, zone);
        }
        return name.Length > zone.Length && name.EndsWith(zone, StringComparison.OrdinalIgnoreCase) && name[^(zone.Length + 1)] == '.'
            && (name.Length < zone.Length + 2 || name[^(zone.Length + 2)] != '\\');
    }

    /// <summary>The name with a trailing dot, as dig prints it (the root is ".").</summary>
    public static string ToFqdn(string name) => name.Length == 0 ? "." : name + ".";
}
