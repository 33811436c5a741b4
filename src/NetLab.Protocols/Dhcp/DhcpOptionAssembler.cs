using System.Diagnostics.CodeAnalysis;

namespace NetLab.Protocols.Dhcp;

/// <summary>Option framing across the areas of a message: RFC 3396 splitting and joining, RFC 2132 9.3 overload.</summary>
internal static class DhcpOptionAssembler
{
    private const int MaxInstanceLength = 255;

    /// <summary>Octets one option takes once split into instances of at most 255 data octets.</summary>
    public static int EncodedLength(int dataLength)
    {
        int instances = Math.Max(1, (dataLength + MaxInstanceLength - 1) / MaxInstanceLength);
        return dataLength + (2 * instances);
    }

    /// <summary>RFC 3396 5: an option too long for one instance goes out as consecutive instances of the same code.</summary>
    public static int WriteSplit(Span<byte> destination, DhcpOption option)
    {
        var data = option.Data.Span;
        int position = 0;
        do
        {
            int chunk = Math.Min(data.Length, MaxInstanceLength);
            destination[position] = (byte)option.Code;
            destination[position + 1] = (byte)chunk;
            data[..chunk].CopyTo(destination[(position + 2)..]);
            position += 2 + chunk;
            data = data[chunk..];
        }
        while (!data.IsEmpty);
        return position;
    }

    /// <summary>Lays the options out over the options field, then file, then sname (RFC 3396 6 order),
    /// splitting an option wherever an area ends, and announces the borrowed fields with option 52.</summary>
    public static bool TryWriteOverloaded(DhcpMessage message, int maxMessageLength, out byte[]? bytes)
    {
        bytes = null;
        const int overloadOptionLength = 3;
        int optionsCapacity = maxMessageLength - DhcpMessageView.OptionsOffset - overloadOptionLength - 1;
        var areas = new List<(int Start, int Capacity, DhcpOverloadedFields Field)>
        {
            (DhcpMessageView.OptionsOffset + overloadOptionLength, optionsCapacity, DhcpOverloadedFields.None),
        };
        if (message.FileField.All(b => b == 0))
        {
            areas.Add((DhcpMessageView.FileOffset, DhcpMessageView.FileLength - 1, DhcpOverloadedFields.File));
        }
        if (message.ServerNameField.All(b => b == 0))
        {
            areas.Add((DhcpMessageView.ServerNameOffset, DhcpMessageView.ServerNameLength - 1, DhcpOverloadedFields.ServerName));
        }
        if (optionsCapacity < 0 || areas.Count == 1)
        {
            return false;
        }
        var buffer = new byte[Math.Max(maxMessageLength, DhcpMessage.MinimumLength)];
        message.WriteFixedPart(buffer);
        int area = 0;
        var used = new int[areas.Count];
        var overload = DhcpOverloadedFields.None;
        foreach (var option in message.Options)
        {
            var data = option.Data.Span;
            do
            {
                // Each instance needs its code and length octets plus at least one data octet (or none, for an empty option).
                int room = areas[area].Capacity - used[area] - 2;
                if (room < Math.Min(1, data.Length) || room < 0)
                {
                    if (++area == areas.Count)
                    {
                        return false;
                    }
                    continue;
                }
                int chunk = Math.Min(Math.Min(data.Length, MaxInstanceLength), room);
                int at = areas[area].Start + used[area];
                buffer[at] = (byte)option.Code;
                buffer[at + 1] = (byte)chunk;
                data[..chunk].CopyTo(buffer.AsSpan(at + 2));
                used[area] += 2 + chunk;
                overload |= areas[area].Field;
                data = data[chunk..];
            }
            while (!data.IsEmpty);
        }
        // Every area in use ends with End (RFC 2131 4.1).
        for (int i = 0; i <= area; i++)
        {
            buffer[areas[i].Start + used[i]] = (byte)DhcpOptionCode.End;
        }
        buffer[DhcpMessageView.OptionsOffset] = (byte)DhcpOptionCode.OptionOverload;
        buffer[DhcpMessageView.OptionsOffset + 1] = 1;
        buffer[DhcpMessageView.OptionsOffset + 2] = (byte)overload;
        int optionsEnd = areas[0].Start + used[0];
        bytes = buffer[..Math.Max(optionsEnd + 1, DhcpMessage.MinimumLength)];
        return true;
    }

    /// <summary>Collects the instances of every option in the order RFC 3396 6 gives (options field, then
    /// file, then sname when overloaded) and joins instances of the same code; the walk checks the framing
    /// as it goes, so the options are read once.</summary>
    public static bool TryReadOptions(ReadOnlySpan<byte> buffer, DhcpMessage message, [NotNullWhen(false)] out string? error)
    {
        var instances = new List<(byte Code, int Offset, int Length)>();
        var reader = new DhcpOptionInstanceReader(buffer);
        while (reader.TryReadNext(out var code, out int offset, out int length))
        {
            instances.Add(((byte)code, offset, length));
        }
        error = reader.Error;
        if (error is not null)
        {
            return false;
        }
        // The fields held options, not a server or file name.
        if (reader.Overload.HasFlag(DhcpOverloadedFields.File))
        {
            Array.Clear(message.FileField);
        }
        if (reader.Overload.HasFlag(DhcpOverloadedFields.ServerName))
        {
            Array.Clear(message.ServerNameField);
        }
        message.SetOverloadedFields(reader.Overload);
        Join(buffer, instances, message.Options);
        return true;
    }

    private static void Join(ReadOnlySpan<byte> buffer, List<(byte Code, int Offset, int Length)> instances, List<DhcpOption> options)
    {
        Span<bool> seen = stackalloc bool[256];
        foreach (var (code, _, _) in instances)
        {
            if (seen[code])
            {
                continue;
            }
            seen[code] = true;
            int total = 0;
            foreach (var instance in instances)
            {
                if (instance.Code == code)
                {
                    total += instance.Length;
                }
            }
            var data = new byte[total];
            int position = 0;
            foreach (var instance in instances)
            {
                if (instance.Code == code)
                {
                    buffer.Slice(instance.Offset, instance.Length).CopyTo(data.AsSpan(position));
                    position += instance.Length;
                }
            }
            options.Add(new DhcpOption((DhcpOptionCode)code, data));
        }
    }
}
